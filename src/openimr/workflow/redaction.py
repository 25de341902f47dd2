"""Redaction of the public letter (imr-process.md §7.3, §9.6): no party name, address or claim
number may survive, in any of its spellings.

Patterns are built per party from the normalized name (see `names`): organizations match with
or without their legal suffix and with abbreviations ("ABC Ins. Co." for "ABC Insurance
Company"); people match as "First Last", "First M. Last", "Last, First", "Dr. Last" and, when
capitalized, the surname or first name alone; addresses match with street-word abbreviations;
claim numbers match whatever their separators. Matching runs on a folded copy of the text
(lower case, accents removed, same length) so offsets map back to the original.

Clinical facts (age, sex, dates of injury and service, diagnoses) are never touched; the
worker's date of birth, which identifies them, is removed in any written form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from openimr.model.case import Address, Case, Party, PartyKind
from openimr.model.determination import Determination, Redaction
from openimr.workflow.matching import case_parties
from openimr.workflow.names import fold, name_variants, names_data, normalize_org, parse_person

_SEP = r"[\s.,'’\-]+"  # between the words of a name
_END = r"(?:['’]s)?(?![a-z0-9])"  # word end, possessive included
_START = r"(?<![a-z0-9])"
_TITLES = r"(?:dr|doctor|mr|mrs|ms|miss|mx)\.?\s+"


class RedactedText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    removed: int  # how many spans were removed
    offsets: list[int]  # where each removal sits in the output text


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    capitalized: bool = False  # single-word names: only when capitalized in the original


def fold_same_length(text: str) -> str:
    """Lower case, accents removed, one output character per input character."""
    out = []
    for ch in text:
        base = [c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)]
        first = (base[0] if base else ch).lower()
        out.append(first if len(first) == 1 else ch)
    return "".join(out)


def _word(token: str) -> str:
    """A folded word, tolerant of apostrophes inside it ("obrien" matches "o'brien")."""
    if not token:
        return ""
    return "['’]?".join(re.escape(c) for c in token)


def _alternatives(token: str, table: dict[str, list[str]]) -> str:
    forms = [_word(token), *(re.escape(a) + r"\.?" for a in table.get(token, []))]
    return "(?:" + "|".join(forms) + ")" if len(forms) > 1 else forms[0]


def _reverse_abbreviations() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for short, full in names_data().abbreviations.items():
        if short != "&":
            out.setdefault(full, []).append(short)
    out.setdefault("and", []).append("&")
    return out


def _phrase(tokens: Sequence[str], table: dict[str, list[str]]) -> str:
    return _SEP.join(_alternatives(t, table) for t in tokens)


def _literal(text: str) -> re.Pattern[str] | None:
    words = re.findall(r"[a-z0-9]+", fold_same_length(text))
    if not words:
        return None
    return re.compile(_START + _SEP.join(_word(w) for w in words) + _END)


def _org_patterns(name: str) -> list[_Pattern]:
    data = names_data()
    table = _reverse_abbreviations()
    suffixes = "|".join(
        r"\.?\s*".join(re.escape(p) for p in s.split(".")) for s in data.legal_suffixes
    )
    out: list[_Pattern] = []
    for variant in name_variants(name):
        literal = _literal(variant)
        if literal is not None:
            out.append(_Pattern(literal))
        core = normalize_org(variant).split()
        generic = set(data.generic_org_words)
        if core and any(w not in generic for w in core):
            body = _phrase(core, table)
            tail = rf"(?:[\s,]+(?:{suffixes})\.?(?![a-z0-9]))*"
            out.append(_Pattern(re.compile(rf"{_START}(?:the\s+)?{body}{tail}{_END}")))
            head = core[0]
            if len(core) > 1 and len(head) >= 4 and head not in generic:
                # the distinctive first word alone ("Harborview" for "Harborview Surgical
                # Pavilion"), only where capitalized, as a name is
                out.append(_Pattern(re.compile(_START + _word(head) + _END), capitalized=True))
    return out


def _person_patterns(name: str, party: Party | None = None) -> list[_Pattern]:
    parsed = parse_person(name)
    first = (party.first_name if party and party.first_name else parsed.first) or ""
    last = (party.last_name if party and party.last_name else parsed.last) or ""
    first, last = fold(first).strip(" ."), fold(last).strip(" .")
    middle = parsed.middle
    out: list[_Pattern] = []
    literal = _literal(name)
    if literal is not None:
        out.append(_Pattern(literal))
    if not last:
        return out
    last_re = _SEP.join(_word(w) for w in re.findall(r"[a-z0-9]+", last))
    if first:
        first_re = _SEP.join(_word(w) for w in re.findall(r"[a-z0-9]+", first))
        mid = ""
        if middle:
            mid = rf"(?:{_SEP}(?:{_word(middle)}|{re.escape(middle[0])}\.?))?"
        out.append(
            _Pattern(re.compile(rf"{_START}(?:{_TITLES})?{first_re}{mid}{_SEP}{last_re}{_END}"))
        )
        out.append(_Pattern(re.compile(rf"{_START}{last_re},?\s+{first_re}{mid}{_END}")))
        if len(first) >= 3:
            out.append(_Pattern(re.compile(rf"{_START}{first_re}{_END}"), capitalized=True))
    out.append(_Pattern(re.compile(rf"{_START}{_TITLES}{last_re}{_END}")))
    out.append(_Pattern(re.compile(rf"{_START}{last_re}{_END}"), capitalized=True))
    return out


def _address_patterns(address: Address) -> list[_Pattern]:
    table = names_data().address_abbreviations
    out: list[_Pattern] = []
    for line in [address.line1, address.line2]:
        if not line:
            continue
        # The whole line, and each comma-separated part of two words or more: letters quote
        # the street without the unit ("1200 Harbor Street" of "1200 Harbor Street, Apt 4").
        for part in dict.fromkeys([line, *line.split(",")]):
            words = [w for w in re.findall(r"[a-z0-9]+|#", fold_same_length(part)) if w != "#"]
            if not words or (part != line and len(words) < 2):
                continue
            body = r"[\s.,#\-]*".join(_alternatives(w, table) for w in words)
            out.append(_Pattern(re.compile(_START + body + _END)))
    if address.city:
        parts = [_phrase(re.findall(r"[a-z0-9]+", fold(address.city)), {})]
        if address.state:
            state = re.escape(fold(address.state))
            parts.append(rf"(?:{state}|california)" if fold(address.state) == "ca" else state)
        if address.postal_code:
            parts.append(_identifier_body(address.postal_code))
        out.append(_Pattern(re.compile(_START + r"[\s,.]+".join(parts) + _END)))
    if address.postal_code:
        out.append(_Pattern(re.compile(_START + _identifier_body(address.postal_code) + _END)))
    return out


def _identifier_body(value: str) -> str:
    chars = re.findall(r"[a-z0-9]", fold(value))
    return r"[\s\-./#]*".join(re.escape(c) for c in chars)


def _identifier_pattern(value: str) -> _Pattern | None:
    if len(re.findall(r"[a-z0-9]", fold(value))) < 3:
        return None
    return _Pattern(re.compile(_START + _identifier_body(value) + r"(?![a-z0-9])"))


def _phone_pattern(phone: str) -> _Pattern | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return None
    body = r"[\s().\-]*".join(digits[-10:] if len(digits) >= 10 else digits)
    return _Pattern(re.compile(r"(?<!\d)(?:\+?1[\s.\-]*)?\(?" + body + r"(?!\d)"))


# ----------------------------------------------------------------------------- what to remove


def party_patterns(parties: Iterable[Party]) -> list[_Pattern]:
    out: list[_Pattern] = []
    for party in parties:
        for name in [party.name, *party.aliases]:
            if party.kind is PartyKind.PERSON:
                out += _person_patterns(name, party if name == party.name else None)
            else:
                out += _org_patterns(name)
        if party.address is not None:
            out += _address_patterns(party.address)
        if party.phone:
            phone = _phone_pattern(party.phone)
            if phone is not None:
                out.append(phone)
    return out


_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _date_pattern(day: date) -> _Pattern:
    """A date in the ways letters write one: 1/2/1960, 01-02-60, 1960-01-02, January 2, 1960,
    Jan. 2nd, 1960, 2 January 1960 (matched on folded, lower-case text)."""
    m, d, y = day.month, day.day, day.year
    mm, dd = rf"0?{m}", rf"0?{d}"
    year = rf"(?:{y}|{y % 100:02d})"
    month = _MONTHS[m - 1]
    short = [month[:3], "sept"] if m == 9 else [month[:3]]
    month_name = "(?:" + "|".join([month, *(rf"{a}\.?" for a in short)]) + ")"
    ordinal = rf"{d}(?:st|nd|rd|th)?"
    forms = [
        rf"{mm}\s*[/.\-]\s*{dd}\s*[/.\-]\s*{year}",
        rf"{y}\s*-\s*0?{m}\s*-\s*0?{d}",
        rf"{month_name}\s+{ordinal},?\s+{y}",
        rf"{ordinal}\s+{month_name},?\s+{y}",
    ]
    return _Pattern(re.compile(r"(?<![a-z0-9])(?:" + "|".join(forms) + r")(?![0-9])"))


def case_identifiers(case: Case) -> list[str]:
    """Claim numbers and other identifiers of the case's applications (never the CM number)."""
    values: list[str] = []
    for app in case.applications:
        values += [v for v in (app.claim_number, app.eams_case_number, app.wcis_claim_number) if v]
    return list(dict.fromkeys(values))


