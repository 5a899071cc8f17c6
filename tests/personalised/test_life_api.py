"""PS-1..PS-17 in one life, through the API only (issue 22 "Done when"): a Team Leader
refers the customer; the case manager actions the checklist, makes the first contact and
approves the plan after it; the follow-up work is done; finalisation is requested,
rejected once by the PS Team Leader (issues back to confirmed, the customer back with the
case manager), requested again and approved; the customer leaves PS, unlocked from the
case manager and routed to the business line by the referral guidelines."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from cma.personalised.models import IssueStatus, PsIssue
from cma.work.models import CustomerLock
from tests.personalised.ps_helpers import all_items

REVIEWED = ["case-and-customer", "notepads-and-communication", "feedback-and-review"]
STEP_INPUTS = {
    "review-case-history": {"reviewed": [*REVIEWED, "customer-history"]},
    "complete-case-review": {"text": "Reviewed the assessments and the complaint history."},
    "record-segment-source-reason": {"main_reason": "assessment"},
}
FINALISE = {
    "basis": "issues-addressed",
    "mandatory_issues": "All five mandatory issues discussed and addressed.",
    "exit_advice": "by-phone",
    "feedback": "Feedback given to the Assessment team.",
    # The referral came from the Ombudsman: its response received and understood (PS-13).
    "responses_understood": True,
}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body=None):
    answer = client.post(f"/api/v1{url}", body or {}, content_type="application/json")
    assert answer.status_code in (200, 201), (url, answer.status_code, answer.content)
    return answer.json()


def _holder(customer):
    lock = CustomerLock.objects.filter(customer=customer, released_at=None).first()
    return lock and (lock.owner_user_id or lock.owner_area_id)


def test_PS_1_to_PS_17_a_ps_customer_from_referral_to_exit_through_the_api(
    customer, case, team_leader, pscm, pstl
):
    tl, cm, ps_tl = _client(team_leader), _client(pscm), _client(pstl)
    referral = _post(
        tl,
        "/ps/referrals",
        {
            "customer_id": customer.pk,
            "kind": "ps-referral-tl-only",
            "source": "ombudsman",
            "reason": "Ombudsman enquiry about the assessment.",
            "case_id": case.pk,
        },
    )
    for step in referral["steps"]:
        code = step["code"]
        if code == "record-segment-source-reason":
            plan_id = cm.get("/api/v1/ps/plans").json()[0]["id"]
            _post(cm, f"/ps/plans/{plan_id}/segment", {"segment": 2})
        _post(
            cm, f"/ps/referrals/{referral['id']}/steps", {"step": code, **STEP_INPUTS.get(code, {})}
        )
    assert cm.get(f"/api/v1/ps/referrals/{referral['id']}").json()["state"] == "actioned"
    assert _holder(customer) == pscm.pk

    # PS-7: the first contact, its discussion, then complete; PS-8: the plan approved.
    first = _post(cm, f"/ps/plans/{plan_id}/first-contact", {"channel": "phone"})
    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0).isoformat()
    _post(
        cm,
        f"/ps/first-contacts/{first['id']}/discussion",
        {
            "items_done": all_items(),
            "summary": "Issues confirmed; the income estimate to be reviewed.",
            "summary_acknowledged": True,
            "next_contact_at": later,
        },
    )
    _post(cm, f"/ps/first-contacts/{first['id']}/complete")
    after = _post(
        cm,
        f"/ps/plans/{plan_id}/after-contact",
        {
            "products_services": ["payment-options-info"],
            "follow_up_type": "general-follow-up",
            "follow_up_note": "Income review outcome",
            "customer_view": "The income used is too high",
            "agreed_actions": "Review the income estimate",
            "agreed_contact_times": "Weekday mornings",
        },
    )
    assert after["plan_state"] == "approved"
    # The follow-up done: no open work is left but ongoing specialised work (PS-13).
    for intray in cm.get(f"/api/v1/customers/{customer.pk}/work").json()["intrays"]:
        _post(cm, f"/intrays/{intray['id']}/complete", {"outcome": "Income reviewed"})
    readiness = cm.get(f"/api/v1/ps/plans/{plan_id}/finalisation").json()
    assert readiness["ready"] is True, readiness

    # PS-14, PS-15: requested, rejected once with its reason, then requested again.
    made = _post(cm, f"/ps/plans/{plan_id}/finalisation", FINALISE)
    assert _holder(customer) == pstl.pk
    assert set(PsIssue.objects.filter(plan_id=plan_id).values_list("status", flat=True)) == {
        IssueStatus.RESOLVED
    }
    _post(
        ps_tl,
        f"/ps/finalisations/{made['id']}/decision",
        {"approve": False, "comment": "Confirm the income review outcome with the customer."},
    )
    assert set(PsIssue.objects.filter(plan_id=plan_id).values_list("status", flat=True)) == {
        IssueStatus.CONFIRMED
    }
    assert _holder(customer) == pscm.pk
    again = _post(cm, f"/ps/plans/{plan_id}/finalisation", FINALISE)
    approved = _post(
        ps_tl,
        f"/ps/finalisations/{again['id']}/decision",
        {"approve": True, "reason": "issues-addressed"},
    )
    # PS-17: out of PS, unlocked from the case manager, routed by the guidelines.
    assert approved["routed_area"] == "mainstream"
    assert cm.get(f"/api/v1/ps/plans/{plan_id}/finalisation").json()["plan_state"] == "closed"
    lock = CustomerLock.objects.filter(customer=customer, released_at=None).first()
    assert lock is None or (lock.owner_user_id is None and lock.owner_area.code == "mainstream")
