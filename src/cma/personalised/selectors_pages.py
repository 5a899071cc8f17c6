"""Reads for the contact, letter, face-to-face and option doors and the two PS pages
(PS-7..PS-11): every record passes the one door for its plan's customer, and the lists
(a case manager's caseload, a PS Team Leader's approvals) are bounded, flat queries
that audit the read (AUD-1)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Max, Model, OuterRef, Subquery

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.customers.models import agency_today
from cma.errors import PermissionDenied
from cma.staff.models import Role, User

from .errors import NoSuchPsRecord, PsPermissionDenied
from .models import (
    ApprovalState,
    FaceToFace,
    FaceToFaceState,
    FinalisationRequest,
    FinalisationState,
    FirstContact,
    LetterSkip,
    PlanOption,
    PlanState,
    PsPlan,
    Reallocation,
    ReallocationState,
    SegmentDecision,
)

PS_ROLES = (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER)


def _require_customer_role(actor: User, action: str) -> None:
    if not access.sees_customers(actor):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action=action, error=error)
        raise error


def _missing(actor: User, action: str, what: str, field: str, pk: int, label: str) -> None:
    error = NoSuchPsRecord(f"no such {what}", field=field)
    record_refusal(actor=actor, action=action, error=error, object_type=label, object_id=str(pk))
    raise error


def plan_for(actor: User, pk: int, *, action: str) -> PsPlan:
    """The plan, if the actor may see its customer; 404 audited otherwise. Writes no
    row when it lets the actor through: the operation writes its own."""
    _require_customer_role(actor, action)
    plan = (
        PsPlan.objects.select_related("customer", "case_manager", "referral").filter(pk=pk).first()
    )
    if plan is None:
        _missing(actor, action, "PS plan", "ps_plan_id", pk, "personalised.psplan")
    assert plan is not None
    access.admit(actor, plan.customer, action=action)
    return plan


def _on_plan(
    model: type[Model], actor: User, pk: int, *, action: str, field: str, what: str
) -> Any:
    _require_customer_role(actor, action)
    found: Any = (
        model._default_manager.select_related("plan__customer", "plan__case_manager")  # type: ignore[attr-defined]
        .filter(pk=pk)
        .first()
    )
    if found is None:
        _missing(actor, action, what, field, pk, model._meta.label_lower)
    access.admit(actor, found.plan.customer, action=action)
    return found


def first_contact_for(actor: User, pk: int, *, action: str) -> FirstContact:
    return _on_plan(
        FirstContact, actor, pk, action=action, field="first_contact_id", what="first contact"
    )  # type: ignore[no-any-return]


def meeting_for(actor: User, pk: int, *, action: str) -> FaceToFace:
    return _on_plan(
        FaceToFace, actor, pk, action=action, field="meeting_id", what="face-to-face meeting"
    )  # type: ignore[no-any-return]


def skip_for(actor: User, pk: int, *, action: str) -> LetterSkip:
    return _on_plan(LetterSkip, actor, pk, action=action, field="skip_id", what="letter skip")  # type: ignore[no-any-return]


def option_for(actor: User, pk: int, *, action: str) -> PlanOption:
    return _on_plan(PlanOption, actor, pk, action=action, field="option_id", what="plan option")  # type: ignore[no-any-return]


def first_contact_view(actor: User, pk: int) -> FirstContact:
    action = "personalised.first-contact.viewed"
    found = first_contact_for(actor, pk, action=action)
    record(actor=actor, action=action, obj=found, customer_id=found.plan.customer_id)
    return found


def contact_page(actor: User, pk: int) -> dict[str, Any]:
    """Everything the plan's contact page shows, in a fixed number of queries."""
    action = "personalised.contact.viewed"
    plan = plan_for(actor, pk, action=action)
    record(actor=actor, action=action, obj=plan, customer_id=plan.customer_id)
    return contact_view(plan)


def contact_view(plan: PsPlan) -> dict[str, Any]:
    """The contact page's content for a plan already through the door (no audit row:
    a refused step shows it again with its own one row)."""
    return {
        "plan": plan,
        "first_contact": plan.first_contacts.order_by("-recorded_at", "-pk").first(),
        "after_contacts": list(
            plan.after_contacts.select_related("follow_up_intray__type").order_by("-recorded_at")[
                :5
            ]
        ),
        "meetings": list(
            plan.face_to_faces.prefetch_related("attendees").order_by("-requested_at")[:5]
        ),
        "skips": list(plan.letter_skips.order_by("-requested_at")[:5]),
        "options": list(plan.options.order_by("recorded_at", "pk")),
        "issues": list(plan.issues.order_by("position", "pk")),
    }


# --- A case manager's caseload ("my PS customers") ----------------------------------

CASELOAD_SORTS = {
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "next": ("next_contact_at", "due_on", "pk"),
    "customer": ("customer__family_name", "customer__given_names", "pk"),
    "status": ("state", "due_on", "pk"),
    "segment": ("segment", "due_on", "pk"),
}
CASELOAD_LIMIT = 200


