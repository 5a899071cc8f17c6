"""What "Get next work" hands out and shows (WRK-4): the customer's name beside the
reference number with one link to the customer, masked by the one door (SEC-1); and
work already assigned to the officer is handed out in its turn flagged "already yours",
its history showing it started, never moved "from" the officer "to" the same officer."""

import pytest
from django.urls import reverse

from cma.audit.models import AuditRecord
from cma.notes import services as notes
from cma.work import selectors, services
from cma.work.models import IntrayEvent
from cma.work.selectors import RESTRICTED_NAME
from cma.work.services import next_work
from tests.factories import CustomerFactory
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def mia(db):
    return CustomerFactory(given_names="Mia", family_name="Nguyen", crn="123400001A")


@pytest.mark.parametrize("strategy", ["auto", "orm"])
def test_WRK_4_an_item_already_yours_is_flagged_and_not_moved_from_you_to_you(
    officer, mia, strategy
):
    item = IntrayFactory(customer=mia, owner_user=officer)
    taken = next_work(officer=officer, strategy=strategy)
    assert taken.pk == item.pk and taken.already_yours is True
    event = IntrayEvent.objects.get(intray=item, kind="taken")
    assert (event.from_owner, event.to_owner) == ("", f"user:{officer.pk}")
    history = selectors.intray_history(selectors.intray_for(officer, item.pk, audit=False))
    assert [(h["kind"], h["from_owner"]) for h in history if h["kind"] == "taken"] == [
        ("taken", "")
    ]
    row = AuditRecord.objects.get(action="work.intray.taken")
    assert row.changes["already_yours"] is True


@pytest.mark.parametrize("strategy", ["auto", "orm"])
def test_WRK_4_team_work_is_not_flagged(officer, team, mia, strategy):
    IntrayFactory(customer=mia, owner_team=team)
    taken = next_work(officer=officer, strategy=strategy)
    assert taken.already_yours is False
    event = IntrayEvent.objects.get(intray=taken, kind="taken")
    assert event.from_owner == f"team:{team.pk}"


def test_WRK_4_starting_your_own_work_is_not_a_move(officer, mia):
    item = IntrayFactory(customer=mia, owner_user=officer)
    services.start_intray(intray=item, actor=officer)
    assert IntrayEvent.objects.get(intray=item, kind="started").from_owner == ""


def shown(link: str) -> str:
    name = 'Mia Nguyen <span class="cma-muted">123400001A</span>'
    return f'<a class="govuk-link" href="{link}">{name}</a>'


def test_WRK_4_the_result_names_the_customer_with_one_link(client, officer, team, mia):
    item = IntrayFactory(customer=mia, owner_team=team)
    client.force_login(officer)
    html = client.post(reverse("work:next"), HTTP_HX_REQUEST="true").content.decode()
    link = reverse("web:customer-detail", args=[mia.pk])
    assert shown(link) in html
    assert html.count(f'href="{link}"') == 1
    assert "Already yours" not in html
    page = client.get(reverse("work:intray", args=[item.pk])).content.decode()
    assert shown(link) in page


def test_WRK_4_the_result_says_already_yours(client, officer, mia):
    IntrayFactory(customer=mia, owner_user=officer)
    client.force_login(officer)
    html = client.post(reverse("work:next"), HTTP_HX_REQUEST="true").content.decode()
    assert "Already yours." in html and "Mia Nguyen" in html
    IntrayFactory(customer=mia, owner_user=officer)
    r = client.post(reverse("work:next"), follow=True)
    assert "was already yours (not started)" in r.content.decode()


def test_SEC_1_WRK_4_a_customer_the_officer_may_not_see_is_a_restricted_record(
    client, officer, ps_case_manager, mia
):
    """Work the officer gave themselves grants no need-to-know (SEC-1): the result
    shows a restricted record, never the name or reference number."""
    notes.mark_at_risk(customer=mia, actor=ps_case_manager, reason="Family violence")
    IntrayFactory(customer=mia, owner_user=officer, granted_by=officer)
    client.force_login(officer)
    r = client.post(reverse("work:next"), HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and RESTRICTED_NAME in html
    assert "Mia" not in html and "123400001A" not in html


def test_WRK_4_api_next_work_and_intray_read_name_the_customer(client, officer, team, mia):
    item = IntrayFactory(customer=mia, owner_team=team)
    client.force_login(officer)
    body = client.post(f"{API}/work/next").json()
    assert (body["id"], body["customer_name"], body["customer_crn"]) == (
        item.pk,
        "Mia Nguyen",
        "123400001A",
    )
    assert body["already_yours"] is False and body["owner_key"] == f"user:{officer.pk}"
    read = client.get(f"{API}/intrays/{item.pk}").json()
    assert read["customer_name"] == "Mia Nguyen" and read["customer_crn"] == "123400001A"
    IntrayFactory(customer=mia, owner_user=officer)
    assert client.post(f"{API}/work/next").json()["already_yours"] is True
