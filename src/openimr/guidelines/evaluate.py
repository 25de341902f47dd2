"""Evaluate criteria (declarative predicates) against ClinicalFacts and a normalized request.

Each criterion yields "met", "not met" or "not documented", the evidence spans behind it
and the sentence a reviewer would write. Missing documentation is "not documented"; rule
X-2 (guidelines.md §3) then treats it as not met, which is the engine's call, not ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum, StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from openimr.guidelines.request import DERIVED_ATTRIBUTES, NormalizedRequest
from openimr.guidelines.schema import (
    Absent,
    AgeIs,
    AllOf,
    AnyOf,
    Confidence,
    Criterion,
    Diagnosis,
    FactFlag,
    FunctionalImprovement,
    HasFact,
    LimbFindings,
    MedicationUse,
    MonthsSinceInjury,
    Predicate,
    RequestIs,
    TreatmentTried,
)
from openimr.model.clinical import (
    ClinicalFacts,
    Fact,
    FactContext,
    FunctionFact,
    Laterality,
    Medication,
    NeuroFinding,
    Response,
    Span,
)


class CriterionStatus(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    NOT_DOCUMENTED = "not documented"


class PredicateResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: CriterionStatus
    evidence: list[Span] = Field(default_factory=list)


class CriterionResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion_id: str
    status: CriterionStatus
    evidence: list[Span] = Field(default_factory=list)
    sentence: str
    advisory: bool  # True: a hint (U confidence or not computable), never a hard rule
    confidence: Confidence
    computed: bool = True  # False: the criterion has no test; status is "not documented"
    # True: the test reads only the request, so "not documented" means the request does not
    # say (e.g. no visit count), not that the records are silent (rule X-2 is about records).
    about_request: bool = False
    # True: the request must state this (a limited rental's period); a request that does not
    # say fails the criterion (Criterion.requires_request_period).
    requires_request_period: bool = False


_MET, _NOT_MET, _NOT_DOC = (
    CriterionStatus.MET,
    CriterionStatus.NOT_MET,
    CriterionStatus.NOT_DOCUMENTED,
)


def _spans(facts: Iterable[Fact]) -> list[Span]:
    out: list[Span] = []
    for fact in facts:
        for span in fact.evidence:
            if span not in out:
                out.append(span)
    return out


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _scalar_equal(actual: Any, expected: Any) -> bool:
    actual = _plain(actual)
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.casefold() == expected.casefold()
    return bool(actual == expected)


def _value_matches(actual: Any, spec: Any) -> bool:
    """One `where` condition. List-valued fields match when any element matches."""
    if isinstance(actual, list):
        return any(_value_matches(element, spec) for element in actual)
    if isinstance(spec, dict) and "not" in spec:
        excluded = spec["not"] if isinstance(spec["not"], list) else [spec["not"]]
        if actual is not None and any(_scalar_equal(actual, o) for o in excluded):
            return False
        rest = {k: v for k, v in spec.items() if k != "not"}
        return not rest or _value_matches(actual, rest)
    if actual is None:
        return False
    if isinstance(spec, dict):
        for operator, operand in spec.items():
            if operator == "regex" and not _regex(str(operand)).search(str(_plain(actual))):
                return False
            if operator == "contains" and str(operand).casefold() not in str(actual).casefold():
                return False
            if operator == "gte" and not float(actual) >= float(operand):
                return False
            if operator == "lte" and not float(actual) <= float(operand):
                return False
            if operator == "any" and not any(_scalar_equal(actual, o) for o in operand):
                return False
        return True
    if isinstance(spec, list):
        return any(_scalar_equal(actual, option) for option in spec)
    return _scalar_equal(actual, spec)


def _fact_matches(fact: Fact, where: dict[str, Any]) -> bool:
    return all(_value_matches(getattr(fact, key, None), spec) for key, spec in where.items())


def _fact_date(fact: Fact) -> date | None:
    on = getattr(fact, "on", None)
    if isinstance(on, date):
        return on
    dates = getattr(fact, "dates", None)
    if dates:
        return max(dates)
    return None


def _grade(matches: Sequence[Fact], contexts: set[str], min_count: int) -> PredicateResult:
    accepted = [f for f in matches if f.context.value in contexts]
    if len(accepted) >= min_count:
        return PredicateResult(status=_MET, evidence=_spans(accepted))
    if accepted:
        return PredicateResult(status=_NOT_MET, evidence=_spans(accepted))
    negated = [f for f in matches if f.context is FactContext.NEGATED]
    if negated:
        return PredicateResult(status=_NOT_MET, evidence=_spans(negated))
    return PredicateResult(status=_NOT_DOC)


@lru_cache(maxsize=1)
def _part_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Body-part word -> canonical name, name -> region, spinal region -> limb it serves."""
    from openimr.guidelines.loader import load_knowledge_base

    vocab = load_knowledge_base().vocabulary
    canonical: dict[str, str] = {}
    region: dict[str, str] = {}
    for term in vocab.body_parts:
        region[term.name] = term.region
        for word in (term.name, *term.synonyms):
            canonical.setdefault(word.casefold(), term.name)
    return canonical, region, dict(vocab.nerve_territory)


