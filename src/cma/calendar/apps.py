from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "cma.calendar"
    label = "workdays"
    verbose_name = "Working-day calendar"
