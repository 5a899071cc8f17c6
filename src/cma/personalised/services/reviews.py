"""Segment 3 reactive management (PS-18) and the review intrays the periodic sweep
raises on their dates.

A segment 3 decision proposes a review date at most 3 months ahead (policy
segment-3-indicator-review-max-months); on the PS Team Leader's approval it becomes the
sensitive indicator's review date (an indicator is placed when there is none). On the
date the sweep (`raise_due_reviews`, registered with work's sweep in apps.ready) raises
a "PS segment 3 review" intray for the case manager, who records the review: extend
(a new date, at most 3 months ahead) or move to segment 2, removing or updating the
indicator, and back to resolving or to finalising. Restricted service customers
(PS-19) are also reviewed through the restricted service review flow of the notes app,
every 3-6 months, approved by the National Manager QCC."""

import logging
from datetime import date
from typing import Any

from django.db import transaction

from cma import formats
from cma.audit.services import as_step, record
from cma.customers.models import agency_today
from cma.errors import DomainError
from cma.notes.models import ReviewOutcome, SensitiveIndicator
from cma.notes.services._common import add_months
from cma.notes.services.sensitive import add_sensitive_indicator, review_sensitive_indicator
from cma.staff.models import User
from cma.work.models import LIVE_STATUSES, Intray
from cma.work.services import complete_intray, create_intray
from cma.work.services.raising import RaisingSweep, run_raising_sweep

from .. import reviews_policy as policy
from ..models import OPEN_REVIEW_STATES, IssueStatus, PsPlan, PsReview, ReviewState, SegmentDecision
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

log = logging.getLogger(__name__)

BATCH = 500
_SWEEP_KEY = 0x434D41_5053  # beside work's and contact's sweep keys


def review_date_problem(value: Any, *, max_months: int, field: str) -> tuple[str, str] | None:
    """A review date after today and at most `max_months` ahead, else the problem."""
    today = agency_today()
    limit = add_months(today, max_months)
    if not isinstance(value, date):
        return (field, "give a review date")
    if value <= today:
        return (field, "the review date must be after today")
    if value > limit:
        return (
            field,
            f"PS-18: the review date can be at most {max_months} months ahead "
            f"(no later than {formats.day(limit)})",
        )
    return None


def default_review_on() -> date:
    return add_months(agency_today(), policy.review_max_months())


def segment_3_problems(segment: int, review_on: date | None) -> Problems:
    """Checked by decide_segment: only segment 3 has a review date, at most 3 months."""
    if review_on is None:
        return []
    if segment != 3:
        return [("review_on", "PS-18: only a segment 3 decision sets a review date")]
    found = review_date_problem(review_on, max_months=policy.review_max_months(), field="review_on")
    return [found] if found else []


def propose_review(decision: SegmentDecision, actor: User, review_on: date | None) -> PsReview:
    """A step of a segment 3 decision: the review date waits for the PS Team Leader."""
    return PsReview.objects.create(
        customer_id=decision.customer_id,
        plan_id=decision.plan_id,
        segment_decision=decision,
        review_on=review_on or default_review_on(),
        state=ReviewState.PROPOSED,
        created_by=actor,
    )


def _active_indicator(customer_id: int) -> SensitiveIndicator | None:
    return (
        SensitiveIndicator.objects.filter(customer_id=customer_id, removed_at=None)
        .order_by("review_on", "id")
        .first()
    )


def _set_indicator(
    review: PsReview, actor: User, review_on: date, max_months: int, comment: str, conditions: Any
) -> SensitiveIndicator:
    """The customer's indicator carries the review date (a step: no audit row of its own)."""
    indicator = _active_indicator(review.customer_id)
    with as_step():
        if indicator is None:
            return add_sensitive_indicator(
                customer=review.customer,
                actor=actor,
                kind=policy.indicator_kind(),
                reason=policy.indicator_reason(),
                review_on=review_on,
                conditions=conditions or "",
                max_review_months=max_months,
            )
        review_sensitive_indicator(
            indicator=indicator,
            actor=actor,
            outcome=ReviewOutcome.EXTENDED,
            comment=comment,
            next_review_on=review_on,
            conditions=conditions,
            max_review_months=max_months,
        )
    return indicator


