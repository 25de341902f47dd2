"""Decide disputed items: era, search sequence, criteria, cross-cutting rules (guidelines.md §2-§3).

Decision vocabulary: UPHELD means the denial stands (not medically necessary), OVERTURNED
means the item is medically necessary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from openimr.guidelines.era import eras_covering, guideline_era, select_era
from openimr.guidelines.evaluate import CriterionStatus, evaluate_criterion, evaluate_predicate
from openimr.guidelines.loader import KnowledgeBase, eras_of, load_knowledge_base, step_of
from openimr.guidelines.request import DERIVED_ATTRIBUTES, NormalizedRequest
from openimr.guidelines.schema import (
    Category,
    Confidence,
    Entry,
    Era,
    Form,
    FunctionalImprovement,
    SearchStep,
    Source,
    Status,
    weakest,
)
from openimr.model.clinical import ClinicalFacts, FactContext, Medication, Surgery
from openimr.model.determination import Basis, Citation, CitationSource, Decision
from openimr.review.mme import total_daily_mme
from openimr.review.model import (
    CriterionOutcome,
    DecidedItem,
    EngineDetermination,
    ItemStatus,
    LimitOutcome,
)
from openimr.review.normalize import normalize_request
from openimr.review.partial import partly_certified_entries

_MET = CriterionStatus.MET
# Request attribute a limit kind is compared with (kinds left out are not comparable to a
# request: doses, grams a day, periods; "units" is ambiguous between per day and per request).
_LIMIT_ATTRIBUTE = {
    "visits": "sessions",
    "visits_initial": "sessions",
    "per_week": "frequency_per_week",
    "weeks": "duration_weeks",
    "days": "duration_days",
    "levels": "levels",
    "per_session": "levels",
    "hours_per_week": "hours_per_week",
    "hours_total": "hours_total",
    "daily_dose_mg": "daily_dose_mg",
}
_DENY_STATUSES = (Status.NOT_RECOMMENDED, Status.UNDER_STUDY)
_ANCILLARY_QUALIFIERS = ("postoperative", "preoperative")


@dataclass(frozen=True)
class Governing:
    source: Source
    step: SearchStep
    status: Status


def _request_parts(request: NormalizedRequest, facts: ClinicalFacts) -> set[str]:
    if request.body_parts:
        return set(request.body_parts)
    return {b.name for b in facts.body_parts if b.affirmed}


def _candidates(
    entry: Entry,
    era: Era,
    request: NormalizedRequest,
    parts: set[str] | None,
    kb: KnowledgeBase,
    facts: ClinicalFacts,
    on: date | None,
) -> list[tuple[Source, SearchStep]]:
    covering = eras_covering(era)
    found: list[tuple[int, int, Source, SearchStep]] = []
    for order, source in enumerate(entry.sources):
        document = kb.document(source)
        if not document.decides_necessity or not (eras_of(kb, source) & covering):
            continue
        if parts is not None and source.body_parts and not (set(source.body_parts) & parts):
            continue
        if source.forms and request.form is not None and request.form not in source.forms:
            continue
        if source.status is None or not source.status.addresses:
            continue
        if source.when is not None and (
            on is None
            or evaluate_predicate(source.when, facts, request, on).status is not CriterionStatus.MET
        ):
            continue
        step = step_of(document, guideline_era(era))
        found.append((step.order, order, source, step))
    found.sort(key=lambda c: (c[0], c[1]))
    return [(source, step) for _, _, source, step in found]


def governing_source(
    entry: Entry,
    era: Era,
    request: NormalizedRequest,
    facts: ClinicalFacts,
    kb: KnowledgeBase,
    on: date | None = None,
) -> Governing | None:
    """Walk the entry's sources in search-sequence order; the first that addresses it governs.

    Sources limited to body parts are matched with the request's (or the case's) body parts;
    when several requested body parts meet sources at the same step and one of them does not
    recommend the treatment, that one governs (the request is decided as written, X-1). With
    no body-part match at all, the sources are walked without the body-part filter.
    """
    found = _candidates(entry, era, request, _request_parts(request, facts), kb, facts, on)
    if not found:
        found = _candidates(entry, era, request, None, kb, facts, on)
    if not found:
        return None
    first_step = found[0][1]
    same_step = [(source, step) for source, step in found if step is first_step]
    denying = [c for c in same_step if c[0].status in _DENY_STATUSES]
    source, step = (denying or same_step)[0]
    assert source.status is not None
    return Governing(source, step, source.status)


def reviewer_basis(governing: Governing, era: Era, kb: KnowledgeBase) -> Basis:
    """The basis line as letters state it: an MTUS citation, or a Non-MTUS one."""
    source = governing.source
    document = kb.document(source)
    edition = document.edition_for(guideline_era(era)) or document.edition_for(era)
    title = edition.title if edition is not None else document.short
    pages = source.pages if edition is None or edition.pages_valid else None
    if pages and edition is not None and edition.pages_total:
        pages = f"{pages} of {edition.pages_total}"
    mtus = governing.step is SearchStep.MTUS
    cited_source = CitationSource.MTUS if mtus else document.source
    if cited_source is CitationSource.MTUS and not mtus:
        cited_source = CitationSource.OTHER
    section_parts = [
        p for p in (source.chapter and f"{source.chapter} Chapter", source.section) if p
    ]
    if document.chapter and not mtus and not section_parts:
        section_parts = [document.chapter]
    section = ", ".join(section_parts) or None
    citation = Citation(source=cited_source, title=title, section=section, pages=pages)
    where = (
        f"{title}" + (f", {section}" if section else "") + (f", page(s) {pages}" if pages else "")
    )
    if mtus:
        text = f"Decision based on MTUS {where}."
    else:
        text = (
            "The Expert Reviewer did not base their decision on the MTUS. "
            f"Decision based on Non-MTUS Citation {where}."
        )
    return Basis(cited=True, citations=[citation], text=text)


def _is_renewal(entry: Entry, request: NormalizedRequest, facts: ClinicalFacts) -> bool:
    """A request to continue or repeat (X-3): stated, or the treatment already given or taken."""
    if request.additional:
        return True
    tried = (FactContext.AFFIRMED, FactContext.HISTORICAL)
    for t in facts.treatments:
        # A course already authorized makes a further request a continuation, given or not.
        authorized = t.authorized and t.context is not FactContext.NEGATED
        if t.concept == entry.concept and (t.context in tried or authorized):
            return True
    drug = (request.drug or "").casefold()
    if drug and entry.drug:
        for med in facts.medications:
            if med.context in tried and med.current and not med.new_start and _same_drug(drug, med):
                return True
    return False


def _principal(name: str) -> str:
    """The first ingredient word of a drug name: "hydrocodone/acetaminophen" -> "hydrocodone"."""
    words = re.split(r"[\s/\-]+", name.casefold().strip())
    return words[0] if words else ""


def _same_drug(drug: str, med: Medication) -> bool:
    """The medicine taken is the requested drug, compared by principal ingredient, so taking
    acetaminophen does not make hydrocodone/acetaminophen a refill."""
    principal = _principal(drug)
    return any(n and _principal(n) == principal for n in (med.generic, med.text))


def _continuation_entry(
    entry: Entry, request: NormalizedRequest, facts: ClinicalFacts, kb: KnowledgeBase
) -> Entry:
    """Use the entry's continuation rule when the requested drug is already being taken."""
    target = next((r.entry for r in entry.related if r.role == "continuation"), None)
    if target is None or target not in kb.entries:
        return entry
    if request.additional:
        # A stated refill or continuation is judged by the continuation rule: without
        # documented prior use its criteria are simply not documented.
        return kb.get(target)
    drug = (request.drug or "").casefold()
    for med in facts.medications:
        if not (med.current and med.affirmed) or med.new_start:
            continue
        if (drug and _same_drug(drug, med)) or (
            (med.drug_class or "") in ("opioid", "short_acting_opioid", "long_acting_opioid")
            and entry.concept.startswith("opioid")
        ):
            return kb.get(target)
    return entry


