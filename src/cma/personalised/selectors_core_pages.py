"""Reads behind the PS core's staff pages (PS-1..PS-6): the referral page with its
actioning checklist, the plan page with its issues, segment decisions and versions,
and one version. Each passes the one door (`selectors.one`, 404 audited) and audits the
read once; each takes a fixed number of queries however many steps, issues or versions
there are."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from cma.audit.services import record, record_refusal
from cma.contact.models import Interaction
from cma.customers.models import Customer
from cma.staff.models import Role, User

from . import policy, selectors
from .errors import NoSuchPsRecord
from .models import (
    ApprovalState,
    PlanState,
    PsIssue,
    PsIssueEvent,
    PsPlan,
    PsPlanVersion,
    Referral,
    SegmentDecision,
)
from .services import actioning
from .services.plans import approval_problems
from .services.segments import Suggestion, suggestion_for

PS_ROLES = (Role.PS_CASE_MANAGER, Role.PS_TEAM_LEADER)
RECENT_INTERACTIONS = 10


@dataclass
class ReferralView:
    referral: Referral
    steps: list[dict[str, Any]]
    next_step: str | None
    on_time: bool | None
    plan: PsPlan | None
    interactions: list[Interaction]
    can_act: bool


def referral_state(actor: User, referral: Referral) -> ReferralView:
    """The checklist in policy order, the next step to do, the open plan and the
    customer's recent interactions (for the contact steps). No audit row: the page or
    the step that asks writes it."""
    steps = actioning.checklist(referral)
    next_step = next((s["code"] for s in steps if not s["done"]), None)
    plan = actioning.open_plan(referral.primary_customer_id)
    customer_ids = [referral.primary_customer_id]
    if referral.associated_customer_id:
        customer_ids.append(referral.associated_customer_id)
    interactions = list(
        Interaction.objects.filter(customer_id__in=customer_ids).order_by("-started_at", "-pk")[
            :RECENT_INTERACTIONS
        ]
    )
    live = referral.state in ("received", "actioning")
    can_act = live and actor.role in PS_ROLES and referral.case_manager_id in (None, actor.pk)
    return ReferralView(
        referral=referral,
        steps=steps,
        next_step=next_step,
        on_time=actioning.on_time(referral),
        plan=plan,
        interactions=interactions,
        can_act=can_act,
    )


def referral_view(actor: User, referral_id: int) -> ReferralView:
    """The referral page's read, audited once (PS-1, PS-2)."""
    action = "personalised.referral.viewed"
    referral = selectors.one(Referral, actor, referral_id, action=action, field="referral_id")
    selectors.viewed(actor, referral, action)
    return referral_state(actor, referral)


@dataclass
class PlanView:
    plan: PsPlan
    issues: list[PsIssue]
    versions: list[PsPlanVersion]
    decisions: list[SegmentDecision]
    pending: SegmentDecision | None
    suggestion: Suggestion | None
    overdue: bool
    missing: list[tuple[str | None, str]]
    is_manager: bool
    is_ps_team_leader: bool
    open: bool
    transitions: dict[str, list[str]] = field(default_factory=dict)


def plan_state(actor: User, plan: PsPlan) -> PlanView:
    """The plan with its issues (and each one's history), segment decisions, versions
    (without their snapshots), the segment suggestion and what approval still needs."""
    found = (
        PsPlan.objects.select_related("customer", "case_manager", "approved_by", "referral")
        .prefetch_related(
            Prefetch(
                "issues",
                queryset=PsIssue.objects.order_by("position", "pk").prefetch_related(
                    Prefetch(
                        "events",
                        queryset=PsIssueEvent.objects.select_related("by").order_by("at", "pk"),
                    )
                ),
            ),
            Prefetch(
                "segment_decisions",
                queryset=SegmentDecision.objects.select_related(
                    "decided_by", "approved_by"
                ).order_by("-decided_at", "-pk"),
            ),
            Prefetch(
                "versions",
                queryset=PsPlanVersion.objects.select_related("author")
                .defer("snapshot")
                .order_by("-number"),
            ),
        )
        .get(pk=plan.pk)
    )
    decisions = list(found.segment_decisions.all())
    is_open = found.state in (PlanState.DRAFT, PlanState.APPROVED)
    return PlanView(
        plan=found,
        issues=list(found.issues.all()),
        versions=list(found.versions.all()),
        decisions=decisions,
        pending=next((d for d in decisions if d.approval == ApprovalState.PENDING), None),
        suggestion=suggestion_for(found) if is_open else None,
        overdue=selectors.is_overdue(found),
        missing=approval_problems(found) if found.state == PlanState.DRAFT else [],
        is_manager=found.case_manager_id == actor.pk,
        is_ps_team_leader=actor.role == Role.PS_TEAM_LEADER,
        open=is_open,
        transitions=policy.issue_transitions(),
    )


def plan_view(actor: User, ps_plan_id: int) -> PlanView:
    """The plan page's read, audited once (PS-4..PS-6)."""
    action = "personalised.plan.viewed"
    plan = selectors.one(PsPlan, actor, ps_plan_id, action=action, field="ps_plan_id")
    selectors.viewed(actor, plan, action)
    return plan_state(actor, plan)


def plan_version(actor: User, ps_plan_id: int, number: int) -> tuple[PsPlan, PsPlanVersion]:
    """One kept version of the plan (PS-4), audited once; an unknown number is a 404
    with its audited refusal."""
    action = "personalised.plan.version-viewed"
    plan = selectors.one(PsPlan, actor, ps_plan_id, action=action, field="ps_plan_id")
    version = plan.versions.select_related("author").filter(number=number).first()
    if version is None:
        missing = NoSuchPsRecord("no such version of the plan", field="number")
        record_refusal(actor=actor, action=action, error=missing, customer_id=plan.customer_id)
        raise missing
    record(
        actor=actor,
        action=action,
        obj=plan,
        customer_id=plan.customer_id,
        changes={"version": number},
    )
    return plan, version


@dataclass
class CustomerPs:
    referral: Referral | None
    plan: PsPlan | None
    overdue: bool
    on_time: bool | None


def customer_ps(customer: Customer) -> CustomerPs:
    """The customer's latest PS referral and open plan, for the customer page (which
    has already passed the door and audited the read): two queries."""
    referral = (
        Referral.objects.filter(primary_customer=customer)
        .select_related("case_manager")
        .order_by("-referred_at", "-pk")
        .first()
    )
    plan = actioning.open_plan(customer)
    return CustomerPs(
        referral=referral,
        plan=plan,
        overdue=selectors.is_overdue(plan) if plan is not None else False,
        on_time=actioning.on_time(referral) if referral is not None else None,
    )
