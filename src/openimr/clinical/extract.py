"""Case text → ClinicalFacts.

Concepts come from the medspaCy pipeline (target rules + ConText + sections); numbers
(age, dates, pain scores, quantities, doses) from the cue rules of data/cues.yaml. Offsets of
every evidence span point into the text as given (the pipeline reads a whitespace-collapsed
copy and its offsets are mapped back).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from openimr.clinical import pipeline as P
from openimr.clinical.drug_lookup import generic_name
from openimr.clinical.rules import dates_in, number, parse, rules
from openimr.clinical.vocab import vocabulary
from openimr.model.clinical import (
    BodyPart,
    ClinicalFacts,
    Diagnosis,
    ExamFinding,
    FactContext,
    FunctionFact,
    Laterality,
    Medication,
    MonitoringFact,
    NeuroFinding,
    PainScore,
    PriorReview,
    PsychosocialFact,
    RedFlag,
    RequestedItem,
    Response,
    Span,
    Surgery,
    SymptomOnset,
    TestResult,
    TreatmentTried,
    WorkStatus,
    WorkStatusKind,
)
from openimr.model.determination import Sex

# Text handed to spaCy in chunks of about this size, cut at a sentence end: ConText and
# the entity bookkeeping grow faster than linearly with document length, facts are local.
_CHUNK = 1_500
_MIN_FOREIGN_WORDS = 3
_WARN_EMPTY = "empty input: no text to read"
_WARN_NOT_ENGLISH = "the text does not look like English; no facts were extracted"
_WARN_NO_CLINICAL = "no clinical content found in the text"


# ---------------------------------------------------------------- text normalization


_WHITESPACE = re.compile(r"\s+")
_KEEP_AFTER = frozenset(".:!?")
_SPACES = re.compile(r"\s*")
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")


def _normalize(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace; map each character of the result to its offset in `text`."""
    out: list[str] = []
    origin: list[int] = []
    last = ""
    pos = 0
    for run in _WHITESPACE.finditer(text):
        i, j = run.span()
        if i > pos:  # the text between two whitespace runs is kept as it is
            out.append(text[pos:i])
            origin.extend(range(pos, i))
            last = text[i - 1]
        # A line break after a sentence or a heading is kept (sections end there);
        # any other run of whitespace, wrapped lines included, becomes one space.
        last = "\n" if last in _KEEP_AFTER and "\n" in run.group() else " "
        out.append(last)
        origin.append(i)
        pos = j
    if pos < len(text):
        out.append(text[pos:])
        origin.extend(range(pos, len(text)))
    origin.append(len(text))
    return "".join(out), origin


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    while start < len(text):
        end = min(len(text), start + _CHUNK)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind(". ", start, end))
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


# ---------------------------------------------------------------- mentions


@dataclass
class _Mention:
    """One target-rule match, in normalized-text offsets."""

    label: str
    group: str
    index: int
    start: int
    end: int
    text: str
    context: FactContext
    sent_start: int
    sent_end: int
    laterality: Laterality | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_SECTION_CONTEXT = {
    "family": FactContext.FAMILY,
    "historical": FactContext.HISTORICAL,
    "hypothetical": FactContext.HYPOTHETICAL,
}
_MODIFIER_OF_CONTEXT = {
    FactContext.FAMILY: "FAMILY",
    FactContext.HISTORICAL: "HISTORICAL",
    FactContext.HYPOTHETICAL: "HYPOTHETICAL",
}


@dataclass
class _EntFacts:
    """What the extractor reads of one matched entity, each extension attribute read once
    (every `ent._` access goes through spaCy's Underscore machinery)."""

    reported: bool
    context: FactContext
    section: str | None  # the section category, when the mention is within the heading's reach


def _ent_facts(ent: Any, text: str) -> _EntFacts:
    """`text` is the doc's text: `doc.text` is rebuilt from the tokens at every call."""
    ext = ent._
    # What a utilization reviewer said of the case is their reading, not a case fact,
    # whatever it affirms or denies (context.yaml REPORTED_BY_REVIEWER).
    reported = any(mod.category == "REPORTED_BY_REVIEWER" for mod in ext.modifiers)
    category = ext.section_category
    title = ext.section_title if category else None
    within = title is None or _within_section(text[title.end_char : ent.start_char])
    reach = category if category and title is not None and within else None
    return _EntFacts(reported, _context_of(ext, ent.label_, reported, category, within), reach)


def _context_of(
    ext: Any, label: str, reported: bool, category: str | None, within: bool
) -> FactContext:
    if reported:
        return FactContext.UNCERTAIN
    if ext.is_negated:
        return FactContext.NEGATED
    if ext.is_family:
        return FactContext.FAMILY
    if ext.is_uncertain:
        return FactContext.UNCERTAIN
    if ext.is_hypothetical:
        return FactContext.HYPOTHETICAL
    if ext.is_historical:
        return FactContext.HISTORICAL
    return _section_context(label, category, within)


def _section_context(label: str, category: str | None, within: bool) -> FactContext:
    if not category:
        return FactContext.AFFIRMED
    vocab = vocabulary()
    for section in vocab.sections.sections:
        if section.category != category:
            continue
        ctx = _SECTION_CONTEXT.get(section.context)
        if ctx is None:
            return FactContext.AFFIRMED
        allowed = section.applies_to
        if allowed is None:
            allowed = vocab.context.applies_to.get(_MODIFIER_OF_CONTEXT[ctx])  # type: ignore[call-overload]
        if allowed is None or label in allowed:
            return ctx if within else FactContext.AFFIRMED
        return FactContext.AFFIRMED
    return FactContext.AFFIRMED


def _within_section(between: str) -> bool:
    """A section reaches to the end of its paragraph: the heading's line, the line right
    after a heading that ends its line, and the items of a list that follows."""
    lines = between.split("\n")
    for index, line in enumerate(lines[1:], start=1):
        if index == 1 and not lines[0].strip():
            continue
        if not rules().list_item.match(line):
            return False
    return True


def _laterality(text: str, start: int) -> Laterality | None:
    before = text[max(0, start - 28) : start].rstrip(" ,")
    for name, pattern in rules().laterality.items():
        if pattern.search(before):
            return Laterality(name)
    return None


def _mentions(norm: str) -> list[_Mention]:
    nlp = P.get_pipeline()
    found: list[_Mention] = []
    pieces = list(_chunks(norm))
    for (offset, piece), doc in zip(pieces, nlp.pipe(piece for _, piece in pieces), strict=True):
        # Sentence bounds once per piece: `Span.sent` scans every token of the doc per call.
        sents = [(s.start, s.start_char, s.end_char) for s in doc.sents]
        firsts = [first for first, _, _ in sents]
        for ent in doc.ents:
            meta = ent._.target_rule.metadata or {}
            _, sent_start, sent_end = sents[bisect_right(firsts, ent.start) - 1]
            info = _ent_facts(ent, piece)
            start = offset + ent.start_char
            found.append(
                _Mention(
                    label=ent.label_,
                    group=str(meta.get("group")),
                    index=int(meta.get("index", 0)),
                    start=start,
                    end=offset + ent.end_char,
                    text=ent.text,
                    context=info.context,
                    sent_start=offset + sent_start,
                    sent_end=offset + sent_end,
                    laterality=_laterality(norm, start),
                    extra={"section": info.section, "reported": info.reported},
                )
            )
    return found


def _body_part_sides(b: _Builder, mentions: list[_Mention]) -> list[_Mention]:
    """Drop words that name no body part here ("an 8 foot fall"); read a laterality written
    after the part ("arms bilaterally") or shared by a list ("right ankle and foot")."""
    terms = b.vocab.body_parts.body_parts
    kept: list[_Mention] = []
    previous: _Mention | None = None
    for m in mentions:
        if m.label != P.BODY_PART:
            kept.append(m)
            continue
        skip = terms[m.index].skip_before
        before = b.norm[max(m.sent_start, m.start - 40) : m.start]
        if skip and re.search(skip, before, re.IGNORECASE):
            continue
        if m.laterality is None:
            after = b.norm[m.end : m.sent_end]
            for side, pattern in b.rules.laterality_after.items():
                if pattern.search(after):
                    m.laterality = Laterality(side)
                    break
        if (
            m.laterality is None
            and previous is not None
            and previous.laterality is not None
            and previous.sent_start == m.sent_start
            and re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or)\s*", b.norm[previous.end : m.start])
        ):
            m.laterality = previous.laterality
        previous = m
        kept.append(m)
    return kept


# ---------------------------------------------------------------- helpers


class _Builder:
    """Turns mentions and cue matches into facts, mapping spans back to the original text."""

    def __init__(self, original: str, norm: str, origin: list[int]) -> None:
        self.original = original
        self.norm = norm
        self.origin = origin
        self.vocab = vocabulary()
        self.rules = rules()
        self.mentions: list[_Mention] = []
        # Where the date of injury is written (normalized offsets): no other event's date.
        self.injury_dates: set[int] = set()
        # Drugs named as the condition of a pain score ("6/10 without tramadol"): taken.
        self.score_drugs: set[int] = set()
        self._first_dates: dict[tuple[int, int], date | None] = {}  # mentions share sentences

    def span(self, start: int, end: int) -> Span:
        end = max(end, start + 1)
        return Span(start=self.origin[start], end=self.origin[end - 1] + 1)

    def sentence(self, m: _Mention) -> str:
        return self.norm[m.sent_start : m.sent_end]

    def first_date(self, start: int, end: int) -> date | None:
        key = (start, end)
        if key not in self._first_dates:
            found = dates_in(self.norm[start:end])
            self._first_dates[key] = found[0][1] if found else None
        return self._first_dates[key]


