from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cma.reporting"
    label = "reporting"
    verbose_name = "Reporting"
