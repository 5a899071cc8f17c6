from django import forms

from cma.inputs import day_validators

DATE = forms.DateInput(attrs={"type": "date"})


class TrailForm(forms.Form):
    customer = forms.CharField(
        label="Customer",
        required=False,
        max_length=20,
        help_text="Customer reference number (9 digits and a letter) or customer number",
    )
    actor = forms.CharField(label="Staff member's username", required=False, max_length=150)
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=100,
        help_text="An action code or its start, for example customers. or work.customer.locked",
    )
    start = forms.DateField(label="From", required=False, validators=day_validators(), widget=DATE)
    end = forms.DateField(label="To", required=False, validators=day_validators(), widget=DATE)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
