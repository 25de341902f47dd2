"""Guideline basis statements: "Decision based on MTUS ..." read into citations and back.

A basis statement says what a party (the claims administrator or the expert reviewer) based
its decision on. Letters write it in a fixed grammar:

- ``Decision based on MTUS <part> [, Section(s): <sections>] [Page(s): <pages>]``, several
  MTUS parts joined by ``, and``;
- ``Decision based on Non-MTUS Citation <citation>``, several joined by
  ``and Other Medical Treatment Guidelines``; a citation may end in ``page(s) <n>``;
- a sentence saying that no medical evidence was cited (``cited`` is then false).

`parse_basis` reads any such statement; `format_basis` writes one that `parse_basis` reads
back to the same citations. The guideline names used to split a citation into its title and
its chapter/topic are data (``data/guideline_titles.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import groupby
from typing import Literal

import jsonschema
import yaml

from openimr.model import Basis, Citation, CitationSource

Party = Literal["claims_administrator", "reviewer"]

_PARTY_NAMES: dict[str, str] = {
    "claims_administrator": "The Claims Administrator",
    "reviewer": "The Expert Reviewer",
}

_TITLES_SCHEMA = {
    "type": "object",
    "required": ["mtus", "non_mtus", "keywords"],
    "additionalProperties": False,
    "properties": {
        "mtus": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "non_mtus": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "pattern"],
                "additionalProperties": False,
                "properties": {
                    "source": {"enum": ["MTUS", "ACOEM", "ODG", "other"]},
                    "pattern": {"type": "string", "minLength": 1},
                },
            },
        },
        "keywords": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

_WS = re.compile(r"\s+")
_NO_EVIDENCE = re.compile(
    r"did\s+not\s+cite\s+any\s+(?:medical\s+)?(?:evidence|guidelines?)"
    r"|no\s+(?:medical\s+)?(?:evidence|guidelines?)\s+(?:was|were)\s+cited",
    re.IGNORECASE,
)
_DECISION_BASED = re.compile(
    r"Decision\s+based\s+on\s+(?:(?P<non>Non\s*-?\s*MTUS(?:\s+Citations?)?)|MTUS)\b[:\s]*",
    re.IGNORECASE,
)
_OTHER_GUIDELINES = re.compile(r",?\s+and\s+Other\s+Medical\s+Treatment\s+Guidelines\s*:?\s*", re.I)
_MTUS_PAGES = re.compile(r"[,;]?\s*Pages?\s*(?:\(s\))?\s*:\s*(?P<pages>.+)$", re.IGNORECASE)
_MTUS_SECTION = re.compile(r",?\s*Sections?\s*(?:\(s\))?\s*:\s*(?P<section>.*)$", re.IGNORECASE)
_CITATION_PAGES = re.compile(
    r"[,;]?\s*(?:pages?\s*\(s\)|pages?|pg\.?|pp?\.)\s*:?\s*"
    r"(?P<pages>\d+[a-z]?(?:\s*[-,]\s*\d+[a-z]?)*(?:\s+of\s+\d+)?)\s*$",
    re.IGNORECASE,
)
# The label `format_basis` writes, "page(s)", followed by whatever the pages are.
_LABELLED_PAGES = re.compile(r",\s*page\(s\)\s+(?P<pages>\S.*)$", re.IGNORECASE)
_LEADING_SEPARATORS = re.compile(r"^[\s,;:\-]+")
_TRAILING_STOP = re.compile(r"[\s.]+$")


@dataclass(frozen=True)
class _Titles:
    mtus: re.Pattern[str]
    mtus_join: re.Pattern[str]
    non_mtus: tuple[tuple[CitationSource, re.Pattern[str]], ...]
    keywords: tuple[tuple[CitationSource, re.Pattern[str]], ...]


def _flexible(name: str) -> str:
    """A literal name as a regex tolerant of whitespace differences."""
    return r"\s+".join(re.escape(word) for word in name.split())


@lru_cache(maxsize=1)
def _titles() -> _Titles:
    raw = yaml.safe_load(
        resources.files("openimr.letters").joinpath("data/guideline_titles.yaml").read_text()
    )
    jsonschema.validate(raw, _TITLES_SCHEMA)
    names = sorted(raw["mtus"], key=len, reverse=True)
    year = r"(?:\s*,?\s*(?:\(\d{4}\)|\d{4}\b))?"
    mtus_alternatives = "|".join(_flexible(n) for n in names)
    # ACOEM chapters adopted into the MTUS are sometimes written "ACOEM Low Back Complaints".
    prefix = r"(?:ACOEM\s+)?"
    mtus = re.compile(rf"{prefix}(?:{mtus_alternatives}){year}(?![\w-])", re.IGNORECASE)
    # ", and <next MTUS part>": split only where a known MTUS part follows, so names that
    # contain "and" ("Neck and Upper Back", "Forearm, Wrist, and Hand") stay whole.
    mtus_join = re.compile(
        rf",\s*and\s+(?={prefix}(?:{mtus_alternatives})(?![\w-]))", re.IGNORECASE
    )
    non_mtus = tuple(
        (CitationSource(entry["source"]), re.compile(entry["pattern"], re.IGNORECASE))
        for entry in raw["non_mtus"]
    )
    keywords = tuple(
        (CitationSource(source), re.compile("|".join(patterns), re.IGNORECASE))
        for source, patterns in raw["keywords"].items()
    )
    return _Titles(mtus=mtus, mtus_join=mtus_join, non_mtus=non_mtus, keywords=keywords)


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace into one space and trim."""
    return _WS.sub(" ", text).strip()


