"""CON-13: a customer's time zone comes from where they live (their state, or their
country through the IANA zone table), shown with their local time; imports take the
country and derive the zone. Nobody overseas gets Australia/Canberra."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from cma.customers.imports import ImportRejected, import_rows
from cma.customers.models import Customer
from cma.customers.timezones import country_zones, local_time, zone_for
from tests.factories import CustomerFactory

STATE_ZONES = {
    "ACT": "Australia/Sydney",
    "NSW": "Australia/Sydney",
    "VIC": "Australia/Melbourne",
    "TAS": "Australia/Hobart",
    "QLD": "Australia/Brisbane",
    "SA": "Australia/Adelaide",
    "NT": "Australia/Darwin",
    "WA": "Australia/Perth",
}


@pytest.mark.parametrize(("state", "zone"), sorted(STATE_ZONES.items()))
def test_CON_13_each_state_resident_gets_their_states_zone(state, zone):
    assert CustomerFactory.build(country="AU", state=state).zone == zone


@pytest.mark.parametrize(
    ("country", "zone"),
    [("NF", "Pacific/Norfolk"), ("GB", "Europe/London"), ("NZ", "Pacific/Auckland")],
)
def test_CON_13_overseas_customers_get_their_countrys_zone(country, zone):
    customer = CustomerFactory.build(country=country, state="", time_zone="")
    assert customer.zone == zone


def test_CON_13_a_multi_zone_country_uses_the_recorded_zone_else_its_principal_one():
    explicit = CustomerFactory.build(country="US", state="", time_zone="America/Los_Angeles")
    assert explicit.zone == "America/Los_Angeles"
    assert CustomerFactory.build(country="US", state="", time_zone="").zone == "America/New_York"
    assert zone_for(country="CA") == "America/Toronto"  # not the easternmost, St John's
    assert "America/Chicago" in country_zones("US")


def test_CON_13_a_zone_from_another_country_is_not_used():
    """A stale zone (moved from the US to the UK) does not decide: where they live does."""
    moved = CustomerFactory.build(country="GB", state="", time_zone="America/Chicago")
    assert moved.zone == "Europe/London"
    au = CustomerFactory.build(country="AU", state="WA", time_zone="Pacific/Auckland")
    assert au.zone == "Australia/Perth"


def test_CON_13_nobody_overseas_is_given_an_australian_zone():
    for country in ("NF", "GB", "NZ", "US", "FR", "IN", "ZA", "JP", "PG", "CK"):
        zone = zone_for(country=country)
        assert not zone.startswith("Australia/"), country
        assert zone in country_zones(country)


@freeze_time("2026-12-01 06:36:00+00:00")
def test_CON_13_local_time_is_the_time_where_they_live():
    assert local_time("Europe/London") == datetime(2026, 12, 1, 6, 36, tzinfo=ZoneInfo("UTC"))
    assert local_time("Pacific/Norfolk").hour == 18  # UTC+12 in summer
    assert str(local_time("Pacific/Auckland").utcoffset()) == "13:00:00"


@pytest.mark.django_db
def test_CON_13_customer_page_and_api_show_zone_and_local_time(client, officer):
    norfolk = CustomerFactory(country="NF", state="", time_zone="", is_remote=True)
    client.force_login(officer)
    page = client.get(reverse("web:customer-detail", args=[norfolk.pk])).content.decode()
    there = local_time("Pacific/Norfolk")
    shown = there.strftime("%-d %b %Y")
    assert "Pacific/Norfolk · their time now: " in page and f", {shown}</dd>" in page
    assert "Australia/Canberra" not in page
    body = client.get(f"/api/v1/customers/{norfolk.pk}").json()
    assert body["time_zone"] == "Pacific/Norfolk"
    there = datetime.fromisoformat(body["local_time"])
    assert there.utcoffset() == ZoneInfo("Pacific/Norfolk").utcoffset(there.replace(tzinfo=None))
    assert abs((there - timezone.now()).total_seconds()) < 60


HEADER = "crn,given_names,family_name,date_of_birth,role,state,country,time_zone"


@pytest.mark.django_db
def test_CON_13_imports_take_the_country_and_derive_the_zone():
    rows = [
        "100000001A,Isla,Christian,1982-05-05,payee,,NF,",
        "100000002B,Harry,Jones,1980-01-01,payer,,GB,",
        "100000003C,Aroha,Ngata,1979-12-31,payer,,NZ,",
        "100000004D,Kai,Lee,1985-06-06,payee,,US,America/Denver",
        "100000005E,Mia,Nguyen,1985-03-14,payer,WA,AU,",
    ]
    import_rows(kind="customers", data="\n".join([HEADER, *rows]).encode(), fmt="csv", actor=None)
    zones = {c.crn: c.zone for c in Customer.objects.all()}
    assert zones == {
        "100000001A": "Pacific/Norfolk",
        "100000002B": "Europe/London",
        "100000003C": "Pacific/Auckland",
        "100000004D": "America/Denver",
        "100000005E": "Australia/Perth",
    }


@pytest.mark.django_db
def test_CON_13_imports_refuse_a_zone_of_another_country_and_unknown_countries():
    rows = [
        "100000001A,Harry,Jones,1980-01-01,payer,,GB,America/Denver",
        "100000002B,Kai,Lee,1985-06-06,payee,,ZZ,",
        "100000003C,Ana,Silva,1985-06-06,payee,,BR,Mars/Olympus",
    ]
    with pytest.raises(ImportRejected) as err:
        import_rows(
            kind="customers", data="\n".join([HEADER, *rows]).encode(), fmt="csv", actor=None
        )
    found = {(d["line"], d["field"]): d["message"] for d in err.value.details}
    assert found[(2, "time_zone")] == "America/Denver is not a time zone of GB"
    assert "not an ISO 3166 country code" in found[(3, "country")]
    assert "not an IANA time zone" in found[(4, "time_zone")]
    assert not Customer.objects.exists()
