"""The collection rules held as policy data (policy/data/collection.yaml), read typed.
Who is exempt from Minimum Collection Activity is business-area data: an officer whose
team's area is an enabling area (`BusinessArea.cma_applies`)."""

import re
from dataclasses import dataclass

from cma.contact import policy as contact_policy
from cma.policy.models import BusinessArea
from cma.policy.services import parameter

from .errors import UnknownOrganisation


@dataclass(frozen=True)
class LeadKind:
    code: str
    name: str
    area: str
    name_label: str
    identifier_label: str
    identifier_pattern: str
    needs_country: bool = False
    identifier_required: bool = False

    def identifier_ok(self, value: str) -> bool:
        return re.fullmatch(self.identifier_pattern, value) is not None


def lead_kinds() -> dict[str, LeadKind]:
    return {k["code"]: LeadKind(**k) for k in parameter("payee-lead-kinds")}


def lead_area(kind: LeadKind) -> BusinessArea:
    return BusinessArea.objects.get(code=kind.area, active=True)


def mca_follow_up_type() -> str:
    return str(parameter("mca-follow-up-intray-type"))


def issue_intray_type(kind: str) -> str:
    types = parameter("issue-intray-types")
    return str(types.get(kind) or types["default"])


def lead_intray_type() -> str:
    return str(parameter("payee-lead-intray-type"))


def external_issue_label() -> str:
    return str(parameter("external-referral-issue"))


def organisations() -> dict[str, contact_policy.Organisation]:
    """The service-referral catalogue: contact's external organisations (public number,
    what they help with, eligibility), one catalogue for transfers and referrals."""
    return contact_policy.organisations()


def organisation(code: str) -> contact_policy.Organisation:
    found = organisations().get(code) if isinstance(code, str) else None
    if found is None:
        raise UnknownOrganisation(
            f"unknown organisation {code!r}: choose one of the service-referral catalogue",
            field="organisation",
        )
    return found
