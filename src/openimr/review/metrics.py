"""Agreement of engine decisions with real reviewers: accuracy, Cohen's kappa, confusion matrix.

An item the engine does not decide (unrecognized, cannot decide) is its own predicted class
"undecided": it counts against accuracy and kappa, never silently as the majority class.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

UPHELD, OVERTURNED, UNDECIDED = "upheld", "overturned", "undecided"
CLASSES = (UPHELD, OVERTURNED)


class Pair(BaseModel):
    """One compared item."""

    model_config = ConfigDict(extra="forbid")

    case: str
    request: str
    gold: str
    predicted: str
    category: str = "unrecognized"
    treatment_id: str | None = None
    gold_sources: list[str] = Field(default_factory=list)
    predicted_source: str | None = None
    drivers: list[str] = Field(default_factory=list)  # criteria / rules that drove the decision
    reason: str | None = None


def cohen_kappa(gold: list[str], predicted: list[str]) -> float | None:
    """Cohen's kappa over the labels present in either list.

    None (undefined) when there are no items or when chance agreement is 1 (gold and
    predicted labels all one and the same class): kappa is 0/0 there, not perfect agreement.
    """
    n = len(gold)
    if n == 0:
        return None
    observed = sum(g == p for g, p in zip(gold, predicted, strict=True)) / n
    g_count, p_count = Counter(gold), Counter(predicted)
    expected = sum(g_count[k] * p_count[k] for k in set(gold) | set(predicted)) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def summarize(pairs: list[Pair]) -> dict[str, Any]:
    """Every figure `openimr evaluate` reports."""
    gold = [p.gold for p in pairs]
    pred = [p.predicted for p in pairs]
    n = len(pairs)
    labels = [*CLASSES, UNDECIDED]
    confusion = {g: {p: 0 for p in labels} for g in CLASSES}
    for p in pairs:
        confusion[p.gold][p.predicted] += 1
    per_class = {}
    for label in CLASSES:
        tp = confusion[label][label]
        predicted_n = sum(confusion[g][label] for g in CLASSES)
        gold_n = sum(confusion[label].values())
        per_class[label] = {
            "precision": _ratio(tp, predicted_n),
            "recall": _ratio(tp, gold_n),
            "support": gold_n,
        }
    decided = [p for p in pairs if p.predicted != UNDECIDED]
    with_source = [p for p in decided if p.gold_sources and p.predicted_source]
    source_agree = sum(p.predicted_source in p.gold_sources for p in with_source)
    categories: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        categories[p.category].append(p)
    return {
        "items": n,
        "decided": len(decided),
        "decided_rate": _ratio(len(decided), n),
        "accuracy": _ratio(sum(g == q for g, q in zip(gold, pred, strict=True)), n),
        "kappa": _rounded(cohen_kappa(gold, pred)),
        "accuracy_decided": _ratio(sum(p.gold == p.predicted for p in decided), len(decided)),
        "kappa_decided": _rounded(
            cohen_kappa([p.gold for p in decided], [p.predicted for p in decided])
        ),
        "majority_baseline_accuracy": _ratio(max(Counter(gold).values()), n) if n else None,
        "per_class": per_class,
        "confusion": confusion,
        "basis_source_agreement": _ratio(source_agree, len(with_source)),
        "basis_source_compared": len(with_source),
        "per_category": {
            cat: {
                "items": len(ps),
                "decided": sum(p.predicted != UNDECIDED for p in ps),
                "correct": sum(p.gold == p.predicted for p in ps),
            }
            for cat, ps in sorted(categories.items())
        },
        "disagreements": [
            p.model_dump() for p in pairs if p.predicted != UNDECIDED and p.predicted != p.gold
        ],
        "undecided": [
            {"case": p.case, "request": p.request, "reason": p.reason}
            for p in pairs
            if p.predicted == UNDECIDED
        ],
    }
