"""What contact tells the one door (cma.customers.access): the officer answering an
attested inbound call (opened by the telephony platform, not by the officer) whose
caller's identity they then confirmed has need-to-know for that customer while the
call lasts — the second way in besides break the glass. It ends with the call."""

from typing import Any

from cma.customers import access
from cma.customers.models import Customer

from .models import Identity, Interaction

GRANT = "confirmed-call"


def on_confirmed_call(actor: Any, customer: Customer) -> str | None:
    live = Interaction.objects.filter(
        officer_id=actor.pk,
        customer=customer,
        attested=True,
        identity=Identity.CONFIRMED,
        ended_at=None,
    )
    return GRANT if live.exists() else None


def register() -> None:
    access.GRANT_PROVIDERS.append(on_confirmed_call)
