from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "cma.notes"
    label = "notes"

    def ready(self) -> None:
        # Registers the app's rules, including SEC-1's `customers.view_customer_record`.
        from . import access, permissions  # noqa: F401
        from .safety import register

        # The one door learns protection flags, grants and notices from us (SEC-1).
        access.register()
        # cma.privacy finds at-risk customers through our SafetyMarker (DOC-6).
        register()
        # Imports check a preferred contact against our restricted services (DOC-7).
        from . import contact

        contact.register()
