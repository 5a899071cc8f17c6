"""WRK-3: working days exclude weekends and the national and state public holidays of
the owning office's state (including substitute days)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cma.calendar.workdays import (
    STATES,
    UnknownState,
    add_working_days,
    holiday_name,
    is_working_day,
    working_days_between,
)
from cma.errors import DomainError

days = st.dates(min_value=date(1995, 1, 1), max_value=date(2060, 12, 31))
states = st.sampled_from(STATES)
steps = st.integers(min_value=-400, max_value=400)
nonzero_steps = steps.filter(lambda n: n != 0)


# --- properties ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(start=days, n=nonzero_steps, state=states)
def test_WRK_3_add_working_days_lands_on_a_working_day(start, n, state):
    result = add_working_days(start, n, state)
    assert is_working_day(result, state)
    assert (result > start) if n > 0 else (result < start)


@settings(max_examples=300, deadline=None)
@given(start=days, n=steps, state=states)
def test_WRK_3_working_days_between_inverts_add_working_days(start, n, state):
    """Holds from weekends and holidays too, in both directions."""
    assert working_days_between(start, add_working_days(start, n, state), state) == n


@settings(max_examples=200, deadline=None)
@given(start=days, n=steps, state=states)
def test_WRK_3_add_working_days_is_strictly_monotonic_in_n(start, n, state):
    assert add_working_days(start, n, state) < add_working_days(start, n + 1, state)


@settings(max_examples=200, deadline=None)
@given(start=days, n=nonzero_steps, state=states)
def test_WRK_3_negative_n_is_symmetric(start, n, state):
    """From a working day, going n forward then n back returns to it."""
    working = add_working_days(start, 1, state)
    assert add_working_days(add_working_days(working, n, state), -n, state) == working
    assert working_days_between(add_working_days(working, n, state), working, state) == -n


@settings(max_examples=200, deadline=None)
@given(a=days, b=days, state=states)
def test_WRK_3_working_days_between_counts_the_days_strictly_away_from_start(a, b, state):
    """Forward: working days in (a, b]; backward: minus those in [b, a)."""
    lo, hi = min(a, b), max(a, b)
    if (hi - lo).days > 60:
        b = a + timedelta(days=60) if b > a else a - timedelta(days=60)
        lo, hi = min(a, b), max(a, b)
    span = [lo + timedelta(days=k) for k in range((hi - lo).days + 1)]
    if a <= b:
        expected = sum(is_working_day(d, state) for d in span if a < d <= b)
    else:
        expected = -sum(is_working_day(d, state) for d in span if b <= d < a)
    assert working_days_between(a, b, state) == expected


@settings(max_examples=100, deadline=None)
@given(a=days, b=days, state=states)
def test_WRK_3_working_days_between_is_antisymmetric_between_working_days(a, b, state):
    a, b = add_working_days(a, 1, state), add_working_days(b, 1, state)
    assert working_days_between(a, b, state) == -working_days_between(b, a, state)


@settings(max_examples=100, deadline=None)
@given(day=days, state=states)
def test_WRK_3_weekends_are_never_working_days(day, state):
    if day.weekday() >= 5:
        assert not is_working_day(day, state)


def test_WRK_3_zero_days_returns_the_start_even_on_a_weekend():
    saturday = date(2026, 11, 21)
    assert add_working_days(saturday, 0, "NSW") == saturday


def test_WRK_3_negative_from_a_saturday_is_the_friday_before():
    saturday = date(2026, 11, 21)
    assert add_working_days(saturday, -1, "NSW") == date(2026, 11, 20)
    assert working_days_between(saturday, date(2026, 11, 20), "NSW") == -1


# --- Christmas and New Year (substitute days) -------------------------------------


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(
    "day",
    [
        date(2021, 12, 27),
        date(2021, 12, 28),
        date(2022, 1, 3),
        date(2022, 12, 26),
        date(2022, 12, 27),
    ],
)
def test_WRK_3_christmas_and_new_year_substitute_days_are_not_working_days(day, state):
    """2021: Christmas and Boxing Day fell on a weekend, so Mon 27 and Tue 28 Dec are
    holidays; 1 Jan 2022 was a Saturday, so Mon 3 Jan is. 2022: Christmas was a Sunday,
    so Mon 26 and Tue 27 Dec are holidays (under each state's own name)."""
    assert not is_working_day(day, state)


def test_WRK_3_christmas_2021_steps_over_the_whole_break():
    # Fri 24 Dec 2021 + 1 working day: 25-28 are weekend or holidays -> Wed 29 Dec.
    assert add_working_days(date(2021, 12, 24), 1, "NSW") == date(2021, 12, 29)
    # Fri 31 Dec + 1: Sat 1, Sun 2, Mon 3 (New Year substitute) -> Tue 4 Jan 2022.
    assert add_working_days(date(2021, 12, 31), 1, "NSW") == date(2022, 1, 4)
    assert working_days_between(date(2021, 12, 24), date(2022, 1, 4), "NSW") == 4
    assert holiday_name(date(2021, 12, 27), "NSW") == "Christmas Day (observed)"


def test_WRK_3_christmas_2022_substitute_day():
    # Fri 23 Dec 2022 + 1: Sat, Sun Christmas, Mon Boxing Day, Tue substitute -> Wed 28.
    assert add_working_days(date(2022, 12, 23), 1, "VIC") == date(2022, 12, 28)
    assert "observed" in holiday_name(date(2022, 12, 27), "VIC")


# --- state-only holidays -------------------------------------------------------------


@pytest.mark.parametrize(
    "cup_day", [date(2021, 11, 2), date(2022, 11, 1), date(2025, 11, 4), date(2026, 11, 3)]
)
def test_WRK_3_melbourne_cup_day_is_a_holiday_in_vic_only(cup_day):
    assert cup_day.weekday() == 1 and cup_day.day <= 7  # first Tuesday of November
    assert not is_working_day(cup_day, "VIC")
    for state in set(STATES) - {"VIC"}:
        assert is_working_day(cup_day, state), state
    monday = cup_day - timedelta(days=1)
    assert add_working_days(monday, 1, "VIC") == cup_day + timedelta(days=1)
    assert add_working_days(monday, 1, "NSW") == cup_day


def test_WRK_3_western_australia_day_in_wa_only():
    wa_day = date(2025, 6, 2)  # first Monday in June
    assert holiday_name(wa_day, "WA") == "Western Australia Day"
    assert not is_working_day(wa_day, "WA")
    assert is_working_day(wa_day, "NSW")
    friday = date(2025, 5, 30)
    assert add_working_days(friday, 1, "WA") == date(2025, 6, 3)
    assert add_working_days(friday, 1, "NSW") == wa_day


@pytest.mark.parametrize(
    ("state", "labour_day", "working_elsewhere"),
    [
        ("WA", date(2025, 3, 3), ["NSW", "VIC", "QLD"]),
        ("VIC", date(2025, 3, 10), ["NSW", "WA", "QLD"]),
        ("QLD", date(2025, 5, 5), ["NSW", "VIC", "WA"]),
        ("NSW", date(2025, 10, 6), ["VIC", "WA"]),
    ],
)
def test_WRK_3_labour_day_differs_by_state(state, labour_day, working_elsewhere):
    assert "Labo" in holiday_name(labour_day, state)
    assert not is_working_day(labour_day, state)
    for other in working_elsewhere:
        assert is_working_day(labour_day, other), other


def test_WRK_3_a_ten_working_day_span_differs_between_states():
    """Two offices given the same service level get different due dates."""
    start = date(2025, 10, 31)  # Friday before Melbourne Cup week
    assert add_working_days(start, 5, "NSW") == date(2025, 11, 7)
    assert add_working_days(start, 5, "VIC") == date(2025, 11, 10)


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["XYZ", "", "New South Wales", "NZ"])
def test_WRK_3_unknown_state_is_an_error(bad):
    with pytest.raises(UnknownState) as info:
        add_working_days(date(2026, 1, 5), 1, bad)
    assert isinstance(info.value, DomainError)
    assert info.value.field == "state"
    with pytest.raises(UnknownState):
        is_working_day(date(2026, 1, 5), bad)
    with pytest.raises(UnknownState):
        working_days_between(date(2026, 1, 5), date(2026, 1, 9), bad)
    with pytest.raises(UnknownState):
        holiday_name(date(2026, 1, 5), bad)


def test_WRK_3_state_codes_are_case_insensitive():
    assert add_working_days(date(2025, 11, 3), 1, "vic") == date(2025, 11, 5)


def test_WRK_3_long_spans_across_many_years():
    start = date(2000, 1, 4)  # Mon 3 Jan 2000 was New Year's Day observed
    far = add_working_days(start, 5000, "ACT")
    assert far.year >= 2019
    assert working_days_between(start, far, "ACT") == 5000
    assert add_working_days(far, -5000, "ACT") == start
