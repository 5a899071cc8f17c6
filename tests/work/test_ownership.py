"""Ownership first (CMA-5): when another officer, team or area holds a customer's lock,
the customer page says so at the top and every action that would conflict says it
before the form; refusals name the holder and their team, never an internal key."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cma.customers import access
from cma.work import services
from cma.work.errors import CustomerAlreadyLocked, NotLockHolder
from cma.work.ownership import holder_of, ownership_notice

pytestmark = pytest.mark.django_db
API = "/api/v1"
NOTICE = "cma-ownership-notice"


@pytest.fixture
def locked(officer, customer):
    """Customer locked to Olivia (Mainstream Parramatta), decision advice issued."""
    lock = services.lock_customer(customer=customer, actor=officer, reason="Objection in progress")
    services.record_decision_advice_issued(
        customer=customer, issued_at=timezone.now() - timedelta(days=1), actor=officer
    )
    lock.refresh_from_db()
    return lock


def _page(client, user, name, customer) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=[customer.pk]))
    assert response.status_code == 200, name
    return response.content.decode()


def test_CMA_5_customer_page_says_who_holds_the_lock_at_the_top(
    client, locked, officer, other_officer, customer
):
    page = _page(client, other_officer, "web:customer-detail", customer)
    assert NOTICE in page
    notice = page[page.index(NOTICE) :]
    notice = notice[: notice.index("</div>")]
    assert f"Customer locked to {officer.get_full_name()} (Mainstream Parramatta)" in notice
    assert "Objection in progress" in notice
    since = timezone.localtime(locked.locked_at)
    assert since.strftime("%-d %b %Y") in notice and "until" in notice
    # At the top: before the first panel of the page.
    assert page.index(NOTICE) < page.index('class="cma-panels"')
    assert f"user:{officer.pk}" not in page


def test_CMA_5_no_notice_for_the_holder_their_team_or_their_area(
    client, officer, teammate, team, other_officer, customer
):
    services.lock_customer(customer=customer, actor=officer, reason="Mine")
    assert NOTICE not in _page(client, officer, "web:customer-detail", customer)
    services.transfer_lock(customer=customer, actor=officer, reason="Team", owner_team=team)
    assert NOTICE not in _page(client, teammate, "web:customer-detail", customer)
    assert NOTICE in _page(client, other_officer, "web:customer-detail", customer)
    area = team.business_area
    services.transfer_lock(customer=customer, actor=officer, reason="Area", owner_area=area.code)
    assert NOTICE not in _page(client, teammate, "web:customer-detail", customer)
    if other_officer.team.business_area_id != area.pk:
        assert NOTICE in _page(client, other_officer, "web:customer-detail", customer)


@pytest.mark.parametrize(
    "page", ["work:intray-new", "notes:new-note", "letters:new"], ids=["intray", "note", "letter"]
)
def test_CMA_5_actions_that_would_conflict_say_it_before_the_form(
    client, locked, officer, other_officer, customer, page
):
    html = _page(client, other_officer, page, customer)
    assert NOTICE in html and officer.get_full_name() in html
    main = html.index('id="main"')
    assert main < html.index(NOTICE) < html.index("<form", main)
    assert NOTICE not in _page(client, officer, page, customer)


def test_CMA_5_a_refused_lock_form_says_who_holds_it(
    client, locked, officer, other_officer, customer
):
    client.force_login(other_officer)
    r = client.post(reverse("work:customer-lock", args=[customer.pk, "transfer"]), {"reason": "x"})
    html = r.content.decode()
    assert r.status_code == 422 and NOTICE in html
    assert "Mainstream Parramatta" in html and f"user:{officer.pk}" not in html


def test_CMA_5_api_customer_work_gives_the_holder_and_team(
    client, locked, officer, other_officer, customer
):
    client.force_login(other_officer)
    lock = client.get(f"{API}/customers/{customer.pk}/work").json()["lock"]
    assert lock["owner_label"] == officer.get_full_name()
    assert lock["owner_team_name"] == "Mainstream Parramatta"
    assert lock["holder"] == f"{officer.get_full_name()} (Mainstream Parramatta)"
    assert lock["held_by_caller"] is False
    client.force_login(officer)
    assert client.get(f"{API}/customers/{customer.pk}/work").json()["lock"]["held_by_caller"]


def test_CMA_5_holder_labels_for_an_officer_a_team_and_an_area(officer, team, customer):
    lock = services.lock_customer(customer=customer, actor=officer, reason="x")
    assert holder_of(lock).label == f"{officer.get_full_name()} (Mainstream Parramatta)"
    lock = services.transfer_lock(customer=customer, actor=officer, reason="x", owner_team=team)
    assert holder_of(lock).label == "Mainstream Parramatta (team)"
    lock = services.transfer_lock(
        customer=customer, actor=officer, reason="x", owner_area="intensive-collection"
    )
    assert holder_of(lock).label == "Intensive Collection (business area)"
    assert ownership_notice(officer, lock).holder.kind == "business area"


def test_CMA_5_refused_lock_names_the_holder_and_team_not_a_key(
    client, locked, officer, other_officer, customer
):
    """A 409 says "held by Olivia … (Mainstream Parramatta)", never "user:1"."""
    with pytest.raises(CustomerAlreadyLocked) as err:
        services.lock_customer(customer=customer, actor=other_officer, reason="Mine now")
    label = f"{officer.get_full_name()} (Mainstream Parramatta)"
    assert label in err.value.message
    assert err.value.details == [{"field": None, "message": f"held by {label}"}]
    client.force_login(other_officer)
    r = client.post(
        f"{API}/customers/{customer.pk}/lock", {"reason": "x"}, content_type="application/json"
    )
    assert r.status_code == 409
    assert label in r.json()["message"] and "user:" not in r.content.decode()


def test_CMA_5_refused_unlock_names_the_holder(locked, officer, other_officer, customer):
    with pytest.raises(NotLockHolder) as err:
        services.unlock_customer(customer=customer, actor=other_officer, reason="x")
    assert f"{officer.get_full_name()} (Mainstream Parramatta)" in err.value.message


def test_CMA_5_restricted_notice_names_the_holder_and_team(officer, ps_case_manager, customer):
    from cma.notes import services as notes

    notes.mark_at_risk(customer=customer, actor=ps_case_manager, reason="Family violence")
    services.lock_customer(
        customer=customer, actor=ps_case_manager, reason="PS", owner_user=officer
    )
    line = next(t for t in access.notice(officer, customer).managed_by if "locked to" in t)
    assert line == f"locked to {officer.get_full_name()} (Mainstream Parramatta)"
