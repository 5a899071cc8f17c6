"""Page forms for PS contact, letters, face-to-face, options and the PS Team Leader's
decisions (PS-7..PS-11). Choices come from policy; a service refusal is shown beside
the fields it names (RefusalMixin)."""

from typing import Any

from django import forms

from cma.inputs import day_validators
from cma.privacy.forms import RefusalMixin

from . import contact_policy

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _moment(label: str, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text="For example, 2027-01-15 10:30",
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
    )


class StartForm(RefusalMixin, forms.Form):
    auto_prefix = "start"
    channel = forms.ChoiceField(label="How you are contacting the customer")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            (c, c.replace("-", " ").capitalize()) for c in contact_policy.contact_channels()
        ]
        self.fields["channel"].initial = "phone"


class DiscussionForm(RefusalMixin, forms.Form):
    auto_prefix = "talk"
    items_done = forms.MultipleChoiceField(
        label="Discussed", required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label="Summary read back to the customer", required=False, max_length=4000, widget=TEXTAREA
    )
    summary_acknowledged = forms.BooleanField(
        label="The customer acknowledged the summary", required=False
    )
    next_contact_at = _moment("When to contact them again")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items_done"].choices = [
            (i.code, i.name + ("" if i.mandatory else " (if relevant)"))
            for i in contact_policy.first_contact_items()
        ]


class AfterContactForm(RefusalMixin, forms.Form):
    auto_prefix = "after"
    products_services = forms.MultipleChoiceField(
        label="Products and services provided", required=False, widget=forms.CheckboxSelectMultiple
    )
    customer_view = forms.CharField(
        label="The issues from the customer's view",
        required=False,
        max_length=4000,
        widget=TEXTAREA,
    )
    agreed_actions = forms.CharField(
        label="Agreed actions", required=False, max_length=4000, widget=TEXTAREA
    )
    agreed_contact_times = forms.CharField(
        label="Agreed contact times", required=False, max_length=4000
    )
    approve_plan = forms.BooleanField(label="Approve the plan", required=False, initial=True)
    follow_up_type = forms.ChoiceField(label="Follow-up intray", widget=forms.RadioSelect)
    follow_up_note = forms.CharField(
        label="What the follow-up is for", required=False, max_length=4000
    )
    sensitive_kind = forms.ChoiceField(label="Sensitive issue indicator", required=False)
    sensitive_reason = forms.CharField(
        label="Reason for the indicator", required=False, max_length=2000
    )
    sensitive_review_on = forms.DateField(
        label="Indicator review date",
        required=False,
        validators=day_validators(),
        help_text="For example, 2027-03-01",
        input_formats=["%Y-%m-%d"],
    )
    security_incident = forms.BooleanField(
        label="There has been a security incident", required=False
    )
    special_contact_details = forms.CharField(
        label="Special contact details", required=False, max_length=4000, widget=TEXTAREA
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products_services"].choices = [
            (i.code, i.name) for i in contact_policy.products_services()
        ]
        self.fields["follow_up_type"].choices = [
            (c, c.replace("-", " ").capitalize()) for c in contact_policy.follow_up_intray_types()
        ]
        self.fields["sensitive_kind"].choices = [("", "None needed")] + [
            (c, c.replace("-", " ").capitalize())
            for c in contact_policy.after_contact_indicator_kinds()
        ]


class FollowUpForm(RefusalMixin, forms.Form):
    auto_prefix = "follow"
    subject = forms.CharField(label="Subject heading", max_length=120, required=False)
    body = forms.CharField(
        label="What was discussed", max_length=4000, required=False, widget=TEXTAREA
    )
    channel = forms.ChoiceField(label="How")
    next_contact_at = _moment("Next contact")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            (c, c.replace("-", " ").capitalize()) for c in contact_policy.contact_channels()
        ]


class LetterForm(RefusalMixin, forms.Form):
    auto_prefix = "letter"
    letter = forms.ChoiceField(
        label="Letter",
        widget=forms.RadioSelect,
        choices=[
            ("introduction", "UQ140.00 Introduction"),
            ("first-call", "UQ140.01 Confirmation of first call"),
            ("exit", "UQ140.02 Exit"),
        ],
    )
    call_date = forms.DateField(
        label="Date of the first call (UQ140.01)",
        required=False,
        validators=day_validators(),
        input_formats=["%Y-%m-%d"],
        help_text="For example, 2026-12-01",
    )
    agreed_actions = forms.CharField(
        label="What was agreed (UQ140.01)", required=False, max_length=2000, widget=TEXTAREA
    )
    exit_reason = forms.CharField(
        label="Why management is ending (UQ140.02)", required=False, max_length=2000
    )

    def letter_fields(self) -> dict[str, str]:
        data = self.cleaned_data
        found = {
            "call_date": data["call_date"].isoformat() if data.get("call_date") else "",
            "agreed_actions": data.get("agreed_actions", ""),
            "exit_reason": data.get("exit_reason", ""),
        }
        return {k: v for k, v in found.items() if v}


class SkipForm(RefusalMixin, forms.Form):
    auto_prefix = "skip"
    reason = forms.CharField(
        label="Why UQ140.01 would not help", required=False, max_length=2000, widget=TEXTAREA
    )


class OptionForm(RefusalMixin, forms.Form):
    auto_prefix = "option"
    kind = forms.ChoiceField(label="Kind of option", widget=forms.RadioSelect)
    description = forms.CharField(label="The option", required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.code, i.name) for i in contact_policy.option_kinds()]


class FaceToFaceForm(RefusalMixin, forms.Form):
    auto_prefix = "meet"
    reason = forms.CharField(
        label="Why meet in person", required=False, max_length=2000, widget=TEXTAREA
    )
    location_kind = forms.ChoiceField(label="Where", widget=forms.RadioSelect)
    location = forms.CharField(
        label="The location, if not a service centre", required=False, max_length=200
    )
    via_customer_review = forms.BooleanField(
        label="Organised through Customer Review", required=False
    )
    second_person_present = forms.BooleanField(
        label="A second person will be present", required=False
    )
    security_risks = forms.BooleanField(
        label="There are security or customer aggression risks", required=False
    )
    security_risk_notes = forms.CharField(label="The risks", required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = contact_policy.face_to_face_locations()
        self.fields["location_kind"].choices = [(p.code, p.name) for p in places]
        self.fields["location_kind"].initial = contact_policy.default_location()


class BookForm(RefusalMixin, forms.Form):
    auto_prefix = "book"
    meeting_at = _moment("Meeting date and time")


class DecideForm(RefusalMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("yes", "Approve"), ("no", "Do not approve")],
    )
    comment = forms.CharField(label="Comment", required=False, max_length=2000)
