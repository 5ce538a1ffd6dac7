"""Tests for the date engine agreements.terms (pure Python, no Django)."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements.terms import (
    NOTICE_TO,
    Terms,
    add_months,
    describe,
    falls_on_weekend_or_holiday,
    is_admissible_end,
    next_notice_deadline,
    notice_deadline,
    notice_period_end,
    renewal_dates,
    running_term_end,
    term_end,
    termination_date,
)

ONE_DAY = timedelta(days=1)

DINSLAKEN = Terms(None, None, (4, "weeks"), "quarter_end")
DARMSTADT_DIEBURG = Terms(24, 12, (3, "months"), "term_end")
MONTHLY = Terms(None, None, (1, "months"), "month_end")
QUARTERLY_3M = Terms(None, None, (3, "months"), "quarter_end")
FIXED_QUARTER = Terms(12, None, (3, "months"), "quarter_end")
FIXED_TERM_END = Terms(24, None, (3, "months"), "term_end")


def d(iso: str) -> date:
    return date.fromisoformat(iso)


# --- tables --------------------------------------------------------------------------------

NOTICE_PERIOD_CASES = [
    # (notice, received, period end) -- § 187 Abs. 1, § 188 Abs. 2 und 3
    ((14, "days"), "2025-02-20", "2025-03-06"),
    ((1, "days"), "2024-12-31", "2025-01-01"),
    ((4, "weeks"), "2025-03-03", "2025-03-31"),
    ((6, "weeks"), "2024-02-15", "2024-03-28"),
    ((3, "months"), "2025-03-31", "2025-06-30"),
    ((3, "months"), "2025-03-15", "2025-06-15"),
    ((1, "months"), "2025-01-31", "2025-02-28"),
    ((1, "months"), "2024-01-31", "2024-02-29"),
    ((3, "months"), "2026-11-30", "2027-02-28"),
    ((3, "months"), "2027-11-30", "2028-02-29"),
    ((12, "months"), "2024-02-29", "2025-02-28"),
    ((48, "months"), "2024-02-29", "2028-02-29"),
    ((2, "months"), "2024-12-31", "2025-02-28"),
    ((1, "months"), "2025-08-31", "2025-09-30"),
]


@pytest.mark.parametrize(("notice", "received", "expected"), NOTICE_PERIOD_CASES)
def test_notice_period_ends_per_bgb_188(notice, received, expected):
    terms = Terms(None, None, notice, "any_day")
    assert notice_period_end(terms, notice_received=d(received)) == d(expected)
    assert termination_date(terms, effective_from=d("2020-01-01"), notice_received=d(received)) == d(expected)


TERMINATION_CASES = [
    # (id, terms, effective_from, notice received, last day of the agreement)
    ("dinslaken last day in time for Q1", DINSLAKEN, "2025-01-15", "2025-03-03", "2025-03-31"),
    ("dinslaken one day late for Q1", DINSLAKEN, "2025-01-15", "2025-03-04", "2025-06-30"),
    ("dinslaken last day in time for Q2", DINSLAKEN, "2025-01-15", "2025-06-02", "2025-06-30"),
    ("dinslaken one day late for Q2", DINSLAKEN, "2025-01-15", "2025-06-03", "2025-09-30"),
    ("dinslaken last day in time for Q3", DINSLAKEN, "2025-01-15", "2025-09-02", "2025-09-30"),
    ("dinslaken one day late for Q3", DINSLAKEN, "2025-01-15", "2025-09-03", "2025-12-31"),
    ("dinslaken last day in time for Q4", DINSLAKEN, "2025-01-15", "2025-12-03", "2025-12-31"),
    ("dinslaken one day late for Q4", DINSLAKEN, "2025-01-15", "2025-12-04", "2026-03-31"),
    ("dinslaken notice on signing day", DINSLAKEN, "2025-01-15", "2025-01-15", "2025-03-31"),
    ("dinslaken leap year Q1", DINSLAKEN, "2025-01-15", "2028-03-03", "2028-03-31"),
    ("3 months to quarter: 31.03 in time", QUARTERLY_3M, "2020-01-01", "2025-03-31", "2025-06-30"),
    ("3 months to quarter: 01.04 late", QUARTERLY_3M, "2020-01-01", "2025-04-01", "2025-09-30"),
    ("3 months to quarter: 30.09 in time", QUARTERLY_3M, "2020-01-01", "2025-09-30", "2025-12-31"),
    ("1 month to month end: 31.01 leap", MONTHLY, "2020-01-01", "2024-01-31", "2024-02-29"),
    ("1 month to month end: 01.02 leap", MONTHLY, "2020-01-01", "2024-02-01", "2024-03-31"),
    ("1 month to month end: 29.02", MONTHLY, "2020-01-01", "2024-02-29", "2024-03-31"),
    (
        "half year: 31.12 in time",
        Terms(None, None, (6, "months"), "half_year_end"),
        "2020-01-01",
        "2024-12-31",
        "2025-06-30",
    ),
    (
        "half year: 01.01 late",
        Terms(None, None, (6, "months"), "half_year_end"),
        "2020-01-01",
        "2025-01-01",
        "2025-12-31",
    ),
    (
        "year end: 30.09 in time",
        Terms(None, None, (3, "months"), "year_end"),
        "2020-01-01",
        "2025-09-30",
        "2025-12-31",
    ),
    (
        "year end: 01.10 late",
        Terms(None, None, (3, "months"), "year_end"),
        "2020-01-01",
        "2025-10-01",
        "2026-12-31",
    ),
    ("darmstadt-dieburg last day for term", DARMSTADT_DIEBURG, "2025-03-15", "2026-12-15", "2027-03-15"),
    ("darmstadt-dieburg one day late", DARMSTADT_DIEBURG, "2025-03-15", "2026-12-16", "2028-03-15"),
    ("darmstadt-dieburg notice on signing", DARMSTADT_DIEBURG, "2025-03-15", "2025-03-15", "2027-03-15"),
    ("darmstadt-dieburg first renewal", DARMSTADT_DIEBURG, "2025-03-15", "2027-12-15", "2028-03-15"),
    ("darmstadt-dieburg first renewal late", DARMSTADT_DIEBURG, "2025-03-15", "2027-12-16", "2029-03-15"),
    ("term from 29.02.: 30.11 in time", DARMSTADT_DIEBURG, "2024-02-29", "2025-11-30", "2026-02-28"),
    ("term from 29.02.: 01.12 late", DARMSTADT_DIEBURG, "2024-02-29", "2025-12-01", "2027-02-28"),
    ("renewal ending 28.02.2027: 30.11", DARMSTADT_DIEBURG, "2024-02-29", "2026-11-30", "2027-02-28"),
    ("renewal ending 28.02.2027: 01.12", DARMSTADT_DIEBURG, "2024-02-29", "2026-12-01", "2028-02-29"),
    ("renewal ending 29.02.2028: 30.11", DARMSTADT_DIEBURG, "2024-02-29", "2027-11-30", "2028-02-29"),
    ("renewal ending 29.02.2028: 01.12", DARMSTADT_DIEBURG, "2024-02-29", "2027-12-01", "2029-02-28"),
    (
        "renewal with calendar notice ignores the term",
        Terms(24, 12, (3, "months"), "quarter_end"),
        "2025-03-15",
        "2025-05-10",
        "2025-09-30",
    ),
    ("fixed term: early notice to quarter", FIXED_QUARTER, "2025-02-10", "2025-03-31", "2025-06-30"),
    ("fixed term: one day late", FIXED_QUARTER, "2025-02-10", "2025-04-01", "2025-09-30"),
    ("fixed term: quarter after the term end", FIXED_QUARTER, "2025-02-10", "2025-10-01", "2026-02-10"),
    ("fixed term: notice on the last day", FIXED_QUARTER, "2025-02-10", "2026-02-10", "2026-02-10"),
    ("fixed term_end: ends anyway", FIXED_TERM_END, "2025-03-15", "2025-04-01", "2027-03-15"),
    ("fixed term_end: late notice", FIXED_TERM_END, "2025-03-15", "2027-03-01", "2027-03-15"),
    (
        "any day, 14 days",
        Terms(None, None, (14, "days"), "any_day"),
        "2025-01-01",
        "2025-12-20",
        "2026-01-03",
    ),
]


@pytest.mark.parametrize(
    ("terms", "effective_from", "received", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in TERMINATION_CASES],
)
def test_termination_date_is_the_first_admissible_end_the_notice_reaches(terms, effective_from, received, expected):
    result = termination_date(terms, effective_from=d(effective_from), notice_received=d(received))
    assert result == d(expected)


def test_notice_one_day_late_moves_to_next_quarter():
    in_time = termination_date(DINSLAKEN, effective_from=d("2025-01-01"), notice_received=d("2025-03-03"))
    late = termination_date(DINSLAKEN, effective_from=d("2025-01-01"), notice_received=d("2025-03-04"))
    assert (in_time, late) == (d("2025-03-31"), d("2025-06-30"))


MONTH_END_DEADLINES = [
    # 1 month to the month end: the deadline is the last day of the previous month
    ("2024-01-31", "2023-12-31"),
    ("2024-02-29", "2024-01-31"),
    ("2024-03-31", "2024-02-29"),
    ("2024-04-30", "2024-03-31"),
    ("2024-05-31", "2024-04-30"),
    ("2024-06-30", "2024-05-31"),
    ("2024-07-31", "2024-06-30"),
    ("2024-08-31", "2024-07-31"),
    ("2024-09-30", "2024-08-31"),
    ("2024-10-31", "2024-09-30"),
    ("2024-11-30", "2024-10-31"),
    ("2024-12-31", "2024-11-30"),
    ("2025-01-31", "2024-12-31"),
    ("2025-02-28", "2025-01-31"),
    ("2025-03-31", "2025-02-28"),
    ("2025-04-30", "2025-03-31"),
    ("2025-05-31", "2025-04-30"),
    ("2025-06-30", "2025-05-31"),
    ("2025-07-31", "2025-06-30"),
    ("2025-08-31", "2025-07-31"),
    ("2025-09-30", "2025-08-31"),
    ("2025-10-31", "2025-09-30"),
    ("2025-11-30", "2025-10-31"),
    ("2025-12-31", "2025-11-30"),
]


@pytest.mark.parametrize(("end_date", "expected"), MONTH_END_DEADLINES)
def test_every_month_end_has_its_deadline_on_the_last_day_of_the_previous_month(end_date, expected):
    deadline = notice_deadline(MONTHLY, effective_from=d("2020-01-01"), end_date=d(end_date))
    assert deadline == d(expected)
    assert termination_date(MONTHLY, effective_from=d("2020-01-01"), notice_received=deadline) == d(end_date)
    later = termination_date(MONTHLY, effective_from=d("2020-01-01"), notice_received=deadline + ONE_DAY)
    assert later > d(end_date)


DEADLINE_CASES = [
    # (id, terms, effective_from, end date, deadline)
    ("dinslaken Q1", DINSLAKEN, "2025-01-01", "2025-03-31", "2025-03-03"),
    ("dinslaken Q2", DINSLAKEN, "2025-01-01", "2025-06-30", "2025-06-02"),
    ("dinslaken Q3", DINSLAKEN, "2025-01-01", "2025-09-30", "2025-09-02"),
    ("dinslaken Q4", DINSLAKEN, "2025-01-01", "2025-12-31", "2025-12-03"),
    ("dinslaken Q1 leap year", DINSLAKEN, "2025-01-01", "2028-03-31", "2028-03-03"),
    ("3 months to 30.06", QUARTERLY_3M, "2020-01-01", "2025-06-30", "2025-03-31"),
    ("3 months to 31.03", QUARTERLY_3M, "2020-01-01", "2025-03-31", "2024-12-31"),
    ("darmstadt-dieburg initial term", DARMSTADT_DIEBURG, "2025-03-15", "2027-03-15", "2026-12-15"),
    ("darmstadt-dieburg first renewal", DARMSTADT_DIEBURG, "2025-03-15", "2028-03-15", "2027-12-15"),
    ("term to 28.02.2026", DARMSTADT_DIEBURG, "2024-02-29", "2026-02-28", "2025-11-30"),
    ("renewal to 28.02.2027", DARMSTADT_DIEBURG, "2024-02-29", "2027-02-28", "2026-11-30"),
    ("renewal to 29.02.2028", DARMSTADT_DIEBURG, "2024-02-29", "2028-02-29", "2027-11-30"),
    ("fixed term: calendar end before the term end", FIXED_QUARTER, "2025-02-10", "2025-09-30", "2025-06-30"),
    ("fixed term: automatic end needs no notice", FIXED_QUARTER, "2025-02-10", "2026-02-10", "2026-02-10"),
    ("fixed term_end: automatic end", FIXED_TERM_END, "2025-03-15", "2027-03-15", "2027-03-15"),
    (
        "any day, 2 weeks",
        Terms(None, None, (2, "weeks"), "any_day"),
        "2025-01-01",
        "2025-05-07",
        "2025-04-23",
    ),
]


@pytest.mark.parametrize(
    ("terms", "effective_from", "end_date", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in DEADLINE_CASES],
)
def test_notice_deadline_is_the_last_day_a_notice_reaches_the_end_date(terms, effective_from, end_date, expected):
    assert notice_deadline(terms, effective_from=d(effective_from), end_date=d(end_date)) == d(expected)


RENEWAL_CHAINS = [
    # (terms, effective_from, until, term end, renewal starts, running period ends)
    (
        DARMSTADT_DIEBURG,
        "2024-02-29",
        "2028-12-31",
        "2026-02-28",
        ["2026-03-01", "2027-03-01", "2028-03-01"],
        ["2027-02-28", "2028-02-29", "2029-02-28"],
    ),
    (
        DARMSTADT_DIEBURG,
        "2025-03-15",
        "2029-03-16",
        "2027-03-15",
        ["2027-03-16", "2028-03-16", "2029-03-16"],
        ["2028-03-15", "2029-03-15", "2030-03-15"],
    ),
    (
        Terms(1, 1, (1, "weeks"), "term_end"),
        "2024-12-31",
        "2025-04-30",
        "2025-01-31",
        ["2025-02-01", "2025-03-01", "2025-04-01"],
        ["2025-02-28", "2025-03-31", "2025-04-30"],
    ),
    (
        Terms(1, 1, (1, "weeks"), "term_end"),
        "2024-12-30",
        "2025-04-30",
        "2025-01-30",
        ["2025-01-31", "2025-03-01", "2025-04-01"],
        ["2025-02-28", "2025-03-31", "2025-04-30"],
    ),
    (
        Terms(6, 6, (1, "months"), "term_end"),
        "2025-08-31",
        "2026-12-31",
        "2026-02-28",
        ["2026-03-01", "2026-09-01"],
        ["2026-08-31", "2027-02-28"],
    ),
]


@pytest.mark.parametrize(("terms", "start", "until", "first_end", "starts", "ends"), RENEWAL_CHAINS)
def test_renewal_chain_starts_the_day_after_each_period(terms, start, until, first_end, starts, ends):
    effective_from = d(start)
    assert term_end(terms, effective_from=effective_from) == d(first_end)
    assert renewal_dates(terms, effective_from=effective_from, until=d(until)) == [d(s) for s in starts]
    for renewal_start, expected_end in zip(starts, ends, strict=True):
        assert running_term_end(terms, effective_from=effective_from, on=d(renewal_start)) == d(expected_end)
        previous_end = d(renewal_start) - ONE_DAY
        assert running_term_end(terms, effective_from=effective_from, on=previous_end) == previous_end


def test_initial_term_ends_on_the_same_day_number():
    assert term_end(DARMSTADT_DIEBURG, effective_from=d("2025-03-15")) == d("2027-03-15")
    assert term_end(DARMSTADT_DIEBURG, effective_from=d("2024-02-29")) == d("2026-02-28")
    assert term_end(DINSLAKEN, effective_from=d("2025-03-15")) is None


def test_running_term_end_covers_before_signing_and_after_a_fixed_term():
    assert running_term_end(DINSLAKEN, effective_from=d("2025-01-01"), on=d("2026-01-01")) is None
    assert running_term_end(FIXED_QUARTER, effective_from=d("2025-02-10"), on=d("2025-01-01")) == d("2026-02-10")
    assert running_term_end(FIXED_QUARTER, effective_from=d("2025-02-10"), on=d("2026-02-10")) == d("2026-02-10")
    assert running_term_end(FIXED_QUARTER, effective_from=d("2025-02-10"), on=d("2026-02-11")) is None


def test_renewal_dates_are_empty_without_renewal_or_before_the_first_renewal():
    assert renewal_dates(DINSLAKEN, effective_from=d("2025-01-01"), until=d("2035-01-01")) == []
    assert renewal_dates(FIXED_QUARTER, effective_from=d("2025-01-01"), until=d("2035-01-01")) == []
    assert renewal_dates(DARMSTADT_DIEBURG, effective_from=d("2025-03-15"), until=d("2027-03-15")) == []


ADMISSIBLE_CASES = [
    (DINSLAKEN, "2025-01-15", "2025-03-31", True),
    (DINSLAKEN, "2025-01-15", "2025-04-30", False),
    (DINSLAKEN, "2025-01-15", "2024-12-31", False),
    (MONTHLY, "2020-01-01", "2024-02-29", True),
    (MONTHLY, "2020-01-01", "2025-02-28", True),
    (MONTHLY, "2020-01-01", "2024-02-28", False),
    (Terms(None, None, (6, "months"), "half_year_end"), "2020-01-01", "2025-09-30", False),
    (Terms(None, None, (6, "months"), "half_year_end"), "2020-01-01", "2025-06-30", True),
    (Terms(None, None, (3, "months"), "year_end"), "2020-01-01", "2025-12-31", True),
    (DARMSTADT_DIEBURG, "2025-03-15", "2027-03-15", True),
    (DARMSTADT_DIEBURG, "2025-03-15", "2028-03-15", True),
    (DARMSTADT_DIEBURG, "2025-03-15", "2027-03-31", False),
    (FIXED_QUARTER, "2025-02-10", "2026-02-10", True),
    (FIXED_QUARTER, "2025-02-10", "2025-12-31", True),
    (FIXED_QUARTER, "2025-02-10", "2026-03-31", False),
    (FIXED_TERM_END, "2025-03-15", "2027-03-15", True),
    (FIXED_TERM_END, "2025-03-15", "2028-03-15", False),
]


@pytest.mark.parametrize(("terms", "effective_from", "day", "expected"), ADMISSIBLE_CASES)
def test_admissible_end_dates_follow_notice_to_and_term(terms, effective_from, day, expected):
    assert is_admissible_end(terms, effective_from=d(effective_from), day=d(day)) is expected


NEXT_DEADLINE_CASES = [
    (DINSLAKEN, "2025-01-15", "2025-03-03", ("2025-03-03", "2025-03-31")),
    (DINSLAKEN, "2025-01-15", "2025-03-04", ("2025-06-02", "2025-06-30")),
    (DINSLAKEN, "2025-01-15", "2024-06-01", ("2025-03-03", "2025-03-31")),
    (DARMSTADT_DIEBURG, "2025-03-15", "2025-06-01", ("2026-12-15", "2027-03-15")),
    (DARMSTADT_DIEBURG, "2025-03-15", "2026-12-16", ("2027-12-15", "2028-03-15")),
    (FIXED_QUARTER, "2025-02-10", "2025-04-01", ("2025-06-30", "2025-09-30")),
    (FIXED_QUARTER, "2025-02-10", "2025-10-01", None),
    (FIXED_QUARTER, "2025-02-10", "2026-03-01", None),
    (FIXED_TERM_END, "2025-03-15", "2025-04-01", None),
]


@pytest.mark.parametrize(("terms", "effective_from", "today", "expected"), NEXT_DEADLINE_CASES)
def test_next_notice_deadline_is_the_next_deadline_from_today(terms, effective_from, today, expected):
    result = next_notice_deadline(terms, effective_from=d(effective_from), today=d(today))
    assert result == (None if expected is None else (d(expected[0]), d(expected[1])))


DESCRIPTIONS = [
    (DINSLAKEN, "unbefristet; Kündigungsfrist 4 Wochen zum Quartalsende"),
    (
        DARMSTADT_DIEBURG,
        "Laufzeit 24 Monate ab Unterzeichnung, verlängert sich jeweils um 12 Monate; "
        "Kündigungsfrist 3 Monate zum Ablauf der Laufzeit",
    ),
    (
        Terms(1, 1, (1, "weeks"), "month_end"),
        "Laufzeit 1 Monat ab Unterzeichnung, verlängert sich jeweils um 1 Monat; "
        "Kündigungsfrist 1 Woche zum Monatsende",
    ),
    (
        Terms(None, None, (14, "days"), "any_day"),
        "unbefristet; Kündigungsfrist 14 Tage zu jedem beliebigen Tag",
    ),
    (Terms(None, None, (1, "days"), "year_end"), "unbefristet; Kündigungsfrist 1 Tag zum Jahresende"),
    (
        Terms(None, None, (6, "months"), "half_year_end"),
        "unbefristet; Kündigungsfrist 6 Monate zum Halbjahresende",
    ),
    (
        FIXED_QUARTER,
        "Laufzeit 12 Monate ab Unterzeichnung, ohne Verlängerung; Kündigungsfrist 3 Monate zum Quartalsende",
    ),
    (
        FIXED_TERM_END,
        "Laufzeit 24 Monate ab Unterzeichnung, ohne Verlängerung; "
        "endet mit Ablauf der Laufzeit, ohne dass es einer Kündigung bedarf",
    ),
]


@pytest.mark.parametrize(("terms", "expected"), DESCRIPTIONS)
def test_describe_puts_the_terms_into_german_words(terms, expected):
    assert describe(terms) == expected


def test_weekend_and_holiday_deadlines_are_flagged_but_never_shifted():
    assert falls_on_weekend_or_holiday(d("2025-03-29"))  # Saturday
    assert falls_on_weekend_or_holiday(d("2025-03-30"))  # Sunday
    assert not falls_on_weekend_or_holiday(d("2025-03-31"))
    assert not falls_on_weekend_or_holiday(d("2025-10-03"))
    assert falls_on_weekend_or_holiday(d("2025-10-03"), {d("2025-10-03")})
    # 4 weeks to 30.06.2029 (a Saturday): the deadline stays on Saturday, 02.06.2029
    deadline = notice_deadline(DINSLAKEN, effective_from=d("2025-01-01"), end_date=d("2029-06-30"))
    assert deadline == d("2029-06-02")
    assert falls_on_weekend_or_holiday(deadline)


# --- validation ----------------------------------------------------------------------------

INVALID_TERMS = [
    ((None, None, (0, "days"), "any_day"), "positive ganze Zahl"),
    ((None, None, (-1, "weeks"), "any_day"), "positive ganze Zahl"),
    ((None, None, (1.5, "months"), "any_day"), "positive ganze Zahl"),
    ((None, None, ("3", "months"), "any_day"), "positive ganze Zahl"),
    ((None, None, (True, "months"), "any_day"), "positive ganze Zahl"),
    ((None, None, (3, "years"), "any_day"), "Einheit"),
    ((None, None, (3,), "any_day"), r"\(Anzahl, Einheit\)"),
    ((None, None, (3, "months"), "week_end"), "Kündigungstermin"),
    ((None, 12, (3, "months"), "quarter_end"), "Verlängerung setzt eine feste Laufzeit voraus"),
    ((None, None, (3, "months"), "term_end"), "setzt eine feste Laufzeit voraus"),
    ((0, None, (3, "months"), "term_end"), "Laufzeit muss eine positive"),
    ((-12, 12, (3, "months"), "term_end"), "Laufzeit muss eine positive"),
    ((24, 0, (3, "months"), "term_end"), "Verlängerung muss eine positive"),
    ((24.0, None, (3, "months"), "term_end"), "Laufzeit muss eine positive"),
]


@pytest.mark.parametrize(("args", "message"), INVALID_TERMS)
def test_invalid_terms_are_rejected_with_a_german_message(args, message):
    with pytest.raises(ValueError, match=message):
        Terms(*args)


def test_terms_are_frozen_and_hashable():
    with pytest.raises(AttributeError):
        DINSLAKEN.notice_to = "year_end"
    assert Terms(None, None, [4, "weeks"], "quarter_end") == DINSLAKEN
    assert len({DINSLAKEN, Terms(None, None, (4, "weeks"), "quarter_end")}) == 1


def test_notice_before_signing_is_rejected():
    with pytest.raises(ValueError, match="vor der Unterzeichnung"):
        termination_date(DINSLAKEN, effective_from=d("2025-01-15"), notice_received=d("2025-01-14"))


def test_notice_after_a_fixed_term_has_ended_is_rejected():
    with pytest.raises(ValueError, match=r"bereits mit Ablauf des 10\.02\.2026 beendet"):
        termination_date(FIXED_QUARTER, effective_from=d("2025-02-10"), notice_received=d("2026-02-11"))
    with pytest.raises(ValueError, match="bereits"):
        termination_date(FIXED_TERM_END, effective_from=d("2025-03-15"), notice_received=d("2027-03-16"))


@pytest.mark.parametrize(
    ("terms", "end_date"),
    [
        (DINSLAKEN, "2025-04-30"),
        (DINSLAKEN, "2025-06-29"),
        (DARMSTADT_DIEBURG, "2027-03-14"),
        (DARMSTADT_DIEBURG, "2027-03-31"),
        (FIXED_TERM_END, "2026-03-31"),
        (FIXED_QUARTER, "2026-03-31"),
    ],
)
def test_notice_deadline_rejects_a_day_that_is_no_admissible_end(terms, end_date):
    with pytest.raises(ValueError, match="kein zulässiger Beendigungstermin"):
        notice_deadline(terms, effective_from=d("2025-03-15"), end_date=d(end_date))


def test_notice_deadline_rejects_an_end_that_needed_a_notice_before_signing():
    with pytest.raises(ValueError, match="vor der Unterzeichnung"):
        notice_deadline(DINSLAKEN, effective_from=d("2025-03-15"), end_date=d("2025-03-31"))


def test_add_months_clamps_to_the_month_end_both_ways():
    assert add_months(d("2025-05-31"), -3) == d("2025-02-28")
    assert add_months(d("2024-12-31"), 2) == d("2025-02-28")
    assert add_months(d("2024-02-29"), -12) == d("2023-02-28")


# --- properties ------------------------------------------------------------------------------

UNIT_LIMITS = {"days": 120, "weeks": 26, "months": 12}
DATES = st.dates(date(2000, 1, 1), date(2060, 12, 31))
OFFSETS = st.integers(0, 3650)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@st.composite
def terms_strategy(draw, renewal: bool | None = None):
    initial = draw(st.integers(1, 60) if renewal else st.none() | st.integers(1, 60))
    if initial is None or renewal is False:
        renewal_months = None
    elif renewal:
        renewal_months = draw(st.integers(1, 24))
    else:
        renewal_months = draw(st.none() | st.integers(1, 24))
    unit = draw(st.sampled_from(sorted(UNIT_LIMITS)))
    amount = draw(st.integers(1, UNIT_LIMITS[unit]))
    choices = [key for key in NOTICE_TO if initial is not None or key != "term_end"]
    return Terms(initial, renewal_months, (amount, unit), draw(st.sampled_from(choices)))


def _automatic_end(terms: Terms, effective_from: date) -> date | None:
    """End of a term without renewal, where the agreement ends without a notice."""
    return term_end(terms, effective_from=effective_from) if terms.renewal_months is None else None


@PROPERTY_SETTINGS
@given(terms_strategy(), DATES, OFFSETS, st.randoms(use_true_random=False))
def test_termination_date_is_the_first_admissible_end_after_the_notice_period(terms, effective_from, offset, rnd):
    received = effective_from + timedelta(days=offset)
    automatic = _automatic_end(terms, effective_from)
    if automatic is not None and received > automatic:
        with pytest.raises(ValueError, match="bereits"):
            termination_date(terms, effective_from=effective_from, notice_received=received)
        return
    result = termination_date(terms, effective_from=effective_from, notice_received=received)
    period_end = notice_period_end(terms, notice_received=received)
    assert is_admissible_end(terms, effective_from=effective_from, day=result)
    if result == automatic:
        assert result >= received
    else:
        assert result >= period_end
        if result > period_end:  # a sampled day in between is no admissible end
            between = period_end + timedelta(days=rnd.randrange((result - period_end).days))
            assert not is_admissible_end(terms, effective_from=effective_from, day=between)


@PROPERTY_SETTINGS
@given(terms_strategy(), DATES, OFFSETS)
def test_a_notice_on_the_deadline_is_in_time_and_one_a_day_later_is_not(terms, effective_from, offset):
    received = effective_from + timedelta(days=offset)
    automatic = _automatic_end(terms, effective_from)
    if automatic is not None and received > automatic:
        return
    end = termination_date(terms, effective_from=effective_from, notice_received=received)
    deadline = notice_deadline(terms, effective_from=effective_from, end_date=end)
    assert received <= deadline
    assert termination_date(terms, effective_from=effective_from, notice_received=deadline) == end
    if end == automatic:
        assert deadline == end
        with pytest.raises(ValueError, match="bereits"):
            termination_date(terms, effective_from=effective_from, notice_received=deadline + ONE_DAY)
    else:
        assert notice_period_end(terms, notice_received=deadline) <= end
        assert notice_period_end(terms, notice_received=deadline + ONE_DAY) > end
        later = termination_date(terms, effective_from=effective_from, notice_received=deadline + ONE_DAY)
        assert later > end


@PROPERTY_SETTINGS
@given(DATES, st.sampled_from(["days", "weeks", "months"]), st.integers(1, 12))
def test_any_day_deadline_is_in_time_even_for_days_no_period_ends_on(end, unit, amount):
    terms = Terms(None, None, (amount, unit), "any_day")
    deadline = notice_deadline(terms, effective_from=date(1990, 1, 1), end_date=end)
    assert notice_period_end(terms, notice_received=deadline) <= end
    assert notice_period_end(terms, notice_received=deadline + ONE_DAY) > end
    if unit != "months":
        assert deadline == end - timedelta(days=amount * (7 if unit == "weeks" else 1))


@PROPERTY_SETTINGS
@given(terms_strategy(), DATES, OFFSETS)
def test_notice_deadline_rejects_every_day_that_is_no_admissible_end(terms, effective_from, offset):
    day = effective_from + timedelta(days=offset)
    if not is_admissible_end(terms, effective_from=effective_from, day=day):
        with pytest.raises(ValueError, match="kein zulässiger"):
            notice_deadline(terms, effective_from=effective_from, end_date=day)


@PROPERTY_SETTINGS
@given(terms_strategy(renewal=True), DATES, st.integers(0, 3650))
def test_renewal_chain_periods_follow_each_other_without_gaps(terms, effective_from, span):
    until = effective_from + timedelta(days=span)
    starts = renewal_dates(terms, effective_from=effective_from, until=until)
    first_end = term_end(terms, effective_from=effective_from)
    assert first_end == add_months(effective_from, terms.initial_months)
    previous_end = first_end
    for start in starts:
        assert effective_from < start <= until
        assert start == previous_end + ONE_DAY
        assert running_term_end(terms, effective_from=effective_from, on=previous_end) == previous_end
        end = running_term_end(terms, effective_from=effective_from, on=start)
        # § 188 Abs. 2 und 3: the day before the same day number, or the month's last day
        if start.day == 1:
            assert end == add_months(start, terms.renewal_months) - ONE_DAY
        else:
            same_month = add_months(start, terms.renewal_months)
            assert (end.year, end.month) == (same_month.year, same_month.month)
            assert end.day == min(start.day - 1, calendar.monthrange(end.year, end.month)[1])
        assert 28 * terms.renewal_months <= (end - start).days + 1 <= 31 * terms.renewal_months
        if terms.notice_to == "term_end":
            assert is_admissible_end(terms, effective_from=effective_from, day=end)
        previous_end = end
    assert previous_end + ONE_DAY > until  # no renewal starting on or before `until` is missing


@PROPERTY_SETTINGS
@given(terms_strategy(), DATES, st.integers(-400, 3650))
def test_next_notice_deadline_lies_ahead_and_reaches_its_end_date(terms, effective_from, offset):
    today = effective_from + timedelta(days=offset)
    result = next_notice_deadline(terms, effective_from=effective_from, today=today)
    automatic = _automatic_end(terms, effective_from)
    if result is None:
        assert automatic is not None
        return
    deadline, end = result
    assert deadline >= max(today, effective_from)
    assert termination_date(terms, effective_from=effective_from, notice_received=deadline) == end
    assert termination_date(terms, effective_from=effective_from, notice_received=max(today, effective_from)) == end
    assert automatic is None or end < automatic


@PROPERTY_SETTINGS
@given(terms_strategy(), DATES)
def test_notice_period_end_is_after_receipt_and_never_decreases(terms, received):
    period_end = notice_period_end(terms, notice_received=received)
    assert period_end > received
    assert notice_period_end(terms, notice_received=received + ONE_DAY) >= period_end


@PROPERTY_SETTINGS
@given(DATES)
def test_weekend_flag_matches_the_weekday(day):
    assert falls_on_weekend_or_holiday(day) is (day.weekday() >= 5)
    assert falls_on_weekend_or_holiday(day, {day})
