"""The consultation form of the PS mandate page (PS-12)."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from cma.inputs import day_validators
from cma.privacy.forms import RefusalMixin

from . import mandate

TEXT = {"rows": 3}


class ConsultationForm(RefusalMixin, forms.Form):
    field_map = {"consulted_at": "consulted_on", "consulted_id": "consulted"}

    consulted = forms.ChoiceField(
        label="Who was consulted",
        widget=forms.RadioSelect,
        error_messages={"required": "Say who was consulted"},
    )
    consulted_on = forms.DateField(
        label="Date of the consultation",
        validators=day_validators(),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date of the consultation"},
    )
    consulted_time = forms.TimeField(
        label="Time of the consultation",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Give the time of the consultation"},
    )
    outstanding_issues = forms.CharField(
        label="Outstanding issues raised",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="For example privacy breaches, compensation claims, complaints, FOI, "
        "escalations or third parties. Write \u201cNone\u201d if there are none.",
        error_messages={"required": "Record the outstanding issues raised, or \u201cNone\u201d"},
    )
    special_contact_conditions = forms.CharField(
        label="Special contact conditions",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="Such as restricted service, and how to manage it while the decision "
        "is made. No phone numbers or addresses.",
        error_messages={"required": "Record the special contact conditions, or \u201cNone\u201d"},
    )
    communication_approach = forms.CharField(
        label="Agreed communication approach",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="The decision maker's involvement with the customer, face-to-face, "
        "regular updates, how the decision is communicated.",
        error_messages={"required": "Record the agreed communication approach"},
    )
    who_tells = forms.ChoiceField(
        label="Who tells the customer",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who tells the customer"},
    )

    def __init__(self, *args: Any, manager: mandate.Manager, prefix_id: str, **kwargs: Any):
        kwargs.setdefault("auto_id", f"id_{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        people = []
        if manager.user is not None:
            people.append((str(manager.user.pk), f"{manager.user} (PS case manager)"))
        if manager.team_leader is not None:
            people.append((str(manager.team_leader.pk), f"{manager.team_leader} (team leader)"))
        self.fields["consulted"].choices = people
        if manager.user is not None:
            self.fields["consulted"].initial = str(manager.user.pk)
        self.fields["who_tells"].choices = list(mandate.who_tells_options().items())

    def consulted_at(self) -> datetime:
        data = self.cleaned_data
        moment = datetime.combine(data["consulted_on"], data["consulted_time"])
        return timezone.make_aware(moment)