_LINK = re.compile(
    r"^\s*(?:(?:of|to|for|on|in|at|involving)\s+)?(?:the\s+)?"
    r"(?:(?:left|right|bilateral|both)\s+)?$"
    r"|^\s*,\s*(?:left|right|bilateral)\s+$",  # "subacromial injection, left shoulder"
    re.IGNORECASE,
)


def _near_body_part(m: _Mention, parts: list[_Mention], norm: str) -> _Mention | None:
    """The body part written just after ("MRI of the right shoulder") or before the mention."""
    best: tuple[int, _Mention] | None = None
    for bp in parts:
        if bp.sent_start != m.sent_start:
            continue
        if bp.start >= m.end:
            gap = norm[m.end : bp.start]
            if _LINK.match(gap):
                dist = len(gap)
            else:
                continue
        elif bp.end <= m.start:
            gap = norm[bp.end : m.start]
            if len(gap) <= 3:
                dist = len(gap) + 1
            else:
                continue
        else:
            continue
        if best is None or dist < best[0]:
            best = (dist, bp)
    return best[1] if best else None


def _response_detail(sentence: str, rel_start: int, rel_end: int) -> tuple[Response, bool]:
    """The response by the cue nearest the treatment, and whether an improvement names pain
    relief only (cues.response_pain_words without cues.response_function_words)."""
    hits: list[tuple[int, int, str]] = []
    for kind in ("neutral", "no_benefit", "worse", "improved"):
        for pattern in rules().response[kind]:
            for match in pattern.finditer(sentence):
                if any(s <= match.start() < e for s, e, _ in hits):
                    continue  # "no improvement" is not "improvement"
                hits.append((match.start(), match.end(), kind))
    if not hits:
        return Response.NOT_STATED, False

    def distance(hit: tuple[int, int, str]) -> int:
        s, e, _ = hit
        return rel_start - e if e <= rel_start else max(0, s - rel_end)

    start, end, kind = min(hits, key=distance)
    if kind == "neutral":
        return Response.NOT_STATED, False
    pain_only = False
    if kind == "improved":
        window = sentence[max(0, start - 30) : end + 40]
        r = rules()
        pain_only = bool(
            r.response_pain_words.search(window) and not r.response_function_words.search(window)
        )
    return Response(kind), pain_only


def _next_sentence_response(b: _Builder, m: _Mention) -> tuple[Response, bool]:
    """The response stated in the next sentence when that sentence goes on about the same
    treatment ("It helped ...", or names the treatment again near its start)."""
    begin = _SPACES.match(b.norm, m.sent_end).end()  # type: ignore[union-attr]
    found = _SENTENCE_END.search(b.norm, begin)
    finish = found.end() if found else len(b.norm)
    sentence = b.norm[begin:finish]
    if not sentence.strip():
        return Response.NOT_STATED, False
    concept = b.vocab.treatments.treatments[m.index].concept
    same = any(
        x.label == m.label
        and begin <= x.start <= begin + 30
        and b.vocab.treatments.treatments[x.index].concept == concept
        for x in b.mentions
    )
    if not same and not b.rules.response_next_lead.search(sentence):
        return Response.NOT_STATED, False
    return _response_detail(sentence, 0, 0)


def _quantity(norm: str, m: _Mention) -> int | None:
    r = rules()
    before = norm[max(m.sent_start, m.start - 60) : m.start]
    for pattern in r.quantity_before:
        match = pattern.search(before)
        if match:
            value = number(match.group("n"))
            if value is not None and 0 < value < 500:
                prefix = before[: match.start()]
                if not re.search(r"[\d/\-.]$", prefix):
                    return value
    after = norm[m.end : min(m.sent_end, m.end + 40)]
    for pattern in r.quantity_after:
        match = pattern.search(after)
        if match:
            value = number(match.group("n"))
            if value is not None and 0 < value < 500:
                return value
    return None


# ---------------------------------------------------------------- fact builders


def _diagnosis(b: _Builder, m: _Mention, parts: list[_Mention]) -> Diagnosis:
    term = b.vocab.diagnoses.diagnoses[m.index]
    body_part = term.body_part
    if body_part is None:
        near = _near_body_part(m, parts, b.norm)
        body_part = _body_part_name(b, near) if near else None
    return Diagnosis(
        evidence=[b.span(m.start, m.end)],
        context=m.context,
        label=term.label,
        icd10=term.icd10,
        categories=list(term.categories),
        body_part=body_part,
        laterality=m.laterality,
    )


def _body_part_name(b: _Builder, m: _Mention) -> str:
    return b.vocab.body_parts.body_parts[m.index].name


_PART_GAP = re.compile(r"[^;:,.]{0,40}")


def _part_after(b: _Builder, m: _Mention, parts: list[_Mention]) -> str | None:
    """The body part named later in the clause ("surgery was recommended for the knee")."""
    for bp in parts:
        if bp.sent_start == m.sent_start and bp.start >= m.end:
            if _PART_GAP.fullmatch(b.norm[m.end : bp.start]):
                return _body_part_name(b, bp)
            return None
    return None


def _level_part(b: _Builder, m: _Mention) -> str | None:
    """The spine region of a level written right after the item ("injection at L5-S1") or
    right before it ("right L4-5 microdiscectomy")."""
    found = b.rules.spinal_level_after.search(b.norm[m.end : min(m.sent_end, m.end + 40)])
    if found is None:
        found = b.rules.spinal_level_before.search(
            b.norm[max(m.sent_start, m.start - 40) : m.start]
        )
    return b.vocab.cues.spinal_level_parts.get(found.group("letter")) if found else None


def _treatment(b: _Builder, m: _Mention, parts: list[_Mention]) -> TreatmentTried:
    concept = b.vocab.treatments.treatments[m.index].concept
    near = _near_body_part(m, parts, b.norm)
    sentence = b.sentence(m)
    response = Response.NOT_STATED
    pain_only = False
    # a planned or requested item has no response yet ("PT requested for pain relief")
    if m.context not in (FactContext.NEGATED, FactContext.HYPOTHETICAL):
        response, pain_only = _response_detail(
            sentence, m.start - m.sent_start, m.end - m.sent_start
        )
        if response is Response.NOT_STATED:
            response, pain_only = _next_sentence_response(b, m)
    when = b.first_date(m.sent_start, m.sent_end)
    quantity = _quantity(b.norm, m)
    authorized = _authorized(b, m)
    context = m.context
    if authorized:
        certified = b.rules.authorized_quantity_after.search(b.norm[m.end : m.sent_end])
        if certified and (value := number(certified.group("n"))) is not None and 0 < value < 500:
            quantity = value
        if context is not FactContext.NEGATED:
            # a course certified is not a course had, unless the records say it was done
            done = _course_done(b, m)
            context = FactContext.HISTORICAL if done else FactContext.HYPOTHETICAL
            if not done:
                response, pain_only = Response.NOT_STATED, False
    return TreatmentTried(
        evidence=[b.span(m.start, m.end)],
        context=context,
        concept=concept,
        text=m.text[:80],
        quantity=quantity,
        body_part=_body_part_name(b, near) if near else _level_part(b, m),
        dates=[when] if when else [],
        response=response,
        pain_relief_only=pain_only and response is Response.IMPROVED,
        authorized=authorized,
    )


def _authorized(b: _Builder, m: _Mention) -> bool:
    """A course a prior review or the payer certified, authorized, approved or modified to
    certify (cues.authorized_before / authorized_after)."""
    before = b.norm[max(m.sent_start, m.start - 90) : m.start]
    after = b.norm[m.end : min(m.sent_end, m.end + 60)]
    return bool(b.rules.authorized_before.search(before) or b.rules.authorized_after.search(after))


def _course_done(b: _Builder, m: _Mention) -> bool:
    before = b.norm[max(m.sent_start, m.start - 80) : m.start]
    after = b.norm[m.end : min(m.sent_end, m.end + 80)]
    return bool(
        b.rules.course_done_before.search(before) or b.rules.course_done_after.search(after)
    )


def _medication(b: _Builder, m: _Mention, next_start: int) -> Medication:
    drug = b.vocab.drugs.drugs[m.index]
    limit = min(m.sent_end, next_start, m.end + 60)
    after = b.norm[m.end : limit]
    strength = b.rules.strength.search(after)
    frequency = b.rules.frequency.search(after)
    before = b.norm[max(m.sent_start, m.start - 50) : m.start]
    current_cue = b.rules.current_medication.search(before)
    past = (
        m.context is FactContext.HISTORICAL
        or bool(b.rules.past_medication.search(before))
        or (not current_cue and bool(b.rules.past_medication_after.match(after)))
    )
    context = m.context
    if context is FactContext.HYPOTHETICAL and (
        m.extra.get("section") == "medications" or current_cue
    ):
        context = FactContext.AFFIRMED  # taken now, even if a refill is also requested
    end = m.end
    if strength:
        end = max(end, m.end + strength.end("s"))
    if frequency:
        end = max(end, m.end + frequency.end("f"))
    return Medication(
        evidence=[b.span(m.start, end)],
        context=context,
        generic=drug.generic,
        text=b.norm[m.start : end][:80],
        strength=re.sub(r"\s+", "", strength.group("s")) if strength else None,
        frequency=frequency.group("f").strip() if frequency else None,
        current=not past,
        drug_class=drug.drug_class,
        drug_classes=[drug.drug_class, *drug.also],
        new_start=context is not FactContext.NEGATED and _new_start(b, m, before, limit),
    )


