"""Notepads (DOC-1), macros (DOC-2) and the privacy guard on notes (DOC-3, CON-5)."""

import logging
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cma.audit.models import AuditRecord, Outcome
from cma.customers.models import agency_today
from cma.errors import DomainError
from cma.notes import selectors, services
from cma.notes.errors import MacroInvalid, MacroNotAllowed, PersonalInformationFound
from cma.notes.models import AppendOnlyError, Note
from cma.policy.models import Macro
from tests.factories import CaseFactory

CONTACT_FIELDS = {
    "party": "customer",
    "channel": "phone",
    "number_type": "mobile",
    "outcome": "no-answer",
    "attempt": "first",
}


def test_DOC_1_note_records_subject_author_time_customer_and_case(payer, case, officer):
    before = timezone.now()
    note = services.add_note(
        customer=payer, actor=officer, subject="Call about estimate", body="Discussed.", case=case
    )
    note.refresh_from_db()
    assert (note.subject, note.body, note.author, note.customer, note.case) == (
        "Call about estimate",
        "Discussed.",
        officer,
        payer,
        case,
    )
    assert before <= note.created_at <= timezone.now()
    row = AuditRecord.objects.get(action="notes.note.added")
    assert (row.customer_id, row.object_id, row.actor_id) == (payer.pk, str(note.pk), officer.pk)


