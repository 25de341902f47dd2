"""Determination engine: items decided per second on one core (issue target >= 200 items/s).

Inputs are the corpus letters read as the engine reads a letter (clinical summary, dates and
item texts; never decisions). Letter parsing is done once, outside the timing. Two figures:
with facts extraction (extract_facts + determine per letter) and engine only (determine on
facts extracted beforehand). The median of several rounds is printed. Without ../shared the
bundled example case file is used instead.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date
from pathlib import Path

ROUNDS = 5
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dwc-letters-2016-2017"
EXAMPLE = ROOT / "examples" / "cases" / "lumbar-case-file.txt"


def _one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
            return "pinned to one core"
        except OSError:
            pass
    return "not pinned"


def _inputs() -> tuple[str, list[tuple[str, list[str], date | None, date | None]]]:
    """(label, [(text, items, decision date, date of injury)]) of the cases to decide."""
    from openimr.errors import OpenIMRError
    from openimr.review.case import load_case

    cases = []
    paths = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
    for path in paths:
        try:
            case = load_case(path)
        except (OpenIMRError, OSError):
            continue
        if case.items:
            cases.append((case.text, case.items, case.on, case.date_of_injury))
    if cases:
        return f"{len(cases)} corpus letters", cases
    text = EXAMPLE.read_text(encoding="utf-8")
    items = ["Left L5-S1 transforaminal epidural steroid injection", "Norco 10/325mg #120"]
    return "the example case file (../shared absent)", [(text, items, date(2015, 3, 10), None)]


def main() -> None:
    pinned = _one_core()
    from openimr.clinical import extract_facts
    from openimr.guidelines.loader import load_knowledge_base
    from openimr.model.clinical import ClinicalFacts
    from openimr.review.decide import determine

    label, cases = _inputs()
    kb = load_knowledge_base()
    extract_facts("warm-up: lumbar radiculopathy, Norco 10/325 mg, pain 5/10.")
    n_items = sum(len(items) for _, items, _, _ in cases)
    fallback = date(2016, 12, 1)

    def facts_of(text: str, injured: date | None) -> ClinicalFacts:
        facts = extract_facts(text)
        if facts.date_of_injury is None:
            facts.date_of_injury = injured
        return facts

    full: list[float] = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for text, items, on, injured in cases:
            facts = facts_of(text, injured)
            determine(facts, items, on or facts.latest_note_date or fallback, kb)
        full.append(time.perf_counter() - t0)
    extracted = [(facts_of(text, inj), items, on) for text, items, on, inj in cases]
    engine: list[float] = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for facts, items, on in extracted:
            determine(facts, items, on or facts.latest_note_date or fallback, kb)
        engine.append(time.perf_counter() - t0)
    full_s, engine_s = statistics.median(full), statistics.median(engine)
    print(f"   {n_items} items from {label} ({pinned}), median of {ROUNDS} rounds")
    print(
        f"   with facts extraction: {n_items / full_s:.0f} items/s "
        f"({full_s * 1000 / n_items:.2f} ms/item; target >= 200 items/s)"
    )
    print(
        f"   engine only:           {n_items / engine_s:.0f} items/s "
        f"({engine_s * 1000 / n_items:.2f} ms/item)"
    )


if __name__ == "__main__":
    main()
