"""Date engine for the terms of a cooperation agreement (Laufzeit und Kündigung).

Pure Python (stdlib only), no database, no Django. Everything works on plain
``datetime.date`` values; a :class:`Terms` value describes the contractual rules.

Rules (BGB §§ 186-193)
======================

Notice periods (Kündigungsfrist)
    The day of receipt is not counted (§ 187 Abs. 1). A period of n days received on
    day D ends on D + n days; n weeks end on the same weekday n weeks later; n months
    end on the same day number n months later, or on the last day of that month when
    that day does not exist (§ 188 Abs. 2 und 3): received 31.03., 3 months -> 30.06.

    § 193 does not move notice deadlines (BGH, Urteil vom 17.02.2005, III ZR 172/04):
    nothing is ever shifted for weekends or public holidays. The UI only warns, see
    :func:`falls_on_weekend_or_holiday`.

Admissible end dates (Kündigungstermine)
    ``any_day`` every day; ``month_end`` / ``quarter_end`` / ``half_year_end`` /
    ``year_end`` the last day of the month / of March, June, September, December /
    of June and December / of December; ``term_end`` the last day of the initial term
    or of a renewal period.

    A notice is in time for an end date E when its period ends on or before E. The
    agreement ends on the first admissible end date on or after the end of the notice
    period. For ``any_day`` this is the end of the period itself (a notice may of
    course name a later day; :func:`termination_date` always gives the earliest one).

Terms (Laufzeit und Verlängerung)
    The signing is an event (§ 187 Abs. 1): an initial term of N months ends at the end
    of the same calendar day N months later (signed 15.03.2025, 24 months ->
    15.03.2027; signed 29.02.2024 -> 28.02.2026).

    Each renewal starts on the day after the previous period ended (§ 187 Abs. 2) and
    runs R months, ending on the day before the same day number R months later
    (§ 188 Abs. 2): 01.03.2026 + 12 months -> 28.02.2027, 01.03.2027 -> 29.02.2028,
    16.03.2027 -> 15.03.2028. If that preceding day does not exist in the last month
    (start on the 30th or 31st), the period ends on the last day of that month
    (§ 188 Abs. 3): 31.01.2025 + 1 month -> 28.02.2025.

Decisions where the contract model is silent
    * Without an initial term the agreement is "unbefristet" and in force from the day
      of signing; the calendar rule applies from signing on.
    * Initial term *with* renewal and a calendar ``notice_to`` (e.g. ``quarter_end``):
      the admissible ends are the calendar ends only; the term matters for
      ``term_end`` alone. The initial term is no minimum duration.
    * Initial term *without* renewal: the agreement ends automatically at the end of
      the initial term. With a calendar ``notice_to`` a notice can end it earlier at an
      admissible date; if the first admissible date reached lies after the term end,
      the result is the term end. With ``term_end`` a notice is not needed at all:
      :func:`termination_date` returns the term end. A notice received after the term
      end raises ``ValueError`` ("Die Vereinbarung ist bereits ... beendet").
    * :func:`notice_deadline` for that automatic end returns the end date itself (the
      last day a notice still "arrives" while the agreement is in force; it is not
      needed). :func:`next_notice_deadline` ignores the automatic end and returns
      ``None`` when a notice can no longer end the agreement earlier.
    * :func:`notice_deadline` raises ``ValueError`` when the deadline would lie before
      the signing day (that end date cannot be reached any more).
    * :func:`running_term_end` returns the initial term end for days before signing and
      ``None`` after an agreement without renewal has ended.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "NOTICE_TO",
    "UNITS",
    "Terms",
    "add_months",
    "describe",
    "falls_on_weekend_or_holiday",
    "is_admissible_end",
    "next_notice_deadline",
    "notice_deadline",
    "notice_period_end",
    "renewal_dates",
    "running_term_end",
    "term_end",
    "termination_date",
]

ONE_DAY = timedelta(days=1)

# unit -> (singular, plural)
UNITS = {"days": ("Tag", "Tage"), "weeks": ("Woche", "Wochen"), "months": ("Monat", "Monate")}

NOTICE_TO = {
    "any_day": "zu jedem beliebigen Tag",
    "month_end": "zum Monatsende",
    "quarter_end": "zum Quartalsende",
    "half_year_end": "zum Halbjahresende",
    "year_end": "zum Jahresende",
    "term_end": "zum Ablauf der Laufzeit",
}

_END_MONTHS = {
    "month_end": tuple(range(1, 13)),
    "quarter_end": (3, 6, 9, 12),
    "half_year_end": (6, 12),
    "year_end": (12,),
}


def _is_positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@dataclass(frozen=True)
class Terms:
    """Contractual term and notice rules of an agreement (see module docstring)."""

    initial_months: int | None
    renewal_months: int | None
    notice: tuple[int, str]
    notice_to: str

    def __post_init__(self):
        if isinstance(self.notice, list):
            object.__setattr__(self, "notice", tuple(self.notice))
        if not isinstance(self.notice, tuple) or len(self.notice) != 2:
            raise ValueError("Die Kündigungsfrist muss als (Anzahl, Einheit) angegeben werden.")
        amount, unit = self.notice
        if not _is_positive_int(amount):
            raise ValueError(f"Die Kündigungsfrist muss eine positive ganze Zahl sein, nicht {amount!r}.")
        if unit not in UNITS:
            raise ValueError(f"Unbekannte Einheit der Kündigungsfrist: {unit!r} (erlaubt: {', '.join(UNITS)}).")
        if self.notice_to not in NOTICE_TO:
            raise ValueError(f"Unbekannter Kündigungstermin: {self.notice_to!r} (erlaubt: {', '.join(NOTICE_TO)}).")
        for value, label in ((self.initial_months, "Laufzeit"), (self.renewal_months, "Verlängerung")):
            if value is not None and not _is_positive_int(value):
                raise ValueError(f"Die {label} muss eine positive ganze Zahl von Monaten sein, nicht {value!r}.")
        if self.initial_months is None and self.renewal_months is not None:
            raise ValueError("Eine Verlängerung setzt eine feste Laufzeit voraus.")
        if self.initial_months is None and self.notice_to == "term_end":
            raise ValueError(
                "Eine Kündigung zum Ablauf der Laufzeit setzt eine feste Laufzeit voraus; "
                "eine unbefristete Vereinbarung hat keinen Ablauf."
            )

    @property
    def fixed(self) -> bool:
        """True for an initial term without renewal: the agreement ends by itself."""
        return self.initial_months is not None and self.renewal_months is None


# --- calendar arithmetic ---------------------------------------------------------------


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """Same day number ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _last_day(year, month)))