def case_patterns(case: Case, also: Iterable[str] = ()) -> list[_Pattern]:
    """Everything to remove for a case: parties (with the UR organization named on the UR
    decisions), identifiers, and `also` (other names, e.g. the reviewer's)."""
    out = party_patterns(case_parties(case))
    for value in case_identifiers(case):
        pattern = _identifier_pattern(value)
        if pattern is not None:
            out.append(pattern)
    for extra in also:
        out += _person_patterns(extra)
    # The worker's date of birth identifies them; the date of injury is a clinical fact and stays.
    births = {app.date_of_birth for app in case.applications if app.date_of_birth}
    out += [_date_pattern(born) for born in sorted(births)]
    return out


# ----------------------------------------------------------------------------- redaction


def _spans(text: str, patterns: Sequence[_Pattern]) -> list[tuple[int, int]]:
    folded = fold_same_length(text)
    spans: list[tuple[int, int]] = []
    for p in patterns:
        for m in p.regex.finditer(folded):
            if m.end() <= m.start():
                continue
            if p.capitalized and not text[m.start()].isupper():
                continue
            spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def redact_with(text: str, patterns: Sequence[_Pattern], marker: str = "") -> RedactedText:
    """Remove every match; `marker` replaces each span ("" keeps DWC's double-space gaps)."""
    spans = _spans(text, patterns)
    pieces: list[str] = []
    offsets: list[int] = []
    cursor = 0
    length = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        length += start - cursor
        offsets.append(length)
        pieces.append(marker)
        length += len(marker)
        cursor = end
    pieces.append(text[cursor:])
    return RedactedText(text="".join(pieces), removed=len(spans), offsets=offsets)


