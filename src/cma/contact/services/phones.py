"""Recording and removing a customer's phone numbers (CON-13): validated with the
numbering plans, stored in E.164, one number per kind. A Norfolk Island number (+672 3)
sets the customer's remote indicator and writes the Contact Note seed 001 Table 10
asks for. The audit row names the kind, never the number (CON-5, DOC-3)."""

from django.db.models.deletion import ProtectedError

from cma.audit.services import as_step, record
from cma.customers import access
from cma.customers.models import ContactDetail, Customer, PhoneType
from cma.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from cma.notes.models import NoteFunction
from cma.notes.services.notes import write_note
from cma.staff.models import User

from .. import policy
from ..dialling import AUSTRALIA_CODE, dial_for, e164, is_norfolk_island, parse_number
from ._common import audited

CONTACT_NOTE_SUBJECT = "Contact Note"


def norfolk_note_text() -> str:
    """Seed 001 Table 10: "Island/Country telephony Code +6723"."""
    return f"Island/Country telephony Code {policy.norfolk_island_prefix()}"


def _check_kind(kind: str, international: bool) -> None:
    if kind not in PhoneType.values:
        raise ValidationFailed(f"kind must be one of {', '.join(PhoneType.values)}", field="kind")
    # The kind is what attempts and notes record (CON-5): "international" must mean it.
    if international and kind != PhoneType.INTERNATIONAL:
        raise ValidationFailed(
            "a number outside Australia is recorded as kind international", field="kind"
        )
    if not international and kind == PhoneType.INTERNATIONAL:
        raise ValidationFailed(
            "an Australian number is recorded as mobile, home or work", field="kind"
        )


def _require(actor: User, customer: Customer, action: str) -> None:
    if not actor.has_perm("contact.plan_contact"):
        raise PermissionDenied("your role does not record customers' contact details")
    access.admit(actor, customer, action=action)


@audited("contact.phone.recorded")
def record_phone_number(
    *,
    customer: Customer,
    actor: User,
    kind: str,
    number: str,
    preferred: bool = False,
    region: str = "AU",
) -> ContactDetail:
    """Record the customer's `kind` number (replacing the one of that kind, if any).
    `number` as dialled in `region` (Australia unless it starts with +)."""
    action = "contact.phone.recorded"
    _require(actor, customer, action)
    parsed = parse_number(number, region=region)
    _check_kind(kind, parsed.country_code != AUSTRALIA_CODE)
    text = e164(parsed)
    existing = customer.phones.filter(kind=kind).order_by("pk").first()
    norfolk_before = any(is_norfolk_island(d.number) for d in customer.phones.all())
    if existing is None:
        detail = ContactDetail.objects.create(
            customer=customer, kind=kind, number=text, is_preferred=preferred
        )
    else:
        # Updated in place: an SMS sent to the old number keeps pointing at its row.
        existing.number = text
        existing.is_preferred = preferred or existing.is_preferred
        existing.save(update_fields=["number", "is_preferred"])
        detail = existing
    if preferred:
        customer.phones.exclude(pk=detail.pk).filter(is_preferred=True).update(is_preferred=False)
    dial = dial_for(detail)
    note_id = None
    if dial.norfolk_island:
        if not customer.is_remote:
            customer.is_remote = True
            customer.save(update_fields=["is_remote"])
            access.forget(customer)
        if not norfolk_before:
            with as_step():
                note = write_note(
                    customer=customer,
                    actor=actor,
                    subject=CONTACT_NOTE_SUBJECT,
                    body=norfolk_note_text(),
                    function=NoteFunction.CONTACT,
                )
            note_id = note.pk
    record(
        actor=actor,
        action=action,
        obj=detail,
        customer_id=customer.pk,
        changes={
            "kind": kind,
            "line_type": dial.line_type,
            "international": dial.international,
            "norfolk_island": dial.norfolk_island,
            "preferred": detail.is_preferred,
            "replaced": existing is not None,
            "note": note_id,
        },
    )
    return detail


@audited("contact.phone.removed")
def remove_phone_number(*, customer: Customer, actor: User, detail_id: int) -> int:
    """Remove one of the customer's numbers; returns its id."""
    action = "contact.phone.removed"
    _require(actor, customer, action)
    detail = customer.phones.filter(pk=detail_id).first()
    if detail is None:
        raise NotFound("the customer has no such phone number", field="contact_detail_id")
    kind = detail.kind
    try:
        detail.delete()
    except ProtectedError:
        raise Conflict(
            "an SMS was sent to this number, so it stays on record; record the new "
            f"{kind} number instead (it replaces this one)",
            field="contact_detail_id",
        ) from None
    record(
        actor=actor,
        action=action,
        object_type="customers.contactdetail",
        object_id=str(detail_id),
        customer_id=customer.pk,
        changes={"kind": kind},
    )
    return detail_id