def _new_start(b: _Builder, m: _Mention, before: str, limit: int) -> bool:
    """Started or first prescribed at the visit ("was started on X", "a first-time request
    for X", "X was introduced", "X was prescribed at the bottom of the note")."""
    after = b.norm[m.end : max(limit, min(m.sent_end, m.end + 70))]
    return bool(b.rules.new_start_before.search(before) or b.rules.new_start_after.match(after))


def _prior_use(b: _Builder, m: _Mention) -> bool:
    """A mention that documents use of the drug before the visit ("has been taking X",
    "continue X", "previously on X", "X was discontinued")."""
    before = b.norm[max(m.sent_start, m.start - 50) : m.start]
    return (
        m.context is FactContext.HISTORICAL
        or bool(b.rules.past_medication.search(before))
        or bool(b.rules.current_medication.search(before))
    )


def _new_starts_without_prior_use(medications: list[Medication], used: set[str]) -> None:
    """A drug documented as taken before or continued anywhere in the text is no new start;
    otherwise a drug started at the visit is new in every mention (the request, the UR recap)."""
    started = {m.generic for m in medications if m.new_start and m.generic not in used}
    for med in medications:
        med.new_start = med.generic in started and med.context is not FactContext.NEGATED


def _test(b: _Builder, m: _Mention, parts: list[_Mention]) -> TestResult:
    modality = b.vocab.findings.tests[m.index].modality
    near = _near_body_part(m, parts, b.norm)
    after = b.norm[m.end : m.sent_end]
    finding_match = b.rules.test_finding.search(after)
    finding = None
    abnormal = None
    site: tuple[str | None, Laterality | None] = (
        (_body_part_name(b, near), near.laterality) if near else (None, m.laterality)
    )
    if finding_match and m.context is not FactContext.HYPOTHETICAL:
        finding = finding_match.group("finding").strip()[:140]
        abnormal = not bool(b.rules.test_normal.search(finding[:40]))
        if near is None and modality in b.vocab.cues.imaging_modalities:
            lo, hi = m.end + finding_match.start("finding"), m.end + finding_match.end("finding")
            site = _finding_site(b, lo, hi) or site
    return TestResult(
        evidence=[b.span(m.start, m.end)],
        context=m.context,
        modality=modality,
        body_part=site[0],
        laterality=site[1],
        on=b.first_date(m.sent_start, m.sent_end),
        finding=finding,
        abnormal=abnormal,
    )


def _finding_site(b: _Builder, lo: int, hi: int) -> tuple[str, Laterality | None] | None:
    """The body part an imaging finding names (normalized offsets lo..hi): a body part
    word, a diagnosis of a known part ("tear of the medial meniscus": knee), or a spinal
    segment ("L4-5": lumbar spine)."""
    for x in b.mentions:
        if x.start < lo or x.end > hi:
            continue
        if x.label == P.BODY_PART:
            return _body_part_name(b, x), x.laterality
        if x.label == P.DIAGNOSIS:
            part = b.vocab.diagnoses.diagnoses[x.index].body_part
            if part:
                return part, x.laterality
    level = b.rules.segment_level.search(b.norm, lo, hi)
    if level:
        part = b.vocab.cues.spinal_level_parts.get(level.group("letter"))
        if part:
            return part, None
    return None


def _surgery(b: _Builder, m: _Mention, parts: list[_Mention], earlier: list[Surgery]) -> Surgery:
    """A surgery; `earlier` are the surgeries written before it (a revision takes the body
    part of the last of them done that names one)."""
    term = b.vocab.surgeries.surgeries[m.index]
    body_part = term.body_part
    laterality = m.laterality
    near = _near_body_part(m, parts, b.norm)
    if near and body_part in (None, _body_part_name(b, near)):
        body_part = _body_part_name(b, near)
        laterality = laterality or near.laterality
    elif body_part is None:
        body_part = _level_part(b, m) or _part_after(b, m, parts)
    if body_part is None and term.region:
        body_part = _only_part_of_region(b, term.region)
    if body_part is None and b.rules.revision_before.search(
        b.norm[max(m.sent_start, m.start - 40) : m.start]
    ):
        done = [s for s in earlier if s.done and s.body_part]
        if done:
            body_part, laterality = done[-1].body_part, laterality or done[-1].laterality
    context = m.context
    if term.considered_only and context is FactContext.AFFIRMED:
        context = FactContext.HYPOTHETICAL  # "surgical consultation": surgery being weighed
    planned = context in (FactContext.HYPOTHETICAL, FactContext.UNCERTAIN) or term.considered_only
    return Surgery(
        evidence=[b.span(m.start, m.end)],
        context=context,
        procedure=term.procedure,
        body_part=body_part,
        laterality=laterality,
        on=_surgery_date(b, m),
        done=not planned and context is not FactContext.NEGATED,
    )


def _only_part_of_region(b: _Builder, region: str) -> str | None:
    """The one body part of `region` the text names as the worker's (a body part word or a
    diagnosis of a known part, affirmed or historical), or None when it names none or
    several ("spine": the lumbar spine of a low back case)."""
    terms = b.vocab.body_parts.body_parts
    regions = {t.name: t.region for t in terms}
    named: set[str] = set()
    for x in b.mentions:
        if x.context not in (FactContext.AFFIRMED, FactContext.HISTORICAL):
            continue
        if x.label == P.BODY_PART:
            named.add(terms[x.index].name)
        elif x.label == P.DIAGNOSIS and (part := b.vocab.diagnoses.diagnoses[x.index].body_part):
            named.add(part)
    named = {name for name in named if regions.get(name) == region}
    return named.pop() if len(named) == 1 else None


def _surgery_date(b: _Builder, m: _Mention) -> date | None:
    """The surgery's own date: written after it in its clause ("a lumbar fusion in 2015") or
    before it ("On 07-12-2016 she underwent ..."); else the first date of the sentence that
    is not the date of injury. A month or a year alone dates it to the 1st (the earliest
    day it can be)."""
    r = b.rules
    found = r.surgery_date_after.match(b.norm[m.end : min(m.sent_end, m.end + 90)])
    if found is None:
        found = r.surgery_date_before.search(b.norm[max(m.sent_start, m.start - 90) : m.start])
    if found is not None:
        when = _written_when(found)
        if when is not None:
            return when
    for offset, when in dates_in(b.norm[m.sent_start : m.sent_end]):
        if m.sent_start + offset not in b.injury_dates:
            return when
    return None


def _written_when(found: re.Match[str]) -> date | None:
    """A date, a month and year (its 1st) or a year (January 1st) from groups date /
    month, year / yearonly."""
    groups = found.groupdict()
    if groups.get("date"):
        return parse(groups["date"])
    if groups.get("month") and groups.get("year"):
        month = _MONTHS.get(groups["month"].lower().rstrip("."))
        return date(int(groups["year"]), month, 1) if month else None
    if groups.get("yearonly"):
        return date(int(groups["yearonly"]), 1, 1)
    return None


def _neuro(b: _Builder, m: _Mention, parts: list[_Mention]) -> NeuroFinding:
    item = b.vocab.findings.neuro[m.index]
    window = b.norm[m.start : min(m.sent_end, m.end + 40)]
    level = b.rules.dermatome.search(window)
    context = m.context
    if item.kind in ("straight_leg_raise", "spurling") and context is FactContext.AFFIRMED:
        after = b.norm[m.end : min(m.sent_end, m.end + 30)]
        before = b.norm[max(m.sent_start, m.start - 12) : m.start]
        if b.rules.exam_negative.search(after) or b.rules.exam_negative.search(before):
            context = FactContext.NEGATED
    kind = item.kind
    if kind == "reflex_change" and context is FactContext.AFFIRMED:
        after = b.norm[m.end : min(m.sent_end, m.end + 20)]
        before = b.norm[max(m.sent_start, m.start - 60) : m.start]
        if b.rules.reflex_normal_after.search(after) or b.rules.reflex_normal_before.search(before):
            context = FactContext.NEGATED
    if context is FactContext.AFFIRMED and _normal_exam(b, m, kind):
        context = FactContext.NEGATED
    clause = b.norm[m.start : min(m.sent_end, m.end + 60)]
    if kind == "dermatomal_sensory_loss" and not b.rules.dermatome_word.search(clause):
        kind = "sensory_loss"
    site = _neuro_site(b, m, kind, parts, level)
    return NeuroFinding(
        evidence=[b.span(m.start, m.end)],
        context=context,
        kind=kind,
        body_part=site[0] if site else None,
        laterality=m.laterality or (site[1] if site else None),
        detail=level.group("level") if level else None,
    )


def _normal_exam(b: _Builder, m: _Mention, kind: str) -> bool:
    """A normal exam written with the finding's own word ("Reflexes are normal", "Sensation,
    strength and reflexes in both legs are normal", "normal sensation", "symmetric
    reflexes"), unless the mention carries an abnormal word of its own."""
    r = b.rules
    if kind not in r.neuro_normal_kinds or r.neuro_abnormal_word.search(m.text):
        return False
    after = b.norm[m.end : min(m.sent_end, m.end + 120)]
    before = b.norm[max(m.sent_start, m.start - 60) : m.start]
    return bool(r.neuro_normal_after.match(after) or r.neuro_normal_before.search(before))