@dataclass
class CaseloadRow:
    plan: PsPlan
    next_contact_at: datetime | None
    overdue: bool


def caseload(actor: User, *, sort: str = "due") -> list[CaseloadRow]:
    """The actor's open PS plans (PS-4, PS-7): plan status, due date with overdue
    marked, the next agreed contact; sorted on the server; two queries whatever the
    size (the plans with their customers, and the protection flags)."""
    action = "personalised.caseload.viewed"
    _require_customer_role(actor, action)
    if actor.role not in PS_ROLES:
        error = PsPermissionDenied("only Personalised Services staff have a PS caseload")
        record_refusal(actor=actor, action=action, error=error)
        raise error
    order = CASELOAD_SORTS.get(sort, CASELOAD_SORTS["due"])
    next_contact = (
        FirstContact.objects.filter(plan=OuterRef("pk"))
        .values("plan")
        .annotate(at=Max("next_contact_at"))
        .values("at")
    )
    plans = list(
        PsPlan.objects.filter(case_manager=actor)
        .exclude(state=PlanState.CLOSED)
        .select_related("customer")
        .annotate(next_contact_at=Subquery(next_contact))
        .order_by(*order)[:CASELOAD_LIMIT]
    )
    hidden = access.hidden_from(
        actor, [p.customer for p in plans], granted=[p.customer_id for p in plans]
    )
    today = agency_today()
    rows = [
        CaseloadRow(p, p.next_contact_at, _overdue(p, today))  # type: ignore[attr-defined]
        for p in plans
        if p.customer_id not in hidden
    ]
    record(
        actor=actor,
        action=action,
        changes={"plans": len(rows), "sort": sort if sort in CASELOAD_SORTS else "due"},
    )
    return rows


def _overdue(plan: PsPlan, today: date) -> bool:
    """A plan not yet approved past its due date (PS-4: 21 days from referral)."""
    return plan.state == PlanState.DRAFT and plan.due_on < today


# --- A PS Team Leader's approvals ---------------------------------------------------


@dataclass
class Approvals:
    segments: list[SegmentDecision]
    reallocations: list[Reallocation]
    meetings: list[FaceToFace]
    scm_notices: list[FaceToFace]
    skips: list[LetterSkip]
    finalisations: list[FinalisationRequest] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(x)
            for x in (
                self.segments,
                self.reallocations,
                self.meetings,
                self.scm_notices,
                self.skips,
                self.finalisations,
            )
        )


APPROVALS_LIMIT = 100


def approvals_unaudited() -> Approvals:
    """The queue again after a refused decision (which has its own one audit row)."""
    return _queue()


def approvals(actor: User) -> Approvals:
    """What waits for a PS Team Leader (PS-3, PS-6, PS-9, PS-10): segment 3 decisions,
    reallocation requests, face-to-face requests, security-risk meetings whose Service
    Centre Manager is not yet notified, and UQ140.01 skips. Five flat queries."""
    action = "personalised.approvals.viewed"
    _require_customer_role(actor, action)
    if actor.role != Role.PS_TEAM_LEADER:
        error = PsPermissionDenied("only a PS Team Leader has a PS approvals queue")
        record_refusal(actor=actor, action=action, error=error)
        raise error
    found = _queue()
    record(actor=actor, action=action, changes={"waiting": found.count})
    return found


def _queue() -> Approvals:
    on_plan = ("plan__customer", "plan__case_manager")
    return Approvals(
        segments=list(
            SegmentDecision.objects.filter(approval=ApprovalState.PENDING)
            .select_related("customer", "decided_by", "plan")
            .order_by("decided_at", "pk")[:APPROVALS_LIMIT]
        ),
        reallocations=list(
            Reallocation.objects.filter(state=ReallocationState.REQUESTED)
            .select_related("customer", "requested_by")
            .order_by("requested_at", "pk")[:APPROVALS_LIMIT]
        ),
        meetings=list(
            FaceToFace.objects.filter(state=FaceToFaceState.REQUESTED)
            .select_related(*on_plan, "requested_by")
            .order_by("requested_at", "pk")[:APPROVALS_LIMIT]
        ),
        scm_notices=list(
            FaceToFace.objects.filter(
                state=FaceToFaceState.APPROVED, security_risks=True, scm_notified=False
            )
            .select_related(*on_plan)
            .order_by("approved_at", "pk")[:APPROVALS_LIMIT]
        ),
        skips=list(
            LetterSkip.objects.filter(approval=ApprovalState.PENDING)
            .select_related(*on_plan, "requested_by")
            .order_by("requested_at", "pk")[:APPROVALS_LIMIT]
        ),
        finalisations=list(
            FinalisationRequest.objects.filter(state=FinalisationState.REQUESTED)
            .select_related("customer", "case_manager", "requested_by", "plan")
            .order_by("requested_at", "pk")[:APPROVALS_LIMIT]
        ),
    )