_WHOLE_LIMB = {"upper extremity": "upper_extremity", "lower extremity": "lower_extremity"}


def _part_compatible(fact_part: str, requested: str) -> bool:
    """A fact's body part lies within (or contains, or is served by) the requested part."""
    canonical, region, serves = _part_tables()
    fact = canonical.get(fact_part.casefold(), fact_part.casefold())
    wanted = canonical.get(requested.casefold(), requested.casefold())
    if fact == wanted:
        return True
    fact_region, wanted_region = region.get(fact), region.get(wanted)
    if _WHOLE_LIMB.get(wanted) == fact_region or _WHOLE_LIMB.get(fact) == wanted_region:
        return True
    # A spinal region and the limb its nerves serve go together both ways: arm numbness
    # for a neck study, a cervical root sign for a shoulder study (guidelines.md T-068).
    if serves.get(wanted) is not None and serves.get(wanted) == fact_region:
        return True
    return serves.get(fact) is not None and serves.get(fact) == wanted_region


def _at_requested_part(fact: Fact, request: NormalizedRequest | None) -> bool:
    part = getattr(fact, "body_part", None)
    if not part or request is None or not request.body_parts:
        return True
    return any(_part_compatible(part, wanted) for wanted in request.body_parts)


def _has_fact(
    pred: HasFact, facts: ClinicalFacts, on: date, request: NormalizedRequest | None = None
) -> PredicateResult:
    items: list[Fact] = list(getattr(facts, pred.collection))
    matches = [f for f in items if _fact_matches(f, pred.where)]
    if pred.at_requested_part:
        matches = [f for f in matches if _at_requested_part(f, request)]
    if pred.within_days is not None:
        recent = []
        for fact in matches:
            when = _fact_date(fact)
            if when is not None and 0 <= (on - when).days <= pred.within_days:
                recent.append(fact)
        matches = recent
    return _grade(matches, set(pred.contexts), pred.min_count)


def _diagnosis(pred: Diagnosis, facts: ClinicalFacts) -> PredicateResult:
    categories = {c.casefold() for c in pred.categories}
    parts = {b.casefold() for b in pred.body_parts}
    matches = []
    for dx in facts.diagnoses:
        hit = bool(categories & {c.casefold() for c in dx.categories})
        hit = hit or any(_regex(p).search(dx.label) for p in pred.labels)
        if dx.icd10:
            hit = hit or any(dx.icd10.upper().startswith(p.upper()) for p in pred.icd10_prefixes)
        if hit and parts and dx.body_part and dx.body_part.casefold() not in parts:
            hit = False
        if hit:
            matches.append(dx)
    return _grade(matches, {FactContext.AFFIRMED.value}, 1)


_TRIED_CONTEXTS = {FactContext.AFFIRMED.value, FactContext.HISTORICAL.value}


def _classes(medication: Medication) -> set[str]:
    """Every class of a drug: its main class and the more specific ones (e.g. "snri")."""
    classes = {c.casefold() for c in medication.drug_classes}
    if medication.drug_class:
        classes.add(medication.drug_class.casefold())
    return classes