def _neuro_site(
    b: _Builder, m: _Mention, kind: str, parts: list[_Mention], level: re.Match[str] | None
) -> tuple[str, Laterality | None] | None:
    """Where a neurological finding is: the body part named next to it or in the same
    clause ("numbness and tingling in the left hand"), else the limb of the spinal level
    named ("left C6 dermatome" -> arm), else the limb the test examines (SLR -> leg)."""
    near = _near_body_part(m, parts, b.norm)
    if near is None:
        best: tuple[int, _Mention] | None = None
        for bp in parts:
            if bp.sent_start != m.sent_start:
                continue
            gap = b.norm[m.end : bp.start] if bp.start >= m.end else b.norm[bp.end : m.start]
            limit = 50 if bp.start >= m.end else 25
            if len(gap) > limit or re.search(r"[;:]|\b(?:but|while|whereas)\b", gap):
                continue
            if best is None or len(gap) < best[0]:
                best = (len(gap), bp)
        near = best[1] if best else None
    if near is not None:
        return _body_part_name(b, near), near.laterality
    sites = b.vocab.cues.neuro_sites
    if level is not None:
        name = sites.levels.get(level.group("level")[0].upper())
        if name:
            return name, _laterality(b.norm, m.start + level.start())
    name = sites.kinds.get(kind)
    return (name, None) if name else None


def _exam(b: _Builder, m: _Mention, parts: list[_Mention]) -> ExamFinding | None:
    """An exam finding, or None when the part was not examined or the words name no finding
    ("refused range of motion", "range of motion exercises")."""
    item = b.vocab.findings.exam[m.index]
    r = b.rules
    before = b.norm[max(m.sent_start, m.start - 60) : m.start]
    after = b.norm[m.end : m.sent_end]
    if r.exam_skip_before.search(before) or r.exam_skip_after.search(after):
        return None
    near = _near_body_part(m, parts, b.norm)
    positive: bool | None = None
    context = m.context
    if context is FactContext.NEGATED and _scope_broken(b, m, before, after):
        context = FactContext.AFFIRMED
    if item.kind == "special_test":
        for lead in (m.start, None):
            lead = _list_lead(b, m) if lead is None else lead
            around = b.norm[max(m.sent_start, lead - 12) : min(m.sent_end, m.end + 40)]
            if r.exam_positive.search(around):
                positive = True
            elif r.exam_negative.search(around):
                positive = False
            if positive is not None:
                break
    if r.exam_normal_before.search(before) or r.exam_normal_after.search(after):
        positive = False
    if context is FactContext.NEGATED:
        positive = False
    body_part = _body_part_name(b, near) if near else item.body_part
    return ExamFinding(
        evidence=[b.span(m.start, m.end)],
        context=context,
        kind=item.kind,
        name=item.name,
        body_part=body_part,
        laterality=m.laterality or (near.laterality if near else None),
        positive=positive,
    )


def _scope_broken(b: _Builder, m: _Mention, before: str, after: str) -> bool:
    """A negated finding that starts a new positive finding after a comma or "and"
    ("no deformity, tenderness of the left trapezius"; "without spasm and restricted
    range of motion"): the negation does not reach it."""
    r = b.rules
    if not r.exam_scope_break_before.search(before):
        return False
    return bool(r.exam_scope_break_self.match(m.text) or r.exam_scope_break_after.match(after))


def _list_lead(b: _Builder, m: _Mention) -> int:
    """Start of the list of named tests that ends with `m` ("negative Neer's, Hawkins' and
    Speed's tests"), so the list shares its leading "positive"/"negative"."""
    start = m.start
    tests = [x for x in b.mentions if x.label == P.EXAM and x.sent_start == m.sent_start]
    for x in sorted(tests, key=lambda t: -t.start):
        joined = re.fullmatch(r"\s*,?\s*(?:and|or)?\s*", b.norm[x.end : start])
        if x.end <= start and joined and b.vocab.findings.exam[x.index].kind == "special_test":
            start = x.start
    return start


def _review(b: _Builder, m: _Mention, items: list[_Mention]) -> PriorReview:
    kind = b.vocab.findings.prior_reviews[m.index].kind
    sentence = b.sentence(m)
    outcome = None
    for name, pattern in b.rules.review_outcome.items():
        if pattern.search(sentence):
            outcome = name
            break
    same = [i for i in items if i.sent_start == m.sent_start]
    # the item decided on: named after the review, else before it ("6 sessions of PT were
    # certified at the prior review")
    item = next((i.text for i in same if i.start > m.start), None)
    item = item or next((i.text for i in same), None)
    return PriorReview(
        evidence=[b.span(m.start, m.end)],
        context=FactContext.NEGATED if m.context is FactContext.NEGATED else FactContext.AFFIRMED,
        kind=kind,
        on=b.first_date(m.sent_start, m.sent_end),
        outcome=outcome,
        item=item[:80] if item else None,
    )


# ---------------------------------------------------------------- numeric facts


def _age_sex(b: _Builder, facts: ClinicalFacts) -> None:
    for pattern in b.rules.age_sex:
        match = pattern.search(b.norm)
        if match:
            age = int(match.group("age"))
            if 0 < age < 120:
                facts.age = age
            word = match.group("sex").lower()
            facts.sex = Sex.MALE if word in b.rules.male_words else Sex.FEMALE
            return


def _injury(b: _Builder, facts: ClinicalFacts) -> None:
    for pattern in b.rules.date_of_injury:
        match = pattern.search(b.norm)
        if match:
            when = parse(match.group("date"))
            if when is not None:
                facts.date_of_injury = when
                b.injury_dates.add(match.start("date"))
                break
    for pattern in b.rules.mechanism:
        match = pattern.search(b.norm)
        if match:
            facts.mechanism = match.group("mech").strip()[:120]
            break


def _sentence_bounds(mentions: list[_Mention], norm: str, pos: int) -> tuple[int, int]:
    for m in mentions:
        if m.sent_start <= pos < m.sent_end:
            return m.sent_start, m.sent_end
    start = max(norm.rfind(". ", 0, pos) + 2, norm.rfind("\n", 0, pos) + 1, 0)
    end_dot = norm.find(". ", pos)
    return start, (end_dot + 1 if end_dot >= 0 else len(norm))


def _pain_scores(b: _Builder, mentions: list[_Mention]) -> list[PainScore]:
    scores: list[PainScore] = []
    seen: list[tuple[int, int]] = []
    for pattern in b.rules.pain_score:
        for match in pattern.finditer(b.norm):
            if any(s < match.end() and match.start() < e for s, e in seen):
                continue  # "7/10 to 8/10": one score, not a second "8/10"
            lead = b.norm[max(0, match.start() - 8) : match.start()]
            if re.search(r"(?:[\d/]|\bout\s+of\s+)$", lead, re.IGNORECASE):
                continue  # part of a date, of a strength such as 10/325, or of "out of 10"
            if re.match(r"[/-]\d", b.norm[match.end() : match.end() + 2]):
                continue  # a date: "10/10/2016"
            low = float(match.group("low"))
            high_text = match.group("high")
            high = float(high_text) if high_text else None
            if low > 10 or (high is not None and (high > 10 or high < low)):
                continue
            seen.append(match.span())
            s_start, s_end = _sentence_bounds(mentions, b.norm, match.start())
            scores.append(
                PainScore(
                    evidence=[b.span(match.start(), match.end())],
                    value=low,
                    value_high=high,
                    on=b.first_date(s_start, s_end),
                    with_medication=_with_medication(b, match.start(), match.end(), s_start, s_end),
                )
            )
    scores.sort(key=lambda p: p.evidence[0].start)
    return scores


def _score_drugs_taken(b: _Builder, medications: list[Medication]) -> None:
    """A drug named as the condition of a pain score is one the worker takes, not one
    denied ("knee pain is 6/10 without tramadol and 3/10 with it")."""
    if not b.score_drugs:
        return
    starts = {b.origin[s] for s in b.score_drugs}
    for med in medications:
        if med.context is FactContext.NEGATED and med.evidence and med.evidence[0].start in starts:
            med.context = FactContext.AFFIRMED


def _with_medication(b: _Builder, start: int, end: int, s_start: int, s_end: int) -> bool | None:
    """Whether a pain score is with (True) or without (False) medication: the nearest cue
    right before it in its sentence or starting just after it. A bare cue ("9/10 without",
    "3/10 with it") counts where the sentence names a medication or a drug; a drug named
    after "with"/"without" is a cue too ("6/10 without tramadol")."""
    r = b.rules
    before = b.norm[max(s_start, start - 60) : start]
    after = b.norm[end : end + 45]
    # (distance from the score, with medication, the drug named as the cue if any)
    hits: list[tuple[int, bool, int | None]] = []

    def scan(patterns: list[re.Pattern[str]], value: bool) -> None:
        for pattern in patterns:
            for hit in pattern.finditer(before):
                hits.append((len(before) - hit.end(), value, None))
            ahead = pattern.search(after)
            if ahead and ahead.start() <= 12:
                hits.append((ahead.start(), value, None))

    scan(r.without_medication, False)
    scan(r.with_medication, True)
    drugs = [m for m in b.mentions if m.label == P.DRUG and s_start <= m.start < s_end]
    if drugs or r.medication_word.search(b.norm, s_start, s_end):
        scan(r.without_medication_bare, False)
        scan(r.with_medication_bare, True)
    for drug in drugs:
        lead_text = b.norm[max(s_start, drug.start - 40) : drug.start]
        for value, lead in ((False, r.drug_without_lead), (True, r.drug_with_lead)):
            found = lead.search(lead_text)
            if found is None:
                continue
            lead_start = drug.start - len(lead_text) + found.start()
            if drug.end <= start and start - drug.end <= 60:
                hits.append((start - drug.end, value, drug.start))
            elif lead_start >= end and lead_start - end <= 12:
                hits.append((lead_start - end, value, drug.start))
            break
    if not hits:
        return None
    _, value, drug_start = min(hits, key=lambda hit: hit[0])
    if drug_start is not None:
        b.score_drugs.add(drug_start)
    return value


