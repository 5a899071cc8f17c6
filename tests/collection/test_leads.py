"""CMA-2: payees as collection sources. A lead is structured (never free text the privacy
guard would refuse), shown masked, routed to the area that acts on it; the payee is told
what was done, or, when nothing is new, that this was explained and will be followed up."""

import pytest

from cma.audit.models import Outcome
from cma.collection import services
from cma.collection.errors import LeadRefused, NotPartyToCase, PayeeUpdateRefused
from cma.collection.models import PayeeLead, PayeeUpdate
from cma.work.models import Intray
from tests.factories import CaseFactory

from .conftest import head, rows_since


def test_CMA_2_a_payee_lead_is_structured_masked_and_routed_to_its_area(call, officer, payee_case):
    before = head()
    lead = services.record_lead(
        interaction=call,
        actor=officer,
        case_id=payee_case.pk,
        kind="bank-account",
        name="Coastal Credit Union",
        identifier="062000-12345678",
    )
    assert lead.area.code == "intensive-collection"
    assert lead.intray.owner_area == lead.area and lead.intray.case_id == payee_case.pk
    assert lead.intray.type.code == "payee-collection-lead"
    assert lead.masked_identifier == "•" * 11 + "678"
    assert "12345678" not in lead.intray.note
    assert rows_since(before) == [("collection.lead.recorded", Outcome.OK)]


def test_CMA_2_an_overseas_address_goes_to_the_central_authority_and_needs_a_country(
    call, officer, payee_case
):
    with pytest.raises(LeadRefused) as refused:
        services.record_lead(
            interaction=call,
            actor=officer,
            case_id=payee_case.pk,
            kind="overseas-address",
            name="Auckland",
        )
    assert [d["field"] for d in refused.value.details] == ["country"]
    lead = services.record_lead(
        interaction=call,
        actor=officer,
        case_id=payee_case.pk,
        kind="overseas-address",
        name="Auckland",
        country="NZ",
    )
    assert lead.area.code == "central-authority"


def test_CMA_2_every_problem_with_a_lead_at_once_and_nothing_written(call, officer, payee_case):
    before = head()
    with pytest.raises(LeadRefused) as refused:
        services.record_lead(
            interaction=call,
            actor=officer,
            case_id=payee_case.pk,
            kind="bank-account",
            name="",
            identifier="not a number",
            country="ZZ",
        )
    assert [d["field"] for d in refused.value.details] == ["name", "identifier", "country"]
    with pytest.raises(LeadRefused) as unknown:
        services.record_lead(
            interaction=call, actor=officer, case_id=payee_case.pk, kind="horoscope", name="x"
        )
    assert unknown.value.details[0]["field"] == "kind"
    assert not PayeeLead.objects.exists() and not Intray.objects.exists()
    assert rows_since(before) == [
        ("collection.lead.recorded", Outcome.REFUSED),
        ("collection.lead.recorded", Outcome.REFUSED),
    ]


def test_CMA_2_DOC_3_a_lead_with_free_text_personal_information_is_refused(
    call, officer, payee_case
):
    before = head()
    with pytest.raises(Exception) as refused:
        services.record_lead(
            interaction=call,
            actor=officer,
            case_id=payee_case.pk,
            kind="employer",
            name="Harbourside Logistics",
            note="Perpetua Quillfeather works there, call 0491 570 111",
        )
    assert refused.value.code == "personal-information"
    assert not PayeeLead.objects.exists() and not Intray.objects.exists()
    assert rows_since(before) == [("collection.lead.recorded", Outcome.REFUSED)]


def test_CMA_2_leads_come_from_the_payee_of_the_case(call, officer, payer_case):
    with pytest.raises(LeadRefused) as refused:
        services.record_lead(
            interaction=call, actor=officer, case_id=payer_case.pk, kind="employer", name="Acme"
        )
    assert refused.value.details[0]["field"] == "case_id"
    with pytest.raises(NotPartyToCase):
        services.record_lead(
            interaction=call, actor=officer, case_id=CaseFactory().pk, kind="employer", name="A"
        )


def test_CMA_2_the_payee_is_told_what_was_done_or_that_nothing_is_new(call, officer, payee_case):
    with pytest.raises(PayeeUpdateRefused) as refused:
        services.record_payee_update(
            interaction=call, actor=officer, case_id=payee_case.pk, outcome="told-action-taken"
        )
    assert "first" in refused.value.details[0]["message"]
    update = services.record_payee_update(
        interaction=call, actor=officer, case_id=payee_case.pk, outcome="nothing-new-explained"
    )
    assert update.outcome == "nothing-new-explained"
    with pytest.raises(PayeeUpdateRefused):  # once per case and call
        services.record_payee_update(
            interaction=call, actor=officer, case_id=payee_case.pk, outcome="nothing-new-explained"
        )
    assert PayeeUpdate.objects.count() == 1


def test_CMA_2_after_a_lead_the_payee_is_told_what_was_done(call, officer, payee_case):
    services.record_lead(
        interaction=call, actor=officer, case_id=payee_case.pk, kind="employer", name="Acme Pty"
    )
    with pytest.raises(PayeeUpdateRefused):
        services.record_payee_update(
            interaction=call, actor=officer, case_id=payee_case.pk, outcome="nothing-new-explained"
        )
    update = services.record_payee_update(
        interaction=call, actor=officer, case_id=payee_case.pk, outcome="told-action-taken"
    )
    assert update.outcome == "told-action-taken"
