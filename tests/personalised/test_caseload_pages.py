"""The PS pages (PS-7..PS-11): my PS customers, the plan's contact page and its steps;
refusals come back beside their fields with only the refusal's audit row."""

import pytest
from django.test import Client

from cma.audit.models import AuditRecord, Outcome
from cma.personalised.models import FaceToFace, FirstContact
from tests.personalised.ps_helpers import all_items, ps_plan

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_PS_4_PS_7_my_ps_customers_highlights_overdue_plans_and_stays_flat(
    ps_case_manager, django_assert_max_num_queries
):
    late = ps_plan(ps_case_manager, with_referral=False, stacking=False, due_in=-2)
    ps_plan(ps_case_manager, with_referral=False, stacking=False, due_in=9)
    client = _client(ps_case_manager)
    with django_assert_max_num_queries(20) as small:
        page = client.get("/ps/caseload/?sort=due")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.index(late.customer.full_name) < body.index("Overdue") < body.index("</tbody>")
    assert body.count("Overdue") == 1
    for n in range(5):
        ps_plan(ps_case_manager, with_referral=False, stacking=False, due_in=n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/ps/caseload/?sort=-due")
    assert page.content.decode().count("plan-row-") == 7


def test_PS_7_the_contact_page_walks_the_first_contact(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    client = _client(ps_case_manager)
    assert client.get(f"/ps/plans/{plan.pk}/contact/").status_code == 200
    start = client.post(f"/ps/plans/{plan.pk}/contact/first-contact/", {"channel": "phone"})
    assert start.status_code == 302
    before = AuditRecord.objects.count()
    early = client.post(f"/ps/plans/{plan.pk}/contact/complete/")
    assert early.status_code == 422
    assert "Offer a social worker" in early.content.decode()
    assert list(AuditRecord.objects.order_by("pk").values_list("outcome", flat=True)[before:]) == [
        Outcome.REFUSED
    ]
    saved = client.post(
        f"/ps/plans/{plan.pk}/contact/discussion/",
        {
            "items_done": all_items(),
            "summary": "Issues confirmed",
            "summary_acknowledged": "on",
            "next_contact_at": "2099-01-05 10:30",
        },
    )
    assert saved.status_code == 302
    assert client.post(f"/ps/plans/{plan.pk}/contact/complete/").status_code == 302
    assert FirstContact.objects.get().completed_at is not None


def test_PS_10_booking_from_the_page_without_approval_lists_every_condition(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    client = _client(ps_case_manager)
    asked = client.post(
        f"/ps/plans/{plan.pk}/contact/face-to-face/",
        {"reason": "Barrier", "location_kind": "service-centre"},
    )
    assert asked.status_code == 302
    before = AuditRecord.objects.count()
    refused = client.post(f"/ps/plans/{plan.pk}/contact/book/", {"meeting_at": "2099-01-05 10:30"})
    assert refused.status_code == 422
    assert "has not approved the meeting" in refused.content.decode()
    assert AuditRecord.objects.count() - before == 1
    assert FaceToFace.objects.get().state == "requested"


def test_PS_7_a_bad_form_is_refused_beside_its_field(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    client = _client(ps_case_manager)
    before = AuditRecord.objects.count()
    page = client.post(f"/ps/plans/{plan.pk}/contact/first-contact/", {"channel": "fax"})
    assert page.status_code == 422
    assert "govuk-error-summary" in page.content.decode()
    assert AuditRecord.objects.count() - before == 1
    assert not FirstContact.objects.exists()
