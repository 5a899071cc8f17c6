from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "cma.decisions"
    label = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from cma.contact.sections import register_call_section

        from . import call_section, checks

        # The built-in CMA-6 rule is one of the registered finalisation checks, so it
        # is called the same way as the checks other apps add in their own ready().
        checks.register_builtin()
        # "Explain a decision" on the call screen (CMA-6, CON-17).
        register_call_section(call_section.SECTION)
