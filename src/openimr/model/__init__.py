"""The shared domain model: one Determination record for parser, engine, renderer and store."""

from openimr.model.determination import (
    Basis,
    Citation,
    CitationSource,
    Decision,
    Determination,
    Generation,
    Item,
    LetterDates,
    Patient,
    Priority,
    Redaction,
    ReviewerCredentials,
    Sex,
)

__all__ = [
    "Basis",
    "Citation",
    "CitationSource",
    "Decision",
    "Determination",
    "Generation",
    "Item",
    "LetterDates",
    "Patient",
    "Priority",
    "Redaction",
    "ReviewerCredentials",
    "Sex",
]
