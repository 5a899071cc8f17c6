"""PS-2: the actioning checklist, in order, by the right person, on time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cma.audit.models import AuditRecord
from cma.personalised import services
from cma.personalised.errors import PsRefused
from cma.personalised.models import ActioningStep, Referral
from cma.work.models import CustomerLock

from .conftest import run_checklist


def test_PS_2_step_out_of_order_is_refused_listing_every_missing_step(referral, pscm):
    before = AuditRecord.objects.count()
    with pytest.raises(PsRefused) as err:
        services.record_step(referral=referral, actor=pscm, step="create-plan")
    messages = [d["message"] for d in err.value.details]
    assert any("Lock and assign the primary customer" in m for m in messages)
    assert any("Review case history" in m for m in messages)
    assert AuditRecord.objects.count() - before == 1
    assert not ActioningStep.objects.exists()


def test_PS_2_lock_step_locks_and_assigns_to_the_case_manager(referral, pscm):
    services.record_step(referral=referral, actor=pscm, step="lock-primary")
    lock = CustomerLock.objects.get(customer=referral.primary_customer, released_at=None)
    assert lock.owner_user == pscm
    referral.refresh_from_db()
    assert referral.case_manager == pscm
    assert referral.intray.owner_user == pscm


def test_PS_2_other_case_manager_and_officer_are_refused(referral, pscm, ps_team, officer):
    services.record_step(referral=referral, actor=pscm, step="lock-primary")
    other = ps_team[2][1]
    with pytest.raises(PsRefused, match="another case manager"):
        services.record_step(referral=referral, actor=other, step="review-case-history", inputs={})
    with pytest.raises(PsRefused, match="only Personalised Services staff"):
        services.record_step(referral=referral, actor=officer, step="review-case-history")


def test_PS_2_crg_referral_needs_the_crg_record_reviewed(customer, officer, pscm):
    referral = services.create_referral(
        customer=customer,
        actor=officer,
        kind="crg-referral-to-ps",
        source="crg",
        reason="Gateway referral about collection.",
    )
    services.record_step(referral=referral, actor=pscm, step="lock-primary")
    with pytest.raises(PsRefused, match="CRG Record notepad"):
        services.record_step(
            referral=referral,
            actor=pscm,
            step="review-case-history",
            inputs={
                "reviewed": [
                    "case-and-customer",
                    "notepads-and-communication",
                    "feedback-and-review",
                    "customer-history",
                ]
            },
        )


def test_PS_2_associated_customer_adds_its_steps(case, team_leader, pscm):
    referral = services.create_referral(
        customer=case.payer,
        actor=team_leader,
        kind="ps-referral-tl-only",
        source="ombudsman",
        reason="Both parents escalating.",
        associated_customer=case.payee,
        case=case,
    )
    codes = [r["code"] for r in services.checklist(referral)]
    assert "lock-associated" in codes and "contact-associated" in codes
    run_checklist(referral, pscm)
    assert CustomerLock.objects.get(customer=case.payee, released_at=None).owner_user == pscm


def test_PS_2_segment_must_be_decided_before_recording_it(referral, pscm):
    run_checklist(referral, pscm, upto="record-segment-source-reason")
    with pytest.raises(PsRefused, match="decide the customer's segment"):
        services.record_step(
            referral=referral,
            actor=pscm,
            step="record-segment-source-reason",
            inputs={"main_reason": "assessment"},
        )


def test_PS_2_actioned_late_is_not_on_time(referral, pscm):
    Referral.objects.filter(pk=referral.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    referral.refresh_from_db()
    run_checklist(referral, pscm)
    referral.refresh_from_db()
    assert referral.state == "actioned"
    assert referral.actioned_on_time is False
