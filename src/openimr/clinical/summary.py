"""A CLINICAL CASE SUMMARY paragraph written from ClinicalFacts, in a reviewer's register."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from openimr.model.clinical import (
    ClinicalFacts,
    FactContext,
    Laterality,
    Response,
    WorkStatusKind,
)

_TRIED = (FactContext.AFFIRMED, FactContext.HISTORICAL)
_RESPONSE_WORDS = {
    Response.IMPROVED: "with reported benefit",
    Response.NO_BENEFIT: "without documented benefit",
    Response.WORSE: "with worsening",
}
_WORK_WORDS = {
    WorkStatusKind.FULL_DUTY: "working full duty",
    WorkStatusKind.MODIFIED_DUTY: "on modified duty",
    WorkStatusKind.OFF_WORK: "off work",
    WorkStatusKind.RETIRED: "retired",
    WorkStatusKind.PERMANENT_AND_STATIONARY: "permanent and stationary",
}
_NO_CONTENT = (
    "The records provided do not contain clinical information from which a case summary "
    "could be prepared."
)


def _day(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _join(words: Iterable[str]) -> str:
    items = list(dict.fromkeys(w for w in words if w))
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _side(lat: Laterality | None, name: str | None) -> str:
    if not name:
        return ""
    return f"{lat.value} {name}" if lat else name


def _concept(slug: str) -> str:
    return slug.replace("_", " ")


def summarize(facts: ClinicalFacts) -> str:
    """One paragraph, in our words, of what the extracted facts show."""
    parts: list[str] = []
    who = "The injured worker"
    if facts.age is not None or facts.sex is not None:
        age = f"{facts.age}-year-old " if facts.age is not None else ""
        sex = facts.sex.value if facts.sex is not None else "individual"
        who = f"The injured worker is a {age}{sex}"
        parts.append(
            who
            + (
                f" injured at work on {_day(facts.date_of_injury)}."
                if facts.date_of_injury
                else "."
            )
        )
    elif facts.date_of_injury:
        parts.append(f"The injured worker was injured at work on {_day(facts.date_of_injury)}.")
    body = _join(_side(b.laterality, b.name) for b in facts.body_parts if b.context in _TRIED)
    if body:
        parts.append(f"The complaints involve the {body}.")
    dx = _join(
        d.label + (f" ({d.icd10})" if d.icd10 else "") for d in facts.diagnoses if d.affirmed
    )
    if dx:
        parts.append(f"The documented diagnoses include {dx}.")
    uncertain = _join(d.label for d in facts.diagnoses if d.context is FactContext.UNCERTAIN)
    if uncertain:
        parts.append(f"Still to be confirmed or excluded: {uncertain}.")
    tried = []
    for t in facts.treatments:
        if t.context not in _TRIED:
            continue
        words = _concept(t.concept)
        notes = []
        if t.quantity:
            notes.append(f"{t.quantity} sessions")
        if t.response in _RESPONSE_WORDS:
            notes.append(_RESPONSE_WORDS[t.response])
        tried.append(words + (f" ({'; '.join(notes)})" if notes else ""))
    if tried:
        parts.append(f"Treatment to date has included {_join(tried)}.")
    not_tried = _join(
        _concept(t.concept) for t in facts.treatments if t.context is FactContext.NEGATED
    )
    if not_tried:
        parts.append(f"The records state that the worker has not had {not_tried}.")
    meds = _join(
        m.generic + (f" {m.strength}" if m.strength else "")
        for m in facts.medications
        if m.current and m.context in _TRIED
    )
    if meds:
        parts.append(f"Medications documented include {meds}.")
    past = _join(m.generic for m in facts.medications if not m.current and m.context in _TRIED)
    if past:
        parts.append(f"Earlier medications included {past}.")
    scores = []
    for p in facts.pain_scores:
        value = f"{p.value:g}" + (f"-{p.value_high:g}" if p.value_high is not None else "") + "/10"
        if p.with_medication is True:
            value += " with medication"
        elif p.with_medication is False:
            value += " without medication"
        scores.append(value)
    if scores:
        parts.append(f"Pain was rated {_join(scores)}.")
    neuro = _join(
        n.kind.replace("_", " ") + (f" ({n.detail})" if n.detail else "")
        for n in facts.neuro_findings
        if n.affirmed
    )
    if neuro:
        parts.append(f"Neurological complaints or findings include {neuro}.")
    neg_neuro = _join(
        n.kind.replace("_", " ") for n in facts.neuro_findings if n.context is FactContext.NEGATED
    )
    if neg_neuro:
        parts.append(f"The records are negative for {neg_neuro}.")
    exam = _join(
        (e.name + " test" if e.name else e.kind.replace("_", " "))
        + (f" of the {_side(e.laterality, e.body_part)}" if e.body_part else "")
        for e in facts.exam_findings
        if e.affirmed
    )
    if exam:
        parts.append(f"Examination findings include {exam}.")
    elif facts.physical_exam_documented is False:
        parts.append("No physical examination is documented.")
    tests = []
    for study in facts.tests:
        if study.context not in _TRIED or study.modality == "diagnostic imaging":
            continue
        where = _side(study.laterality, study.body_part)
        text = study.modality + (f" of the {where}" if where else "")
        if study.on:
            text += f" on {_day(study.on)}"
        tests.append(text)
    if tests:
        parts.append(f"Studies on record include {_join(tests)}.")
    flags = _join(r.kind.replace("_", " ") for r in facts.red_flags if r.affirmed)
    if flags:
        parts.append(f"Possible red flags noted: {flags}.")
    surgeries = _join(
        s.procedure + (f" ({_day(s.on)})" if s.on else "") for s in facts.surgeries if s.done
    )
    if surgeries:
        parts.append(f"Surgical history includes {surgeries}.")
    planned = _join(
        s.procedure for s in facts.surgeries if not s.done and s.context is FactContext.HYPOTHETICAL
    )
    if planned:
        parts.append(f"Surgery under consideration: {planned}.")
    work = [w for w in facts.work_status if w.affirmed]
    if work:
        parts.append(f"Most recently the worker was {_WORK_WORDS[work[-1].status]}.")
    monitoring = _join(
        m.kind.replace("_", " ")
        for m in facts.monitoring
        if m.affirmed and m.kind != "side_effects"
    )
    if monitoring:
        parts.append(f"Medication monitoring documented: {monitoring}.")
    reviews = _join(
        f"{r.kind}"
        + (f" on {_day(r.on)}" if r.on else "")
        + (f" ({r.outcome})" if r.outcome else "")
        for r in facts.prior_reviews
        if r.affirmed
    )
    if reviews:
        parts.append(f"Prior review: {reviews}.")
    requested = _join(r.text for r in facts.requested_items)
    if requested:
        parts.append(f"The request under review concerns {requested}.")
    if not parts:
        return _NO_CONTENT
    return " ".join(parts)
