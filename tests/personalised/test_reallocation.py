"""PS-3: request -> PSTL decision -> receiving PSTL locks and assigns."""

import pytest

from cma.audit.models import AuditRecord
from cma.calendar.workdays import add_working_days
from cma.customers.models import agency_today
from cma.notes.models import StackingDocument
from cma.personalised import services
from cma.personalised.errors import PsRefused
from cma.personalised.models import PsPlan, Referral
from cma.work.models import CustomerLock

from .conftest import run_checklist


def test_PS_3_reallocation_end_to_end(referral, pscm, pstl, receiving_team):
    run_checklist(referral, pscm)
    customer = referral.primary_customer
    team, leader, (receiver,) = receiving_team
    before = AuditRecord.objects.count()
    request = services.request_reallocation(
        customer=customer, actor=pscm, reason_code="interstate-face-to-face"
    )
    assert AuditRecord.objects.count() - before == 1
    with pytest.raises(PsRefused, match="receiving PS team"):
        services.decide_reallocation(reallocation=request, actor=pstl, approve=True)
    services.decide_reallocation(
        reallocation=request, actor=pstl, approve=True, receiving_team=team
    )
    with pytest.raises(PsRefused, match="receiving PS Team Leader"):
        services.assign_reallocated(reallocation=request, actor=pstl, case_manager=receiver)
    done = services.assign_reallocated(reallocation=request, actor=leader, case_manager=receiver)
    assert done.state == "assigned"
    assert done.assigned_intray.type.code == "customer-assigned-to-ps"
    assert done.assigned_intray.owner_user == receiver
    assert done.assigned_intray.due_on == add_working_days(agency_today(), 7, "QLD")
    assert CustomerLock.objects.get(customer=customer, released_at=None).owner_user == receiver
    assert PsPlan.objects.get(customer=customer).case_manager == receiver
    new = Referral.objects.get(from_reallocation=done)
    assert new.kind == "customer-assigned-to-ps" and new.case_manager == receiver
    referral.refresh_from_db()
    assert referral.state == "reallocated"
    subjects = list(
        StackingDocument.objects.get(customer=customer, purpose="ps")
        .entries.order_by("position")
        .values_list("note__subject", flat=True)
    )
    assert {"Reallocation request", "Reallocation decision", "Customer reallocated"} <= set(
        subjects
    )
    # The receiving case manager actions the new referral on the existing plan.
    run_checklist(new, receiver)
    new.refresh_from_db()
    assert new.state == "actioned"


def test_PS_3_request_needs_a_known_reason_and_the_case_manager(referral, pscm, ps_team):
    run_checklist(referral, pscm, upto="create-stacking-document")
    other = ps_team[2][1]
    with pytest.raises(PsRefused) as err:
        services.request_reallocation(
            customer=referral.primary_customer, actor=other, reason_code="bored"
        )
    messages = " ".join(d["message"] for d in err.value.details)
    assert "case manager asks" in messages and "choose a reason" in messages
    with pytest.raises(PsRefused, match="explain the reason"):
        services.request_reallocation(
            customer=referral.primary_customer, actor=pscm, reason_code="other"
        )


def test_PS_3_case_manager_cannot_decide(referral, pscm):
    run_checklist(referral, pscm, upto="create-stacking-document")
    request = services.request_reallocation(
        customer=referral.primary_customer, actor=pscm, reason_code="conflict-of-interest"
    )
    with pytest.raises(PsRefused, match="PS Team Leader decides"):
        services.decide_reallocation(reallocation=request, actor=pscm, approve=False, comment="x")
