"""Published IMR Final Determination Letters: parse every generation, render generation B.

Public interface (used by the CLI, the corpus and the workflow):

- `parse_letter(text) -> Determination`: text of a letter (any generation).
- `parse_document(doc) -> Determination`: a loaded `openimr.documents.Document`.
- `parse_file(path) -> Determination`: a PDF or text file.
- `render_text(det) -> str`, `render_html(det) -> str`, `render_pdf(det) -> bytes`.
"""

from __future__ import annotations

from typing import Any

_PARSE = {"parse_letter", "parse_document", "parse_file"}
_RENDER = {"render_text", "render_html", "render_pdf"}

__all__ = sorted(_PARSE | _RENDER)


def __getattr__(name: str) -> Any:
    # Lazy: rendering pulls in WeasyPrint, which parsing never needs.
    if name in _PARSE:
        from openimr.letters import parser

        return getattr(parser, name)
    if name in _RENDER:
        from openimr.letters import render

        return getattr(render, name)
    raise AttributeError(name)
