"""The Medical Evidence Search Sequence over one entry's sources (guidelines.md §2.2).

`sources_for` lists the sources usable for a request of a given era (and body part or dosage
form), in search-sequence order, each with the edition and step it is cited at;
`governing_source` returns the first one that decides medical necessity and states a
position (MTUS first; ACOEM/ODG only where the MTUS is silent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openimr.guidelines.era import eras_covering
from openimr.guidelines.loader import KnowledgeBase, eras_of, step_of
from openimr.guidelines.schema import (
    Document,
    Edition,
    Entry,
    Era,
    Form,
    SearchStep,
    Source,
)

# For era F (formulary) the treatment guidelines of E3 apply; prefer the request's own era.
_ERA_PREFERENCE = (Era.F, Era.E3, Era.E2, Era.E1, Era.E0)


@dataclass(frozen=True)
class SourceChoice:
    """One usable source, resolved to the edition and search step it is cited at."""

    source: Source
    document: Document
    edition: Edition
    era: Era
    step: SearchStep

    @property
    def pages(self) -> str | None:
        """Page numbers to print, or None when they do not belong to this edition."""
        return self.source.pages if self.edition.pages_valid else None

    @property
    def is_mtus(self) -> bool:
        return self.step is SearchStep.MTUS


def _applies_to(values: Iterable[str], wanted: Iterable[str]) -> bool:
    """A restricted source applies when the request names an overlapping value, or none."""
    restricted, requested = set(values), set(wanted)
    return not restricted or not requested or bool(restricted & requested)


def sources_for(
    kb: KnowledgeBase,
    entry: Entry,
    era: Era,
    *,
    body_parts: Iterable[str] = (),
    form: Form | None = None,
) -> list[SourceChoice]:
    """Usable sources of `entry` for a request of `era`, in search-sequence order."""
    covering = eras_covering(era)
    parts = list(body_parts)
    choices: list[SourceChoice] = []
    for source in entry.sources:
        usable = eras_of(kb, source) & covering
        if not usable:
            continue
        if not _applies_to(source.body_parts, parts):
            continue
        if form is not None and source.forms and form not in source.forms:
            continue
        document = kb.documents[source.document]
        cited_era = next(e for e in _ERA_PREFERENCE if e in usable)
        edition = document.edition_for(cited_era)
        if edition is None:  # pragma: no cover - the loader checks usability
            continue
        choices.append(
            SourceChoice(
                source=source,
                document=document,
                edition=edition,
                era=cited_era,
                step=step_of(document, cited_era),
            )
        )
    return sorted(choices, key=lambda choice: choice.step.order)  # stable: file order within


def governing_source(
    kb: KnowledgeBase,
    entry: Entry,
    era: Era,
    *,
    body_parts: Iterable[str] = (),
    form: Form | None = None,
) -> SourceChoice | None:
    """The first source that decides necessity and states a position; None if none does."""
    for choice in sources_for(kb, entry, era, body_parts=body_parts, form=form):
        status = choice.source.status
        if not choice.document.decides_necessity or status is None or not status.addresses:
            continue
        return choice
    return None
