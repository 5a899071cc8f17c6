from django import forms


class CustomerSearchForm(forms.Form):
    query = forms.CharField(
        label="Name, customer reference, case number, phone number or call receipt",
        help_text="Add a date of birth to a name to narrow it down, e.g. Smith 3/4/1985",
        max_length=100,
        strip=True,
        # No autofocus: it would carry keyboard and screen-reader users past the skip link
        # and the page heading straight into the form.
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