def _criteria(
    entry: Entry,
    era: Era,
    renewal: bool,
    facts: ClinicalFacts,
    request: NormalizedRequest,
    on: date,
) -> list[CriterionOutcome]:
    covering = eras_covering(era)
    out: list[CriterionOutcome] = []
    for criterion in entry.criteria:
        if criterion.eras and not (set(criterion.eras) & covering):
            continue
        if criterion.applies == "initial" and renewal:
            continue
        if criterion.applies == "renewal" and not renewal:
            continue
        result = evaluate_criterion(criterion, facts, request, on)
        out.append(
            CriterionOutcome(
                entry_id=entry.id,
                criterion_id=criterion.id,
                subject=criterion.subject,
                status=result.status,
                sentence=result.sentence,
                advisory=result.advisory,
                confidence=result.confidence,
                evidence=result.evidence,
                about_request=result.about_request,
                requires_request_period=result.requires_request_period,
                computed=result.computed,
            )
        )
    return out


def _limits(
    entry: Entry,
    era: Era,
    renewal: bool,
    facts: ClinicalFacts,
    request: NormalizedRequest,
    on: date,
) -> list[LimitOutcome]:
    """Hard limits the request as written goes beyond (X-1)."""
    covering = eras_covering(era)
    applicable: dict[str, list[tuple[float, str, str]]] = {}
    for limit in entry.limits:
        attribute = _LIMIT_ATTRIBUTE.get(limit.kind)
        if attribute is None or limit.max is None or not limit.is_hard_rule:
            continue
        if limit.eras and not (set(limit.eras) & covering):
            continue
        if limit.kind == "visits_initial" and renewal:
            continue
        when = limit.when
        if when is not None and evaluate_predicate(when, facts, request, on).status is not _MET:
            continue
        applicable.setdefault(limit.kind, []).append((limit.max, limit.id, limit.text))
    exceeded: list[LimitOutcome] = []
    for kind, options in applicable.items():
        attribute = _LIMIT_ATTRIBUTE[kind]
        derive = DERIVED_ATTRIBUTES.get(attribute)
        value = derive(request) if derive else getattr(request, attribute, None)
        if value is None:
            continue
        allowed, limit_id, text = max(options)  # the most generous group that applies
        if float(value) > allowed:
            exceeded.append(
                LimitOutcome(
                    limit_id=limit_id, kind=kind, allowed=allowed, requested=float(value), text=text
                )
            )
    return exceeded


