"""The letter form for staff pages, built from the template's fields. It checks
shapes only; every rule is the service's (one check for pages, API and CLI)."""

from typing import Any

from django import forms

from cma.inputs import day_validators
from cma.policy.models import LetterTemplate

from .catalogue import MAX_FIELD_LENGTH, field_specs

EMPLOYER_FIELD = "employer_notice_outstanding"


class LetterForm(forms.Form):
    def __init__(self, template: LetterTemplate, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        for spec in field_specs(template):
            if spec.kind == "choice":
                field: forms.Field = forms.ChoiceField(
                    label=spec.label,
                    choices=[("", "Choose one"), *spec.choices.items()],
                )
            elif spec.kind == "date":
                field = forms.DateField(
                    validators=day_validators(),
                    label=spec.label,
                    widget=forms.DateInput(attrs={"type": "date"}),
                    help_text="The date, for example 2026-11-03.",
                )
            else:
                field = forms.CharField(
                    label=spec.label,
                    max_length=MAX_FIELD_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text="Plain words the customer will read. No other party's details.",
                )
            self.fields[spec.name] = field
        if "employer-notices-complied" in template.preconditions:
            self.fields[EMPLOYER_FIELD] = forms.TypedChoiceField(
                label="Has an employer not complied with a notice for this customer?",
                choices=[("no", "No, no employer notice is outstanding"), ("yes", "Yes")],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
                help_text="If yes, this letter cannot be sent: follow up the employer.",
            )

    def letter_fields(self) -> dict[str, str]:
        values = {}
        for name, value in self.cleaned_data.items():
            if name == EMPLOYER_FIELD:
                continue
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return values

    def employer_notice_outstanding(self) -> bool | None:
        return self.cleaned_data.get(EMPLOYER_FIELD)

    def apply_refusal(self, details: list[dict[str, Any]]) -> None:
        """Show each service problem beside its field; the rest go to the summary. A
        Separating Safely finding quotes the officer's own text at its span (the
        refusal itself never carries it)."""
        for detail in details:
            name = detail.get("field")
            message = detail["message"]
            if "start" in detail and name in self.fields:
                text = str(self.data.get(name, "")).replace("\r\n", "\n").strip()
                message += f": \u201c{text[detail['start'] : detail['end']]}\u201d"
            self.add_error(name if name in self.fields else None, message)
