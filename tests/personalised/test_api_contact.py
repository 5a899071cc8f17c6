"""PS-7..PS-11 through the API: first contact to booked meeting as the case manager and
the PS Team Leader; refusals list every unmet condition and write only the refusal."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cma.audit.models import AuditRecord, Outcome
from cma.personalised.models import FaceToFace
from tests.factories import UserFactory
from tests.personalised.ps_helpers import all_items, ps_plan

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body=None):
    return client.post(f"/api/v1{url}", body or {}, content_type="application/json")


def _later(days=2):
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0).isoformat()


def test_PS_7_PS_8_PS_10_PS_11_the_contact_journey_through_the_api(ps_case_manager, ps_team_leader):
    plan = ps_plan(ps_case_manager, segment=2)
    cm, tl = _client(ps_case_manager), _client(ps_team_leader)
    started = _post(cm, f"/ps/plans/{plan.pk}/first-contact", {"channel": "phone"})
    assert started.status_code == 201, started.content
    fc = started.json()
    assert fc["restricted_check_done"] and not any(i["done"] for i in fc["items"])
    early = _post(cm, f"/ps/first-contacts/{fc['id']}/complete")
    assert early.status_code == 422
    assert early.json()["code"] == "ps-conditions-unmet"
    assert len(early.json()["details"]) >= 12
    discussed = _post(
        cm,
        f"/ps/first-contacts/{fc['id']}/discussion",
        {
            "items_done": all_items(),
            "summary": "Income to be reviewed; options by phone next week.",
            "summary_acknowledged": True,
            "next_contact_at": _later(),
        },
    )
    assert discussed.status_code == 200, discussed.content
    done = _post(cm, f"/ps/first-contacts/{fc['id']}/complete")
    assert done.status_code == 200 and done.json()["completed_at"]
    assert cm.get(f"/api/v1/ps/first-contacts/{fc['id']}").status_code == 200

    option = _post(
        cm,
        f"/ps/plans/{plan.pk}/options",
        {"kind": "publication", "description": "Guide to estimates"},
    )
    assert option.status_code == 201
    assert (
        _post(cm, f"/ps/options/{option.json()['id']}/status", {"status": "taken-up"}).json()[
            "status"
        ]
        == "taken-up"
    )
    after = _post(
        cm,
        f"/ps/plans/{plan.pk}/after-contact",
        {
            "products_services": ["payment-options-info"],
            "follow_up_type": "general-follow-up",
            "follow_up_note": "Income review outcome",
            "customer_view": "Income used is too high",
            "agreed_actions": "Review income",
            "agreed_contact_times": "Mornings",
        },
    )
    assert after.status_code == 201, after.content
    assert after.json()["plan_state"] == "approved" and after.json()["referral_intray_deleted"]
    follow = _post(
        cm,
        f"/ps/plans/{plan.pk}/follow-up-contacts",
        {"subject": "Call about estimate", "body": "Explained the review"},
    )
    assert follow.status_code == 201

    meeting = _post(
        cm,
        f"/ps/plans/{plan.pk}/face-to-face",
        {
            "reason": "Communication barrier",
            "security_risks": True,
            "security_risk_notes": "Past incident",
        },
    )
    assert meeting.status_code == 201, meeting.content
    mid = meeting.json()["id"]
    before = AuditRecord.objects.count()
    refused = _post(cm, f"/ps/face-to-face/{mid}/book", {"meeting_at": _later(7)})
    assert refused.status_code == 422
    assert [d["field"] for d in refused.json()["details"]] == ["meeting", "scm_notified"]
    assert list(AuditRecord.objects.order_by("pk").values_list("outcome", flat=True)[before:]) == [
        Outcome.REFUSED
    ]
    queue = tl.get("/api/v1/ps/approvals").json()
    assert [r["kind"] for r in queue] == ["face-to-face"]
    by_cm = _post(cm, f"/ps/face-to-face/{mid}/decision", {"approve": True})
    assert by_cm.status_code == 422 and "PS Team Leader" in by_cm.json()["message"]
    assert _post(tl, f"/ps/face-to-face/{mid}/decision", {"approve": True}).status_code == 200
    assert [r["kind"] for r in tl.get("/api/v1/ps/approvals").json()] == ["scm-notice"]
    assert _post(tl, f"/ps/face-to-face/{mid}/notify-scm").status_code == 200
    booked = _post(cm, f"/ps/face-to-face/{mid}/book", {"meeting_at": _later(7)})
    assert booked.status_code == 200 and booked.json()["state"] == "booked"
    assert FaceToFace.objects.get().state == "booked"


def test_PS_9_letters_and_the_skip_through_the_api(ps_case_manager, ps_team_leader):
    plan = ps_plan(ps_case_manager, segment=1)
    cm, tl = _client(ps_case_manager), _client(ps_team_leader)
    letter = _post(cm, f"/ps/plans/{plan.pk}/letters", {"letter": "introduction"})
    assert letter.status_code == 201, letter.content
    assert letter.json()["template_code"] == "UQ140.00"
    skip = _post(cm, f"/ps/plans/{plan.pk}/letter-skips", {"reason": "One simple issue"})
    assert skip.status_code == 201
    sid = skip.json()["id"]
    assert _post(cm, f"/ps/letter-skips/{sid}/decision", {"approve": True}).status_code == 422
    assert [r["kind"] for r in tl.get("/api/v1/ps/approvals").json()] == ["letter-skip"]
    agreed = _post(tl, f"/ps/letter-skips/{sid}/decision", {"approve": True})
    assert agreed.json()["approval"] == "approved"


def test_PS_7_the_caseload_is_sorted_on_the_server_and_its_queries_stay_flat(
    ps_case_manager, django_assert_max_num_queries
):
    cm = _client(ps_case_manager)
    ps_plan(ps_case_manager, with_referral=False, stacking=False, due_in=-3)
    ps_plan(ps_case_manager, with_referral=False, stacking=False, due_in=10)
    with django_assert_max_num_queries(12) as small:
        rows = cm.get("/api/v1/ps/caseload?sort=due").json()
    assert [r["overdue"] for r in rows] == [True, False]
    for n in range(6):
        ps_plan(ps_case_manager, with_referral=False, stacking=False, due_in=n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = cm.get("/api/v1/ps/caseload?sort=-due").json()
    assert len(rows) == 8
    assert rows[0]["due_on"] > rows[-1]["due_on"]


def test_PS_7_caseload_and_approvals_are_for_ps_staff_only(db, ps_case_manager):
    officer = UserFactory(role="service_officer")
    assert _client(officer).get("/api/v1/ps/caseload").status_code == 403
    assert _client(ps_case_manager).get("/api/v1/ps/approvals").status_code == 403
