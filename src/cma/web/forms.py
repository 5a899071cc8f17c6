from django import forms


class CustomerSearchForm(forms.Form):
    query = forms.CharField(
        label="Name, customer reference or case number",
        max_length=100,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
