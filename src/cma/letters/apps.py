from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "cma.letters"
    label = "letters"
    verbose_name = "Letters and correspondence"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the named rules)
