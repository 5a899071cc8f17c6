"""What a contact-attempt plan still owes (CON-1..CON-4), derived from its attempts.

Pure: no queries. The caller loads the plan with its customer's phones, its attempts
and its letter, plus the policy values (`policy.attempt_rules()`), the purpose and
whether the customer is callable now (`needs.callable_now`), and passes them in.

1. The first call (CON-1) on every number, by NRS or TTY for a relay need. Instead of
   it an overseas customer outside their callable hours may be sent MX0-1 (CON-2),
   unless the purpose needs additional attempts: then phone contact must still be
   attempted (seed 001 Table 1). MX0-1 ends the plan as letter-issued.
2. Additional attempts (CON-3) when the purpose asks for them (`plan_rounds`).
3. When every round failed: MX1-1 with the purpose's reason and request type (CON-4),
   never while an employer has not complied with a notice: then the plan ends
   unsuccessful and the next step is enforcement, no letter.

Contact made with the customer (or their authorised representative) closes the plan,
whatever round it was in.
"""

from dataclasses import dataclass, field
from datetime import datetime

from .models import Channel, ContactPlan, PlanState
from .plan_rounds import (
    CountedAttempt,
    Round,
    Walk,
    call_channels,
    how,
    number_types,
    when,
)
from .policy import AttemptRules, Purpose

__all__ = ["CountedAttempt", "Round", "call_channels", "number_types"]

CLOSED_STATES = (
    PlanState.CONTACTED,
    PlanState.LETTER_ISSUED,
    PlanState.UNSUCCESSFUL,
    PlanState.CANCELLED,
)
MX0 = "MX0-1"
MX1 = "MX1-1"


class StepKind:
    CALL = "call"
    SMS = "sms"
    MX0 = "letter-mx0-1"
    MX1 = "letter-mx1-1"
    WAIT = "wait"
    NONE = "none"


@dataclass(frozen=True)
class Step:
    """One thing the plan owes. `then` is what a `wait` step waits to do."""

    kind: str
    text: str
    due_at: datetime | None = None
    channels: tuple[str, ...] = ()
    number_types: tuple[str, ...] = ()
    label: str = ""
    then: str = ""


@dataclass
class PlanStatus:
    state: str
    next_step: Step
    required_attempts_done: bool
    completed_unsuccessful: bool
    unmet: list[Step] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    attempts: list[CountedAttempt] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def next_due_at(self) -> datetime | None:
        return None if self.closed else self.next_step.due_at


def derive(
    plan: ContactPlan,
    *,
    rules: AttemptRules,
    purpose: Purpose | None,
    now: datetime,
    callable_now: bool,
) -> PlanStatus:
    """The plan's state and what it owes next. Precondition: `plan.customer.phones`,
    `plan.attempts` and `plan.letter` are loaded (they are read, never queried)."""
    walk = Walk(plan, rules)
    walk.run()
    letter_code = plan.letter.template_code if plan.letter_id and plan.letter else ""
    calls_done = walk.calls_done
    done = calls_done or walk.mx0 is not None
    status = PlanStatus(
        state=PlanState.OPEN,
        next_step=Step(StepKind.NONE, ""),
        required_attempts_done=done,
        completed_unsuccessful=False,
        rounds=walk.rounds,
        attempts=walk.counted,
    )
    if plan.state == PlanState.CANCELLED:
        status.state = PlanState.CANCELLED
        status.next_step = Step(StepKind.NONE, "Cancelled: nothing more is owed")
    elif walk.contact is not None:
        status.state = PlanState.CONTACTED
        status.next_step = Step(StepKind.NONE, "Contact made: nothing more is owed")
    elif letter_code == MX1 or walk.mx0 is not None:
        status.state = PlanState.LETTER_ISSUED
        status.completed_unsuccessful = True
        status.next_step = Step(
            StepKind.NONE,
            f"{letter_code or MX0} issued: wait for the customer to respond, and keep trying "
            "to contact them meanwhile",
        )
    elif calls_done and plan.employer_non_compliant:
        status.state = PlanState.UNSUCCESSFUL
        status.completed_unsuccessful = True
        status.next_step = _enforcement()
    else:
        status.unmet = _unmet(plan, walk, purpose)
        status.next_step = _next(plan, walk, status, rules, now, callable_now)
    return status


def _enforcement() -> Step:
    return Step(
        StepKind.NONE,
        "Enforcement / no letter: an employer has not complied with a notice, so no MX1-1 "
        "is issued (CON-4); proceed with enforcement action",
        label="Enforcement",
    )


def _mx1_step(
    plan: ContactPlan, walk: Walk, purpose: Purpose | None, due_at: datetime | None
) -> Step:
    if plan.employer_non_compliant:
        return _enforcement()
    what = (
        f" (reason: {purpose.mx1_reason}; request: {purpose.mx1_request_type})" if purpose else ""
    )
    why = (
        "The customer has no phone number on record to call"
        if not walk.numbers
        else "Attempts were unsuccessful"
    )
    return Step(
        StepKind.MX1,
        f"{why}: issue an MX1-1 request for contact/information{what}",
        due_at=due_at,
        label="MX1-1 letter",
    )


