"""Which contact channels a customer's arrangement allows (DOC-7). The restricted
service is recorded by a higher app (`notes`), which registers the source in its
`AppConfig.ready`; without it every question here fails loudly rather than treating
every customer as unrestricted."""

from collections.abc import Callable, Iterable

from .models import ContactMethod

# customer ids -> the allowed channels of each customer under an active restriction
# (customers without one are left out).
AllowedChannels = Callable[[list[int]], dict[int, list[str]]]
_source: AllowedChannels | None = None


def register_allowed_channels(source: AllowedChannels) -> None:
    global _source
    _source = source


def restricted_channels(customer_ids: Iterable[int]) -> dict[int, list[str]]:
    """The allowed channels of those of these customers under restricted service."""
    if _source is None:
        raise RuntimeError(
            "no restricted-service source registered (cma.notes registers it when installed)"
        )
    ids = [i for i in dict.fromkeys(customer_ids) if i is not None]
    return _source(ids) if ids else {}


def channel_label(channel: str) -> str:
    """ "email" -> "email", "face-to-face" -> "face to face"."""
    if channel in ContactMethod.values:
        return ContactMethod(channel).label.lower().replace("sms", "SMS")
    return channel.replace("-", " ")


def describe(channels: Iterable[str]) -> str:
    return ", ".join(channel_label(c) for c in channels)
