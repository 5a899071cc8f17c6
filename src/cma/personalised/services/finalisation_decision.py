"""The PS Team Leader's decision on a finalisation request (PS-15, PS-16) and the exit
(PS-17). Approval is for one of the policy reasons, each with the conditions it needs;
a transfer to a specialist area has its own (PS-16). Rejection resets every issue to
"confirmed" with the comment and gives the customer back to the case manager. Nobody
decides their own request; two PS Team Leaders deciding at once: the plan's row lock
serialises them and the second finds the request decided."""

from collections.abc import Callable

from django.db.models import Q

from cma.audit.services import as_step, record
from cma.policy.models import BusinessArea
from cma.staff.models import Role, User
from cma.work.models import CustomerLock, Intray
from cma.work.models.intrays import LIVE_STATUSES
from cma.work.routing import recommend
from cma.work.services import lock_customer, transfer_lock, unlock_customer

from .. import policy
from ..models import (
    FinalisationRequest,
    FinalisationState,
    IssueStatus,
    PlanState,
    PsIssue,
    PsIssueEvent,
    PsPlan,
)
from ._common import (
    Problems,
    activity,
    audited,
    check_text,
    now,
    refuse,
    stacking_note,
    text_problem,
)
from .finalisation import escalating_history
from .plans import locked_plan, save_version

COMMENT_MAX = 2000


def _mandatory_addressed(plan: PsPlan, request: FinalisationRequest, given: set[str]) -> Problems:
    open_titles = list(
        plan.issues.filter(mandatory=True)
        .exclude(status=IssueStatus.RESOLVED)
        .values_list("title", flat=True)
    )
    return [("reason", f"PS-15: the mandatory issue {t!r} is not addressed") for t in open_titles]


def _confirmed(code: str) -> Callable[[PsPlan, FinalisationRequest, set[str]], Problems]:
    def check(plan: PsPlan, request: FinalisationRequest, given: set[str]) -> Problems:
        if code in given:
            return []
        name = policy.finalisation_confirmations()[code].name
        return [("confirmations", f"PS-15: confirm that {name[0].lower()}{name[1:]}")]

    return check


def _specialist_open(plan: PsPlan, request: FinalisationRequest, given: set[str]) -> Problems:
    ongoing = Intray.objects.filter(
        customer_id=plan.customer_id,
        status__in=LIVE_STATUSES,
        type__code__in=policy.finalisation_ongoing_intrays(),
    ).exists()
    if ongoing:
        return []
    return [("reason", "PS-15: no specialist process is open for the customer")]


# The condition codes of policy ps-finalisation-reasons, each with its check.
CHECKS: dict[str, Callable[[PsPlan, FinalisationRequest, set[str]], Problems]] = {
    "mandatory-addressed": _mandatory_addressed,
    "options-in-writing": _confirmed("options-in-writing"),
    "timeframe-given": _confirmed("timeframe-given"),
    "no-further-help": _confirmed("no-further-help"),
    "specialist-process-open": _specialist_open,
}


def transfer_problems(plan: PsPlan, area: BusinessArea) -> Problems:
    """PS-16: mandatory issues addressed, the only open work is the area's process, no
    history of escalating decisions."""
    problems = _mandatory_addressed(plan, FinalisationRequest(), set())
    live = Intray.objects.filter(customer_id=plan.customer_id, status__in=LIVE_STATUSES)
    theirs = Q(owner_area=area) | Q(type__routes_to_area=area) | Q(owner_team__business_area=area)
    if not live.filter(theirs).exists():
        problems.append(("transfer_area", f"PS-16: {area.name} has no open process"))
    others = live.exclude(theirs).count()
    if others:
        problems.append(
            (
                "transfer_area",
                f"PS-16: {others} other open intray(s); {area.name}'s must be the only one",
            )
        )
    if escalating_history(plan.customer_id):
        problems.append(
            ("transfer_area", "PS-16: the customer has a history of escalating decisions")
        )
    return problems


def _locked_request(
    request: FinalisationRequest, actor: User, action: str
) -> tuple[PsPlan, FinalisationRequest]:
    plan = locked_plan(request.plan, actor, action=action)
    current = (
        FinalisationRequest.objects.select_for_update(of=("self",))
        .select_related("case_manager", "team_leader")
        .get(pk=request.pk)
    )
    return plan, current


def _exit(plan: PsPlan, current: FinalisationRequest, actor: User) -> dict[str, object]:
    """PS-17: unlock per the CMA, route to the business line, record the transfer."""
    with as_step():
        unlock_customer(
            customer=plan.customer, actor=actor, reason="Finalised in Personalised Services"
        )
    if current.transfer_area is not None:
        area: BusinessArea | None = current.transfer_area
        rule = "ps-16-transfer"
    else:
        advice = recommend(
            customer=plan.customer, issues=[policy.exit_issue_kind()], actor=actor, audit=False
        )[0]
        area = None if advice.resolve_at_point_of_entry else advice.area
        rule = advice.rule
    if area is not None:
        with as_step():
            lock_customer(
                customer=plan.customer,
                actor=actor,
                reason="Transferred out of Personalised Services",
                owner_area=area,
            )
    current.routed_area, current.routed_rule = area, rule
    plan.state = PlanState.CLOSED
    plan.save(update_fields=["state"])
    save_version(plan, actor, "finalised: customer exited Personalised Services")
    where = area.name if area is not None else "the point of entry"
    stacking_note(plan.customer, actor, "Customer transfer", f"Transferred out of PS to {where}.")
    activity(
        customer=plan.customer_id,
        kind="ps-exit",
        actor=actor,
        plan=plan,
        request=current.pk,
        area=area.code if area is not None else "",
        rule=rule,
    )
    return {"routed_area": area.code if area is not None else None, "rule": rule}


