"""Demo Personalised Services contact (PS-7..PS-11), on the plans the PS core's demo step
made for Priya (pscm): the draft plan's first contact under way, and the approved plan
with a face-to-face request and a UQ140.01 skip waiting for Paul (pstl). Idempotent:
skipped once any first contact exists."""

from django.contrib.auth import get_user_model

from cma.personalised.models import FirstContact, PlanState, PsPlan
from cma.personalised.services import face_to_face, first_contact, ps_letters


def _plan(manager, state: str) -> PsPlan | None:
    """Priya's earliest plan in `state` with its segment decided and none pending (the
    checklist done: what an approval after the first contact needs, PS-4)."""
    return (
        PsPlan.objects.filter(case_manager=manager, state=state, segment__isnull=False)
        .exclude(segment_decisions__approval="pending")
        .order_by("pk")
        .first()
    )


def load_ps_contact() -> None:
    manager = get_user_model().objects.filter(username="pscm").first()
    if manager is None or FirstContact.objects.exists():
        return
    draft, approved = _plan(manager, PlanState.DRAFT), _plan(manager, PlanState.APPROVED)
    if draft is None or approved is None:
        return
    contact, _ = first_contact.start_first_contact(plan=draft, actor=manager, channel="phone")
    first_contact.record_discussion(
        first_contact=contact,
        actor=manager,
        items_done=["introduction", "confirm-issues", "income-correct"],
    )
    face_to_face.request_face_to_face(
        plan=approved,
        actor=manager,
        reason="Complex issues; phone contact has not worked",
        security_risks=True,
        security_risk_notes="Raised voice at the counter last year",
    )
    ps_letters.request_letter_skip(
        plan=approved, actor=manager, reason="A single straightforward issue"
    )
