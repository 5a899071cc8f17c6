"""Reads of issued letters, scoped through the customer door and audited."""

import logging

from cma.audit.services import record, record_refusal
from cma.customers import access
from cma.customers.models import Customer
from cma.staff.models import User

from .errors import LetterAccessDenied, LetterIntegrityError, LetterNotFound
from .models import Letter

logger = logging.getLogger(__name__)


def _require(actor: User, perm: str, action: str, customer_id: int | None = None) -> None:
    if not actor.has_perm(perm):
        error = LetterAccessDenied("your role does not give access to customers' letters")
        record_refusal(actor=actor, action=action, error=error, customer_id=customer_id)
        raise error


def letters_for_customer(actor: User, customer: Customer) -> list[Letter]:
    """The customer's issued letters, newest first, without the PDF bytes. The caller
    has already fetched `customer` through `get_customer_for` (audited there)."""
    _require(actor, "letters.view_letter", "letters.letter.listed", customer.pk)
    return list(
        Letter.objects.without_pdf()
        .filter(customer=customer)
        .select_related("issued_by")
        .order_by("-issued_at", "-id")
    )


def get_letter_for(
    actor: User, letter_id: int, *, with_pdf: bool = False, action: str = "letters.letter.viewed"
) -> Letter:
    """One letter, through its customer's door. Out of scope or missing is "not
    found", and the refusal is audited; a read writes one row under `action`."""
    _require(actor, "letters.view_letter", action)
    qs = Letter.objects.select_related("issued_by", "template")
    if not with_pdf:
        qs = qs.without_pdf()
    letter = qs.filter(pk=letter_id).first()
    if letter is None:
        error = LetterNotFound("no such letter", field="letter_id")
        record_refusal(
            actor=actor, action=action, error=error, object_type="letters.letter",
            object_id=str(letter_id),
        )  # fmt: skip
        raise error
    letter.customer = access.enter(actor, letter.customer_id, action=action)
    if action == "letters.letter.viewed":
        record(actor=actor, action=action, obj=letter, customer_id=letter.customer_id)
    return letter


def download_letter(actor: User, letter_id: int) -> Letter:
    """The letter with its PDF, after checking the PDF still matches its checksum.
    Every download is audited."""
    letter = get_letter_for(actor, letter_id, with_pdf=True, action="letters.letter.downloaded")
    if not letter.checksum_ok():
        error = LetterIntegrityError(
            "this letter's stored PDF does not match its checksum; report it to support"
        )
        logger.error("letter %s failed its checksum", letter.pk)
        record_refusal(
            actor=actor, action="letters.letter.downloaded", error=error, obj=letter,
            customer_id=letter.customer_id,
        )  # fmt: skip
        raise error
    record(
        actor=actor,
        action="letters.letter.downloaded",
        obj=letter,
        customer_id=letter.customer_id,
        changes={"sha256": letter.sha256},
    )
    return letter


def last_issued(customer: Customer, template_code: str) -> Letter | None:
    """The newest letter of one template issued to the customer, for services in
    higher layers (e.g. PS-13: the exit letter UQ140.02 and its 10-day wait; CMA-6:
    an MX1-1 after failed contact attempts). Not scoped or audited: callers are
    services that have already fetched the customer through the door."""
    return (
        Letter.objects.without_pdf()
        .filter(customer=customer, template_code=template_code)
        .order_by("-issued_at", "-id")
        .first()
    )
