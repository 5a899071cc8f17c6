"""The team queue as a working list (WRK-5, AC-1, AUD-1, VAL-1): sort and filter on the
server, per-officer counts, bulk re-assign all-or-none refusing rows changed since the
page loaded, and a bounded number of queries whatever the number of rows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cma.audit.models import AuditRecord
from cma.errors import NotFound, PermissionDenied
from cma.policy.models import IntrayType
from cma.work import services
from cma.work.models import Intray
from tests.work.factories import IntrayFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
LATE = date.today() - timedelta(days=3)
URL = reverse("work:team-queue")
BULK = reverse("work:team-reassign")


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def _ids(html: str) -> list[int]:
    return [int(p.split('"')[0]) for p in html.split('id="intray-row-')[1:]]


def _version(item: Intray) -> str:
    return f"{item.pk}:{services.versions_of([item.pk]).get(item.pk, 0)}"


def test_WRK_5_team_queue_sorts_on_the_server_with_aria_sort(login, officer, team_leader):
    a = IntrayFactory(owner_user=officer, due_on=date.today() + timedelta(days=9))
    b = IntrayFactory(owner_user=officer, due_on=LATE)
    c = login(team_leader)
    html = c.get(URL).content.decode()
    assert _ids(html) == [b.pk, a.pk]
    assert 'aria-sort="ascending"><a class="govuk-link" href="?sort=-due">Due' in html
    html = c.get(URL, {"sort": "-due"}).content.decode()
    assert _ids(html) == [a.pk, b.pk]
    assert 'aria-sort="descending"><a class="govuk-link" href="?sort=due">Due' in html
    assert _ids(c.get(URL, {"sort": "-created"}).content.decode()) == [b.pk, a.pk]


def test_VAL_1_unknown_sort_and_filters_refused_readably(login, team_leader):
    r = login(team_leader).get(URL, {"sort": "customer", "status": "done", "owner": "x"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "sort by one of due, priority, type, owner, created" in html.lower()
    assert "choose a status" in html.lower() and "choose an owner" in html.lower()


def test_WRK_5_team_queue_filters_type_owner_status_overdue(login, officer, teammate, team_leader):
    late = IntrayFactory(owner_user=officer, due_on=LATE)
    other_type = IntrayType.objects.exclude(code="general-follow-up").filter(active=True).first()
    typed = IntrayFactory(owner_user=teammate, type=other_type, priority=other_type.priority)
    started = IntrayFactory(owner_user=teammate, status="in_progress")
    c = login(team_leader)
    assert _ids(c.get(URL, {"overdue": "1"}).content.decode()) == [late.pk]
    assert _ids(c.get(URL, {"type": other_type.code}).content.decode()) == [typed.pk]
    assert _ids(c.get(URL, {"status": "in_progress"}).content.decode()) == [started.pk]
    got = _ids(c.get(URL, {"owner": f"user:{teammate.pk}", "sort": "created"}).content.decode())
    assert got == [typed.pk, started.pk]


def test_WRK_5_per_officer_counts_above_the_table(login, officer, teammate, team_leader):
    IntrayFactory(owner_user=officer, due_on=LATE)
    IntrayFactory(owner_user=officer)
    IntrayFactory(owner_user=teammate)
    html = login(team_leader).get(URL).content.decode()
    counts = html[html.index('id="officer-counts"') : html.index('id="queue-heading"')]
    row = counts[counts.index(str(officer)) :].split("</tr>")[0]
    assert '"Open">2<' in row and ">1</strong>" in row
    row = counts[counts.index(str(teammate)) :].split("</tr>")[0]
    assert '"Open">1<' in row and '"Overdue">0<' in row


def test_WRK_5_bulk_reassign_moves_every_ticked_row_audited_once_each(
    login, officer, teammate, team_leader
):
    rows = [IntrayFactory(owner_user=officer) for _ in range(3)]
    c = login(team_leader)
    n = AuditRecord.objects.filter(action="work.intray.assigned").count()
    r = c.post(
        BULK,
        {
            "intray": [_version(i) for i in rows[:2]],
            "owner": f"user:{teammate.pk}",
            "q-sort": "-due",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("?sort=-due")
    assert [Intray.objects.get(pk=i.pk).owner_user_id for i in rows] == [
        teammate.pk,
        teammate.pk,
        officer.pk,
    ]
    assert AuditRecord.objects.filter(action="work.intray.assigned").count() == n + 2
    page = c.get(r["Location"]).content.decode()
    assert f"Intrays {rows[0].pk}, {rows[1].pk} now with {teammate}" in page


def test_WRK_5_bulk_reassign_refuses_rows_changed_since_loaded_and_moves_none(
    login, officer, teammate, team_leader
):
    fresh, stale = IntrayFactory(owner_user=officer), IntrayFactory(owner_user=officer)
    loaded = [_version(fresh), _version(stale)]
    services.start_intray(intray=stale, actor=officer)  # someone else changed it
    c = login(team_leader)
    n = AuditRecord.objects.count()
    r = c.post(BULK, {"intray": loaded, "owner": f"user:{teammate.pk}"})
    assert r.status_code == 422
    html = r.content.decode()
    assert f"intray {stale.pk} was changed by someone since the page loaded" in html
    assert f"intray {fresh.pk} was" not in html
    assert Intray.objects.get(pk=fresh.pk).owner_user_id == officer.pk
    refusals = AuditRecord.objects.filter(pk__gt=0).order_by("-id")[
        : AuditRecord.objects.count() - n
    ]
    assert "work.intray.bulk_assigned" in {a.action for a in refusals}
    assert not AuditRecord.objects.filter(action="work.intray.assigned").exists()


def test_WRK_5_one_rows_button_reassigns_that_row_and_needs_an_owner(
    login, officer, teammate, team_leader
):
    one, other = IntrayFactory(owner_user=officer), IntrayFactory(owner_user=officer)
    c = login(team_leader)
    r = c.post(BULK, {"only": _version(one), "intray": [_version(other)], "owner": ""})
    assert r.status_code == 422 and "Choose who the work goes to." in r.content.decode()
    r = c.post(BULK, {"only": _version(one), "intray": [_version(other)], "owner": "me"})
    assert r.status_code == 302
    assert Intray.objects.get(pk=one.pk).owner_user_id == team_leader.pk
    assert Intray.objects.get(pk=other.pk).owner_user_id == officer.pk


def test_AC_1_bulk_reassign_refused_to_officers(officer, teammate):
    item = IntrayFactory(owner_user=officer)
    with pytest.raises(PermissionDenied):
        services.reassign_intrays(actor=officer, items=[(item.pk, 0)], owner_user=teammate)
    assert Intray.objects.get(pk=item.pk).owner_user_id == officer.pk


def test_WRK_5_service_refuses_unknown_intray_by_name(team_leader, teammate):
    with pytest.raises(NotFound) as refused:
        services.reassign_intrays(actor=team_leader, items=[(987654, 0)], owner_user=teammate)
    assert refused.value.message == "no such intray: 987654"


def test_WRK_5_team_queue_page_queries_bounded_1_vs_20_rows(
    login, officer, team, team_leader, django_assert_max_num_queries
):
    c = login(team_leader)
    IntrayFactory(owner_user=officer)
    with django_assert_max_num_queries(40) as few:
        assert c.get(URL, {"sort": "owner"}).status_code == 200
    for i in range(19):
        IntrayFactory(**({"owner_user": officer} if i % 2 else {"owner_team": team}))
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        html = c.get(URL, {"sort": "owner"}).content.decode()
    assert len(_ids(html)) == 20
    assert len(many.captured_queries) == len(few.captured_queries)


def test_WRK_5_api_team_queue_sort_filter_versions_and_counts(
    client, officer, teammate, team_leader
):
    late = IntrayFactory(owner_user=officer, due_on=LATE)
    soon = IntrayFactory(owner_user=teammate)
    client.force_login(team_leader)
    body = client.get(f"{API}/work/team-queue", {"sort": "-due"}).json()
    assert [i["id"] for i in body["items"]] == [soon.pk, late.pk] and body["sort"] == "-due"
    assert {o["officer_id"]: (o["open"], o["overdue"]) for o in body["officers"]}[officer.pk] == (
        1,
        1,
    )
    only = client.get(f"{API}/work/team-queue", {"overdue": "true"}).json()["items"]
    assert [i["id"] for i in only] == [late.pk]
    r = client.get(f"{API}/work/team-queue", {"sort": "customer"})
    assert r.status_code == 422


def test_WRK_5_api_bulk_reassign_all_or_none(client, officer, teammate, team_leader):
    a, b = IntrayFactory(owner_user=officer), IntrayFactory(owner_user=officer)
    client.force_login(team_leader)
    items = {i["id"]: i["version"] for i in client.get(f"{API}/work/team-queue").json()["items"]}
    services.start_intray(intray=b, actor=officer)
    url = f"{API}/work/team-queue/reassign"
    payload = {
        "owner_user_id": teammate.pk,
        "items": [{"intray_id": k, "version": v} for k, v in items.items()],
    }
    r = client.post(url, payload, content_type="application/json")
    assert r.status_code == 422, r.content
    assert [d["message"] for d in r.json()["details"]] == [
        f"intray {b.pk} was changed by someone since the page loaded"
    ]
    assert Intray.objects.get(pk=a.pk).owner_user_id == officer.pk
    payload["items"] = [{"intray_id": a.pk, "version": items[a.pk]}]
    r = client.post(url, payload, content_type="application/json")
    assert r.status_code == 200, r.content
    assert [i["id"] for i in r.json()["reassigned"]] == [a.pk]
    assert Intray.objects.get(pk=a.pk).owner_user_id == teammate.pk
