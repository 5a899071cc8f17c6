"""Restricted service (DOC-7, PS-19): arrangements, their reviews (outcome approved by
the National Manager, Quality & Customer Complaints) and the contact check that
calls, messages and letters make before contacting the customer."""

from datetime import date
from typing import Any, cast

from django.utils import timezone

from cma import formats
from cma.audit.services import as_step, record, record_refusal
from cma.customers.models import Customer, agency_today
from cma.errors import ValidationFailed
from cma.policy.services import parameter
from cma.privacy.checks import check_free_text
from cma.privacy.separating import BANNER, is_at_risk
from cma.staff.models import CUSTOMER_FACING_ROLES, User

from ..contact import align_preference
from ..errors import (
    ContactRefused,
    RestrictionExists,
    RestrictionNotActive,
    ReviewAlreadyDecided,
    ReviewDateInvalid,
    ReviewPending,
    WrongApprover,
)
from ..models import (
    Channel,
    DecisionStatus,
    RestrictedService,
    RestrictedServiceReview,
    RestrictionOutcome,
    StackingDocument,
    StackingPurpose,
)
from ..permissions import RESTRICTION_CACHE, forget_sensitivity
from ._common import add_months, audited, clean_text, require
from ._review_work import close_review, open_review
from .notes import write_note
from .stacking import append_entry

REVIEW_TYPE = "restricted-service-review"


def active_restriction(customer: Customer) -> RestrictedService | None:
    """The active arrangement, read once per customer instance (a page asks several
    times: the banner, the contact details, the safety summary), and not at all when
    the door's flags say there is none; the writes below forget both
    (`forget_sensitivity`)."""
    cache = customer.__dict__
    known = cache.get("_cma_flags")  # the door's protection flags, when it read them
    if known is not None and "restricted" not in known:
        return None
    if RESTRICTION_CACHE not in cache:
        cache[RESTRICTION_CACHE] = (
            RestrictedService.objects.select_related("contact_officer")
            .filter(customer_id=customer.pk, ended_at=None)
            .first()
        )
    return cast(RestrictedService | None, cache[RESTRICTION_CACHE])


def _channels(value: Any, field: str = "allowed_channels") -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        raise ValidationFailed("allow at least one contact channel", field=field)
    unknown = [c for c in value if c not in Channel.values]
    if unknown:
        raise ValidationFailed(
            f"unknown channel {unknown[0]!r}; choose from {', '.join(Channel.values)}", field=field
        )
    return [c for c in Channel.values if c in value]


def check_review_due(review_due_on: Any, start: date, field: str = "review_due_on") -> date:
    """DOC-7: reviewed every 3-6 months (policy) after `start`."""
    window = parameter("restricted-service-review-months")
    earliest, latest = add_months(start, window["min"]), add_months(start, window["max"])
    if not isinstance(review_due_on, date) or not earliest <= review_due_on <= latest:
        raise ReviewDateInvalid(
            f"DOC-7: a restricted service is reviewed {window['min']}-{window['max']} months "
            f"after it starts or is reviewed: choose a date from {formats.day(earliest)} "
            f"to {formats.day(latest)}",
            field=field,
        )
    return review_due_on


def _contact_officer(user: User | int | None) -> User | None:
    if user is None:
        return None
    if not isinstance(user, User):
        user = User.objects.filter(pk=user).first()
    if user is None or not user.is_active or user.role not in CUSTOMER_FACING_ROLES:
        raise ValidationFailed(
            "the single point of contact must be an active staff member who works with customers",
            field="contact_officer_id",
        )
    return user


def _record_in_ps_stack(customer: Customer, actor: User, subject: str, body: str) -> None:
    """The PS stacking document keeps the record of restricting the service (seed 003)."""
    document = StackingDocument.objects.filter(
        customer=customer, purpose=StackingPurpose.PERSONALISED_SERVICES
    ).first()
    if document is not None:
        with as_step():
            note = write_note(customer=customer, actor=actor, subject=subject, body=body)
        append_entry(document, note, "notepad", actor)


def _describe(channels: list[str]) -> str:
    return ", ".join(Channel(c).label.lower() for c in channels)


