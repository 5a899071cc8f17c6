from django import forms

from . import policy


class ExplanationForm(forms.Form):
    disagreed = forms.BooleanField(required=False, label="The customer disagrees")
    review_option = forms.ChoiceField(
        required=False,
        label="Review option they chose",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    answer = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        label="Their answer",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = [(o.code, o.name) for o in policy.review_options().values()]
        self.fields["review_option"].choices = [("", "None (they agree)"), *options]
