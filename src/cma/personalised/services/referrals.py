"""Referrals to Personalised Services (PS-1): one of the four referral intrays, its
service level giving the due date; an urgent referral records that the referring Team
Leader contacted the PS Team Leader first, or it is refused with that reason."""

from cma.audit.services import as_step, record
from cma.customers import access
from cma.customers.models import Case, Customer
from cma.policy.services import intray_type
from cma.staff.models import LEADER_ROLES, Role, User, role_labels
from cma.work.services import create_intray

from .. import policy
from ..models import Referral
from ._common import Problems, activity, audited, check_text, now, refuse, text_problem

REASON_MAX = 2000


def _problems(
    *,
    actor: User,
    customer: Customer,
    kind: str,
    source: str,
    reason: str,
    urgent: bool,
    tl_contacted_ps_tl: bool,
    contacted_ps_team_leader: User | None,
    associated_customer: Customer | None,
    case: Case | None,
) -> Problems:
    problems: Problems = []
    kinds = policy.referral_types()
    spec = kinds.get(kind)
    if spec is None:
        problems.append(("kind", f"unknown referral type {kind!r}; one of {', '.join(kinds)}"))
    elif spec.get("from_reallocation"):
        name = intray_type(kind).name
        problems.append(
            ("kind", f"PS-3: a {name!r} referral is raised when a PS Team Leader reallocates")
        )
    else:
        itype = intray_type(kind)
        if not itype.may_be_created_by(actor.role):
            problems.append(
                (
                    "kind",
                    f"only a {role_labels(itype.created_by_roles)} may make a "
                    f"{itype.name!r} referral",
                )
            )
    if source not in policy.referral_sources():
        problems.append(("source", f"unknown referral source {source!r}"))
    problem = text_problem(reason, "reason", max_length=REASON_MAX, required=True)
    if problem:
        problems.append(("reason", f"give the reason for the referral: {problem}"))
    if urgent:
        if not tl_contacted_ps_tl:
            problems.append(
                (
                    "tl_contacted_ps_tl",
                    "PS-1: an urgent referral is made by a Team Leader who contacted the "
                    "PS Team Leader first; record that contact",
                )
            )
        if actor.role not in LEADER_ROLES:
            problems.append(("urgent", "PS-1: urgent referrals are made by a Team Leader"))
    if contacted_ps_team_leader is not None and (
        contacted_ps_team_leader.role != Role.PS_TEAM_LEADER
    ):
        problems.append(("contacted_ps_team_leader_id", "that person is not a PS Team Leader"))
    if tl_contacted_ps_tl and contacted_ps_team_leader is None:
        problems.append(("contacted_ps_team_leader_id", "name the PS Team Leader contacted"))
    if associated_customer is not None and associated_customer.pk == customer.pk:
        problems.append(("associated_customer_id", "the associated customer is another person"))
    if case is not None and customer.pk not in (case.payer_id, case.payee_id):
        problems.append(("case_id", "that case does not belong to this customer"))
    if (
        case is not None
        and associated_customer is not None
        and associated_customer.pk not in (case.payer_id, case.payee_id)
    ):
        problems.append(("associated_customer_id", "the associated customer is not on that case"))
    return problems


@audited("personalised.referral.created")
def create_referral(
    *,
    customer: Customer,
    actor: User,
    kind: str,
    source: str,
    reason: str,
    urgent: bool = False,
    tl_contacted_ps_tl: bool = False,
    contacted_ps_team_leader: User | None = None,
    associated_customer: Customer | None = None,
    associated_contact_required: bool = False,
    case: Case | None = None,
) -> Referral:
    """Refer `customer` to Personalised Services with one of the referral intrays
    (PS-1). The intray goes to the Personalised Services business area, due by the
    type's service level; the referral is due the same day (PS-2)."""
    access.admit(actor, customer, action="personalised.referral.created")
    if associated_customer is not None:
        access.admit(actor, associated_customer, action="personalised.referral.created")
    problems = _problems(
        actor=actor,
        customer=customer,
        kind=kind,
        source=source,
        reason=reason,
        urgent=urgent,
        tl_contacted_ps_tl=tl_contacted_ps_tl,
        contacted_ps_team_leader=contacted_ps_team_leader,
        associated_customer=associated_customer,
        case=case,
    )
    if Referral.objects.filter(
        primary_customer=customer, state__in=["received", "actioning"]
    ).exists():
        problems.append((None, "this customer already has a PS referral being actioned"))
    refuse("the referral cannot be made", problems)
    reason = reason.strip()
    check_text({"reason": reason}, customer, case)
    with as_step():
        intray = create_intray(
            customer=customer, type_code=kind, actor=actor, case=case, note=reason
        )
    at = now()
    referral = Referral.objects.create(
        kind=kind,
        intray=intray,
        source=source,
        reason=reason,
        urgent=urgent,
        tl_contacted_ps_tl=tl_contacted_ps_tl,
        referring_team_leader=actor if tl_contacted_ps_tl else None,
        contacted_ps_team_leader=contacted_ps_team_leader,
        tl_contacted_at=at if tl_contacted_ps_tl else None,
        primary_customer=customer,
        associated_customer=associated_customer,
        associated_contact_required=associated_contact_required or associated_customer is not None,
        case=case,
        referred_by=actor,
        referred_at=at,
        due_on=intray.due_on,
    )
    activity(
        customer=customer,
        kind="referral-received",
        actor=actor,
        referral=referral,
        source=source,
        type=kind,
        urgent=urgent,
    )
    record(
        actor=actor,
        action="personalised.referral.created",
        obj=referral,
        customer_id=customer.pk,
        changes={
            "kind": kind,
            "source": source,
            "urgent": urgent,
            "intray": intray.pk,
            "due_on": intray.due_on.isoformat(),
            "associated": associated_customer.pk if associated_customer else None,
        },
    )
    return referral
