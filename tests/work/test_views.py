"""Staff pages: My work with Get next work (WRK-4), the team queue with overdue rows and
re-assignment (WRK-1, WRK-5), the customer panel (CMA-5, CMA-7), routing (CMA-8)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cma.audit.models import AuditRecord
from cma.work import services
from cma.work.models import CustomerLock, Intray, IntrayStatus
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db
LATE = date.today() - timedelta(days=3)


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_WRK_4_my_work_page_and_get_next_work_button(login, officer, team):
    item = IntrayFactory(owner_team=team)
    c = login(officer)
    page = c.get(reverse("work:my-work"))
    assert page.status_code == 200 and b"Get next work" in page.content
    r = c.post(reverse("work:next"))
    assert r.status_code == 302 and r["Location"] == reverse("work:intray", args=[item.pk])
    item.refresh_from_db()
    assert item.owner_user == officer and item.status == IntrayStatus.IN_PROGRESS
    r = c.post(reverse("work:next"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and b"Nothing waiting" in r.content


def test_WRK_4_get_next_work_with_htmx_shows_the_item(login, officer, team):
    item = IntrayFactory(owner_team=team)
    r = login(officer).post(reverse("work:next"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and item.type.name.encode() in r.content
    assert b"<html" not in r.content


def test_WRK_5_team_queue_highlights_overdue_and_reassigns(
    login, officer, teammate, team_leader, customer
):
    late = IntrayFactory(customer=customer, owner_user=officer, due_on=LATE)
    c = login(team_leader)
    page = c.get(reverse("work:team-queue"))
    assert page.status_code == 200
    assert b"row-overdue" in page.content and b"Overdue:" in page.content
    r = c.post(
        reverse("work:team-reassign"),
        {"owner": f"user:{teammate.pk}", "only": f"{late.pk}:0"},
    )
    assert r.status_code == 302
    assert b"Re-assigned." in c.get(r["Location"]).content
    late.refresh_from_db()
    assert late.owner_user == teammate


def test_AC_1_team_queue_page_refused_to_officers(login, officer):
    client = login(officer)
    n = AuditRecord.objects.count()
    assert client.get(reverse("work:team-queue")).status_code == 403
    assert AuditRecord.objects.count() == n + 1


def test_CMA_5_customer_panel_shows_lock_and_intray_owners(login, officer, teammate, customer):
    services.lock_customer(customer=customer, actor=officer, reason="Objection lodged")
    IntrayFactory(customer=customer, owner_user=teammate, due_on=LATE)
    page = login(officer).get(reverse("web:customer-detail", args=[customer.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ownership and follow-up work" in html and "Objection lodged" in html
    assert str(officer) in html and str(teammate) in html and "Overdue:" in html
    assert "Unlock customer" in html and "Lock history" in html


def test_CMA_5_lock_and_unlock_from_the_panel(login, officer, customer):
    c = login(officer)
    url = reverse("work:customer-lock", args=[customer.pk, "lock"])
    r = c.post(url, {"owner": "me", "reason": "Change of assessment"})
    assert r.status_code == 302 and CustomerLock.objects.filter(released_at=None).count() == 1
    r = c.post(url, {"owner": "me", "reason": "again"})
    assert r.status_code == 422 and b"already locked" in r.content
    r = c.post(reverse("work:customer-lock", args=[customer.pk, "unlock"]), {"reason": ""})
    assert r.status_code == 422  # reason required, shown beside the field
    assert CustomerLock.objects.filter(released_at=None).count() == 1


def test_CMA_7_panel_says_who_owns_the_customer_after_expiry(login, officer, customer):
    from django.utils import timezone

    services.lock_customer(customer=customer, actor=officer, reason="decision")
    services.record_decision_advice_issued(
        customer=customer, issued_at=timezone.now() - timedelta(days=20), actor=officer
    )
    html = login(officer).get(reverse("web:customer-detail", args=[customer.pk])).content
    assert b"The lock expired after decision advice" in html
    assert officer.team.business_area.name.encode() in html


def test_WRK_1_create_intray_page_and_actions(login, officer, customer):
    c = login(officer)
    url = reverse("work:intray-new", args=[customer.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"type_code": "general-follow-up", "owner": "me", "note": "Check income"})
    assert r.status_code == 302
    item = Intray.objects.get()
    page = c.get(reverse("work:intray", args=[item.pk]))
    assert page.status_code == 200 and b"History" in page.content
    r = c.post(reverse("work:intray-action", args=[item.pk, "delete"]), {"reason": ""})
    assert r.status_code == 422 and b"govuk-error-message" in r.content
    r = c.post(reverse("work:intray-action", args=[item.pk, "complete"]), {"outcome": "Done"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == IntrayStatus.COMPLETED


def test_WRK_6_tl_only_type_refused_on_the_page(login, officer, customer):
    r = login(officer).post(
        reverse("work:intray-new", args=[customer.pk]),
        {"type_code": "ps-referral-tl-only", "owner": ""},
    )
    # Not offered to an officer (WRK-6), so a forged choice is refused by the form.
    assert r.status_code == 422 and b"Select a valid choice" in r.content
    assert not Intray.objects.exists()


def test_CMA_8_where_should_this_go_page(login, officer, customer):
    c = login(officer)
    url = reverse("work:route", args=[customer.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"issues": ["complaint", "payment-enquiry"]})
    assert r.status_code == 200
    assert b"Complaints (ExCCS)" in r.content and b"Resolve now" in r.content


def test_nav_shows_team_queue_only_to_leaders(login, officer, team_leader):
    assert b"Team queue" not in login(officer).get(reverse("web:home")).content
    assert b"Team queue" in login(team_leader).get(reverse("web:home")).content
