"""MTUS era selection (guidelines.md §2.1).

E2 starts with requests made on or after 29 Jul 2016, E3 with services on or after
1 Dec 2017; drugs dispensed from 1 Jan 2018 also fall under the MTUS Drug Formulary (F),
whose medical-necessity questions are answered by the E3 guidelines.
"""

from __future__ import annotations

from datetime import date

from openimr.guidelines.schema import ERA_START, Era

_ORDER = (Era.E0, Era.E1, Era.E2, Era.E3)


def select_era(on: date, *, drug: bool = False) -> Era:
    """The era of a request made (or service rendered) on `on`.

    `drug=True` marks an outpatient drug request: from 1 Jan 2018 it is era F.
    """
    if drug and on >= ERA_START[Era.F]:
        return Era.F
    era = Era.E0
    for candidate in _ORDER:
        if on >= ERA_START[candidate]:
            era = candidate
    return era


def guideline_era(era: Era) -> Era:
    """The treatment-guideline era behind `era` (F is judged under the E3 guidelines)."""
    return Era.E3 if era is Era.F else era


def eras_covering(era: Era) -> set[Era]:
    """Eras whose sources apply to a request of `era` (F sees both F and E3 sources)."""
    return {Era.F, Era.E3} if era is Era.F else {era}