def _relief_timing(b: _Builder, text: str) -> str | None:
    """The onset and duration of relief a dose gives, as written ("onset 30 minutes;
    lasts 5 hours"), or None when the mention states neither."""
    parts = []
    for label, pattern in (("onset", b.rules.relief_onset), ("lasts", b.rules.relief_duration)):
        found = pattern.search(text)
        if found:
            parts.append(f"{label} {' '.join(found.group('t').split())}")
    return "; ".join(parts) or None


def _latest_note_date(b: _Builder) -> date | None:
    found = [parse(m.group("date")) for m in b.rules.note_date.finditer(b.norm)]
    dates = [d for d in found if d is not None]
    return max(dates) if dates else None


# ---------------------------------------------------------------- assembly


def _looks_english(norm: str) -> bool:
    """False when function words of other languages outnumber the English ones."""
    r = rules()
    words = re.findall(r"[^\W\d_]+", norm.lower())
    foreign = sum(1 for w in words if w in r.foreign_words)
    english = sum(1 for w in words if w in r.english_words)
    return foreign < _MIN_FOREIGN_WORDS or english >= foreign


_ITEM_LABELS = (P.TREATMENT, P.TEST, P.DRUG, P.SURGERY)


def _list_segments(b: _Builder) -> list[tuple[int, int]]:
    """Spans (normalized offsets) of the items of numbered or bulleted lists that follow a
    request heading ("PLAN / REQUEST FOR AUTHORIZATION:"). Items whose lines were joined
    ("1. X 2. Y") are split at the next number of the sequence."""
    segments: list[tuple[int, int]] = []
    in_list = False
    pos = 0
    for line in b.norm.split("\n"):
        start, pos = pos, pos + len(line) + 1
        marker = b.rules.list_item.match(line) if in_list else None
        if marker is None:
            in_list = bool(b.rules.request_heading.search(line))
            continue
        number = marker.group("n") or marker.group("pn")
        cuts = [marker.end()]
        if number is not None:
            expected = int(number) + 1
            for nxt in re.finditer(r"\s(\d{1,2})[.)]\s+(?=[A-Za-z])", line):
                if nxt.start() >= cuts[-1] and int(nxt.group(1)) == expected:
                    cuts += [nxt.start(), nxt.end()]
                    expected += 1
        cuts.append(len(line))
        for body_start, body_end in zip(cuts[::2], cuts[1::2], strict=True):
            body = line[body_start:body_end].rstrip(" .;,")
            if body:
                segments.append((start + body_start, start + body_start + len(body)))
    return segments


def _requested(b: _Builder, mentions: list[_Mention], parts: list[_Mention]) -> list[RequestedItem]:
    """Requested items: the items of a request list when the note has one (each list item
    naming a treatment, test, drug or surgery, as written), else request sentences."""
    listed: list[RequestedItem] = []
    for start, end in _list_segments(b):
        if any(m.label in _ITEM_LABELS and start <= m.start < end for m in mentions):
            text = b.norm[start:end][:100]
            listed.append(RequestedItem(evidence=[b.span(start, start + len(text))], text=text))
    if listed:
        return listed
    kinds = [(m, _request_kind(b, m)) for m in mentions if m.label in _ITEM_LABELS]
    decided = {(m.label, m.index) for m, kind in kinds if kind == "decision"}
    items: list[RequestedItem] = []
    by_text: dict[str, RequestedItem] = {}
    for m, kind in kinds:
        # A planned item counts when the review named it too, or when no sentence of the
        # file states a request or a decision (the plan is then all there is).
        if kind is None or (kind == "plan" and decided and (m.label, m.index) not in decided):
            continue
        end = m.end
        near = _near_body_part(m, parts, b.norm)
        if near and near.start >= m.end:
            end = near.end
        text = b.norm[m.start : end][:100]
        key = " ".join(text.lower().split())
        if key in by_text:  # the same item named again: one item, one more span
            by_text[key].evidence.append(b.span(m.start, end))
            continue
        item = RequestedItem(evidence=[b.span(m.start, end)], text=text)
        by_text[key] = item
        items.append(item)
    return items


def _request_kind(b: _Builder, m: _Mention) -> str | None:
    """Request kind. "decision": any item of a sentence that states a request, an RFA or a review
    decision on one; "plan": a planned item of a plan or recommendation sentence; None:
    not requested (or written as a treatment already tried)."""
    if m.label == P.TREATMENT:
        concept = b.vocab.treatments.treatments[m.index].concept
        if concept in b.rules.request_skip_concepts:
            return None
    before = b.norm[max(m.sent_start, m.start - 40) : m.start]
    after = b.norm[m.end : m.sent_end]
    if b.rules.request_item_skip_before.search(before):
        return None
    if b.rules.request_item_skip_after.search(after):
        return None
    sentence = b.sentence(m)
    if m.context is not FactContext.FAMILY and b.rules.request_decision.search(sentence):
        return "decision"
    if m.context is FactContext.HYPOTHETICAL and b.rules.request_sentence.search(sentence):
        return "plan"
    return None


def _merge_body_parts(b: _Builder, mentions: list[_Mention], dx: list[Diagnosis]) -> list[BodyPart]:
    merged: dict[tuple[str, Laterality | None], BodyPart] = {}
    order = {
        FactContext.AFFIRMED: 0,
        FactContext.HISTORICAL: 1,
        FactContext.HYPOTHETICAL: 2,
        FactContext.UNCERTAIN: 3,
        FactContext.NEGATED: 4,
        FactContext.FAMILY: 5,
    }
    sources: list[tuple[str, Laterality | None, FactContext, Span]] = [
        (_body_part_name(b, m), m.laterality, m.context, b.span(m.start, m.end))
        for m in mentions
        if m.label == P.BODY_PART
    ]
    sources += [(d.body_part, d.laterality, d.context, d.evidence[0]) for d in dx if d.body_part]
    for name, lat, ctx, span in sources:
        if ctx is FactContext.FAMILY:
            continue
        key = (name, lat)
        if key not in merged:
            merged[key] = BodyPart(name=name, laterality=lat, context=ctx, evidence=[span])
        else:
            part = merged[key]
            part.evidence.append(span)
            if order[ctx] < order[part.context]:
                part.context = ctx
    return list(merged.values())


def _has_any_fact(facts: ClinicalFacts) -> bool:
    lists: Iterable[list[Any]] = (
        facts.diagnoses,
        facts.treatments,
        facts.medications,
        facts.pain_scores,
        facts.neuro_findings,
        facts.exam_findings,
        facts.red_flags,
        facts.tests,
        facts.work_status,
        facts.surgeries,
        facts.prior_reviews,
    )
    return any(lists) or facts.age is not None or facts.date_of_injury is not None


