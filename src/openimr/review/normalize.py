"""Request normalization: free text of a disputed item → treatment concept(s) + attributes.

Concepts are knowledge-base entry synonyms (longest match, case and punctuation tolerant),
resolved by dosage form where entries share a name; attributes come from the patterns in
`data/request_patterns.yaml` and the word lists of the knowledge-base vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from openimr.errors import KnowledgeBaseError
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.guidelines.request import ConceptMatch, Ingredient, NormalizedRequest
from openimr.guidelines.schema import Category, Entry, Form

DATA_FILE = Path(__file__).resolve().parent / "data" / "request_patterns.yaml"

_ATTRIBUTES = (
    "strength",
    "amount",
    "quantity",
    "refills",
    "day_supply",
    "frequency_per_week",
    "doses_per_day",
    "dose_interval_hours",
    "units_per_dose",
    "duration",
    "sessions",
    "hours_per_day",
    "hours_per_week",
    "hours_total",
    "levels",
    "date_of_service",
)


class PatternFile(BaseModel):
    """Schema of request_patterns.yaml."""

    model_config = ConfigDict(extra="forbid")

    version: int
    attributes: dict[str, list[str]]
    unit_days: dict[str, int]
    joiners: list[str] = Field(default_factory=list)
    # Words after which a named treatment is the request's purpose or setting, not a second
    # requested treatment ("evaluation prior to a stimulator trial", "as an adjunct to therapy").
    context_words: list[str] = Field(default_factory=list)
    # Context words that, before a surgery, place the request in time around it
    # ("physical therapy following knee arthroscopy" is postoperative): qualifier -> words.
    surgery_context: dict[str, list[str]] = Field(default_factory=dict)
    lead_ins: list[str] = Field(default_factory=list)
    routes: dict[str, list[str]] = Field(default_factory=dict)
    # Dosing words and how many doses a day each means ("bid" -> 2), read when no
    # "N times a day" is written.
    dose_words: dict[str, float] = Field(default_factory=dict)
    # Branded combination products and their ingredients, judged ingredient by ingredient
    # (rule X-4); each value is the ingredient list as a label states it.
    products: dict[str, list[str]] = Field(default_factory=dict)
    # Short ingredient names in slash-separated compound lists ("Keto/Lido/Gaba cream").
    ingredient_abbreviations: dict[str, str] = Field(default_factory=dict)
    # Spinal levels ("C5-6", "L5-S1") name the spine region when the words do not.
    spine_levels: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class _Patterns:
    attributes: dict[str, list[re.Pattern[str]]]
    unit_days: dict[str, int]
    lead_ins: list[re.Pattern[str]]
    routes: dict[str, re.Pattern[str]]
    dose_words: list[tuple[re.Pattern[str], float]]
    products: list[tuple[re.Pattern[str], list[str]]]
    abbreviations: dict[str, str]
    abbreviation_words: re.Pattern[str]
    spine_levels: dict[str, re.Pattern[str]]
    context_words: re.Pattern[str]
    surgery_context: dict[str, re.Pattern[str]]


_SEPARATOR = ""  # trie key standing for a run of spaces or hyphens between words


def _words_regex(words: list[str]) -> re.Pattern[str]:
    """Whole-word match of any of `words`, the longest first, tolerant of spaces/hyphens
    between words. Built as a trie so a long list costs one pass, not one try per word."""
    trie: dict[str | None, Any] = {}
    for word in {w.casefold() for w in words}:
        tokens = [t for t in re.split(r"[\s\-]+", word.strip()) if t]
        if not tokens:
            continue
        node = trie
        for index, token in enumerate(tokens):
            if index:
                node = node.setdefault(_SEPARATOR, {})
            for char in token:
                node = node.setdefault(char, {})
        node[None] = True  # a word ends here
    if not trie:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![a-z0-9])" + _trie_pattern(trie) + r"(?![a-z0-9])", re.IGNORECASE)


def _trie_pattern(node: dict[str | None, Any]) -> str:
    """Regex of a trie node: its branches (longer first by greediness), optional when a word
    also ends here."""
    branches = []
    for key in sorted((k for k in node if k is not None), key=lambda k: (k == _SEPARATOR, k)):
        head = r"[\s\-]*" if key == _SEPARATOR else re.escape(key)
        branches.append(head + _trie_pattern(node[key]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if None in node else body


@cache
def load_patterns(path: Path = DATA_FILE) -> _Patterns:
    """Load and validate the attribute patterns (raises KnowledgeBaseError)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = PatternFile.model_validate(raw)
        unknown = set(spec.attributes) - set(_ATTRIBUTES)
        if unknown:
            raise ValueError(f"unknown attributes {sorted(unknown)}")
        attributes = {
            name: [re.compile(p, re.IGNORECASE) for p in patterns]
            for name, patterns in spec.attributes.items()
        }
        lead_ins = [re.compile(r"^\s*" + p + r"\s*", re.IGNORECASE) for p in spec.lead_ins]
        spine_levels = {part: re.compile(p, re.IGNORECASE) for part, p in spec.spine_levels.items()}
    except (OSError, yaml.YAMLError, ValueError, re.error) as exc:
        raise KnowledgeBaseError(f"{path.name}: invalid request patterns ({exc})") from exc
    routes = {route: _words_regex(words) for route, words in spec.routes.items()}
    dose_words = [
        (_words_regex([word]), per_day)
        for word, per_day in sorted(spec.dose_words.items(), key=lambda kv: -len(kv[0]))
    ]
    products = [
        (_words_regex([name]), ingredients)
        for name, ingredients in sorted(spec.products.items(), key=lambda kv: -len(kv[0]))
    ]
    abbreviations = {k.casefold(): v for k, v in spec.ingredient_abbreviations.items()}
    return _Patterns(
        attributes,
        spec.unit_days,
        lead_ins,
        routes,
        dose_words,
        products,
        abbreviations,
        _words_regex(list(abbreviations)),
        spine_levels,
        # the words that time a request around a surgery are context words too
        _words_regex(spec.context_words + [w for ws in spec.surgery_context.values() for w in ws]),
        {q: _words_regex(words) for q, words in spec.surgery_context.items()},
    )


