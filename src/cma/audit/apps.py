from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cma.audit"
    label = "audit"
    verbose_name = "Audit trail"
