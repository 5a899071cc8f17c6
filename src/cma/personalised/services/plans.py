"""The Personalised Services Plan (PS-4, PS-5): created with exactly the five
mandatory issues, all "recorded"; further issues with a classification; statuses
recorded -> confirmed -> resolved with comments; due 21 calendar days after the
referral; approved by its case manager; every version kept."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cma.audit.services import record
from cma.customers import access
from cma.customers.models import Customer, agency_today
from cma.staff.models import Role, User

from .. import policy
from ..errors import PsConflict, PsPermissionDenied
from ..models import (
    IssueStatus,
    PlanState,
    PsIssue,
    PsIssueEvent,
    PsPlan,
    PsPlanVersion,
    Referral,
)
from ._common import Problems, audited, check_text, now, refuse, stacking_note, text_problem

TEXT_MAX = 4000
# The PS-4 fields a case manager edits, with their longest length.
PLAN_FIELDS: dict[str, int] = {
    "stacking_location": 200,
    "main_issue": TEXT_MAX,
    "customer_view": TEXT_MAX,
    "options_provided": TEXT_MAX,
    "agreed_actions": TEXT_MAX,
    "agreed_contact_times": TEXT_MAX,
    "special_contact_details": TEXT_MAX,
}
# What a plan needs before its case manager approves it (PS-4).
REQUIRED_TO_APPROVE: dict[str, str] = {
    "stacking_created_on": "the date the PS stacking document was created",
    "stacking_location": "where the PS stacking document is",
    "referral_source": "the referral source",
    "segment": "the customer segment",
    "main_issue": "the main issue and why the customer was referred",
    # PS-8: after the contact the plan is updated with these, then approved.
    "customer_view": "the customer's view",
    "agreed_actions": "the agreed actions",
    "agreed_contact_times": "the agreed contact times",
}


def due_on_for(referred_on: date) -> date:
    """PS-4: within 21 calendar days of the referral (policy)."""
    return referred_on + timedelta(days=policy.plan_due_days())


def snapshot(plan: PsPlan) -> dict[str, Any]:
    """The plan as one JSON value: its PS-4 fields, issues and options."""
    return {
        "state": plan.state,
        "case_manager": plan.case_manager_id,
        "referred_on": plan.referred_on.isoformat(),
        "due_on": plan.due_on.isoformat(),
        "stacking_document": plan.stacking_document_id,
        "stacking_created_on": (
            plan.stacking_created_on.isoformat() if plan.stacking_created_on else None
        ),
        "referral_source": plan.referral_source,
        "segment": plan.segment,
        **{name: getattr(plan, name) for name in PLAN_FIELDS},
        "issues": [
            {
                "id": i.pk,
                "title": i.title,
                "classification": i.classification,
                "mandatory": i.mandatory,
                "status": i.status,
                "comment": i.comment,
            }
            for i in plan.issues.order_by("position", "pk")
        ],
        "options": [
            {"id": o.pk, "kind": o.kind, "description": o.description, "status": o.status}
            for o in plan.options.order_by("recorded_at", "pk")
        ],
        "letter_skips": [
            {"id": k.pk, "letter": k.letter_code, "approval": k.approval}
            for k in plan.letter_skips.order_by("pk")
        ],
        "approved_by": plan.approved_by_id,
        "approved_at": plan.approved_at.isoformat() if plan.approved_at else None,
    }


def save_version(plan: PsPlan, actor: User, change: str) -> PsPlanVersion:
    """Keep this state of the plan as its next version (PS-4: every version kept)."""
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    plan.version = last + 1
    plan.updated_at = now()
    plan.save(update_fields=["version", "updated_at"])
    return PsPlanVersion.objects.create(
        plan=plan, number=plan.version, snapshot=snapshot(plan), change=change[:120], author=actor
    )


def locked_plan(plan: PsPlan, actor: User, *, action: str) -> PsPlan:
    """Re-read the plan under its row lock, behind the one door for its customer."""
    current = (
        PsPlan.objects.select_for_update(of=("self",))
        .select_related("customer", "case_manager", "referral")
        .get(pk=plan.pk)
    )
    access.admit(actor, current.customer, action=action)
    return current


def _manager_problems(plan: PsPlan, actor: User, verb: str) -> Problems:
    if plan.case_manager_id != actor.pk and actor.role != Role.PS_TEAM_LEADER:
        return [(None, f"only the plan's case manager or a PS Team Leader may {verb} it")]
    return []


def create_plan_for(customer: Customer, actor: User, referral: Referral | None) -> PsPlan:
    """The body of `create_plan` for services already in a transaction (actioning)."""
    problems: Problems = []
    if actor.role not in (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER):
        problems.append((None, "only Personalised Services staff create a plan"))
    if PsPlan.objects.filter(customer=customer).exclude(state=PlanState.CLOSED).exists():
        problems.append((None, "this customer already has an open plan; update it"))
    refuse("the plan cannot be created", problems)
    referred_on = (
        timezone.localtime(referral.referred_at).date() if referral is not None else agency_today()
    )
    plan = PsPlan.objects.create(
        customer=customer,
        referral=referral,
        case_manager=(referral.case_manager if referral and referral.case_manager else actor),
        referred_on=referred_on,
        due_on=due_on_for(referred_on),
        referral_source=referral.source if referral is not None else "",
        created_by=actor,
    )
    issues = [
        PsIssue(
            plan=plan,
            title=m.title,
            classification=m.classification,
            mandatory=True,
            mandatory_code=m.code,
            position=n,
            created_by=actor,
        )
        for n, m in enumerate(policy.mandatory_issues(), start=1)
    ]
    PsIssue.objects.bulk_create(issues)
    PsIssueEvent.objects.bulk_create(
        PsIssueEvent(issue=i, to_status=IssueStatus.RECORDED, by=actor) for i in plan.issues.all()
    )
    plan.version = 0
    save_version(plan, actor, "plan created with the five mandatory issues")
    return plan


@audited("personalised.plan.created")
def create_plan(*, customer: Customer, actor: User, referral: Referral | None = None) -> PsPlan:
    """Create the Personalised Services Plan with exactly the five mandatory issues,
    all "recorded" (PS-5), due 21 calendar days after the referral (PS-4)."""
    access.admit(actor, customer, action="personalised.plan.created")
    plan = create_plan_for(customer, actor, referral)
    record(
        actor=actor,
        action="personalised.plan.created",
        obj=plan,
        customer_id=customer.pk,
        changes={"due_on": plan.due_on.isoformat(), "issues": plan.issues.count()},
    )
    return plan


@audited("personalised.plan.updated")
def update_plan(*, plan: PsPlan, actor: User, **fields: str) -> PsPlan:
    """Change the PS-4 fields. An approved plan goes back to "being completed" and its
    case manager approves it again (PS-8 "update and approve the plan")."""
    current = locked_plan(plan, actor, action="personalised.plan.updated")
    problems = _manager_problems(current, actor, "change")
    if current.state not in (PlanState.DRAFT, PlanState.APPROVED):
        problems.append(("state", f"the plan is {current.get_state_display().lower()}"))
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            problems.append((name, "not a field of the plan"))
            continue
        problem = text_problem(value, name, max_length=PLAN_FIELDS[name], required=False)
        if problem:
            problems.append((name, problem))
    refuse("the plan cannot be changed", problems)
    check_text(dict(fields), current.customer)
    changed = [n for n, v in fields.items() if getattr(current, n) != v.strip()]
    for name in changed:
        setattr(current, name, fields[name].strip())
    if changed and current.state == PlanState.APPROVED:
        current.state, current.approved_by, current.approved_at = PlanState.DRAFT, None, None
        changed += ["state", "approved_by", "approved_at"]
    if changed:
        current.save(update_fields=changed)
        save_version(
            current, actor, "changed " + ", ".join(sorted(set(changed) & set(PLAN_FIELDS)))
        )
    record(
        actor=actor,
        action="personalised.plan.updated",
        obj=current,
        customer_id=current.customer_id,
        changes={"fields": sorted(set(changed) & set(PLAN_FIELDS)), "version": current.version},
    )
    return current


@audited("personalised.plan.issue-added")
def add_issue(
    *, plan: PsPlan, actor: User, title: str, classification: str, comment: str = ""
) -> PsIssue:
    """A further issue with its classification (PS-5), "recorded"."""
    current = locked_plan(plan, actor, action="personalised.plan.issue-added")
    problems = _manager_problems(current, actor, "change")
    if current.state not in (PlanState.DRAFT, PlanState.APPROVED):
        problems.append(("state", f"the plan is {current.get_state_display().lower()}"))
    problem = text_problem(title, "title", max_length=120, required=True)
    if problem:
        problems.append(("title", problem))
    if classification not in policy.classifications():
        known = ", ".join(policy.classifications())
        problems.append(
            ("classification", f"unknown classification {classification!r}; one of {known}")
        )
    problem = text_problem(comment, "comment", max_length=TEXT_MAX, required=False)
    if problem:
        problems.append(("comment", problem))
    refuse("the issue cannot be added", problems)
    check_text({"title": title, "comment": comment}, current.customer)
    last = current.issues.order_by("-position").values_list("position", flat=True).first() or 0
    issue = PsIssue.objects.create(
        plan=current,
        title=title.strip(),
        classification=classification,
        comment=comment.strip(),
        position=last + 1,
        created_by=actor,
    )
    PsIssueEvent.objects.create(
        issue=issue, to_status=IssueStatus.RECORDED, comment=issue.comment, by=actor
    )
    _unapprove(current)
    save_version(current, actor, f"issue added: {issue.title}")
    record(
        actor=actor,
        action="personalised.plan.issue-added",
        obj=issue,
        customer_id=current.customer_id,
        changes={"plan": current.pk, "classification": classification},
    )
    return issue


def _unapprove(plan: PsPlan) -> None:
    if plan.state == PlanState.APPROVED:
        plan.state, plan.approved_by, plan.approved_at = PlanState.DRAFT, None, None
        plan.save(update_fields=["state", "approved_by", "approved_at"])


def issue_status_problems(issue: PsIssue, status: str) -> Problems:
    """recorded -> confirmed -> resolved, as policy allows; no recorded -> resolved."""
    allowed = policy.issue_transitions().get(issue.status, [])
    if status not in IssueStatus.values:
        return [("status", f"unknown status {status!r}")]
    if status not in allowed:
        moves = " or ".join(allowed) or "nothing"
        return [("status", f"PS-5: a {issue.status} issue moves to {moves}, not {status}")]
    return []


def move_issue(issue: PsIssue, actor: User, status: str, comment: str = "") -> str:
    """Write one checked status change of an issue with its event; returns the status
    it had. The one writer of issue statuses (the plan page, first contact)."""
    before = issue.status
    issue.status = status
    issue.comment = comment.strip() or issue.comment
    issue.updated_by, issue.updated_at = actor, now()
    issue.save(update_fields=["status", "comment", "updated_by", "updated_at"])
    PsIssueEvent.objects.create(
        issue=issue, from_status=before, to_status=status, comment=comment.strip(), by=actor
    )
    return before


@audited("personalised.plan.issue-status")
def change_issue_status(*, issue: PsIssue, actor: User, status: str, comment: str = "") -> PsIssue:
    """recorded -> confirmed (after discussing it with the customer) -> resolved, with
    a comment; there is no recorded -> resolved jump (PS-5, policy)."""
    plan = locked_plan(issue.plan, actor, action="personalised.plan.issue-status")
    current = PsIssue.objects.select_for_update().get(pk=issue.pk)
    problems = _manager_problems(plan, actor, "change")
    if plan.state not in (PlanState.DRAFT, PlanState.APPROVED):
        problems.append(("state", f"the plan is {plan.get_state_display().lower()}"))
    problems += issue_status_problems(current, status)
    problem = text_problem(comment, "comment", max_length=TEXT_MAX, required=False)
    if problem:
        problems.append(("comment", problem))
    refuse("the issue status cannot change", problems)
    check_text({"comment": comment}, plan.customer)
    before = move_issue(current, actor, status, comment)
    _unapprove(plan)
    save_version(plan, actor, f"{current.title}: {before} -> {status}")
    record(
        actor=actor,
        action="personalised.plan.issue-status",
        obj=current,
        customer_id=plan.customer_id,
        changes={"plan": plan.pk, "from": before, "to": status},
    )
    return current


def approval_problems(plan: PsPlan, pending: Mapping[str, Any] | None = None) -> Problems:
    """Every condition an approval needs that the plan does not meet (PS-4, PS-5, PS-6,
    PS-8): the five mandatory issues, the PS-4 fields with the customer's view, agreed
    actions and contact times, no segment awaiting the PS Team Leader. `pending` holds
    values the caller is about to set (a blank one keeps the plan's own)."""
    given = {k: v for k, v in (pending or {}).items() if v not in (None, "")}
    problems: Problems = []
    codes = set(plan.issues.filter(mandatory=True).values_list("mandatory_code", flat=True))
    for m in policy.mandatory_issues():
        if m.code not in codes:
            problems.append(("issues", f"PS-5: the mandatory issue {m.title!r} is missing"))
    for name, label in REQUIRED_TO_APPROVE.items():
        value = given.get(name, getattr(plan, name))
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append((name, f"PS-4: record {label}"))
    if plan.segment_decisions.filter(approval="pending").exists():
        problems.append(("segment", "PS-6: the segment awaits the PS Team Leader's approval"))
    return problems


def approve(plan: PsPlan, actor: User, change: str) -> PsPlanVersion:
    """The one approval write, once every problem is known to be none: the plan
    approved, kept as a version, noted in the PS stacking document."""
    at = now()
    plan.state, plan.approved_by, plan.approved_at = PlanState.APPROVED, actor, at
    plan.completed_at = plan.completed_at or at
    plan.save(update_fields=["state", "approved_by", "approved_at", "completed_at"])
    version = save_version(plan, actor, change)
    stacking_note(
        plan.customer, actor, "PS plan approved", f"Plan version {plan.version} approved."
    )
    return version


@audited("personalised.plan.approved")
def approve_plan(*, plan: PsPlan, actor: User) -> PsPlan:
    """The case manager approves the completed plan (PS-4)."""
    current = locked_plan(plan, actor, action="personalised.plan.approved")
    problems: Problems = []
    if current.case_manager_id != actor.pk:
        problems.append((None, "PS-4: the plan is approved by its case manager"))
    if current.state != PlanState.DRAFT:
        problems.append(("state", f"the plan is {current.get_state_display().lower()}"))
    problems += approval_problems(current)
    refuse("the plan cannot be approved", problems)
    approve(current, actor, "approved by the case manager")
    record(
        actor=actor,
        action="personalised.plan.approved",
        obj=current,
        customer_id=current.customer_id,
        changes={"version": current.version, "on_time": agency_today() <= current.due_on},
    )
    return current


def require_ps(actor: User) -> None:
    if actor.role not in (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER):
        raise PsPermissionDenied("only Personalised Services staff work with PS plans")


__all__ = [
    "PsConflict",
    "add_issue",
    "approve_plan",
    "change_issue_status",
    "create_plan",
    "update_plan",
]
