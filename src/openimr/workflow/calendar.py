"""Business-day arithmetic on the California state-holiday calendar.

"Business day" / "working day" follows Labor Code 4600.4(b): not a Saturday, a Sunday or a
state holiday. Holidays come from the maintained `holidays` library, `holidays.US(subdiv="CA")`
(public category): the federal holidays plus California's own (Cesar Chavez Day, the day after
Thanksgiving, and, by year, Lincoln's Birthday to 2009, Columbus Day to 2008, newer additions the
library tracks). Two corrections come from the deadline rule table's `calendar` block:

- `exclude_holidays`: names removed (commemorative or optional days on which state offices
  stay open, e.g. Susan B. Anthony Day, Juneteenth under AB 1655);
- `saturday_to_friday`: the only holidays whose Saturday date moves to the preceding Friday.
  The library applies the federal rule (Saturday → Friday) to every federal holiday; California
  Government Code 6701 moves only Veterans Day that way (a Sunday holiday still moves to
  Monday). Friday "(observed)" days of other holidays are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

_OBSERVED = " (observed)"


class CaliforniaCalendar:
    """Weekends plus California state holidays, minus the excluded names."""

    def __init__(
        self, exclude_names: Iterable[str] = (), saturday_to_friday: Iterable[str] | None = None
    ) -> None:
        self._exclude = frozenset(n.casefold() for n in exclude_names)
        # None keeps the library's observed days unchanged
        self._sat_to_fri = (
            None
            if saturday_to_friday is None
            else frozenset(n.casefold() for n in saturday_to_friday)
        )

    def _keep(self, day: date, name: str) -> bool:
        base = name[: -len(_OBSERVED)] if name.endswith(_OBSERVED) else name
        if base.casefold() in self._exclude:
            return False
        if name.endswith(_OBSERVED) and day.weekday() == 4 and self._sat_to_fri is not None:
            return base.casefold() in self._sat_to_fri
        return True

    @lru_cache(maxsize=64)  # noqa: B019 - one calendar per rule table, kept for the process
    def holidays_in(self, year: int) -> dict[date, str]:
        """{date: name} of the non-business holidays of one year."""
        table = holidays.US(subdiv="CA", years=year)
        out: dict[date, str] = {}
        for day, names in table.items():
            kept = [n for n in names.split("; ") if self._keep(day, n)]
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
