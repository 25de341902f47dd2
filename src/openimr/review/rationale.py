"""Rationale in our own words: guideline position, tested on the case, item-named conclusion."""

from __future__ import annotations

from openimr.guidelines.loader import KnowledgeBase
from openimr.model.determination import Decision
from openimr.review.model import DecidedItem, ItemStatus

_CONTROLLED = ("opioid", "benzodiazepine", "carisoprodol")


def _position(item: DecidedItem, kb: KnowledgeBase) -> str | None:
    if item.guideline_position:
        return item.guideline_position
    if item.treatment_id is None:
        return None
    entry = kb.entries[item.treatment_id]
    return next((s.position for s in entry.sources if s.position), None)


def write_rationale(item: DecidedItem, kb: KnowledgeBase) -> str:
    """The reviewer's reasoning for one item, ending with the conclusion naming the item."""
    name = item.request.strip().rstrip(".")
    if item.status is not ItemStatus.DECIDED or item.decision is None:
        return f"No determination was made for {name}: {item.reason or 'not decided'}."
    parts: list[str] = []
    if "ancillary" in item.rules:
        parts.append(
            f"This request is a service associated with a procedure; as {item.reason}, "
            "the associated service is not needed either."
        )
    else:
        position = _position(item, kb)
        if position:
            parts.append(position.rstrip(".") + ".")
        drivers = [c for c in item.criteria if c.drove] or [
            c for c in item.criteria if not c.advisory
        ]
        seen: set[str] = set()
        for c in drivers:
            if c.sentence not in seen:
                seen.add(c.sentence)
                parts.append(c.sentence)
        if "X-4" in item.rules:
            listed = item.reason.split(": ", 1)[-1] if item.reason else ""
            parts.append(
                "A compounded product that contains at least one drug or drug class that is not "
                f"recommended is not recommended; here {listed}."
            )
        for limit in item.limits_exceeded:
            parts.append(
                f"The request is for {limit.requested:g} where the guideline allows "
                f"{limit.allowed:g} ({limit.text.rstrip('.')}); the request is decided as "
                "written and cannot be modified."
            )
    if item.decision is Decision.UPHELD:
        if item.treatment_id and any(
            k in (item.treatment_name or "").casefold() for k in _CONTROLLED
        ):
            parts.append("Any weaning of the medication is left to the treating physician.")
        parts.append(f"Therefore, the request for {name} is not medically necessary.")
    else:
        parts.append(f"Therefore, the request for {name} is medically necessary.")
    return " ".join(parts)
