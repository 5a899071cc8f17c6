"""CON-9, CON-7, CON-10, CON-16: interactions, the identity gate and receipts."""

from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.contact import selectors, services
from cma.contact.errors import IdentityNotConfirmed, InteractionRefused, LineBusy
from cma.contact.models import Identity, Interaction
from cma.contact.receipts import ALPHABET, normalise
from cma.customers.models import agency_today
from cma.work.models import Intray
from tests.factories import (
    AlternativeContactFactory,
    AuthorisedRepresentativeFactory,
    ContactDetailFactory,
    CustomerFactory,
    RepresentativeAuthorityFactory,
)

RIGHT = {"full-name": "", "date-of-birth": "14/03/1985", "crn": "", "postcode": "2150"}


@pytest.fixture
def customer(db):
    customer = CustomerFactory(given_names="Marigold", family_name="Pettersen")
    ContactDetailFactory(customer=customer, kind="mobile", number="+61491570156")
    return customer


def _open(customer, officer, **kw):
    kw.setdefault("direction", "inbound")
    kw.setdefault("channel", "phone")
    return services.open_interaction(customer=customer, actor=officer, **kw)


def _answers(customer, **changes):
    return {**RIGHT, "full-name": customer.full_name, "crn": customer.crn, **changes}


def test_CON_16_each_interaction_has_a_readable_unique_receipt(customer, officer, other_officer):
    first = _open(customer, officer)
    second = _open(customer, other_officer)
    assert first.receipt != second.receipt
    raw = first.receipt.replace("-", "")
    assert len(raw) == 8 and set(raw) <= set(ALPHABET)
    typed = first.receipt.lower().replace("-", " ")
    assert normalise(typed) == first.receipt
    assert selectors.by_receipt(officer, typed).pk == first.pk


def test_CON_16_an_unknown_receipt_is_not_found_and_audited(customer, officer):
    from cma.contact.errors import NoSuchInteraction

    with pytest.raises(NoSuchInteraction):
        selectors.by_receipt(officer, "ZZZZ-ZZZZ")
    assert AuditRecord.objects.filter(
        action="contact.receipt.looked_up", outcome=Outcome.REFUSED
    ).exists()


def test_a_second_open_interaction_on_one_line_is_refused(customer, officer):
    _open(customer, officer)
    before = Interaction.objects.count()
    with pytest.raises(LineBusy):
        _open(CustomerFactory(), officer)
    assert Interaction.objects.count() == before
    refusal = AuditRecord.objects.filter(action="contact.interaction.opened").last()
    assert refusal.outcome == Outcome.REFUSED


def test_CON_9_the_call_shows_no_customer_and_no_purpose_until_confirmed(customer, officer):
    call = _open(customer, officer, direction="outbound", purpose="explain-decision")
    view = selectors.call_view(officer, call.pk)
    assert not view.confirmed and view.purpose_name == ""
    with pytest.raises(IdentityNotConfirmed):
        selectors.require_confirmed(call)
    check = services.confirm_identity(interaction=call, actor=officer, answers=_answers(customer))
    assert check.result == Identity.CONFIRMED
    assert set(check.matched) == {"full-name", "date-of-birth", "crn", "postcode"}
    view = selectors.call_view(officer, call.pk)
    assert view.confirmed and view.purpose_name == "Explain a decision"


def test_CON_9_a_wrong_date_of_birth_fails_whatever_else_matches(customer, officer):
    call = _open(customer, officer)
    check = services.confirm_identity(
        interaction=call,
        actor=officer,
        answers=_answers(customer, **{"date-of-birth": "1985-03-15"}),
    )
    assert check.result == Identity.FAILED
    assert "date-of-birth" not in check.matched
    call.refresh_from_db()
    assert call.identity == Identity.FAILED
    # The answers themselves are never kept.
    assert "1985-03-15" not in str(AuditRecord.objects.last().changes)


def test_CON_9_too_few_matches_fail(customer, officer):
    call = _open(customer, officer)
    check = services.confirm_identity(
        interaction=call,
        actor=officer,
        answers={"date-of-birth": "14 March 1985", "phone-on-record": "0491 570 156"},
    )
    assert check.result == Identity.FAILED and len(check.matched) == 2


def test_CON_9_a_representative_is_confirmed_against_their_authority(customer, officer):
    rep = AuthorisedRepresentativeFactory(name="Legal Aid Duty Officer")
    RepresentativeAuthorityFactory(
        representative=rep, customer=customer, starts_on=agency_today() - timedelta(days=5)
    )
    call = _open(customer, officer, party="representative", representative_id=rep.pk)
    check = services.confirm_identity(
        interaction=call, actor=officer, answers=_answers(customer, **{"full-name": rep.name})
    )
    assert check.result == Identity.CONFIRMED


def test_CON_9_a_representative_without_current_authority_is_refused(customer, officer):
    rep = AuthorisedRepresentativeFactory()
    RepresentativeAuthorityFactory(
        representative=rep,
        customer=customer,
        starts_on=agency_today() - timedelta(days=50),
        ends_on=agency_today() - timedelta(days=1),
    )
    with pytest.raises(InteractionRefused) as refused:
        _open(customer, officer, party="representative", representative_id=rep.pk)
    assert refused.value.details[0]["field"] == "representative_id"


def test_CON_7_an_alternative_contact_never_passes_the_gate(customer, officer):
    contact = AlternativeContactFactory(
        customer=customer, ends_on=agency_today() + timedelta(days=9)
    )
    call = _open(customer, officer, party="alternative-contact", alternative_contact_id=contact.pk)
    with pytest.raises(InteractionRefused, match="CON-7"):
        services.confirm_identity(interaction=call, actor=officer, answers=_answers(customer))
    call.refresh_from_db()
    assert call.identity == Identity.UNCONFIRMED


def test_CON_7_an_alternative_contact_past_their_end_date_is_not_offered(customer, officer):
    contact = AlternativeContactFactory(
        customer=customer, ends_on=agency_today() - timedelta(days=1)
    )
    with pytest.raises(InteractionRefused, match="CON-7"):
        _open(customer, officer, party="alternative-contact", alternative_contact_id=contact.pk)


def test_CON_10_a_disputed_identity_makes_the_sgt_referral(customer, officer):
    call = _open(customer, officer)
    before = AuditRecord.objects.count()
    services.dispute_identity(
        interaction=call,
        actor=officer,
        disputed="not-a-parent",
        details="The caller says the payer on this record is not them",
    )
    call.refresh_from_db()
    assert call.identity == Identity.DISPUTED
    note = customer.notes.get()
    assert note.macro_code == "sgt-referral" and "Solutions Gateway Team" in note.body
    intray = Intray.objects.get(customer=customer, type__code="sgt-referral")
    assert intray.owner_area.code == "solutions-gateway"
    rows = AuditRecord.objects.filter(pk__gt=0).order_by("pk")[before:]
    assert [r.action for r in rows] == ["contact.identity.disputed"]
