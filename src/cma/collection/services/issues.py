"""Presenting issues (CMA-3, CMA-4, CMA-8, seed 000 "Managing multiple issues"): each
issue a customer raises in an interaction is recorded. A common activity is resolved in
the interaction by whoever took it (CMA-3); a specialised one is routed where the
referral guidelines advise (CMA-8, `work.routing`, exceptions and the PS mandate
included) with an intray in the same transaction; a non-child-support issue gets a
service referral to a catalogue organisation, with the customer's consent."""

from typing import Any

from cma.audit.services import as_step, record
from cma.contact.models import Interaction
from cma.customers.models import Case
from cma.policy.models import ActivityKind, BusinessArea, ReferralIssueKind
from cma.privacy.checks import check_free_text
from cma.staff.models import Team, User
from cma.work.routing import Advice, recommend
from cma.work.services import create_intray

from .. import policy
from ..errors import IssueRaisedAlready, IssueRefused, UnknownIssueKind
from ..models import IssueActivity, IssueStatus, PresentingIssue
from ._common import audited, case_of, on_call

RAISED = "collection.issue.raised"
REFERRED = "collection.issue.referred"
MAX_NOTE = 300


def _note(value: Any) -> str:
    note = value.strip() if isinstance(value, str) else ""
    if len(note) > MAX_NOTE:
        raise IssueRefused.from_problems(
            "the issue cannot be recorded", [("note", f"at most {MAX_NOTE} characters")]
        )
    return note


def _kind(code: Any) -> ReferralIssueKind:
    found = (
        ReferralIssueKind.objects.select_related("area").filter(code=code, active=True).first()
        if isinstance(code, str) and code
        else None
    )
    if found is None:
        raise UnknownIssueKind(
            f"CMA-8: {code!r} is not an issue kind of the referral guidelines", field="kind"
        )
    return found


def _owner(advice: Advice) -> dict[str, Any]:
    """The advised owner as create_intray's arguments ("user:3", "team:2", "area:5")."""
    what, _, pk = advice.owner_key.partition(":")
    if what == "user":
        return {"owner_user": User.objects.select_related("team").get(pk=int(pk))}
    if what == "team":
        return {"owner_team": Team.objects.get(pk=int(pk))}
    return {"owner_area": BusinessArea.objects.get(pk=int(pk))}


def _case(interaction: Interaction, case_id: Any) -> Case | None:
    return None if case_id is None else case_of(interaction.customer, case_id)


@audited(RAISED)
def raise_issue(
    *,
    interaction: Interaction,
    actor: User,
    kind: str,
    case_id: int | None = None,
    note: str = "",
) -> PresentingIssue:
    """Record an issue the customer raised and settle it as the guidelines say: resolved
    now at the point of entry, or routed with an intray to the advised owner."""
    interaction = on_call(interaction, actor, action=RAISED)
    issue_kind = _kind(kind)
    case = _case(interaction, case_id)
    note = _note(note)
    if PresentingIssue.objects.filter(interaction=interaction, kind=issue_kind.code).exists():
        raise IssueRaisedAlready(
            f"{issue_kind.name} is already recorded on this call", field="kind"
        )
    check_free_text({"note": note}, customer=interaction.customer, case=case)
    (advice,) = recommend(
        customer=interaction.customer, issues=[issue_kind.code], actor=actor, audit=False
    )
    issue = PresentingIssue(
        interaction=interaction,
        customer=interaction.customer,
        officer=actor,
        case=case,
        kind=issue_kind.code,
        kind_name=issue_kind.name,
        activity=(
            IssueActivity.COMMON
            if issue_kind.activity == ActivityKind.COMMON
            else IssueActivity.SPECIALISED
        ),
        rule=advice.rule,
        reason=advice.reason,
        note=note,
    )
    if advice.resolve_at_point_of_entry:
        issue.status = IssueStatus.RESOLVED
    else:
        issue.status = IssueStatus.ROUTED
        issue.owner_key, issue.owner_label = advice.owner_key, advice.owner_label
        with as_step():
            issue.intray = create_intray(
                customer=interaction.customer,
                type_code=policy.issue_intray_type(issue_kind.code),
                actor=actor,
                case=case,
                note=f"{issue_kind.name}: raised on call {interaction.receipt}. {advice.reason}",
                by_system=True,
                **_owner(advice),
            )
    issue.save()
    record(
        actor=actor,
        action=RAISED,
        obj=issue,
        customer_id=interaction.customer_id,
        changes={
            "interaction": interaction.pk,
            "kind": issue.kind,
            "status": issue.status,
            "rule": issue.rule,
            "owner": issue.owner_key or "point-of-entry",
            "intray": issue.intray_id,
            "case": case.pk if case else None,
        },
    )
    return issue


@audited(REFERRED)
def refer_externally(
    *,
    interaction: Interaction,
    actor: User,
    organisation: str,
    consent: bool,
    note: str = "",
) -> PresentingIssue:
    """A non-child-support issue: a service referral to a catalogue organisation (its
    public number, what it helps with), recorded only with the customer's consent."""
    interaction = on_call(interaction, actor, action=REFERRED)
    found = policy.organisation(organisation)  # unknown: refused, naming the field
    note = _note(note)
    if consent is not True:
        raise IssueRefused.from_problems(
            "the referral cannot be recorded",
            [("consent", "CMA-4: record that the customer consents to the referral first")],
        )
    if PresentingIssue.objects.filter(interaction=interaction, organisation=found.code).exists():
        raise IssueRaisedAlready(
            f"a referral to {found.name} is already recorded on this call", field="organisation"
        )
    check_free_text({"note": note}, customer=interaction.customer)
    issue = PresentingIssue.objects.create(
        interaction=interaction,
        customer=interaction.customer,
        officer=actor,
        kind="",
        kind_name=policy.external_issue_label(),
        activity=IssueActivity.EXTERNAL,
        status=IssueStatus.REFERRED,
        owner_label=f"{found.name} ({found.phone})",
        reason=found.helps_with,
        organisation=found.code,
        consent=True,
        note=note,
    )
    record(
        actor=actor,
        action=REFERRED,
        obj=issue,
        customer_id=interaction.customer_id,
        changes={"interaction": interaction.pk, "organisation": found.code, "consent": True},
    )
    return issue
