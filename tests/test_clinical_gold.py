"""Precision and recall of the clinical extractor on hand-annotated case summaries.

The gold files (tests/data/clinical/gold/*.yaml) name a shared letter and list the facts a
reader found in its CLINICAL CASE SUMMARY: type, normalized value, context and character
offsets into the summary as `summary_slice` cuts it. The letters' text stays in ../shared.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from openimr.clinical import extract_facts
from openimr.documents import load_document
from openimr.model.clinical import ClinicalFacts, FactContext

HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "data" / "clinical" / "gold"
SHARED = Path(os.environ.get("OPENIMR_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "dwc-letters-2016-2017"

# type -> (precision floor, recall floor): reached on all 42 summaries, minus ~0.04.
FLOORS: dict[str, tuple[float, float]] = {
    "age": (0.96, 0.96),
    "sex": (0.96, 0.96),
    "doi": (0.94, 0.96),
    "dx": (0.93, 0.92),
    "tx": (0.78, 0.79),
    "med": (0.91, 0.85),
    "pain": (0.84, 0.92),
    "test": (0.81, 0.83),
    "work": (0.96, 0.91),
    "neuro": (0.77, 0.75),
    "surgery": (0.96, 0.71),
    "review": (0.91, 0.89),
}

_HEADING = re.compile(r"CLINICAL\s+CASE\s+SUMMARY", re.IGNORECASE)
_END = re.compile(r"IMR\s+ISSUES?", re.IGNORECASE)
_PRESENT = {FactContext.AFFIRMED, FactContext.HISTORICAL}
_CONTEXT_CLASS = {
    FactContext.AFFIRMED: "present",
    FactContext.HISTORICAL: "present",
    FactContext.NEGATED: "negated",
    FactContext.HYPOTHETICAL: "hypothetical",
    FactContext.UNCERTAIN: "uncertain",
    FactContext.FAMILY: "family",
}
_MODALITY = {"EMG": "EMG/NCS", "NCS": "EMG/NCS"}
SPAN_TYPES = ("dx", "tx", "med", "pain", "test", "work", "neuro", "surgery", "review")
DOC_TYPES = ("age", "sex", "doi")


def summary_slice(text: str) -> str:
    """The CLINICAL CASE SUMMARY: after its heading, up to the IMR ISSUES heading."""
    start = _HEADING.search(text)
    if start is None:
        return ""
    end = _END.search(text, start.end())
    return text[start.end() : end.start() if end else len(text)]


def source_path(name: str) -> Path:
    for folder in (SEEDS, CORPUS):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


@cache
def summary_of(name: str) -> str:
    return summary_slice(load_document(source_path(name)).text)


def gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.yaml"))


def load_gold(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# Kinds the annotators did not mark (so the extractor is not scored on them).
NOT_ANNOTATED = {"neuro": {"gait_abnormality"}}


@dataclass(frozen=True)
class Mention:
    """One extracted fact: its type, the values it may match, context class and spans."""

    type: str
    values: frozenset[str]
    context: str
    spans: tuple[tuple[int, int], ...]

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.spans)


def _score_value(low: float, high: float | None) -> str:
    return f"{low:g}" if high is None else f"{low:g}-{high:g}"


def mentions(facts: ClinicalFacts) -> list[Mention]:
    """The extracted facts of the evaluated types."""
    out: list[Mention] = []

    def add(kind: str, values: set[str], context: FactContext, fact: Any) -> None:
        if values & NOT_ANNOTATED.get(kind, set()):
            return
        spans = tuple((span.start, span.end) for span in fact.evidence)
        out.append(Mention(kind, frozenset(values), _CONTEXT_CLASS[context], spans))

    for d in facts.diagnoses:
        add("dx", set(d.categories) or {d.label}, d.context, d)
    for t in facts.treatments:
        add("tx", {t.concept}, t.context, t)
    for m in facts.medications:
        add("med", {m.generic}, m.context, m)
    for p in facts.pain_scores:
        add("pain", {_score_value(p.value, p.value_high)}, p.context, p)
    for r in facts.tests:
        add("test", {_MODALITY.get(r.modality, r.modality)}, r.context, r)
    for w in facts.work_status:
        add("work", {w.status.value}, w.context, w)
    for n in facts.neuro_findings:
        add("neuro", {n.kind}, n.context, n)
    for s in facts.surgeries:
        add("surgery", {"surgery"}, s.context, s)
    for v in facts.prior_reviews:
        add("review", {v.kind}, v.context, v)
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(gold: dict[str, Any], facts: ClinicalFacts, counts: dict[str, Counts]) -> None:
    """Add one document's matches to `counts` (one-to-one, same type/value/context, overlap)."""
    predicted = mentions(facts)
    used: set[int] = set()
    for fact in gold["facts"]:
        kind = fact["type"]
        if kind in DOC_TYPES:
            continue
        value = _MODALITY.get(fact["value"], fact["value"]) if kind == "test" else fact["value"]
        hit = None
        for i, m in enumerate(predicted):
            if i in used or m.type != kind or m.context != fact["context"]:
                continue
            if str(value) in m.values and m.overlaps(fact["start"], fact["end"]):
                hit = i
                break
        if hit is None:
            counts[kind].fn += 1
        else:
            used.add(hit)
            counts[kind].tp += 1
    for i, m in enumerate(predicted):
        if i not in used and m.type in SPAN_TYPES:
            counts[m.type].fp += 1
    _document_values(gold, facts, counts)