def _treatment_tried(pred: TreatmentTried, facts: ClinicalFacts) -> PredicateResult:
    concepts = {c.casefold() for c in pred.concepts}
    tried = [
        t
        for t in facts.treatments
        if t.concept.casefold() in concepts
        and (
            t.context.value in _TRIED_CONTEXTS
            or (pred.authorized and t.authorized and t.context is not FactContext.NEGATED)
        )
    ]
    meds = [
        m
        for m in facts.medications
        if m.context.value in _TRIED_CONTEXTS
        and (_classes(m) & concepts or any(c in m.generic.casefold() for c in concepts))
    ]
    negated = [t for t in facts.treatments if t.concept.casefold() in concepts and not t.affirmed]
    if not tried and not meds:
        if any(t.context is FactContext.NEGATED for t in negated):
            return PredicateResult(status=_NOT_MET, evidence=_spans(negated))
        return PredicateResult(status=_NOT_DOC)
    wanted = {r.casefold() for r in pred.responses}
    if wanted:
        fitting = [t for t in tried if t.response.value in wanted]
        stated_otherwise = [
            t for t in tried if t.response is not Response.NOT_STATED and t not in fitting
        ]
        if not fitting:
            if stated_otherwise:
                return PredicateResult(status=_NOT_MET, evidence=_spans(stated_otherwise))
            return PredicateResult(status=_NOT_DOC, evidence=_spans([*tried, *meds]))
        pool: list[Fact] = list(fitting)
        distinct = {t.concept.casefold() for t in fitting}
    else:
        pool = [*tried, *meds]
        distinct = {t.concept.casefold() for t in tried}
        distinct |= {(m.drug_class or m.generic).casefold() for m in meds}
    if len(distinct) < pred.min_distinct:
        return PredicateResult(status=_NOT_MET, evidence=_spans(pool))
    if pred.min_quantity is not None:
        total = sum(t.quantity or 0 for t in tried)
        if total < pred.min_quantity:
            return PredicateResult(status=_NOT_MET, evidence=_spans(pool))
    return PredicateResult(status=_MET, evidence=_spans(pool))


def _medication(pred: MedicationUse, facts: ClinicalFacts) -> PredicateResult:
    classes = {c.casefold() for c in pred.drug_classes}
    generics = [g.casefold() for g in pred.generics]
    matches = [
        m
        for m in facts.medications
        if (_classes(m) & classes or any(g in m.generic.casefold() for g in generics))
        and (pred.current is None or m.current == pred.current)
        and not (pred.prior_use and m.new_start)
    ]
    return _grade(matches, {FactContext.AFFIRMED.value}, 1)


def _gain_applies(fn: FunctionFact, concepts: set[str], drugs: set[str]) -> bool:
    """Whether a gain counts for this request: uncredited, or credited to the treatment asked
    about (a gain "since starting PT" does not show that a drug works, nor the reverse)."""
    if not fn.treatment:
        return True
    credited = fn.treatment.casefold()
    return credited in concepts if concepts else credited in drugs


def _functional_improvement(pred: FunctionalImprovement, facts: ClinicalFacts) -> PredicateResult:
    """Functional improvement per 9792.20 (guidelines 2.3): a gain in daily activities or a
    return to work, credited to the treatment asked about when its sentence names one. An
    "improved" response to that treatment still counts: dropping it (it may be pain relief
    only) lowered kappa on the corpus, so the reader must first tell pain from function."""
    concepts = {c.casefold() for c in pred.concepts}
    drugs = {m.generic.casefold() for m in facts.medications}
    positive: list[Fact] = []
    negative: list[Fact] = []
    for fn in facts.function:
        if fn.kind in _GAIN_KINDS:
            if fn.affirmed and _gain_applies(fn, concepts, drugs):
                positive.append(fn)
            elif fn.kind == "functional_improvement" and fn.context is FactContext.NEGATED:
                negative.append(fn)
        elif fn.kind == "no_functional_improvement" and fn.affirmed:
            negative.append(fn)
    for t in facts.treatments:
        tried = t.concept.casefold() in concepts and t.context.value in _TRIED_CONTEXTS
        if tried and t.response is Response.IMPROVED and not t.pain_relief_only:
            positive.append(t)
        elif tried and t.response in (Response.NO_BENEFIT, Response.WORSE):
            negative.append(t)
    if negative:  # a documented lack of improvement outweighs a general statement of benefit
        return PredicateResult(status=_NOT_MET, evidence=_spans(negative))
    if positive:
        return PredicateResult(status=_MET, evidence=_spans(positive))
    return PredicateResult(status=_NOT_DOC)


