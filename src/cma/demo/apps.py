from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cma.demo"
    label = "demo"
    verbose_name = "Demo data"
