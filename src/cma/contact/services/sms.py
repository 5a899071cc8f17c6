"""SMS to a customer's mobile: queued in the request's transaction, sent after it
commits (`transaction.on_commit`), so a request that rolls back sends nothing; `cma
sms send-queued` sends whatever is still queued (a crash between commit and send).

Only to a mobile on record (the SMS row points at the contact detail; the number is
read when sending and never logged or audited). The text is policy text (the
pre-call SMS, CON-3, or a message template for the customer) or free text checked
like any message (no consequence statement, CON-8; no personal information, DOC-3)."""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db import transaction

from cma.audit.services import record
from cma.customers import access
from cma.customers.models import ContactDetail, Customer, PhoneType
from cma.errors import ValidationFailed
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from .. import policy
from ..errors import NoSuchSms, SmsRefused
from ..models import ContactPlan, Recipient, Sms, SmsStatus
from ..sms import SmsSendError, backend
from ._common import audited, now
from .messages import first_name, may_message_minors

PRE_CALL = "pre-call"
FREE_TEXT = "free-text"
MAX_TEXT = 480
SMS_TEMPLATE_RECIPIENT = Recipient.CUSTOMER_VOICEMAIL


def mobile_of(customer: Customer) -> ContactDetail | None:
    """The mobile an SMS goes to: the preferred one, else the first recorded."""
    return (
        ContactDetail.objects.filter(customer=customer, kind=PhoneType.MOBILE)
        .order_by("-is_preferred", "pk")
        .first()
    )


def _text_for(
    template_code: str | None, text: str | None, actor: User, problems: list[tuple[str | None, str]]
) -> tuple[str, str]:
    """(template code, text), adding to `problems` what is wrong."""
    if (template_code is None) == (text is None):
        problems.append(("template_code", "give either a template code or the text"))
        return "", ""
    if text is not None:
        body = text.strip() if isinstance(text, str) else ""
        if not body:
            problems.append(("text", "write the text of the SMS"))
        return FREE_TEXT, body
    if template_code == PRE_CALL:
        return PRE_CALL, policy.fill(policy.pre_call_sms(), officer_first_name=first_name(actor))
    found = policy.templates().get(str(template_code))
    if found is None or found.recipient != SMS_TEMPLATE_RECIPIENT:
        problems.append(
            (
                "template_code",
                f"CON-8: {template_code!r} is not an SMS template: use {PRE_CALL!r} or a "
                f"message template for the customer ({SMS_TEMPLATE_RECIPIENT})",
            )
        )
        return str(template_code), ""
    return found.code, policy.fill(found.text, officer_first_name=first_name(actor))


@audited("contact.sms.queued")
def queue_sms(
    *,
    customer: Customer,
    actor: User,
    template_code: str | None = None,
    text: str | None = None,
    to_kind: str = PhoneType.MOBILE,
    plan: ContactPlan | None = None,
) -> Sms:
    """Queue an SMS to the customer's mobile; it is sent once this transaction commits."""
    access.admit(actor, customer, action="contact.sms.queued")
    problems: list[tuple[str | None, str]] = []
    mobile = None
    if to_kind != PhoneType.MOBILE:
        problems.append(("to_kind", "an SMS goes only to a mobile number on record"))
    else:
        mobile = mobile_of(customer)
        if mobile is None:
            problems.append(("to_kind", "the customer has no mobile number on record"))
    code, body = _text_for(template_code, text, actor, problems)
    if len(body) > MAX_TEXT:
        problems.append(("text", f"an SMS is at most {MAX_TEXT} characters"))
    phrases = policy.consequence_phrases_in(body)
    if phrases:
        problems.append(
            (
                "text",
                "CON-8: an SMS may be read by anyone holding the phone; never send a "
                f"consequence statement: {', '.join(repr(p) for p in phrases)}",
            )
        )
    if customer.is_under_18 and not may_message_minors(actor):
        problems.append(
            ("customer", "CON-8: only the Parent Support Team may message a customer under 18")
        )
    if plan is not None and plan.customer_id != customer.pk:
        problems.append(("plan_id", "that contact plan is for another customer"))
    if problems:
        raise SmsRefused.from_problems("the SMS cannot be sent", problems)
    assert mobile is not None
    if code == FREE_TEXT:
        check_free_text({"text": body}, customer=customer)
    sms = Sms.objects.create(
        customer=customer, to=mobile, officer=actor, plan=plan, template=code, text=body
    )
    record(
        actor=actor,
        action="contact.sms.queued",
        obj=sms,
        customer_id=customer.pk,
        changes={"template": code, "to": PhoneType.MOBILE, "plan": plan.pk if plan else None},
    )
    # robust: a backend that cannot be built is logged, never the caller's failure;
    # the SMS stays queued for `cma sms send-queued`.
    transaction.on_commit(partial(deliver, sms_id=sms.pk), robust=True)
    return sms


