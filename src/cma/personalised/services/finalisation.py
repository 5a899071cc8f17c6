"""Finalisation readiness (PS-13) and the case manager's finalisation request (PS-14).

Readiness lists every unmet precondition at once, as (field, message) problems:

- CMA activities done: the customer's most recent interaction has its Minimum
  Collection Activity recorded (an MCA record, or the reason it was not done). A
  customer with no interaction has nothing to check.
- PS issues finalised where possible: no issue still "recorded".
- All plan actions complete: no option still "offered", and the plan approved.
- No open intrays except the ongoing specialised types (policy).
- Ministerial or Ombudsman responses received and understood: confirmed on the
  request when the referral source is one of policy ps-finalisation-response-sources.
- Decisions notified: no decision about the customer in a policy "not yet notified"
  state.
- Feedback given: recorded on the request.
- Customer told of the exit by phone (confirmed on the request), or UQ140.02 issued at
  least the policy number of days before the request.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q

from cma.audit.services import as_step, record
from cma.collection.models import McaNotDone, McaRecord
from cma.contact.models import Interaction
from cma.decisions.models import Decision
from cma.letters.models import Letter
from cma.notes.services.stacking import add_notepad
from cma.staff.models import Role, User
from cma.work.models import CustomerLock, Intray
from cma.work.models.intrays import LIVE_STATUSES
from cma.work.services import transfer_lock

from .. import contact_policy, policy
from ..models import (
    ExitAdvice,
    FinalisationRequest,
    FinalisationState,
    IssueStatus,
    OptionStatus,
    PlanState,
    PsPlan,
)
from ._common import (
    Problems,
    activity,
    audited,
    check_text,
    now,
    ps_stacking_document,
    refuse,
    text_problem,
)
from .plans import change_issue_status, locked_plan, save_version

MANDATORY_MAX = 4000
FEEDBACK_MAX = 2000
MACRO = "ps-finalisation"


@dataclass
class Readiness:
    """PS-13: `problems` are unmet preconditions; `to_confirm` what the case manager
    confirms on the request itself."""

    problems: Problems = field(default_factory=list)
    to_confirm: list[str] = field(default_factory=list)
    exit_letter: Letter | None = None
    exit_letter_ready_on: Any = None

    @property
    def ready(self) -> bool:
        return not self.problems


def exit_letter_for(plan: PsPlan, code: str | None = None) -> Letter | None:
    code = code or contact_policy.letter_code("exit")
    return (
        Letter.objects.filter(
            customer_id=plan.customer_id, template_code=code, issued_at__gte=plan.created_at
        )
        .order_by("-issued_at")
        .first()
    )


def _mca_problems(plan: PsPlan) -> Problems:
    latest = (
        Interaction.objects.filter(customer_id=plan.customer_id)
        .annotate(
            mca=Exists(McaRecord.objects.filter(interaction_id=OuterRef("pk"))),
            not_done=Exists(McaNotDone.objects.filter(interaction_id=OuterRef("pk"))),
        )
        .order_by("-started_at", "-pk")
        .values_list("mca", "not_done")
        .first()
    )
    if latest is None or any(latest):
        return []
    return [
        (
            "cma",
            "PS-13: record the Minimum Collection Activity of the customer's latest contact",
        )
    ]


def _plan_problems(plan: PsPlan) -> Problems:
    problems: Problems = []
    if plan.state != PlanState.APPROVED:
        problems.append(("plan", f"PS-13: the plan is {plan.get_state_display().lower()}"))
    recorded = list(plan.issues.filter(status=IssueStatus.RECORDED).values_list("title", flat=True))
    for title in recorded:
        problems.append(("issues", f"PS-13: the issue {title!r} is still recorded; confirm it"))
    open_options = plan.options.filter(status=OptionStatus.OFFERED).count()
    if open_options:
        problems.append(
            ("options", f"PS-13: {open_options} option(s) in the plan are still open (offered)")
        )
    return problems


def _intray_problems(plan: PsPlan, ongoing: frozenset[str]) -> Problems:
    names = list(
        Intray.objects.filter(customer_id=plan.customer_id, status__in=LIVE_STATUSES)
        .exclude(type__code__in=ongoing)
        .values_list("type__name", flat=True)[:20]
    )
    return [("intrays", f"PS-13: an open {name} intray must be completed first") for name in names]


def _decision_problems(plan: PsPlan, states: tuple[str, ...]) -> Problems:
    count = (
        Decision.objects.filter(parties__customer_id=plan.customer_id, state__in=states)
        .distinct()
        .count()
    )
    if count:
        return [("decisions", f"PS-13: {count} decision(s) on the customer not yet notified")]
    return []


def readiness(
    plan: PsPlan,
    *,
    exit_advice: str | None = None,
    responses_understood: bool | None = None,
    feedback: str | None = None,
) -> Readiness:
    """Every PS-13 precondition the plan does not meet. With the request's answers
    (`exit_advice`, `responses_understood`, `feedback`) the confirmations are checked
    too; without them they are listed in `to_confirm`."""
    rules = policy.finalisation_rules()
    found = Readiness()
    problems = found.problems
    problems += _mca_problems(plan)
    problems += _plan_problems(plan)
    problems += _intray_problems(plan, rules.ongoing_intrays)
    problems += _decision_problems(plan, rules.open_decision_states)
    asking = exit_advice is not None
    if plan.referral_source in rules.response_sources:
        label = "the Ministerial or Ombudsman response was received and understood"
        if not asking:
            found.to_confirm.append(f"Confirm {label}")
        elif not responses_understood:
            problems.append(("responses_understood", f"PS-13: confirm {label}"))
    if not asking:
        found.to_confirm.append("Record the feedback given")
    elif not (feedback or "").strip():
        problems.append(("feedback", "PS-13: record the feedback given"))
    code, days = rules.exit_letter, rules.exit_letter_days
    letter = exit_letter_for(plan, code)
    found.exit_letter = letter
    if letter is not None:
        found.exit_letter_ready_on = (letter.issued_at + timedelta(days=days)).date()
    if not asking:
        found.to_confirm.append(
            f"Tell the customer of the exit by phone, or issue {code} and allow {days} days"
        )
    elif exit_advice == ExitAdvice.EXIT_LETTER:
        if letter is None:
            problems.append(("exit_advice", f"PS-13: {code} has not been issued"))
        elif letter.issued_at + timedelta(days=days) > now():
            problems.append(
                (
                    "exit_advice",
                    f"PS-13: {code} was issued less than {days} days ago; "
                    f"request on or after {found.exit_letter_ready_on.isoformat()}",
                )
            )
    elif exit_advice != ExitAdvice.BY_PHONE:
        problems.append(("exit_advice", "choose by-phone or exit-letter"))
    return found


def team_leader_of(plan: PsPlan) -> User | None:
    manager = plan.case_manager
    team = manager.team if manager.team_id else None
    leader = team.leader if team is not None and team.leader_id else None
    if leader is None or leader.role != Role.PS_TEAM_LEADER or not leader.is_active:
        return None
    return leader


def open_request(plan: PsPlan) -> FinalisationRequest | None:
    return (
        FinalisationRequest.objects.filter(plan=plan, state=FinalisationState.REQUESTED)
        .select_related("case_manager", "team_leader", "requested_by")
        .first()
    )


@audited("personalised.finalisation.requested")
def request_finalisation(
    *,
    plan: PsPlan,
    actor: User,
    basis: str,
    mandatory_issues: str,
    exit_advice: str,
    feedback: str,
    responses_understood: bool = False,
) -> FinalisationRequest:
    """PS-14: refused listing every unmet PS-13 condition; otherwise, at once: every
    issue resolved, the finalisation document recorded with the PS macro in the PS
    stacking document, the lock transferred to the PS Team Leader, the activity record
    updated and the plan in "finalisation"."""
    action = "personalised.finalisation.requested"
    current = locked_plan(plan, actor, action=action)
    problems: Problems = []
    if current.case_manager_id != actor.pk:
        problems.append((None, "PS-14: the plan's case manager requests finalisation"))
    if basis not in policy.finalisation_reasons():
        known = ", ".join(policy.finalisation_reasons())
        problems.append(("basis", f"choose one of {known}"))
    for name, value, limit in (
        ("mandatory_issues", mandatory_issues, MANDATORY_MAX),
        ("feedback", feedback, FEEDBACK_MAX),
    ):
        problem = text_problem(value, name, max_length=limit, required=name != "feedback")
        if problem:
            problems.append((name, problem))
    found = readiness(
        current,
        exit_advice=exit_advice,
        responses_understood=responses_understood,
        feedback=feedback,
    )
    problems += found.problems
    leader = team_leader_of(current)
    if leader is None:
        problems.append((None, "the case manager's team has no active PS Team Leader"))
    if ps_stacking_document(current.customer) is None:
        problems.append(("stacking_document", "the customer has no PS stacking document"))
    refuse("finalisation cannot be requested", problems)
    assert leader is not None
    check_text({"mandatory_issues": mandatory_issues, "feedback": feedback}, current.customer)
    resolved = []
    # Resolving an issue un-approves the plan; the plan keeps its approval through
    # finalisation, so a rejection returns it approved (PS-15).
    approved_by, approved_at = current.approved_by, current.approved_at
    with as_step():
        for issue in current.issues.exclude(status=IssueStatus.RESOLVED):
            change_issue_status(
                issue=issue,
                actor=actor,
                status=IssueStatus.RESOLVED,
                comment="Resolved for the finalisation request (PS-14).",
            )
            resolved.append(issue.pk)
    document = ps_stacking_document(current.customer)
    assert document is not None
    with as_step():
        entry = add_notepad(
            document=document,
            actor=actor,
            subject="PS finalisation request",
            body="",
            macro_code=MACRO,
            macro_fields={
                "basis": basis,
                "mandatory_issues": mandatory_issues,
                "plan_actions_complete": "yes",
                "exit_advice": exit_advice,
                "feedback": feedback,
            },
        )
    lock = CustomerLock.objects.filter(customer=current.customer, released_at=None).first()
    if lock is None or lock.owner_user_id != leader.pk:
        with as_step():
            transfer_lock(
                customer=current.customer,
                actor=actor,
                reason="PS finalisation requested: with the PS Team Leader",
                owner_user=leader,
            )
    current.refresh_from_db()
    current.state = PlanState.FINALISATION
    current.approved_by, current.approved_at = approved_by, approved_at
    current.save(update_fields=["state", "approved_by", "approved_at"])
    save_version(current, actor, "finalisation requested")
    request = FinalisationRequest.objects.create(
        plan=current,
        customer=current.customer,
        case_manager=current.case_manager,
        team_leader=leader,
        basis=basis,
        exit_advice=exit_advice,
        exit_letter=found.exit_letter if exit_advice == ExitAdvice.EXIT_LETTER else None,
        responses_understood=bool(responses_understood),
        feedback=feedback.strip(),
        document_id=entry.note_id,
        requested_by=actor,
    )
    activity(
        customer=current.customer_id,
        kind="finalisation-requested",
        actor=actor,
        plan=current,
        request=request.pk,
        basis=basis,
        team_leader=leader.pk,
    )
    record(
        actor=actor,
        action=action,
        obj=request,
        customer_id=current.customer_id,
        changes={
            "plan": current.pk,
            "basis": basis,
            "resolved": resolved,
            "team_leader": leader.pk,
            "exit_advice": exit_advice,
        },
    )
    return request


def escalating_history(customer_id: int) -> bool:
    """PS-16: a decision of an escalating kind (policy), or one the customer disagreed
    with."""
    return Decision.objects.filter(
        Q(kind__in=policy.escalating_decision_kinds())
        | Q(parties__customer_id=customer_id, parties__disagreed=True),
        parties__customer_id=customer_id,
    ).exists()