def schedule_approved(decision: SegmentDecision, actor: User) -> PsReview | None:
    """A step of the PS Team Leader's approval: the proposed review date becomes the
    indicator's review date; the sweep raises the review intray on it."""
    review = (
        PsReview.objects.filter(segment_decision=decision, state=ReviewState.PROPOSED)
        .select_related("customer")
        .first()
    )
    if review is None:
        review = propose_review(decision, actor, None)
    found = review_date_problem(
        review.review_on, max_months=policy.review_max_months(), field="review_on"
    )
    refuse("segment 3 cannot be approved", [found] if found else [])
    review.indicator = _set_indicator(
        review,
        actor,
        review.review_on,
        policy.review_max_months(),
        "Segment 3 approved: reactive management review date set.",
        None,
    )
    review.state = ReviewState.SCHEDULED
    review.save(update_fields=["indicator", "state"])
    return review


def cancel_proposed(decision: SegmentDecision) -> None:
    PsReview.objects.filter(segment_decision=decision, state=ReviewState.PROPOSED).update(
        state=ReviewState.CANCELLED
    )


def cancel_open(plan: PsPlan) -> None:
    """A plan leaving segment 3 other than by a review: its open review is cancelled."""
    PsReview.objects.filter(plan=plan, state__in=OPEN_REVIEW_STATES).update(
        state=ReviewState.CANCELLED
    )


# ---------------------------------------------------------------------------
# The sweep: one intray per review on its date, idempotent


def _raise(review: PsReview) -> int | None:
    plan = review.plan
    try:
        with transaction.atomic(), as_step():
            intray = create_intray(
                customer=review.customer,
                type_code=policy.review_intray(),
                actor=plan.case_manager,
                owner_user=plan.case_manager,
                due_on=review.review_on,
                note=f"Segment 3 review {review.pk} is due. Open the PS plan to record it.",
                by_system=True,
            )
    except DomainError as exc:
        log.warning("PS review sweep: review %s not raised (%s)", review.pk, exc.code)
        return None
    review.intray, review.state = intray, ReviewState.DUE
    review.save(update_fields=["intray", "state"])
    return int(intray.pk)


def _due(today: date, skipped: list[int]) -> list[PsReview]:
    return list(
        PsReview.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("customer", "plan__case_manager")
        .filter(state=ReviewState.SCHEDULED, review_on__lte=today, intray=None)
        .exclude(pk__in=skipped)
        .order_by("review_on", "pk")[:BATCH]
    )


def raise_due_reviews(today: date | None = None) -> list[int]:
    """Raise the review intray of every scheduled review whose date has come. A
    second sweep the same day finds none left (they are due). Returns review ids."""
    day = today or agency_today()
    return run_raising_sweep(
        RaisingSweep(
            key=_SWEEP_KEY,
            action="personalised.sweep.reviews_raised",
            object_type="personalised.psreview",
            reason="segment 3 review due",
            rows_name="reviews",
            due=lambda skipped: _due(day, skipped),
            raise_one=_raise,
            batch=BATCH,
        )
    )


def register() -> None:
    from cma.work.services.sweeps import register_sweep

    register_sweep("ps-reviews", "raised {n} PS segment 3 review(s)", raise_due_reviews)


# ---------------------------------------------------------------------------
# The case manager records the review


def _next_step(plan: PsPlan) -> str:
    unresolved = plan.issues.exclude(status=IssueStatus.RESOLVED).exists()
    return next(
        code
        for code, option in policy.next_steps().items()
        if bool(option.extra.get("unresolved_issues")) == unresolved
    )


def _problems(
    review: PsReview,
    actor: User,
    outcome: str,
    comment: str,
    next_review_on: Any,
    indicator_action: str,
) -> Problems:
    problems: Problems = []
    if review.plan.case_manager_id != actor.pk:
        problems.append((None, "PS-18: the plan's case manager records the review"))
    if review.state not in (ReviewState.SCHEDULED, ReviewState.DUE):
        problems.append(("state", f"this review is {review.get_state_display().lower()}"))
    outcomes = policy.outcomes()
    if outcome not in outcomes:
        problems.append(("outcome", f"choose one of {', '.join(outcomes)}"))
    found = text_problem(comment, "comment", max_length=2000, required=True)
    if found:
        problems.append(("comment", found))
    segment = int(outcomes[outcome].extra["segment"]) if outcome in outcomes else None
    actions = policy.indicator_actions()
    if segment == 2 and indicator_action not in actions:
        problems.append(("indicator_action", f"choose one of {', '.join(actions)}"))
    needs_date = segment == 3 or (segment == 2 and indicator_action == "update")
    months = policy.review_max_months() if segment == 3 else policy.indicator_max_months()
    if needs_date:
        date_problem = review_date_problem(
            next_review_on, max_months=months, field="next_review_on"
        )
        if date_problem:
            problems.append(date_problem)
    return problems


