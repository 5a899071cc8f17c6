from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "cma.staff"
    label = "staff"
    verbose_name = "Staff and teams"

    def ready(self) -> None:
        from . import permissions, sign_in_audit  # noqa: F401  (registers the named rules)

        sign_in_audit.connect()
