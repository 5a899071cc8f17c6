from django.apps import AppConfig


class PersonalisedConfig(AppConfig):
    name = "cma.personalised"
    label = "personalised"
    verbose_name = "Personalised Services"

    def ready(self) -> None:
        # Registrations with lower layers (panels, sweeps, demo steps) go here.
        from . import (
            intray_links,
            mandate,
            permissions,  # noqa: F401  (registers the named rules)
            sections_mandate,
        )

        # PS-12: no specialist decision on a PS customer is finalised or notified
        # before the case manager is consulted; the call screen names them first.
        mandate.register()
        sections_mandate.register()
        # PS-2: a referral intray's page links to the referral's checklist.
        intray_links.register()
        # PS-18: the periodic sweep raises the segment 3 review intrays on their dates.
        from .services import reviews

        reviews.register()