# --------------------------------------------------------------------------- concept index


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.casefold()).strip()


def _compact(text: str) -> str:
    """The key without spaces or hyphens: synonym patterns let both vary ("350mg", "350 mg")."""
    return re.sub(r"[\s\-]+", "", text.casefold())


@dataclass(frozen=True)
class _Index:
    synonyms: re.Pattern[str]
    owners: dict[str, list[Entry]]
    compact_owners: dict[str, list[Entry]]
    body_parts: re.Pattern[str]
    body_part_of: dict[str, str]
    qualifiers: dict[str, re.Pattern[str]]
    laterality: dict[str, re.Pattern[str]]
    forms: dict[Form, re.Pattern[str]]
    number_words: re.Pattern[str]
    numbers: dict[str, int]
    compose_terms: list[tuple[Entry, re.Pattern[str], set[str]]]


_INDEXES: dict[int, _Index] = {}


def _index(kb: KnowledgeBase) -> _Index:
    cached = _INDEXES.get(id(kb))
    if cached is not None:
        return cached
    owners: dict[str, list[Entry]] = {}
    for entry in kb:
        for synonym in [entry.name, *entry.synonyms]:
            owners.setdefault(_key(synonym), []).append(entry)
    # Plurals of multi-letter names ("facet joint injections", "medial branch blocks") unless
    # the plural is itself a name; short abbreviations are left alone ("pt" is not "pts").
    for key, entries in list(owners.items()):
        plural = key + "s"
        if len(key) > 3 and not key.endswith("s") and plural not in owners:
            owners[plural] = list(entries)
    compact_owners: dict[str, list[Entry]] = {}
    for key, entries in owners.items():
        merged = compact_owners.setdefault(_compact(key), [])
        merged.extend(e for e in entries if all(e is not m for m in merged))
    vocab = kb.vocabulary
    body_part_of = {_key(s): b.name for b in vocab.body_parts for s in [b.name, *b.synonyms]}
    laterality = {
        side: _words_regex([w for w in words if len(w) > 1])
        for side, words in vocab.laterality.items()
    }
    compose = [
        (entry, _words_regex(c.terms), set(c.body_parts)) for entry in kb for c in entry.compose
    ]
    index = _Index(
        synonyms=_words_regex(list(owners)),
        owners=owners,
        compact_owners=compact_owners,
        body_parts=_words_regex(list(body_part_of)),
        body_part_of=body_part_of,
        qualifiers={q: _words_regex(words) for q, words in vocab.qualifiers.items()},
        laterality=laterality,
        forms={form: _words_regex(words) for form, words in vocab.forms.items()},
        number_words=_words_regex(list(vocab.number_words)),
        numbers={_key(k): v for k, v in vocab.number_words.items()},
        compose_terms=compose,
    )
    _INDEXES[id(kb)] = index
    return index


# --------------------------------------------------------------------------- attributes


def _digits(text: str, index: _Index) -> str:
    return index.number_words.sub(
        lambda m: str(index.numbers.get(_key(m.group()), m.group())), text
    )


