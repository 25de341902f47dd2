"""Daily oral morphine equivalents (MED/MME) of opioid therapy, for the dose ceiling (T-003).

Only what is written counts: a dose needs an opioid ingredient, a strength and how many doses
a day (or a patch's micrograms an hour). An opioid whose daily dose the records or the request
do not state makes the total unknown, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from openimr.errors import KnowledgeBaseError
from openimr.guidelines.request import NormalizedRequest
from openimr.model.clinical import ClinicalFacts, FactContext, Medication
from openimr.review.normalize import doses_per_day_of

DATA_FILE = Path(__file__).parent / "data" / "opioid_conversion.yaml"


class _Band(BaseModel):
    model_config = ConfigDict(extra="forbid")
    up_to_mg: float
    factor: float


class ConversionFile(BaseModel):
    """Schema of opioid_conversion.yaml."""

    model_config = ConfigDict(extra="forbid")
    version: int
    source: str
    factors: dict[str, float]
    fentanyl_mcg_per_hour: float
    methadone_bands: list[_Band] = Field(min_length=1)
    names: dict[str, str]


@dataclass(frozen=True)
class _Table:
    spec: ConversionFile
    names: re.Pattern[str]


@cache
def _table(path: Path = DATA_FILE) -> _Table:
    try:
        spec = ConversionFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        known = set(spec.factors) | {"fentanyl", "methadone"}
        unknown = sorted(set(spec.names.values()) - known)
        if unknown:
            raise ValueError(f"names map to opioids without a factor: {unknown}")
        words = sorted(set(spec.names) | known, key=len, reverse=True)
        names = re.compile(
            r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in words) + r")(?![a-z])",
            re.IGNORECASE,
        )
    except (OSError, yaml.YAMLError, ValueError, re.error) as exc:
        raise KnowledgeBaseError(f"{path.name}: invalid opioid conversion table ({exc})") from exc
    return _Table(spec, names)


_FIRST_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def opioid_of(name: str) -> str | None:
    """The opioid ingredient a drug name names ("Norco" -> hydrocodone), if any."""
    table = _table()
    found = table.names.search(name or "")
    if found is None:
        return None
    word = found.group().casefold()
    return table.spec.names.get(word, word)


def doses_per_day(frequency: str | None) -> float | None:
    """Doses a day a written frequency allows ("every 6 hours" -> 4, "BID" -> 2)."""
    return doses_per_day_of(frequency) if frequency else None


def daily_mme(
    opioid: str, strength: str | None, per_day: float | None, units: float = 1
) -> float | None:
    """Oral morphine mg a day of one opioid at a strength (mg, or mcg/h for a fentanyl patch)
    taken `per_day` times a day, `units` tablets a time. None when not computable."""
    spec = _table().spec
    number = _FIRST_NUMBER.search(strength or "")
    if number is None:
        return None
    amount = float(number.group(1))
    if opioid == "fentanyl":
        return amount * spec.fentanyl_mcg_per_hour if "mcg" in (strength or "").casefold() else None
    if not per_day:
        return None
    mg_a_day = amount * per_day * units
    if opioid == "methadone":
        band = next((b for b in spec.methadone_bands if mg_a_day <= b.up_to_mg), None)
        return mg_a_day * band.factor if band else None
    factor = spec.factors.get(opioid)
    return mg_a_day * factor if factor is not None else None


def _taken(med: Medication) -> bool:
    return med.current and med.context in (FactContext.AFFIRMED, FactContext.HISTORICAL)


def _is_requested(med: Medication, request: NormalizedRequest, requested: str) -> bool:
    """The medicine the request renews: named as the request names it, or the same opioid at
    the same strength (an immediate-release and a long-acting form of one opioid are two)."""
    if opioid_of(med.generic) != requested and opioid_of(med.text) != requested:
        return False
    drug = (request.drug or "").casefold()
    if drug and drug in med.text.casefold():
        return True
    return request.strength is not None and med.strength == request.strength


def total_daily_mme(request: NormalizedRequest, facts: ClinicalFacts) -> float | None:
    """MED of the requested opioid plus the other opioids the worker takes.

    The requested drug replaces a current medication of the same ingredient (a refill is not
    a second drug). None when the requested dose is not computable or another current
    opioid's daily dose is not stated.
    """
    requested = opioid_of(request.drug or request.text)
    if requested is None:
        return None
    strength, per_day = request.strength, request.doses_per_day
    taken = [m for m in facts.medications if _taken(m)]
    refilled = [m for m in taken if _is_requested(m, request, requested)]
    if per_day is None and refilled:  # a refill written without its sig: the notes' dose
        strength = strength or refilled[0].strength
        per_day = doses_per_day(refilled[0].frequency)
    total = daily_mme(requested, strength, per_day, request.units_per_dose or 1)
    if total is None:
        return None
    for med in taken:
        opioid = opioid_of(med.generic) or opioid_of(med.text)
        if opioid is None or med in refilled:
            continue
        other = daily_mme(opioid, med.strength, doses_per_day(med.frequency))
        if other is None:
            return None
        total += other
    return round(total, 1)