def test_DOC_1_notes_are_append_only(payer, officer):
    note = services.add_note(customer=payer, actor=officer, subject="Call", body="Discussed.")
    note.body = "rewritten"
    with pytest.raises(AppendOnlyError):
        note.save()
    with pytest.raises(AppendOnlyError):
        note.delete()
    with pytest.raises(AppendOnlyError):
        Note.objects.filter(pk=note.pk).update(body="rewritten")
    with pytest.raises(AppendOnlyError):
        Note.objects.filter(pk=note.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_DOC_1_database_refuses_update_of_a_note_on_postgresql(payer, officer):
    note = services.add_note(customer=payer, actor=officer, subject="Call", body="Discussed.")
    if connection.vendor != "postgresql":
        # SQLite has no trigger; the model's refusal (above) is the guard there.
        assert Note.objects.get(pk=note.pk).body == "Discussed."
        return
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE notes_note SET body = 'x' WHERE id = %s", [note.pk])
    assert Note.objects.get(pk=note.pk).body == "Discussed."


def test_DOC_1_correction_is_a_new_note_linked_to_the_original(payer, officer):
    original = services.add_note(customer=payer, actor=officer, subject="Income", body="Wrong.")
    fix = services.add_note(
        customer=payer, actor=officer, subject="", body="Income is weekly.", corrects=original
    )
    assert fix.pk != original.pk and fix.corrects == original
    assert fix.subject == "Correction: Income"
    assert Note.objects.get(pk=original.pk).body == "Wrong."
    assert list(original.corrections.all()) == [fix]


def test_DOC_1_correction_on_another_customer_refused_nothing_written(payer, payee, officer):
    original = services.add_note(customer=payer, actor=officer, subject="Income", body="Wrong.")
    with pytest.raises(Exception, match="same customer"):
        services.add_note(customer=payee, actor=officer, subject="x", body="y", corrects=original)
    assert Note.objects.count() == 1


def test_DOC_1_search_by_subject_and_date(payer, officer):
    old = services.add_note(customer=payer, actor=officer, subject="Call about estimate", body=".")
    Note.objects.filter(pk=old.pk)  # created_at is set at creation; fake an older note:
    older = Note(
        customer=payer,
        subject="Estimate review",
        body=".",
        author=officer,
        created_at=timezone.now() - timedelta(days=40),
    )
    older.save()
    services.add_note(customer=payer, actor=officer, subject="Care change", body=".")
    by_subject = selectors.search_notes(payer, subject="estimate")
    assert [n.subject for n in by_subject] == ["Call about estimate", "Estimate review"]
    today = agency_today()
    recent = selectors.search_notes(payer, subject="estimate", date_from=today - timedelta(days=7))
    assert [n.subject for n in recent] == ["Call about estimate"]
    until = selectors.search_notes(payer, date_to=today - timedelta(days=30))
    assert [n.subject for n in until] == ["Estimate review"]


def test_DOC_3_CON_5_phone_number_refused_with_span_and_advice(payer, officer):
    body = "Called the payer on 0413 222 901, no answer."
    with pytest.raises(PersonalInformationFound) as caught:
        services.add_note(customer=payer, actor=officer, subject="Contact attempt", body=body)
    (detail,) = caught.value.details
    assert body[detail["start"] : detail["end"]] == "0413 222 901"
    assert detail["kind"] == "phone" and detail["field"] == "body"
    assert "type of number" in detail["hint"]
    assert "0413" not in caught.value.message and "0413" not in str(caught.value.details)
    assert Note.objects.count() == 0


def test_DOC_3_refusal_is_audited_without_the_personal_information(payer, officer, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PersonalInformationFound):
        services.add_note(
            customer=payer, actor=officer, subject="x", body="email jo.smith@example.com"
        )
    row = AuditRecord.objects.get(action="notes.note.added")
    assert row.outcome == Outcome.REFUSED and row.reason == "personal-information"
    assert "example.com" not in str(row.changes) + row.reason
    assert "example.com" not in caplog.text


def test_DOC_3_party_full_name_and_address_refused(payer, case, officer):
    body = "Spoke with Jordan Mackenzie about the move to 17 Wattle Grove."
    with pytest.raises(PersonalInformationFound) as caught:
        services.add_note(customer=payer, actor=officer, subject="Call", body=body, case=case)
    kinds = [(d["kind"], body[d["start"] : d["end"]]) for d in caught.value.details]
    assert kinds == [("name", "Jordan Mackenzie"), ("address", "17 Wattle Grove")]


def test_DOC_3_subject_is_scanned_too(payer, officer):
    with pytest.raises(PersonalInformationFound) as caught:
        services.add_note(customer=payer, actor=officer, subject="Ring 0413 222 901", body="ok")
    assert caught.value.details[0]["field"] == "subject"


def test_DOC_2_contact_attempt_macro_produces_consistent_note(payer, officer):
    note = services.add_note(
        customer=payer,
        actor=officer,
        subject="",
        body="",
        macro_code="contact-attempt",
        macro_fields=CONTACT_FIELDS,
    )
    assert note.subject == "Contact attempt" and note.function == "contact"
    assert note.body == (
        "Attempted to contact the customer by phone on their mobile (first attempt). "
        "Outcome: no answer."
    )
    assert note.macro_code == "contact-attempt"


def test_DOC_2_macro_missing_required_fields_lists_each_and_writes_nothing(payer, officer):
    with pytest.raises(MacroInvalid) as caught:
        services.add_note(
            customer=payer,
            actor=officer,
            subject="",
            body="",
            macro_code="contact-attempt",
            macro_fields={"party": "customer", "channel": "carrier-pigeon", "colour": "red"},
        )
    fields = {d["field"] for d in caught.value.details}
    assert fields == {
        "macro_fields.colour",
        "macro_fields.channel",
        "macro_fields.number_type",
        "macro_fields.outcome",
        "macro_fields.attempt",
    }
    assert Note.objects.count() == 0
    assert AuditRecord.objects.get(action="notes.note.added").reason == "macro-invalid"


def test_DOC_2_DOC_3_macro_allows_only_its_declared_personal_information(payer, officer):
    fields = {
        "request": "delete-number",
        "number_type": "home",
        "phone_number": "02 4782 0931",
        "reason": "Number disconnected",
    }
    note = services.add_note(
        customer=payer,
        actor=officer,
        subject="",
        body="",
        macro_code="information-exchange",
        macro_fields=fields,
    )
    assert "Number: 02 4782 0931." in note.body
    fields["reason"] = "Customer's new number is 0413 222 901"
    with pytest.raises(PersonalInformationFound) as caught:
        services.add_note(
            customer=payer,
            actor=officer,
            subject="",
            body="",
            macro_code="information-exchange",
            macro_fields=fields,
        )
    assert caught.value.details[0]["field"] == "macro_fields.reason"


def test_DOC_2_sgt_referral_macro_records_the_name_given(payer, officer):
    note = services.add_note(
        customer=payer,
        actor=officer,
        subject="",
        body="",
        macro_code="sgt-referral",
        macro_fields={
            "contact_type": "inbound-call",
            "disputed": "not-a-parent",
            "name_given": "Jordan Mackenzie",
            "identity_confirmed": True,
            "details": "The caller says the child is not theirs.",
        },
    )
    assert "Name given by the person: Jordan Mackenzie" in note.body
    assert "Solutions Gateway Team" in note.body


def test_DOC_2_ps_macros_are_for_personalised_services_roles_only(payer, officer, ps_case_manager):
    fields = {"activity": "case-review", "discussion": "History reviewed."}
    with pytest.raises(MacroNotAllowed, match="DOC-2"):
        services.add_note(
            customer=payer,
            actor=officer,
            subject="",
            body="",
            macro_code="ps-case-management",
            macro_fields=fields,
        )
    note = services.add_note(
        customer=payer,
        actor=ps_case_manager,
        subject="",
        body="",
        macro_code="ps-case-management",
        macro_fields=fields,
    )
    assert note.body == "Personalised Services - PS Case Review.\nDiscussion: History reviewed."


def test_DOC_2_macros_are_policy_data_with_the_required_set(db):
    codes = set(Macro.objects.filter(active=True).values_list("code", flat=True))
    assert {
        "sgt-referral",
        "ps-case-management",
        "ps-finalisation",
        "contact-attempt",
        "information-exchange",
    } <= codes
    finalisation = Macro.objects.get(code="ps-finalisation")
    required = {f["name"] for f in finalisation.fields if f.get("required")}
    assert {"basis", "mandatory_issues", "plan_actions_complete", "exit_advice"} == required


def test_DOC_1_case_of_another_customer_refused(payer, officer):
    other_case = CaseFactory()
    with pytest.raises(Exception, match="does not belong"):
        services.add_note(customer=payer, actor=officer, subject="x", body="y", case=other_case)


def test_DOC_1_control_characters_refused(payer, officer):
    with pytest.raises(Exception, match="control characters"):
        services.add_note(customer=payer, actor=officer, subject="x", body="a\x00b")
    assert Note.objects.count() == 0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(subject=st.text(max_size=130), body=st.text(max_size=300))
def test_VAL_1_any_text_is_saved_or_refused_with_nothing_written(payer, officer, subject, body):
    notes, audit = Note.objects.count(), AuditRecord.objects.filter(outcome=Outcome.OK).count()
    try:
        services.add_note(customer=payer, actor=officer, subject=subject, body=body)
    except DomainError as exc:
        assert exc.http_status == 422 and exc.field in {"subject", "body", None}
        assert Note.objects.count() == notes
        assert AuditRecord.objects.filter(outcome=Outcome.OK).count() == audit
    else:
        assert Note.objects.count() == notes + 1
