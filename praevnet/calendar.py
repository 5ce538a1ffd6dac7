"""Public holidays of the German Länder (library `holidays`), for meeting plans and deadline warnings."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(state: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv=state, years=[year, year + 1], language="de")


def holiday_name(day: datetime.date, state: str) -> str | None:
    """The German name of the public holiday on `day` in `state` (e.g. "NW"), None on a working day."""
    return _holidays(state, day.year).get(day)