@audited("notes.restriction.created")
def create_restricted_service(
    *,
    customer: Customer,
    actor: User,
    allowed_channels: list[str],
    conditions: str,
    review_due_on: date,
    contact_officer: Any = None,
    starts_on: date | None = None,
) -> RestrictedService:
    """Restrict how the customer may contact us, with a single point of contact, the
    conditions, and a review due 3-6 months after the start (a "Restricted service
    review" intray falls due then)."""
    require(
        actor,
        "notes.manage_restriction",
        customer,
        "your role cannot restrict a customer's service",
    )
    channels = _channels(allowed_channels)
    conditions = clean_text(conditions, "conditions", required=True, max_length=2000)
    check_free_text({"conditions": conditions}, customer=customer)
    starts_on = starts_on or agency_today()
    review_due_on = check_review_due(review_due_on, starts_on)
    officer = _contact_officer(contact_officer)
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if RestrictedService.objects.filter(customer=locked, ended_at=None).exists():
        raise RestrictionExists("this customer already has an active restricted service")
    arrangement = RestrictedService.objects.create(
        customer=customer,
        allowed_channels=channels,
        contact_officer=officer,
        conditions=conditions,
        starts_on=starts_on,
        review_due_on=review_due_on,
        created_by=actor,
    )
    intray = open_review(
        customer=customer,
        type_code=REVIEW_TYPE,
        actor=actor,
        owner=officer,
        due_on=review_due_on,
        note="Review the restricted service arrangement.",
    )
    arrangement.review_intray_id = intray.pk
    arrangement.save(update_fields=["review_intray_id"])
    preference = align_preference(customer, channels)
    forget_sensitivity(customer)
    _record_in_ps_stack(
        customer,
        actor,
        "Restricted service arrangement",
        f"Restricted service from {formats.day(starts_on)}: contact only by "
        f"{_describe(channels)}. Review due {formats.day(review_due_on)}.",
    )
    record(
        actor=actor,
        action="notes.restriction.created",
        obj=arrangement,
        customer_id=customer.pk,
        changes={
            "channels": channels,
            "contact_officer": officer.pk if officer else None,
            "review_due_on": review_due_on.isoformat(),
            **({"preferred_contact_method": preference} if preference else {}),
        },
    )
    return arrangement


@audited("notes.restriction.review-proposed")
def propose_restriction_review(
    *,
    arrangement: RestrictedService,
    actor: User,
    outcome: str,
    recommendation: str,
    next_review_due_on: date | None = None,
    allowed_channels: list[str] | None = None,
    conditions: str = "",
) -> RestrictedServiceReview:
    """Record a review's recommendation; it takes effect only once the National
    Manager QCC approves it."""
    arrangement = RestrictedService.objects.select_for_update().get(pk=arrangement.pk)
    require(actor, "notes.manage_restriction", arrangement.customer, "your role cannot review this")
    if not arrangement.is_active:
        raise RestrictionNotActive("this restricted service has ended")
    if arrangement.reviews.filter(status=DecisionStatus.PENDING).exists():
        raise ReviewPending("a review of this arrangement is already awaiting approval")
    if outcome not in RestrictionOutcome.values:
        raise ValidationFailed(f"unknown outcome {outcome!r}", field="outcome")
    recommendation = clean_text(recommendation, "recommendation", required=True, max_length=4000)
    conditions = clean_text(conditions, "conditions", required=False, max_length=2000)
    check_free_text(
        {"recommendation": recommendation, "conditions": conditions}, customer=arrangement.customer
    )
    channels = None
    if outcome == RestrictionOutcome.END:
        next_review_due_on = None
    else:
        next_review_due_on = check_review_due(
            next_review_due_on, agency_today(), field="next_review_due_on"
        )
    if outcome == RestrictionOutcome.VARY:
        if allowed_channels is None and not conditions:
            raise ValidationFailed(
                "say what changes: the allowed channels, the conditions or both",
                field="allowed_channels",
            )
        if allowed_channels is not None:
            channels = _channels(allowed_channels)
    review = RestrictedServiceReview.objects.create(
        arrangement=arrangement,
        outcome=outcome,
        recommendation=recommendation,
        next_review_due_on=next_review_due_on,
        allowed_channels=channels,
        conditions=conditions,
        proposed_by=actor,
    )
    record(
        actor=actor,
        action="notes.restriction.review-proposed",
        obj=review,
        customer_id=arrangement.customer_id,
        changes={"outcome": outcome},
    )
    return review


