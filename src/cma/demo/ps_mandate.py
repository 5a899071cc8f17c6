"""Demo PS mandate (PS-12): a specialist's decision on a case of the demo PS customer
(index 22, locked to the PS case manager) with a consultation requested, so the case
manager has an intray due today and the decision's mandate page has a form to fill in.
Idempotent: skipped once any consultation exists."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from cma.customers.models import Case, Customer, agency_today
from cma.decisions import services as decisions
from cma.demo.core import _crn
from cma.personalised.models import PsConsultation
from cma.personalised.services import mandate as services

PS_CUSTOMER = 22


def load_ps_mandate() -> int:
    if PsConsultation.objects.exists():
        return 0
    specialist = get_user_model().objects.filter(username="specialist").first()
    customer = Customer.objects.filter(crn=_crn(PS_CUSTOMER)).first()
    if specialist is None or customer is None:
        return 0
    case = (
        Case.objects.select_related("payer", "payee")
        .filter(Q(payer=customer) | Q(payee=customer))
        .order_by("pk")
        .first()
    )
    if case is None:
        return 0
    decision = decisions.create_decision(
        case=case,
        actor=specialist,
        kind="estimate",
        reasons="The estimate of income no longer reflects the income earned this year.",
        effective_on=agency_today(),
    )
    services.request_consultation(decision=decision, customer=customer, actor=specialist)
    return 1