def _document_values(gold: dict[str, Any], facts: ClinicalFacts, counts: dict[str, Counts]) -> None:
    expected = {f["type"]: str(f["value"]) for f in gold["facts"] if f["type"] in DOC_TYPES}
    got = {
        "age": str(facts.age) if facts.age is not None else None,
        "sex": facts.sex.value if facts.sex is not None else None,
        "doi": facts.date_of_injury.isoformat() if facts.date_of_injury else None,
    }
    for kind in DOC_TYPES:
        want, have = expected.get(kind), got[kind]
        if want is not None and have == want:
            counts[kind].tp += 1
        else:
            if want is not None:
                counts[kind].fn += 1
            if have is not None:
                counts[kind].fp += 1


def score_gold_set() -> dict[str, Counts]:
    counts: dict[str, Counts] = defaultdict(Counts)
    for path in gold_files():
        gold = load_gold(path)
        facts = extract_facts(summary_of(gold["file"]))
        evaluate(gold, facts, counts)
    return dict(counts)


def table(counts: dict[str, Counts]) -> str:
    lines = [f"{'type':<8} {'P':>6} {'R':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for kind in (*DOC_TYPES, *SPAN_TYPES):
        c = counts.get(kind, Counts())
        lines.append(
            f"{kind:<8} {c.precision:>6.2f} {c.recall:>6.2f} {c.tp:>5} {c.fp:>5} {c.fn:>5}"
        )
    return "\n".join(lines)


def _shared_present() -> bool:
    return CORPUS.is_dir() and SEEDS.is_dir()


# ---------------------------------------------------------------- tests


def test_gold_files_are_well_formed() -> None:
    files = gold_files()
    assert len(files) >= 42
    kinds = set(SPAN_TYPES) | set(DOC_TYPES)
    contexts = set(_CONTEXT_CLASS.values())
    for path in files:
        gold = load_gold(path)
        assert set(gold) == {"file", "summary_chars", "facts"}, path.name
        for fact in gold["facts"]:
            assert set(fact) == {"type", "value", "context", "start", "end"}, path.name
            assert fact["type"] in kinds and fact["context"] in contexts, path.name
            assert 0 <= fact["start"] < fact["end"] <= gold["summary_chars"], path.name


@pytest.mark.corpus
def test_gold_offsets_fit_the_shared_summaries() -> None:
    if not _shared_present():
        pytest.skip("../shared is not present")
    for path in gold_files():
        gold = load_gold(path)
        assert len(summary_of(gold["file"])) == gold["summary_chars"], gold["file"]


def test_summary_slice_cuts_between_the_headings() -> None:
    text = "HEADER\nCLINICAL CASE SUMMARY\nThe worker is 40.\nIMR ISSUES, DECISIONS AND RATIONALES"
    assert summary_slice(text) == "\nThe worker is 40.\n"
    assert summary_slice("no heading here") == ""


@pytest.mark.corpus
def test_precision_and_recall_stay_above_the_floors() -> None:
    if not _shared_present():
        pytest.skip("../shared is not present")
    counts = score_gold_set()
    low = []
    for kind, (p_floor, r_floor) in FLOORS.items():
        c = counts.get(kind, Counts())
        if c.precision < p_floor or c.recall < r_floor:
            low.append(
                f"{kind}: P={c.precision:.2f} (floor {p_floor}) R={c.recall:.2f} (floor {r_floor})"
            )
    assert not low, "\n" + table(counts) + "\n" + "\n".join(low)
