"""Refusals of the privacy guard. Messages and details never carry personal
information: each offending span is named by position and kind, not by its text."""

from cma.errors import ValidationFailed


class PersonalInformationFound(ValidationFailed):
    """DOC-3: free text holds personal information the record may not carry."""

    code = "personal-information"


class ProtectedDetailsFound(PersonalInformationFound):
    """DOC-6: text about the other party holds a protected detail of an at-risk
    customer (their street, locality, postcode, phone number)."""

    code = "separating-safely"
