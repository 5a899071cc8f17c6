from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "cma.notes"
    label = "notes"
