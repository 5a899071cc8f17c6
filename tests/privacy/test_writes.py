"""DOC-6 Separating Safely on writes: every write of free text on the other party's
record (notes, notepads, macro fields, stacking headings and pointers, intray notes,
outcomes and reasons; API and page) refuses each protected element of the at-risk
party, in any case, spacing or Unicode form, naming its span, and stores nothing.
Letters: tests/letters/test_separating_safely.py. Write answers are masked like reads."""

import json

import pytest
from django.urls import reverse

from cma.audit.models import AuditRecord, Outcome
from cma.notes import services as notes
from cma.notes.models import Note, StackingDocument, StackingEntry
from cma.work import services as work
from cma.work.models import Intray, IntrayEvent

from .conftest import ADDRESS, LOCALITY, STREET, client_for

# (what, text written, the span that must be found)
LEAKS = [
    ("street", f"She is near {STREET} now.", STREET),
    ("street-abbreviated", "Near QUOKKARIDGE  pde, apparently.", "QUOKKARIDGE  pde"),
    ("street-other-number", "Seen at 12 quokkaridge parade.", "12 quokkaridge parade"),
    ("address", f"Lives at {ADDRESS}.", ADDRESS),
    ("locality", f"Payee said she moved to {LOCALITY} in May.", LOCALITY),
    ("locality-lower", "moved to katoomba", "katoomba"),
    ("locality-full-width", "moved to \uff2b\uff41\uff54\uff4f\uff4f\uff4d\uff42\uff41",
     "\uff2b\uff41\uff54\uff4f\uff4f\uff4d\uff42\uff41"),
    ("locality-zero-width", "moved to Kato\u200bomba", "Kato\u200bomba"),
    ("locality-cyrillic", "moved to K\u0430toomba", "K\u0430toomba"),
    ("locality-accented", "moved to K\u00e1toomba", "K\u00e1toomba"),
    ("postcode", "Her postcode is 2780.", "2780"),
    ("phone-national", "Her new mobile is 0491 570 156.", "0491 570 156"),
    ("phone-international", "Reached her on +61 491 570 156.", "+61 491 570 156"),
    ("phone-dots", "Number 0491.570.156 given.", "0491.570.156"),
    ("phone-nbsp", "Number 0491\u00a0570\u00a0156 given.", "0491\u00a0570\u00a0156"),
    ("phone-full-width", "Number \uff10\uff14\uff19\uff11\uff15\uff17\uff10\uff11\uff15\uff16.",
     "\uff10\uff14\uff19\uff11\uff15\uff17\uff10\uff11\uff15\uff16"),
    ("alternative-contact-phone", "Sister is on (07) 5550-1234.", "(07) 5550-1234"),
]  # fmt: skip
SOME_LEAKS = [LEAKS[0], LEAKS[4], LEAKS[7], LEAKS[10], LEAKS[12]]

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(payer, case, at_risk, officer):
    """What the officer writes on: the payer (the other party), a stacking document, an
    earlier note and a live intray of theirs."""
    document = notes.create_stacking_document(
        customer=payer, actor=officer, purpose="general", heading="Estimate review"
    )
    earlier = notes.add_note(
        customer=payer, actor=officer, subject="Income", body="Payslips.", function="income"
    )
    intray = work.create_intray(
        customer=payer, type_code="general-follow-up", actor=officer, owner_user=officer
    )
    return {"payer": payer, "document": document, "note": earlier, "intray": intray}


def _stored(record) -> tuple:
    intray = Intray.objects.get(pk=record["intray"].pk)
    return (
        Note.objects.count(),
        StackingDocument.objects.count(),
        StackingEntry.objects.count(),
        Intray.objects.count(),
        IntrayEvent.objects.count(),
        (intray.status, intray.note, intray.outcome, intray.deleted_reason, intray.owner_key),
    )


# --- the API: each path names (url, payload, field) for a text --------------------------

