"""The one check for free text stored on a customer's record: the personal-information
guard (DOC-3) and, when a party of one of the customer's cases is at risk, their
protected details (DOC-6). One refusal lists every finding in every field."""

from collections.abc import Iterable

from django.db.models import Q

from cma.customers.models import Case, Child, Customer

from .guard import Party, child_party, party_of, refusal, scan, spans_of
from .separating import Protected, withheld_for


def parties_for(customer: Customer, case: Case | None = None) -> list[Party]:
    """Whose details free text on `customer` may not carry: the customer, the parties
    of the case (or of all their cases) and those cases' children."""
    cases = (
        [case]
        if case is not None
        else list(Case.objects.filter(Q(payer=customer) | Q(payee=customer)))
    )
    ids = {customer.pk} | {c.payer_id for c in cases} | {c.payee_id for c in cases}
    people = Customer.objects.filter(pk__in=ids).prefetch_related("phones", "alternative_contacts")
    parties = [party_of(p) for p in people]
    parties += [child_party(ch) for ch in Child.objects.filter(case__in=[c.pk for c in cases])]
    return parties


def check_free_text(
    values: dict[str, str],
    *,
    customer: Customer,
    case: Case | None = None,
    allowed: Iterable[str] = (),
    exempt: Iterable[str] = (),
    protected: Protected | None = None,
) -> None:
    """Refuse (PersonalInformationFound, or ProtectedDetailsFound when an at-risk
    party's detail is among the findings) if any field holds personal information.

    `allowed`: exact values a macro lets other fields repeat; `exempt`: fields the
    DOC-3 scan skips (a macro's allowed personal information). Neither excuses a
    Separating Safely finding: nothing lets an at-risk party's street, town, postcode
    or number onto the other party's record. `protected` may be passed when the
    caller already holds `withheld_for(customer)`."""
    values = {name: text for name, text in values.items() if text}
    if not values:
        return
    parties = parties_for(customer, case)
    protected = withheld_for(customer) if protected is None else protected
    allowed, exempt = list(allowed), set(exempt)
    found = []
    for name, text in values.items():
        general = [] if name in exempt else scan(text, parties=parties, allowed=allowed)
        found += [(name, f) for f in spans_of(text, protected.find(text) + general)]
    if found:
        raise refusal(found)
