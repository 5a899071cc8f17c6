"""How the contact pages word what they show: the contact needs (CON-13, CON-14) as
summary-list rows, and a call's running time."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from cma import formats
from cma.customers.models import PhoneType, RelayNeed


def wall_clock(moment: datetime) -> str:
    """The time as the clock reads where `moment` is zoned ("6:36 pm, 1 Dec 2026"):
    the formats would turn an aware time into the agency's."""
    wall = moment.replace(tzinfo=None)
    return f"{formats.time_of_day(wall)}, {formats.day(wall)}"


def needs_rows(needs: dict[str, Any]) -> list[dict[str, Any]]:
    """Label, value and whether it calls for attention, in the order an officer reads
    them before dialling. Nothing here is about the case (CON-9)."""
    relay = needs.get("relay_need") or ""
    if needs.get("remote"):
        where = "Remote: special contact considerations apply"
    elif needs.get("overseas"):
        where = "Overseas"
    else:
        where = "In Australia"
    callable_now = bool(needs.get("callable_now"))
    hours = needs.get("call_hours", "")
    return [
        {
            "key": "interpreter",
            "label": "Interpreter",
            "value": f"Needed: {needs['interpreter_language']}"
            if needs.get("interpreter_language")
            else "Not needed",
            "flag": bool(needs.get("interpreter_language")),
        },
        {
            "key": "relay",
            "label": "Relay service",
            "value": f"Uses the {RelayNeed(relay).label}" if relay else "None recorded",
            "flag": bool(relay),
        },
        {
            "key": "where",
            "label": "Remote or overseas",
            "value": where,
            "flag": bool(needs.get("remote") or needs.get("overseas")),
        },
        {
            "key": "local-time",
            "label": "Their local time",
            "value": f"{wall_clock(needs['local_time'])} ({needs.get('zone', '')})",
            "flag": False,
        },
        {
            "key": "callable",
            "label": "Call now?",
            "value": f"Yes: within {hours} their time"
            if callable_now
            else f"No: outside {hours} their time",
            "flag": not callable_now,
        },
    ]


def duration(span: timedelta) -> str:
    """What the call timer shows: "4:07" or "1:02:09"."""
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def identity_need(questions: list[Any], min_matches: int, required: list[str]) -> str:
    """The rule in words, from policy data: "At least 3 answers must match, including
    date of birth"."""
    labels = {q.code: q.label.lower() for q in questions}
    named = " and ".join(labels.get(code, code) for code in required)
    including = f", including {named}" if named else ""
    return f"At least {min_matches} answers must match{including}."


def clock(moment: datetime) -> str:
    """The agency's time to the second ("10:02:43 am"): the 30 seconds on hold."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d}:{local.second:02d} {'am' if local.hour < 12 else 'pm'}"


LINE_TYPES = {
    "fixed-line": "landline",
    "mobile": "mobile",
    "fixed-line-or-mobile": "landline or mobile",
    "toll-free": "free call",
    "unknown": "type not known",
}


def dial_rows(plan: Any) -> list[dict[str, Any]]:
    """Each number of a `dialling.DialPlan` as the officer dials it (CON-13): never a
    number guessed at, only what the numbering plan says."""
    kinds = dict(PhoneType.choices)
    rows = []
    for d in plan.dials:
        flags = []
        if d.preferred:
            flags.append("Preferred")
        if d.norfolk_island:
            flags.append("Norfolk Island: special contact and remote")
        elif d.international:
            flags.append(f"International ({d.region})" if d.region else "International")
        rows.append(
            {
                "kind": kinds.get(d.kind, d.kind),
                "line_type": LINE_TYPES.get(d.line_type, d.line_type.replace("-", " ")),
                "dial": d.dial,
                "flags": flags,
            }
        )
    return rows


def next_callable_text(plan: Any) -> str:
    """ "Yes" while within reasonable local hours, else when calling is next suggested,
    as their clock reads and as ours does."""
    if plan.callable_from is None:
        return f"Yes: it is {wall_clock(plan.needs['local_time'])} their time"
    there = plan.callable_from.astimezone(ZoneInfo(plan.needs["zone"]))
    ours = formats.time_of_day(plan.callable_from)
    return (
        f"No: next from {wall_clock(there)} their time "
        f"({ours}, {formats.day(plan.callable_from)} here)"
    )