# Function facts that show improvement: a gain in daily activities, or a return to work.
_GAIN_KINDS = frozenset({"functional_improvement", "return_to_work"})


_LIMBS = ("upper_extremity", "lower_extremity")


@lru_cache(maxsize=1)
def _limb_tables() -> tuple[dict[str, str], dict[str, str]]:
    """Body-part word -> limb, and neurologic sign kind -> limb, from the vocabulary."""
    from openimr.guidelines.loader import load_knowledge_base

    vocab = load_knowledge_base().vocabulary
    limb_of: dict[str, str] = {}
    for term in vocab.body_parts:
        limb = vocab.nerve_territory.get(term.name, term.region)
        if limb in _LIMBS:
            for word in (term.name, *term.synonyms):
                limb_of[word.casefold()] = limb
    return limb_of, dict(vocab.finding_limb)


def _limb(body_part: str | None) -> str | None:
    return _limb_tables()[0].get(body_part.casefold()) if body_part else None


def _finding_limb(finding: NeuroFinding) -> str | None:
    return _limb(finding.body_part) or _limb_tables()[1].get(finding.kind)


def _sides(laterality: Laterality | None) -> set[str]:
    if laterality is None:
        return set()
    if laterality is Laterality.BILATERAL:
        return {"left", "right"}
    return {laterality.value}


_NERVE_DX = "neuropathic_pain"  # diagnoses.yaml: radiculopathies, entrapments, neuropathies


def _limb_findings(
    pred: LimbFindings, facts: ClinicalFacts, request: NormalizedRequest | None
) -> PredicateResult:
    findings = [f for f in facts.neuro_findings if f.affirmed]
    limbs = {limb for p in (request.body_parts if request else []) if (limb := _limb(p))}
    affected = [b for b in facts.body_parts if b.affirmed and _limb(b.name) in limbs]
    if pred.check == "side":
        if request is None or request.laterality != "bilateral":
            return PredicateResult(status=_MET)
        # The findings themselves must state the sides; a painful limb on both sides is
        # not documented bilateral neurologic symptoms.
        relevant = [f for f in findings if _finding_limb(f) in limbs or _finding_limb(f) is None]
        # A sided nerve diagnosis of the studied limbs ("bilateral carpal tunnel syndrome")
        # documents the side of the neurologic symptoms as well as a sign does.
        nerve_dx = [
            d
            for d in facts.diagnoses
            if d.affirmed and _NERVE_DX in d.categories and _limb(d.body_part) in limbs
        ]
        stated = [f.laterality for f in relevant] + [d.laterality for d in nerve_dx]
        sides = set().union(*(_sides(side) for side in stated))
        status = _MET if {"left", "right"} <= sides else _NOT_DOC
        return PredicateResult(status=status, evidence=_spans([*relevant, *nerve_dx]))
    if not findings:
        negated = [f for f in facts.neuro_findings if f.context is FactContext.NEGATED]
        return PredicateResult(status=_NOT_MET if negated else _NOT_DOC, evidence=_spans(negated))
    if not limbs:  # the request names no limb: any neurologic finding
        return PredicateResult(status=_MET, evidence=_spans(findings))
    in_limb = [f for f in findings if _finding_limb(f) in limbs]
    if in_limb:
        return PredicateResult(status=_MET, evidence=_spans(in_limb))
    elsewhere = [f for f in findings if _finding_limb(f) is not None]
    if elsewhere:  # sited findings are all in another limb; unsited ones go with them
        return PredicateResult(status=_NOT_MET, evidence=_spans(elsewhere))
    if affected:  # unsited findings, and the studied limb is among the affected parts
        return PredicateResult(status=_MET, evidence=_spans([*findings, *affected]))
    return PredicateResult(status=_NOT_DOC, evidence=_spans(findings))


def _compare(value: float, gte: float | None, lte: float | None) -> CriterionStatus:
    if gte is not None and value < gte:
        return _NOT_MET
    if lte is not None and value > lte:
        return _NOT_MET
    return _MET


