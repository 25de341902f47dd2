"""Letters per second rendered from a Determination record to text, HTML and PDF.

Renders the bundled example record (three items) repeatedly; each format is timed in
several rounds and the median round is reported, so one slow round (a cold cache, another
process on the machine) does not decide the figure. The first render of each format is a
warm-up (template compilation, font loading) and is not counted.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from openimr.letters import render_html, render_pdf, render_text
from openimr.model import Determination

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples" / "records" / "example-determination.json"
)
ROUNDS = 5
LETTERS_PER_ROUND = {"text": 200, "html": 200, "pdf": 10}


def _median_rate(render: Callable[[Determination], object], record: Determination, n: int) -> float:
    render(record)  # warm-up
    rates = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(n):
            render(record)
        rates.append(n / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    record = Determination.model_validate_json(EXAMPLE.read_bytes())
    renderers: dict[str, Callable[[Determination], object]] = {
        "text": render_text,
        "html": render_html,
        "pdf": render_pdf,
    }
    print(f"render: {EXAMPLE.name}, {len(record.items)} items, median of {ROUNDS} rounds")
    for name, render in renderers.items():
        n = LETTERS_PER_ROUND[name]
        rate = _median_rate(render, record, n)
        print(f"  {name:<5} {rate:10.1f} letters/s  ({n} letters per round)")


if __name__ == "__main__":
    main()
