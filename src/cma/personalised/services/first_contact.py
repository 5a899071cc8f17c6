"""The first contact with a PS customer (PS-7): the restricted-service check before
any contact, the discussion checklist (the five mandatory issues, the Parent Support
Services and social-worker offers, expectations, the summary the customer
acknowledges), linked to the case manager's open contact interaction."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from cma.audit.services import record
from cma.contact.models import Interaction
from cma.staff.models import User

from .. import contact_policy
from ..models import FirstContact, IssueStatus, PsPlan
from ._contact import (
    Problems,
    audited,
    case_manager_problems,
    check_text,
    contact_check,
    locked_plan,
    refuse,
    save_version,
    stacking_note,
    text_problem,
)
from .plans import move_issue

SUMMARY_MAX = 4000
FIRST_CONTACT_COMMENT = "Discussed with the customer at first contact (PS-7)"


def _open_interaction(
    plan: PsPlan, actor: User, interaction_id: int | None
) -> tuple[Interaction | None, Problems]:
    calls = Interaction.objects.filter(customer_id=plan.customer_id, officer=actor)
    if interaction_id is None:
        return calls.filter(ended_at__isnull=True).order_by("-started_at").first(), []
    found = Interaction.objects.filter(pk=interaction_id).first()
    if found is None or found.customer_id != plan.customer_id:
        return None, [("interaction_id", "no such contact with this customer")]
    problems: Problems = []
    if found.officer_id != actor.pk:
        problems.append(("interaction_id", "that contact is another officer's"))
    if found.ended_at is not None:
        problems.append(("interaction_id", "that contact has ended"))
    return found, problems


@audited("personalised.first-contact.started")
def start_first_contact(
    *,
    plan: PsPlan,
    actor: User,
    channel: str = "phone",
    interaction_id: int | None = None,
) -> tuple[FirstContact, list[str]]:
    """Check the customer's restricted service for `channel` first (refused, audited,
    when it does not allow it), then open the discussion checklist, linked to the case
    manager's open interaction with the customer when there is one. Returns the
    checklist and the warnings to show before the contact."""
    current = locked_plan(plan, actor, action="personalised.first-contact.started")
    problems = case_manager_problems(actor, current, "make the first contact")
    if channel not in contact_policy.contact_channels():
        problems.append(
            ("channel", f"choose one of {', '.join(contact_policy.contact_channels())}")
        )
    if FirstContact.objects.filter(plan=current, completed_at__isnull=False).exists():
        problems.append(("plan", "the first contact is already complete; record a follow-up"))
    elif FirstContact.objects.filter(plan=current).exists():
        problems.append(("plan", "a first contact is already being recorded"))
    interaction, found = _open_interaction(current, actor, interaction_id)
    problems += found
    refuse("the first contact cannot start", problems)
    warnings = contact_check(current.customer, channel, actor)
    contact = FirstContact.objects.create(
        plan=current,
        customer=current.customer,
        interaction=interaction,
        restricted_check_done=True,
        recorded_by=actor,
    )
    record(
        actor=actor,
        action="personalised.first-contact.started",
        obj=contact,
        customer_id=current.customer_id,
        changes={
            "plan": current.pk,
            "channel": channel,
            "interaction": interaction.pk if interaction else None,
            "warnings": len(warnings),
        },
    )
    return contact, warnings


def _locked_contact(first_contact: FirstContact, actor: User, action: str) -> FirstContact:
    current = (
        FirstContact.objects.select_for_update(of=("self",))
        .select_related("plan__customer", "plan__case_manager")
        .get(pk=first_contact.pk)
    )
    current.plan = locked_plan(current.plan, actor, action=action)
    return current


@audited("personalised.first-contact.discussed")
def record_discussion(
    *,
    first_contact: FirstContact,
    actor: User,
    items_done: list[str] | None = None,
    summary: str | None = None,
    summary_acknowledged: bool | None = None,
    next_contact_at: datetime | None = None,
) -> FirstContact:
    """Tick discussion points (codes of policy ps-first-contact-items), the summary read
    back, whether the customer acknowledged it, and when to contact them again."""
    action = "personalised.first-contact.discussed"
    current = _locked_contact(first_contact, actor, action)
    problems = case_manager_problems(actor, current.plan, "record the first contact")
    if current.completed_at is not None:
        problems.append(("first_contact", "this first contact is already complete"))
    known = [i.code for i in contact_policy.first_contact_items()]
    unknown = sorted(set(items_done or []) - set(known))
    if unknown:
        problems.append(("items_done", f"unknown discussion points: {', '.join(unknown)}"))
    if summary is not None:
        problem = text_problem(summary, "summary", max_length=SUMMARY_MAX, required=False)
        if problem:
            problems.append(("summary", problem))
    new_summary = current.summary if summary is None else summary.strip()
    if summary_acknowledged and not new_summary:
        problems.append(("summary", "read the summary back before the customer acknowledges it"))
    if next_contact_at is not None and next_contact_at <= timezone.now():
        problems.append(("next_contact_at", "the next contact must be in the future"))
    refuse("the discussion cannot be recorded", problems)
    if summary is not None:
        check_text({"summary": new_summary}, current.plan.customer)
        current.summary = new_summary
    done = set(current.items_done) | set(items_done or [])
    current.items_done = [code for code in known if code in done]
    if summary_acknowledged is not None:
        current.summary_acknowledged = bool(summary_acknowledged)
        current.acknowledged_at = timezone.now() if summary_acknowledged else None
    if next_contact_at is not None:
        current.next_contact_at = next_contact_at
    current.save()
    record(
        actor=actor,
        action=action,
        obj=current,
        customer_id=current.plan.customer_id,
        changes={
            "items_done": current.items_done,
            "acknowledged": current.summary_acknowledged,
            "next_contact": bool(current.next_contact_at),
        },
    )
    return current


def unmet_for_completion(contact: FirstContact) -> Problems:
    """Every condition of a complete first contact that is not met (PS-7)."""
    problems: Problems = []
    for item in contact_policy.first_contact_items():
        if item.mandatory and item.code not in contact.items_done:
            problems.append(("items_done", f"not yet discussed: {item.name}"))
    if not contact.summary.strip():
        problems.append(("summary", "summarise the key points for the customer"))
    if not contact.summary_acknowledged:
        problems.append(("summary_acknowledged", "the customer has not acknowledged the summary"))
    if contact.next_contact_at is None:
        problems.append(("next_contact_at", "agree a time to contact the customer again"))
    return problems


@audited("personalised.first-contact.completed")
def complete_first_contact(*, first_contact: FirstContact, actor: User) -> FirstContact:
    """Complete the first contact when every mandatory point was discussed and the
    customer acknowledged the summary: the mandatory issues discussed move from
    recorded to confirmed (PS-5), the call is written in the PS stacking document, and
    the plan keeps a version."""
    action = "personalised.first-contact.completed"
    current = _locked_contact(first_contact, actor, action)
    problems = case_manager_problems(actor, current.plan, "complete the first contact")
    if current.completed_at is not None:
        problems.append(("first_contact", "this first contact is already complete"))
    problems += unmet_for_completion(current)
    refuse("the first contact cannot be completed", problems)
    plan = current.plan
    now = timezone.now()
    confirmed: list[int] = []
    discussed = plan.issues.select_for_update().filter(
        mandatory=True, status=IssueStatus.RECORDED, mandatory_code__in=current.items_done
    )
    for issue in discussed.order_by("position", "pk"):
        move_issue(issue, actor, IssueStatus.CONFIRMED, FIRST_CONTACT_COMMENT)
        confirmed.append(issue.pk)
    names = contact_policy.names(contact_policy.first_contact_items())
    body = "Discussed: " + "; ".join(names[c] for c in current.items_done)
    body += "\n\nSummary acknowledged by the customer:\n" + current.summary
    current.stacking_note_id = stacking_note(plan.customer, actor, "PS first contact", body)
    current.completed_at = now
    current.save(update_fields=["completed_at", "stacking_note"])
    version = save_version(plan, actor, "first contact completed")
    record(
        actor=actor,
        action=action,
        obj=current,
        customer_id=plan.customer_id,
        changes={"confirmed_issues": confirmed, "plan_version": version.number},
    )
    return current


def checklist(contact: FirstContact) -> list[dict[str, Any]]:
    """The discussion points with whether each is done, for pages and the API."""
    return [
        {
            "code": i.code,
            "name": i.name,
            "mandatory": i.mandatory,
            "done": i.code in contact.items_done,
        }
        for i in contact_policy.first_contact_items()
    ]
