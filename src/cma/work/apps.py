from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "cma.work"
    label = "work"
    verbose_name = "Work management"

    def ready(self) -> None:
        from . import access, permissions  # noqa: F401  (registers the named rules)

        access.register()