def _drug_dose_limits(
    entry: Entry,
    era: Era,
    renewal: bool,
    facts: ClinicalFacts,
    request: NormalizedRequest,
    on: date,
    kb: KnowledgeBase,
) -> list[LimitOutcome]:
    """A drug's own daily maximum (tramadol 400 mg) still holds when a refill is judged by
    the continuation rule (T-002) instead of the drug's entry."""
    primary = request.primary
    if primary is None or primary == entry.id or primary not in kb.entries:
        return []
    drug_entry = kb.get(primary)
    if not any(r.role == "continuation" and r.entry == entry.id for r in drug_entry.related):
        return []
    found = _limits(drug_entry, era, renewal, facts, request, on)
    return [outcome for outcome in found if outcome.kind == "daily_dose_mg"]


def _dose_ceiling(
    entry: Entry,
    era: Era,
    item: DecidedItem,
    facts: ClinicalFacts,
    request: NormalizedRequest,
    on: date,
    kb: KnowledgeBase,
) -> list[LimitOutcome]:
    """The daily morphine-equivalent ceiling of the entry's dose rule (T-003) for the era.

    Above the ceiling the dose stays supported only when the rule's criteria (a
    pain-management consultation and functional improvement) are documented; they are added
    to the item's criteria then. A total that cannot be computed is not tested.
    """
    rule = next((r.entry for r in entry.related if r.role == "dose_rule"), None)
    if rule is None or rule not in kb.entries:
        return []
    ceiling_entry = kb.get(rule)
    covering = eras_covering(era)
    ceilings = [
        limit
        for limit in ceiling_entry.limits
        if limit.kind == "daily_mme"
        and limit.max is not None
        and limit.is_hard_rule
        and (not limit.eras or set(limit.eras) & covering)
    ]
    if not ceilings:
        return []
    total = total_daily_mme(request, facts)
    ceiling = min(ceilings, key=lambda limit: limit.max or 0)
    if total is None or ceiling.max is None or total <= ceiling.max:
        return []
    exception = _criteria(ceiling_entry, era, False, facts, request, on)
    item.criteria += exception
    if exception and all(c.status is CriterionStatus.MET for c in exception if not c.advisory):
        return []
    return [
        LimitOutcome(
            limit_id=ceiling.id,
            kind=ceiling.kind,
            allowed=ceiling.max,
            requested=total,
            text=ceiling.text,
        )
    ]


