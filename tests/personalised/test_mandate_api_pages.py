# ruff: noqa: F811  (pytest fixtures imported from test_mandate are parameters here)
"""PS-12 through the API and the pages: the mandate of a customer and of a decision,
requesting and recording a consultation; one audit row per operation (AUD-1), bad
input refused with every unmet condition and nothing written."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cma.audit.models import Outcome
from cma.personalised.models import ConsultationState, PsConsultation
from cma.work.models import IntrayStatus
from tests.personalised.test_mandate import (  # noqa: F401  (fixtures)
    decision,
    head,
    ps_case,
    ps_team,
    pscm,
    pstl,
    rows_since,
    specialist,
)

BODY = {
    "outstanding_issues": "A step 3 complaint is open.",
    "special_contact_conditions": "Calls only in agreed times.",
    "communication_approach": "The case manager calls first, then the decision maker.",
    "who_tells": "case-manager",
}


def _moment(minutes_ago: int = 10) -> str:
    return (timezone.now() - timedelta(minutes=minutes_ago)).isoformat(timespec="seconds")


def test_PS_12_api_the_mandate_of_a_customer(client, ps_case, specialist, pscm):
    client.force_login(specialist)
    before = head()
    answer = client.get(f"/api/v1/ps/customers/{ps_case.payee_id}/mandate").json()
    assert rows_since(before) == [("personalised.mandate.viewed", Outcome.OK)]
    assert answer["ps_customer"] is True
    manager = answer["manager"]
    assert manager["user_id"] == pscm.pk and manager["team"] == "Personalised Services Adelaide"
    assert manager["team_leader"] == "Paul Leader"
    assert manager["availability"]["active"] is True
    other = client.get(f"/api/v1/ps/customers/{ps_case.payer_id}/mandate").json()
    assert other == {"customer_id": ps_case.payer_id, "ps_customer": False, "manager": None}


def test_PS_12_api_request_record_then_finalise(client, decision, specialist, pscm):
    client.force_login(specialist)
    payee = decision.case.payee_id
    base = f"/api/v1/ps/decisions/{decision.pk}"
    state = client.get(f"{base}/mandate").json()
    assert [p["consultation_required"] for p in state["parties"]] == [False, True]
    before = head()
    response = client.post(
        f"{base}/consultations/{payee}/request", {}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert (
        made["state"] == "requested" and made["intray_due_on"] == timezone.localdate().isoformat()
    )
    assert rows_since(before) == [("personalised.consultation.requested", Outcome.OK)]
    before = head()
    response = client.post(
        f"{base}/consultations/{payee}/record",
        {**BODY, "consulted_at": _moment()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "recorded" and response.json()["consulted_id"] == pscm.pk
    assert rows_since(before) == [("personalised.consultation.recorded", Outcome.OK)]
    state = client.get(f"{base}/mandate").json()
    assert state["parties"][1]["consultation"]["who_tells"] == "case-manager"


def test_PS_12_api_bad_input_lists_every_unmet_condition_and_writes_only_the_refusal(
    client, decision, specialist
):
    client.force_login(specialist)
    payee = decision.case.payee_id
    before = head()
    response = client.post(
        f"/api/v1/ps/decisions/{decision.pk}/consultations/{payee}/record",
        {
            **BODY,
            "consulted_id": 987654,
            "consulted_at": (timezone.now() + timedelta(days=1)).isoformat(timespec="seconds"),
            "who_tells": "nobody",
            "outstanding_issues": "   ",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "ps-conditions-unmet"
    assert [d["field"] for d in body["details"]] == [
        "consulted_id",
        "consulted_at",
        "outstanding_issues",
        "who_tells",
    ]
    assert not PsConsultation.objects.exists()
    assert rows_since(before) == [("personalised.consultation.recorded", Outcome.REFUSED)]
    # An extra field is invalid input, a 422 naming it; a non-party customer is 404.
    response = client.post(
        f"/api/v1/ps/decisions/{decision.pk}/consultations/{payee}/request",
        {"note": "x", "urgent": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.post(
        f"/api/v1/ps/decisions/{decision.pk}/consultations/{payee + 1000}/request",
        {},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_PS_12_api_finalising_without_a_consultation_is_refused_naming_it(
    client, decision, specialist
):
    client.force_login(specialist)
    client.post(f"/api/v1/decisions/{decision.pk}/ready", content_type="application/json")
    response = client.post(
        f"/api/v1/decisions/{decision.pk}/finalise", content_type="application/json"
    )
    assert response.status_code == 422
    fields = [d["field"] for d in response.json()["details"]]
    assert f"consultations.{decision.case.payee_id}" in fields


def test_PS_12_pages_the_decision_links_to_its_mandate_page(client, decision, specialist, pscm):
    client.force_login(specialist)
    page = client.get(reverse("decisions:decision", kwargs={"decision_id": decision.pk}))
    url = reverse("personalised:mandate-decision", kwargs={"decision_id": decision.pk})
    assert url in page.content.decode()
    before = head()
    body = client.get(url).content.decode()
    assert rows_since(before) == [("personalised.mandate.decision-viewed", Outcome.OK)]
    assert "Not a Personalised Services customer" in body  # the payer
    assert "Priya Manager" in body and "Leave is not recorded" in body
    assert "Request a consultation today" in body


def test_PS_12_pages_request_then_record_with_errors_first(client, decision, specialist, pscm):
    client.force_login(specialist)
    payee = decision.case.payee_id
    kwargs = {"decision_id": decision.pk, "customer_id": payee}
    before = head()
    response = client.post(reverse("personalised:mandate-request", kwargs=kwargs))
    assert response.status_code == 302
    assert rows_since(before) == [("personalised.consultation.requested", Outcome.OK)]
    consultation = PsConsultation.objects.get()
    assert consultation.intray.owner_user == pscm
    record_url = reverse("personalised:mandate-record", kwargs=kwargs)
    before = head()
    response = client.post(record_url, {"consulted": str(pscm.pk)})
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Record the agreed communication approach" in body
    assert rows_since(before) == [("personalised.consultation.recorded", Outcome.REFUSED)]
    now = timezone.localtime() - timedelta(minutes=5)
    before = head()
    response = client.post(
        record_url,
        {
            **BODY,
            "consulted": str(pscm.pk),
            "consulted_on": now.date().isoformat(),
            "consulted_time": now.strftime("%H:%M"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert rows_since(before) == [("personalised.consultation.recorded", Outcome.OK)]
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.RECORDED
    assert consultation.intray.status == IntrayStatus.COMPLETED
    body = client.get(reverse("personalised:mandate-decision", kwargs={"decision_id": decision.pk}))
    assert "The PS case manager" in body.content.decode()


def test_PS_12_pages_personal_information_is_shown_beside_its_field(
    client, decision, specialist, pscm
):
    client.force_login(specialist)
    kwargs = {"decision_id": decision.pk, "customer_id": decision.case.payee_id}
    now = timezone.localtime() - timedelta(minutes=5)
    response = client.post(
        reverse("personalised:mandate-record", kwargs=kwargs),
        {
            **BODY,
            "special_contact_conditions": "Ring 0491 570 199 only",
            "consulted": str(pscm.pk),
            "consulted_on": now.date().isoformat(),
            "consulted_time": now.strftime("%H:%M"),
        },
    )
    assert response.status_code == 422
    assert "id_payee_special_contact_conditions" in response.content.decode()
    assert not PsConsultation.objects.exists()


def test_PS_12_the_mandate_page_has_a_bounded_number_of_queries_flat_as_work_grows(
    client, decision, specialist, pscm, django_assert_max_num_queries
):
    from cma.work import services as work

    client.force_login(specialist)
    url = reverse("personalised:mandate-decision", kwargs={"decision_id": decision.pk})

    def queries() -> int:
        with django_assert_max_num_queries(45) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(8):
        work.create_intray(
            customer=decision.case.payee, type_code="client-call-back", actor=pscm, owner_user=pscm
        )
    assert queries() == few
