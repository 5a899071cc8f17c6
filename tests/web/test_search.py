"""Issue 23 item 8: the customer search on every page finds a customer by reference,
case number, name with a date of birth, phone number (search only) or call receipt."""

from datetime import date

import pytest

from cma.audit.models import AuditRecord
from cma.contact import services as contact
from cma.customers.selectors import search_customers
from tests.factories import CaseFactory, ContactDetailFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins():
    """Two customers with one name, told apart by their dates of birth."""
    older = CustomerFactory(given_names="Ada", family_name="Quill", date_of_birth=date(1985, 4, 3))
    younger = CustomerFactory(
        given_names="Ada", family_name="Quill", date_of_birth=date(1990, 7, 9)
    )
    ContactDetailFactory(customer=younger, kind="mobile", number="+61491570156")
    return older, younger


@pytest.mark.parametrize("query", ["Quill 3/4/1985", "ada 1985-04-03 quill", "03/04/1985"])
def test_a_name_with_a_date_of_birth_narrows_the_search(officer, twins, query):
    older, _ = twins
    assert [hit.id for hit in search_customers(officer, query)] == [older.pk]


@pytest.mark.parametrize("query", ["0491 570 156", "+61 491 570 156", "(04) 9157-0156"])
def test_a_phone_number_finds_its_customer_without_showing_the_number(officer_client, twins, query):
    _, younger = twins
    response = officer_client.post("/customers/search/", {"query": query})
    html = response.content.decode()
    assert f'href="/customers/{younger.pk}/"' in html and "1 customer found" in html
    assert "491 570 156" not in html.split('id="search-results"')[1]


def test_an_impossible_date_or_number_finds_nothing(officer, twins):
    assert search_customers(officer, "Quill 31/2/1985") == []
    assert search_customers(officer, "0491") == []


def test_a_call_receipt_opens_the_customer_of_that_call(officer_client, officer):
    case = CaseFactory()
    call = contact.open_interaction(
        customer=case.payer, actor=officer, direction="inbound", channel="phone"
    )
    typed = call.receipt.lower().replace("-", " ")
    response = officer_client.post("/customers/search/", {"query": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{case.payer.pk}/"
    page = officer_client.get(response["Location"])
    assert f"Call receipt {call.receipt}" in page.content.decode()
    over_htmx = officer_client.post(
        "/customers/search/", {"query": call.receipt}, HTTP_HX_REQUEST="true"
    )
    assert over_htmx["HX-Redirect"] == f"/customers/{case.payer.pk}/"
    assert (
        AuditRecord.objects.filter(
            action="contact.receipt.looked_up", outcome="ok", customer_id=case.payer.pk
        ).count()
        == 2
    )


def test_a_receipt_no_call_has_is_refused_beside_the_field(officer_client):
    response = officer_client.post("/customers/search/", {"query": "ZZZZ-ZZZZ"})
    html = response.content.decode()
    assert "No customer, case or call receipt matches." in html
    assert "govuk-form-group--error" in html


def test_the_header_search_is_on_every_page_for_staff_who_see_customers(
    officer_client, client, auditor
):
    assert 'id="header-search"' in officer_client.get("/work/").content.decode()
    client.force_login(auditor)
    assert 'id="header-search"' not in client.get("/reporting/trail/").content.decode()
