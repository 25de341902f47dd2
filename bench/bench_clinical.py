"""Clinical facts: pipeline load time, time for a ~20-page case file, gold-set P/R.

The case file is synthetic: invented progress notes, an RFA and a UR denial, concatenated
until the text is about 20 pages (~3,000 characters a page). No letter text is used. The
process is pinned to one core where the platform allows it; the median of several rounds
is reported. The gold-set table needs ../shared and is skipped without it.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROUNDS = 7
PAGE_CHARS = 3_000
PAGES = 20

_NOTES = [
    """PRIMARY TREATING PHYSICIAN'S PROGRESS REPORT (PR-2)
Date of visit: {month}/{day}/2016
Subjective: The patient is a 47 year old male seen in follow-up for low back pain radiating
to the left leg with numbness in the left foot. Pain is 7/10 without medications and 4/10
with medications. He denies bowel or bladder incontinence. He reports no improvement with
physical therapy; he completed 12 sessions of physical therapy in the spring. Chiropractic
care helped for a few days only. He is working modified duty with no lifting over 20 pounds.
Medications: Norco 10/325 mg every 6 hours as needed, Flexeril 7.5 mg at bedtime, Prilosec
20 mg daily and Lidoderm patch 5% once a day.
Objective: Tenderness to palpation over the lumbar paraspinal muscles with spasm. Range of
motion of the lumbar spine is decreased. Straight leg raise is positive on the left at 40
degrees. Decreased sensation in the left L5 dermatome. Reflexes are 2+ and symmetric.
Diagnoses: Lumbar radiculopathy. Lumbar disc protrusion at L4-L5. Lumbar sprain/strain.
Plan: Request lumbar epidural steroid injection at L4-L5. Continue home exercise program.
Urine drug screen on {month}/{day}/2016 was consistent with prescribed medications. Opioid
agreement is on file. CURES report reviewed. Will consider surgery if symptoms persist.
""",
    """REQUEST FOR AUTHORIZATION (DWC Form RFA)
Requested: Acupuncture 2 times a week for 3 weeks for the lumbar spine. MRI of the lumbar
spine without contrast to rule out disc herniation. EMG/NCS of the bilateral lower
extremities.
Family history: Mother had rheumatoid arthritis. Father had diabetes.
Past medical history: Hypertension. History of right knee arthroscopy in 2009.
""",
    """UTILIZATION REVIEW DETERMINATION
Date: {month}/{day}/2016. The request for Norco 10/325 mg #120 was modified. The request for
Flexeril 7.5 mg #60 was non-certified. Prior utilization review on {month}/2/2016 denied
acupuncture. The patient has not tried acupuncture. There is no documentation of functional
improvement with the current opioid regimen. X-rays of the lumbar spine on 3/4/2016 showed
mild degenerative disc disease at L5-S1. MRI of the lumbar spine on 4/5/2016 revealed a
4 mm disc protrusion at L4-L5 contacting the left L5 nerve root.
""",
    """PSYCHOLOGICAL CONSULTATION
The patient reports depressed mood, anxiety and difficulty sleeping since the injury. He
denied suicidal ideation. Cognitive behavioral therapy, six sessions, is recommended. He
rates his pain 6-8 out of 10. Sleep disturbance persists despite trazodone 50 mg at bedtime.
Work status: temporarily totally disabled until the next visit.
""",
]


def synthetic_case_file(pages: int = PAGES) -> str:
    """Invented notes repeated (with changing dates) until `pages` pages of text."""
    parts: list[str] = []
    size = 0
    i = 0
    while size < pages * PAGE_CHARS:
        note = _NOTES[i % len(_NOTES)].format(month=1 + i % 12, day=1 + i % 28)
        parts.append(note)
        size += len(note)
        i += 1
    return "\n\n".join(parts)


def _one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
            return "pinned to one core"
        except OSError:
            pass
    return "not pinned"


def main() -> None:
    pinned = _one_core()
    started = time.perf_counter()
    from openimr.clinical import extract_facts, get_pipeline

    get_pipeline()
    extract_facts("warm-up: lumbar radiculopathy, Norco 10/325 mg, pain 5/10.")
    load = time.perf_counter() - started
    case = synthetic_case_file()
    times = []
    facts = None
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        facts = extract_facts(case)
        times.append(time.perf_counter() - t0)
    assert facts is not None
    count = sum(
        len(getattr(facts, name))
        for name in ("diagnoses", "treatments", "medications", "pain_scores", "tests")
    )
    print(f"   clinical pipeline load (imports + rules, once per process): {load:.2f} s")
    print(
        f"   facts for a {len(case) // PAGE_CHARS}-page synthetic case file ({len(case)} chars, "
        f"{pinned}): median {statistics.median(times) * 1000:.0f} ms over {ROUNDS} rounds "
        f"({count} diagnosis/treatment/medication/pain/test facts)"
    )
    _gold_table()


def _gold_table() -> None:
    tests_dir = Path(__file__).resolve().parents[1] / "tests"
    sys.path.insert(0, str(tests_dir))
    try:
        import test_clinical_gold as gold
    finally:
        sys.path.remove(str(tests_dir))
    if not gold.CORPUS.is_dir() or not gold.SEEDS.is_dir():
        print("   gold set: ../shared not present, skipped")
        return
    counts = gold.score_gold_set()
    print(f"   gold set: {len(gold.gold_files())} hand-annotated case summaries")
    for line in gold.table(counts).splitlines():
        print("   " + line)


if __name__ == "__main__":
    main()
