"""PS-1..PS-6 through the API: a referral through the checklist, plan and segment."""

from django.test import Client

from cma.audit.models import AuditRecord


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_PS_1_PS_2_PS_4_PS_5_PS_6_referral_to_approved_plan_through_the_api(
    customer, case, team_leader, pscm, pstl
):
    tl, cm, ps_tl = _client(team_leader), _client(pscm), _client(pstl)
    # PS-1: urgent without the TL contact record is refused with that reason.
    body = {
        "customer_id": customer.pk,
        "kind": "ps-referral-tl-only",
        "source": "ombudsman",
        "reason": "Ombudsman enquiry about the assessment.",
        "urgent": True,
        "case_id": case.pk,
    }
    refused = _post(tl, "/api/v1/ps/referrals", body)
    assert refused.status_code == 422
    assert any(
        "contacted the PS Team Leader first" in d["message"] for d in refused.json()["details"]
    )
    body.update(tl_contacted_ps_tl=True, contacted_ps_team_leader_id=pstl.pk)
    made = _post(tl, "/api/v1/ps/referrals", body)
    assert made.status_code == 201, made.content
    referral = made.json()
    url = f"/api/v1/ps/referrals/{referral['id']}"
    steps = [s["code"] for s in referral["steps"]]
    inputs = {
        "review-case-history": {
            "reviewed": [
                "case-and-customer",
                "notepads-and-communication",
                "feedback-and-review",
                "customer-history",
            ]
        },
        "complete-case-review": {"text": "Reviewed the assessments and the complaint history."},
        "record-segment-source-reason": {"main_reason": "assessment"},
    }
    plan_id = None
    for code in steps:
        if code == "record-segment-source-reason":
            suggestion = cm.get(f"/api/v1/ps/plans/{plan_id}/segment-suggestion").json()
            assert suggestion["segment"] == 2
            assert any(r["code"] == "source:ombudsman" for r in suggestion["reasons"])
            # PS-6: segment 3 waits for the PS Team Leader; a case manager cannot approve it.
            decided = _post(cm, f"/api/v1/ps/plans/{plan_id}/segment", {"segment": 3})
            assert decided.status_code == 201 and decided.json()["approval"] == "pending"
            approval = f"/api/v1/ps/segment-decisions/{decided.json()['id']}/approval"
            assert _post(cm, approval, {"approve": True}).status_code == 422
            assert _post(ps_tl, approval, {"approve": True}).status_code == 200
        before = AuditRecord.objects.count()
        answer = _post(cm, f"{url}/steps", {"step": code, **inputs.get(code, {})})
        assert answer.status_code == 200, (code, answer.content)
        assert AuditRecord.objects.count() - before == 1
        if code == "create-plan":
            plan_id = cm.get("/api/v1/ps/plans").json()[0]["id"]
    final = cm.get(url).json()
    assert final["state"] == "actioned" and final["actioned_on_time"] is True
    assert all(s["done"] for s in final["steps"])

    plan_url = f"/api/v1/ps/plans/{plan_id}"
    plan = cm.get(plan_url).json()
    assert [i["title"] for i in plan["issues"]][:2] == ["Income Correct", "Care Correct"]
    assert plan["segment"] == 3
    issue = plan["issues"][0]["id"]
    jump = _post(cm, f"/api/v1/ps/issues/{issue}/status", {"status": "resolved"})
    assert jump.status_code == 422
    assert (
        _post(cm, f"/api/v1/ps/issues/{issue}/status", {"status": "confirmed"}).status_code == 200
    )
    assert (
        _post(
            cm,
            f"{plan_url}/update",
            {
                "customer_view": "Wants the care fixed",
                "agreed_actions": "Review the care percentage",
                "agreed_contact_times": "Weekday mornings",
            },
        ).status_code
        == 200
    )
    approved = _post(cm, f"{plan_url}/approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"
    versions = cm.get(f"{plan_url}/versions").json()
    assert versions[0]["change"] == "approved by the case manager"
    assert len(versions) >= 6


def test_PS_1_an_unknown_case_or_customer_is_a_404_like_the_rest_of_the_api(
    customer, case, team_leader
):
    """An id that names nothing is 404 and writes no row (as `access.enter` answers an
    unknown customer, and /decisions an unknown case); a case of another customer is
    the referral's own audited refusal (422); nothing is created either way."""
    from cma.personalised.models import Referral
    from tests.factories import CaseFactory

    tl = _client(team_leader)
    body = {
        "customer_id": customer.pk,
        "kind": "ps-referral-tl-only",
        "source": "ombudsman",
        "reason": "Ombudsman enquiry about the assessment.",
        "case_id": 99_999_999,
    }
    before = AuditRecord.objects.count()
    unknown = _post(tl, "/api/v1/ps/referrals", body)
    assert unknown.status_code == 404
    assert unknown.json()["field"] == "case_id"
    assert AuditRecord.objects.count() == before
    nobody = _post(tl, "/api/v1/ps/referrals", {**body, "customer_id": 99_999_999})
    assert nobody.status_code == 404 and nobody.json()["field"] == "customer_id"
    assert AuditRecord.objects.count() == before
    other = _post(tl, "/api/v1/ps/referrals", {**body, "case_id": CaseFactory().pk})
    assert other.status_code == 422
    assert AuditRecord.objects.count() == before + 1
    assert not Referral.objects.exists()
