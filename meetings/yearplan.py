"""The year plan: meeting dates from a network's defaults that avoid the public holidays of its federal state.

Pure functions without database access. The rule: the second <weekday> of the last month of each period
(quarterly: March, June, September, December – after the Easter, summer and autumn holidays of most Länder have
begun or ended and before Christmas); a public holiday moves the date by one week, as often as needed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

from praevnet.calendar import holiday_name

#: Months whose second <weekday> is a meeting, per rhythm (partners.models.Network.Rhythm values).
RHYTHM_MONTHS: dict[str, tuple[int, ...]] = {
    "monthly": tuple(range(1, 13)),
    "quarterly": (3, 6, 9, 12),
    "half_yearly": (6, 12),
    "yearly": (9,),
}


@dataclass(frozen=True)
class PlannedDate:
    day: datetime.date
    skipped: tuple[tuple[datetime.date, str], ...] = ()  # holidays passed over, with their names

    @property
    def note(self) -> str:
        return "; ".join(f"{day:%d.%m.} ist {name}" for day, name in self.skipped)


@cache
def nth_weekday(year: int, month: int, weekday: int, n: int = 2) -> datetime.date:
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (n - 1))


def plan_dates(*, year: int, weekday: int, rhythm: str, state: str) -> list[PlannedDate]:
    """The meeting days of `year` (Monday = 0) in `state`, moved by a week past public holidays."""
    months = RHYTHM_MONTHS.get(rhythm, RHYTHM_MONTHS["quarterly"])
    result = []
    for month in months:
        day = nth_weekday(year, month, weekday)
        skipped = []
        while (name := holiday_name(day, state)) is not None:
            skipped.append((day, name))
            day += datetime.timedelta(days=7)
        result.append(PlannedDate(day=day, skipped=tuple(skipped)))
    return result
