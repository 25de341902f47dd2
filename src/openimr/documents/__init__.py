"""Bytes to text: PDF (pypdfium2) and plain text, with encoding repair.

`load_document` is the one entry point; it raises the typed errors of `openimr.errors`
and never returns partial text silently.
"""

from openimr.documents.loader import (
    MAX_DOCUMENT_BYTES,
    Document,
    load_document,
    load_document_bytes,
)
from openimr.documents.text import decode_text, normalize_extracted_text

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Document",
    "decode_text",
    "load_document",
    "load_document_bytes",
    "normalize_extracted_text",
]
