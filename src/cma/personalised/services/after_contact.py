"""After a contact with a PS customer (PS-8, PS-11): the plan updated and approved, the
products and services provided, a sensitive issue indicator if needed, a follow-up
intray raised and the referral intray deleted, special contact details after a
security incident; follow-up contacts written in the PS stacking document."""

from datetime import date, datetime

from django.utils import timezone

from cma.audit.services import as_step, record
from cma.customers.models import agency_today
from cma.notes.services.sensitive import add_sensitive_indicator
from cma.staff.models import User
from cma.work.models import Intray
from cma.work.models.intrays import LIVE_STATUSES
from cma.work.services.intrays import create_intray, delete_intray

from .. import contact_policy
from ..models import AfterContact, FirstContact, PsPlan
from ._contact import (
    Problems,
    audited,
    case_manager_problems,
    check_text,
    contact_check,
    locked_plan,
    ps_stacking_document,
    refuse,
    save_version,
    stacking_note,
    text_problem,
)
from .plans import approval_problems, approve

TEXT_MAX = 4000


def _completed_first_contact(plan: PsPlan) -> FirstContact | None:
    return (
        FirstContact.objects.filter(plan=plan, completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )


def _referral_intray(plan: PsPlan) -> Intray | None:
    referral = plan.referral
    if referral is None or referral.intray_id is None:
        return None
    intray = Intray.objects.filter(pk=referral.intray_id).first()
    if intray is None or intray.status not in LIVE_STATUSES:
        return None
    return intray


@audited("personalised.after-contact.recorded")
def record_after_contact(
    *,
    plan: PsPlan,
    actor: User,
    products_services: list[str],
    follow_up_type: str,
    follow_up_note: str,
    follow_up_due_on: date | None = None,
    customer_view: str | None = None,
    agreed_actions: str | None = None,
    agreed_contact_times: str | None = None,
    approve_plan: bool = True,
    sensitive_kind: str = "",
    sensitive_reason: str = "",
    sensitive_conditions: str = "",
    sensitive_review_on: date | None = None,
    security_incident: bool = False,
    special_contact_details: str = "",
) -> AfterContact:
    """Everything done after the first contact, at once or not at all. Refused, with
    every unmet condition, before the first contact is complete, without a follow-up
    intray, or after a security incident without the special contact details."""
    action = "personalised.after-contact.recorded"
    current = locked_plan(plan, actor, action=action)
    customer = current.customer
    problems: Problems = case_manager_problems(actor, current, "record what followed the contact")
    first = _completed_first_contact(current)
    if first is None:
        problems.append(("first_contact", "complete the first contact checklist first (PS-7)"))
    known = {i.code for i in contact_policy.products_services()}
    unknown = sorted(set(products_services) - known)
    if unknown:
        problems.append(
            ("products_services", f"unknown products or services: {', '.join(unknown)}")
        )
    if follow_up_type not in contact_policy.follow_up_intray_types():
        choices = ", ".join(contact_policy.follow_up_intray_types())
        problems.append(("follow_up_type", f"choose the follow-up intray: {choices}"))
    texts = {
        "follow_up_note": (follow_up_note, True),
        "customer_view": (customer_view or "", False),
        "agreed_actions": (agreed_actions or "", False),
        "agreed_contact_times": (agreed_contact_times or "", False),
        "special_contact_details": (special_contact_details, False),
        "sensitive_reason": (sensitive_reason, False),
        "sensitive_conditions": (sensitive_conditions, False),
    }
    for name, (value, required) in texts.items():
        problem = text_problem(value, name, max_length=TEXT_MAX, required=required)
        if problem:
            problems.append((name, problem))
    if follow_up_due_on is not None and follow_up_due_on < agency_today():
        problems.append(("follow_up_due_on", "the follow-up cannot be due in the past"))
    if approve_plan:  # the one approval rule, over the values about to be set (PS-4, PS-8)
        problems += approval_problems(
            current,
            {
                "customer_view": (customer_view or "").strip(),
                "agreed_actions": (agreed_actions or "").strip(),
                "agreed_contact_times": (agreed_contact_times or "").strip(),
                "special_contact_details": special_contact_details.strip(),
            },
        )
    if sensitive_kind:
        if sensitive_kind not in contact_policy.after_contact_indicator_kinds():
            problems.append(("sensitive_kind", f"unknown indicator kind {sensitive_kind!r}"))
        if not sensitive_reason.strip():
            problems.append(("sensitive_reason", "document the reason for the indicator"))
        if sensitive_review_on is None:
            problems.append(("sensitive_review_on", "give the indicator a review date"))
    if security_incident and not special_contact_details.strip():
        problems.append(
            (
                "special_contact_details",
                "after a security incident, record the special contact details",
            )
        )
    refuse("the after-contact steps cannot be recorded", problems)
    check_text({n: v for n, (v, _) in texts.items()}, customer)

    referral_intray = _referral_intray(current)
    indicator = None
    with as_step():
        if sensitive_kind:
            assert sensitive_review_on is not None
            indicator = add_sensitive_indicator(
                customer=customer,
                actor=actor,
                kind=sensitive_kind,
                reason=sensitive_reason,
                conditions=sensitive_conditions,
                review_on=sensitive_review_on,
            )
        follow_up = create_intray(
            customer=customer,
            type_code=follow_up_type,
            actor=actor,
            note=follow_up_note.strip(),
            due_on=follow_up_due_on,
            parent=referral_intray,
        )
        if referral_intray is not None:
            delete_intray(
                intray=referral_intray, actor=actor, reason=contact_policy.referral_intray_reason()
            )
    changed = []
    for name, value in (  # type: ignore[assignment]
        ("customer_view", customer_view),
        ("agreed_actions", agreed_actions),
        ("agreed_contact_times", agreed_contact_times),
    ):
        if value is not None and value.strip():
            setattr(current, name, value.strip())
            changed.append(name)
    if security_incident:
        current.special_contact_details = special_contact_details.strip()
        customer.special_contact_considerations = special_contact_details.strip()
        customer.save(update_fields=["special_contact_considerations"])
        changed.append("special_contact_details")
    if changed:
        current.save(update_fields=changed)
    names = contact_policy.names(contact_policy.products_services())
    provided = [c for c in names if c in set(products_services)]
    body = "Products and services provided: " + ("; ".join(names[c] for c in provided) or "none")
    body += f"\nFollow-up intray raised: {follow_up_type}."
    if referral_intray is not None:
        body += " Referral intray deleted."
    if indicator is not None:
        body += " Sensitive issue indicator added (internal only)."
    stacking_note(customer, actor, "PS after contact", body)
    after = AfterContact.objects.create(
        plan=current,
        first_contact=first,
        products_services=provided,
        sensitive_indicator=indicator,
        follow_up_intray=follow_up,
        referral_intray_deleted=referral_intray is not None,
        special_contact_details_updated=security_incident,
        recorded_by=actor,
    )
    version = (
        approve(current, actor, "after contact: plan approved")
        if approve_plan
        else save_version(current, actor, "after contact")
    )
    record(
        actor=actor,
        action=action,
        obj=after,
        customer_id=customer.pk,
        changes={
            "plan": current.pk,
            "products_services": provided,
            "follow_up_intray": follow_up.pk,
            "referral_intray_deleted": referral_intray.pk if referral_intray else None,
            "indicator": indicator.pk if indicator else None,
            "special_contact_details": security_incident,
            "approved": approve_plan,
            "plan_version": version.number,
        },
    )
    return after


@audited("personalised.follow-up-contact.recorded")
def record_follow_up_contact(
    *,
    plan: PsPlan,
    actor: User,
    subject: str,
    body: str,
    channel: str = "phone",
    next_contact_at: datetime | None = None,
) -> int:
    """A follow-up contact (PS-8, PS-11): the restricted-service check first, then the
    discussion written as a notepad in the PS stacking document; the next agreed
    contact time moves on. Returns the notepad's note id."""
    action = "personalised.follow-up-contact.recorded"
    current = locked_plan(plan, actor, action=action)
    problems = case_manager_problems(actor, current, "record a follow-up contact")
    first = _completed_first_contact(current)
    if first is None:
        problems.append(("first_contact", "complete the first contact checklist first (PS-7)"))
    if channel not in contact_policy.contact_channels():
        problems.append(
            ("channel", f"choose one of {', '.join(contact_policy.contact_channels())}")
        )
    for name, value, limit in (("subject", subject, 120), ("body", body, TEXT_MAX)):
        problem = text_problem(value, name, max_length=limit, required=True)
        if problem:
            problems.append((name, problem))
    if next_contact_at is not None and next_contact_at <= timezone.now():
        problems.append(("next_contact_at", "the next contact must be in the future"))
    if ps_stacking_document(current.customer) is None:
        problems.append(("stacking_document", "the customer has no PS stacking document yet"))
    refuse("the follow-up contact cannot be recorded", problems)
    contact_check(current.customer, channel, actor)
    check_text({"subject": subject, "body": body}, current.customer)
    note_id = stacking_note(current.customer, actor, subject.strip(), body.strip())
    assert first is not None and note_id is not None
    if next_contact_at is not None:
        first.next_contact_at = next_contact_at
        first.save(update_fields=["next_contact_at"])
    record(
        actor=actor,
        action=action,
        obj=current,
        customer_id=current.customer_id,
        changes={"note": note_id, "channel": channel, "next_contact": bool(next_contact_at)},
    )
    return note_id
