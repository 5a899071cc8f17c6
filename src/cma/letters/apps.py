from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "cma.letters"
    label = "letters"