API_PATHS = {
    "note-body": lambda r, t: (
        f"/api/v1/customers/{r['payer'].pk}/notes", {"subject": "Update", "body": t}, "body"
    ),
    "note-subject": lambda r, t: (
        f"/api/v1/customers/{r['payer'].pk}/notes", {"subject": t[:120], "body": "x"}, "subject"
    ),
    "macro-field": lambda r, t: (
        f"/api/v1/customers/{r['payer'].pk}/notes",
        {
            "macro_code": "contact-attempt",
            "macro_fields": {
                "party": "customer", "channel": "phone", "number_type": "mobile",
                "outcome": "no-answer", "attempt": "first", "remarks": t,
            },
        },
        "macro_fields.remarks",
    ),
    "stacking-heading": lambda r, t: (
        f"/api/v1/customers/{r['payer'].pk}/stacking-documents", {"heading": t[:120]}, "heading"
    ),
    "notepad": lambda r, t: (
        f"/api/v1/stacking-documents/{r['document'].pk}/notepads",
        {"subject": "Call", "body": t},
        "body",
    ),
    "pointer-label": lambda r, t: (
        f"/api/v1/stacking-documents/{r['document'].pk}/pointers",
        {"note_id": r["note"].pk, "label": t[:120]},
        "label",
    ),
    "intray-note": lambda r, t: (
        "/api/v1/intrays",
        {"customer_id": r["payer"].pk, "type_code": "general-follow-up", "note": t},
        "note",
    ),
    "follow-up-note": lambda r, t: (
        f"/api/v1/intrays/{r['intray'].pk}/follow-ups",
        {"type_code": "general-follow-up", "note": t},
        "note",
    ),
    "intray-outcome": lambda r, t: (
        f"/api/v1/intrays/{r['intray'].pk}/complete", {"outcome": t}, "outcome"
    ),
    "intray-delete-reason": lambda r, t: (
        f"/api/v1/intrays/{r['intray'].pk}/delete", {"reason": t}, "reason"
    ),
    "intray-assign-reason": lambda r, t: (
        f"/api/v1/intrays/{r['intray'].pk}/assign",
        {"owner_area": "mainstream", "reason": t[:300]},
        "reason",
    ),
}  # fmt: skip


def _refused_over_api(officer, record, path, text, span):
    url, payload, field = API_PATHS[path](record, text)
    before = _stored(record)
    response = client_for(officer).post(url, payload, content_type="application/json")
    body = response.json()
    assert response.status_code == 422, body
    assert body["code"] == "separating-safely"
    assert "Separating Safely" in body["message"]
    sent = payload.get(field) if "." not in field else payload["macro_fields"]["remarks"]
    found = [sent[d["start"] : d["end"]] for d in body["details"] if d["field"] == field]
    assert span in found, body["details"]
    assert all(d["kind"].startswith("protected-") for d in body["details"])
    # The refusal names positions and kinds, never the text; nothing was stored.
    assert span not in json.dumps(body, ensure_ascii=False)
    assert _stored(record) == before


@pytest.mark.parametrize("what,text,span", LEAKS, ids=[leak[0] for leak in LEAKS])
@pytest.mark.parametrize("path", ["note-body", "intray-note"])
def test_DOC_6_every_protected_element_is_refused_in_any_form(
    officer, record, path, what, text, span
):
    _refused_over_api(officer, record, path, text, span)


@pytest.mark.parametrize("what,text,span", SOME_LEAKS, ids=[leak[0] for leak in SOME_LEAKS])
@pytest.mark.parametrize("path", sorted(set(API_PATHS) - {"note-body", "intray-note"}))
def test_DOC_6_every_api_write_on_the_other_party_refuses_protected_details(
    officer, record, path, what, text, span
):
    _refused_over_api(officer, record, path, text, span)


