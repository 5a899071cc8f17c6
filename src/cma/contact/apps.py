from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "cma.contact"
    label = "contact"
    verbose_name = "Contact with customers"

    def ready(self) -> None:
        from . import access, permissions, sweeps  # noqa: F401  (registers the named rules)

        access.register()
        sweeps.register()