def _apply(review: RestrictedServiceReview, actor: User) -> dict[str, str] | None:
    """Put an approved outcome into effect; returns a change of the customer's
    preferred contact when new channels no longer allow it (DOC-7)."""
    arrangement = review.arrangement
    old_intray = arrangement.review_intray_id
    preference = None
    if review.outcome == RestrictionOutcome.END:
        arrangement.ended_at = timezone.now()
        arrangement.save(update_fields=["ended_at"])
        forget_sensitivity(arrangement.customer)
    else:
        if review.outcome == RestrictionOutcome.VARY:
            arrangement.allowed_channels = review.allowed_channels or arrangement.allowed_channels
            arrangement.conditions = review.conditions or arrangement.conditions
            preference = align_preference(arrangement.customer, arrangement.allowed_channels)
        # A review that does not end the arrangement always has one (propose_review).
        due_on = cast(date, review.next_review_due_on)
        arrangement.review_due_on = due_on
        intray = open_review(
            customer=arrangement.customer,
            type_code=REVIEW_TYPE,
            actor=actor,
            owner=arrangement.contact_officer or review.proposed_by,
            due_on=due_on,
            note="Review the restricted service arrangement.",
        )
        arrangement.review_intray_id = intray.pk
        arrangement.save(
            update_fields=["allowed_channels", "conditions", "review_due_on", "review_intray_id"]
        )
        forget_sensitivity(arrangement.customer)
    close_review(old_intray, actor, f"Review approved: {review.get_outcome_display()}")
    return preference


@audited("notes.restriction.review-decided")
def decide_restriction_review(
    *, review: RestrictedServiceReview, actor: User, approve: bool, comment: str = ""
) -> RestrictedServiceReview:
    """DOC-7: only the National Manager, Quality & Customer Complaints approves (or
    rejects, with a comment) a restricted service review's outcome."""
    review = (
        RestrictedServiceReview.objects.select_for_update(of=("self",))
        .select_related("arrangement__customer", "arrangement__contact_officer", "proposed_by")
        .get(pk=review.pk)
    )
    if not actor.has_perm("notes.approve_restriction_review", review.arrangement.customer):
        raise WrongApprover(
            "DOC-7: only the National Manager, Quality & Customer Complaints may approve "
            "or reject a restricted service review outcome"
        )
    if review.status != DecisionStatus.PENDING:
        raise ReviewAlreadyDecided(f"this review is already {review.get_status_display().lower()}")
    comment = clean_text(comment, "comment", required=not approve, max_length=2000)
    check_free_text({"comment": comment}, customer=review.arrangement.customer)
    review.status = DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED
    review.decided_by, review.decided_at, review.decision_comment = actor, timezone.now(), comment
    review.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    preference = _apply(review, actor) if approve else None
    record(
        actor=actor,
        action="notes.restriction.review-decided",
        obj=review,
        customer_id=review.arrangement.customer_id,
        changes={
            "status": review.status,
            "outcome": review.outcome,
            **({"preferred_contact_method": preference} if preference else {}),
        },
    )
    return review


def check_contact_allowed(*, customer: Customer, channel: str, actor: User) -> list[str]:
    """Before contacting the customer (call, message, letter): warnings to show, or a
    ContactRefused (409, audited) when their restricted service does not allow the
    channel. Channels: phone, sms, email, post, face-to-face, online."""
    if channel not in Channel.values:
        raise ValidationFailed(
            f"unknown channel {channel!r}; choose from {', '.join(Channel.values)}", field="channel"
        )
    warnings = [BANNER] if is_at_risk(customer) else []
    arrangement = active_restriction(customer)
    if arrangement is None:
        return warnings
    if not arrangement.allows(channel):
        error = ContactRefused(
            f"DOC-7: restricted service: this customer may be contacted only by "
            f"{_describe(arrangement.allowed_channels)}, not by {Channel(channel).label.lower()}",
            field="channel",
        )
        record_refusal(
            actor=actor,
            action="notes.contact.refused",
            error=error,
            customer_id=customer.pk,
            object_type="notes.restrictedservice",
            object_id=str(arrangement.pk),
        )
        raise error
    warnings.append(
        f"Restricted service: contact only by {_describe(arrangement.allowed_channels)}. "
        f"Conditions: {arrangement.conditions}"
    )
    officer = arrangement.contact_officer
    if officer is not None and officer.pk != getattr(actor, "pk", None):
        warnings.append(
            f"Single point of contact: {officer.display_name}. Direct the customer to them."
        )
    return warnings
