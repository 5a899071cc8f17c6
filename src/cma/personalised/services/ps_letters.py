"""The PS letters (PS-9): UQ140.00 introduction, UQ140.01 confirmation of the first call
and UQ140.02 exit, issued through the letters service and signed by the customer's
PS case manager. Skipping UQ140.01 (segment 1 or some segment 2 customers) needs the
PS Team Leader's agreement, recorded in the plan (LetterSkip)."""

from typing import Any

from django.utils import timezone

from cma.audit.services import as_step, record
from cma.letters.models import Letter
from cma.letters.services import issue_letter
from cma.staff.models import User

from .. import contact_policy
from ..models import ApprovalState, LetterSkip, PsPlan
from ._contact import (
    audited,
    case_manager_problems,
    check_text,
    contact_check,
    locked_plan,
    refuse,
    save_version,
    stacking_note,
    team_leader_problems,
    text_problem,
)

REASON_MAX = 2000


def _skip_for(plan: PsPlan, code: str, *states: str) -> LetterSkip | None:
    return LetterSkip.objects.filter(plan=plan, letter_code=code, approval__in=states).first()


def _issued_since(plan: PsPlan, code: str) -> bool:
    return Letter.objects.filter(
        customer_id=plan.customer_id, template_code=code, issued_at__gte=plan.created_at
    ).exists()


@audited("personalised.letter.issued")
def issue_ps_letter(
    *, plan: PsPlan, actor: User, letter: str, fields: dict[str, Any] | None = None
) -> Letter:
    """Issue one of the PS letters (`letter`: introduction, first-call or exit), signed
    by the case manager; by post, so the restricted service is checked first."""
    action = "personalised.letter.issued"
    current = locked_plan(plan, actor, action=action)
    problems = case_manager_problems(actor, current, "sign a PS letter")
    code = contact_policy.letter_code(letter)
    if code == contact_policy.letters().get("skippable"):
        agreed = _skip_for(current, code, ApprovalState.APPROVED)
        if agreed is not None:
            problems.append(("letter", f"the PS Team Leader agreed to skip {code} for this plan"))
    refuse(f"{code} cannot be issued", problems)
    contact_check(current.customer, "post", actor)
    with as_step():
        issued = issue_letter(
            customer=current.customer, template_code=code, fields=fields or {}, actor=actor
        )
    stacking_note(
        current.customer, actor, f"PS letter {code}", f"{issued.title} ({issued.reference}) issued."
    )
    record(
        actor=actor,
        action=action,
        obj=issued,
        customer_id=current.customer_id,
        changes={"plan": current.pk, "template": code},
    )
    return issued


@audited("personalised.letter-skip.requested")
def request_letter_skip(*, plan: PsPlan, actor: User, reason: str) -> LetterSkip:
    """Ask the PS Team Leader to agree that UQ140.01 is not sent (PS-9): only for the
    segments policy allows, before it is issued, one request at a time."""
    action = "personalised.letter-skip.requested"
    current = locked_plan(plan, actor, action=action)
    code = str(contact_policy.letters()["skippable"])
    problems = case_manager_problems(actor, current, f"ask to skip {code}")
    problem = text_problem(reason, "reason", max_length=REASON_MAX, required=True)
    if problem:
        problems.append(("reason", problem))
    segments = sorted(contact_policy.skippable_segments())
    if current.segment is None:
        problems.append(("segment", "record the customer's segment first (PS-6)"))
    elif current.segment not in segments:
        allowed = " or ".join(str(s) for s in segments)
        problems.append(("segment", f"{code} may be skipped only for segment {allowed} customers"))
    if _issued_since(current, code):
        problems.append(("letter", f"{code} has already been issued"))
    if _skip_for(current, code, ApprovalState.PENDING, ApprovalState.APPROVED):
        problems.append(("letter", f"skipping {code} is already requested or agreed"))
    refuse(f"skipping {code} cannot be requested", problems)
    check_text({"reason": reason}, current.customer)
    skip = LetterSkip.objects.create(
        plan=current,
        letter_code=code,
        segment=current.segment,
        reason=reason.strip(),
        requested_by=actor,
        approval=ApprovalState.PENDING,
    )
    record(
        actor=actor,
        action=action,
        obj=skip,
        customer_id=current.customer_id,
        changes={"plan": current.pk, "letter": code, "segment": current.segment},
    )
    return skip


@audited("personalised.letter-skip.decided")
def decide_letter_skip(
    *, skip: LetterSkip, actor: User, agree: bool, comment: str = ""
) -> LetterSkip:
    """The PS Team Leader agrees (or not) that UQ140.01 is not sent; the decision is
    recorded in the plan (a new version) and the PS stacking document."""
    action = "personalised.letter-skip.decided"
    current = LetterSkip.objects.select_for_update(of=("self",)).get(pk=skip.pk)
    plan = locked_plan(current.plan, actor, action=action)
    problems = team_leader_problems(actor, f"agree to skip {current.letter_code}")
    if current.approval != ApprovalState.PENDING:
        problems.append(
            ("skip", f"this request is already {current.get_approval_display().lower()}")
        )
    problem = text_problem(comment, "comment", max_length=REASON_MAX, required=not agree)
    if problem:
        problems.append(("comment", "say why it is not agreed" if not agree else problem))
    refuse("the letter skip cannot be decided", problems)
    check_text({"comment": comment}, plan.customer)
    current.approval = ApprovalState.APPROVED if agree else ApprovalState.REJECTED
    current.agreed_by, current.agreed_at = actor, timezone.now()
    current.comment = comment.strip()
    current.save(update_fields=["approval", "agreed_by", "agreed_at", "comment"])
    verdict = "agreed" if agree else "not agreed"
    stacking_note(
        plan.customer,
        actor,
        f"{current.letter_code} skip {verdict}",
        f"The PS Team Leader {verdict} that {current.letter_code} is not sent."
        + (f"\n{current.comment}" if current.comment else ""),
    )
    version = save_version(plan, actor, f"{current.letter_code} skip {verdict}")
    record(
        actor=actor,
        action=action,
        obj=current,
        customer_id=plan.customer_id,
        changes={"approval": current.approval, "plan_version": version.number},
    )
    return current
