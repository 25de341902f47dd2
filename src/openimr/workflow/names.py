"""Normalizing and comparing the names of people and organizations.

"ABC Insurance Co." and "abc insurance company" are the same payer; "Dr. Dana Q. Whitfield,
M.D." and "Whitfield, Dana" are the same physician. Organizations: legal-form suffixes are
removed by `cleanco`, abbreviations and phrases come from data/names.yaml. People: `nameparser`
splits the parts; titles and post-nominals are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from enum import IntEnum
from functools import lru_cache

from cleanco import basename
from nameparser import HumanName
from pydantic import BaseModel, ConfigDict, Field

from openimr.workflow.rules import read_yaml, validate_table


class NamesData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: str = Field(alias="schema", pattern=r"^openimr\.names/1$")
    legal_suffixes: list[str] = Field(default_factory=list)
    address_abbreviations: dict[str, list[str]] = Field(default_factory=dict)
    abbreviations: dict[str, str]
    org_phrases: list[str]
    org_leading_stopwords: list[str]
    generic_org_words: list[str]
    person_noise: list[str]


@lru_cache(maxsize=1)
def names_data() -> NamesData:
    return validate_table(NamesData, read_yaml("names.yaml", "names.yaml"), "names.yaml")


class NameMatch(IntEnum):
    """How strongly two names denote the same party."""

    NONE = 0
    PROBABLE = 1  # same surname and compatible initial; one name contained in the other
    EXACT = 2  # equal after normalization


_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[^a-z0-9&]+")
_DBA = re.compile(r"\s+(?:d/?b/?a|doing business as|aka|a/k/a)\s+", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case, accents removed, possessives dropped ("Whitfield's" → "whitfield")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _APOSTROPHE.sub("", _POSSESSIVE.sub("", plain)).casefold()


def tokens(text: str) -> list[str]:
    """Words of a name: folded, punctuation removed, abbreviations expanded."""
    abbreviations = names_data().abbreviations
    words = _NON_WORD.sub(" ", fold(text).replace("&", " & ")).split()
    return [abbreviations.get(w, w) for w in words]


def name_variants(name: str) -> list[str]:
    """A name and its d/b/a or a.k.a. parts ("X Inc dba Y Clinic" → [whole, X Inc, Y Clinic])."""
    parts = [p.strip(" ,") for p in _DBA.split(name) if p.strip(" ,")]
    return list(dict.fromkeys([name.strip(), *parts])) if len(parts) > 1 else [name.strip()]


def normalize_org(name: str) -> str:
    """Canonical form of an organization name: "ABC Insurance Co." → "abc insurance"."""
    data = names_data()
    text = " ".join(fold(name).split())
    for phrase in data.org_phrases:
        text = text.replace(phrase, " ")
    text = re.sub(r"[,.]+\s*$", "", " ".join(text.split()))
    previous = None
    while text and text != previous:  # "Acme Co Inc" needs two passes
        previous = text
        text = basename(text).strip(" ,.")
    words = tokens(text or name)
    while words and words[0] in data.org_leading_stopwords:
        words = words[1:]
    return " ".join(words)


class PersonName(BaseModel):
    model_config = ConfigDict(frozen=True)

    first: str = ""
    middle: str = ""
    last: str = ""

    @property
    def key(self) -> str:
        return " ".join(p for p in [self.first, self.last] if p)


def parse_person(name: str) -> PersonName:
    """Split a person's name; titles and post-nominals (Dr., M.D., Jr.) are ignored."""
    noise = set(names_data().person_noise)
    parsed = HumanName(fold(name))

    def clean(part: str) -> str:
        return " ".join(w for w in tokens(part) if w not in noise)

    first, middle, last = clean(parsed.first), clean(parsed.middle), clean(parsed.last)
    if not last and first:  # a single word is a surname ("Whitfield")
        first, last = "", first
    return PersonName(first=first, middle=middle, last=last)


def normalize_person(name: str) -> str:
    return parse_person(name).key


def match_people(a: str, b: str) -> NameMatch:
    pa, pb = parse_person(a), parse_person(b)
    if not pa.last or pa.last != pb.last:
        return NameMatch.NONE
    if pa.first and pb.first:
        if pa.first == pb.first:
            if pa.middle and pb.middle and pa.middle[0] != pb.middle[0]:
                return NameMatch.NONE
            return NameMatch.EXACT
        if min(len(pa.first), len(pb.first)) == 1 and pa.first[0] == pb.first[0]:
            return NameMatch.PROBABLE
        return NameMatch.NONE
    return NameMatch.PROBABLE  # surname only on one side


def match_orgs(a: str, b: str) -> NameMatch:
    best = NameMatch.NONE
    generic = set(names_data().generic_org_words)
    for va in name_variants(a):
        for vb in name_variants(b):
            na, nb = normalize_org(va), normalize_org(vb)
            if not na or not nb:
                continue
            if na == nb:
                return NameMatch.EXACT
            ta, tb = na.split(), nb.split()
            short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
            if _contains(long_, short) and any(w not in generic for w in short):
                best = NameMatch.PROBABLE
    return best


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """True when `needle` occurs as a run of consecutive words in `haystack`."""
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def match_names(a: str, b: str, *, a_is_person: bool, b_is_person: bool) -> NameMatch:
    """Compare two names; people are compared as people, anything else as organizations."""
    if a_is_person and b_is_person:
        return match_people(a, b)
    if a_is_person != b_is_person:  # a person and a firm: only an identical name counts
        return NameMatch.EXACT if normalize_org(a) == normalize_org(b) else NameMatch.NONE
    return match_orgs(a, b)
