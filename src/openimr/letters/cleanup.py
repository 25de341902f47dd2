"""Page furniture removal and line joining for extracted letter text.

Two jobs kept apart on purpose:

- *furniture* (this module's `clean_pages`): lines that belong to the page, not the letter
  (page numbers alone on a line or glued to the last word of a page, running headers and
  footers repeated on every page, the empty line extraction puts after every line);
- *redactions* (`join_field`): runs of spaces inside a sentence where a name was removed.
  Furniture removal never touches spaces inside a line, so the gaps survive until
  `join_field` records them.
"""

from __future__ import annotations

import re
from collections import Counter

_BLANK = re.compile(r"[ \t]*")
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t]*(?:-\s*\d{1,3}\s*-|(?:Page|Pg\.?)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|\d{1,3})[ \t]*$",
    re.IGNORECASE,
)
# A page number glued to the page's last word: "necessary.2", "request3".
_GLUED_NUMBER = re.compile(r"(?<=[a-z.)\]\"'])(\d{1,3})[ \t]*$")
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?:;][\"')\]]*$")
_WHITESPACE_RUN = re.compile(r"\s+")


def _undouble_blank_lines(lines: list[str]) -> list[str]:
    """Drop the empty line extraction inserted after every line, when it did so throughout.

    Only truly empty lines are dropped, one per gap; lines holding a space (the letters'
    paragraph separators) and runs of several empty lines keep their meaning.
    """
    content = [i for i, line in enumerate(lines) if line != ""]
    if len(content) < 4:
        return lines
    followed = sum(1 for i in content[:-1] if i + 1 < len(lines) and lines[i + 1] == "")
    if followed < 0.9 * (len(content) - 1):
        return lines
    out: list[str] = []
    skip_next_empty = False
    for line in lines:
        if line == "" and skip_next_empty:
            skip_next_empty = False
            continue
        out.append(line)
        skip_next_empty = line != ""
    return out


def _furniture_key(line: str) -> str:
    return _DIGITS.sub("#", line.strip()).lower()


def _repeated_furniture(pages: list[list[str]]) -> set[str]:
    """Lines that start or end most pages (running headers/footers), digits masked."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = [line for line in lines if line.strip()]
        keys = {_furniture_key(line) for line in edge[:2] + edge[-2:]}
        counts.update(keys)
    threshold = max(3, (len(pages) * 2 + 2) // 3)
    return {key for key, n in counts.items() if n >= threshold and key}


def _strip_glued_number(line: str, number: int) -> str:
    match = _GLUED_NUMBER.search(line)
    if match and int(match.group(1)) == number:
        return line[: match.start()]
    return line


def clean_pages(pages: list[str]) -> str:
    """Join the pages of a letter into one text without page furniture.

    `pages` is the text of each page, in order (a single element when page breaks are
    unknown). Page numbers glued to the last word of a page are removed when they match
    the page's number; for a single text they are removed when they run 1, 2, 3, ... down
    the text.
    """
    page_lines = [_undouble_blank_lines(page.split("\n")) for page in pages]
    repeated = _repeated_furniture(page_lines)
    cleaned_pages: list[list[str]] = []
    for index, lines in enumerate(page_lines):
        kept = [
            line
            for line in lines
            if not _PAGE_NUMBER_LINE.match(line)
            and not (index > 0 and repeated and _furniture_key(line) in repeated)
        ]
        if len(pages) > 1:
            last = max((i for i, line in enumerate(kept) if line.strip()), default=None)
            if last is not None:
                kept[last] = _strip_glued_number(kept[last], index + 1)
        cleaned_pages.append(kept)
    lines = [line for page in cleaned_pages for line in page]
    if len(pages) == 1:
        lines = _strip_glued_number_sequence(lines)
    return "\n".join(lines)


def _strip_glued_number_sequence(lines: list[str]) -> list[str]:
    """In one text without page breaks, drop glued numbers that count pages 1, 2, 3, ..."""
    candidates = [
        (i, int(m.group(1))) for i, line in enumerate(lines) if (m := _GLUED_NUMBER.search(line))
    ]
    if not candidates:
        return lines
    accepted: list[int] = []
    expected: int | None = None
    for i, number in candidates:
        if expected is None and number in (1, 2):
            expected = number
        if number == expected:
            accepted.append(i)
            expected += 1
    if len(accepted) < 2:
        return lines
    out = list(lines)
    for i in accepted:
        match = _GLUED_NUMBER.search(out[i])
        if match:
            out[i] = out[i][: match.start()]
    return out


def paragraphs_to_text(block: str) -> str:
    """Join the lines of a block the way the page wrapped them, keeping inner spaces.

    A line that ends in a space or a hyphen was wrapped: it joins the next line directly
    (so a gap that straddles the wrap stays a gap). Any other line end is a plain space.
    Lines holding only whitespace are paragraph breaks and become a newline.
    """
    out: list[str] = []
    pending = ""
    for line in block.split("\n"):
        if not line.strip():
            if pending.strip():
                out.append(pending.strip())
            pending = ""
            continue
        if not pending:
            pending = line
        elif pending.endswith((" ", "-", "/")):
            pending += line
        else:
            pending += " " + line
    if pending.strip():
        out.append(pending.strip())
    return "\n".join(out)


def _is_gap(run: str, before: str) -> bool:
    """Whether a whitespace run inside a line marks a removed name.

    Two spaces after the end of a sentence are typewriter spacing, not a gap; three or more
    are a gap wherever they stand.
    """
    if len(run) < 2 or "\n" in run or not before:
        return False
    return len(run) >= 3 or not _SENTENCE_END.search(before)


def join_field(block: str) -> tuple[str, list[int]]:
    """Whitespace-normalize one field's text and find its redaction gaps.

    Returns the normalized text and, for each gap (see `_is_gap`), the offset in the
    normalized text of the single space that now stands for it.
    """
    joined = paragraphs_to_text(block)
    out: list[str] = []
    offsets: list[int] = []
    length = 0
    position = 0
    for match in _WHITESPACE_RUN.finditer(joined):
        piece = joined[position : match.start()]
        out.append(piece)
        length += len(piece)
        run = match.group(0)
        if _is_gap(run, piece):
            offsets.append(length)
        out.append(" ")
        length += 1
        position = match.end()
    out.append(joined[position:])
    return "".join(out), offsets
