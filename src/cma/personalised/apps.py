from django.apps import AppConfig


class PersonalisedConfig(AppConfig):
    name = "cma.personalised"
    label = "personalised"
    verbose_name = "Personalised Services"

    def ready(self) -> None:
        # Registrations with lower layers (panels, sweeps, demo steps) go here.
        from . import permissions  # noqa: F401  (registers the named rules)