def extract_facts(text: str) -> ClinicalFacts:
    """Facts of one case text. Never raises on odd input: it returns empty facts and a warning."""
    if not isinstance(text, str) or not text.strip():
        return ClinicalFacts(text=text if isinstance(text, str) else "", warnings=[_WARN_EMPTY])
    norm, origin = _normalize(text)
    if not _looks_english(norm):
        return ClinicalFacts(text=text, warnings=[_WARN_NOT_ENGLISH])
    b = _Builder(text, norm, origin)
    mentions = _body_part_sides(b, _mentions(norm))
    _tests_as_treatments(b, mentions)
    _item_contexts(b, mentions)
    _diagnosis_list_contexts(b, mentions)
    b.mentions = mentions
    facts = ClinicalFacts(text=text)
    _age_sex(b, facts)
    _injury(b, facts)
    parts = [m for m in mentions if m.label == P.BODY_PART]
    items = [m for m in mentions if m.label in _ITEM_LABELS]
    drug_starts = sorted(m.start for m in mentions if m.label == P.DRUG)
    pe_affirmed = pe_negated = rfa_affirmed = rfa_negated = False
    reviews_seen: dict[tuple[int, str], PriorReview] = {}
    used_drugs: set[str] = set()
    neuro: list[tuple[_Mention, NeuroFinding]] = []
    tests: list[tuple[_Mention, TestResult]] = []
    for m in mentions:
        label = m.label
        if label == P.DIAGNOSIS:
            facts.diagnoses.append(_diagnosis(b, m, parts))
        elif label == P.TREATMENT:
            if not _skipped_treatment(b, m):
                facts.treatments.append(_treatment(b, m, parts))
        elif label == P.DRUG:
            if b.rules.drug_skip_after.match(norm, m.end):
                continue  # "morphine equivalents": a unit of dose, not a drug taken
            nxt = next((s for s in drug_starts if s > m.start), len(norm))
            med = _medication(b, m, nxt)
            if _prior_use(b, m):
                used_drugs.add(med.generic)
            facts.medications.append(med)
        elif label == P.TEST:
            if _skipped_test(b, m):
                continue
            if (
                m.context is FactContext.NEGATED
                and b.vocab.findings.tests[m.index].modality == "urine drug screen"
                and b.rules.uds_negative_result.match(b.norm[m.end : m.sent_end])
            ):
                m.context = FactContext.AFFIRMED  # "negative for illicit drugs": a result
            test = _test(b, m, parts)
            tests.append((m, test))
            if test.modality == "urine drug screen":
                facts.monitoring.extend(_uds(b, m, test))
        elif label == P.SURGERY:
            facts.surgeries.append(_surgery(b, m, parts, facts.surgeries))
        elif label == P.NEURO:
            neuro.append((m, _neuro(b, m, parts)))
        elif label == P.EXAM:
            exam = _exam(b, m, parts)
            if exam is not None:
                facts.exam_findings.append(exam)
        elif label == P.RED_FLAG:
            kind = b.vocab.findings.red_flags[m.index].kind
            facts.red_flags.append(_simple(RedFlag, b, m, kind=kind))
        elif label == P.PSYCHOSOCIAL:
            kind = b.vocab.findings.psychosocial[m.index].kind
            fact = _simple(PsychosocialFact, b, m, kind=kind)
            dealt_with = b.rules.psychosocial_negated_after.get(kind)
            if dealt_with and dealt_with.match(b.norm[m.end : m.sent_end]):
                fact.context = FactContext.NEGATED  # "negative predictors were addressed"
            facts.psychosocial.append(fact)
        elif label == P.FUNCTION:
            kind = b.vocab.findings.function[m.index].kind
            facts.function.append(_simple(FunctionFact, b, m, kind=kind))
        elif label == P.MONITORING:
            kind = b.vocab.findings.monitoring[m.index].kind
            when = b.first_date(m.sent_start, m.sent_end)
            detail = _relief_timing(b, m.text) if kind == "analgesia_documented" else None
            if kind == "risk_assessment":
                level = b.rules.risk_level.search(b.sentence(m))
                detail = f"{level.group('level').casefold()} risk" if level else None
            facts.monitoring.append(
                _simple(MonitoringFact, b, m, kind=kind, on=when, detail=detail)
            )
        elif label == P.WORK:
            status = WorkStatusKind(b.vocab.findings.work_status[m.index].status)
            when = b.first_date(m.sent_start, m.sent_end)
            facts.work_status.append(_simple(WorkStatus, b, m, status=status, on=when))
        elif label == P.REVIEW:
            review = _review(b, m, items)
            key = (m.sent_start, review.kind)
            if key in reviews_seen:  # "Utilization Review (UR)": one review, two spans
                reviews_seen[key].evidence.extend(review.evidence)
            else:
                reviews_seen[key] = review
                facts.prior_reviews.append(review)
        elif label == P.DOC:
            kind = b.vocab.findings.documentation[m.index].kind
            negated = m.context is FactContext.NEGATED
            if kind == "physical_exam":
                pe_negated |= negated
                pe_affirmed |= not negated
            elif kind == "rfa":
                rfa_negated |= negated
                rfa_affirmed |= not negated
    facts.diagnoses += _pain_lists(b, mentions)
    facts.diagnoses += _bmi_diagnoses(b, facts.diagnoses)
    facts.diagnoses.sort(key=lambda d: d.evidence[0].start if d.evidence else 0)
    _chronic_current(facts.diagnoses)
    facts.neuro_findings = _merge_neuro(b, neuro)
    facts.symptom_onsets = _symptom_onsets(b)
    facts.tests = _merge_tests(b, tests)
    _gain_contexts(b, facts.function, facts.work_status)
    facts.function += _functional_gains(b, facts.function)
    _credit_gains(b, facts.function)
    facts.psychosocial += _psych_from_diagnoses(facts)
    facts.red_flags += _red_flags_from_diagnoses(facts)
    facts.medications += _fallback_medications(b, mentions)
    facts.medications.sort(key=lambda med: med.evidence[0].start if med.evidence else 0)
    facts.pain_scores = _pain_scores(b, mentions)
    _score_drugs_taken(b, facts.medications)
    _taken_not_planned(facts.medications)
    _new_starts_without_prior_use(facts.medications, used_drugs)
    facts.body_parts = _merge_body_parts(b, mentions, facts.diagnoses)
    facts.requested_items = _requested(b, mentions, parts)
    exam_seen = any(f.affirmed for f in facts.exam_findings) or any(
        f.kind in ("reflex_change", "straight_leg_raise", "spurling", "dermatomal_sensory_loss")
        and f.context in (FactContext.AFFIRMED, FactContext.NEGATED)
        for f in facts.neuro_findings
    )
    if pe_affirmed or exam_seen:
        facts.physical_exam_documented = True
    elif pe_negated:
        facts.physical_exam_documented = False
    if rfa_affirmed:
        facts.rfa_present = True
    elif rfa_negated:
        facts.rfa_present = False
    facts.latest_note_date = _latest_note_date(b)
    if not _has_any_fact(facts):
        facts.warnings.append(_WARN_NO_CLINICAL)
    return facts


def _pain_lists(b: _Builder, mentions: list[_Mention]) -> list[Diagnosis]:
    """The pain diagnosis (diagnoses.yaml pain_of) of each body part of a pain complaint
    naming a list of parts: "neck, shoulder, and arm pain", "neck and low back pain", "pain
    in the neck, right shoulder and low back", "knee pain"."""
    terms = b.vocab.diagnoses.diagnoses
    pain_of = {t.pain_of: i for i, t in enumerate(terms) if t.pain_of}
    if not pain_of:
        return []
    members = [
        m
        for m in mentions
        if m.label == P.BODY_PART or (m.label == P.DIAGNOSIS and terms[m.index].pain_of)
    ]
    chains: list[list[_Mention]] = []
    for m in members:
        last = chains[-1][-1] if chains else None
        if (
            last is not None
            and last.sent_start == m.sent_start
            and last.end <= m.start
            and b.rules.part_list_gap.match(b.norm[last.end : m.start])
        ):
            chains[-1].append(m)
        else:
            chains.append([m])
    out: list[Diagnosis] = []
    for chain in chains:
        parts = [m for m in chain if m.label == P.BODY_PART]
        if not parts:
            continue
        tail = chain[-1]
        head = chain[0]
        lead = b.norm[max(head.sent_start, head.start - 40) : head.start]
        if not (
            tail.label == P.DIAGNOSIS
            or b.rules.pain_after_parts.match(b.norm[tail.end : tail.sent_end])
            or b.rules.pain_before_parts.search(lead)
        ):
            continue
        for m in parts:
            index = pain_of.get(_body_part_name(b, m))
            if index is None or b.rules.pain_part_skip.match(m.text):
                continue
            term = terms[index]
            out.append(
                Diagnosis(
                    evidence=[b.span(m.start, m.end)],
                    context=m.context,
                    label=term.label,
                    icd10=term.icd10,
                    categories=list(term.categories),
                    body_part=term.body_part or _body_part_name(b, m),
                    laterality=m.laterality,
                )
            )
    return out


def _bmi_diagnoses(b: _Builder, known: list[Diagnosis]) -> list[Diagnosis]:
    """The obesity diagnosis of a written body mass index at or above the cue's threshold
    ("BMI of 48", "Body mass index is 45"), unless one is already read there."""
    cues = b.vocab.cues
    if not re.search(r"\bbmi\b|\bbody\s+mass", b.norm, re.IGNORECASE):
        return []
    term = next(d for d in b.vocab.diagnoses.diagnoses if d.label == cues.bmi_diagnosis)
    out: list[Diagnosis] = []
    for match in b.rules.bmi.finditer(b.norm):
        if float(match.group("value")) < cues.bmi_obesity_min:
            continue
        span = b.span(match.start(), match.end())
        if any(
            d.label == term.label
            and any(e.start < span.end and span.start < e.end for e in d.evidence)
            for d in known
        ):
            continue
        out.append(
            Diagnosis(
                evidence=[span],
                label=term.label,
                icd10=term.icd10,
                categories=list(term.categories),
                body_part=term.body_part,
            )
        )
    return out


def _chronic_current(diagnoses: list[Diagnosis]) -> None:
    """A lasting condition named in the past medical history or after "history of"
    (hypertension, diabetes, anemia ...) is one the worker has now."""
    chronic = {t.label for t in vocabulary().diagnoses.diagnoses if t.chronic}
    for dx in diagnoses:
        if dx.context is FactContext.HISTORICAL and dx.label in chronic:
            dx.context = FactContext.AFFIRMED


_ITEM_CONTEXT_LABELS = frozenset({P.TREATMENT, P.TEST, P.SURGERY, P.DRUG})
_LIST_GAP = re.compile(r"^\s*(?:,|and|or|,\s*(?:and|or))\s*$", re.IGNORECASE)
_SIDE_CHANGE = re.compile(r"[;:]|,\s*(?:and\s+)?(?:the\s+)?(?:left|right|bilateral)\b", re.I)
_FINDING_LABELS = frozenset({P.DIAGNOSIS, P.NEURO, P.EXAM})
_NEURO_FAMILY = {"dermatomal_sensory_loss": "sensory_loss"}
_PAIRED_TESTS = {frozenset({"EMG", "NCS"}): "EMG/NCS"}
_BRACKET_GAP = re.compile(r"\s*(?:stud(?:y|ies)|tests?|testing|velocity)?\s*\(\s*", re.I)
_EMG_PARTS = frozenset({"EMG", "NCS", "EMG/NCS"})


def _tests_as_treatments(b: _Builder, mentions: list[_Mention]) -> None:
    """A test word in a list of treatments names the treatment ("spinal manipulation,
    electrical stimulation, ultrasound"): relabel it (cues.test_as_treatment)."""
    table = b.vocab.cues.test_as_treatment
    if not table:
        return
    concepts = {t.concept: i for i, t in enumerate(b.vocab.treatments.treatments)}
    items = [m for m in mentions if m.label in (P.TREATMENT, P.TEST)]
    for i, m in enumerate(items):
        if m.label != P.TEST:
            continue
        concept = table.get(b.vocab.findings.tests[m.index].modality)
        if concept is None:
            continue
        before = items[i - 1] if i > 0 else None
        after = items[i + 1] if i + 1 < len(items) else None
        if (
            before and before.label == P.TREATMENT and _LIST_GAP.match(b.norm[before.end : m.start])
        ) or (
            after and after.label == P.TREATMENT and _LIST_GAP.match(b.norm[m.end : after.start])
        ):
            m.label, m.group, m.index = P.TREATMENT, "treatments", concepts[concept]


