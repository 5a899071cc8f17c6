"""Stacking documents (DOC-4, PS-2): ordered notepads under one heading, pointers to
function-specific notepads; the PS stacking document opens with 'PS referral'."""

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.notes import services
from cma.notes.errors import PersonalInformationFound, StackingExists, StackingInvalid
from cma.notes.models import AppendOnlyError, Note, StackingDocument, StackingEntry


def test_DOC_4_PS_2_ps_stacking_document_opens_with_ps_referral(payer, ps_case_manager):
    document = services.create_stacking_document(
        customer=payer,
        actor=ps_case_manager,
        purpose="ps",
        referral_reason="Step 3 complaint about arrears collection.",
    )
    first = document.entries.get()
    assert document.heading == "Personalised Services"
    assert (first.position, first.kind, first.note.subject, first.note.body) == (
        1,
        "notepad",
        "PS referral",
        "Step 3 complaint about arrears collection.",
    )
    assert first.note.function == "personalised-services"


def test_DOC_4_ps_stacking_document_without_referral_reason_refused(payer, ps_case_manager):
    with pytest.raises(StackingInvalid, match="PS referral"):
        services.create_stacking_document(customer=payer, actor=ps_case_manager, purpose="ps")
    assert not StackingDocument.objects.exists() and not Note.objects.exists()
    row = AuditRecord.objects.get(action="notes.stacking.created")
    assert row.outcome == Outcome.REFUSED and row.reason == "stacking-invalid"


def test_DOC_4_one_ps_stacking_document_per_customer(payer, ps_case_manager):
    services.create_stacking_document(
        customer=payer, actor=ps_case_manager, purpose="ps", referral_reason="Complaint"
    )
    with pytest.raises(StackingExists):
        services.create_stacking_document(
            customer=payer, actor=ps_case_manager, purpose="ps", referral_reason="Again"
        )


def test_DOC_4_only_ps_roles_create_the_ps_stacking_document(payer, officer):
    with pytest.raises(Exception, match="cannot create"):
        services.create_stacking_document(
            customer=payer, actor=officer, purpose="ps", referral_reason="Complaint"
        )


def test_DOC_4_notepads_in_order_with_pointers_to_function_specific_notepads(
    payer, ps_case_manager
):
    document = services.create_stacking_document(
        customer=payer, actor=ps_case_manager, purpose="ps", referral_reason="Ombudsman referral"
    )
    income = services.add_note(
        customer=payer,
        actor=ps_case_manager,
        subject="Income estimate",
        body="Estimate lodged.",
        function="income",
    )
    services.add_notepad(
        document=document, actor=ps_case_manager, subject="Call about estimate", body="Discussed."
    )
    pointer = services.add_pointer(document=document, actor=ps_case_manager, note=income)
    services.add_notepad(
        document=document,
        actor=ps_case_manager,
        subject="",
        body="",
        macro_code="ps-case-management",
        macro_fields={"activity": "first-contact", "discussion": "Mandatory issues covered."},
    )
    entries = list(document.entries.order_by("position"))
    assert [(e.position, e.kind, e.note.subject) for e in entries] == [
        (1, "notepad", "PS referral"),
        (2, "notepad", "Call about estimate"),
        (3, "pointer", "Income estimate"),
        (4, "notepad", "PS case management"),
    ]
    assert pointer.label == "See the income notepad: Income estimate"
    with pytest.raises(AppendOnlyError):
        StackingEntry.objects.filter(document=document).update(position=9)


def test_DOC_4_pointer_must_be_a_function_specific_notepad_of_the_customer(
    payer, payee, ps_case_manager
):
    document = services.create_stacking_document(
        customer=payer, actor=ps_case_manager, heading="Care dispute"
    )
    general = services.add_note(customer=payer, actor=ps_case_manager, subject="x", body="y")
    with pytest.raises(StackingInvalid, match="function-specific"):
        services.add_pointer(document=document, actor=ps_case_manager, note=general)
    theirs = services.add_note(
        customer=payee, actor=ps_case_manager, subject="Care", body="y", function="care"
    )
    with pytest.raises(StackingInvalid, match="another customer"):
        services.add_pointer(document=document, actor=ps_case_manager, note=theirs)
    assert not document.entries.exists()


def test_DOC_4_general_document_needs_a_heading_and_notepads_are_scanned(payer, officer):
    with pytest.raises(Exception, match="heading is required"):
        services.create_stacking_document(customer=payer, actor=officer, heading=" ")
    document = services.create_stacking_document(
        customer=payer, actor=officer, heading="Care", first_subject="Start", first_body="Begun."
    )
    with pytest.raises(PersonalInformationFound):
        services.add_notepad(
            document=document, actor=officer, subject="Call", body="Ring 0413 222 901"
        )
    assert document.entries.count() == 1
