"""Break-the-glass access (SEC-1): the legitimate way in for an officer who must help a
protected customer now. The officer states a reason (policy `emergency-access-reasons`)
and an explanation, gets access to that one customer for `emergency-access-hours`,
sees a banner while it lasts, and the grant lands in their Team Leader's review list.
Every read and write under it is audited as usual, so a reviewer sees what was done."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cma.audit.models import AuditRecord
from cma.audit.services import record, record_refusal
from cma.errors import DomainError, NotFound, PermissionDenied, Unmet, ValidationFailed
from cma.policy.services import parameter
from cma.staff.models import Role, User

from . import access
from .models import Customer, EmergencyAccess, EmergencyReview


class NotNeeded(ValidationFailed):
    code = "emergency-access-not-needed"


def reasons() -> list[dict[str, str]]:
    return list(parameter("emergency-access-reasons"))


def _clean(text: str, field: str, *, max_length: int) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationFailed(f"{field.replace('_', ' ')} is required", field=field)
    if len(text) > max_length:
        raise ValidationFailed(f"at most {max_length} characters", field=field)
    access.check_text(text, field)
    return text


def break_glass(*, actor: User, customer_id: int, reason: str, explanation: str) -> EmergencyAccess:
    """Grant the actor time-limited access to one protected customer. Refused (and
    audited) for a role that does not work with customers, for a customer the actor
    can already see, and with every unmet field listed at once."""
    action = "customers.emergency_access.granted"
    try:
        with transaction.atomic():
            grant = _grant(actor, customer_id, reason, explanation, action)
    except DomainError as exc:
        if not isinstance(exc, NotFound) or exc.field != "customer_id":
            record_refusal(actor=actor, action=action, error=exc, customer_id=customer_id)
        raise
    access.forget(grant.customer)
    return grant


def _grant(
    actor: User, customer_id: int, reason: str, explanation: str, action: str
) -> EmergencyAccess:
    if not access.sees_customers(actor):
        raise PermissionDenied("your role does not work with customers")
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("no such customer", field="customer_id")
    problems: list[tuple[str | None, str]] = []
    codes = {r["code"] for r in reasons()}
    if reason not in codes:
        problems.append(("reason", f"choose one of: {', '.join(sorted(codes))}"))
    try:
        explanation = _clean(explanation, "explanation", max_length=500)
    except DomainError as exc:
        problems.append(("explanation", exc.message))
    if problems:
        raise Unmet.from_problems("emergency access refused", problems)
    if access.can_see(actor, customer):
        raise NotNeeded("you can already see this customer; no emergency access is needed")
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        officer=actor,
        customer=customer,
        reason=reason,
        explanation=explanation,
        granted_at=now,
        expires_at=now + timedelta(hours=int(parameter("emergency-access-hours"))),
        team=actor.team if actor.team_id else None,
    )
    record(
        actor=actor,
        action=action,
        obj=grant,
        customer_id=customer.pk,
        reason=reason,
        changes={"expires_at": grant.expires_at.isoformat()},
    )
    return grant


def reviewable_by(actor: User) -> QuerySet[EmergencyAccess]:
    """Grants the actor reviews: Team Leaders their team's (teams they lead or belong
    to); the National Manager QCC every grant by an officer with no team."""
    qs = EmergencyAccess.objects.select_related("officer__team", "team", "reviewed_by")
    if actor.role == Role.NATIONAL_MANAGER_QCC:
        return qs.filter(Q(team=None) | Q(team__leader=actor))
    if not actor.has_perm("customers.review_emergency_access"):
        return qs.none()
    mine = Q(team__leader=actor)
    if actor.team_id:
        mine |= Q(team_id=actor.team_id)
    return qs.filter(mine).exclude(officer=actor)


def review_list(actor: User, *, pending_only: bool = False) -> list[EmergencyAccess]:
    """The review list (newest first), each grant with the number of audited
    operations its officer made on that customer while it lasted. Audited read."""
    if not actor.has_perm("customers.review_emergency_access"):
        error = PermissionDenied("only Team Leaders and the National Manager QCC review")
        record_refusal(actor=actor, action="customers.emergency_access.listed", error=error)
        raise error
    qs = reviewable_by(actor)
    if pending_only:
        qs = qs.filter(review_status=EmergencyReview.PENDING)
    grants = list(qs.order_by("-granted_at", "-id")[:200])
    for grant in grants:
        grant.uses = 0
    if grants:
        _count_uses(grants)
    record(
        actor=actor,
        action="customers.emergency_access.listed",
        changes={"grants": [g.pk for g in grants]},
    )
    return grants


def _count_uses(grants: list[EmergencyAccess]) -> None:
    window = Q()
    for g in grants:
        window |= Q(
            actor_id=g.officer_id,
            customer_id=g.customer_id,
            created_at__gte=g.granted_at,
            created_at__lte=g.expires_at,
        )
    rows = (
        AuditRecord.objects.filter(window)
        .exclude(action="customers.emergency_access.granted")
        .values_list("actor_id", "customer_id", "created_at")
    )
    for actor_id, customer_id, at in rows:
        for g in grants:
            same = (g.officer_id, g.customer_id) == (actor_id, customer_id)
            if same and g.granted_at <= at <= g.expires_at:
                g.uses += 1


def review(*, actor: User, grant_id: int, outcome: str, comment: str = "") -> EmergencyAccess:
    """Record the Team Leader's review: reviewed, or queried (a comment is required)."""
    action = "customers.emergency_access.reviewed"
    try:
        with transaction.atomic():
            grant = reviewable_by(actor).select_for_update(of=("self",)).filter(pk=grant_id).first()
            if grant is None:
                raise NotFound("no such emergency access to review", field="grant_id")
            problems: list[tuple[str | None, str]] = []
            if outcome not in (EmergencyReview.REVIEWED, EmergencyReview.QUERIED):
                problems.append(("outcome", "choose reviewed or queried"))
            comment = " ".join((comment or "").split())
            if outcome == EmergencyReview.QUERIED and not comment:
                problems.append(("comment", "say what you are querying"))
            if len(comment) > 500:
                problems.append(("comment", "at most 500 characters"))
            if grant.review_status != EmergencyReview.PENDING:
                problems.append((None, "this emergency access has already been reviewed"))
            if problems:
                raise Unmet.from_problems("review refused", problems)
            if comment:
                access.check_text(comment, "comment")
            grant.review_status = outcome
            grant.review_comment = comment
            grant.reviewed_by = actor
            grant.reviewed_at = timezone.now()
            grant.save(
                update_fields=["review_status", "review_comment", "reviewed_by", "reviewed_at"]
            )
            record(
                actor=actor,
                action=action,
                obj=grant,
                customer_id=grant.customer_id,
                reason=outcome,
            )
            return grant
    except DomainError as exc:
        record_refusal(actor=actor, action=action, error=exc, object_id=str(grant_id)[:64])
        raise


def live_grant(actor: User, customer: Customer) -> EmergencyAccess | None:
    """The banner's grant: the actor's live emergency access to this customer."""
    return access.live_emergency_access(actor, customer)
