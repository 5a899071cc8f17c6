"""Segments (PS-6): a suggestion read from the customer's indicators and the referral
source, proposing segment 1, 2 or 3 with its reasons; the case manager decides;
segment 3 needs the PS Team Leader's approval; each change is recorded in the plan
(a new version) and the activity record."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from cma.audit.services import record
from cma.contact.models import Interaction
from cma.customers.models import AccountSummary, Customer
from cma.notes.models import IndicatorKind, SensitiveIndicator
from cma.staff.models import Role, User

from .. import policy
from ..models import OPEN_REVIEW_STATES, ApprovalState, PlanState, PsPlan, SegmentDecision
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
from .plans import locked_plan, save_version
from .reviews import cancel_open, cancel_proposed, propose_review, schedule_approved
from .reviews import segment_3_problems as review_date_problems


@dataclass(frozen=True)
class Reason:
    code: str
    segment: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "segment": self.segment, "text": self.text}


@dataclass
class Suggestion:
    segment: int
    reasons: list[Reason] = field(default_factory=list)
    indicators: dict[str, int] = field(default_factory=dict)


def indicator_counts(customer: Customer) -> dict[str, int]:
    """How often each PS-6 indicator occurs for the customer, from the account-summary
    feed of their cases and the records already kept (one query per source)."""
    today = now()
    windows = {i.code: i.window_days for i in policy.segment_indicators()}
    accounts = list(
        AccountSummary.objects.filter(Q(case__payer=customer) | Q(case__payee=customer)).only(
            "dpo_recorded",
            "compliance_flags",
            "payment_arrangement",
            "step3_complaints",
            "compensation_waiver_applications",
            "privacy_breach_claims",
        )
    )
    recent_days = windows.get("recent-activity") or 90
    previous = PsPlan.objects.filter(customer=customer, state=PlanState.CLOSED).count()
    return {
        "dpo-recorded": sum(1 for a in accounts if a.dpo_recorded),
        "step-3-complaints": sum(a.step3_complaints for a in accounts),
        "non-compliance": sum(len(a.compliance_flags or []) for a in accounts),
        "defaulted-arrangement": sum(1 for a in accounts if a.payment_arrangement == "defaulted"),
        "compensation-or-waiver": sum(a.compensation_waiver_applications for a in accounts),
        "privacy-breach-claims": sum(a.privacy_breach_claims for a in accounts),
        "security-incidents": SensitiveIndicator.objects.filter(
            customer=customer, kind=IndicatorKind.SECURITY_INCIDENT
        ).count(),
        "recent-activity": Interaction.objects.filter(
            customer=customer, started_at__gte=today - timedelta(days=recent_days)
        ).count(),
        "previous-ps-management": previous,
    }


def suggest(counts: dict[str, int], source: str) -> Suggestion:
    """The segment the indicators and the referral source point to, with every reason.
    No indicator and no source pointing higher: segment 1 (seed 003 segment 1
    indicators are the absence of the others)."""
    reasons: list[Reason] = []
    for indicator in policy.segment_indicators():
        count = counts.get(indicator.code, 0)
        segment = indicator.segment_for(count)
        if segment is not None:
            times = "" if count == 1 else f" ({count})"
            reasons.append(Reason(indicator.code, segment, f"{indicator.name}{times}"))
    found = policy.referral_sources().get(source)
    if found is not None and found.extra.get("segment"):
        reasons.append(
            Reason(f"source:{source}", int(found.extra["segment"]), f"Referred by: {found.name}")
        )
    segment = max((r.segment for r in reasons), default=1)
    indicator_twos = [r for r in reasons if r.segment == 2 and not r.code.startswith("source:")]
    if segment < 3 and len(indicator_twos) >= policy.segment_3_indicator_count():
        reasons.append(
            Reason(
                "many-indicators",
                3,
                f"{len(indicator_twos)} segment 2 indicators together",
            )
        )
        segment = 3
    if not reasons:
        reasons.append(
            Reason("no-indicators", 1, "No indicator of escalation, non-compliance or PS history")
        )
    return Suggestion(segment=segment, reasons=reasons, indicators=dict(counts))


def suggestion_for(plan: PsPlan) -> Suggestion:
    return suggest(indicator_counts(plan.customer), plan.referral_source)


@audited("personalised.segment.decided")
def decide_segment(
    *, plan: PsPlan, actor: User, segment: int, comment: str = "", review_on: date | None = None
) -> SegmentDecision:
    """The case manager decides the segment, seeing the suggestion and its reasons.
    A segment needing approval (3) waits for the PS Team Leader; any other takes
    effect on the plan at once. Segment 3 proposes the review date (PS-18: at most 3
    months ahead, policy; the furthest allowed when not given)."""
    current = locked_plan(plan, actor, action="personalised.segment.decided")
    problems: Problems = []
    if current.case_manager_id != actor.pk:
        problems.append((None, "PS-6: the plan's case manager decides the segment"))
    if current.state not in (PlanState.DRAFT, PlanState.APPROVED):
        problems.append(("state", f"the plan is {current.get_state_display().lower()}"))
    if segment not in (1, 2, 3):
        problems.append(("segment", "the segment is 1, 2 or 3"))
    if current.segment_decisions.filter(approval=ApprovalState.PENDING).exists():
        problems.append(("segment", "a segment decision already awaits the PS Team Leader"))
    problem = text_problem(comment, "comment", max_length=2000, required=False)
    if problem:
        problems.append(("comment", problem))
    problems += review_date_problems(segment, review_on)
    if segment == 3 and current.reviews.filter(state__in=OPEN_REVIEW_STATES).exists():
        problems.append(("segment", "PS-18: a segment 3 review is already open for this plan"))
    refuse("the segment cannot be decided", problems)
    check_text({"comment": comment}, current.customer)
    found = suggestion_for(current)
    needs = segment in policy.segments_needing_approval()
    decision = SegmentDecision.objects.create(
        plan=current,
        customer=current.customer,
        suggested_segment=found.segment,
        reasons=[r.as_dict() for r in found.reasons],
        indicators=found.indicators,
        decided_segment=segment,
        decided_by=actor,
        comment=comment.strip(),
        needs_approval=needs,
        approval=ApprovalState.PENDING if needs else ApprovalState.NOT_NEEDED,
        previous_segment=current.segment,
    )
    if segment == 3:
        propose_review(decision, actor, review_on)
    if not needs:
        _apply(current, decision, actor)
    else:
        stacking_note(
            current.customer,
            actor,
            "Segment 3 proposed",
            f"Segment {segment} proposed (suggested {found.segment}); awaiting PS Team Leader.",
        )
    record(
        actor=actor,
        action="personalised.segment.decided",
        obj=decision,
        customer_id=current.customer_id,
        changes={
            "suggested": found.segment,
            "decided": segment,
            "needs_approval": needs,
            "reasons": [r.code for r in found.reasons],
            **({"review_on": review_on.isoformat()} if review_on else {}),
        },
    )
    return decision


def _apply(plan: PsPlan, decision: SegmentDecision, actor: User) -> None:
    before = plan.segment
    plan.segment = decision.decided_segment
    plan.save(update_fields=["segment"])
    if plan.segment == 3:
        schedule_approved(decision, actor)
    else:
        cancel_open(plan)
    save_version(plan, actor, f"segment {before or '-'} -> {plan.segment}")
    activity(
        customer=plan.customer_id,
        kind="segment-changed",
        actor=actor,
        plan=plan,
        previous=before,
        segment=plan.segment,
        suggested=decision.suggested_segment,
    )
    stacking_note(
        plan.customer,
        actor,
        "Customer segment",
        f"Segment {plan.segment} recorded (suggested {decision.suggested_segment}).",
    )


@audited("personalised.segment.approval")
def approve_segment(
    *, decision: SegmentDecision, actor: User, approve: bool, comment: str = ""
) -> SegmentDecision:
    """The PS Team Leader approves (or rejects) a segment 3 allocation (PS-6)."""
    plan = locked_plan(decision.plan, actor, action="personalised.segment.approval")
    current = SegmentDecision.objects.select_for_update().get(pk=decision.pk)
    problems: Problems = []
    if actor.role != Role.PS_TEAM_LEADER:
        problems.append((None, "PS-6: only a PS Team Leader approves segment 3"))
    if current.approval != ApprovalState.PENDING:
        problems.append(("approval", f"this decision is {current.get_approval_display().lower()}"))
    problem = text_problem(comment, "comment", max_length=2000, required=not approve)
    if problem:
        problems.append(("comment", f"say why: {problem}" if not approve else problem))
    refuse("the segment cannot be approved", problems)
    check_text({"comment": comment}, plan.customer)
    current.approval = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
    current.approved_by, current.approved_at = actor, now()
    current.approval_comment = comment.strip()
    current.save(update_fields=["approval", "approved_by", "approved_at", "approval_comment"])
    if approve:
        _apply(plan, current, actor)
    else:
        cancel_proposed(current)
        stacking_note(
            plan.customer,
            actor,
            "Segment 3 not approved",
            "PS Team Leader did not approve segment 3.",
        )
    record(
        actor=actor,
        action="personalised.segment.approval",
        obj=current,
        customer_id=plan.customer_id,
        changes={"approval": current.approval, "segment": current.decided_segment},
    )
    return current
