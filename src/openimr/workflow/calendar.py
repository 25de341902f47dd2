"""Business-day arithmetic on the California state-holiday calendar.

"Business day" / "working day" follows Labor Code 4600.4(b): not a Saturday, a Sunday or a
state holiday. Holidays come from the maintained `holidays` library, `holidays.US(subdiv="CA")`
(public category): the federal holidays plus California's own (Cesar Chavez Day, the day after
Thanksgiving, and, by year, Lincoln's Birthday to 2009, Columbus Day to 2008, newer additions the
library tracks), with the library's observed-day shifts. Names listed in the deadline rules'
`calendar.exclude_holidays` are removed (commemorative days on which offices stay open).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


class CaliforniaCalendar:
    """Weekends plus California state holidays, minus the excluded commemorative names."""

    def __init__(self, exclude_names: Iterable[str] = ()) -> None:
        self._exclude = frozenset(n.casefold() for n in exclude_names)

    @lru_cache(maxsize=64)  # noqa: B019 - one calendar per rule table, kept for the process
    def holidays_in(self, year: int) -> dict[date, str]:
        """{date: name} of the non-business holidays of one year."""
        table = holidays.US(subdiv="CA", years=year)
        out: dict[date, str] = {}
        for day, names in table.items():
            kept = [n for n in names.split("; ") if n.casefold() not in self._exclude]
            if kept:
                out[day] = "; ".join(kept)
        return out

    def holiday_name(self, day: date) -> str | None:
        return self.holidays_in(day.year).get(day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_in(day.year)

    def roll_forward(self, day: date) -> date:
        """The first business day on or after `day`."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def add_business_days(self, start: date, count: int) -> date:
        """The `count`-th business day after `start` (start itself is not counted)."""
        if count < 0:
            raise ValueError("count must be >= 0")
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.business_days_between(end, start)
        return sum(
            1
            for n in range(1, (end - start).days + 1)
            if self.is_business_day(start + timedelta(n))
        )
