from django import forms


class CustomerSearchForm(forms.Form):
    query = forms.CharField(
        label="Name, customer reference or case number",
        max_length=100,
        strip=True,
        # No autofocus: it would carry keyboard and screen-reader users past the skip link
        # and the page heading straight into the form.
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