@audited("personalised.review.recorded")
def record_review(
    *,
    review: PsReview,
    actor: User,
    outcome: str,
    comment: str,
    next_review_on: date | None = None,
    indicator_action: str = "",
    conditions: str | None = None,
) -> PsReview:
    """The case manager records a segment 3 review (PS-18): `extend` to a new review
    date at most 3 months ahead, or `segment-2`: the customer moves to segment 2, the
    indicator is removed or updated, and the case goes back to resolving (issues
    unresolved) or to finalising (all resolved). One audit row."""
    from .segments import decide_segment

    current = (
        PsReview.objects.select_for_update(of=("self",))
        .select_related("plan__case_manager", "plan__customer", "customer")
        .get(pk=review.pk)
    )
    problems = _problems(current, actor, outcome, comment, next_review_on, indicator_action)
    if conditions is not None:
        found = text_problem(conditions, "conditions", max_length=2000, required=False)
        if found:
            problems.append(("conditions", found))
    refuse("the review cannot be recorded", problems)
    check_text({"comment": comment, "conditions": conditions or ""}, current.customer)
    segment = int(policy.outcomes()[outcome].extra["segment"])
    plan = current.plan
    following = None
    current.state = ReviewState.DONE
    current.outcome, current.indicator_action = outcome, indicator_action if segment == 2 else ""
    current.comment, current.reviewed_by = comment.strip(), actor
    current.reviewed_at = now()
    current.save()
    if segment == 3:
        assert next_review_on is not None  # checked above
        months = policy.review_max_months()
        indicator = _set_indicator(current, actor, next_review_on, months, comment, conditions)
        following = PsReview.objects.create(
            customer=current.customer,
            plan=plan,
            previous=current,
            indicator=indicator,
            review_on=next_review_on,
            state=ReviewState.SCHEDULED,
            created_by=actor,
        )
        current.next_step = ""
    else:
        with as_step():
            decide_segment(plan=plan, actor=actor, segment=2, comment=comment)
        held = current.indicator or _active_indicator(current.customer_id)
        if held is not None and indicator_action == "remove":
            with as_step():
                review_sensitive_indicator(
                    indicator=held, actor=actor, outcome=ReviewOutcome.REMOVED, comment=comment
                )
        elif indicator_action == "update":
            assert next_review_on is not None
            _set_indicator(
                current, actor, next_review_on, policy.indicator_max_months(), comment, conditions
            )
        current.next_step = _next_step(plan)
    current.save(update_fields=["next_step"])
    _close_intray(current.intray_id, actor, outcome)
    activity(
        customer=current.customer_id,
        kind="segment-3-reviewed",
        actor=actor,
        plan=plan,
        outcome=outcome,
        next_review_on=next_review_on.isoformat() if next_review_on else None,
        next_step=current.next_step,
    )
    stacking_note(
        current.customer,
        actor,
        "Segment 3 review",
        f"Segment 3 review recorded: {policy.outcomes()[outcome].name}."
        + (f" Next review {formats.day(next_review_on)}." if following else "")
        + (f" Next: {policy.next_steps()[current.next_step].name}." if current.next_step else ""),
    )
    record(
        actor=actor,
        action="personalised.review.recorded",
        obj=current,
        customer_id=current.customer_id,
        changes={
            "outcome": outcome,
            "indicator_action": current.indicator_action,
            "next_step": current.next_step,
            "next_review": following.pk if following else None,
        },
    )
    return current


def _close_intray(intray_id: int | None, actor: User, outcome: str) -> None:
    if intray_id is None:
        return
    intray = Intray.objects.filter(pk=intray_id, status__in=LIVE_STATUSES).first()
    if intray is not None and actor.has_perm("work.work_intray", intray):
        with as_step():
            complete_intray(intray=intray, actor=actor, outcome=f"Segment 3 review: {outcome}")
