"""Which round of a contact-attempt plan each attempt counts for (CON-1, CON-3).

The first call is one call on every number the customer has; each additional
attempt, when the purpose asks for them, is a pre-call SMS to the mobile (when there
is one) and then a call on every number. Additional attempt k is due from
first_failed_at + k * window / count: with 2 over 48 hours, a day and two days after
the first round failed, so the attempts fall on different days across the window
instead of straight after one another.

Every attempt is kept (CON-5), but only attempts that fit count: a call made before
its round was due, before that round's pre-call SMS, on a number already tried in the
round, or by plain phone to a customer who needs NRS or TTY is listed with the reason
it does not count."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cma import formats

from .models import CALL_CHANNELS, AttemptOutcome, Channel, ContactAttempt, ContactPlan, Party
from .policy import AttemptRules

NUMBER_ORDER = ("mobile", "home", "work", "international")
RELAY_CHANNELS = (Channel.NRS.value, Channel.TTY.value)
PLAIN_CALL_CHANNELS = (Channel.PHONE.value, Channel.INTERPRETER.value)
# Contact with these is contact with the customer; an alternative contact or a third
# party may be told nothing (CON-7), so reaching them does not close the plan.
REACHES_CUSTOMER = (Party.CUSTOMER.value, Party.REPRESENTATIVE.value)


@dataclass
class Round:
    """The first call or one additional attempt, and how far it got."""

    label: str
    due_at: datetime
    pre_call_sms: bool
    sms_at: datetime | None = None
    tried: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    done_at: datetime | None = None


@dataclass(frozen=True)
class CountedAttempt:
    attempt: ContactAttempt
    counted_for: str = ""  # the round's label, or "" with `note` saying why not
    note: str = ""


def number_types(plan: ContactPlan) -> list[str]:
    """The kinds of number the customer has, in dialling order (never the numbers)."""
    kinds = {p.kind for p in plan.customer.phones.all()}
    return [k for k in NUMBER_ORDER if k in kinds]


def call_channels(plan: ContactPlan) -> tuple[str, ...]:
    """CON-1, CON-14: a customer with a relay need is called through NRS or TTY."""
    return RELAY_CHANNELS if plan.customer.relay_need else PLAIN_CALL_CHANNELS


def when(value: datetime) -> str:
    return f"{formats.day(value)} {formats.time_of_day(value)}"


def how(plan: ContactPlan) -> str:
    customer = plan.customer
    if customer.relay_need:
        return f" ({customer.relay_need.upper()} needed)"
    if customer.interpreter_language:
        return f" (with a {customer.interpreter_language} interpreter)"
    return ""


class Walk:
    """Assigns each attempt, in time order, to the round it counts for."""

    def __init__(self, plan: ContactPlan, rules: AttemptRules) -> None:
        self.plan, self.rules = plan, rules
        self.numbers = number_types(plan)
        self.channels = call_channels(plan)
        extra = rules.additional_count if plan.additional_attempts else 0
        self.total = 1 + extra
        self.rounds: list[Round] = []
        self.counted: list[CountedAttempt] = []
        self.contact: ContactAttempt | None = None
        self.mx0: ContactAttempt | None = None
        if self.numbers:
            self._open(plan.created_at)

    def label(self, index: int) -> str:
        if index == 0:
            return "First call"
        return f"Additional attempt {index} of {self.total - 1}"

    def _open(self, due_at: datetime) -> None:
        index = len(self.rounds)
        self.rounds.append(
            Round(
                label=self.label(index),
                due_at=due_at,
                pre_call_sms=index > 0 and "mobile" in self.numbers,
                left=list(self.numbers),
            )
        )

    @property
    def current(self) -> Round | None:
        last = self.rounds[-1] if self.rounds else None
        return None if last is None or last.done_at else last

    @property
    def calls_done(self) -> bool:
        """Every round made (vacuously so when there is no number to call)."""
        if not self.numbers:
            return True
        return len(self.rounds) == self.total and all(r.done_at for r in self.rounds)

    def _finish(self, at: datetime) -> None:
        current = self.rounds[-1]
        current.done_at = at
        if len(self.rounds) < self.total:
            first_failed = self.rounds[0].done_at or at
            step = timedelta(hours=self.rules.window_hours) / (self.total - 1)
            self._open(first_failed + step * len(self.rounds))

    def run(self) -> None:
        attempts = sorted(self.plan.attempts.all(), key=lambda a: (a.at, a.pk or 0))
        for attempt in attempts:
            counted_for, note = self._place(attempt)
            self.counted.append(CountedAttempt(attempt, counted_for, note))

    def _place(self, a: ContactAttempt) -> tuple[str, str]:
        if a.outcome == AttemptOutcome.CONTACT_MADE and a.party in REACHES_CUSTOMER:
            self.contact = self.contact or a
        if a.outcome == AttemptOutcome.LETTER_ISSUED:
            self.mx0 = self.mx0 or a
            return "First call", "MX0-1 sent instead of the first call (CON-2)"
        if a.party != Party.CUSTOMER:
            return "", "not counted: the plan's rounds are calls to the customer's own numbers"
        current = self.current
        if current is None and not self.numbers:
            return "", "not counted: the customer has no number on record"
        if current is None:
            return "", "made after the required attempts"
        if a.at < current.due_at:
            return "", f"not counted: {current.label.lower()} was due from {when(current.due_at)}"
        if a.channel == Channel.SMS:
            if current.pre_call_sms and current.sms_at is None:
                current.sms_at = a.at
                return current.label, ""
            return "", "not counted: no pre-call SMS was owed at the time"
        if a.channel not in CALL_CHANNELS:
            return "", "not counted: not a call"
        if a.channel not in self.channels:
            return "", "not counted: CON-1 this customer is called through NRS or TTY"
        if current.pre_call_sms and current.sms_at is None:
            return "", "not counted: CON-3 the pre-call SMS comes first"
        if a.number_type not in current.left:
            return "", "not counted: that number was already tried in this round"
        current.left.remove(a.number_type)
        current.tried.append(a.number_type)
        if not current.left:
            self._finish(a.at)
        return current.label, ""
