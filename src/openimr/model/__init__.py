"""The shared domain model: one Determination record for parser, engine, renderer and store."""

from openimr.model.clinical import ClinicalFacts, FactContext, Span
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
    "ClinicalFacts",
    "Decision",
    "Determination",
    "FactContext",
    "Generation",
    "Item",
    "LetterDates",
    "Patient",
    "Priority",
    "Redaction",
    "ReviewerCredentials",
    "Sex",
    "Span",
]