def _fails(outcome: CriterionOutcome) -> bool:
    """X-2: a criterion the records do not document is not met.

    A criterion that reads only the request and is "not documented" means the request does
    not state the attribute (e.g. no visit count); silent records are not at issue, so it
    does not fail the item. Exception, opted into per criterion: an item supported only as a
    limited rental whose request does not state the rental period fails it.
    """
    if outcome.status is _MET:
        return False
    if outcome.requires_request_period:
        return True
    return not (outcome.status is CriterionStatus.NOT_DOCUMENTED and outcome.about_request)


def _unshown_conditions(
    status: Status, hard: list[CriterionOutcome], criteria: list[CriterionOutcome]
) -> list[CriterionOutcome]:
    """X-2 for a conditional recommendation whose only encoded conditions are uncertain (U).

    With no hard criterion in force, a "recommended with criteria" source is not shown to
    apply unless its computable conditions are documented; without this the item would be
    found necessary on no evidence at all. The decision then carries confidence U.
    """
    if status is not Status.RECOMMENDED_WITH_CRITERIA or hard:
        return []
    return [c for c in criteria if c.computed and _fails(c)]


def _unrecognized(text: str, reason: str, request: NormalizedRequest | None) -> DecidedItem:
    return DecidedItem(
        request=text, status=ItemStatus.UNRECOGNIZED, reason=reason, normalized=request
    )


def _has_records(facts: ClinicalFacts) -> bool:
    return bool(facts.text.strip()) or bool(
        facts.diagnoses or facts.treatments or facts.medications or facts.body_parts
    )


