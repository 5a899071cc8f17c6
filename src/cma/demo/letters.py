"""Demo letters: a few issued letters so the customer page's letters panel and
downloads have something to show. Idempotent: skipped once any letter exists."""

from django.contrib.auth import get_user_model

from cma.customers.models import Customer
from cma.letters.models import Letter
from cma.letters.services import issue_letter


def load_letters() -> int:
    if Letter.objects.exists():
        return 0
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["officer", "pscm"])
    }
    if len(users) < 2:
        return 0
    local = list(Customer.objects.filter(country="AU").exclude(address_line="").order_by("crn")[:3])
    overseas = Customer.objects.exclude(country__in=["AU", "NF"]).order_by("crn").first()
    plans = [
        (users["officer"], local[0], "MX1-1",
         {"reason": "income-details", "request_type": "information-request"}, False),
        (users["officer"], local[1], "DEC-1",
         {"decision_summary": "Your child support stays at the same amount each month.",
          "review_options": "You can ask us to look at it again by lodging an objection "
                            "within 28 days of this letter."}, None),
        (users["pscm"], local[2], "UQ140.00", {}, None),
    ]  # fmt: skip
    if overseas is not None:
        plans.append(
            (users["officer"], overseas, "MX0-1",
             {"reason": "We need to check your income details for this year."}, None)
        )  # fmt: skip
    for actor, customer, code, fields, flag in plans:
        issue_letter(
            customer=customer,
            template_code=code,
            fields=fields,
            actor=actor,
            employer_notice_outstanding=flag,
        )
    return len(plans)
