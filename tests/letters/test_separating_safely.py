"""DOC-6 Separating Safely and DOC-5: a letter never discloses an at-risk other
party's location or contact details, and never carries a sensitive indicator."""

from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.customers.models import agency_today
from cma.letters import rendering, services
from cma.letters.checks import disclosed_protected_values
from cma.letters.errors import LetterRefused
from cma.letters.models import Letter
from cma.notes.services import add_sensitive_indicator, mark_at_risk

from .conftest import SAMPLE_FIELDS, flat, letter_kwargs, pdf_text


@pytest.mark.parametrize(
    "text",
    [
        "Please call 02 5550 1234 to arrange the handover.",
        "Their number is (02) 5550-1234.",
        "Their number is 0255501234.",
        "Their number is +61 2 5550 1234.",
        "They now live at 99  hidden LANE, near the park.",
        "They moved to Wollongong last year.",
        "The postcode is 2500.",
    ],
)
def test_DOC_6_protected_values_are_found_however_they_are_written(text):
    protected = ["99 Hidden Lane", "Wollongong", "2500", "+61255501234"]
    assert disclosed_protected_values(text, protected)


@pytest.mark.parametrize(
    "text",
    [
        "Your arrears are $2500.",
        "Your arrears are 2,500.00 dollars, or 12500 cents.",
        "Pay 2500.50 by Friday.",
        "The reference is 025550123499.",
        "We met at 99 Hidden Lanes Road.",
        "Nothing about them at all.",
    ],
)
def test_DOC_6_similar_but_different_text_is_not_refused(text):
    protected = ["99 Hidden Lane", "Wollongong", "2500", "+61255501234"]
    assert not disclosed_protected_values(text, protected)


# --- Through the service: refused, nothing issued, message names no value ---------


@pytest.fixture
def at_risk_other_party(officer, other_party):
    other_party.phones.create(kind="mobile", number="+61491570156", is_preferred=True)
    mark_at_risk(customer=other_party, actor=officer, reason="Family violence order in place")
    return other_party


@pytest.mark.django_db
@pytest.mark.parametrize(
    "leak",
    [
        "They have moved to 99 Hidden Lane, Wollongong.",
        "Contact them on 0491 570 156.",
        "Their postcode is now 2500.",
    ],
)
def test_DOC_6_letter_that_would_disclose_the_other_partys_protected_details_is_refused(
    officer, customer, at_risk_other_party, leak
):
    fields = {**SAMPLE_FIELDS["DEC-1"], "decision_summary": leak}
    with pytest.raises(LetterRefused) as exc:
        services.issue_letter(**letter_kwargs("DEC-1", customer, officer, fields=fields))
    assert [d["code"] for d in exc.value.details] == ["protected-details"]
    assert exc.value.details[0]["field"] == "decision_summary"
    assert "Separating Safely" in exc.value.message
    for value in ("Hidden Lane", "Wollongong", "2500", "0491"):
        assert value not in exc.value.message
    assert not Letter.objects.exists()
    row = AuditRecord.objects.get(action="letters.letter.issued")
    assert row.outcome == Outcome.REFUSED and row.changes == {"problems": ["protected-details"]}


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
