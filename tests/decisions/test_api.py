"""The decisions API: the walk from draft to notified, bad input, and CON-17 — the
explanation view shows one customer only what concerns them and the decision."""

import pytest
from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.decisions.models import AffectedParty, State
from cma.letters.models import Letter
from cma.staff.models import Role
from tests.decisions.conftest import confirmed_call
from tests.factories import UserFactory


@pytest.fixture
def api(officer):
    client = Client()
    client.force_login(officer)
    return client


def _post(client, url, body=None):
    return client.post(f"/api/v1{url}", body or {}, content_type="application/json")


def _create(api, case):
    response = _post(
        api,
        "/decisions",
        {
            "case_id": case.pk,
            "kind": "care",
            "reasons": "The care arrangements changed after the review.",
            "effective_on": "2026-12-14",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def _explain(api, decision_id, customer, officer, line, **kw):
    call = confirmed_call(customer, officer, line=line)
    body = {"interaction_id": call.pk, "customer_id": customer.pk, **kw}
    return _post(api, f"/decisions/{decision_id}/explanations", body)


def test_CMA_6_CMA_7_the_api_walks_a_decision_to_notified(api, case, officer):
    decision = _create(api, case)
    assert [p["role"] for p in decision["parties"]] == ["payer", "payee"]
    url = f"/decisions/{decision['id']}"
    assert _post(api, f"{url}/ready").json()["state"] == State.READY
    blocked = _post(api, f"{url}/finalise")
    assert blocked.status_code == 422
    assert [d["field"] for d in blocked.json()["details"]] == [
        f"parties.{case.payer_id}",
        f"parties.{case.payee_id}",
    ]
    listed = api.get("/api/v1/decisions/awaiting-explanation").json()
    assert [(d["id"], d["waiting"]) for d in listed] == [(decision["id"], 2)]
    assert _explain(api, decision["id"], case.payer, officer, "d1").status_code == 201
    after = _explain(
        api,
        decision["id"],
        case.payee,
        officer,
        "d2",
        disagreed=True,
        review_option="objection",
        answer="Will lodge an objection.",
    )
    assert after.status_code == 201 and all(p["ready"] for p in after.json()["parties"])
    assert api.get("/api/v1/decisions/awaiting-explanation").json() == []
    assert _post(api, f"{url}/finalise").json()["state"] == State.FINALISED
    edited = _post(api, f"{url}/update", {"reasons": "Changed"})
    assert edited.status_code == 422 and edited.json()["details"][0]["field"] == "state"
    notified = _post(api, f"{url}/notify").json()
    assert notified["state"] == State.NOTIFIED
    assert all(p["advice_letter_id"] for p in notified["parties"])
    assert Letter.objects.without_pdf().filter(template_code="DEC-1").count() == 2


def test_CMA_7_bad_input_notify_before_finalise_is_refused_and_audited(api, case):
    decision = _create(api, case)
    response = _post(api, f"/decisions/{decision['id']}/notify")
    assert response.status_code == 422
    assert response.json()["details"] == [
        {"field": "state", "message": "finalise the decision before notifying it"}
    ]
    assert (
        AuditRecord.objects.filter(
            action="decisions.decision.notified", outcome=Outcome.REFUSED
        ).count()
        == 1
    )


def test_CMA_6_bad_input_unknown_fields_and_kinds_are_refused(api, case):
    response = _post(
        api,
        "/decisions",
        {"case_id": case.pk, "kind": "Care!", "reasons": "", "effective_on": "14/12/2026"},
    )
    assert response.status_code == 422
    assert not api.get("/api/v1/decisions/awaiting-explanation").json()


def test_CON_17_the_explanation_view_shows_nothing_of_the_other_party(api, case, officer):
    decision = _create(api, case)
    _explain(
        api,
        decision["id"],
        case.payee,
        officer,
        "d2",
        disagreed=True,
        review_option="objection",
        answer="Furious and says the other parent lies.",
    )
    _explain(api, decision["id"], case.payer, officer, "d1", answer="Accepts it calmly.")
    response = api.get(f"/api/v1/decisions/{decision['id']}/explanation/{case.payer_id}")
    assert response.status_code == 200
    body = response.content.decode()
    payee = case.payee
    for sentinel in (
        payee.given_names,
        payee.family_name,
        payee.crn,
        payee.address_line,
        payee.locality,
        "491570199",
        "0491 570 199",
        "Furious",
        "other parent lies",
    ):
        assert sentinel not in body, sentinel
    data = response.json()
    assert data["customer"]["id"] == case.payer_id and data["answer"] == "Accepts it calmly."
    # The payee's reaction (disagreed, chose an objection) is theirs alone.
    assert data["disagreed"] is False and data["review_option"] == ""
    assert "objection" in [o["code"] for o in data["review_options"]]


def test_CON_17_bad_input_a_customer_not_affected_has_no_explanation(api, case, officer):
    from tests.factories import CustomerFactory

    decision = _create(api, case)
    stranger = CustomerFactory()
    response = api.get(f"/api/v1/decisions/{decision['id']}/explanation/{stranger.pk}")
    assert response.status_code == 404
    refused = _explain(api, decision["id"], stranger, officer, "d3")
    assert refused.status_code == 422
    assert refused.json()["details"][0]["field"] == "customer_id"


def test_CON_17_the_explanation_page_shows_nothing_of_the_other_party(api, case, officer):
    decision = _create(api, case)
    _explain(api, decision["id"], case.payee, officer, "d2", answer="Furious about it.")
    response = api.get(f"/decisions/{decision['id']}/explanation/{case.payer_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert case.payer.full_name in body
    payee = case.payee
    for sentinel in (payee.given_names, payee.crn, payee.address_line, "491570199", "Furious"):
        assert sentinel not in body, sentinel


def test_CMA_6_the_decision_page_lists_who_is_missing_when_finalising(api, case, officer):
    decision = _create(api, case)
    page = api.get(f"/decisions/{decision['id']}/")
    assert page.status_code == 200 and page.content.decode().count("Not yet") >= 2
    refused = api.post(f"/decisions/{decision['id']}/finalise/")
    body = refused.content.decode()
    assert refused.status_code == 422
    assert "the payer (customer" in body and "the payee (customer" in body
    assert api.post(f"/decisions/{decision['id']}/ready/").status_code == 302


def test_CMA_6_the_explanation_screen_records_it_on_the_open_call(api, case, officer):
    decision = _create(api, case)
    url = f"/decisions/{decision['id']}/explanation/{case.payer_id}/record/"
    refused = api.post(url, {"answer": "Understood"})
    assert refused.status_code == 422
    assert "Open a call with the customer and confirm their identity" in refused.content.decode()
    confirmed_call(case.payer, officer, line="d1")
    done = api.post(url, {"disagreed": "on", "review_option": "objection", "answer": "Will object"})
    assert done.status_code == 302
    party = AffectedParty.objects.get(decision_id=decision["id"], customer=case.payer)
    assert party.explained and party.review_option == "objection"


def test_CON_17_explaining_to_one_party_needs_the_door_for_that_party_only(api, case, officer):
    from cma.notes import services as notes

    decision = _create(api, case)
    manager = UserFactory(role=Role.PS_CASE_MANAGER)
    notes.mark_at_risk(customer=case.payee, actor=manager, reason="Family violence")
    payer_view = api.get(f"/api/v1/decisions/{decision['id']}/explanation/{case.payer_id}")
    assert payer_view.status_code == 200
    # The whole decision tells about both parties: it stays behind the payee's door.
    assert api.get(f"/api/v1/decisions/{decision['id']}").status_code == 404
    assert (
        api.get(f"/api/v1/decisions/{decision['id']}/explanation/{case.payee_id}").status_code
        == 404
    )