def decide_entry(
    entry: Entry,
    request: NormalizedRequest,
    facts: ClinicalFacts,
    on: date,
    kb: KnowledgeBase,
    partial: frozenset[str] = frozenset(),
) -> DecidedItem:
    """Decide one item under one entry (no ingredient or ancillary rule).

    `partial`: entry ids the records say utilization review certified in part.
    """
    era = select_era(on, drug=entry.drug)
    item = DecidedItem(
        request=request.text,
        treatment_id=entry.id,
        treatment_name=entry.name,
        category=entry.category.value,
        era=era,
        normalized=request,
    )
    governing = governing_source(entry, era, request, facts, kb, on)
    if governing is None:
        item.status = ItemStatus.CANNOT_DECIDE
        item.reason = f"cannot decide: missing a guideline source for {entry.id} in era {era.value}"
        return item
    item.search_step = governing.step
    item.guideline_status = governing.status
    item.guideline_position = governing.source.position
    item.reviewer_basis = reviewer_basis(governing, era, kb)
    renewal = _is_renewal(entry, request, facts)
    item.criteria = _criteria(entry, era, renewal, facts, request, on)
    if entry.id in partial:
        renewal = True
        item.criteria.append(_certified_part_outcome(entry, request, facts, on))
    item.limits_exceeded = _limits(entry, era, renewal, facts, request, on)
    item.limits_exceeded += _drug_dose_limits(entry, era, renewal, facts, request, on, kb)
    item.limits_exceeded += _dose_ceiling(entry, era, item, facts, request, on, kb)
    hard = [c for c in item.criteria if not c.advisory]
    failing = [c for c in hard if _fails(c)]
    unshown = _unshown_conditions(governing.status, hard, item.criteria)
    marks: list[Confidence | None] = [governing.source.confidence]
    necessary: bool
    if governing.status in _DENY_STATUSES:
        if governing.status is Status.UNDER_STUDY and hard and not failing:
            necessary = True  # every condition of the narrow exception is shown
            item.reason = "under study, but every condition of the exception is documented"
        else:
            necessary = False
            item.reason = f"the guideline does not recommend it ({governing.status.value})"
        for c in failing or hard:
            c.drove = True
    elif unshown:
        necessary = False
        for c in unshown:
            c.drove = True
        item.rules.append("X-2")
        item.reason = (
            "the recommendation is conditional and its conditions (uncertain) are not shown"
        )
    elif failing:
        necessary = False
        for c in failing:
            c.drove = True
        item.reason = "required criteria not met or not documented"
        if renewal and any(
            c.criterion_id in entry.continuation_criteria or c.criterion_id == _CERTIFIED_PART
            for c in failing
        ):
            item.rules.append("X-3")
        if any(c.status is CriterionStatus.NOT_DOCUMENTED for c in failing):
            item.rules.append("X-2")
    else:
        necessary = True
        item.reason = "the guideline's criteria are met"
    if item.limits_exceeded:
        necessary = False
        item.rules.append("X-1")
        item.reason = "the request as written exceeds the guideline's limit"
    marks += [c.confidence for c in item.criteria if c.drove]
    item.confidence = weakest(*marks)
    item.decision = Decision.OVERTURNED if necessary else Decision.UPHELD
    if not _has_records(facts):
        item.status = ItemStatus.CANNOT_DECIDE
        item.reason = "cannot decide: missing clinical records"
        item.decision = None
    return item


_CERTIFIED_PART = "certified_part_result"
_CERTIFIED_PART_SENTENCES = {
    CriterionStatus.MET: (
        "Utilization review certified part of this request, and the records document "
        "functional improvement from the treatment given."
    ),
    CriterionStatus.NOT_MET: (
        "Utilization review certified part of this request as a trial; the remainder is a "
        "continuation, and the records show no functional improvement from the certified part."
    ),
    CriterionStatus.NOT_DOCUMENTED: (
        "Utilization review certified part of this request as a trial; the remainder is a "
        "continuation, and the records do not document functional improvement from the "
        "certified part, which continuation requires."
    ),
}


def _certified_part_outcome(
    entry: Entry, request: NormalizedRequest, facts: ClinicalFacts, on: date
) -> CriterionOutcome:
    """X-3 on a partial certification: the rest needs the result of the certified part."""
    result = evaluate_predicate(
        FunctionalImprovement(op="functional_improvement"), facts, request, on
    )
    return CriterionOutcome(
        entry_id=entry.id,
        criterion_id=_CERTIFIED_PART,
        subject="documented results of the part of the request certified on review",
        status=result.status,
        sentence=_CERTIFIED_PART_SENTENCES[result.status],
        advisory=False,
        confidence=Confidence.R,
        evidence=result.evidence,
    )


def _ingredient_request(request: NormalizedRequest, name: str, entry_id: str) -> NormalizedRequest:
    return request.model_copy(
        update={
            "compound": False,
            "ingredients": [],
            "primary": entry_id,
            "drug": name,
            "form": Form.TOPICAL,
        }
    )