def deliver(*, sms_id: int) -> Sms | None:
    """Send one queued SMS through the configured backend and record the result (one
    audit row by the system). None when it is no longer queued or another worker is
    sending it. The row stays locked while sending so it is sent once."""
    sender = backend()
    with transaction.atomic():
        sms = (
            Sms.objects.select_for_update(skip_locked=True)
            .select_related("to")
            .filter(pk=sms_id, status=SmsStatus.QUEUED)
            .first()
        )
        if sms is None:
            return None
        try:
            provider_id = sender.send(sms.to.number, sms.text)
        except SmsSendError as exc:
            sms.status, sms.error = SmsStatus.FAILED, exc.code
        else:
            sms.status, sms.provider_id, sms.error = SmsStatus.SENT, provider_id[:80], ""
            sms.sent_at = now()
        sms.backend = sender.name[:40]
        sms.save(update_fields=["status", "provider_id", "error", "sent_at", "backend"])
        record(
            actor=None,
            action="contact.sms.sent" if sms.status == SmsStatus.SENT else "contact.sms.failed",
            obj=sms,
            customer_id=sms.customer_id,
            changes={"backend": sms.backend, "provider_id": sms.provider_id, "error": sms.error},
        )
    return sms


DELIVERY_STATUSES = (SmsStatus.DELIVERED, SmsStatus.FAILED)


@audited("contact.sms.delivery_recorded")
def record_delivery_status(*, provider_id: str, status: str) -> Sms:
    """The provider's delivery receipt for a sent SMS: delivered, or failed."""
    if status not in DELIVERY_STATUSES:
        raise ValidationFailed("status must be delivered or failed", field="status")
    sms = (
        Sms.objects.select_for_update()
        .filter(provider_id=str(provider_id)[:80])
        .exclude(provider_id="")
        .first()
    )
    if sms is None:
        raise NoSuchSms("no SMS has that provider id", field="provider_id")
    sms.status = status
    fields = ["status"]
    if status == SmsStatus.DELIVERED:
        sms.delivered_at = now()
        fields.append("delivered_at")
    else:
        sms.error = "delivery-failed"
        fields.append("error")
    sms.save(update_fields=fields)
    record(
        actor=None,
        action="contact.sms.delivery_recorded",
        obj=sms,
        customer_id=sms.customer_id,
        changes={"status": status},
    )
    return sms


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    skipped: int


def send_queued(*, min_age_seconds: int = 0, limit: int = 500) -> SendReport:
    """Send the SMS still queued at least `min_age_seconds` after queueing, oldest
    first. Idempotent: each is sent once whichever worker gets it."""
    cutoff = now() - timedelta(seconds=max(0, min_age_seconds))
    ids = list(
        Sms.objects.filter(status=SmsStatus.QUEUED, queued_at__lte=cutoff)
        .order_by("queued_at", "pk")
        .values_list("pk", flat=True)[: max(0, limit)]
    )
    sent = failed = skipped = 0
    for sms_id in ids:
        result = deliver(sms_id=sms_id)
        if result is None:
            skipped += 1
        elif result.status == SmsStatus.SENT:
            sent += 1
        else:
            failed += 1
    return SendReport(sent, failed, skipped)
