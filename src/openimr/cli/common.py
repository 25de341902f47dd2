"""Helpers shared by the CLI modules: one-line errors and exit codes."""

from __future__ import annotations

import sys

from openimr.errors import OpenIMRError

EXIT_OK = 0
EXIT_FAILED_INPUT = 2


def report_error(source: str, exc: Exception) -> None:
    """Print one line naming the input and the error kind; never a traceback, never content."""
    kind = exc.kind if isinstance(exc, OpenIMRError) else type(exc).__name__
    message = str(exc).splitlines()[0] if str(exc) else kind
    print(f"openimr: {source}: {kind}: {message}", file=sys.stderr)