def _item_contexts(b: _Builder, mentions: list[_Mention]) -> None:
    """Context of treatments, tests, drugs and surgeries beyond ConText's scopes: "the
    requested X" is planned; "prior X"/"participating in X" in a request sentence was tried;
    the items opening the sentence after "UR modified the request." are the request."""
    r = b.rules
    reach = b.vocab.cues.request_lead_reach
    for m in mentions:
        if m.label not in _ITEM_CONTEXT_LABELS or m.context is FactContext.FAMILY:
            continue
        before = b.norm[max(m.sent_start, m.start - 40) : m.start]
        if r.hypothetical_before.search(before):
            m.context = FactContext.HYPOTHETICAL
        elif m.context is FactContext.HYPOTHETICAL:
            if r.request_item_skip_before.search(before):
                m.context = FactContext.HISTORICAL
        elif m.context is FactContext.AFFIRMED and m.start - m.sent_start <= reach:
            previous = b.norm[max(0, m.sent_start - 160) : m.sent_start]
            if r.request_lead_sentence.search(previous):
                m.context = FactContext.HYPOTHETICAL


_DX_ITEM_BREAK = re.compile(r"[,;:\n]|\s(?:and|or)\s|(?:^|\s)\d{1,2}[.)]\s", re.IGNORECASE)
_DX_HEDGED = frozenset({FactContext.AFFIRMED, FactContext.UNCERTAIN})


def _diagnosis_list_contexts(b: _Builder, mentions: list[_Mention]) -> None:
    """A diagnosis stated in an assessment or a list of diagnoses is affirmed unless its own
    item is hedged ("rule out X", "possible X", "X?", "X versus Y"): a hedge on one item of
    the list does not reach the others."""
    r = b.rules
    for m in mentions:
        if m.label != P.DIAGNOSIS or m.context not in _DX_HEDGED or m.extra.get("reported"):
            continue
        lead = b.norm[m.sent_start : m.start]
        if m.extra.get("section") != "assessment" and not r.diagnosis_list_lead.search(lead):
            continue
        lo = max(m.sent_start, m.start - 80)
        before = b.norm[lo : m.start]
        cuts = list(_DX_ITEM_BREAK.finditer(before))
        item_before = before[cuts[-1].end() :] if cuts else before
        after = b.norm[m.end : min(len(b.norm), m.end + 40)]
        if r.diagnosis_hedge_before.search(item_before) or r.diagnosis_hedge_after.match(after):
            m.context = FactContext.UNCERTAIN
        else:
            m.context = FactContext.AFFIRMED


def _gain_matches(b: _Builder) -> list[re.Match[str]]:
    """Gain phrases, searched only in the sentences around a trigger word (speed)."""
    windows: list[list[int]] = []
    for hit in b.rules.gain_trigger.finditer(b.norm):
        lo, hi = _sentence_around(b.norm, hit.start())
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return [m for lo, hi in windows for m in b.rules.any_gain.finditer(b.norm, lo, hi)]


def _functional_gains(b: _Builder, known: list[FunctionFact]) -> list[FunctionFact]:
    """Functional gains written in words ("able to walk longer", "increased tolerance for
    sitting", "returned to full duty"), not already read as a function fact."""
    out: list[FunctionFact] = []
    # a measure named inside a gain ("increased walking tolerance") does not hide the gain
    taken = [(e.start, e.end) for f in known if f.kind in _GAIN_WORDS for e in f.evidence]
    for match in _gain_matches(b):
        dependency = (match.lastgroup or "").startswith("d")
        was, now = match.groupdict().get("gain_was"), match.groupdict().get("gain_now")
        if was and now and int(now) <= int(was):
            continue  # "could walk 40 minutes before the injury, now 10": no gain
        span = b.span(match.start(), match.end())
        if any(s < span.end and span.start < e for s, e in taken):
            continue
        s_start, _ = _sentence_around(b.norm, match.start())
        before = b.norm[max(s_start, match.start() - 40) : match.start()]
        context = FactContext.AFFIRMED
        if b.rules.functional_gain_negated_before.search(before):
            context = FactContext.NEGATED
        elif b.rules.functional_gain_hypothetical_before.search(before):
            context = FactContext.HYPOTHETICAL
        fact = FunctionFact(
            evidence=[span],
            context=context,
            kind="functional_improvement",
            detail=match.group(0)[:80],
        )
        if dependency:
            # less medication is a gain of the treatment that replaced it, not on its own
            credited = _credited(b, match.start(), match.end(), drugs=False)
            if credited is None:
                continue
            fact.treatment = credited
        taken.append((span.start, span.end))
        out.append(fact)
    return out


# Function kinds that state a gain or its absence (a gain phrase overlapping one is not new).
_GAIN_WORDS = frozenset({"functional_improvement", "no_functional_improvement", "return_to_work"})
# Function kinds credited to the treatment named in their sentence.
_CREDITED_KINDS = frozenset({"functional_improvement", "return_to_work"})


def _gain_contexts(b: _Builder, function: list[FunctionFact], work: list[WorkStatus]) -> None:
    """A return to work (or a work status) that is denied or only hoped for ("unable to
    return to work", "has not returned to modified duty", "the goal is to return to work"):
    ConText's work phrases overlap such a mention and do not reach it."""
    facts: list[FunctionFact | WorkStatus] = [f for f in function if f.kind == "return_to_work"]
    facts += work
    for fact in facts:
        if not fact.affirmed or not fact.evidence:
            continue
        # `origin` is strictly increasing: the normalized offset of an original one by bisection
        start = bisect_left(b.origin, fact.evidence[0].start)
        if start >= len(b.origin) or b.origin[start] != fact.evidence[0].start:
            continue
        s_start, _ = _sentence_around(b.norm, start)
        before = b.norm[max(s_start, start - 40) : start]
        if b.rules.functional_gain_negated_before.search(before):
            fact.context = FactContext.NEGATED
        elif isinstance(fact, FunctionFact) and b.rules.functional_gain_hypothetical_before.search(
            before
        ):
            fact.context = FactContext.HYPOTHETICAL


def _credited(b: _Builder, start: int, end: int, drugs: bool) -> str | None:
    """The treatment concept (or drug generic, when `drugs`) nearest the gain in its
    sentence, leaving out words inside the gain itself ("decreased medication use")."""
    labels = (P.TREATMENT, P.DRUG) if drugs else (P.TREATMENT,)
    generic = b.rules.request_skip_concepts
    s_start, s_end = _sentence_around(b.norm, start)
    candidates = [
        m
        for m in b.mentions
        if m.label in labels
        and s_start <= m.start < s_end
        and (drugs or b.vocab.treatments.treatments[m.index].concept not in generic)
    ]
    near = [m for m in candidates if not (start <= m.start and m.end <= end)]
    if not near:
        # a drug named inside the gain itself ("could walk 10 minutes before Norco, now 40")
        near = [m for m in candidates if m.label == P.DRUG]
    if not near:
        return None
    m = min(near, key=lambda x: abs(x.start - start))
    if m.label == P.TREATMENT:
        return b.vocab.treatments.treatments[m.index].concept
    return b.vocab.drugs.drugs[m.index].generic


def _credit_gains(b: _Builder, function: list[FunctionFact]) -> None:
    """Tie each functional improvement or return to work to the treatment or drug nearest
    it in its sentence."""
    if not any(m.label in (P.TREATMENT, P.DRUG) for m in b.mentions):
        return
    if not any(f.kind in _CREDITED_KINDS for f in function):
        return
    inverse = {o: i for i, o in enumerate(b.origin)}
    for fact in function:
        if fact.kind not in _CREDITED_KINDS or fact.treatment or not fact.evidence:
            continue
        start = inverse.get(fact.evidence[0].start)
        end = inverse.get(fact.evidence[0].end)
        if start is None:
            continue
        fact.treatment = _credited(b, start, end if end is not None else start, True)


_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_UNIT_PRECISION = {"day": "day", "week": "day", "month": "month", "year": "year"}
_FEW = {"a": 1, "an": 1, "few": 3, "several": 3}


def _symptom_onsets(b: _Builder) -> list[SymptomOnset]:
    """When symptoms began, apart from the injury date (cues.symptom_onset). A relative onset
    ("3 weeks ago") is dated from a date written in the same sentence when there is one."""
    out: list[SymptomOnset] = []
    taken: list[tuple[int, int]] = []
    windows: list[list[int]] = []
    for hit in b.rules.onset_trigger.finditer(b.norm):  # only around an onset word (speed)
        lo, hi = max(0, hit.start() - 120), min(len(b.norm), hit.end() + 90)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        for pattern in b.rules.symptom_onset:
            for match in pattern.finditer(b.norm, lo, hi):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                onset = _onset(b, match)
                if onset is not None:
                    taken.append((start, end))
                    out.append(onset)
    out.sort(key=lambda o: o.evidence[0].start)
    return out


def _onset(b: _Builder, match: re.Match[str]) -> SymptomOnset | None:
    groups = match.groupdict()
    on: date | None = None
    precision: str | None = None
    ago: int | None = None
    if groups.get("date"):
        on, precision = parse(groups["date"]), "day"
    elif groups.get("yearonly"):
        on, precision = date(int(groups["yearonly"]), 1, 1), "year"
    elif groups.get("month"):
        month = _MONTHS.get(groups["month"].lower().rstrip("."))
        on = date(int(groups["year"]), month, 1) if month else None
        precision = "month"
    elif groups.get("unit"):
        n = _FEW.get(groups["n"].lower()) or number(groups["n"])
        unit = groups["unit"].lower().rstrip("s")
        if n is None:
            return None
        ago, precision = n * _UNIT_DAYS[unit], _UNIT_PRECISION[unit]
        s_start, s_end = _sentence_around(b.norm, match.start())
        written = b.first_date(s_start, s_end)
        on = written - timedelta(days=ago) if written else None
    if on is None and ago is None:
        return None
    symptom = re.sub(r"\s+", " ", match.group("sym")).strip()
    symptom = re.sub(r"^(?:his|her|the|these|such)\s+", "", symptom, flags=re.I)
    s_start, _ = _sentence_around(b.norm, match.start())
    before = b.norm[max(s_start, match.start() - 40) : match.start()]
    negated = bool(b.rules.onset_negated_before.search(before))
    return SymptomOnset(
        evidence=[b.span(match.start(), match.end())],
        context=FactContext.NEGATED if negated else FactContext.AFFIRMED,
        symptom=symptom.lower(),
        on=on,
        precision=precision,
        ago_days=ago,
        text=match.group(0)[:100],
    )


