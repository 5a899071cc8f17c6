from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "cma.policy"
    label = "policy"
    verbose_name = "Policy data"
