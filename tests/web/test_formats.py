"""One way to write each kind of value on every page, letter and message (cma.formats,
`{% load cma_format %}`): dates "1 Dec 2026", times "6:36 pm", money "$16,519.00",
phone numbers national for Australia and international elsewhere."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.template import Context, Template

from cma import formats


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 12, 1), "1 Dec 2026"),
        (date(2027, 9, 30), "30 Sep 2027"),
        # An aware datetime is the agency's day (Canberra, UTC+11 in summer).
        (datetime(2026, 11, 30, 14, 0, tzinfo=UTC), "1 Dec 2026"),
        (None, ""),
    ],
)
def test_dates(value, expected):
    assert formats.day(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 12, 1, 7, 36, tzinfo=UTC), "6:36 pm"),  # 18:36 in Canberra
        (time(0, 5), "12:05 am"),
        (time(12, 0), "12:00 pm"),
        (time(9, 7), "9:07 am"),
        (None, ""),
    ],
)
def test_times(value, expected):
    assert formats.time_of_day(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("16519"), "$16,519.00"),
        (Decimal("0.005"), "$0.01"),
        (1200, "$1,200.00"),
        ("-5.5", "-$5.50"),
        (None, ""),
    ],
)
def test_money(value, expected):
    assert formats.money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+61491570132", "0491 570 132"),
        ("+61255501234", "(02) 5550 1234"),
        ("+447700900123", "+44 7700 900123"),
        ("+64215550123", "+64 21 555 0123"),
        ("not a number", "not a number"),
        ("", ""),
    ],
)
def test_phone_numbers(value, expected):
    assert formats.phone(value) == expected


def test_the_template_filters_are_the_same_functions():
    html = Template(
        "{% load cma_format %}{{ d|day }} {{ t|time_of_day }} {{ m|money }} {{ p|phone }}"
        '{{ none|day|default:"none" }}'
    ).render(
        Context(
            {
                "d": date(2026, 12, 1),
                "t": time(18, 36),
                "m": Decimal("16519"),
                "p": "+61491570132",
                "none": None,
            }
        )
    )
    assert html == "1 Dec 2026 6:36 pm $16,519.00 0491 570 132none"


def test_no_template_formats_a_date_its_own_way():
    """Every date and time on a page goes through the filters, not Django's |date."""
    from pathlib import Path

    import cma

    root = Path(cma.__file__).parent
    own = [
        str(path.relative_to(root))
        for path in root.glob("*/templates/**/*.html")
        for line in path.read_text().splitlines()
        if '|date:"' in line and '|date:"Y"' not in line
    ]
    assert own == []
