"""Disputed items of generations B and C: item line, decision, bases and rationale.

Each item is anchored on its ``Claims Administrator guideline:`` label. The item line is the
paragraph just above that label; it ends in ``Upheld`` or ``Overturned`` (possibly wrapped
onto a line of its own) and may carry the sentences of a partial authorization, in which
case the request is the remaining IMR-eligible portion and the original request is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openimr.letters.cleanup import join_field
from openimr.model import Decision

CA_LABEL = re.compile(r"^[ \t]*Claims\s+Administrator\s+guidelines?\s*:", re.I | re.M)
REVIEWER_LABEL = re.compile(
    r"^[ \t]*(?:MAXIMUS|Expert\s+Reviewer|IMR\s+Reviewer)(?:'s)?\s+guidelines?\s*:", re.I | re.M
)
RATIONALE_LABEL = re.compile(r"^[ \t]*Decision\s+rationale\s*:", re.I | re.M)
# Closing parts some letters print after the last rationale.
CLOSING = re.compile(
    r"^[ \t]*(?:cc\s*:|copies\s+(?:to|sent\s+to)\s*:|APPEAL\s+RIGHTS|RIGHT\s+TO\s+APPEAL"
    r"|NOTICE\s+OF\s+APPEAL|Sincerely,?\s*$)",
    re.I | re.M,
)

_DECISION_AT_END = re.compile(r"(?:^|[:\s-])\s*(Upheld|Overturned)\s*\.?\s*$", re.I)
_BARE_DECISION_LINE = re.compile(r"^\s*(?:Upheld|Overturned)\s*\.?\s*$", re.I)
_SENTENCE_END_LINE = re.compile(r"[.!?:][\"')\]]*$")
_END_OF_REQUEST = r"(?:\s+is)?[\s:]*$"
# "<original> was the original request. <part> was authorized by the Claims Administrator.
# The remaining IMR eligible portion of the original request, <remaining> is:" and "...
# leaving the original request IMR eligible. The original request, <request> is:".
_ORIGINAL_REQUEST = re.compile(
    r"^(?P<original>.+?)\s+was\s+the\s+original\s+request\b.*?"
    r"(?:remaining\s+IMR[\s-]+eligible\s+portion\s+of\s+the\s+original\s+request"
    r"|\bthe\s+original\s+request)\s*,\s*(?P<request>.+?)" + _END_OF_REQUEST,
    re.I,
)
# "<original> was partially authorized ...; the remaining IMR eligible portion of the
# original request, <remaining> is:" (also "Partially authorized: <original> was ...").
_PARTIALLY = re.compile(
    r"^(?:Partially\s+(?:authorized|certified|approved)\s*:\s*)?(?P<original>.+?)\s+was\s+"
    r"partially\s+(?:authorized|certified|approved)\b.*?"
    r"remaining\s+IMR[\s-]+eligible\s+portion\s+of\s+the\s+original\s+request\s*,\s*"
    r"(?P<request>.+?)" + _END_OF_REQUEST,
    re.I,
)
# An original request whose letter does not restate the remaining part.
_ORIGINAL_ONLY = re.compile(
    r"^(?:Partially\s+(?:authorized|certified|approved)\s*:\s*)?(?P<original>.+?)\s+was\s+"
    r"(?:the\s+original\s+request|partially\s+(?:authorized|certified|approved))\b",
    re.I,
)
_AUTHORIZED_SENTENCE = re.compile(
    r"^\s*(?:[^.]*?\bwas\s+authorized\b|The\s+Claims\s+Administrator\s+authorized\b|"
    r"The\s+remaining\s+IMR\b|IMR\s+eligible\b|Administrator\.|The\s+original\s+request\b)",
    re.I,
)
_CONCLUSION = re.compile(
    r"\b(?P<neg>not\s+|un)?(?:medically\s+necessary|necessary)(?:\s+and\s+appropriate"
    r"|\s+or\s+appropriate)?",
    re.I,
)


@dataclass
class RawItem:
    """An item's parts as raw text blocks (lines kept), before normalization."""

    request: str
    original_request: str | None
    decision: Decision | None
    claims_administrator_basis: str | None
    reviewer_basis: str | None
    rationale: str | None


@dataclass
class ItemLine:
    """An item line read: texts are whitespace-normalized, gaps are offsets into them."""

    request: str
    original_request: str | None = None
    decision: Decision | None = None
    request_gaps: list[int] = field(default_factory=list)
    original_gaps: list[int] = field(default_factory=list)


def decision_word(word: str) -> Decision:
    return Decision.UPHELD if word.lower() == "upheld" else Decision.OVERTURNED


