"""Letters per second for parsing published letters, against PDF text extraction alone.

Three measurements over the real corpus (../shared/corpus/dwc-letters-2016-2017), cycled
until OPENIMR_BENCH_LETTERS letters (default 10,000) have been processed:

- extract: `load_document(pdf)`, PDF bytes to text, no parsing;
- pdf:     `parse_file(pdf)`, extraction plus parsing;
- text:    `parse_letter(text)` on text extracted beforehand, parsing alone.

Each letter is timed on its own; the table gives the median per-letter time and the overall
throughput, and the ratio pdf / extract says how much parsing adds over extraction. The
first pass over the corpus in each mode is a warm-up and is not counted.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from openimr.documents import load_document

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OPENIMR_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus" / "dwc-letters-2016-2017"
DEFAULT_LETTERS = 10_000


def _letters_wanted() -> int:
    raw = os.environ.get("OPENIMR_BENCH_LETTERS", "")
    try:
        wanted = int(raw) if raw.strip() else DEFAULT_LETTERS
    except ValueError:
        print(f"  OPENIMR_BENCH_LETTERS={raw!r} is not a number; using {DEFAULT_LETTERS}")
        wanted = DEFAULT_LETTERS
    return max(wanted, 1)


def _run(func: Callable[[Any], object], inputs: Sequence[Any], count: int) -> tuple[float, float]:
    """(median seconds per letter, letters per second) over `count` calls cycling `inputs`."""
    for item in inputs:  # warm-up pass, not counted
        func(item)
    times: list[float] = []
    started = time.perf_counter()
    for item in islice(cycle(inputs), count):
        t0 = time.perf_counter()
        func(item)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    return statistics.median(times), count / total


def main() -> None:
    pdfs = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
    if not pdfs:
        print(f"letters: skipped, no corpus at {CORPUS}")
        return
    count = _letters_wanted()
    print(f"letters: {len(pdfs)} corpus PDFs cycled to {count} letters per mode")

    rows: dict[str, tuple[float, float]] = {}
    rows["extract (load_document)"] = _run(load_document, pdfs, count)
    try:
        from openimr.letters import parse_file, parse_letter
    except ImportError as exc:  # the parser is not there yet: extraction alone
        print(f"  parser unavailable ({exc}); reporting extraction only")
        parse_file = parse_letter = None
    if parse_file is not None and parse_letter is not None:
        texts = [load_document(pdf).text for pdf in pdfs]
        rows["pdf (parse_file)"] = _run(parse_file, pdfs, count)
        rows["text (parse_letter)"] = _run(parse_letter, texts, count)

    print(f"  {'mode':<24} {'median ms/letter':>17} {'letters/s':>11}")
    for mode, (median, rate) in rows.items():
        print(f"  {mode:<24} {median * 1000:17.3f} {rate:11.1f}")
    if "pdf (parse_file)" in rows:
        extract_rate = rows["extract (load_document)"][1]
        pdf_rate = rows["pdf (parse_file)"][1]
        extract_median = rows["extract (load_document)"][0]
        pdf_median = rows["pdf (parse_file)"][0]
        print(
            f"  parse-from-PDF / extraction-alone time: {extract_rate / pdf_rate:.2f}x "
            f"(throughput), {pdf_median / extract_median:.2f}x (median)"
        )


if __name__ == "__main__":
    main()