def decide_item(
    request_text: str,
    facts: ClinicalFacts,
    on: date,
    kb: KnowledgeBase | None = None,
    *,
    normalized: NormalizedRequest | None = None,
    partial: frozenset[str] = frozenset(),
) -> DecidedItem:
    """Decide one disputed item as written (no knowledge of other items)."""
    kb = kb or load_knowledge_base()
    request = normalized or normalize_request(request_text, kb)
    if not request.recognized or request.primary is None:
        return _unrecognized(request_text, request.reason or "not recognized", request)
    entry = _continuation_entry(kb.get(request.primary), request, facts, kb)
    item = decide_entry(entry, request, facts, on, kb, partial)
    if request.compound and item.status is ItemStatus.DECIDED:
        _apply_compound_rule(item, request, facts, on, kb)
    # Several separately requested treatments in one item: each must be necessary.
    others = [m.entry_id for m in request.concepts[1:] if m.via in ("synonym", "compose")]
    if not request.compound:
        for entry_id in dict.fromkeys(others):
            if entry_id == entry.id:
                continue
            other = decide_entry(kb.get(entry_id), request, facts, on, kb, partial)
            if other.decision is Decision.UPHELD and item.decision is Decision.OVERTURNED:
                item.decision = Decision.UPHELD
                item.reason = f"a part of the request ({other.treatment_name}) is not necessary"
                item.criteria += other.criteria
    return item


def _apply_compound_rule(
    item: DecidedItem, request: NormalizedRequest, facts: ClinicalFacts, on: date, kb: KnowledgeBase
) -> None:
    """X-4: one non-recommended ingredient makes the whole compound not recommended."""
    failed: list[str] = []
    for ingredient in request.ingredients:
        if ingredient.entry_id is None:
            failed.append(f"{ingredient.name} (no guideline support found)")
            continue
        sub = decide_entry(
            kb.get(ingredient.entry_id),
            _ingredient_request(request, ingredient.name, ingredient.entry_id),
            facts,
            on,
            kb,
        )
        if sub.decision is Decision.UPHELD:
            failed.append(ingredient.name)
            for c in sub.criteria:
                c.drove = c.drove and True
            item.criteria += [c for c in sub.criteria if c.drove]
    if failed:
        item.rules.append("X-4")
        item.decision = Decision.UPHELD
        item.reason = "the compound contains an ingredient that is not recommended: " + ", ".join(
            failed
        )


def _is_ancillary(request: NormalizedRequest | None, kb: KnowledgeBase) -> bool:
    """Ancillary to a procedure: an ancillary entry (§5.I), or a pre-/post-operative request
    ("Associated surgical service: ...", "Post-op ...")."""
    if request is None:
        return False
    if request.recognized and request.primary and kb.get(request.primary).ancillary:
        return True
    return any(q in request.qualifiers for q in _ANCILLARY_QUALIFIERS)


def _is_procedure(request: NormalizedRequest, kb: KnowledgeBase) -> bool:
    return bool(
        request.recognized
        and request.primary
        and kb.get(request.primary).category is Category.SURGERY
    )


def _ancillary_to_denied(
    text: str, request: NormalizedRequest, procedure: DecidedItem, on: date, kb: KnowledgeBase
) -> DecidedItem:
    """The procedure is not necessary, so the service that serves it is not either (§5.I).

    Applied before any source is required: the ancillary entry may have no source or criteria
    of its own. Its own source is cited when it has one, else the procedure's.
    """
    item = DecidedItem(request=text, status=ItemStatus.DECIDED, normalized=request)
    basis: Basis | None = None
    if request.recognized and request.primary:
        entry = kb.get(request.primary)
        era = select_era(on, drug=entry.drug)
        item.treatment_id, item.treatment_name = entry.id, entry.name
        item.category, item.era = entry.category.value, era
        governing = governing_source(entry, era, request, ClinicalFacts(), kb)
        if governing is not None:
            item.search_step = governing.step
            item.guideline_status = governing.status
            item.guideline_position = governing.source.position
            basis = reviewer_basis(governing, era, kb)
    item.decision = Decision.UPHELD
    item.rules.append("ancillary")
    item.reason = f"ancillary to {procedure.request!r}, which is not medically necessary"
    item.confidence = procedure.confidence
    item.reviewer_basis = basis or procedure.reviewer_basis
    return item


