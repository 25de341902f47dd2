"""Render a Determination as a generation-B Final Determination Letter: text, HTML or PDF.

The text form has its own template (`letter.txt.j2`); HTML and PDF come from one template
(`letter.html.j2`), the PDF by WeasyPrint with page numbers in the footer. The wording of
the boilerplate lives in `templates/wording.yaml`.

Published letters mark a removed name with a run of spaces; each form keeps that run
unbreakable so that a line break never swallows it and the parser finds it again: the text
form keeps it inside one line, HTML and PDF write it as no-break spaces (which PDF text
extraction reads back as spaces, unlike ordinary inter-word space).
"""

from __future__ import annotations

import re
import textwrap
from functools import cache
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from openimr.letters.render_view import GAP, build_view
from openimr.model import Determination

#: Width of the text form, close to the published letters' line length.
TEXT_WIDTH = 92
#: Spaces a redaction adds to the single space that separates two words.
GAP_EXTRA_SPACES = 2

_GAP_RUN = re.compile(f" ?{GAP}+ ?")
_GLUE = "\ue001"  # stands for a gap's spaces while text is wrapped: not whitespace
_NO_BREAK_SPACE = "\u00a0"
_NO_BREAK_HYPHEN = "\u2011"


def render_text(det: Determination) -> str:
    """The letter as plain text, wrapped at TEXT_WIDTH columns."""
    return _render("letter.txt.j2", det, output="text")


def render_html(det: Determination) -> str:
    """The letter as a self-contained HTML page (styles inline)."""
    return _render("letter.html.j2", det, output="html")


def render_pdf(det: Determination) -> bytes:
    """The letter as PDF (US Letter, page numbers in the footer)."""
    from weasyprint import HTML

    html = _render("letter.html.j2", det, output="pdf")
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf


def _render(template: str, det: Determination, *, output: str) -> str:
    view = build_view(det)
    return (
        _environment().get_template(template).render(letter=view, wording=_wording(), output=output)
    )


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("openimr.letters", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fill"] = fill_text
    env.filters["html_text"] = html_text
    return env


@cache
def _wording() -> dict[str, Any]:
    env = _environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, "wording.yaml")
    wording = yaml.safe_load(source)
    if not isinstance(wording, dict):
        raise TypeError("templates/wording.yaml must hold a mapping")
    return wording


def fill_text(text: str | None, width: int = TEXT_WIDTH) -> str:
    """Wrap a paragraph at `width` without breaking inside a word or a redaction gap."""
    if not text:
        return ""
    glued = _GAP_RUN.sub(lambda m: _GLUE * (1 + GAP_EXTRA_SPACES), text)
    wrapper = textwrap.TextWrapper(
        width=width, break_long_words=False, break_on_hyphens=False, replace_whitespace=True
    )
    return "\n".join(wrapper.wrap(glued)).replace(_GLUE, " ")


def html_text(text: str | None, output: str = "html") -> Markup:
    """Escape record text for HTML and write redaction gaps as unbreakable space.

    For PDF, hyphens become no-break hyphens: a line broken after a hyphen would come back
    from PDF text extraction as a different word ("x3-5" as "x3- 5" or "x35").
    """
    if not text:
        return Markup("")
    pieces = _GAP_RUN.split(text)
    if output == "pdf":
        pieces = [piece.replace("-", _NO_BREAK_HYPHEN) for piece in pieces]
    # Plain no-break spaces, no element around them: PDF text extraction reads a run of
    # spaces in its own text run back as a single space.
    gap = Markup(_NO_BREAK_SPACE * (1 + GAP_EXTRA_SPACES))
    return gap.join(escape(piece) for piece in pieces)