# Attributes that can stand in for each other (a course stated in days or in weeks).
_EQUIVALENT: dict[str, tuple[str, float]] = {
    "duration_weeks": ("duration_days", 1 / 7),
    "duration_days": ("duration_weeks", 7.0),
}


def _request_value(request: NormalizedRequest | None, attribute: str) -> Any:
    if request is None:
        return None
    if attribute in DERIVED_ATTRIBUTES:
        return DERIVED_ATTRIBUTES[attribute](request)
    value = getattr(request, attribute, None)
    if value is None and attribute in _EQUIVALENT:
        other, factor = _EQUIVALENT[attribute]
        stated = getattr(request, other, None)
        if isinstance(stated, int | float) and not isinstance(stated, bool):
            value = stated * factor
    return value


def _request(pred: RequestIs, request: NormalizedRequest | None) -> PredicateResult:
    value = _request_value(request, pred.attribute)
    if value is None or value == []:
        return PredicateResult(status=_NOT_DOC)
    if pred.regex is not None:
        values = value if isinstance(value, list) else [value]
        hit = any(_regex(pred.regex).search(str(_plain(v))) for v in values)
        return PredicateResult(status=_MET if hit else _NOT_MET)
    if pred.any_of:
        options = {o.casefold() for o in pred.any_of}
        values = value if isinstance(value, list) else [value]
        hit = any(str(_plain(v)).casefold() in options for v in values)
        return PredicateResult(status=_MET if hit else _NOT_MET)
    if pred.equals is not None:
        return PredicateResult(status=_MET if _scalar_equal(value, pred.equals) else _NOT_MET)
    if isinstance(value, bool):  # a yes/no attribute with no `equals`: met when set
        return PredicateResult(status=_MET if value else _NOT_MET)
    if not isinstance(value, int | float):
        return PredicateResult(status=_MET)
    return PredicateResult(status=_compare(float(value), pred.gte, pred.lte))


_ONSET_CONTEXTS = (FactContext.AFFIRMED, FactContext.HISTORICAL)


def _months_since(pred: MonthsSinceInjury, facts: ClinicalFacts, on: date) -> PredicateResult:
    """Months (or weeks) from the earliest documented onset of the named symptoms, else from
    the injury. A relative onset with no date ("began 3 weeks ago") counts its days only, a
    lower bound of the time to the decision."""
    days: float | None = None
    evidence: list[Span] = []
    if pred.lte is None and facts.latest_note_date is not None and facts.latest_note_date > on:
        # A lower bound only ("lasting more than ..."): the review reads every record sent,
        # and a later note still under treatment shows the condition lasted at least to it.
        on = facts.latest_note_date
    if pred.symptoms is not None:
        pattern = _regex(pred.symptoms)
        for onset in facts.symptom_onsets:
            if onset.context not in _ONSET_CONTEXTS or not pattern.search(onset.symptom):
                continue
            if onset.on is not None and onset.on <= on:
                span = float((on - onset.on).days)
            elif onset.ago_days is not None:
                span = float(onset.ago_days)
            else:
                continue
            if days is None or span > days:
                days, evidence = span, list(onset.evidence)
    if days is None:
        months = facts.months_since_injury(on)
        if months is None:
            return PredicateResult(status=_NOT_DOC)
        days = months * 30.4375
    value = days / 7 if pred.unit == "weeks" else days / 30.4375
    return PredicateResult(status=_compare(value, pred.gte, pred.lte), evidence=evidence)


