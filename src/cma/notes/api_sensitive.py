"""Sensitive issue indicators, Separating Safely, restricted service and the contact
check. Internal only (DOC-5): customer-facing integrations are refused."""

from django.http import HttpRequest
from ninja import Router, Status

from cma.privacy.separating import BANNER
from cma.schemas import ERRORS, PathId

from . import selectors, services
from .contact import effective_preference
from .models import RestrictedService, RestrictedServiceReview, SensitiveIndicator
from .schemas import (
    ContactCheckIn,
    ContactCheckOut,
    DecisionIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorReviewIn,
    IndicatorReviewOut,
    RestrictionIn,
    RestrictionOut,
    RestrictionReviewIn,
    RestrictionReviewOut,
    SafetyMarkIn,
    SafetyOut,
)

router = Router(tags=["sensitive customers"])


def _name(user) -> str | None:
    return user.display_name if user is not None else None


def review_out(review) -> dict:
    return {
        "id": review.pk,
        "outcome": review.outcome,
        "comment": review.comment,
        "next_review_on": review.next_review_on,
        "reviewed_by": review.reviewed_by.display_name,
        "reviewed_at": review.reviewed_at,
    }


def indicator_out(indicator: SensitiveIndicator) -> dict:
    return {
        "id": indicator.pk,
        "customer_id": indicator.customer_id,
        "kind": indicator.kind,
        "reason": indicator.reason,
        "conditions": indicator.conditions,
        "review_on": indicator.review_on,
        "active": indicator.is_active,
        "created_by": indicator.created_by.display_name,
        "created_at": indicator.created_at,
        "review_intray_id": indicator.review_intray_id,
        "reviews": [review_out(r) for r in indicator.reviews.all()],
    }


def restriction_review_out(review: RestrictedServiceReview) -> dict:
    return {
        "id": review.pk,
        "arrangement_id": review.arrangement_id,
        "customer_id": review.arrangement.customer_id,
        "outcome": review.outcome,
        "recommendation": review.recommendation,
        "next_review_due_on": review.next_review_due_on,
        "allowed_channels": review.allowed_channels,
        "conditions": review.conditions,
        "proposed_by": review.proposed_by.display_name,
        "proposed_at": review.proposed_at,
        "status": review.status,
        "decided_by": _name(review.decided_by),
        "decided_at": review.decided_at,
        "decision_comment": review.decision_comment,
    }


def restriction_out(arrangement: RestrictedService) -> dict:
    return {
        "id": arrangement.pk,
        "customer_id": arrangement.customer_id,
        "active": arrangement.is_active,
        "allowed_channels": arrangement.allowed_channels,
        "contact_officer": _name(arrangement.contact_officer),
        "contact_officer_id": arrangement.contact_officer_id,
        "conditions": arrangement.conditions,
        "starts_on": arrangement.starts_on,
        "review_due_on": arrangement.review_due_on,
        "review_intray_id": arrangement.review_intray_id,
        "reviews": [restriction_review_out(r) for r in arrangement.reviews.all()],
    }


def safety_out(customer) -> dict:
    state = selectors.safety_of(customer)
    restriction = state.restriction
    return {
        "customer_id": customer.pk,
        "at_risk": state.at_risk,
        "banner": BANNER if state.at_risk else "",
        "marked_at": state.marker.marked_at if state.marker else None,
        "restricted_service": restriction is not None,
        "allowed_channels": restriction.allowed_channels if restriction else [],
        "preferred_contact": effective_preference(
            customer.preferred_contact_method, restriction.allowed_channels if restriction else None
        ),
        "contact_officer": _name(restriction.contact_officer) if restriction else None,
        "active_indicators": state.indicator_count,
    }


def _customer(request: HttpRequest, customer_id: int, purpose: str, *, audit: bool = True):
    from .api import customer_for

    return customer_for(request, customer_id, purpose, audit=audit)


@router.get(
    "/customers/{customer_id}/sensitive-indicators", response={200: list[IndicatorOut], **ERRORS}
)
def list_indicators(request: HttpRequest, customer_id: PathId, include_removed: bool = False):
    """Internal only (DOC-5)."""
    customer = _customer(request, customer_id, "indicators-listed")
    selectors.require_perm(
        request.user, "notes.view_indicators", customer, "your role cannot see indicators"
    )
    return [
        indicator_out(i) for i in selectors.indicators(customer, include_removed=include_removed)
    ]


@router.post(
    "/customers/{customer_id}/sensitive-indicators", response={201: IndicatorOut, **ERRORS}
)
def add_indicator(request: HttpRequest, customer_id: PathId, payload: IndicatorIn):
    """Adds the indicator and a "Sensitive indicator review" intray due on the review date."""
    customer = _customer(request, customer_id, "indicator-adding", audit=False)
    indicator = services.add_sensitive_indicator(
        customer=customer,
        actor=request.user,
        kind=payload.kind,
        reason=payload.reason,
        conditions=payload.conditions,
        review_on=payload.review_on,
    )
    return Status(201, indicator_out(indicator))


