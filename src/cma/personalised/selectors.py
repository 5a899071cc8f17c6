"""Reads for Personalised Services. Every read of one record passes the one door for
its customer (404 audited otherwise); the read itself is audited by the caller that
shows it (`viewed`)."""

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import models

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.customers.models import agency_today
from cma.errors import PermissionDenied
from cma.staff.models import User

from .errors import NoSuchPsRecord
from .models import (
    FinalisationRequest,
    PlanState,
    PsIssue,
    PsPlan,
    PsPlanVersion,
    Reallocation,
    Referral,
    SegmentDecision,
)

M = TypeVar("M", bound=models.Model)

_RELATED: dict[type, tuple[str, ...]] = {
    Referral: ("primary_customer", "associated_customer", "intray__type", "case_manager", "case"),
    PsPlan: ("customer", "case_manager", "approved_by", "referral"),
    PsIssue: ("plan__customer", "plan__case_manager"),
    SegmentDecision: ("plan__customer", "plan__case_manager", "decided_by", "approved_by"),
    Reallocation: ("customer", "requested_by", "receiving_team", "decided_by"),
    FinalisationRequest: ("customer", "plan", "transfer_area", "routed_area"),
}


def _customer_of(obj: Any) -> Any:
    for attr in ("primary_customer", "customer"):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    return obj.plan.customer


def one(model: type[M], actor: User, pk: int, *, action: str, field: str) -> M:
    """The record behind `pk` if the actor may see its customer; 404 audited otherwise."""
    if not access.sees_customers(actor):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action=action, error=error)
        raise error
    found = model._default_manager.select_related(*_RELATED.get(model, ())).filter(pk=pk).first()
    if found is None:
        missing = NoSuchPsRecord("not found", field=field)
        record_refusal(
            actor=actor,
            action=action,
            error=missing,
            object_type=model._meta.label_lower,
            object_id=str(pk)[:64],
        )
        raise missing
    access.admit(actor, _customer_of(found), action=action)
    return found


def viewed(actor: User, obj: Any, action: str) -> None:
    """Audit a read of one PS record (AUD-1)."""
    record(actor=actor, action=action, obj=obj, customer_id=_customer_of(obj).pk)


@dataclass
class PlanRow:
    plan: PsPlan
    overdue: bool
    open_issues: int


def is_overdue(plan: PsPlan, today: date | None = None) -> bool:
    """PS-4: not approved by its due date (21 days after the referral)."""
    return plan.state == PlanState.DRAFT and (today or agency_today()) > plan.due_on


def plans_for(actor: User, *, limit: int = 200) -> list[PlanRow]:
    """The actor's open plans, soonest due first, overdue highlighted. A fixed number
    of queries however many plans there are."""
    qs = (
        PsPlan.objects.filter(case_manager=actor)
        .exclude(state=PlanState.CLOSED)
        .select_related("customer", "case_manager")
        .annotate(open_issues=models.Count("issues", filter=~models.Q(issues__status="resolved")))
        .order_by("due_on", "pk")[:limit]
    )
    plans = list(qs)
    hidden = access.hidden_from(actor, [p.customer for p in plans]) if plans else set()
    today = agency_today()
    rows = [
        PlanRow(plan=p, overdue=is_overdue(p, today), open_issues=p.open_issues)
        for p in plans
        if p.customer_id not in hidden
    ]
    record(
        actor=actor,
        action="personalised.plans.listed",
        object_type="personalised.psplan",
        changes={"count": len(rows)},
    )
    return rows


def plan_versions(actor: User, plan: PsPlan) -> list[PsPlanVersion]:
    """Every version of the plan, newest first (PS-4); the read is audited."""
    access.admit(actor, plan.customer, action="personalised.plan.versions")
    versions = list(plan.versions.select_related("author").order_by("-number"))
    record(
        actor=actor,
        action="personalised.plan.versions",
        obj=plan,
        customer_id=plan.customer_id,
        changes={"count": len(versions)},
    )
    return versions


def plan_detail(plan: PsPlan) -> PsPlan:
    """The plan with its issues, options and segment decisions, in a fixed number of
    queries."""
    return (
        PsPlan.objects.select_related("customer", "case_manager", "approved_by", "referral")
        .prefetch_related("issues", "options", "segment_decisions__decided_by")
        .get(pk=plan.pk)
    )


def referrals_for_area(actor: User, *, limit: int = 200) -> list[Referral]:
    """Referrals waiting for or being actioned by the actor."""
    rows = list(
        Referral.objects.filter(state__in=["received", "actioning"])
        .filter(models.Q(case_manager=actor) | models.Q(case_manager__isnull=True))
        .select_related("primary_customer", "intray__type")
        .order_by("due_on", "pk")[:limit]
    )
    hidden = access.hidden_from(actor, [r.primary_customer for r in rows]) if rows else set()
    return [r for r in rows if r.primary_customer_id not in hidden]
