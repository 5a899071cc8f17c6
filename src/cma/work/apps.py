from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "cma.work"
    label = "work"
