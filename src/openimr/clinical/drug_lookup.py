"""Fallback drug-name lookup for names our drugs.yaml does not list.

Uses the offline `drug-named-entity-recognition` package (DrugBank/MeSH/NHS names with
brand-to-generic synonyms). It is consulted only for a word written right before a dose
("methylpredniosone 4mg", "Gralise 600 mg": the `drug_fallback_candidate` cue), which keeps
it from reading ordinary words as drugs; its tables (about 3 s to load) are loaded on the
first such word, once per process. Fuzzy matching catches common misspellings.
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache
from typing import Any

_LOCK = threading.Lock()
_MIN_LETTERS = 5  # short words fuzzy-match too many names


@cache
def _finder() -> Any:
    from drug_named_entity_recognition import find_drugs

    return find_drugs


def generic_name(word: str) -> str | None:
    """The generic (lower case) of a drug name or brand, or None when it is not a drug."""
    if len(word) < _MIN_LETTERS or not word.isalpha():
        return None
    return _lookup(word)


@lru_cache(maxsize=4096)
def _lookup(word: str) -> str | None:
    """Cached: a fuzzy lookup scans the whole name table (tens of ms a word)."""
    with _LOCK:
        find = _finder()
    try:
        found = find([word], is_fuzzy_match=True, is_ignore_case=True)
    except Exception:  # a lookup failure must not stop the extraction
        return None
    if not found:
        return None
    name = found[0][0].get("name")
    return str(name).lower() if name else None