def test_DOC_6_a_macro_allowing_a_number_still_refuses_the_at_risk_partys_number(officer, record):
    """DOC-2 lets the information exchange request carry a number (DOC-3 allows it);
    never the at-risk party's number on the other party's record (DOC-6)."""
    url = f"/api/v1/customers/{record['payer'].pk}/notes"
    fields = {"request": "delete-number", "number_type": "mobile", "reason": "Invalid."}
    api = client_for(officer)
    theirs = {
        "macro_code": "information-exchange",
        "macro_fields": {**fields, "phone_number": "0491 570 156"},
    }
    refused = api.post(url, theirs, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "separating-safely"
    assert refused.json()["details"][0]["field"] == "macro_fields.phone_number"
    own = {
        "macro_code": "information-exchange",
        "macro_fields": {**fields, "phone_number": "0412 555 019"},
    }
    assert api.post(url, own, content_type="application/json").status_code == 201


def test_DOC_6_the_refusal_is_audited_with_its_code_only(officer, record):
    url, payload, _ = API_PATHS["intray-note"](record, f"moved to {LOCALITY}")
    client_for(officer).post(url, payload, content_type="application/json")
    row = AuditRecord.objects.filter(action="work.intray.created").latest("id")
    assert row.outcome == Outcome.REFUSED
    assert LOCALITY not in json.dumps([row.reason, row.changes], default=str)


# --- the pages -----------------------------------------------------------------------

PAGE_PATHS = {
    "note": lambda r, t: (reverse("notes:new-note", args=[r["payer"].pk]),
                          {"subject": "Update", "body": t, "function": "general"}),
    "notepad": lambda r, t: (reverse("notes:stacking-notepad", args=[r["document"].pk]),
                             {"subject": "Call", "body": t}),
    "intray-new": lambda r, t: (reverse("work:intray-new", args=[r["payer"].pk]),
                                {"type_code": "general-follow-up", "owner": "me", "note": t}),
    "intray-complete": lambda r, t: (
        reverse("work:intray-action", args=[r["intray"].pk, "complete"]), {"outcome": t}),
    "intray-delete": lambda r, t: (
        reverse("work:intray-action", args=[r["intray"].pk, "delete"]), {"reason": t}),
    "intray-assign": lambda r, t: (
        reverse("work:intray-action", args=[r["intray"].pk, "assign"]),
        {"owner": "area:mainstream", "reason": t}),
    "intray-follow-up": lambda r, t: (
        reverse("work:intray-action", args=[r["intray"].pk, "follow-up"]),
        {"type_code": "general-follow-up", "owner": "me", "note": t}),
}  # fmt: skip


@pytest.mark.parametrize("what,text,span", SOME_LEAKS, ids=[leak[0] for leak in SOME_LEAKS])
@pytest.mark.parametrize("path", sorted(PAGE_PATHS))
def test_DOC_6_every_page_write_on_the_other_party_marks_what_it_refuses(
    officer, record, path, what, text, span
):
    url, form = PAGE_PATHS[path](record, text)
    before = _stored(record)
    response = client_for(officer).post(url, form)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Separating Safely" in html
    assert f'title="protected-{what.split("-")[0]}">{span}</mark>' in html, html
    assert f"\u201c{span}\u201d" in html  # quoted beside the field
    assert _stored(record) == before


# --- what is not refused -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Paid $2780.50 on 12/03/2025; 2780 dollars owing; 12780 cents.",
        "The Katoombas and Katoombaville are not her town; Leura is nobody's.",
        "Quokkaridge Paradise resort; a parade in the Blue Mountains.",
        "Reference 04915701561 quoted.",
        "Payee attended; she is well.",
    ],
)
def test_DOC_6_text_that_only_resembles_the_protected_details_is_accepted(officer, record, text):
    url = f"/api/v1/customers/{record['payer'].pk}/notes"
    response = client_for(officer).post(
        url, {"subject": "Update", "body": text}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()


def test_DOC_6_only_the_other_party_is_refused_and_only_while_at_risk(
    officer, record, payee, national_manager, ps_case_manager
):
    # On her own record her town is not withheld from her (DOC-3 still guards the rest).
    own = notes.add_note(
        customer=payee, actor=ps_case_manager, subject="Move", body=f"Moved to {LOCALITY}."
    )
    assert own.body == f"Moved to {LOCALITY}."
    # A customer with no case with her may name the town.
    from tests.factories import CustomerFactory

    stranger = CustomerFactory()
    notes.add_note(customer=stranger, actor=officer, subject="x", body=f"Lives in {LOCALITY}.")
    # Once Separating Safely ends, the other party's record may say it too.
    notes.end_at_risk(customer=payee, actor=national_manager, reason="Order expired")
    notes.add_note(customer=record["payer"], actor=officer, subject="x", body=f"In {LOCALITY}.")


# --- write answers are masked exactly like reads ---------------------------------------


@pytest.fixture
def before_marking(payer, case, payee, officer, ps_case_manager):
    """Text written on the payer before the payee was marked at risk, then the marking."""
    old_note = notes.add_note(
        customer=payer,
        actor=officer,
        subject="Payee news",
        body=f"She moved to {LOCALITY}.",
        function="care",
    )
    intray = work.create_intray(
        customer=payer,
        type_code="general-follow-up",
        actor=officer,
        owner_user=officer,
        note=f"Check the {LOCALITY} address",
    )
    document = notes.create_stacking_document(
        customer=payer, actor=officer, purpose="general", heading="Estimate review"
    )
    notes.mark_at_risk(customer=payee, actor=ps_case_manager, reason="Family violence disclosed")
    return {"note": old_note, "intray": intray, "document": document}


def test_DOC_6_write_answers_are_masked_like_reads(officer, payer, before_marking):
    api = client_for(officer)
    intray, old_note = before_marking["intray"], before_marking["note"]
    started = api.post(f"/api/v1/intrays/{intray.pk}/start").json()
    read = api.get(f"/api/v1/intrays/{intray.pk}").json()
    assert started["note"] == read["note"] == "Check the [withheld] address"
    completed = api.post(
        f"/api/v1/intrays/{intray.pk}/complete",
        {"outcome": "Done."},
        content_type="application/json",
    ).json()
    assert completed["note"] == "Check the [withheld] address"
    pointer = api.post(
        f"/api/v1/stacking-documents/{before_marking['document'].pk}/pointers",
        {"note_id": old_note.pk},
        content_type="application/json",
    )
    assert pointer.status_code == 201
    assert pointer.json()["note"]["body"] == "She moved to [withheld]."
    created = api.post(
        f"/api/v1/customers/{payer.pk}/notes",
        {"subject": "Call", "body": "Discussed the estimate."},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json() == api.get(f"/api/v1/notes/{created.json()['id']}").json()
    for answer in (started, read, completed, pointer.json()):
        assert LOCALITY not in json.dumps(answer)


def test_DOC_6_the_intray_page_of_the_other_party_masks_old_text(officer, payer, before_marking):
    intray = before_marking["intray"]
    html = client_for(officer).get(reverse("work:intray", args=[intray.pk])).content.decode()
    assert "Check the [withheld] address" in html and LOCALITY not in html
