"""How to contact a customer, in agreement with their restricted service (DOC-7).

Every contact detail on record (phone numbers, email address, postal address) is a
route by one or more channels (a mobile: phone or SMS). Under an active restricted
service the routes the arrangement allows come first and the others are kept, marked
"not to be used": hiding them would let an officer take a number or address the
customer gives as new, and a caller calling from a barred number must be recognised.
The preferred contact shown (banner, panel, API) is the recorded preference when the
arrangement allows it, else the first allowed channel; the services keep the recorded
one allowed (`align_preference`), so the two differ only for records made before.
"""

from dataclasses import dataclass, field

from cma import formats
from cma.customers.contact_rules import channel_label, describe, register_allowed_channels
from cma.customers.models import ContactMethod, Customer

from .models import RestrictedService

NOT_TO_BE_USED = "not to be used"


@dataclass(frozen=True)
class Route:
    kind: str  # "Mobile", "Home", "Email", "Post", ...
    value: str  # the number, address or email
    channels: tuple[str, ...]  # what it can be used for: phone, sms, email, post
    usable: tuple[str, ...]  # of those, what the arrangement allows
    preferred: bool = False

    @property
    def allowed(self) -> bool:
        return bool(self.usable)

    @property
    def note(self) -> str:
        """ "" when every channel is allowed, "SMS only", or "not to be used"."""
        if not self.usable:
            return NOT_TO_BE_USED
        if self.usable != self.channels:
            return f"{describe(self.usable)} only"
        return ""


@dataclass(frozen=True)
class ContactDetails:
    routes: list[Route]  # allowed first
    preferred: str  # the effective preferred channel ("" when none is allowed)
    recorded_preference: str
    allowed_channels: list[str] | None = None  # None: no restricted service
    overridden: bool = field(default=False)

    @property
    def preferred_label(self) -> str:
        return channel_label(self.preferred).capitalize() if self.preferred else "None allowed"

    @property
    def restricted(self) -> bool:
        return self.allowed_channels is not None


def _routes(customer: Customer) -> list[tuple[str, str, tuple[str, ...], bool]]:
    """(kind, value, channels, preferred) for every detail on record; `phones` may be
    prefetched."""
    found = []
    for phone in customer.phones.all():
        channels: tuple[str, ...] = ("phone", "sms") if phone.kind == "mobile" else ("phone",)
        number = formats.phone(phone.number)
        found.append((phone.get_kind_display(), number, channels, phone.is_preferred))
    if customer.email:
        found.append(("Email", customer.email, ("email",), False))
    if customer.address_line:
        address = f"{customer.address_line}, {customer.locality} {customer.postcode}".strip()
        found.append(("Post", address, ("post",), False))
    return found


def effective_preference(recorded: str, allowed: list[str] | None) -> str:
    """The recorded preference if allowed, else the first allowed contact method."""
    if allowed is None or recorded in allowed:
        return recorded
    return next((c for c in allowed if c in ContactMethod.values), "")


def contact_details(customer: Customer, restriction: RestrictedService | None) -> ContactDetails:
    allowed = list(restriction.allowed_channels) if restriction is not None else None
    preferred = effective_preference(customer.preferred_contact_method, allowed)
    routes = []
    for kind, value, channels, is_preferred in _routes(customer):
        usable = channels if allowed is None else tuple(c for c in channels if c in allowed)
        routes.append(Route(kind, value, channels, usable, is_preferred and bool(usable)))
    # Allowed first, each group in the order recorded (sorted is stable).
    routes.sort(key=lambda r: not r.allowed)
    return ContactDetails(
        routes=routes,
        preferred=preferred,
        recorded_preference=customer.preferred_contact_method,
        allowed_channels=allowed,
        overridden=preferred != customer.preferred_contact_method,
    )


def align_preference(customer: Customer, allowed: list[str]) -> dict[str, str] | None:
    """Make the customer's recorded preference one the arrangement allows, preferring a
    channel with a detail on record. Returns the change for the audit row, or None.
    Call inside the service's transaction."""
    recorded = customer.preferred_contact_method
    if recorded in allowed:
        return None
    on_record = {c for _, _, channels, _ in _routes(customer) for c in channels}
    methods = [c for c in allowed if c in ContactMethod.values]
    choice = next((c for c in methods if c in on_record), methods[0] if methods else None)
    if choice is None:
        return None  # only face to face or online: no preference to record
    Customer.objects.filter(pk=customer.pk).update(preferred_contact_method=choice)
    customer.preferred_contact_method = choice
    return {"from": recorded, "to": choice}


def allowed_channels_of(customer_ids: list[int]) -> dict[int, list[str]]:
    rows = RestrictedService.objects.filter(customer_id__in=customer_ids, ended_at=None)
    return dict(rows.values_list("customer_id", "allowed_channels"))


def register() -> None:
    register_allowed_channels(allowed_channels_of)