def _reject(plan: PsPlan, current: FinalisationRequest, actor: User, comment: str) -> None:
    """PS-15: issues reset to "confirmed" with the comment; back to the case manager."""
    at = now()
    issues = list(plan.issues.all())
    events = []
    for issue in issues:
        events.append(
            PsIssueEvent(
                issue=issue,
                from_status=issue.status,
                to_status=IssueStatus.CONFIRMED,
                comment=comment,
                by=actor,
            )
        )
        issue.status, issue.comment, issue.updated_by, issue.updated_at = (
            IssueStatus.CONFIRMED,
            comment,
            actor,
            at,
        )
    PsIssue.objects.bulk_update(issues, ["status", "comment", "updated_by", "updated_at"])
    PsIssueEvent.objects.bulk_create(events)
    plan.state = PlanState.APPROVED
    plan.save(update_fields=["state"])
    save_version(plan, actor, "finalisation not approved: issues back to confirmed")
    lock = CustomerLock.objects.filter(customer=plan.customer, released_at=None).first()
    with as_step():
        if lock is None:
            lock_customer(
                customer=plan.customer,
                actor=actor,
                reason="PS finalisation not approved: back to the case manager",
                owner_user=plan.case_manager,
            )
        elif lock.owner_user_id != plan.case_manager_id:
            transfer_lock(
                customer=plan.customer,
                actor=actor,
                reason="PS finalisation not approved: back to the case manager",
                owner_user=plan.case_manager,
            )


@audited("personalised.finalisation.decided")
def decide_finalisation(
    *,
    request: FinalisationRequest,
    actor: User,
    approve: bool,
    reason: str = "",
    confirmations: list[str] | None = None,
    comment: str = "",
    transfer_area: BusinessArea | None = None,
) -> FinalisationRequest:
    """The PS Team Leader approves for one of the policy reasons (with its conditions;
    a specialist transfer with PS-16's) and the customer exits (PS-17), or rejects."""
    action = "personalised.finalisation.decided"
    plan, current = _locked_request(request, actor, action)
    given = set(confirmations or [])
    problems: Problems = []
    if actor.role != Role.PS_TEAM_LEADER:
        problems.append((None, "PS-15: a PS Team Leader decides a finalisation request"))
    if actor.pk in (current.requested_by_id, current.case_manager_id):
        problems.append((None, "PS-15: nobody decides their own finalisation request"))
    if current.state != FinalisationState.REQUESTED:
        problems.append(("state", f"this request is {current.get_state_display().lower()}"))
    unknown = sorted(given - set(policy.finalisation_confirmations()))
    if unknown:
        problems.append(("confirmations", f"unknown confirmation(s): {', '.join(unknown)}"))
    problem = text_problem(comment, "comment", max_length=COMMENT_MAX, required=not approve)
    if problem:
        problems.append(("comment", f"record the reasons: {problem}" if not approve else problem))
    reasons = policy.finalisation_reasons()
    found = reasons.get(reason)
    if approve and found is None:
        problems.append(("reason", f"choose one of {', '.join(reasons)}"))
    if approve and found is not None and current.state == FinalisationState.REQUESTED:
        for code in found.extra.get("requires", []):
            problems += CHECKS[code](plan, current, given)
    if approve and transfer_area is not None:
        if transfer_area.code not in policy.specialist_transfer_areas():
            problems.append(("transfer_area", f"{transfer_area.name} is not a specialist area"))
        else:
            problems += transfer_problems(plan, transfer_area)
    if not approve and transfer_area is not None:
        problems.append(("transfer_area", "a transfer is part of an approval"))
    refuse("the finalisation request cannot be decided", problems)
    check_text({"comment": comment}, plan.customer)
    current.state = FinalisationState.APPROVED if approve else FinalisationState.REJECTED
    current.decided_by, current.decided_at = actor, now()
    current.reason = reason if approve else ""
    current.confirmations = sorted(given)
    current.comment = comment.strip()
    current.transfer_area = transfer_area if approve else None
    exited: dict[str, object] = {}
    if approve and found is not None and found.extra.get("exits", True):
        stacking_note(plan.customer, actor, "PS finalisation approved", f"Approved: {found.name}.")
        exited = _exit(plan, current, actor)
    elif approve and found is not None:
        _keep_in_ps(plan, actor, found.name)
    else:
        _reject(plan, current, actor, current.comment)
        stacking_note(
            plan.customer,
            actor,
            "PS finalisation not approved",
            "The PS Team Leader did not approve the finalisation request; see the plan.",
        )
    current.save()
    activity(
        customer=plan.customer_id,
        kind="finalisation-approved" if approve else "finalisation-rejected",
        actor=actor,
        plan=plan,
        request=current.pk,
        reason=current.reason,
    )
    record(
        actor=actor,
        action=action,
        obj=current,
        customer_id=plan.customer_id,
        changes={"state": current.state, "reason": current.reason, **exited},
    )
    return current


def _keep_in_ps(plan: PsPlan, actor: User, name: str) -> None:
    """Approved for segment 3 (policy `exits: false`): PS management goes on as
    reactive management (PS-18) with the case manager; the issues stay resolved."""
    plan.state = PlanState.APPROVED
    plan.save(update_fields=["state"])
    save_version(plan, actor, "finalisation approved: recommended for segment 3")
    stacking_note(plan.customer, actor, "PS finalisation approved", f"Approved: {name}.")
    lock = CustomerLock.objects.filter(customer=plan.customer, released_at=None).first()
    if lock is not None and lock.owner_user_id != plan.case_manager_id:
        with as_step():
            transfer_lock(
                customer=plan.customer,
                actor=actor,
                reason="Recommended for segment 3: reactive management by the case manager",
                owner_user=plan.case_manager,
            )
