"""`cma demo load`: a realistic synthetic office, idempotent, never in production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cma.customers.models import (
    AccountSummary,
    AlternativeContact,
    AuthorisedRepresentative,
    Case,
    Child,
    ContactDetail,
    Customer,
    RepresentativeAuthority,
)
from cma.demo import core
from cma.staff.models import Role, Team

pytestmark = pytest.mark.django_db

MODELS = [
    Team,
    get_user_model(),
    Customer,
    ContactDetail,
    Case,
    Child,
    AccountSummary,
    AuthorisedRepresentative,
    RepresentativeAuthority,
    AlternativeContact,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def loaded(settings):
    settings.DEBUG = True
    call_command("demo", "load")
    return _counts()


def test_AUTH_5_demo_load_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only loaded when DEBUG is on"):
        call_command("demo", "load")
    assert Customer.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_demo_load_twice_creates_the_same_counts(loaded, settings, capsys):
    settings.DEBUG = True
    call_command("demo", "load")
    assert _counts() == loaded
    assert "demo office loaded" in capsys.readouterr().out


def test_demo_office_is_realistic(loaded):
    assert 190 <= loaded["Customer"] <= 210
    assert loaded["Case"] >= 90 and loaded["Child"] >= loaded["Case"]
    assert loaded["AccountSummary"] == loaded["Case"]
    assert len(set(Team.objects.values_list("state", flat=True))) >= 5
    assert RepresentativeAuthority.objects.values("representative").distinct().count() >= 1
    assert max(a.customers.count() for a in AuthorisedRepresentative.objects.all()) > 1, (
        "a representative acting for many customers"
    )


def test_demo_has_one_staff_user_per_role(loaded):
    roles = set(get_user_model().objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username, role, *_ in core.STAFF:
        user = get_user_model().objects.get(username=username)
        assert user.role == role
        assert user.check_password(core.DEMO_PASSWORD)


def test_demo_has_an_under_18_customer(loaded):
    assert any(c.is_under_18 for c in Customer.objects.all())


def test_demo_has_overseas_customers_with_their_time_zones(loaded):
    overseas = Customer.objects.exclude(country__in=["AU", "NF"])
    assert overseas.count() >= 3
    for customer in overseas:
        assert customer.state == "" and customer.time_zone
        assert customer.phones.filter(kind="international").exists()


def test_CON_13_demo_has_a_remote_norfolk_island_customer(loaded):
    """CON-13: the demo office has a Norfolk Island customer with the remote indicator."""
    norfolk = Customer.objects.get(country="NF")
    assert norfolk.is_remote
    assert norfolk.time_zone == "Pacific/Norfolk"
    assert norfolk.special_contact_considerations
    assert norfolk.phones.get().number.startswith("+6723")


def test_CON_7_demo_has_current_and_ended_alternative_contacts(loaded):
    current = [a.is_current for a in AlternativeContact.objects.all()]
    assert any(current), "some alternative contacts are current"
    assert not all(current), "some have ended"


def test_demo_logins_prints_one_per_role(capsys):
    call_command("demo", "logins")
    out = capsys.readouterr().out
    assert core.DEMO_PASSWORD in out
    for username, role, *_ in core.STAFF:
        assert username in out and role.label in out


def test_CON_16_demo_has_past_calls_with_receipts_for_a_domestic_uk_and_norfolk_customer(loaded):
    from cma.contact.models import Interaction

    calls = Interaction.objects.select_related("customer")
    assert {c.customer.country for c in calls} == {"AU", "GB", "NF"}
    assert all(c.receipt and c.ended_at and c.confirmed for c in calls)


def test_CMA_6_demo_has_a_decision_ready_to_finalise_and_one_blocked(loaded):
    from cma.decisions.models import Decision
    from cma.decisions.selectors import checklist

    # The decisions demo's two, then the PS mandate demo's estimate (not yet explained).
    decisions = list(Decision.objects.select_related("case").order_by("pk"))
    assert [d.kind for d in decisions][2:] == ["estimate"]
    ready = [all(s.ready for s in checklist(d)) for d in decisions]
    assert ready == [True, False, False]


def test_PS_2_demo_has_a_ps_customer_at_each_stage(loaded):
    from cma.personalised.models import PsPlan, Reallocation, Referral, SegmentDecision

    states = set(Referral.objects.values_list("state", flat=True))
    assert {"received", "actioning", "actioned"} <= states
    assert PsPlan.objects.filter(state="approved").exists()
    assert PsPlan.objects.filter(state="draft").exists()
    assert SegmentDecision.objects.filter(approval="pending").exists()
    assert Reallocation.objects.filter(state="requested").exists()


def test_PS_13_demo_has_a_ps_customer_ready_to_finalise_and_one_blocked(loaded):
    from cma.demo.ps_final import READY_REASON
    from cma.personalised import services
    from cma.personalised.models import PsPlan

    ready = PsPlan.objects.get(referral__reason=READY_REASON)
    assert services.readiness(ready).ready, services.readiness(ready).problems
    blocked = PsPlan.objects.exclude(pk=ready.pk).filter(state="approved").first()
    assert blocked is not None and services.readiness(blocked).problems
