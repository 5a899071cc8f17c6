from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "cma.collection"
    label = "collection"
    verbose_name = "Collection"

    def ready(self) -> None:
        from . import checks, permissions, sections  # noqa: F401 (registers the rules)

        # Contact calls these explicitly: the end-of-call check (CMA-1) and the call
        # screen's sections (MCA, issues, payee information).
        checks.register()
        sections.register()