def evaluate_predicate(
    pred: Predicate, facts: ClinicalFacts, request: NormalizedRequest | None, on: date
) -> PredicateResult:
    """Status and evidence of one predicate."""
    if isinstance(pred, HasFact):
        return _has_fact(pred, facts, on, request)
    if isinstance(pred, Diagnosis):
        return _diagnosis(pred, facts)
    if isinstance(pred, TreatmentTried):
        return _treatment_tried(pred, facts)
    if isinstance(pred, MedicationUse):
        return _medication(pred, facts)
    if isinstance(pred, FunctionalImprovement):
        return _functional_improvement(pred, facts)
    if isinstance(pred, MonthsSinceInjury):
        return _months_since(pred, facts, on)
    if isinstance(pred, LimbFindings):
        return _limb_findings(pred, facts, request)
    if isinstance(pred, AgeIs):
        if facts.age is None:
            return PredicateResult(status=_NOT_DOC)
        return PredicateResult(status=_compare(facts.age, pred.gte, pred.lte))
    if isinstance(pred, RequestIs):
        return _request(pred, request)
    if isinstance(pred, FactFlag):
        flag = getattr(facts, pred.field)
        if flag is None:
            return PredicateResult(status=_NOT_DOC)
        return PredicateResult(status=_MET if flag == pred.equals else _NOT_MET)
    if isinstance(pred, Absent):
        inner = evaluate_predicate(pred.of, facts, request, on)
        if inner.status is _MET:
            return PredicateResult(status=_NOT_MET, evidence=inner.evidence)
        return PredicateResult(status=_MET, evidence=inner.evidence)
    if isinstance(pred, AllOf):
        parts = [evaluate_predicate(p, facts, request, on) for p in pred.of]
        evidence = [s for part in parts for s in part.evidence]
        for status in (_NOT_MET, _NOT_DOC):
            if any(part.status is status for part in parts):
                failing = [s for part in parts if part.status is status for s in part.evidence]
                return PredicateResult(status=status, evidence=failing)
        return PredicateResult(status=_MET, evidence=evidence)
    if isinstance(pred, AnyOf):
        parts = [evaluate_predicate(p, facts, request, on) for p in pred.of]
        met = [part for part in parts if part.status is _MET]
        if met:
            return PredicateResult(status=_MET, evidence=[s for p in met for s in p.evidence])
        evidence = [s for part in parts for s in part.evidence]
        if any(part.status is _NOT_DOC for part in parts):
            return PredicateResult(status=_NOT_DOC, evidence=evidence)
        return PredicateResult(status=_NOT_MET, evidence=evidence)
    raise TypeError(f"unknown predicate {type(pred).__name__}")  # pragma: no cover


def _about_request(pred: Predicate | None) -> bool:
    """True when the predicate reads only the normalized request (no clinical facts)."""
    if isinstance(pred, RequestIs):
        return True
    if isinstance(pred, Absent):
        return _about_request(pred.of)
    if isinstance(pred, AllOf | AnyOf):
        return all(_about_request(inner) for inner in pred.of)
    return False


def reviewer_sentence(criterion: Criterion, status: CriterionStatus) -> str:
    """The sentence a reviewer writes for this criterion and status (our own wording)."""
    phrasing = criterion.phrasing
    custom = {
        _MET: phrasing.met,
        _NOT_MET: phrasing.not_met,
        _NOT_DOC: phrasing.not_documented,
    }[status]
    if custom:
        return custom
    subject = criterion.subject
    if _about_request(criterion.test):
        return {
            _MET: f"The request as written is consistent with {subject}.",
            _NOT_MET: f"The request as written goes beyond {subject}.",
            _NOT_DOC: f"The request does not state enough to check {subject}.",
        }[status]
    return {
        _MET: f"The records document {subject}.",
        _NOT_MET: f"The records show that {subject} is not established.",
        _NOT_DOC: f"The submitted records do not document {subject}.",
    }[status]


def evaluate_criterion(
    criterion: Criterion,
    facts: ClinicalFacts,
    request: NormalizedRequest | None,
    on_date: date,
) -> CriterionResult:
    """Status, evidence and reviewer sentence of one criterion for this case."""
    if criterion.test is None:
        status = _NOT_DOC
        return CriterionResult(
            criterion_id=criterion.id,
            status=status,
            sentence=reviewer_sentence(criterion, status),
            advisory=True,
            confidence=criterion.confidence,
            computed=False,
        )
    result = evaluate_predicate(criterion.test, facts, request, on_date)
    return CriterionResult(
        criterion_id=criterion.id,
        status=result.status,
        evidence=result.evidence,
        sentence=reviewer_sentence(criterion, result.status),
        advisory=criterion.is_advisory,
        confidence=criterion.confidence,
        about_request=_about_request(criterion.test),
        requires_request_period=criterion.requires_request_period,
    )
