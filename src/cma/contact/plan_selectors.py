"""Reads of contact-attempt plans (CON-1..CON-6). Each takes the acting user and
passes the one door; a plan out of scope is "not found", audited. The pages, the API
and other apps (Decisions: `has_completed_plan`) read plans only through here."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.customers.models import Customer
from cma.errors import PermissionDenied
from cma.staff.models import User

from . import policy
from .errors import NoSuchPlan
from .models import ContactAttempt, ContactPlan, PlanState
from .needs import callable_now
from .plans import PlanStatus, derive

# A customer's plans are few; the newest hundred is every one a person reads.
LIST_LIMIT = 100


@dataclass
class PlanView:
    plan: ContactPlan
    status: PlanStatus


def plans_queryset() -> "QuerySet[ContactPlan]":
    """Everything a derivation reads, in a fixed number of queries (the letter's PDF
    bytes never)."""
    attempts = ContactAttempt.objects.select_related("officer").order_by("at", "pk")
    return (
        ContactPlan.objects.select_related("owner", "letter", "case")
        .defer("letter__pdf")
        .prefetch_related(Prefetch("attempts", queryset=attempts))
    )


def statuses(
    plans: Iterable[ContactPlan], customer: Customer, now: datetime | None = None
) -> list[PlanView]:
    """Derive each of one customer's plans, reading the policy values once."""
    now = now or timezone.now()
    cache = getattr(customer, "_prefetched_objects_cache", {})
    if "phones" not in cache:
        prefetch_related_objects([customer], "phones")
    rules = policy.attempt_rules()
    purposes = policy.purposes()
    callable_ = callable_now(customer, now)
    views = []
    for plan in plans:
        plan.customer = customer
        status = derive(
            plan,
            rules=rules,
            purpose=purposes.get(plan.purpose),
            now=now,
            callable_now=callable_,
        )
        views.append(PlanView(plan, status))
    return views


def plans_for(actor: User, customer: Customer) -> list[PlanView]:
    """The customer's plans, newest first, each with its status; one audited read."""
    access.admit(actor, customer, action="contact.plan.listed")
    plans = list(plans_queryset().filter(customer=customer)[:LIST_LIMIT])
    views = statuses(plans, customer)
    record(
        actor=actor,
        action="contact.plan.listed",
        obj=customer,
        customer_id=customer.pk,
        changes={"count": len(views)},
    )
    return views


def plan_for(actor: User, pk: int, *, action: str = "contact.plan.viewed") -> ContactPlan:
    """The plan, if the actor may see its customer; 404 audited otherwise. Writes no
    row when it lets the actor through: the operation writes its own."""
    if not access.sees_customers(actor):
        error = PermissionDenied("your role does not give access to customer records")
        record_refusal(actor=actor, action=action, error=error)
        raise error
    plan = plans_queryset().select_related("customer").filter(pk=pk).first()
    if plan is None:
        missing = NoSuchPlan("no such contact plan", field="plan_id")
        record_refusal(
            actor=actor,
            action=action,
            error=missing,
            object_type="contact.contactplan",
            object_id=str(pk),
        )
        raise missing
    access.admit(actor, plan.customer, action=action)
    return plan


def plan_view(actor: User, pk: int) -> PlanView:
    """One plan with its status, attempts and next step; one audited read."""
    plan = plan_for(actor, pk)
    view = statuses([plan], plan.customer)[0]
    record(
        actor=actor,
        action="contact.plan.viewed",
        obj=plan,
        customer_id=plan.customer_id,
        changes={"state": view.status.state},
    )
    return view


def has_completed_plan(customer: Customer, subject: str) -> bool:
    """Whether a plan for `subject` (e.g. "decision:12") has made every required
    attempt without reaching the customer and issued MX1-1 where allowed (or MX0-1
    in place of the first call): what Decisions asks before finalising (seed 001
    Table 15). A plan that reached the customer is not "completed unsuccessful"."""
    done = (PlanState.LETTER_ISSUED, PlanState.UNSUCCESSFUL)
    return ContactPlan.objects.filter(customer=customer, subject=subject, state__in=done).exists()
