"""DOC-7: contact details agree with the restricted service arrangement. Customers
carry email addresses; under restricted service the allowed routes come first and the
others are marked "not to be used"; the preferred contact is always an allowed channel,
shown the same in the banner, the details panel and the API."""

import pytest
from django.urls import reverse

from cma.audit.models import AuditRecord
from cma.customers.imports import ImportRejected, import_rows
from cma.customers.models import Customer
from cma.notes.contact import contact_details
from cma.notes.restricted import active_restriction
from tests.factories import CustomerFactory

from .factories import ContactDetailFactory
from .test_restricted import propose, restrict

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(db):
    """Casey: phones, an email address and a postal address; prefers phone."""
    customer = CustomerFactory(
        crn="200000001A",
        given_names="Casey",
        family_name="Jones",
        email="casey.jones@example.com",
        address_line="5 Banksia Street",
        locality="Penrith",
        postcode="2750",
        preferred_contact_method="phone",
    )
    ContactDetailFactory(customer=customer, kind="mobile", number="+61491570123")
    ContactDetailFactory(customer=customer, kind="home", number="+61255501234", is_preferred=False)
    return customer


def _routes(customer):
    details = contact_details(customer, active_restriction(customer))
    return [(r.kind, r.note) for r in details.routes], details


def test_DOC_7_without_restriction_every_route_is_usable(caller):
    routes, details = _routes(caller)
    assert routes == [("Mobile", ""), ("Home", ""), ("Email", ""), ("Post", "")]
    assert details.preferred == "phone" and not details.restricted


def test_DOC_7_allowed_routes_first_others_not_to_be_used(caller, ps_team_leader):
    restrict(caller, ps_team_leader, allowed_channels=["post", "email"])
    caller.refresh_from_db()
    routes, details = _routes(caller)
    assert routes == [
        ("Email", ""),
        ("Post", ""),
        ("Mobile", "not to be used"),
        ("Home", "not to be used"),
    ]
    assert details.preferred == "email" and details.preferred_label == "Email"
    assert not any(r.preferred for r in details.routes if not r.allowed)


def test_DOC_7_a_mobile_allowed_for_sms_only_says_so(caller, ps_team_leader):
    restrict(caller, ps_team_leader, allowed_channels=["sms"])
    routes, _ = _routes(caller)
    assert routes[0] == ("Mobile", "SMS only")


def test_DOC_7_restricting_moves_a_disallowed_preference_to_an_allowed_channel(
    caller, ps_team_leader
):
    """The recorded preference becomes the first allowed channel with a detail on
    record (email here), recorded in the restriction's one audit row."""
    arrangement = restrict(caller, ps_team_leader, allowed_channels=["post", "email"])
    caller.refresh_from_db()
    assert caller.preferred_contact_method == "email"
    row = AuditRecord.objects.get(action="notes.restriction.created", object_id=str(arrangement.pk))
    assert row.changes["preferred_contact_method"] == {"from": "phone", "to": "email"}


def test_DOC_7_with_no_email_on_record_the_preference_moves_to_post(payer, ps_team_leader):
    assert not payer.email
    restrict(payer, ps_team_leader, allowed_channels=["email", "post"])
    payer.refresh_from_db()
    assert payer.preferred_contact_method == "post"


def test_DOC_7_an_approved_variation_keeps_the_preference_allowed(
    caller, ps_team_leader, ps_case_manager, national_manager
):
    from cma.notes import services

    arrangement = restrict(caller, ps_team_leader, allowed_channels=["post", "email"])
    review = propose(arrangement, ps_case_manager, outcome="vary", allowed_channels=["phone"])
    services.decide_restriction_review(review=review, actor=national_manager, approve=True)
    caller.refresh_from_db()
    assert caller.preferred_contact_method == "phone"


