"""Sensitive issue indicators (DOC-5) and Separating Safely markers (DOC-6)."""

from datetime import date
from typing import Any

from django.utils import timezone

from cma import formats
from cma.audit.services import record
from cma.customers.models import Customer, agency_today
from cma.errors import ValidationFailed
from cma.policy.services import parameter
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from ..errors import AlreadyAtRisk, IndicatorNotActive, NotAtRisk, ReviewDateInvalid
from ..models import IndicatorKind, IndicatorReview, ReviewOutcome, SafetyMarker, SensitiveIndicator
from ..permissions import forget_sensitivity
from ._common import add_months, audited, clean_text, require
from ._review_work import close_review, open_review

INDICATOR_REVIEW_TYPE = "sensitive-indicator-review"


def check_review_date(review_on: Any, max_months: int, field: str = "review_on") -> date:
    """The review date must be after today and at most `max_months` ahead (policy)."""
    if not isinstance(review_on, date):
        raise ReviewDateInvalid("give a review date", field=field)
    today = agency_today()
    limit = add_months(today, max_months)
    if review_on <= today:
        raise ReviewDateInvalid("the review date must be after today", field=field)
    if review_on > limit:
        raise ReviewDateInvalid(
            f"DOC-5: the review date can be at most {max_months} months ahead "
            f"(no later than {formats.day(limit)})",
            field=field,
        )
    return review_on


def _max_months(override: int | None) -> int:
    return int(override or parameter("sensitive-indicator-review-max-months"))


@audited("notes.indicator.added")
def add_sensitive_indicator(
    *,
    customer: Customer,
    actor: User,
    kind: str,
    reason: str,
    review_on: date,
    conditions: str = "",
    max_review_months: int | None = None,
) -> SensitiveIndicator:
    """Add an internal-only indicator with its reason, conditions and review date, and
    a "Sensitive indicator review" intray due on the review date. `max_review_months`
    tightens the policy limit (segment 3 uses 3 months, PS-18)."""
    require(actor, "notes.add_indicator", customer, "your role cannot add sensitive indicators")
    if kind not in IndicatorKind.values:
        raise ValidationFailed(f"unknown indicator kind {kind!r}", field="kind")
    reason = clean_text(reason, "reason", required=True, max_length=2000)
    conditions = clean_text(conditions, "conditions", required=False, max_length=2000)
    review_on = check_review_date(review_on, _max_months(max_review_months))
    check_free_text({"reason": reason, "conditions": conditions}, customer=customer)
    indicator = SensitiveIndicator.objects.create(
        customer=customer,
        kind=kind,
        reason=reason,
        conditions=conditions,
        review_on=review_on,
        created_by=actor,
    )
    intray = open_review(
        customer=customer,
        type_code=INDICATOR_REVIEW_TYPE,
        actor=actor,
        due_on=review_on,
        note=f"Review the {indicator.get_kind_display().lower()} indicator.",
    )
    indicator.review_intray_id = intray.pk
    indicator.save(update_fields=["review_intray_id"])
    forget_sensitivity(customer)
    record(
        actor=actor,
        action="notes.indicator.added",
        obj=indicator,
        customer_id=customer.pk,
        changes={"kind": kind, "review_on": review_on.isoformat(), "intray": intray.pk},
    )
    return indicator


@audited("notes.indicator.reviewed")
def review_sensitive_indicator(
    *,
    indicator: SensitiveIndicator,
    actor: User,
    outcome: str,
    comment: str,
    next_review_on: date | None = None,
    conditions: str | None = None,
    max_review_months: int | None = None,
) -> IndicatorReview:
    """Review an indicator: continue it to a new review date (a new review intray is
    due then; conditions may be updated) or remove it. The previous review intray is
    completed."""
    indicator = SensitiveIndicator.objects.select_for_update().get(pk=indicator.pk)
    require(
        actor, "notes.review_indicator", indicator.customer, "your role cannot review indicators"
    )
    if not indicator.is_active:
        raise IndicatorNotActive("this indicator has been removed")
    if outcome not in ReviewOutcome.values:
        raise ValidationFailed(f"unknown review outcome {outcome!r}", field="outcome")
    comment = clean_text(comment, "comment", required=True, max_length=2000)
    new_conditions = indicator.conditions
    if conditions is not None:
        new_conditions = clean_text(conditions, "conditions", required=False, max_length=2000)
    check_free_text({"comment": comment, "conditions": new_conditions}, customer=indicator.customer)
    old_intray = indicator.review_intray_id
    if outcome == ReviewOutcome.EXTENDED:
        next_review_on = check_review_date(
            next_review_on, _max_months(max_review_months), field="next_review_on"
        )
        intray = open_review(
            customer=indicator.customer,
            type_code=INDICATOR_REVIEW_TYPE,
            actor=actor,
            due_on=next_review_on,
            note=f"Review the {indicator.get_kind_display().lower()} indicator.",
        )
        indicator.review_on, indicator.conditions = next_review_on, new_conditions
        indicator.review_intray_id = intray.pk
        indicator.save(update_fields=["review_on", "conditions", "review_intray_id"])
    else:
        next_review_on = None
        indicator.removed_at = timezone.now()
        indicator.save(update_fields=["removed_at"])
        forget_sensitivity(indicator.customer)
    review = IndicatorReview.objects.create(
        indicator=indicator,
        outcome=outcome,
        comment=comment,
        conditions=new_conditions,
        next_review_on=next_review_on,
        reviewed_by=actor,
    )
    close_review(old_intray, actor, f"Indicator reviewed: {review.get_outcome_display()}")
    record(
        actor=actor,
        action="notes.indicator.reviewed",
        obj=indicator,
        customer_id=indicator.customer_id,
        changes={
            "outcome": outcome,
            "next_review_on": next_review_on.isoformat() if next_review_on else None,
        },
    )
    return review


@audited("notes.safety.marked")
def mark_at_risk(*, customer: Customer, actor: User, reason: str) -> SafetyMarker:
    """Separating Safely (DOC-6): from now on the customer's location and contact
    details are withheld from everything concerning the other party."""
    require(actor, "notes.mark_at_risk", customer, "your role cannot mark a customer at risk")
    reason = clean_text(reason, "reason", required=True, max_length=2000)
    check_free_text({"reason": reason}, customer=customer)
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if SafetyMarker.objects.filter(customer=locked, ended_at=None).exists():
        raise AlreadyAtRisk("this customer is already marked at risk")
    marker = SafetyMarker.objects.create(customer=customer, reason=reason, marked_by=actor)
    forget_sensitivity(customer)
    record(actor=actor, action="notes.safety.marked", obj=marker, customer_id=customer.pk)
    return marker


@audited("notes.safety.ended")
def end_at_risk(*, customer: Customer, actor: User, reason: str) -> SafetyMarker:
    require(actor, "notes.end_at_risk", customer, "your role cannot end Separating Safely")
    reason = clean_text(reason, "reason", required=True, max_length=2000)
    check_free_text({"reason": reason}, customer=customer)
    marker = (
        SafetyMarker.objects.select_for_update().filter(customer=customer, ended_at=None).first()
    )
    if marker is None:
        raise NotAtRisk("this customer is not marked at risk")
    marker.ended_at, marker.ended_by, marker.end_reason = timezone.now(), actor, reason
    marker.save(update_fields=["ended_at", "ended_by", "end_reason"])
    forget_sensitivity(customer)
    record(actor=actor, action="notes.safety.ended", obj=marker, customer_id=customer.pk)
    return marker
