"""A customer's time zone comes from where they live (CON-13): an Australian resident's
from their state, anyone else's from their country (ISO 3166 code) through the IANA
time zone database's country table (`zone.tab`, shipped with the system's zoneinfo or
the `tzdata` package): Norfolk Island (NF) Pacific/Norfolk, the United Kingdom (GB)
Europe/London, New Zealand (NZ) Pacific/Auckland. A country with several zones uses the
customer's recorded `time_zone` when it is one of that country's zones, else the
country's principal zone: the table's first (US: America/New_York), except where most
people live elsewhere (`PRINCIPAL_ZONES`). Nobody overseas is ever given an
Australian zone.
"""

import importlib.resources
import zoneinfo
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

STATE_TIMEZONES = {
    "ACT": "Australia/Sydney",
    "NSW": "Australia/Sydney",
    "VIC": "Australia/Melbourne",
    "TAS": "Australia/Hobart",
    "QLD": "Australia/Brisbane",
    "SA": "Australia/Adelaide",
    "NT": "Australia/Darwin",
    "WA": "Australia/Perth",
}
AGENCY_ZONE = "Australia/Canberra"
# Multi-zone countries whose first zone in zone.tab (the easternmost) is not where most
# of their people live.
PRINCIPAL_ZONES = {
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


def _zone_table() -> str:
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return (importlib.resources.files("tzdata.zoneinfo") / "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        raise ImproperlyConfigured(
            "no IANA zone.tab found: install the system's tzdata or the tzdata package"
        ) from None


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    zones: dict[str, list[str]] = {}
    for line in _zone_table().splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone, *_ = line.split("\t")
            zones.setdefault(country, []).append(zone)
    return {country: tuple(found) for country, found in zones.items()}


def country_zones(country: str) -> tuple[str, ...]:
    """The IANA zones of a country, principal first; empty for an unknown code."""
    return _zones_by_country().get((country or "").upper(), ())


def zone_for(*, country: str, state: str = "", time_zone: str = "") -> str:
    """Where the customer lives decides the zone; `time_zone` only chooses among the
    zones of their country (a stale one from a former country is ignored)."""
    country = (country or "AU").upper()
    zones = country_zones(country)
    if time_zone and time_zone in zones:
        return time_zone
    if country == "AU":
        return STATE_TIMEZONES.get(state, AGENCY_ZONE)
    if zones:
        principal = PRINCIPAL_ZONES.get(country)
        return principal if principal in zones else zones[0]
    # A country the table does not know (none today): say so rather than guess.
    return "UTC"


def time_zone_problem(*, country: str, time_zone: str) -> str | None:
    """Why `time_zone` cannot be recorded for someone living in `country`, or None."""
    if not time_zone:
        return None
    if time_zone not in zoneinfo.available_timezones():
        return f"{time_zone!r} is not an IANA time zone"
    if time_zone not in country_zones(country):
        return f"{time_zone} is not a time zone of {country}"
    return None


def local_time(zone: str, now: datetime | None = None) -> datetime:
    """The time now where the customer lives."""
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(zone))
