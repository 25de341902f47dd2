"""Detect a request that utilization review certified in part (rule X-3 on a partial approval).

When UR certifies the trial the guideline supports (fewer visits, a shorter rental) and the rest
goes to IMR, the rest is a continuation: it needs the documented result of the certified part
(guidelines.md §3 X-1, X-3; imr-process.md §5.5). The cues are data
(`data/partial_certification.yaml`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from openimr.errors import OpenIMRError
from openimr.guidelines.loader import KnowledgeBase

_DATA = Path(__file__).parent / "data" / "partial_certification.yaml"
_SENTENCE = re.compile(r"[^.;\n]+")


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


def partly_certified_entries(text: str, kb: KnowledgeBase) -> frozenset[str]:
    """Entry ids of treatments the case text says UR certified in part."""
    from openimr.review.normalize import normalize_request

    cue, excl = _patterns()
    found: set[str] = set()
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        if not cue.search(sentence) or (excl is not None and excl.search(sentence)):
            continue
        request = normalize_request(sentence, kb)
        found.update(m.entry_id for m in request.concepts if m.entry_id)
    return frozenset(found)
