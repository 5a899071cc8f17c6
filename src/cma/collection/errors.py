"""The collection app's broken rules, each with a stable code."""

from cma.errors import Conflict, NotFound, PermissionDenied, Unmet, ValidationFailed


class McaRefused(Unmet):
    code = "mca-refused"


class NotPartyToCase(ValidationFailed):
    """An outcome or a lead for a case the interaction's customer is not party to."""

    code = "not-party-to-case"


class UnknownIssueKind(ValidationFailed):
    code = "unknown-issue-kind"


class UnknownOrganisation(ValidationFailed):
    code = "unknown-organisation"


class IssueRefused(Unmet):
    code = "issue-refused"


class IssueRaisedAlready(Conflict):
    code = "issue-raised-already"


class LeadRefused(Unmet):
    code = "lead-refused"


class PayeeUpdateRefused(Unmet):
    code = "payee-update-refused"


class FiguresRefused(ValidationFailed):
    code = "figures-refused"


class NoSuchCollectionRecord(NotFound):
    code = "no-such-collection-record"


class FiguresForbidden(PermissionDenied):
    code = "figures-forbidden"