def redact_text(
    text: str, case: Case, *, marker: str = "", also: Iterable[str] = ()
) -> RedactedText:
    """Redact a letter's text of every party string of `case` (and the `also` names)."""
    return redact_with(text, case_patterns(case, also), marker)


def surviving(text: str, case: Case, also: Iterable[str] = ()) -> int:
    """How many party strings are still found in `text` (0 for a properly redacted text)."""
    return len(_spans(text, case_patterns(case, also)))


def redact_determination(
    det: Determination, case: Case, *, marker: str = "", also: Iterable[str] = ()
) -> Determination:
    """The public version of a determination: every free-text field redacted, gaps recorded."""
    patterns = case_patterns(case, also)
    redactions = list(det.redactions)

    def clean(value: str | None, field: str) -> str | None:
        if value is None:
            return None
        result = redact_with(value, patterns, marker)
        redactions.extend(Redaction(field=field, offset=o) for o in result.offsets)
        return result.text

    items = []
    for n, item in enumerate(det.items):
        update: dict[str, object] = {
            "request": clean(item.request, f"items[{n}].request") or "",
            "original_request": clean(item.original_request, f"items[{n}].original_request"),
            "rationale": clean(item.rationale, f"items[{n}].rationale"),
        }
        for which in ("claims_administrator_basis", "reviewer_basis"):
            basis = getattr(item, which)
            if basis is not None:
                update[which] = basis.model_copy(
                    update={"text": clean(basis.text, f"items[{n}].{which}.text") or ""}
                )
        items.append(item.model_copy(update=update))
    summary = clean(det.clinical_summary, "clinical_summary")
    return det.model_copy(
        update={"clinical_summary": summary, "items": items, "redactions": redactions}
    )