def _lines_between(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, line) for each line of text[start:end]."""
    out: list[tuple[int, str]] = []
    position = start
    for line in text[start:end].split("\n"):
        out.append((position, line))
        position += len(line) + 1
    return out


def _continues_below(line: str) -> bool:
    """Whether a line runs on into the next one (wrapped, or its sentence is unfinished)."""
    if not line.strip():
        return False
    if line.rstrip().endswith(":"):
        return False
    return line.endswith((" ", "-", "/")) or not _SENTENCE_END_LINE.search(line)


def _walk_up(lines: list[tuple[int, str]], index: int) -> int:
    while index > 0 and _continues_below(lines[index - 1][1]):
        index -= 1
    return index


def item_line_start(text: str, end: int, floor: int) -> int:
    """Where the item line that ends at `end` begins (never before `floor`).

    Walks up line by line while the line above runs on into this one; a bare decision word
    on its own line always takes the line above with it; a blank line or a line ending in a
    colon ends the walk. The sentences of a partial authorization may end lines with a full
    stop, so the walk goes on up to the "original request" sentence when it sees them.
    When blank lines separate paragraphs (text letters), the item line is the paragraph
    above the label, whatever its lines end with.
    """
    lines = _lines_between(text, floor, end)
    while lines and not lines[-1][1].strip():
        lines.pop()
    if not lines:
        return floor
    index = len(lines) - 1
    blank_above = [i for i, (_, line) in enumerate(lines) if not line.strip()]
    if blank_above:
        return lines[blank_above[-1] + 1][0]
    if index > 0 and _BARE_DECISION_LINE.match(lines[index][1]):
        index -= 1
    index = _walk_up(lines, index)

    def block(i: int) -> str:
        return text[lines[i][0] : end].replace("\n", " ")

    while (
        index > 0
        and lines[index - 1][1].strip()
        and _AUTHORIZED_SENTENCE.match(block(index))
        and not _ORIGINAL_ONLY.match(block(index))
    ):
        index = _walk_up(lines, index - 1)
    return lines[index][0]


def _gaps_in(offsets: list[int], start: int, end: int) -> list[int]:
    return [offset - start for offset in offsets if start < offset < end]


def read_item_line(raw: str) -> ItemLine:
    """Request, original request, decision and redaction gaps of a raw item line."""
    joined, offsets = join_field(raw)
    decision = None
    end = len(joined)
    match = _DECISION_AT_END.search(joined)
    if match:
        decision = decision_word(match[1])
        end = match.start(1)
    body = joined[:end]
    for pattern in (_ORIGINAL_REQUEST, _PARTIALLY):
        if m := pattern.match(body):
            return ItemLine(
                request=m["request"],
                original_request=m["original"],
                decision=decision,
                request_gaps=_gaps_in(offsets, m.start("request"), m.end("request")),
                original_gaps=_gaps_in(offsets, m.start("original"), m.end("original")),
            )
    if m := _ORIGINAL_ONLY.match(body):
        original = m["original"]
        gaps = _gaps_in(offsets, m.start("original"), m.end("original"))
        return ItemLine(original, original, decision, gaps, list(gaps))
    stripped = body.rstrip(" :-")
    start = len(stripped) - len(stripped.lstrip(" :-"))
    request = stripped[start:]
    return ItemLine(
        request=request,
        decision=decision,
        request_gaps=_gaps_in(offsets, start, start + len(request)),
    )


def split_item_line(line: str) -> tuple[str, str | None, Decision | None]:
    """(request, original request, decision) from a normalized item line."""
    read = read_item_line(line)
    return read.request, read.original_request, read.decision


def conclusion_decision(rationale: str) -> Decision | None:
    """Upheld/overturned from a rationale's closing necessity sentence, when it has one."""
    matches = list(_CONCLUSION.finditer(rationale))
    if not matches:
        return None
    return Decision.UPHELD if matches[-1]["neg"] else Decision.OVERTURNED


def split_items(section: str) -> list[RawItem]:
    """The disputed items of an issues section (generations B and C), in letter order."""
    anchors = list(CA_LABEL.finditer(section))
    if not anchors:
        return []
    closing = CLOSING.search(section, anchors[-1].end())
    section_end = closing.start() if closing else len(section)
    floor = 0
    starts: list[int] = []
    for index, anchor in enumerate(anchors):
        if index > 0:
            previous = RATIONALE_LABEL.search(section, anchors[index - 1].end(), anchor.start())
            floor = previous.end() if previous else anchors[index - 1].end()
        starts.append(item_line_start(section, anchor.start(), floor))
    items: list[RawItem] = []
    for index, anchor in enumerate(anchors):
        block_end = starts[index + 1] if index + 1 < len(anchors) else section_end
        item_line = section[starts[index] : anchor.start()]
        reviewer = REVIEWER_LABEL.search(section, anchor.end(), block_end)
        rationale = RATIONALE_LABEL.search(section, anchor.end(), block_end)
        ca_end = reviewer.start() if reviewer else rationale.start() if rationale else block_end
        ca_text = section[anchor.end() : ca_end]
        reviewer_text = None
        if reviewer:
            reviewer_text = section[reviewer.end() : rationale.start() if rationale else block_end]
        rationale_text = section[rationale.end() : block_end] if rationale else None
        items.append(
            RawItem(
                request=item_line,
                original_request=None,
                decision=None,
                claims_administrator_basis=ca_text,
                reviewer_basis=reviewer_text,
                rationale=rationale_text,
            )
        )
    return items
