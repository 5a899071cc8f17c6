"""Issuing: an immutable letter (PDF + data + SHA-256), the response-check intray,
the CMA-7 auto-unlock for decision advice, all-or-nothing (VAL-3), audited."""

import hashlib
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from freezegun import freeze_time

from cma.audit.models import AuditRecord, Outcome
from cma.errors import Conflict, DomainError, NotFound
from cma.letters import services
from cma.letters.models import ImmutableLetter, Letter
from cma.policy.models import Parameter
from cma.work.models import Intray
from cma.work.services import lock_customer

from .conftest import flat, letter_kwargs, pdf_text

pytestmark = pytest.mark.django_db


@freeze_time("2026-10-30T01:00:00+00:00")
def test_CON_4_issuing_mx1_1_stores_the_pdf_and_creates_the_response_check(officer, customer):
    letter = services.issue_letter(**letter_kwargs("MX1-1", customer, officer))
    letter = Letter.objects.get(pk=letter.pk)

    pdf = bytes(letter.pdf)
    assert pdf.startswith(b"%PDF-")
    assert letter.sha256 == hashlib.sha256(pdf).hexdigest() and letter.checksum_ok()
    assert (letter.page_count, letter.template_code, letter.signatory) == (1, "MX1-1", "agency")
    assert letter.fields == {"reason": "income-details", "request_type": "contact-request"}
    assert letter.data["reference"] == letter.reference
    assert letter.reference in flat(pdf_text(pdf))

    intray = Intray.objects.get()
    assert letter.response_intray == intray
    assert intray.type.code == "letter-response-check"
    assert intray.due_on == letter.response_due_on == letter.letter_date + timedelta(days=14)
    assert intray.owner_team_id == officer.team_id
    assert letter.reference in intray.note and customer.family_name not in intray.note

    row = AuditRecord.objects.get(action="letters.letter.issued")
    assert (row.outcome, row.customer_id, row.object_id) == (
        Outcome.OK,
        customer.pk,
        str(letter.pk),
    )
    assert row.changes["sha256"] == letter.sha256
    assert row.changes["response_intray"] == intray.pk
    assert customer.family_name not in str(row.changes)


def test_issued_letters_cannot_be_changed_or_deleted(officer, customer):
    letter = services.issue_letter(**letter_kwargs("DEC-1", customer, officer))
    letter.title = "Something else"
    with pytest.raises(ImmutableLetter):
        letter.save()
    with pytest.raises(ImmutableLetter):
        letter.delete()
    with pytest.raises(ImmutableLetter):
        Letter.objects.filter(pk=letter.pk).update(title="x")
    with pytest.raises(ImmutableLetter):
        Letter.objects.filter(pk=letter.pk).delete()
    if connection.vendor == "postgresql":
        # The database refuses too, whatever the application does.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE letters_letter SET pdf = %s WHERE id = %s", [b"x", letter.pk])
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM letters_letter WHERE id = %s", [letter.pk])
    assert Letter.objects.get(pk=letter.pk).checksum_ok()


def test_CMA_7_issuing_decision_advice_starts_the_14_day_auto_unlock(officer, customer):
    lock = lock_customer(customer=customer, actor=officer, reason="Explaining a decision")
    assert lock.expires_at is None
    letter = services.issue_letter(**letter_kwargs("DEC-1", customer, officer))
    lock.refresh_from_db()
    assert lock.expires_at == letter.issued_at + timedelta(days=14)
    assert letter.response_intray is None and not Intray.objects.exists()


def test_CMA_7_other_letters_leave_the_lock_alone(officer, ps_case_manager, customer):
    lock = lock_customer(customer=customer, actor=officer, reason="PS case management")
    services.issue_letter(**letter_kwargs("UQ140.00", customer, ps_case_manager))
    lock.refresh_from_db()
    assert lock.expires_at is None


def test_VAL_3_a_failure_in_the_last_step_leaves_nothing_behind(officer, customer):
    # The CMA-7 step runs after the letter row is written; without its policy
    # parameter it fails, and the letter must roll back with it.
    lock_customer(customer=customer, actor=officer, reason="Explaining a decision")
    Parameter.objects.filter(key="auto-unlock-days").delete()
    with pytest.raises(NotFound):
        services.issue_letter(**letter_kwargs("DEC-1", customer, officer))
    assert not Letter.objects.exists()
    assert not AuditRecord.objects.filter(action="letters.letter.issued", outcome=Outcome.OK)
    assert AuditRecord.objects.filter(
        action="letters.letter.issued", outcome=Outcome.REFUSED, customer_id=customer.pk
    ).exists()


def test_VAL_3_a_response_check_that_cannot_be_created_stops_the_letter(officer, customer):
    from cma.policy.models import IntrayType

    IntrayType.objects.filter(code="letter-response-check").update(active=False)
    with pytest.raises(DomainError):
        services.issue_letter(**letter_kwargs("MX1-1", customer, officer))
    assert not Letter.objects.exists() and not Intray.objects.exists()


def test_a_double_submit_with_the_same_request_key_issues_one_letter(officer, customer):
    key = "k" * 24
    first = services.issue_letter(**letter_kwargs("DEC-1", customer, officer), request_key=key)
    again = services.issue_letter(**letter_kwargs("DEC-1", customer, officer), request_key=key)
    assert again.pk == first.pk and Letter.objects.count() == 1
    with pytest.raises(Conflict):
        services.issue_letter(**letter_kwargs("MX1-1", customer, officer), request_key=key)


def test_DOC_5_letters_carry_only_name_reference_and_address_of_the_customer(officer, customer):
    """Nothing about the customer beyond these ever reaches the template, so no
    sensitive indicator, note or contact detail can appear in a letter."""
    draft = services.prepare_letter(**letter_kwargs("DEC-1", customer, officer))
    assert set(draft.data) == {
        "template", "title", "policy_version", "letterhead", "address_lines",
        "customer_name", "crn", "reference", "date", "letter_date", "office_state",
        "body_text", "response_due", "signature",
    }  # fmt: skip
    assert draft.data["address_lines"] == [
        "Jamie Citizen",
        "12 Example Street",
        "PARRAMATTA NSW 2150",
    ]


def test_a_tampered_pdf_is_caught_by_verify_and_never_downloaded(officer, customer):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from cma.letters.errors import LetterIntegrityError
    from cma.letters.selectors import download_letter

    letter = services.issue_letter(**letter_kwargs("DEC-1", customer, officer))
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Only a superuser can bypass the trigger like this; the app's role cannot.
            cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("UPDATE letters_letter SET pdf = %s WHERE id = %s", [b"%PDF-forged", letter.pk])
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(CommandError, match=letter.reference):
        call_command("letters", "verify")
    with pytest.raises(LetterIntegrityError):
        download_letter(officer, letter.pk)
    assert AuditRecord.objects.filter(
        action="letters.letter.downloaded", outcome=Outcome.REFUSED
    ).exists()


def test_PS_13_last_issued_finds_the_newest_letter_of_a_template(ps_case_manager, customer):
    from cma.letters.selectors import last_issued

    assert last_issued(customer, "UQ140.02") is None
    letter = services.issue_letter(**letter_kwargs("UQ140.02", customer, ps_case_manager))
    found = last_issued(customer, "UQ140.02")
    assert found.pk == letter.pk and found.letter_date == letter.letter_date
    assert last_issued(customer, "UQ140.00") is None
