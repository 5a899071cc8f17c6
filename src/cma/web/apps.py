from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cma.web"
    label = "web"
    verbose_name = "Staff web pages"
