"""Working days by Australian state or territory (WRK-3).

Holidays come from the `holidays` package (national and state days, including
substitute days). Each state's working days are precomputed once per span of years
as a sorted list of ordinals, so every question is a bisect, not a day-by-day loop.
"""

import bisect
import threading
from datetime import date

import holidays

STATES = ("ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA")
_SPAN = 10  # years computed per extension


class UnknownState(ValueError):
    pass


class _StateCalendar:
    def __init__(self, state: str) -> None:
        self.state = state
        self.first_year = self.last_year = 0
        self.days: list[int] = []
        self._lock = threading.Lock()

    def _build(self, first: int, last: int) -> None:
        hol = holidays.Australia(subdiv=self.state, years=range(first, last + 1))
        start, end = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
        self.days = [
            o
            for o in range(start, end + 1)
            if date.fromordinal(o).weekday() < 5 and date.fromordinal(o) not in hol
        ]
        self.first_year, self.last_year = first, last

    def ensure(self, year_lo: int, year_hi: int) -> None:
        if self.days and self.first_year <= year_lo and year_hi <= self.last_year:
            return
        with self._lock:
            if self.days:
                lo, hi = min(year_lo, self.first_year), max(year_hi, self.last_year)
            else:
                lo, hi = year_lo - 1, year_hi + _SPAN
            self._build(max(lo, 1), min(hi, 9998))


_calendars: dict[str, _StateCalendar] = {}


def _calendar(state: str, *years: int) -> _StateCalendar:
    code = (state or "").upper()
    if code not in STATES:
        raise UnknownState(f"unknown Australian state or territory {state!r}")
    cal = _calendars.setdefault(code, _StateCalendar(code))
    cal.ensure(min(years), max(years))
    return cal


def is_working_day(day: date, state: str) -> bool:
    cal = _calendar(state, day.year)
    i = bisect.bisect_left(cal.days, day.toordinal())
    return i < len(cal.days) and cal.days[i] == day.toordinal()


def add_working_days(start: date, n: int, state: str) -> date:
    """The n-th working day after `start` (before it when n < 0); n == 0 gives `start`."""
    if n == 0:
        return start
    # Enough slack for n working days either way: 5 of every 7 days, less holidays.
    span_years = abs(n) // 200 + 1
    cal = _calendar(state, start.year - span_years, start.year + span_years)
    o = start.toordinal()
    if n > 0:
        i = bisect.bisect_right(cal.days, o) + n - 1
    else:
        i = bisect.bisect_left(cal.days, o) + n
    return date.fromordinal(cal.days[i])


def working_days_between(start: date, end: date, state: str) -> int:
    """Working days d with start < d <= end (negative when end is before start), so
    that working_days_between(s, add_working_days(s, n)) == n."""
    if end < start:
        return -working_days_between(end, start, state)
    cal = _calendar(state, start.year, end.year)
    return bisect.bisect_right(cal.days, end.toordinal()) - bisect.bisect_right(
        cal.days, start.toordinal()
    )


def holiday_name(day: date, state: str) -> str | None:
    return holidays.Australia(subdiv=state.upper(), years=day.year).get(day)