def _clean(fragment: str) -> str:
    return _TRAILING_STOP.sub("", _LEADING_SEPARATORS.sub("", fragment))


def _parse_mtus_part(part: str) -> Citation:
    pages = section = None
    match = _MTUS_PAGES.search(part)
    if match:
        pages = _clean(match["pages"]) or None
        part = part[: match.start()]
    match = _MTUS_SECTION.search(part)
    if match:
        section = _clean(match["section"]) or None
        part = part[: match.start()]
    title = _clean(part)
    known = _titles().mtus.match(title)
    if known and known.end() < len(title):
        # "Chronic Pain Treatment Guidelines Topical Analgesics": the topic follows the name.
        topic = _clean(title[known.end() :])
        title = _clean(known.group(0))
        if topic:
            section = f"{topic}, {section}" if section else topic
    return Citation(source=CitationSource.MTUS, title=title, section=section, pages=pages)


def _parse_non_mtus(text: str) -> Citation:
    pages = None
    match = _CITATION_PAGES.search(text) or _LABELLED_PAGES.search(text)
    if match:
        pages = _clean(match["pages"]) or None
        text = text[: match.start()]
    text = _clean(text)
    titles = _titles()
    for source, pattern in titles.non_mtus:
        known = pattern.match(text)
        if known:
            title = _clean(known.group(0))
            section = _clean(text[known.end() :]) or None
            return Citation(source=source, title=title, section=section, pages=pages)
    for source, pattern in titles.keywords:
        if pattern.search(text):
            return Citation(source=source, title=text, pages=pages)
    return Citation(source=CitationSource.OTHER, title=text, pages=pages)


def _citations(text: str) -> list[Citation]:
    matches = list(_DECISION_BASED.finditer(text))
    citations: list[Citation] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        segment = _clean(text[match.end() : end])
        if not segment:
            continue
        if match["non"]:
            for piece in _OTHER_GUIDELINES.split(segment):
                if _clean(piece):
                    citations.append(_parse_non_mtus(piece))
        else:
            for piece in _titles().mtus_join.split(segment):
                if _clean(piece):
                    citations.append(_parse_mtus_part(piece))
    return citations


def parse_basis(text: str) -> Basis:
    """Read a basis statement ("Decision based on MTUS ...") into a `Basis`.

    `cited` is false only when the statement says no evidence was cited and names nothing.
    A statement that names a guideline outside the usual grammar keeps `cited` true with
    its whole text as one citation of source "other", so nothing the letter says is lost.
    """
    normalized = normalize_space(text)
    citations = _citations(normalized)
    if not citations and _NO_EVIDENCE.search(normalized):
        return Basis(cited=False, citations=[], text=normalized)
    if not citations and normalized:
        citations = [Citation(source=CitationSource.OTHER, title=_clean(normalized))]
    return Basis(cited=bool(citations), citations=citations, text=normalized)


def _format_mtus(citation: Citation) -> str:
    out = citation.title
    if citation.section:
        out += f", Section(s): {citation.section}"
    if citation.pages:
        out += f" Page(s): {citation.pages}"
    return out


