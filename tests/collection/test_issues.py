"""CMA-3, CMA-4, CMA-8: each issue a call raises is recorded; a common one is resolved
there by whoever took it, a specialised one routed where the referral guidelines advise
(exceptions included) with an intray, a non-child-support one referred to a catalogue
organisation with consent; all of them listed together on the customer's record."""

import pytest

from cma.audit.models import Outcome
from cma.collection import selectors, services
from cma.collection.errors import (
    IssueRaisedAlready,
    IssueRefused,
    UnknownIssueKind,
    UnknownOrganisation,
)
from cma.collection.models import IssueStatus, PresentingIssue
from cma.policy.models import BusinessArea
from cma.work import services as work
from cma.work.models import Intray
from tests.factories import CaseFactory, CustomerFactory

from .conftest import confirmed_call, head, rows_since


def test_CMA_3_a_common_issue_is_resolved_at_first_contact_by_whoever_took_it(call, officer):
    before = head()
    issue = services.raise_issue(interaction=call, actor=officer, kind="payment-enquiry")
    assert issue.status == IssueStatus.RESOLVED and issue.activity == "common"
    assert issue.intray is None and issue.rule == "default" and issue.officer == officer
    assert rows_since(before) == [("collection.issue.raised", Outcome.OK)]


def test_CMA_4_CMA_8_a_specialised_issue_is_routed_by_the_guidelines_with_an_intray(
    call, officer, payee_case
):
    before = head()
    issue = services.raise_issue(
        interaction=call, actor=officer, kind="change-of-assessment", case_id=payee_case.pk
    )
    area = BusinessArea.objects.get(code="specialised-assessments")
    assert issue.status == IssueStatus.ROUTED and issue.owner_key == f"area:{area.pk}"
    intray = issue.intray
    assert intray.owner_area == area and intray.type.code == "specialised-referral"
    assert intray.case_id == payee_case.pk and call.receipt in intray.note
    assert rows_since(before) == [("collection.issue.raised", Outcome.OK)]


def test_CMA_8_routing_respects_the_exceptions_a_locked_customer_goes_to_the_lock_holder(
    customer, officer, other_officer, cases
):
    work.lock_customer(customer=customer, actor=other_officer, reason="Case management")
    call = confirmed_call(customer, officer, line="l1")
    issue = services.raise_issue(interaction=call, actor=officer, kind="case-management")
    assert issue.rule == "locked-to-owner" and issue.owner_key == f"user:{other_officer.pk}"
    assert issue.intray.owner_user == other_officer
    # A common activity is still resolved by whoever took the call (CMA-3).
    common = services.raise_issue(interaction=call, actor=officer, kind="general-enquiry")
    assert common.status == IssueStatus.RESOLVED


def test_CMA_8_an_add_a_child_issue_uses_its_own_intray_type(call, officer):
    issue = services.raise_issue(interaction=call, actor=officer, kind="add-a-child")
    assert issue.intray.type.code == "add-a-child"
    assert issue.intray.owner_area.code == "mainstream"


def test_CMA_8_an_issue_kind_absent_from_the_guidelines_is_refused(call, officer):
    before = head()
    with pytest.raises(UnknownIssueKind) as refused:
        services.raise_issue(interaction=call, actor=officer, kind="tarot-reading")
    assert refused.value.field == "kind"
    assert not PresentingIssue.objects.exists() and not Intray.objects.exists()
    assert rows_since(before) == [("collection.issue.raised", Outcome.REFUSED)]


def test_CMA_4_the_same_issue_twice_on_one_call_is_refused(call, officer):
    services.raise_issue(interaction=call, actor=officer, kind="estimate")
    with pytest.raises(IssueRaisedAlready):
        services.raise_issue(interaction=call, actor=officer, kind="estimate")
    assert Intray.objects.count() == 1


def test_CMA_4_an_issue_for_a_case_the_customer_is_not_party_to_is_refused(call, officer):
    with pytest.raises(Exception) as refused:
        services.raise_issue(
            interaction=call, actor=officer, kind="estimate", case_id=CaseFactory().pk
        )
    assert refused.value.code == "not-party-to-case"
    assert not Intray.objects.exists()


def test_DOC_3_an_issue_note_with_personal_information_is_refused(call, officer, customer):
    before = head()
    with pytest.raises(Exception) as refused:
        services.raise_issue(
            interaction=call,
            actor=officer,
            kind="estimate",
            note=f"{customer.given_names} {customer.family_name} rang from 0491 570 199",
        )
    assert refused.value.code == "personal-information"
    assert not PresentingIssue.objects.exists() and not Intray.objects.exists()
    assert rows_since(before) == [("collection.issue.raised", Outcome.REFUSED)]


def test_CMA_4_a_non_child_support_issue_is_referred_to_a_catalogue_service_with_consent(
    call, officer
):
    before = head()
    issue = services.refer_externally(
        interaction=call, actor=officer, organisation="centrelink", consent=True
    )
    assert issue.status == IssueStatus.REFERRED and issue.activity == "external"
    assert issue.consent and issue.organisation == "centrelink" and "13 24 68" in issue.owner_label
    assert rows_since(before) == [("collection.issue.referred", Outcome.OK)]


def test_CMA_4_a_referral_needs_consent_and_a_known_organisation(call, officer):
    with pytest.raises(IssueRefused) as refused:
        services.refer_externally(
            interaction=call, actor=officer, organisation="centrelink", consent=False
        )
    assert [d["field"] for d in refused.value.details] == ["consent"]
    with pytest.raises(UnknownOrganisation) as unknown:
        services.refer_externally(
            interaction=call, actor=officer, organisation="ghostbusters", consent=True
        )
    assert unknown.value.field == "organisation"
    assert not PresentingIssue.objects.exists()


def test_CMA_4_all_issues_show_as_one_list_with_their_status(call, officer, customer):
    services.raise_issue(interaction=call, actor=officer, kind="payment-enquiry")
    routed = services.raise_issue(interaction=call, actor=officer, kind="estimate")
    services.refer_externally(
        interaction=call, actor=officer, organisation="legal-aid", consent=True
    )
    listed = selectors.customer_issues(officer, customer.pk)
    assert [i.status for i in listed] == ["referred", "routed", "resolved"]
    assert listed[1].intray_id == routed.intray_id and listed[1].intray.status == "open"


def test_CMA_4_the_issues_list_reads_a_fixed_number_of_queries(
    customer, officer, cases, django_assert_num_queries
):
    def raise_some(n):
        call = confirmed_call(customer, officer, line=f"q{n}")
        services.raise_issue(interaction=call, actor=officer, kind="payment-enquiry")
        services.raise_issue(interaction=call, actor=officer, kind="estimate")
        from cma.contact import services as contact

        contact.end_interaction(
            interaction=call, actor=officer, reason="completed", override_reason="Test only"
        )

    raise_some(1)
    with django_assert_num_queries(1):
        first = [i.intray and i.intray.status for i in selectors.issues_of(customer)]
    for n in range(2, 6):
        raise_some(n)
    with django_assert_num_queries(1):
        many = [
            (i.interaction.receipt, i.intray and i.intray.status)
            for i in selectors.issues_of(customer)
        ]
    assert len(first) == 2 and len(many) == 10


def test_CMA_3_a_customer_without_cases_can_still_raise_issues(officer):
    lone = CustomerFactory()
    call = confirmed_call(lone, officer, line="x1")
    issue = services.raise_issue(interaction=call, actor=officer, kind="new-application")
    assert issue.status == IssueStatus.ROUTED and issue.intray.owner_area.code == "new-customers"
