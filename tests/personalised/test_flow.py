"""PS-1..PS-6 end to end through the services."""

from cma.audit.models import AuditRecord
from cma.notes.models import StackingDocument
from cma.personalised import services
from cma.personalised.models import ActivityEntry, PsPlan, ReferralState

from .conftest import run_checklist


def test_PS_2_checklist_runs_and_actions_on_time(referral, pscm):
    """PS-2: every step recorded with who and when; actioned on time."""
    run_checklist(referral, pscm)
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACTIONED
    assert referral.actioned_on_time is True
    rows = services.checklist(referral)
    assert all(r["done"] and r["done_by"] == pscm for r in rows)
    plan = PsPlan.objects.get(customer=referral.primary_customer)
    assert plan.issues.count() == 5
    doc = StackingDocument.objects.get(customer=referral.primary_customer, purpose="ps")
    first = doc.entries.order_by("position").first()
    assert first.note.subject == "PS referral"
    assert "Ombudsman enquiry" in first.note.body
    assert ActivityEntry.objects.filter(kind="referral-actioned", referral=referral).exists()
    assert AuditRecord.objects.filter(action="personalised.referral.step").count() == len(rows)
