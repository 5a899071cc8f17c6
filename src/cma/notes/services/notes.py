"""Notepads (DOC-1..DOC-3): append-only notes; a correction is a new linked note."""

from typing import Any

from cma.audit.services import record
from cma.customers.models import Case, Customer
from cma.errors import ValidationFailed
from cma.privacy.checks import check_free_text
from cma.staff.models import User

from .. import macros as macro_rules
from ..errors import CorrectionInvalid
from ..models import Note, NoteFunction
from ._common import audited, clean_text, require

MAX_BODY = 10_000


def _check_case(customer: Customer, case: Case | None) -> None:
    if case is not None and customer.pk not in (case.payer_id, case.payee_id):
        raise ValidationFailed("that case does not belong to this customer", field="case_id")


def _check_correction(customer: Customer, corrects: Note | None) -> None:
    if corrects is not None and corrects.customer_id != customer.pk:
        raise CorrectionInvalid(
            "DOC-1: a correction must be on the same customer as the note it corrects",
            field="corrects_id",
        )


def write_note(
    *,
    customer: Customer,
    actor: User,
    subject: str,
    body: str,
    case: Case | None = None,
    corrects: Note | None = None,
    macro_code: str | None = None,
    macro_fields: dict[str, Any] | None = None,
    function: str | None = None,
) -> Note:
    """The body of `add_note`, for services that already run in a transaction and
    audit their own refusals (stacking documents). Checks, scans, writes, audits."""
    require(actor, "notes.add_note", customer, "your role cannot write notes on this customer")
    _check_case(customer, case)
    _check_correction(customer, corrects)
    default_subject = f"Correction: {corrects.subject}"[:120] if corrects else ""
    prepared = None
    if macro_code:
        macro = macro_rules.get_macro(macro_code)
        macro_rules.require_use(actor, macro)
        prepared = macro_rules.prepare(macro, macro_fields)
        default_subject = default_subject or prepared.subject
        function = function or macro.function
    subject = clean_text(subject or default_subject, "subject", required=True, max_length=120)
    body = clean_text(body, "body", required=prepared is None, max_length=MAX_BODY)
    scanned = {"subject": subject, "body": body}
    if prepared is not None:
        scanned.update(prepared.text_fields)
    # DOC-3 skips the fields the macro allows to carry personal information; DOC-6
    # (an at-risk other party's details) applies to every field.
    check_free_text(
        scanned,
        customer=customer,
        case=case,
        allowed=prepared.allowed if prepared else (),
        exempt=prepared.exempt if prepared else (),
    )
    if prepared is not None:
        body = prepared.body + (f"\nAdditional notes: {body}" if body else "")
    note = Note.objects.create(
        customer=customer,
        case=case,
        subject=subject,
        body=body,
        function=function or NoteFunction.GENERAL,
        author=actor,
        corrects=corrects,
        macro_code=macro_code or "",
        macro_fields=prepared.values if prepared else {},
    )
    record(
        actor=actor,
        action="notes.note.added",
        obj=note,
        customer_id=customer.pk,
        changes={
            "case": case.pk if case else None,
            "corrects": corrects.pk if corrects else None,
            "macro": macro_code or None,
            "function": note.function,
        },
    )
    return note


@audited("notes.note.added")
def add_note(
    *,
    customer: Customer,
    actor: User,
    subject: str,
    body: str,
    case: Case | None = None,
    corrects: Note | None = None,
    macro_code: str | None = None,
    macro_fields: dict[str, Any] | None = None,
    function: str | None = None,
) -> Note:
    """Add a notepad entry (DOC-1). With `macro_code` the body is the macro's output
    (and `body`, if given, is appended as additional notes). Subject, body and the
    macro's free-text fields are refused if they hold personal information (DOC-3),
    except fields the macro allows. `corrects` links a correction to its note."""
    if function is not None and function not in NoteFunction.values:
        raise ValidationFailed(f"unknown notepad function {function!r}", field="function")
    return write_note(
        customer=customer,
        actor=actor,
        subject=subject,
        body=body,
        case=case,
        corrects=corrects,
        macro_code=macro_code,
        macro_fields=macro_fields,
        function=function,
    )