def _renewal_period_end(start: date, months: int) -> date:
    """Last day of a period of ``months`` starting at the beginning of ``start`` (§ 188 Abs. 2, 3)."""
    if start.day == 1:
        return add_months(start, months) - ONE_DAY
    target = add_months(start.replace(day=1), months)
    return target.replace(day=min(start.day - 1, _last_day(target.year, target.month)))


def notice_period_end(terms: Terms, *, notice_received: date) -> date:
    """Last day of the notice period for a notice received on ``notice_received``."""
    amount, unit = terms.notice
    if unit == "months":
        return add_months(notice_received, amount)
    return notice_received + timedelta(days=amount * (7 if unit == "weeks" else 1))


def _latest_in_time(terms: Terms, end: date) -> date:
    """Latest day D whose notice period ends on or before ``end``.

    The period end is non-decreasing in D, so starting from a rough candidate and
    stepping with the forward computation is exact.
    """
    amount, unit = terms.notice
    if unit == "months":
        day = add_months(end, -amount)
    else:
        day = end - timedelta(days=amount * (7 if unit == "weeks" else 1))
    while notice_period_end(terms, notice_received=day) > end:
        day -= ONE_DAY
    while notice_period_end(terms, notice_received=day + ONE_DAY) <= end:
        day += ONE_DAY
    return day


def _next_calendar_end(notice_to: str, day: date) -> date:
    """First calendar end (``any_day`` .. ``year_end``) on or after ``day``."""
    if notice_to == "any_day":
        return day
    year = day.year
    month = next((m for m in _END_MONTHS[notice_to] if m >= day.month), None)
    if month is None:
        year, month = year + 1, _END_MONTHS[notice_to][0]
    return date(year, month, _last_day(year, month))


# --- terms -----------------------------------------------------------------------------


def _periods(terms: Terms, effective_from: date):
    """Yield (first day, last day) of the initial term and of every renewal (endless)."""
    if terms.initial_months is None:
        return
    start, end = effective_from, add_months(effective_from, terms.initial_months)
    yield start, end
    while terms.renewal_months is not None:
        start = end + ONE_DAY
        end = _renewal_period_end(start, terms.renewal_months)
        yield start, end


def term_end(terms: Terms, *, effective_from: date) -> date | None:
    """Last day of the initial term, ``None`` for an agreement without a term."""
    if terms.initial_months is None:
        return None
    return add_months(effective_from, terms.initial_months)


def running_term_end(terms: Terms, *, effective_from: date, on: date) -> date | None:
    """Last day of the term period (initial term or renewal) that contains ``on``.

    ``None`` without a term, or when ``on`` lies after the end of a term without
    renewal. Days before signing belong to the initial term.
    """
    for _start, end in _periods(terms, effective_from):
        if on <= end:
            return end
    return None


def renewal_dates(terms: Terms, *, effective_from: date, until: date) -> list[date]:
    """First days of all renewal periods that start on or before ``until``."""
    if terms.renewal_months is None:
        return []
    starts = []
    for index, (start, _end) in enumerate(_periods(terms, effective_from)):
        if start > until:
            break
        if index:
            starts.append(start)
    return starts