def _first(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match
    return None


_MULTIPLES = {"once": 1.0, "twice": 2.0, "thrice": 3.0}


def _number(match: re.Match[str]) -> float:
    groups = match.groupdict()
    n = (groups.get("n") or "0").casefold()
    value = _MULTIPLES.get(n) or float(n)
    if groups.get("hi"):
        value = max(value, float(groups["hi"]))
    return value


def _date(text: str) -> date | None:
    month, day, year = (int(part) for part in text.split("/"))
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


# A spinal level or range as requests write it: "L4-5", "L4-L5", "L5-S1", "C5/6", "L3-S1".
_LEVEL = re.compile(
    r"(?<![a-z0-9])([CTL])\s?(\d{1,2})\s*[-/]\s*([CTLS])?\s?(\d{1,2})(?![0-9])", re.IGNORECASE
)
_REGION_START = {"C": 0, "T": 7, "L": 19, "S": 24}  # C1 = 1 ... T1 = 8 ... L1 = 20, S1 = 25
_REGION_SIZE = {"C": 7, "T": 12, "L": 5, "S": 1}


def _vertebra(region: str, number: int) -> int | None:
    region = region.upper()
    if not 1 <= number <= _REGION_SIZE[region]:
        return None
    return _REGION_START[region] + number


def _spinal_segments(text: str) -> set[tuple[int, int]]:
    """Motion segments named in a request: "L3-4, L4-5 and L5-S1" and "L3-S1" are three."""
    segments: set[tuple[int, int]] = set()
    for m in _LEVEL.finditer(text):
        top = _vertebra(m.group(1), int(m.group(2)))
        bottom = _vertebra(m.group(3) or m.group(1), int(m.group(4)))
        if top is None or bottom is None or not 0 < bottom - top <= 8:
            continue
        segments.update((v, v + 1) for v in range(top, bottom))
    return segments


def _attributes(text: str, patterns: _Patterns) -> dict[str, Any]:
    out: dict[str, Any] = {}
    found = {name: _first(p, text) for name, p in patterns.attributes.items()}
    if (m := found.get("strength")) is not None:
        out["strength"] = re.sub(r"\s+", "", m.group("value"))
    if (m := found.get("amount")) is not None:
        unit = m.group("unit").casefold()
        out["amount"] = f"{m.group('value')} {'ml' if unit == 'ml' else 'g'}"
    for name in (
        "quantity",
        "frequency_per_week",
        "doses_per_day",
        "units_per_dose",
        "hours_per_day",
        "hours_per_week",
        "hours_total",
    ):
        if (m := found.get(name)) is not None:
            out[name] = _number(m)
    if "doses_per_day" not in out and (m := found.get("dose_interval_hours")) is not None:
        hours = _number(m)
        if 0 < hours <= 168:  # "every 6 hours" -> 4 a day; "every 72 hours" -> 1/3
            out["doses_per_day"] = round(24 / hours, 2)
    if "doses_per_day" not in out:
        for pattern, per_day in patterns.dose_words:
            if pattern.search(text):
                out["doses_per_day"] = per_day
                break
    if (m := found.get("refills")) is not None:
        out["refills"] = int(m.group("n"))
    if (m := found.get("levels")) is not None and m.groupdict().get("n"):
        out["levels"] = int(m.group("n"))
    elif segments := _spinal_segments(text):
        out["levels"] = len(segments)
    if (m := found.get("day_supply")) is not None:
        unit = (m.groupdict().get("unit") or "day").casefold()
        out["day_supply"] = int(_number(m) * patterns.unit_days.get(unit, 1))
    if (m := found.get("duration")) is not None:
        unit = (m.groupdict().get("unit") or "weeks").casefold()
        days = _number(m) * patterns.unit_days.get(unit, 7)
        out["duration_days"] = days
        out["duration_weeks"] = round(days / 7, 2)
    if (m := found.get("sessions")) is not None:
        out["sessions"] = int(_number(m))
    elif "frequency_per_week" in out and "duration_weeks" in out:
        out["sessions"] = round(out["frequency_per_week"] * out["duration_weeks"])
    if (m := found.get("date_of_service")) is not None:
        out["date_of_service"] = _date(m.group("value"))
    return out


# --------------------------------------------------------------------------- concepts


def _detect_form(text: str, index: _Index, attrs: dict[str, Any]) -> Form | None:
    hits = {form for form, pattern in index.forms.items() if pattern.search(text)}
    if len(hits) == 1:
        return hits.pop()
    if Form.PARENTERAL in hits:
        return Form.PARENTERAL
    if Form.TOPICAL in hits:
        return Form.TOPICAL
    strength = attrs.get("strength") or ""
    if "%" in strength or (attrs.get("amount") or "").endswith(" g"):
        return Form.TOPICAL
    if "mg" in strength:
        return Form.ORAL
    return None


def _pick(entries: list[Entry], form: Form | None) -> Entry:
    """Among entries sharing a synonym, the one whose forms fit the request."""
    if len(entries) == 1:
        return entries[0]
    if form is not None:
        for entry in entries:
            if form in entry.forms:
                return entry
    for entry in entries:  # no form stated: an oral drug is the usual reading
        if Form.ORAL in entry.forms or not entry.forms:
            return entry
    return entries[0]


def _refit(key: str, index: _Index, form: Form) -> Entry | None:
    """A shorter reading of the match ("diclofenac" of "diclofenac sodium") that fits the form."""
    words = key.split(" ")
    for n in range(len(words) - 1, 0, -1):
        for entry in index.owners.get(" ".join(words[:n]), []):
            if form in entry.forms:
                return entry
    return None


def _concepts(text: str, index: _Index, form: Form | None) -> list[ConceptMatch]:
    matches: list[ConceptMatch] = []
    for m in index.synonyms.finditer(text):
        entries = index.compact_owners.get(_compact(m.group()))
        if not entries:
            continue
        entry = _pick(entries, form)
        if form is not None and entry.forms and form not in entry.forms:
            entry = _refit(_key(m.group()), index, form) or entry
        matches.append(
            ConceptMatch(entry_id=entry.id, matched=_key(m.group()), start=m.start(), end=m.end())
        )
    return matches


def _elsewhere(entry: Entry, parts: list[str]) -> bool:
    """The request names only body parts the entry is not about."""
    return bool(parts) and set(parts) <= set(entry.other_body_parts)


def _side(sides: list[str]) -> str | None:
    if "bilateral" in sides or len(sides) > 1:
        return "bilateral"
    return sides[0] if sides else None


def _is_drug(entry: Entry) -> bool:
    return entry.drug or entry.category in (Category.MEDICATION, Category.TOPICAL)


def doses_per_day_of(text: str) -> float | None:
    """Doses a day a written sig states ("every 6 hours" -> 4, "three times daily" -> 3), read
    with the request patterns so a prescription in the notes and a request agree."""
    found: float | None = _attributes(
        _digits(text, _index(load_knowledge_base())), load_patterns()
    ).get("doses_per_day")
    return found


def normalize_request(text: str, kb: KnowledgeBase) -> NormalizedRequest:
    """Treatment concept(s) and attributes of one request's free text."""
    index = _index(kb)
    patterns = load_patterns()
    clean = " ".join(text.split())
    expanded = _expand_products(clean, patterns)  # concepts and ingredients only
    body = expanded
    for lead_in in patterns.lead_ins:
        body = lead_in.sub("", body, count=1)
    offset = len(expanded) - len(body)
    attrs = _attributes(_digits(clean, index), patterns)
    form = _detect_form(clean, index, attrs)
    qualifiers = [q for q, p in index.qualifiers.items() if p.search(clean)]
    parts: list[str] = []
    for m in index.body_parts.finditer(clean):
        name = index.body_part_of.get(_key(m.group()))
        if name and name not in parts:
            parts.append(name)
    parts += [
        p for p, level in patterns.spine_levels.items() if p not in parts and level.search(clean)
    ]
    sides = [side for side, p in index.laterality.items() if p.search(clean)]
    route = next((r for r, p in patterns.routes.items() if p.search(clean)), None)

    matches = [
        m.model_copy(update={"start": m.start + offset, "end": m.end + offset})
        for m in _concepts(body, index, form)
        if not _elsewhere(kb.get(m.entry_id), parts)
    ]
    for entry, terms, compose_parts in index.compose_terms:
        term = terms.search(clean)
        known = any(m.entry_id == entry.id for m in matches)
        if term and compose_parts & set(parts) and not known:
            matches.append(
                ConceptMatch(
                    entry_id=entry.id,
                    matched=_key(term.group()),
                    start=term.start(),
                    end=term.end(),
                    via="compose",
                )
            )
    matches.sort(key=lambda m: m.start)
    for before, match in pairwise(matches):
        gap = expanded[before.end : match.start]
        if patterns.context_words.search(gap):
            match.via = "context"
            if kb.get(match.entry_id).category is Category.SURGERY:
                qualifiers += [
                    q
                    for q, words in patterns.surgery_context.items()
                    if q not in qualifiers and words.search(gap)
                ]

    request = NormalizedRequest(
        text=text,
        qualifiers=qualifiers,
        form=form,
        route=route,
        body_parts=parts,
        laterality=_side(sides),
        retrospective="retrospective" in qualifiers or "date_of_service" in attrs,
        additional="renewal" in qualifiers,
        setting="rental"
        if "rental" in qualifiers
        else ("purchase" if "purchase" in qualifiers else None),
        **{k: v for k, v in attrs.items() if k in NormalizedRequest.model_fields},
    )
    if not matches:
        request.reason = "no knowledge-base treatment matches the request text"
        return request

    drugs = [m for m in matches if _is_drug(kb.get(m.entry_id))]
    compound_entry = kb.by_concept("topical_compound")
    compound_id = compound_entry.id if compound_entry is not None else None
    # A general topical name ("topical cream", "pain cream") names the vehicle, not a second
    # ingredient: "Gabapentin 10% topical cream" is one drug. An ingredient list or a branded
    # compound of that entry ("ketoprofen/lidocaine", "CM2") still counts.
    vehicle = index.forms[Form.TOPICAL]
    distinct_drugs = list(
        dict.fromkeys(
            m.entry_id
            for m in drugs
            if m.entry_id != compound_id or "/" in m.matched or not vehicle.search(m.matched)
        )
    )
    is_compound = form is Form.TOPICAL and (
        len(distinct_drugs) > 1 or expanded.count("%") > 1 or "compound" in clean.casefold()
    )
    primary = matches[0]
    others = [d for d in distinct_drugs if d != compound_id]
    if not is_compound and primary.entry_id == compound_id and others:
        primary = next(m for m in matches if m.entry_id == others[0])
    if is_compound and compound_entry is not None:
        request.compound = True
        request.ingredients = [
            Ingredient(name=m.matched, entry_id=m.entry_id)
            for m in drugs
            if m.entry_id != compound_entry.id
        ]
        request.ingredients += _unknown_ingredients(expanded, request.ingredients)
        primary = next((m for m in matches if m.entry_id == compound_entry.id), None) or (
            ConceptMatch(
                entry_id=compound_entry.id, matched="compound", start=0, end=0, via="ingredient"
            )
        )
        if primary not in matches:
            matches.insert(0, primary)
    entry = kb.get(primary.entry_id)
    for redirect in entry.redirects:
        if redirect.qualifier in qualifiers and (
            not redirect.body_parts or set(redirect.body_parts) & set(parts)
        ):
            primary = ConceptMatch(
                entry_id=redirect.to,
                matched=primary.matched,
                start=primary.start,
                end=primary.end,
                via="redirect",
            )
            matches.insert(0, primary)
            break
    if drugs and not request.compound:
        request.drug = drugs[0].matched
    request.recognized = True
    request.primary = primary.entry_id
    ordered = [primary] + [m for m in matches if m is not primary]
    request.concepts = ordered
    return request


_LISTED = re.compile(r"[a-z]\s*/\s*[a-z]", re.IGNORECASE)


def _expand_products(text: str, patterns: _Patterns) -> str:
    """Name the ingredients of a branded combination product, and spell out short names in a
    slash-separated compound list, so each ingredient is judged (rule X-4)."""
    for pattern, ingredients in patterns.products:
        match = pattern.search(text)
        if match:
            text = f"{text[: match.end()]} ({' / '.join(ingredients)}){text[match.end() :]}"
            break
    if _LISTED.search(text):
        text = patterns.abbreviation_words.sub(
            lambda m: patterns.abbreviations.get(m.group().casefold(), m.group()), text
        )
    return text


_INGREDIENT = re.compile(r"([a-z][a-z\- ]{2,30}?)\s*\d+(?:\.\d+)?\s*%", re.IGNORECASE)


def _unknown_ingredients(text: str, known: list[Ingredient]) -> list[Ingredient]:
    """Ingredients written with a strength ("Dextromethorphan 5%") that no entry names."""
    names = {i.name for i in known}
    out: list[Ingredient] = []
    for m in _INGREDIENT.finditer(text):
        name = _key(m.group(1)).split(" ")[-1]
        if (
            name
            and not any(name in n or n in name for n in names)
            and name not in {i.name for i in out}
        ):
            out.append(Ingredient(name=name, strength=m.group().split()[-1]))
    return out


def concept_count(request: NormalizedRequest) -> int:
    """Number of distinct entries requested separately (e.g. "consult and EKG" -> 2)."""
    return len({m.entry_id for m in request.concepts if m.via != "ingredient"})
