"""PS-18, PS-20 through the API and the pages: segment 3 reviews, the PS Activity page
with its charts and the CSV export (formula-safe, audited once)."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from cma.audit.models import AuditRecord
from cma.customers.models import agency_today
from cma.notes.services._common import add_months
from cma.personalised import services
from cma.personalised.models import PsPlan, PsReview, ReviewState
from cma.reporting.exports import csv_lines, safe_cell
from cma.staff.models import Role
from tests.factories import UserFactory

from .conftest import run_checklist
from .test_activity_figures import generate


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def plan(referral, pscm):
    run_checklist(referral, pscm, upto="create-stacking-document")
    return PsPlan.objects.get(customer=referral.primary_customer)


@pytest.fixture
def due_review(plan, pscm, pstl):
    decision = services.decide_segment(
        plan=plan, actor=pscm, segment=3, review_on=agency_today() + timedelta(days=3)
    )
    services.approve_segment(decision=decision, actor=pstl, approve=True)
    review = PsReview.objects.get(plan=plan, state=ReviewState.SCHEDULED)
    services.raise_due_reviews(today=review.review_on)
    review.refresh_from_db()
    return review


def test_PS_18_api_segment_3_beyond_3_months_is_refused_with_details(plan, pscm):
    too_far = add_months(agency_today(), 3) + timedelta(days=1)
    cm = _client(pscm)
    before = AuditRecord.objects.count()
    response = _post(
        cm,
        f"/api/v1/ps/plans/{plan.pk}/segment",
        {"segment": 3, "review_on": too_far.isoformat()},
    )
    assert response.status_code == 422, response.content
    assert [d["field"] for d in response.json()["details"]] == ["review_on"]
    assert AuditRecord.objects.count() - before == 1
    assert not PsReview.objects.exists()


def test_PS_18_api_records_the_review_and_refuses_extending_beyond_3_months(due_review, pscm):
    cm = _client(pscm)
    url = f"/api/v1/ps/reviews/{due_review.pk}/record"
    too_far = add_months(agency_today(), 3) + timedelta(days=1)
    before = AuditRecord.objects.count()
    refused = _post(
        cm, url, {"outcome": "extend", "comment": "Still needed.", "next_review_on": str(too_far)}
    )
    assert refused.status_code == 422
    assert [d["field"] for d in refused.json()["details"]] == ["next_review_on"]
    assert AuditRecord.objects.count() - before == 1
    good = agency_today() + timedelta(days=60)
    done = _post(
        cm, url, {"outcome": "extend", "comment": "Still needed.", "next_review_on": str(good)}
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "done"
    listed = cm.get(f"/api/v1/ps/plans/{due_review.plan_id}/reviews").json()
    assert [r["state"] for r in listed] == ["scheduled", "done"]
    assert cm.get(f"/api/v1/ps/reviews/{due_review.pk}").json()["outcome"] == "extend"


def test_PS_18_review_page_records_the_review(due_review, pscm):
    cm = _client(pscm)
    page = cm.get(f"/ps/plans/{due_review.plan_id}/reviews/")
    assert page.status_code == 200 and b"Record the review" in page.content
    refused = cm.post(
        f"/ps/reviews/{due_review.pk}/record/",
        {"outcome": "extend", "comment": "Still needed."},
    )
    assert refused.status_code == 422 and b"give a review date" in refused.content.lower()
    done = cm.post(
        f"/ps/reviews/{due_review.pk}/record/",
        {"outcome": "segment-2", "comment": "No longer needed.", "indicator_action": "remove"},
    )
    assert done.status_code == 302
    due_review.refresh_from_db()
    assert due_review.state == ReviewState.DONE and due_review.next_step == "resolving"


def test_PS_20_api_activity_and_unknown_period(ps_team, national_manager):
    generate(ps_team[2], 2)
    nm = _client(national_manager)
    found = nm.get("/api/v1/ps/activity?period=last-30-days")
    assert found.status_code == 200, found.content
    assert {r["key"] for r in found.json()["managers"]} == {f"user:{m.pk}" for m in ps_team[2]}
    refused = nm.get("/api/v1/ps/activity?period=last-century")
    assert refused.status_code == 422
    assert [d["field"] for d in refused.json()["details"]] == ["period", "start", "end"]
    officer = _client(UserFactory(role=Role.SERVICE_OFFICER))
    assert officer.get("/api/v1/ps/activity?period=last-30-days").status_code == 403


def test_PS_20_activity_page_tables_charts_and_bounded_queries(
    ps_team, pstl, django_assert_max_num_queries
):
    generate(ps_team[2], 1, seed=3)
    tl = _client(pstl)
    tl.get("/ps/activity/")  # warm the policy cache
    with django_assert_max_num_queries(20):
        page = tl.get("/ps/activity/")
    assert page.status_code == 200
    body = page.content.decode()
    for name in ("caseload", "referrals", "actioned", "overdue", "time-in-ps", "finalisations"):
        assert f'id="{name}-table"' in body and f'id="{name}-chart-desc"' in body
    assert 'role="img"' in body and "PS Activity" in body
    generate(ps_team[2], 10, seed=4)
    with django_assert_max_num_queries(20):
        assert tl.get("/ps/activity/?period=last-90-days&by=team").status_code == 200


def test_PS_20_activity_page_unknown_period_is_refused_readably(pstl):
    tl = _client(pstl)
    before = AuditRecord.objects.count()
    page = tl.get("/ps/activity/?period=last-century")
    assert page.status_code == 422 and b"Unknown period" in page.content
    assert AuditRecord.objects.count() - before == 1


def test_PS_20_activity_page_is_for_ps_staff_and_the_national_manager(db):
    officer = _client(UserFactory(role=Role.SERVICE_OFFICER))
    assert officer.get("/ps/activity/").status_code == 403


def test_PS_20_csv_export_is_formula_safe_and_audited_once(ps_team, national_manager):
    team = ps_team[0]
    team.name = "=HYPERLINK(1)"
    team.save(update_fields=["name"])
    generate(ps_team[2], 2)
    nm = _client(national_manager)
    before = AuditRecord.objects.count()
    response = nm.get("/ps/activity/export.csv?period=last-30-days&by=team")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert AuditRecord.objects.count() - before == 1
    assert AuditRecord.objects.latest("id").action == "personalised.activity.exported"
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    cells = [c for row in rows for c in row]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells
    assert ["Caseload by segment"] in rows


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_PS_20_csv_cells_starting_a_formula_are_text(text):
    assert safe_cell(text) == "'" + text
    line = "".join(csv_lines(["h"], [[text, 5]]))
    assert list(csv.reader(io.StringIO(line)))[1] == ["'" + text, "5"]