@router.post(
    "/sensitive-indicators/{indicator_id}/reviews", response={201: IndicatorReviewOut, **ERRORS}
)
def review_indicator(request: HttpRequest, indicator_id: PathId, payload: IndicatorReviewIn):
    selectors.require_internal(request)
    indicator = selectors.indicator_for(
        request.user, indicator_id, "indicator-reviewing", audit=False
    )
    review = services.review_sensitive_indicator(
        indicator=indicator,
        actor=request.user,
        outcome=payload.outcome,
        comment=payload.comment,
        next_review_on=payload.next_review_on,
        conditions=payload.conditions,
    )
    return Status(201, review_out(review))


@router.get("/customers/{customer_id}/safety", response={200: SafetyOut, **ERRORS})
def read_safety(request: HttpRequest, customer_id: PathId):
    """Separating Safely and restricted service status, with the warning to show first."""
    return safety_out(_customer(request, customer_id, "safety-viewed"))


@router.post("/customers/{customer_id}/safety/at-risk", response={201: SafetyOut, **ERRORS})
def mark_at_risk(request: HttpRequest, customer_id: PathId, payload: SafetyMarkIn):
    customer = _customer(request, customer_id, "safety-marking", audit=False)
    services.mark_at_risk(customer=customer, actor=request.user, reason=payload.reason)
    return Status(201, safety_out(customer))


@router.post("/customers/{customer_id}/safety/end", response={200: SafetyOut, **ERRORS})
def end_at_risk(request: HttpRequest, customer_id: PathId, payload: SafetyMarkIn):
    customer = _customer(request, customer_id, "safety-ending", audit=False)
    services.end_at_risk(customer=customer, actor=request.user, reason=payload.reason)
    return safety_out(customer)


@router.get(
    "/customers/{customer_id}/restricted-service", response={200: list[RestrictionOut], **ERRORS}
)
def list_restrictions(request: HttpRequest, customer_id: PathId):
    customer = _customer(request, customer_id, "restrictions-listed")
    selectors.require_perm(
        request.user, "notes.view_indicators", customer, "your role cannot see this"
    )
    return [restriction_out(r) for r in selectors.restrictions(customer)]


@router.post(
    "/customers/{customer_id}/restricted-service", response={201: RestrictionOut, **ERRORS}
)
def create_restriction(request: HttpRequest, customer_id: PathId, payload: RestrictionIn):
    customer = _customer(request, customer_id, "restriction-creating", audit=False)
    arrangement = services.create_restricted_service(
        customer=customer,
        actor=request.user,
        allowed_channels=payload.allowed_channels,
        conditions=payload.conditions,
        review_due_on=payload.review_due_on,
        contact_officer=payload.contact_officer_id,
        starts_on=payload.starts_on,
    )
    return Status(201, restriction_out(arrangement))


@router.post(
    "/restricted-service/{arrangement_id}/reviews", response={201: RestrictionReviewOut, **ERRORS}
)
def propose_review(request: HttpRequest, arrangement_id: PathId, payload: RestrictionReviewIn):
    """A review's recommended outcome; it needs the National Manager QCC's approval."""
    selectors.require_internal(request)
    arrangement = selectors.restriction_for(
        request.user, arrangement_id, "restriction-reviewing", audit=False
    )
    review = services.propose_restriction_review(
        arrangement=arrangement,
        actor=request.user,
        outcome=payload.outcome,
        recommendation=payload.recommendation,
        next_review_due_on=payload.next_review_due_on,
        allowed_channels=payload.allowed_channels,
        conditions=payload.conditions,
    )
    return Status(201, restriction_review_out(review))


@router.get(
    "/restricted-service-reviews/pending", response={200: list[RestrictionReviewOut], **ERRORS}
)
def pending_reviews(request: HttpRequest):
    """The National Manager QCC's approvals queue."""
    selectors.require_internal(request)
    return [restriction_review_out(r) for r in selectors.pending_restriction_reviews(request.user)]


@router.post(
    "/restricted-service-reviews/{review_id}/decision",
    response={200: RestrictionReviewOut, **ERRORS},
)
def decide_review(request: HttpRequest, review_id: PathId, payload: DecisionIn):
    """DOC-7: only the National Manager, Quality & Customer Complaints decides."""
    selectors.require_internal(request)
    review = selectors.restriction_review_for(
        request.user, review_id, "restriction-deciding", audit=False
    )
    review = services.decide_restriction_review(
        review=review, actor=request.user, approve=payload.approve, comment=payload.comment
    )
    return restriction_review_out(review)


@router.post("/customers/{customer_id}/contact-check", response={200: ContactCheckOut, **ERRORS})
def contact_check(request: HttpRequest, customer_id: PathId, payload: ContactCheckIn):
    """Before contacting the customer by `channel`: warnings, or 409 when their
    restricted service does not allow it (DOC-7)."""
    customer = _customer(request, customer_id, "contact-checked", audit=False)
    warnings = services.check_contact_allowed(
        customer=customer, channel=payload.channel, actor=request.user
    )
    return {"allowed": True, "warnings": warnings}
