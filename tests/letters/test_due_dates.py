"""CON-4: the reply-by date is the standard response time for the request type; the
response due date adds inbound mail handling time; both in working days of the
issuing officer's team's state (WRK-3)."""

from datetime import date

import pytest
from freezegun import freeze_time

from cma.letters import services
from cma.policy.models import Parameter

from .conftest import letter_kwargs

pytestmark = pytest.mark.django_db

# Friday 30 October 2026, midday in Sydney and Melbourne. Melbourne Cup day,
# Tuesday 3 November 2026, is a public holiday in Victoria only.
FRIDAY = "2026-10-30T01:00:00+00:00"


def _mx1(customer, actor, request_type):
    fields = {"reason": "income-details", "request_type": request_type}
    return services.preview_letter(**letter_kwargs("MX1-1", customer, actor, fields=fields))


@freeze_time(FRIDAY)
def test_CON_4_mx1_1_due_date_includes_mail_handling(officer, customer):
    # contact-request: 7 working days, then 3 days of inbound mail handling (NSW).
    draft = _mx1(customer, officer, "contact-request")
    assert draft.letter_date == date(2026, 10, 30)
    assert draft.reply_by == date(2026, 11, 10)
    assert draft.response_due_on == date(2026, 11, 13)
    assert draft.data["response_due"] == "10 Nov 2026"  # cma.formats.day


@freeze_time(FRIDAY)
def test_CON_4_response_time_depends_on_the_request_type(officer, customer):
    # information-request: 14 working days + 3.
    draft = _mx1(customer, officer, "information-request")
    assert draft.reply_by == date(2026, 11, 19)
    assert draft.response_due_on == date(2026, 11, 24)


@freeze_time(FRIDAY)
def test_CON_4_due_date_uses_the_issuing_officers_state(other_officer, customer):
    # Oscar's team is in Victoria: Melbourne Cup day is not a working day there.
    draft = _mx1(customer, other_officer, "contact-request")
    assert draft.reply_by == date(2026, 11, 11)
    assert draft.response_due_on == date(2026, 11, 16)


@freeze_time(FRIDAY)
def test_CON_4_response_times_are_policy_data(officer, customer):
    Parameter.objects.filter(key="inbound-mail-handling-working-days").update(value=5)
    Parameter.objects.filter(key="mx1-1-response-working-days").update(
        value={"information-request": 14, "contact-request": 2, "payment-arrangement": 14}
    )
    draft = _mx1(customer, officer, "contact-request")
    assert draft.reply_by == date(2026, 11, 3)
    assert draft.response_due_on == date(2026, 11, 10)


@freeze_time("2026-12-24T01:00:00+00:00")
def test_CON_4_due_date_skips_christmas_and_new_year(officer, customer):
    # Thu 24 Dec 2026 in NSW: Fri 25 Dec, Mon 28 Dec (Boxing Day, substitute) and
    # Fri 1 Jan are holidays: 29, 30, 31 Dec, 4, 5, 6, 7 Jan; then 8, 11, 12 Jan.
    draft = _mx1(customer, officer, "contact-request")
    assert draft.reply_by == date(2027, 1, 7)
    assert draft.response_due_on == date(2027, 1, 12)


def test_letters_that_ask_nothing_have_no_due_date(officer, customer):
    draft = services.preview_letter(**letter_kwargs("DEC-1", customer, officer))
    assert (draft.reply_by, draft.response_due_on, draft.data["response_due"]) == (None, None, "")