def test_DOC_7_banner_panel_and_api_show_the_same_preferred_channel(
    client, caller, ps_team_leader, ps_case_manager
):
    restrict(caller, ps_team_leader, allowed_channels=["post", "email"])
    # A record made before preferences were kept allowed: the shown one is still allowed.
    Customer.objects.filter(pk=caller.pk).update(preferred_contact_method="phone")
    client.force_login(ps_case_manager)
    page = client.get(reverse("web:customer-detail", args=[caller.pk])).content.decode()
    assert "Contact only by email, post; preferred: email" in page
    assert (
        '<dt class="govuk-summary-list__key">Preferred contact</dt>'
        '<dd class="govuk-summary-list__value">Email'
    ) in page
    assert "recorded as phone, which the restricted service does not allow" in page
    details = page[page.index(">Contact details</dt>") :]
    assert details.index("Email: casey.jones@example.com") < details.index("Mobile: ")
    assert "Mobile: 0491 570 123 · <strong>not to be used</strong>" in details
    safety = client.get(f"/api/v1/customers/{caller.pk}/safety").json()
    assert safety["preferred_contact"] == "email"
    assert safety["allowed_channels"] == ["email", "post"]
    body = client.get(f"/api/v1/customers/{caller.pk}").json()
    assert body["email"] == "casey.jones@example.com"


HEADER = "crn,given_names,family_name,date_of_birth,role,state,email,preferred_contact_method"


def _import(*rows: str) -> int:
    data = "\n".join([HEADER, *rows]).encode()
    return import_rows(kind="customers", data=data, fmt="csv", actor=None)


def test_DOC_7_imports_take_email_addresses(db):
    _import("300000001A,Ana,Silva,1985-06-06,payee,QLD,Ana.Silva@Example.COM,email")
    assert Customer.objects.get(crn="300000001A").email == "Ana.Silva@example.com"


def test_DOC_7_imports_refuse_bad_emails_and_an_email_preference_without_one(db):
    with pytest.raises(ImportRejected) as err:
        _import(
            "300000001A,Ana,Silva,1985-06-06,payee,QLD,not-an-email,phone",
            "300000002B,Bo,Lee,1985-06-06,payer,QLD,,email",
        )
    found = {(d["line"], d["field"]): d["message"] for d in err.value.details}
    assert found[(2, "email")] == "not an email address"
    assert "no email address is given" in found[(3, "preferred_contact_method")]


def test_DOC_7_imports_refuse_a_preference_the_restricted_service_does_not_allow(
    caller, ps_team_leader
):
    restrict(caller, ps_team_leader, allowed_channels=["post", "email"])
    row = "200000001A,Casey,Jones,1980-01-01,payer,NSW,casey.jones@example.com,{}"
    with pytest.raises(ImportRejected) as err:
        _import(row.format("phone"))
    detail = err.value.details[0]
    assert detail["field"] == "preferred_contact_method"
    assert detail["message"] == (
        "phone is not allowed under this customer's restricted service (only email, post)"
    )
    assert _import(row.format("post")) == 1
    assert Customer.objects.get(pk=caller.pk).preferred_contact_method == "post"


def test_DOC_7_demo_restricted_service_customer_is_consistent(db):
    """The demo's restricted-service customer: email on record, preferred contact
    allowed, and the same preference in banner and panel."""
    from cma.demo import core
    from cma.demo.notes import RESTRICTED, load_notes
    from cma.demo.work import load_work

    core.load_staff()
    core.load_customers(count=60)
    load_work()
    load_notes()
    customer = Customer.objects.get(crn=core._crn(RESTRICTED))
    arrangement = active_restriction(customer)
    assert customer.email and customer.preferred_contact_method in arrangement.allowed_channels
    details = contact_details(customer, arrangement)
    assert not details.overridden
    assert [r.kind for r in details.routes if r.allowed] == ["Email", "Post"]
    assert all(r.note == "not to be used" for r in details.routes if r.kind in ("Mobile", "Home"))
