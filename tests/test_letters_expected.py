"""Parsed letters against hand-checked facts (tests/data/letters/expected.yaml).

The expected values were read by hand from the letters' extracted text, independently of
the parser. Each case parses one letter with `parse_file` and reports every differing field
at once. Citations are compared by source, by pages, and by the words of title + section
taken together: where a guideline's name ends and its chapter begins is a convention, the
words the letter cites are facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from openimr.model import Basis, Determination

EXPECTED_FILE = Path(__file__).resolve().parent / "data" / "letters" / "expected.yaml"
EXPECTED: dict[str, dict[str, dict[str, Any]]] = yaml.safe_load(EXPECTED_FILE.read_text("utf-8"))

DATE_FIELDS = (
    "date_of_injury",
    "date_assigned",
    "decision_date",
    "ur_denial_date",
    "application_received",
)
SOURCES = {"MTUS", "ACOEM", "ODG", "other"}
CASES = [(group, name) for group in ("seeds", "corpus") for name in EXPECTED[group]]

_WS = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-z0-9]+")


def _text(value: str | None) -> str | None:
    """Whitespace collapsed, trailing colon dropped: how an item is compared."""
    if value is None:
        return None
    return _WS.sub(" ", value).strip().rstrip(":").strip()


def _words(*parts: str | None) -> list[str]:
    return [w.lower() for part in parts if part for w in _WORD.findall(part)]


def _value(x: Any) -> Any:
    """Enum → its value, date → ISO string; anything else unchanged."""
    if isinstance(x, date):
        return x.isoformat()
    return getattr(x, "value", x)


def _compare_basis(where: str, got: Basis | None, want: dict[str, Any], out: list[str]) -> None:
    if got is None:
        out.append(f"{where}: missing (expected cited={want['cited']})")
        return
    if got.cited != want["cited"]:
        out.append(f"{where}.cited: got {got.cited}, expected {want['cited']}")
    wanted = want["citations"]
    if len(got.citations) != len(wanted):
        out.append(
            f"{where}.citations: got {len(got.citations)} "
            f"{[(c.source.value, c.title, c.section, c.pages) for c in got.citations]}, "
            f"expected {len(wanted)} "
            f"{[(c['source'], c['title'], c['section'], c['pages']) for c in wanted]}"
        )
        return
    for k, (g, w) in enumerate(zip(got.citations, wanted, strict=True)):
        at = f"{where}.citations[{k}]"
        if g.source.value != w["source"]:
            out.append(f"{at}.source: got {g.source.value!r}, expected {w['source']!r}")
        if _text(g.pages) != _text(w["pages"]):
            out.append(f"{at}.pages: got {g.pages!r}, expected {w['pages']!r}")
        if _words(g.title, g.section) != _words(w["title"], w["section"]):
            out.append(
                f"{at}: got title={g.title!r} section={g.section!r}, "
                f"expected title={w['title']!r} section={w['section']!r}"
            )


def compare(got: Determination, want: dict[str, Any]) -> list[str]:
    """Every difference between a parsed record and the expected facts, one line each."""
    out: list[str] = []

    def check(field: str, got_value: Any, want_value: Any) -> None:
        if got_value != want_value:
            out.append(f"{field}: got {got_value!r}, expected {want_value!r}")

    check("case_number", got.case_number, want["case_number"])
    check("generation", _value(got.generation), want["generation"])
    check("priority", _value(got.priority), want["priority"])
    for field in DATE_FIELDS:
        check(f"dates.{field}", _value(getattr(got.dates, field)), want["dates"][field])
    check("reviewer.licensure", got.reviewer.licensure, want["licensure"])
    check("reviewer.specialties", got.reviewer.specialties, want["specialties"])
    check("patient.age", got.patient.age, want["patient"]["age"])
    check("patient.sex", _value(got.patient.sex), want["patient"]["sex"])
    check("len(items)", len(got.items), want["item_count"])
    for i, (item, expected) in enumerate(zip(got.items, want["items"], strict=False)):
        at = f"items[{i}]"
        check(f"{at}.request", _text(item.request), _text(expected["request"]))
        check(
            f"{at}.original_request",
            _text(item.original_request),
            _text(expected.get("original_request")),
        )
        check(f"{at}.decision", _value(item.decision), expected["decision"])
        _compare_basis(
            f"{at}.claims_administrator_basis",
            item.claims_administrator_basis,
            expected["claims_administrator_basis"],
            out,
        )
        _compare_basis(f"{at}.reviewer_basis", item.reviewer_basis, expected["reviewer_basis"], out)
    return out


@pytest.fixture(scope="module")
def parse_file() -> Callable[[Path], Determination]:
    from openimr.letters import parse_file as parse

    return parse


@pytest.mark.parametrize(("group", "name"), CASES, ids=[name for _, name in CASES])
def test_letter_matches_expected_facts(
    group: str,
    name: str,
    request: pytest.FixtureRequest,
    parse_file: Callable[[Path], Determination],
) -> None:
    directory: Path = request.getfixturevalue("seeds_dir" if group == "seeds" else "corpus_dir")
    parsed = parse_file(directory / name)
    mismatches = compare(parsed, EXPECTED[group][name])
    assert not mismatches, f"{name}: {len(mismatches)} field(s) differ:\n  " + "\n  ".join(
        mismatches
    )


# ---- the expected file itself -----------------------------------------------------------


def test_expected_file_is_consistent() -> None:
    """Counts, enums and dates in expected.yaml agree with themselves (no parser needed)."""
    problems: list[str] = []
    for group in ("seeds", "corpus"):
        for name, letter in EXPECTED[group].items():
            if letter["item_count"] != len(letter["items"]):
                problems.append(f"{name}: item_count {letter['item_count']} != listed items")
            if group == "corpus" and letter["case_number"] != name.removesuffix(".pdf"):
                problems.append(f"{name}: case_number {letter['case_number']}")
            for field in DATE_FIELDS:
                value = letter["dates"][field]
                if value is not None:
                    date.fromisoformat(value)
                elif group == "corpus":
                    problems.append(f"{name}: dates.{field} missing")
            for i, item in enumerate(letter["items"]):
                if item["decision"] not in {"upheld", "overturned"}:
                    problems.append(f"{name} items[{i}]: decision {item['decision']!r}")
                for key in ("claims_administrator_basis", "reviewer_basis"):
                    basis = item[key]
                    if basis["cited"] != bool(basis["citations"]):
                        problems.append(f"{name} items[{i}].{key}: cited/citations disagree")
                    for citation in basis["citations"]:
                        if citation["source"] not in SOURCES:
                            problems.append(f"{name} items[{i}].{key}: {citation['source']!r}")
    assert not problems, "\n".join(problems)


def test_expected_sample_covers_the_variety_it_claims() -> None:
    corpus = EXPECTED["corpus"].values()
    items = [item for letter in corpus for item in letter["items"]]
    assert len(EXPECTED["corpus"]) >= 24
    # 23 overturned items in the whole corpus, counted by reading: all are in the sample.
    assert sum(item["decision"] == "overturned" for item in items) == 23
    assert any("original_request" in item for item in items)
    assert any(not item["claims_administrator_basis"]["cited"] for item in items)
    assert any(len(item["reviewer_basis"]["citations"]) > 1 for item in items)
    assert any(len(letter["licensure"]) > 2 for letter in corpus)


def test_corpus_sample_files_exist(corpus_dir: Path) -> None:
    missing = [name for name in EXPECTED["corpus"] if not (corpus_dir / name).is_file()]
    assert not missing