def _call_step(plan: ContactPlan, walk: Walk, r: Round) -> Step:
    text = f"call the customer on every available number: {', '.join(r.left)}{how(plan)}"
    if r.tried:
        text += f"; already tried: {', '.join(r.tried)}"
    text = f"{r.label}: {text}" if r is not walk.rounds[0] else text[0].upper() + text[1:]
    return Step(
        StepKind.CALL,
        text,
        due_at=r.due_at,
        channels=walk.channels,
        number_types=tuple(r.left),
        label=r.label,
    )


def _sms_step(r: Round) -> Step:
    return Step(
        StepKind.SMS,
        f"{r.label}: send the pre-call SMS to the customer's mobile, then call every "
        "available number",
        due_at=r.due_at,
        channels=(Channel.SMS.value,),
        number_types=("mobile",),
        label=r.label,
    )


def _unmet(plan: ContactPlan, walk: Walk, purpose: Purpose | None) -> list[Step]:
    """Every step still owed, in order. A later round's due time is known only once
    the first round has failed, so until then it carries none."""
    steps: list[Step] = []
    for r in walk.rounds:
        if r.done_at:
            continue
        if r.pre_call_sms and r.sms_at is None:
            steps.append(_sms_step(r))
        steps.append(_call_step(plan, walk, r))
    for index in range(len(walk.rounds), walk.total if walk.numbers else 0):
        label = walk.label(index)
        sms = "send the pre-call SMS, then " if "mobile" in walk.numbers else ""
        steps.append(
            Step(
                StepKind.CALL,
                f"{label}: {sms}call every available number",
                channels=walk.channels,
                number_types=tuple(walk.numbers),
                label=label,
            )
        )
    finished = [r.done_at for r in walk.rounds if r.done_at]
    due = max(finished) if finished else plan.created_at
    steps.append(_mx1_step(plan, walk, purpose, None if steps else due))
    return steps


def mx0_problems(plan: ContactPlan, status: PlanStatus, *, callable_now: bool) -> list[str]:
    """Why MX0-1 may not stand in for the first call now (CON-2), if it may not."""
    problems = []
    if not plan.customer.is_overseas:
        problems.append("CON-2: MX0-1 is only for customers who live overseas; call instead")
    if plan.additional_attempts:
        problems.append(
            "CON-2, CON-3: this purpose needs additional attempts, so phone contact must "
            "still be attempted; MX0-1 cannot replace the first call"
        )
    opening = status.rounds[0] if status.rounds else None
    if opening is not None and opening.tried:
        problems.append(
            "CON-2: MX0-1 replaces the first call, and a first call has already been made; "
            "when the attempts fail the next letter is MX1-1"
        )
    if opening is not None and callable_now:
        problems.append("CON-2: it is within the customer's callable hours now: call them first")
    return problems


def mx1_problems(plan: ContactPlan, status: PlanStatus) -> list[str]:
    """Why MX1-1 may not be issued now (CON-4), if it may not."""
    if plan.employer_non_compliant:
        return [
            "CON-4: never issue MX1-1 while an employer has not complied with a notice; "
            "the next step is enforcement, no letter"
        ]
    if not status.required_attempts_done:
        owed = "; ".join(s.text for s in status.unmet if s.kind != StepKind.MX1)
        return [f"CON-4: MX1-1 follows unsuccessful attempts; still owed: {owed}"]
    return []


def _next(
    plan: ContactPlan,
    walk: Walk,
    status: PlanStatus,
    rules: AttemptRules,
    now: datetime,
    callable_now: bool,
) -> Step:
    first = status.unmet[0]
    if first.kind in (StepKind.CALL, StepKind.SMS) and first.due_at and first.due_at > now:
        return Step(
            StepKind.WAIT,
            f"Wait: {first.label.lower()} is due from {when(first.due_at)}",
            due_at=first.due_at,
            channels=first.channels,
            number_types=first.number_types,
            label=first.label,
            then=first.kind,
        )
    instead_of_call = not status.required_attempts_done or not walk.numbers
    if instead_of_call and not mx0_problems(plan, status, callable_now=callable_now):
        hours = f"{rules.call_start} to {rules.call_end} their time"
        text = (
            "The overseas customer has no phone number on record: issue MX0-1 (CON-2)"
            if not walk.numbers
            else f"Outside the overseas customer's callable hours ({hours}): issue MX0-1 "
            "instead of the first call (CON-2), or call them within those hours"
        )
        return Step(StepKind.MX0, text, due_at=first.due_at or plan.created_at, label="MX0-1")
    return first