def _format_non_mtus(citation: Citation) -> str:
    out = citation.title
    if citation.section:
        out += f", {citation.section}"
    if citation.pages:
        out += f", page(s) {citation.pages}"
    return out


def format_basis(basis_or_citations: Basis | Sequence[Citation], party: Party) -> str:
    """Write a basis statement in the letters' conventional grammar.

    `party` chooses the subject of the framing sentence ("The Claims Administrator" or "The
    Expert Reviewer"). `parse_basis(format_basis(x, p)).citations` equals the citations of
    `x` whenever each citation is in the form `parse_basis` itself produces.
    """
    if party not in _PARTY_NAMES:
        raise ValueError(f"party must be 'claims_administrator' or 'reviewer', not {party!r}")
    subject = _PARTY_NAMES[party]
    if isinstance(basis_or_citations, Basis):
        citations = list(basis_or_citations.citations)
        cited = basis_or_citations.cited and bool(citations)
    else:
        citations = list(basis_or_citations)
        cited = bool(citations)
    if not cited:
        return f"{subject} did not cite any medical evidence."
    sentences = []
    if all(c.source != CitationSource.MTUS for c in citations):
        sentences.append(f"{subject} did not base the decision on the MTUS.")
    # One sentence per run of MTUS or non-MTUS citations, in the order given.
    for is_mtus, run in groupby(citations, key=lambda c: c.source == CitationSource.MTUS):
        group = list(run)
        if is_mtus:
            sentences.append(
                "Decision based on MTUS " + ", and ".join(map(_format_mtus, group)) + "."
            )
        else:
            joined = " and Other Medical Treatment Guidelines ".join(map(_format_non_mtus, group))
            sentences.append(f"Decision based on Non-MTUS Citation {joined}.")
    return " ".join(sentences)


_PROSE_PAGES = re.compile(
    r"\b(?:pages?\s*\(s\)|pages?|pg\.?|pp?\.)\s*:?\s*"
    r"(?P<pages>\d+(?:\s*-\s*\d+)?(?:\s*,\s*\d+(?:\s*-\s*\d+)?)*(?:\s+of\s+\d+)?)",
    re.IGNORECASE,
)
_BARE_MTUS = re.compile(r"\b(?:CA\s+)?MTUS\b|Medical\s+Treatment\s+Utilization\s+Schedule", re.I)
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z])")


def parse_prose_basis(text: str) -> Basis:
    """A basis written as prose ("The reviewer relied on the MTUS ... page 99 because ...").

    Statements in the usual grammar go to `parse_basis`. Otherwise each guideline the prose
    names (a known MTUS part, ODG, ACOEM, or a bare "MTUS") becomes a citation, with the
    pages named in the same sentence; the title is the name as written.
    """
    normalized = normalize_space(text)
    if _DECISION_BASED.search(normalized) or not normalized:
        return parse_basis(normalized)
    titles = _titles()
    citations: list[Citation] = []
    for sentence in _SENTENCE.split(normalized):
        found: list[tuple[int, int, CitationSource]] = []
        for match in titles.mtus.finditer(sentence):
            found.append((match.start(), match.end(), CitationSource.MTUS))
        for source, pattern in titles.non_mtus:
            for match in re.finditer(pattern.pattern, sentence, re.IGNORECASE):
                found.append((match.start(), match.end(), source))
        if not found:
            for match in _BARE_MTUS.finditer(sentence):
                found.append((match.start(), match.end(), CitationSource.MTUS))
        found.sort()
        kept: list[tuple[int, int, CitationSource]] = []
        for start, end, source in found:
            if kept and start < kept[-1][1]:
                continue  # overlaps a longer or earlier name
            kept.append((start, end, source))
        for position, (start, end, source) in enumerate(kept):
            limit = kept[position + 1][0] if position + 1 < len(kept) else len(sentence)
            pages = _PROSE_PAGES.search(sentence, end, limit)
            citation = Citation(
                source=source,
                title=_clean(sentence[start:end]),
                pages=normalize_space(pages["pages"]) if pages else None,
            )
            if citation not in citations:
                citations.append(citation)
    if not citations and _NO_EVIDENCE.search(normalized):
        return Basis(cited=False, citations=[], text=normalized)
    if not citations:
        citations = [Citation(source=CitationSource.OTHER, title=_clean(normalized))]
    return Basis(cited=True, citations=citations, text=normalized)


__all__ = ["Party", "format_basis", "normalize_space", "parse_basis", "parse_prose_basis"]