def _no_position_ancillary(
    item: DecidedItem, request: NormalizedRequest, kb: KnowledgeBase
) -> bool:
    """An ancillary item (§5.I) with no guideline position of its own for this era: an
    ancillary entry, or any service requested as pre-/post-operative (e.g. a pre-operative
    EKG; an EKG ordered for a cardiology work-up is not ancillary)."""
    return bool(
        item.status is ItemStatus.CANNOT_DECIDE
        and (item.reason or "").startswith("cannot decide: missing a guideline source")
        and request.recognized
        and request.primary
        and _is_ancillary(request, kb)
    )


def _ancillary_to_necessary(item: DecidedItem, procedure: DecidedItem) -> DecidedItem:
    """A service that only serves a necessary procedure, with no criteria of its own in the
    knowledge base, follows the procedure (§5.I common surgical rule, the converse of the
    ancillary denial): the procedure's necessity is its indication."""
    item.status = ItemStatus.DECIDED
    item.decision = Decision.OVERTURNED
    item.rules.append("ancillary")
    item.reason = (
        f"ancillary to {procedure.request!r}, which is medically necessary; "
        "no separate criteria apply"
    )
    item.confidence = weakest(procedure.confidence, Confidence.U)
    item.reviewer_basis = item.reviewer_basis or procedure.reviewer_basis
    item.search_step = item.search_step or procedure.search_step
    return item


def _with_planned(facts: ClinicalFacts, procedures: list[DecidedItem]) -> ClinicalFacts:
    """The facts plus the necessary procedures of the same case as planned surgeries, so an
    ancillary item's "surgery performed or authorized" criterion sees them."""
    planned = [
        Surgery(
            procedure=p.treatment_name or p.request,
            body_part=(
                p.normalized.body_parts[0] if p.normalized and p.normalized.body_parts else None
            ),
            context=FactContext.HYPOTHETICAL,
            done=False,
        )
        for p in procedures
    ]
    return facts.model_copy(update={"surgeries": [*facts.surgeries, *planned]})


def determine(
    facts: ClinicalFacts,
    items: list[str],
    on: date,
    kb: KnowledgeBase | None = None,
) -> EngineDetermination:
    """Decide every item of a case; services ancillary to an unnecessary procedure fall with it.

    Procedures are decided first. An ancillary item (pre-/post-operative, "associated surgical
    service", ancillary entry) then falls with a denied procedure of the same case, or, when
    the procedure is necessary, is judged on its own criteria with that procedure as planned.
    """
    kb = kb or load_knowledge_base()
    from openimr.review.rationale import write_rationale

    requests = [normalize_request(text, kb) for text in items]
    partial = partly_certified_entries(facts.text, kb)
    decided: list[DecidedItem | None] = [
        decide_item(text, facts, on, kb, normalized=request, partial=partial)
        if _is_procedure(request, kb)
        else None
        for text, request in zip(items, requests, strict=True)
    ]
    procedures = [d for d in decided if d is not None and d.decision is not None]
    denied = next((p for p in procedures if p.decision is Decision.UPHELD), None)
    necessary = [p for p in procedures if p.decision is Decision.OVERTURNED]
    for index, (text, request) in enumerate(zip(items, requests, strict=True)):
        if decided[index] is not None:
            continue
        if _is_ancillary(request, kb) and denied is not None:
            decided[index] = _ancillary_to_denied(text, request, denied, on, kb)
            continue
        item_facts = facts
        if necessary and _is_ancillary(request, kb):
            item_facts = _with_planned(facts, necessary)
        item = decide_item(text, item_facts, on, kb, normalized=request, partial=partial)
        if necessary and _no_position_ancillary(item, request, kb):
            item = _ancillary_to_necessary(item, necessary[0])
        decided[index] = item
    result = [d for d in decided if d is not None]
    for item in result:
        item.rationale = write_rationale(item, kb)
    from openimr.clinical import summarize

    return EngineDetermination(
        items=result,
        clinical_summary=summarize(facts) or None,
        dates={"date_of_injury": facts.date_of_injury, "decision_date": on},
        patient={"age": facts.age, "sex": facts.sex},
    )
