"""DOC-6 Separating Safely and DOC-5: a letter never discloses an at-risk other
party's location or contact details, and never carries a sensitive indicator."""

from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.customers.models import agency_today
from cma.letters import rendering, services
from cma.letters.errors import LetterRefused
from cma.letters.models import Letter
from cma.notes.services import add_sensitive_indicator, mark_at_risk

from .conftest import SAMPLE_FIELDS, flat, letter_kwargs, pdf_text

# --- Through the service: refused, nothing issued, message names no value ---------


@pytest.fixture
def at_risk_other_party(officer, other_party):
    other_party.phones.create(kind="mobile", number="+61491570156", is_preferred=True)
    mark_at_risk(customer=other_party, actor=officer, reason="Family violence order in place")
    return other_party


@pytest.mark.django_db
@pytest.mark.parametrize("service", [services.preview_letter, services.issue_letter])
@pytest.mark.parametrize(
    "leak,found,kinds",
    [
        ("They have moved to 99 Hidden Lane, Wollongong.", "99 Hidden Lane", 2),
        ("They live near Hidden Lane now.", "Hidden Lane", 1),
        ("They live near HIDDEN  LN now.", "HIDDEN  LN", 1),
        ("They now live in wollongong.", "wollongong", 1),
        ("Contact them on 0491 570 156.", "0491 570 156", 1),
        ("Contact them on +61\u00a0491\u00a0570\u00a0156.", "+61\u00a0491\u00a0570\u00a0156", 1),
        ("Their postcode is now 2500.", "2500", 1),
    ],
)
def test_DOC_6_letter_that_would_disclose_the_other_partys_protected_details_is_refused(
    officer, customer, at_risk_other_party, service, leak, found, kinds
):
    """DOC-6: refused at preview and at issue, each finding with its span in the field;
    the message and the audit row name no value."""
    fields = {**SAMPLE_FIELDS["DEC-1"], "decision_summary": leak}
    with pytest.raises(LetterRefused) as exc:
        service(**letter_kwargs("DEC-1", customer, officer, fields=fields))
    details = exc.value.details
    assert {d["code"] for d in details} == {"protected-details"} and len(details) == kinds
    first = details[0]
    assert first["field"] == "decision_summary"
    assert leak[first["start"] : first["end"]] == found
    assert "Separating Safely" in exc.value.message
    for value in ("Hidden", "Wollongong", "2500", "0491", "491"):
        assert value.lower() not in exc.value.message.lower()
    assert not Letter.objects.exists()
    action = (
        "letters.letter.issued" if service is services.issue_letter else "letters.letter.previewed"
    )
    row = AuditRecord.objects.get(action=action)
    assert row.outcome == Outcome.REFUSED and row.changes == {"problems": ["protected-details"]}


@pytest.mark.django_db
def test_DOC_6_the_letter_page_marks_the_street_it_refuses(
    officer, customer, at_risk_other_party, client
):
    """DOC-6: the write page shows the officer what was found, beside the field."""
    from django.urls import reverse

    client.force_login(officer)
    form = {"template": "DEC-1", **SAMPLE_FIELDS["DEC-1"]}
    form["decision_summary"] = "The payee moved near Hidden Lane."
    for name in ("letters:preview", "letters:issue"):
        response = client.post(reverse(name, args=[customer.pk]), form)
        html = response.content.decode()
        assert response.status_code == 422
        assert "Separating Safely" in html and "\u201cHidden Lane\u201d" in html
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_DOC_6_the_same_letter_without_the_details_is_issued(
    officer, customer, at_risk_other_party
):
    draft = services.prepare_letter(**letter_kwargs("DEC-1", customer, officer))
    assert "Hidden Lane" not in str(draft.data)


@pytest.mark.django_db
def test_DOC_6_details_of_a_party_not_at_risk_are_not_blocked(officer, customer, other_party):
    fields = {**SAMPLE_FIELDS["DEC-1"], "decision_summary": "Post it to 99 Hidden Lane."}
    services.prepare_letter(**letter_kwargs("DEC-1", customer, officer, fields=fields))


@pytest.mark.django_db
def test_DOC_6_an_at_risk_addressee_still_receives_letters_at_their_own_address(
    officer, customer, other_party
):
    mark_at_risk(customer=customer, actor=officer, reason="Family violence order in place")
    draft = services.prepare_letter(**letter_kwargs("DEC-1", customer, officer))
    assert "12 Example Street" in draft.data["address_lines"]


@pytest.mark.django_db
def test_DOC_5_AC_3_no_letter_contains_a_sensitive_indicator_or_protected_sentinel(
    officer, ps_case_manager, customer, at_risk_other_party
):
    """Every template, issued to a customer with a sensitive indicator whose other
    party is at risk: the PDF text and stored data carry neither."""
    add_sensitive_indicator(
        customer=customer,
        actor=officer,
        kind="security-incident",
        reason="SENTINEL-INDICATOR-REASON threatened staff",
        conditions="SENTINEL-INDICATOR-CONDITIONS two officers",
        review_on=agency_today() + timedelta(days=30),
    )
    for code in ("MX1-1", "DEC-1", "UQ140.01"):
        actor = ps_case_manager if code.startswith("UQ") else officer
        letter = services.issue_letter(**letter_kwargs(code, customer, actor))
        everything = flat(pdf_text(letter.pdf)) + str(letter.data) + str(letter.fields)
        assert "SENTINEL-INDICATOR" not in everything
        assert "Hidden Lane" not in everything and "Wollongong" not in everything
        assert "0491" not in everything
    # The template context never sees the customer object itself, only these values.
    assert rendering.address_lines(customer) == letter.data["address_lines"]