def _taken_not_planned(medications: list[Medication]) -> None:
    """A drug the worker takes now is not hypothetical where it is also requested: its
    planned or requested mentions take the affirmed context of a current one."""
    taken = {m.generic for m in medications if m.context is FactContext.AFFIRMED and m.current}
    for med in medications:
        if med.context is FactContext.HYPOTHETICAL and med.generic in taken:
            med.context = FactContext.AFFIRMED


def _sentence_around(norm: str, pos: int) -> tuple[int, int]:
    start = max(norm.rfind(". ", 0, pos), norm.rfind("\n", 0, pos)) + 1
    found = _SENTENCE_END.search(norm, pos)  # no slice: this runs for many mentions
    return start, found.end() if found else len(norm)


def _merge_neuro(b: _Builder, found: list[tuple[_Mention, NeuroFinding]]) -> list[NeuroFinding]:
    """One finding for two words of the same kind in one clause ("manual motor testing
    demonstrated no focal deficits", "reflexes are decreased in the triceps ... reflexes"):
    negated if either is, evidence from both. A new side after a comma starts a new one."""
    out: list[NeuroFinding] = []
    last: _Mention | None = None
    for m, f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and last is not None
            and _NEURO_FAMILY.get(prev.kind, prev.kind) == _NEURO_FAMILY.get(f.kind, f.kind)
            and last.sent_start == m.sent_start
            and m.start - last.end <= 80
            and not _SIDE_CHANGE.search(b.norm[last.end : m.start])
            and not any(
                x.label in _FINDING_LABELS and last.end <= x.start and x.end <= m.start
                for x in b.mentions
            )
            and not (m.laterality and last.laterality and m.laterality != last.laterality)
            and not _normal_beside_deficit(b, prev, last, f, m)
        ):
            prev.evidence.extend(f.evidence)
            if f.kind == "dermatomal_sensory_loss":  # "dermatomal sensation"
                prev.kind = f.kind
            if FactContext.NEGATED in (prev.context, f.context):
                prev.context = FactContext.NEGATED
            elif f.context is FactContext.UNCERTAIN:
                prev.context = f.context
            prev.body_part = prev.body_part or f.body_part
            prev.laterality = prev.laterality or f.laterality
            prev.detail = prev.detail or f.detail
        else:
            out.append(f)
        last = m
    return out


def _normal_beside_deficit(
    b: _Builder, prev: NeuroFinding, last: _Mention, f: NeuroFinding, m: _Mention
) -> bool:
    """A negated finding next to an affirmed one written with its own abnormal word stay two
    findings ("sensation is normal except for decreased sensation in the L5 dermatome")."""
    if prev.context is f.context:
        return False
    word = b.rules.neuro_abnormal_word
    return (prev.context is FactContext.AFFIRMED and bool(word.search(last.text))) or (
        f.context is FactContext.AFFIRMED and bool(word.search(m.text))
    )


def _merge_tests(b: _Builder, found: list[tuple[_Mention, TestResult]]) -> list[TestResult]:
    """EMG and NCS written together, or a test and its abbreviation in brackets
    ("electromyogram and nerve conduction studies (EMG-NCS)"), are one study."""
    out: list[TestResult] = []
    last: _Mention | None = None
    for m, t in found:
        prev = out[-1] if out else None
        if prev is not None and last is not None and last.sent_start == m.sent_start:
            gap = b.norm[last.end : m.start]
            pair = _PAIRED_TESTS.get(frozenset({prev.modality, t.modality}))
            joined = pair is not None and re.fullmatch(r"\s*(?:and|/|-|&)\s*", gap)
            bracket = _BRACKET_GAP.fullmatch(gap) and (
                prev.modality == t.modality or {prev.modality, t.modality} <= _EMG_PARTS
            )
            if joined or bracket:
                prev.evidence.extend(t.evidence)
                if joined and pair:
                    prev.modality = pair
                elif prev.modality != t.modality:  # "EMG (EMG/NCS)": the fuller name
                    prev.modality = "EMG/NCS"
                prev.body_part = prev.body_part or t.body_part
                prev.laterality = prev.laterality or t.laterality
                prev.finding = prev.finding or t.finding
                if prev.abnormal is None:
                    prev.abnormal = t.abnormal
                last = m
                continue
        out.append(t)
        last = m
    return out


def _fallback_medications(b: _Builder, mentions: list[_Mention]) -> list[Medication]:
    """Drugs that drugs.yaml does not list, read by the offline drug-name tables, only for
    a word written right before a dose and not already part of a recognized concept."""
    out: list[Medication] = []
    for match in b.rules.drug_fallback_candidate.finditer(b.norm):
        start, end = match.span("name")
        if any(m.start < end and start < m.end for m in mentions):
            continue
        generic = generic_name(match.group("name"))
        if generic is None:
            continue
        strength = b.rules.strength.search(b.norm[end : match.end()])
        frequency = b.rules.frequency.search(b.norm[match.end() : match.end() + 30])
        before = b.norm[max(0, start - 50) : start]
        out.append(
            Medication(
                evidence=[b.span(start, match.end())],
                generic=generic,
                text=b.norm[start : match.end()][:80],
                strength=re.sub(r"\s+", "", strength.group("s")) if strength else None,
                frequency=frequency.group("f").strip()
                if frequency and frequency.start() < 3
                else None,
                current=not b.rules.past_medication.search(before),
            )
        )
    return out


def _psych_from_diagnoses(facts: ClinicalFacts) -> list[PsychosocialFact]:
    """A psychological diagnosis (depression, anxiety, PTSD, insomnia) is also the
    psychosocial factor the criteria ask about, unless one was read at the same place."""
    wanted = vocabulary().cues.psych_diagnosis_categories
    out: list[PsychosocialFact] = []
    for d in facts.diagnoses:
        for category in d.categories:
            if category not in wanted:
                continue
            span = d.evidence[0]
            if any(
                p.kind == category
                and any(e.start < span.end and span.start < e.end for e in p.evidence)
                for p in facts.psychosocial
            ):
                continue
            out.append(
                PsychosocialFact(evidence=list(d.evidence), context=d.context, kind=category)
            )
    return out


def _red_flags_from_diagnoses(facts: ClinicalFacts) -> list[RedFlag]:
    """A diagnosis that is itself a red flag (a myelopathy), unless one was read there."""
    wanted = vocabulary().cues.red_flag_diagnosis_categories
    out: list[RedFlag] = []
    for d in facts.diagnoses:
        for category in (c for c in d.categories if c in wanted):
            span = d.evidence[0]
            if any(
                f.kind == category
                and any(e.start < span.end and span.start < e.end for e in f.evidence)
                for f in facts.red_flags
            ):
                continue
            out.append(RedFlag(evidence=list(d.evidence), context=d.context, kind=category))
    return out


def _skipped_test(b: _Builder, m: _Mention) -> bool:
    """A generic test word heading a list of tests, or naming none done."""
    if b.vocab.findings.tests[m.index].modality not in b.vocab.cues.generic_tests:
        return False
    before = b.norm[max(m.sent_start, m.start - 30) : m.start]
    after = b.norm[m.end : m.sent_end]
    return bool(
        b.rules.generic_test_skip_after.search(after)
        or b.rules.generic_test_skip_before.search(before)
    )


def _skipped_treatment(b: _Builder, m: _Mention) -> bool:
    concept = b.vocab.treatments.treatments[m.index].concept
    before = b.rules.treatment_skip_before.get(concept)
    after = b.rules.treatment_skip_after.get(concept)
    return bool(before and before.search(b.norm[max(0, m.start - 30) : m.start])) or bool(
        after and after.search(b.norm[m.end : m.end + 30])
    )


def _simple(cls: type[Any], b: _Builder, m: _Mention, **values: Any) -> Any:
    return cls(evidence=[b.span(m.start, m.end)], context=m.context, **values)


def _uds(b: _Builder, m: _Mention, test: TestResult) -> list[MonitoringFact]:
    """One fact per screen: "screens on 06-14-2016 and 09-20-2016 were consistent" is two."""
    sentence = b.sentence(m)
    consistent: bool | None = None
    if b.rules.uds_inconsistent.search(sentence):
        consistent = False
    elif b.rules.uds_consistent.search(sentence):
        consistent = True
    listed = b.rules.uds_date_list.match(b.norm[m.end : m.sent_end])
    days = [d for _, d in dates_in(listed.group())] if listed else []
    return [
        MonitoringFact(
            evidence=list(test.evidence),
            context=m.context,
            kind="urine_drug_screen",
            on=on,
            consistent=consistent,
        )
        for on in (days if len(days) > 1 else [test.on])
    ]


def extract_document(document: Any) -> ClinicalFacts:
    """Facts of an `openimr.documents.Document` (or anything with a `.text`)."""
    return extract_facts(getattr(document, "text", "") or "")
