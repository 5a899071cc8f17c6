"""PS-13..PS-17 through the API: readiness, a refused request, a request, a rejection,
a second request and the approval with the exit; bad input refused listing every unmet
condition, nothing written but the audited refusal."""

from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.personalised.models import FinalisationRequest, PsIssue
from cma.work.models import CustomerLock
from tests.personalised.finalisation_helpers import ready_plan, second_team_leader


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


BODY = {
    "basis": "issues-addressed",
    "mandatory_issues": "All five mandatory issues discussed and addressed.",
    "exit_advice": "by-phone",
    "feedback": "Feedback given to the Assessment team.",
}


def test_PS_13_PS_14_PS_15_PS_17_finalisation_through_the_api(pscm, pstl):
    plan = ready_plan(pscm)
    cm, tl = _client(pscm), _client(pstl)
    url = f"/api/v1/ps/plans/{plan.pk}/finalisation"
    read = cm.get(url)
    assert read.status_code == 200, read.content
    assert read.json()["ready"] is True and read.json()["open_request"] is None
    # Bad input: an unresolved (recorded) issue and no exit letter, every problem listed.
    PsIssue.objects.filter(plan=plan, position=0).update(status="recorded")
    before = AuditRecord.objects.count()
    refused = _post(cm, url, {**BODY, "exit_advice": "exit-letter"})
    assert refused.status_code == 422
    fields = [d["field"] for d in refused.json()["details"]]
    assert "issues" in fields and "exit_advice" in fields
    assert list(AuditRecord.objects.values_list("outcome", flat=True)[before:]) == [Outcome.REFUSED]
    assert not FinalisationRequest.objects.exists()
    PsIssue.objects.filter(plan=plan, position=0).update(status="confirmed")
    made = _post(cm, url, BODY)
    assert made.status_code == 201, made.content
    decision = f"/api/v1/ps/finalisations/{made.json()['id']}/decision"
    # The case manager cannot decide; a rejection needs its reasons.
    assert _post(cm, decision, {"approve": True, "reason": "issues-addressed"}).status_code == 422
    missing = _post(tl, decision, {"approve": False})
    assert missing.status_code == 422
    assert [d["field"] for d in missing.json()["details"]] == ["comment"]
    rejected = _post(tl, decision, {"approve": False, "comment": "Resolve the estimate first."})
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert CustomerLock.objects.get(customer=plan.customer, released_at=None).owner_user == pscm
    again = _post(cm, url, BODY)
    assert again.status_code == 201, again.content
    decision = f"/api/v1/ps/finalisations/{again.json()['id']}/decision"
    approved = _post(tl, decision, {"approve": True, "reason": "issues-addressed"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["routed_area"] == "mainstream"
    assert cm.get(url).json()["plan_state"] == "closed"


def test_PS_15_the_api_refuses_an_unknown_area_and_reason_at_once(pscm, pstl):
    plan = ready_plan(pscm)
    made = _post(_client(pscm), f"/api/v1/ps/plans/{plan.pk}/finalisation", BODY)
    decision = f"/api/v1/ps/finalisations/{made.json()['id']}/decision"
    refused = _post(
        _client(second_team_leader(pstl)),
        decision,
        {"approve": True, "reason": "nope", "transfer_area": "nowhere"},
    )
    assert refused.status_code == 422
    assert sorted(d["field"] for d in refused.json()["details"]) == ["reason", "transfer_area"]
