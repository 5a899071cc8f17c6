"""CMA-6, CON-17 on the call screen: on a confirmed call whose customer is affected by
a decision not yet explained to them, the "Explain a decision" section shows that
decision for this customer only and records the explanation (and a disagreement's
review option and answer) against this interaction, swapping `#section-decisions`
alone over htmx (422 with the errors beside the fields when refused)."""

import pytest
from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.contact import services as contact
from cma.decisions import services
from cma.decisions.models import AffectedParty
from tests.decisions.conftest import confirmed_call, end_call

HTMX = {"HX-Request": "true"}


@pytest.fixture
def staff(officer):
    client = Client()
    client.force_login(officer)
    return client


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _rows(after: int):
    return list(AuditRecord.objects.filter(pk__gt=after).values_list("action", "outcome"))


def _url(call, decision) -> str:
    return f"/decisions/call/{call.pk}/explain/{decision.pk}/"


def _payee_reacted(decision, case, officer):
    """The other party's reaction, recorded first: it must never reach the payer's call."""
    call = confirmed_call(case.payee, officer, line="pe")
    services.record_explanation(
        decision=decision,
        interaction=call,
        customer=case.payee,
        actor=officer,
        disagreed=True,
        review_option="objection",
        answer="Furious and says the other parent lies.",
    )
    end_call(call, officer)


def _sentinels(case):
    payee = case.payee
    return (
        payee.given_names,
        payee.family_name,
        payee.crn,
        payee.address_line,
        payee.locality,
        "491570199",
        "0491 570 199",
        "Furious",
        "other parent lies",
    )


def test_CMA_6_CON_17_the_call_screen_explains_the_decision_to_this_customer_only(
    staff, decision, case, officer
):
    _payee_reacted(decision, case, officer)
    call = confirmed_call(case.payer, officer)
    page = staff.get(f"/contact/interactions/{call.pk}/").content.decode()
    section = page[page.index('id="section-decisions"') :]
    section = section[: section.index("</section>")]
    assert "Explain a decision" in section and "Percentage of care" not in section
    assert "Change of assessment" in section
    assert "The care arrangements changed after the review." in section
    assert "Lodge an objection" in section and "The payer on the case" in section
    for sentinel in _sentinels(case):
        assert sentinel not in page, sentinel
    # Recorded on this call over htmx: the section alone comes back, nothing left in it.
    before = _head()
    response = staff.post(_url(call, decision), {"answer": "Understood"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<section")
    assert "The explanation of the change of assessment decision is recorded." in body
    assert "Nothing more to explain to this customer on this call." in body
    for sentinel in _sentinels(case):
        assert sentinel not in body, sentinel
    party = AffectedParty.objects.get(decision=decision, customer=case.payer)
    assert party.interaction_id == call.pk and party.answer == "Understood"
    assert _rows(before) == [("decisions.decision.explained", Outcome.OK)]


def test_CON_17_a_disagreement_without_a_review_option_is_refused_beside_the_field(
    staff, decision, case, officer
):
    call = confirmed_call(case.payer, officer)
    before = _head()
    response = staff.post(
        _url(call, decision), {"disagreed": "on", "answer": "Not happy"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 422 and body.lstrip().startswith("<section")
    assert f'id="id_decision{decision.pk}_review_option_error"' in body
    assert "CON-17: the customer disagrees; offer the review options" in body
    assert "checked" in body and "Not happy" in body  # the form as it was sent
    assert not AffectedParty.objects.get(decision=decision, customer=case.payer).explained
    assert _rows(before) == [("decisions.decision.explained", Outcome.REFUSED)]
    response = staff.post(
        _url(call, decision),
        {"disagreed": "on", "review_option": "objection", "answer": "Will object"},
        headers=HTMX,
    )
    assert response.status_code == 200
    party = AffectedParty.objects.get(decision=decision, customer=case.payer)
    assert (party.disagreed, party.review_option) == (True, "objection")


def test_CON_9_CMA_6_nothing_of_the_decision_before_the_caller_s_identity_is_confirmed(
    staff, decision, case, officer
):
    call = contact.open_interaction(
        customer=case.payer,
        actor=officer,
        direction="outbound",
        channel="phone",
        line="u1",
        purpose="explain-decision",
    )
    page = staff.get(f"/contact/interactions/{call.pk}/").content.decode()
    assert 'id="section-decisions"' not in page and "care arrangements" not in page
    before = _head()
    response = staff.post(_url(call, decision), {"answer": "Understood"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 422
    assert "CON-9: confirm the customer" in body
    assert f"(decision {decision.pk})" not in body and "care arrangements" not in body
    assert _rows(before) == [("decisions.decision.explained", Outcome.REFUSED)]


def test_CMA_6_without_javascript_the_call_screen_comes_back_with_what_happened(
    staff, decision, case, officer
):
    call = confirmed_call(case.payer, officer)
    refused = staff.post(_url(call, decision), {"disagreed": "on"})
    assert refused.status_code == 302
    assert refused.url == f"/contact/interactions/{call.pk}/#section-decisions"
    page = staff.get(refused.url).content.decode()
    assert "The explanation is not recorded." in page
    done = staff.post(_url(call, decision), {"answer": "Understood"}, follow=True)
    assert "The explanation of the change of assessment decision is recorded." in (
        done.content.decode()
    )
    assert AffectedParty.objects.get(decision=decision, customer=case.payer).explained


def test_CMA_6_a_decision_not_affecting_the_caller_or_closed_is_refused(
    staff, decision, case, officer
):
    from tests.factories import CaseFactory

    stranger_call = confirmed_call(CaseFactory().payer, officer, line="s1")
    response = staff.post(_url(stranger_call, decision), {"answer": "x"}, headers=HTMX)
    assert response.status_code == 422
    assert "This customer is not affected by the decision" in response.content.decode()
    end_call(stranger_call, officer)
    # Someone else's call is not this officer's to record on.
    from tests.factories import UserFactory

    other = Client()
    other.force_login(UserFactory(role=officer.role, team=officer.team))
    call = confirmed_call(case.payer, officer, line="o1")
    assert other.post(_url(call, decision), {"answer": "x"}, headers=HTMX).status_code == 404
    assert not AffectedParty.objects.filter(explained_at__isnull=False).exists()