def is_admissible_end(terms: Terms, *, effective_from: date, day: date) -> bool:
    """Whether the agreement can end on ``day`` under these terms (ignoring deadlines)."""
    if day < effective_from:
        return False
    if terms.fixed:
        end = term_end(terms, effective_from=effective_from)
        if day >= end or terms.notice_to == "term_end":
            return day == end
    if terms.notice_to == "term_end":
        return running_term_end(terms, effective_from=effective_from, on=day) == day
    return _next_calendar_end(terms.notice_to, day) == day


def _first_end_from(terms: Terms, effective_from: date, earliest: date) -> date:
    """First admissible end on or after ``earliest``, ignoring the automatic end of a fixed term."""
    if terms.notice_to == "term_end":
        return running_term_end(terms, effective_from=effective_from, on=earliest)
    return _next_calendar_end(terms.notice_to, earliest)


def termination_date(terms: Terms, *, effective_from: date, notice_received: date) -> date:
    """Last day of the agreement when a notice reaches the other side on ``notice_received``."""
    if notice_received < effective_from:
        raise ValueError(
            f"Die Kündigung ({_fmt(notice_received)}) kann nicht vor der Unterzeichnung "
            f"({_fmt(effective_from)}) zugehen."
        )
    end = term_end(terms, effective_from=effective_from)
    if terms.fixed:
        if notice_received > end:
            raise ValueError(f"Die Vereinbarung ist bereits mit Ablauf des {_fmt(end)} beendet.")
        if terms.notice_to == "term_end":
            return end
    earliest = notice_period_end(terms, notice_received=notice_received)
    result = _first_end_from(terms, effective_from, earliest)
    return min(result, end) if terms.fixed else result


def notice_deadline(terms: Terms, *, effective_from: date, end_date: date) -> date:
    """Last day a notice may arrive to end the agreement on ``end_date``.

    ``ValueError`` if ``end_date`` is no admissible end, or if the deadline would lie
    before the signing day. For the automatic end of a term without renewal the end
    date itself is returned (no notice is needed).
    """
    if not is_admissible_end(terms, effective_from=effective_from, day=end_date):
        raise ValueError(
            f"Der {_fmt(end_date)} ist kein zulässiger Beendigungstermin (Kündigung {NOTICE_TO[terms.notice_to]})."
        )
    if terms.fixed and end_date == term_end(terms, effective_from=effective_from):
        return end_date
    deadline = _latest_in_time(terms, end_date)
    if deadline < effective_from:
        raise ValueError(
            f"Zum {_fmt(end_date)} kann nicht gekündigt werden: die Kündigung hätte bis zum "
            f"{_fmt(deadline)} zugehen müssen, vor der Unterzeichnung am {_fmt(effective_from)}."
        )
    return deadline


def next_notice_deadline(terms: Terms, *, effective_from: date, today: date) -> tuple[date, date] | None:
    """Next (deadline, end date) pair with deadline >= ``today`` (and >= signing day).

    ``None`` when a notice can no longer end the agreement before the automatic end of
    a term without renewal.
    """
    base = max(today, effective_from)
    end = term_end(terms, effective_from=effective_from)
    if terms.fixed and (terms.notice_to == "term_end" or base > end):
        return None
    earliest = notice_period_end(terms, notice_received=base)
    result = _first_end_from(terms, effective_from, earliest)
    if terms.fixed and result >= end:
        return None
    return notice_deadline(terms, effective_from=effective_from, end_date=result), result


# --- presentation ----------------------------------------------------------------------


def _amount(value: int, unit: str) -> str:
    singular, plural = UNITS[unit]
    return f"{value} {singular if value == 1 else plural}"


def describe(terms: Terms) -> str:
    """The terms in German words, e.g. "unbefristet; Kündigungsfrist 4 Wochen zum Quartalsende"."""
    if terms.initial_months is None:
        duration = "unbefristet"
    else:
        duration = f"Laufzeit {_amount(terms.initial_months, 'months')} ab Unterzeichnung"
        if terms.renewal_months is None:
            duration += ", ohne Verlängerung"
        else:
            duration += f", verlängert sich jeweils um {_amount(terms.renewal_months, 'months')}"
    if terms.fixed and terms.notice_to == "term_end":
        return f"{duration}; endet mit Ablauf der Laufzeit, ohne dass es einer Kündigung bedarf"
    return f"{duration}; Kündigungsfrist {_amount(*terms.notice)} {NOTICE_TO[terms.notice_to]}"


def falls_on_weekend_or_holiday(day: date, holidays: set[date] | frozenset[date] = frozenset()) -> bool:
    """True on Saturdays, Sundays and the given holidays: the UI warns, nothing is shifted (§ 193)."""
    return day.weekday() >= 5 or day in holidays
