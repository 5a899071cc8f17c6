"""Working days by Australian state or territory (WRK-3).

Holidays come from the `holidays` package (national and state days, including
substitute days). Each state's working days are precomputed once per span of years
as a sorted list of ordinals, so every question is a bisect, not a day-by-day loop.
"""

import bisect
import threading
from datetime import date

import holidays

from cma.errors import ValidationFailed

STATES = ("ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA")
_SPAN = 10  # years computed per extension


class UnknownState(ValidationFailed, ValueError):
    code = "unknown-state"

    def __init__(self, state: object) -> None:
        super().__init__(f"unknown Australian state or territory {state!r}", field="state")


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
        raise UnknownState(state)
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
    o = start.toordinal()
    while True:
        cal = _calendar(state, start.year - span_years, start.year + span_years)
        if n > 0:
            i = bisect.bisect_right(cal.days, o) + n - 1
        else:
            i = bisect.bisect_left(cal.days, o) + n
        # Never let a negative index wrap round to the end of the list.
        if 0 <= i < len(cal.days):
            return date.fromordinal(cal.days[i])
        if span_years > 10_000:
            raise ValidationFailed("date is outside the calendar's range", field="start")
        span_years *= 2


def working_days_between(start: date, end: date, state: str) -> int:
    """Working days d with start < d <= end; when end is before start, minus the working
    days d with end <= d < start. Counting from the side away from `start` keeps
    working_days_between(s, add_working_days(s, n)) == n for every n, including a
    negative n from a weekend or holiday `start`."""
    cal = _calendar(state, min(start.year, end.year), max(start.year, end.year))
    s, e = start.toordinal(), end.toordinal()
    if e < s:
        return -(bisect.bisect_left(cal.days, s) - bisect.bisect_left(cal.days, e))
    return bisect.bisect_right(cal.days, e) - bisect.bisect_right(cal.days, s)


def holiday_name(day: date, state: str) -> str | None:
    code = (state or "").upper()
    if code not in STATES:
        raise UnknownState(state)
    return holidays.Australia(subdiv=code, years=day.year).get(day)
