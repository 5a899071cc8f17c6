"""The telephony platform's events (offered, answered, transferred, ended) after their
signature is verified (`cma.contact.telephony.verify`). Each accepted event is one
TelephonyEvent row and one audit row; a refused one writes only its audited refusal.

The caller is found from the caller's number (the customer's numbers on record, in
E.164) or the CRN typed in the IVR, and the number is never stored. A call answered for
a found customer opens an *attested* interaction for the answering officer; a caller
nobody can be matched to gets no interaction (an interaction needs a customer, and an
officer choosing one must not make it attested), only the screen pop's "caller not
identified; search for the customer"."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cma.audit.services import as_step, record, record_refusal
from cma.customers.models import ContactDetail, Customer
from cma.errors import DomainError, ValidationFailed
from cma.staff.models import User

from ..dialling import e164, parse_number
from ..errors import LineBusy, TelephonyReplayed
from ..models import Channel, Direction, EndReason, Interaction, NumberType, TelephonyEvent
from ..telephony import PLATFORM
from ._common import locked
from .ending import hand_over_to_survey
from .interactions import open_interaction

KINDS = ("offered", "answered", "transferred", "ended")
NEEDS_OFFICER = ("answered", "transferred")
OUTCOMES: dict[str, str] = {
    EndReason.TRANSFERRED: "Transferred by the telephony platform",
    EndReason.PLATFORM: "Ended by the telephony platform",
}


@dataclass(frozen=True)
class Caller:
    customer: Customer | None
    number_type: str = ""


def _officer(username: str | None, kind: str) -> User | None:
    if not username:
        if kind in NEEDS_OFFICER:
            raise ValidationFailed(f"a {kind} event names the officer", field="officer")
        return None
    officer = User.objects.filter(username=username, is_active=True).first()
    if officer is None or not officer.has_perm("contact.open_interaction"):
        raise ValidationFailed(
            "no active customer-facing officer has that username", field="officer"
        )
    return officer


def _caller(caller_number: str | None, ivr_reference: str) -> Caller | None:
    """The customer the call is from, or Caller(None) when it names nobody or several;
    None when the event carries neither a number nor an IVR reference."""
    if not caller_number and not ivr_reference:
        return None
    details: list[ContactDetail] = []
    if caller_number:
        number = e164(parse_number(caller_number, field_name="caller_number"))
        details = list(ContactDetail.objects.filter(number=number).select_related("customer"))
    by_crn = (
        Customer.objects.filter(crn=ivr_reference.strip().upper()).first()
        if ivr_reference
        else None
    )
    owners = {d.customer_id: d for d in details}
    if by_crn is not None and (not caller_number or not owners or by_crn.pk in owners):
        found = owners.get(by_crn.pk)
        return Caller(by_crn, found.kind if found else "")
    if len(owners) == 1 and (by_crn is None or not ivr_reference):
        detail = next(iter(owners.values()))
        return Caller(detail.customer, detail.kind)
    # Nobody, several people sharing the number, or the IVR naming someone else.
    return Caller(None)


def _earlier(call_id: str) -> TelephonyEvent | None:
    return TelephonyEvent.objects.filter(call_id=call_id).order_by("-pk").first()


def end_on_line(line: str, reason: str) -> Interaction | None:
    """End the open interaction on `line`, under its row lock. One audit row,
    `contact.interaction.ended` (none inside `as_step`)."""
    current = Interaction.objects.filter(line=line, ended_at=None).first()
    if current is None:
        return None
    interaction = locked(current)
    if not interaction.is_open:
        return None
    interaction.ended_at = timezone.now()
    interaction.end_reason = reason
    interaction.outcome = OUTCOMES.get(reason, "")
    fields = ["ended_at", "end_reason", "outcome"]
    changes: dict[str, Any] = {"end_reason": reason, "receipt": interaction.receipt}
    # The officer ended the call on the platform: an opted-in caller goes to the survey.
    if reason == EndReason.PLATFORM and interaction.survey_opt_in:
        changes["survey"] = hand_over_to_survey(interaction, interaction.officer)
        fields.append("survey_handed_over")
    interaction.save(update_fields=fields)
    record(
        actor=PLATFORM,
        action="contact.interaction.ended",
        obj=interaction,
        customer_id=interaction.customer_id,
        changes=changes,
    )
    return interaction


def _open(
    customer: Customer, officer: User, call_id: str, number_type: str, details: dict[str, Any]
) -> Interaction:
    if Interaction.objects.filter(line=call_id, ended_at=None).exists():
        raise LineBusy("this call already has an open interaction", field="call_id")
    with as_step():
        interaction: Interaction = open_interaction(
            customer=customer,
            actor=officer,
            direction=Direction.INBOUND,
            channel=Channel.PHONE,
            number_type=number_type if number_type in NumberType.values else "",
            line=call_id,
            attested=True,
            survey_opt_in=bool(details.get("survey_opt_in")),
            ivr_reference=str(details.get("ivr_reference") or ""),
        )
    return interaction


def _apply(
    kind: str, call_id: str, officer: User | None, caller: Caller, details: dict[str, Any]
) -> tuple[Interaction | None, Interaction | None]:
    """(the interaction opened, the interaction ended) by the event."""
    ended = opened = None
    if kind == "transferred":
        with as_step():
            ended = end_on_line(call_id, EndReason.TRANSFERRED)
    elif kind == "ended":
        with as_step():
            ended = end_on_line(call_id, EndReason.PLATFORM)
    if kind in NEEDS_OFFICER and officer is not None:
        customer = ended.customer if ended is not None else caller.customer
        if customer is not None:
            opened = _open(customer, officer, call_id, caller.number_type, details)
    return opened, ended


def _receive(
    *,
    event_id: str,
    kind: str,
    call_id: str,
    caller_number: str | None,
    ivr_reference: str,
    survey_opt_in: bool,
    officer: str | None,
) -> TelephonyEvent:
    if kind not in KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(KINDS)}", field="kind")
    if TelephonyEvent.objects.filter(event_id=event_id).exists():
        raise TelephonyReplayed("this event was already received", field="event_id")
    user = _officer(officer, kind)
    earlier = _earlier(call_id)
    before: dict[str, Any] = earlier.details if earlier is not None else {}
    found = _caller(caller_number, ivr_reference)
    if found is None:  # the event names no caller: the call's earlier events did
        found = Caller(earlier.customer if earlier else None, str(before.get("number_type", "")))
    # What the IVR asked holds for the whole call, whichever event carried it.
    ivr_reference = ivr_reference or str(before.get("ivr_reference", ""))
    survey_opt_in = survey_opt_in or bool(before.get("survey_opt_in"))
    details: dict[str, Any] = {
        "number_type": found.number_type,
        "ivr_reference": ivr_reference,
        "survey_opt_in": survey_opt_in,
        "officer": user.username if user else "",
    }
    opened, ended = _apply(kind, call_id, user, found, details)
    customer = opened.customer if opened else (ended.customer if ended else found.customer)
    try:
        with transaction.atomic():
            event = TelephonyEvent.objects.create(
                event_id=event_id,
                kind=kind,
                call_id=call_id,
                customer=customer,
                details=details,
                interaction=opened or ended,
            )
    except IntegrityError:  # the same event delivered twice at once
        raise TelephonyReplayed("this event was already received", field="event_id") from None
    record(
        actor=PLATFORM,
        action=f"contact.telephony.{kind}",
        obj=event,
        customer_id=customer.pk if customer else None,
        changes={
            "event_id": event_id,
            "call_id": call_id,
            "identified": customer is not None,
            "number_type": found.number_type,
            "ivr_reference_given": bool(ivr_reference),
            "survey_opt_in": survey_opt_in,
            "officer": user.pk if user else None,
            "opened": opened.pk if opened else None,
            "ended": ended.pk if ended else None,
        },
    )
    return event


def receive_event(
    *,
    event_id: str,
    kind: str,
    call_id: str,
    caller_number: str | None = None,
    ivr_reference: str = "",
    survey_opt_in: bool = False,
    officer: str | None = None,
) -> TelephonyEvent:
    """Apply one verified platform event in one transaction; a refusal (replay, an
    unknown officer, a malformed caller number, a busy line) is audited once after
    the rollback and re-raised."""
    action = f"contact.telephony.{kind}" if kind in KINDS else "contact.telephony.event"
    try:
        with transaction.atomic():
            return _receive(
                event_id=event_id,
                kind=kind,
                call_id=call_id,
                caller_number=caller_number,
                ivr_reference=ivr_reference,
                survey_opt_in=survey_opt_in,
                officer=officer,
            )
    except DomainError as exc:
        record_refusal(
            actor=PLATFORM,
            action=action,
            error=exc,
            object_type="contact.telephonyevent",
            changes={"event_id": event_id[:80], "call_id": call_id[:80], "field": exc.field},
        )
        raise
