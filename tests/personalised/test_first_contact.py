"""PS-7 first contact and PS-8 after contact, through the services."""

from datetime import timedelta

import pytest

from cma.audit.models import AuditRecord, Outcome
from cma.contact import services as contact
from cma.customers.models import agency_today
from cma.errors import DomainError
from cma.notes import services as notes
from cma.notes.models import StackingDocument
from cma.notes.services._common import add_months
from cma.personalised.errors import PsRefused
from cma.personalised.models import AfterContact, FirstContact, IssueStatus, PlanState
from cma.personalised.services import after_contact, first_contact
from cma.work.models import Intray
from tests.personalised.ps_helpers import all_items, ps_plan, soon

pytestmark = pytest.mark.django_db


def _count():
    return AuditRecord.objects.count()


def _complete(plan, manager):
    fc, _ = first_contact.start_first_contact(plan=plan, actor=manager)
    first_contact.record_discussion(
        first_contact=fc,
        actor=manager,
        items_done=all_items(),
        summary="Income to be checked; care confirmed; payment arrangement to be discussed.",
        summary_acknowledged=True,
        next_contact_at=soon(),
    )
    return first_contact.complete_first_contact(first_contact=fc, actor=manager)


def test_PS_7_first_contact_links_the_open_call_and_completes_with_every_point(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    call = contact.open_interaction(
        customer=plan.customer, actor=ps_case_manager, direction="inbound", channel="phone"
    )
    before = _count()
    fc, warnings = first_contact.start_first_contact(plan=plan, actor=ps_case_manager)
    assert _count() - before == 1
    assert fc.interaction_id == call.pk and fc.restricted_check_done
    assert warnings == []
    done = _complete_existing(fc, ps_case_manager)
    assert done.completed_at is not None
    plan.refresh_from_db()
    assert {i.status for i in plan.issues.all()} == {IssueStatus.CONFIRMED}
    assert plan.versions.count() == 1
    document = StackingDocument.objects.get(customer=plan.customer)
    assert [e.note.subject for e in document.entries.order_by("position")] == [
        "PS referral",
        "PS first contact",
    ]


def _complete_existing(fc, manager):
    first_contact.record_discussion(
        first_contact=fc,
        actor=manager,
        items_done=all_items(),
        summary="Issues confirmed; options to follow.",
        summary_acknowledged=True,
        next_contact_at=soon(),
    )
    before = _count()
    done = first_contact.complete_first_contact(first_contact=fc, actor=manager)
    assert _count() - before == 1
    return done


def test_PS_7_completing_early_lists_every_unmet_point_and_writes_only_the_refusal(
    ps_case_manager,
):
    plan = ps_plan(ps_case_manager)
    fc, _ = first_contact.start_first_contact(plan=plan, actor=ps_case_manager)
    first_contact.record_discussion(
        first_contact=fc, actor=ps_case_manager, items_done=["introduction", "income-correct"]
    )
    before = _count()
    with pytest.raises(PsRefused) as refused:
        first_contact.complete_first_contact(first_contact=fc, actor=ps_case_manager)
    fields = [d["field"] for d in refused.value.details]
    messages = " ".join(d["message"] for d in refused.value.details)
    assert "Offer a warm transfer to Parent Support Services" in messages
    assert "Offer a social worker" in messages
    assert "Set clear expectations" in messages
    assert "Care correct" in messages
    assert {"summary", "summary_acknowledged", "next_contact_at"} <= set(fields)
    rows = list(AuditRecord.objects.order_by("pk").values_list("outcome", flat=True)[before:])
    assert rows == [Outcome.REFUSED]
    fc.refresh_from_db()
    assert fc.completed_at is None
    assert {i.status for i in plan.issues.all()} == {IssueStatus.RECORDED}


def test_PS_7_restricted_service_is_checked_before_any_contact(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    notes.create_restricted_service(
        customer=plan.customer,
        actor=ps_case_manager,
        allowed_channels=["post"],
        conditions="Written contact only",
        review_due_on=add_months(agency_today(), 4),
    )
    before = _count()
    with pytest.raises(DomainError) as refused:
        first_contact.start_first_contact(plan=plan, actor=ps_case_manager, channel="phone")
    assert "restricted service" in refused.value.message
    assert list(AuditRecord.objects.order_by("pk").values_list("outcome", flat=True)[before:]) == [
        Outcome.REFUSED
    ]
    assert not FirstContact.objects.exists()
    _, warnings = first_contact.start_first_contact(
        plan=plan, actor=ps_case_manager, channel="post"
    )
    assert any("Restricted service" in w for w in warnings)


def test_PS_7_only_the_customers_case_manager_records_the_first_contact(
    ps_case_manager, ps_team_leader
):
    plan = ps_plan(ps_case_manager)
    with pytest.raises(PsRefused) as refused:
        first_contact.start_first_contact(plan=plan, actor=ps_team_leader, channel="fax")
    fields = [d["field"] for d in refused.value.details]
    assert fields == ["actor", "channel"]


def test_PS_7_unknown_discussion_points_and_acknowledging_without_a_summary_are_refused(
    ps_case_manager,
):
    plan = ps_plan(ps_case_manager)
    fc, _ = first_contact.start_first_contact(plan=plan, actor=ps_case_manager)
    with pytest.raises(PsRefused) as refused:
        first_contact.record_discussion(
            first_contact=fc,
            actor=ps_case_manager,
            items_done=["made-up"],
            summary_acknowledged=True,
        )
    assert [d["field"] for d in refused.value.details] == ["items_done", "summary"]


def test_PS_8_after_contact_approves_the_plan_raises_follow_up_and_deletes_the_referral_intray(
    ps_case_manager,
):
    plan = ps_plan(ps_case_manager, segment=2)
    _complete(plan, ps_case_manager)
    before = _count()
    after = after_contact.record_after_contact(
        plan=plan,
        actor=ps_case_manager,
        products_services=["payment-options-info", "written-confirmation"],
        follow_up_type="client-call-back",
        follow_up_note="Call back with the income review outcome",
        customer_view="Believes the income used is too high",
        agreed_actions="Review the income; send written confirmation",
        agreed_contact_times="Weekday mornings",
        sensitive_kind="security-incident",
        sensitive_reason="Threatened staff at a service centre",
        sensitive_review_on=agency_today() + timedelta(days=60),
        security_incident=True,
        special_contact_details="Two officers on every call; no face-to-face without a guard",
    )
    assert _count() - before == 1
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.approved_by == ps_case_manager
    assert plan.special_contact_details.startswith("Two officers")
    plan.customer.refresh_from_db()
    assert plan.customer.special_contact_considerations.startswith("Two officers")
    referral_intray = Intray.objects.get(pk=plan.referral.intray_id)
    assert referral_intray.status == "deleted"
    assert after.follow_up_intray.type.code == "client-call-back"
    assert after.follow_up_intray.parent_id == referral_intray.pk
    assert after.sensitive_indicator.kind == "security-incident"
    assert after.products_services == ["payment-options-info", "written-confirmation"]
    assert plan.versions.count() == 2


def test_PS_8_after_contact_lists_every_unmet_condition_and_writes_nothing(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    before = _count()
    with pytest.raises(PsRefused) as refused:
        after_contact.record_after_contact(
            plan=plan,
            actor=ps_case_manager,
            products_services=["nonsense"],
            follow_up_type="add-a-child",
            follow_up_note="",
            sensitive_kind="other",
            security_incident=True,
        )
    fields = [d["field"] for d in refused.value.details]
    for expected in (
        "first_contact",
        "products_services",
        "follow_up_type",
        "follow_up_note",
        "customer_view",
        "agreed_actions",
        "agreed_contact_times",
        "sensitive_reason",
        "sensitive_review_on",
        "special_contact_details",
    ):
        assert expected in fields
    assert list(AuditRecord.objects.order_by("pk").values_list("outcome", flat=True)[before:]) == [
        Outcome.REFUSED
    ]
    assert not AfterContact.objects.exists()
    assert Intray.objects.get(pk=plan.referral.intray_id).status == "open"


def test_PS_8_PS_11_follow_up_contacts_are_written_in_the_stacking_document(ps_case_manager):
    plan = ps_plan(ps_case_manager)
    with pytest.raises(PsRefused):
        after_contact.record_follow_up_contact(
            plan=plan, actor=ps_case_manager, subject="Call about estimate", body="Discussed"
        )
    _complete(plan, ps_case_manager)
    before = _count()
    later = soon(5)
    after_contact.record_follow_up_contact(
        plan=plan,
        actor=ps_case_manager,
        subject="Call about estimate",
        body="Explained the estimate review; customer to send payslips",
        next_contact_at=later,
    )
    assert _count() - before == 1
    document = StackingDocument.objects.get(customer=plan.customer)
    assert document.entries.order_by("-position").first().note.subject == "Call about estimate"
    assert FirstContact.objects.get(plan=plan).next_contact_at == later
