"""Detect a request that utilization review certified in part (rule X-3 on a partial approval).

When UR certifies the trial the guideline supports (fewer visits, a shorter rental) and the rest
goes to IMR, the rest is a continuation: it needs the documented result of the certified part
(guidelines.md §3 X-1, X-3; imr-process.md §5.5). The cues are data
(`data/partial_certification.yaml`).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from openimr.errors import OpenIMRError
from openimr.guidelines.loader import KnowledgeBase

_DATA = Path(__file__).parent / "data" / "partial_certification.yaml"
_SENTENCE = re.compile(r"[^.;\n]+")
# A review recap often lists several outcomes in one sentence ("non-certification of the MRI,
# non-certification of therapy for the knee, and modification for an initial 6 sessions of
# therapy for the spine"): each outcome is its own clause, so only the clause with the cue names
# the treatment certified in part.
_CLAUSE = re.compile(r",|\band\b(?=\s+(?:a\s+)?(?:non-?certif|modif|certif|approv|authoriz|den))")


class _Cues(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    cues: list[str]
    exclusions: list[str] = []

    @field_validator("cues", "exclusions")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            re.compile(pattern)
        return value


class PartialCueError(OpenIMRError):
    """The partial-certification cue file is missing or invalid."""


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    try:
        data = _Cues.model_validate(yaml.safe_load(_DATA.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise PartialCueError(f"{_DATA.name}: invalid cue file") from exc
    cue = re.compile("|".join(f"(?:{c})" for c in data.cues), re.IGNORECASE)
    excl = (
        re.compile("|".join(f"(?:{c})" for c in data.exclusions), re.IGNORECASE)
        if data.exclusions
        else None
    )
    return cue, excl


def _cue_clauses(sentence: str, cue: re.Pattern[str]) -> list[tuple[str, str]]:
    """Each clause of `sentence` holding a cue, with the text from it to the sentence end (read
    when the clause names no treatment of its own)."""
    bounds = [0, *(m.end() for m in _CLAUSE.finditer(sentence)), len(sentence)]
    return [
        (sentence[start:end], sentence[start:])
        for start, end in pairwise(bounds)
        if cue.search(sentence[start:end])
    ] or [(sentence, sentence)]


def partly_certified_entries(text: str, kb: KnowledgeBase) -> frozenset[str]:
    """Entry ids of treatments the case text says UR certified in part."""
    from openimr.review.normalize import normalize_request

    cue, excl = _patterns()
    found: set[str] = set()
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        if not cue.search(sentence) or (excl is not None and excl.search(sentence)):
            continue
        for clause, rest in _cue_clauses(sentence, cue):
            request = normalize_request(clause, kb)
            if not request.concepts:
                request = normalize_request(rest, kb)
            found.update(m.entry_id for m in request.concepts if m.entry_id)
    return frozenset(found)
