"""CMA-1: Minimum Collection Activity in every interaction, per case the customer pays or
receives on; ending without it needs a recorded reason; enabling areas are exempt."""

import pytest

from cma.audit.models import Outcome
from cma.collection import services
from cma.collection.errors import McaRefused, NotPartyToCase
from cma.collection.models import McaNotDone, McaRecord
from cma.contact import services as contact
from cma.contact.errors import EndRefused, IdentityNotConfirmed
from cma.policy.models import BusinessArea
from cma.work.models import Intray
from tests.factories import CaseFactory, CustomerFactory, TeamFactory, UserFactory

from .conftest import ALL_ADDRESSED, confirmed_call, head, rows_since


def test_CMA_1_mca_is_recorded_per_case_with_one_audit_row(call, officer, payee_case):
    before = head()
    record = services.record_mca(
        interaction=call, actor=officer, case_id=payee_case.pk, outcomes=ALL_ADDRESSED
    )
    assert record.outcomes() == ALL_ADDRESSED and record.follow_up_intray is None
    assert rows_since(before) == [("collection.mca.recorded", Outcome.OK)]


def test_CMA_1_follow_up_outcome_creates_the_intray_in_the_same_transaction(
    call, officer, payee_case
):
    outcomes = {**ALL_ADDRESSED, "payment_arrears": "follow-up-intray-created"}
    before, intrays = head(), Intray.objects.count()
    record = services.record_mca(
        interaction=call, actor=officer, case_id=payee_case.pk, outcomes=outcomes
    )
    intray = record.follow_up_intray
    assert intray.type.code == "mca-follow-up" and intray.case_id == payee_case.pk
    assert intray.owner_user_id == officer.pk and call.receipt in intray.note
    assert Intray.objects.count() == intrays + 1
    # One row for the operation: the intray is a step of it (AUD-1).
    assert rows_since(before) == [("collection.mca.recorded", Outcome.OK)]
    # Changing the record keeps the one intray.
    again = services.record_mca(
        interaction=call, actor=officer, case_id=payee_case.pk, outcomes=outcomes
    )
    assert again.pk == record.pk and again.follow_up_intray_id == intray.pk
    assert Intray.objects.count() == intrays + 1


def test_CMA_1_every_missing_outcome_is_named_and_nothing_is_written(call, officer, payee_case):
    before = head()
    with pytest.raises(McaRefused) as refused:
        services.record_mca(
            interaction=call,
            actor=officer,
            case_id=payee_case.pk,
            outcomes={"payment_ongoing": "addressed", "care": "sometimes"},
        )
    fields = [d["field"] for d in refused.value.details]
    assert fields == ["payment_arrears", "care", "income"]
    assert not McaRecord.objects.exists()
    assert rows_since(before) == [("collection.mca.recorded", Outcome.REFUSED)]


def test_CMA_1_an_outcome_for_a_case_the_customer_is_not_party_to_is_refused(call, officer):
    stranger = CaseFactory()
    before = head()
    with pytest.raises(NotPartyToCase) as refused:
        services.record_mca(
            interaction=call, actor=officer, case_id=stranger.pk, outcomes=ALL_ADDRESSED
        )
    assert refused.value.field == "case_id"
    assert not McaRecord.objects.exists() and not Intray.objects.exists()
    assert rows_since(before) == [("collection.mca.recorded", Outcome.REFUSED)]


def test_CON_9_CMA_1_mca_waits_for_the_callers_identity(customer, officer, cases):
    call = contact.open_interaction(
        customer=customer, actor=officer, direction="inbound", channel="phone", line="u1"
    )
    with pytest.raises(IdentityNotConfirmed):
        services.record_mca(
            interaction=call, actor=officer, case_id=cases[0].pk, outcomes=ALL_ADDRESSED
        )
    # And an unconfirmed call ends without MCA: nothing about a case was discussed.
    contact.end_interaction(interaction=call, actor=officer, reason="completed")
    assert not McaNotDone.objects.exists()


def test_CMA_1_ending_without_mca_and_no_reason_names_each_missing_case(call, officer, cases):
    services.record_mca(
        interaction=call, actor=officer, case_id=cases[0].pk, outcomes=ALL_ADDRESSED
    )
    before = head()
    with pytest.raises(EndRefused) as refused:
        contact.end_interaction(interaction=call, actor=officer, reason="completed")
    (detail,) = refused.value.details
    assert detail["field"] == "override_reason"
    assert "C9100002" in detail["message"] and "C9100001" not in detail["message"]
    call.refresh_from_db()
    assert call.is_open and not McaNotDone.objects.exists()
    assert rows_since(before) == [("contact.interaction.ended", Outcome.REFUSED)]


def test_CMA_1_for_several_cases_mca_covers_each_then_the_call_ends(call, officer, cases):
    for case in cases:
        services.record_mca(
            interaction=call, actor=officer, case_id=case.pk, outcomes=ALL_ADDRESSED
        )
    contact.end_interaction(interaction=call, actor=officer, reason="completed")
    call.refresh_from_db()
    assert not call.is_open and not McaNotDone.objects.exists()
    assert McaRecord.objects.filter(interaction=call).count() == 2


def test_CMA_1_ending_with_a_recorded_reason_keeps_the_reason(call, officer, cases):
    before = head()
    contact.end_interaction(
        interaction=call,
        actor=officer,
        reason="completed",
        override_reason="Customer had to leave for work",
    )
    gap = McaNotDone.objects.get(interaction=call)
    assert gap.reason == "Customer had to leave for work" and gap.end_reason == "completed"
    assert sorted(gap.missing_cases) == sorted(c.pk for c in cases)
    (row,) = rows_since(before)
    assert row == ("contact.interaction.ended", Outcome.OK)


def test_CMA_1_DOC_3_the_reason_passes_the_privacy_guard(call, officer, customer):
    with pytest.raises(Exception) as refused:
        contact.end_interaction(
            interaction=call,
            actor=officer,
            reason="completed",
            override_reason="Call her on 0491 570 199 tomorrow",
        )
    assert refused.value.field == "override_reason" or any(
        d.get("field") == "override_reason" for d in refused.value.details
    )
    assert call.__class__.objects.get(pk=call.pk).is_open
    assert not McaNotDone.objects.exists()


def test_CMA_1_a_disconnected_call_records_how_it_ended_as_the_reason(call, officer, cases):
    contact.end_interaction(interaction=call, actor=officer, reason="disconnected")
    gap = McaNotDone.objects.get(interaction=call)
    assert gap.end_reason == "disconnected" and gap.reason == ""


def test_CMA_1_enabling_areas_are_exempt(customer, cases):
    enabling = BusinessArea.objects.get(code="enabling-finance")
    assert enabling.kind == "enabling"  # business-area data, not code
    clerk = UserFactory(team=TeamFactory(business_area=enabling))
    call = confirmed_call(customer, clerk, line="e1")
    assert not services.mca_applies(call)
    contact.end_interaction(interaction=call, actor=clerk, reason="completed")
    assert not McaNotDone.objects.exists()


def test_CMA_1_a_customer_without_cases_has_nothing_to_record(officer):
    lone = CustomerFactory()
    call = confirmed_call(lone, officer, line="n1")
    contact.end_interaction(interaction=call, actor=officer, reason="completed")
    assert not McaNotDone.objects.exists()
