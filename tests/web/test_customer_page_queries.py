"""The customer page reads a bounded number of queries whatever the data: more cases,
calls, notes, intrays and numbers cost nothing more (the page grew a Contact panel)."""

from django.urls import reverse

from cma.contact import services as contact
from cma.notes import services as notes
from cma.work import services as work
from tests.factories import CaseFactory, ContactDetailFactory, CustomerFactory

# Was 60: the collection issues panel and the PS mandate notice and panel add 4.
LIMIT = 64


def _page(client, customer):
    response = client.get(reverse("web:customer-detail", args=[customer.pk]))
    assert response.status_code == 200
    return response


def _add_history(customer, officer, n: int) -> None:
    for _ in range(n):
        CaseFactory(payer=customer)
        notes.add_note(customer=customer, actor=officer, subject="Call", body="Discussed care")
        work.create_intray(customer=customer, type_code="general-follow-up", actor=officer)
        call = contact.open_interaction(
            customer=customer, actor=officer, direction="inbound", channel="phone"
        )
        contact.end_interaction(interaction=call, actor=officer, reason="completed")
    for kind in ("mobile", "home", "work")[:n]:
        ContactDetailFactory(customer=customer, kind=kind, number=f"+6149157015{n}")


def test_the_customer_page_reads_the_same_queries_however_much_history(
    officer_client, officer, django_assert_max_num_queries
):
    small, large = CustomerFactory(), CustomerFactory()
    _add_history(small, officer, 1)
    _add_history(large, officer, 3)
    _page(officer_client, small)  # warm the policy and session reads
    with django_assert_max_num_queries(LIMIT) as one:
        _page(officer_client, small)
    with django_assert_max_num_queries(len(one.captured_queries)):
        _page(officer_client, large)
