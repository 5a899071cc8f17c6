"""The PS Activity figures (PS-20) as tables, each with its bar chart, for the page
and the CSV export: one shape for both, so the export holds exactly what is shown."""

from dataclasses import dataclass, field
from typing import Any

from .selectors_activity import Activity, Row

CHART_WIDTH = 640
LABEL_WIDTH = 220
BAR_SPACE = 340
BAR_HEIGHT = 22
BAR_GAP = 8


@dataclass
class Bar:
    label: str
    value: float
    text: str
    y: int = 0
    width: int = 0


@dataclass
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    height: int = 0
    bar_x: int = LABEL_WIDTH
    width: int = CHART_WIDTH

    @property
    def description(self) -> str:
        return "; ".join(f"{b.label}: {b.text}" for b in self.bars) or "No figures"


@dataclass
class Table:
    id: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    chart: Chart | None = None

    @property
    def labelled_rows(self) -> list[list[tuple[str, Any, bool]]]:
        """Each cell with its column's name (the stacked table's label at 320 px) and
        whether it is a number (right-aligned)."""
        return [
            [(c, v, isinstance(v, int | float)) for c, v in zip(self.columns, row, strict=True)]
            for row in self.rows
        ]

    @property
    def header(self) -> list[tuple[str, bool]]:
        first = self.rows[0] if self.rows else [""] * len(self.columns)
        return [(c, isinstance(v, int | float)) for c, v in zip(self.columns, first, strict=True)]


def chart(title: str, unit: str, pairs: list[tuple[str, float, str]]) -> Chart:
    """A horizontal bar chart laid out on the server (inline SVG, no script)."""
    top = max((v for _, v, _ in pairs), default=0) or 1
    bars = []
    for i, (label, value, text) in enumerate(pairs):
        width = round(BAR_SPACE * value / top) if value else 0
        bars.append(Bar(label, value, text, y=i * (BAR_HEIGHT + BAR_GAP), width=width))
    height = max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP)
    return Chart(title=title, unit=unit, bars=bars, height=height)


def _count(rows: list[Row], value: Any, unit: str, title: str) -> Chart:
    return chart(title, unit, [(r.label, value(r), f"{value(r)} {unit}") for r in rows])


def tables(found: Activity, by: str) -> list[Table]:
    rows = found.rows[by]
    who = "Case manager" if by == "manager" else "Team"
    caseload = Table(
        "caseload",
        "Caseload by segment",
        "Open plans by segment now; not decided: no segment yet.",
        [who, "Segment 1", "Segment 2", "Segment 3", "Not decided", "Open plans"],
        [[r.label, *(r.caseload[k] for k in ("1", "2", "3", "-")), r.open_plans] for r in rows],
        _count(rows, lambda r: r.open_plans, "plans", "Open plans"),
    )
    sources = Table(
        "referrals",
        "Referrals by source and type",
        "Referrals received in the period.",
        [who, "Source", "Referral type", "Referrals"],
        [[s.label, s.source_name, s.kind, s.n] for s in found.sources[by]],
        _count(rows, lambda r: r.referrals, "referrals", "Referrals received"),
    )
    actioned = Table(
        "actioned",
        "Referrals actioned on time",
        "Referrals actioned in the period, and how many within their service level.",
        [who, "Actioned", "On time", "On time (%)"],
        [[r.label, r.actioned, r.actioned_on_time, r.on_time_rate] for r in rows],
        chart(
            "Referrals actioned on time",
            "%",
            [(r.label, r.on_time_rate, f"{r.on_time_rate}% of {r.actioned}") for r in rows],
        ),
    )
    overdue = Table(
        "overdue",
        "Plans overdue",
        "Plans not approved by their due date (21 days after the referral), now.",
        [who, "Plans overdue"],
        [[r.label, r.plans_overdue] for r in rows],
        _count(rows, lambda r: r.plans_overdue, "plans", "Plans overdue"),
    )
    time_in_ps = Table(
        "time-in-ps",
        "Time in PS",
        "Days since the referral of the customers in the caseload now.",
        [who, "Open plans", "Average days in PS"],
        [[r.label, r.open_plans, r.average_days_in_ps] for r in rows],
        chart(
            "Average days in PS",
            "days",
            [(r.label, r.average_days_in_ps, f"{r.average_days_in_ps} days") for r in rows],
        ),
    )
    finalisations = Table(
        "finalisations",
        "Finalisations approved and rejected",
        "PS Team Leader decisions on finalisation requests in the period.",
        [who, "Approved", "Rejected"],
        [[r.label, r.finalisations_approved, r.finalisations_rejected] for r in rows],
        chart(
            "Finalisations approved and rejected",
            "finalisations",
            [
                pair
                for r in rows
                for pair in (
                    (
                        f"{r.label}, approved",
                        r.finalisations_approved,
                        str(r.finalisations_approved),
                    ),
                    (
                        f"{r.label}, rejected",
                        r.finalisations_rejected,
                        str(r.finalisations_rejected),
                    ),
                )
            ],
        ),
    )
    reviews = Table(
        "reviews",
        "Reviews due",
        "Segment 3 reviews and restricted service reviews of segment 3 customers due by "
        "the end of the period.",
        [who, "Segment 3 reviews", "Restricted service reviews", "Reviews due"],
        [
            [
                r.label,
                r.reviews_due,
                r.restricted_reviews_due,
                r.reviews_due + r.restricted_reviews_due,
            ]
            for r in rows
        ],
        _count(rows, lambda r: r.reviews_due + r.restricted_reviews_due, "reviews", "Reviews due"),
    )
    return [caseload, sources, actioned, overdue, time_in_ps, finalisations, reviews]


def csv_rows(found: Activity, by: str) -> list[list[Any]]:
    """Every table one after another, each under its title, for the CSV export."""
    out: list[list[Any]] = [
        ["PS Activity", f"{found.start.isoformat()} to {found.end.isoformat()}", found.scope]
    ]
    for table in tables(found, by):
        out += [[], [table.title], table.columns, *table.rows]
    return out
