"""Load a document (PDF or text) into normalized text, one string per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from openimr.documents.text import decode_text, normalize_extracted_text
from openimr.errors import (
    CorruptPDF,
    DocumentTooLarge,
    EmptyDocument,
    PasswordProtectedPDF,
    ScannedPDF,
    TruncatedPDF,
)

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_PDF_PAGES = 3000
# A page with fewer extractable characters than this is treated as having no text layer.
_MIN_TEXT_CHARS_PER_DOCUMENT = 20


@dataclass(frozen=True)
class Document:
    """Text of one input document. `pages` holds the text of each page (one for text files)."""

    name: str
    kind: str  # "pdf" | "text"
    pages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)


def load_document(path: str | Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read a file from disk; refuses files above `max_bytes` before reading them."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentTooLarge(f"{path.name}: {size} bytes exceeds the {max_bytes}-byte limit")
    return load_document_bytes(path.read_bytes(), name=path.name, max_bytes=max_bytes)


def load_document_bytes(
    data: bytes, *, name: str = "<bytes>", max_bytes: int = MAX_DOCUMENT_BYTES
) -> Document:
    """Turn raw bytes into a Document, detecting PDF by its signature."""
    if len(data) > max_bytes:
        raise DocumentTooLarge(f"{name}: {len(data)} bytes exceeds the {max_bytes}-byte limit")
    if not data.strip():
        raise EmptyDocument(f"{name}: the file is empty")
    if b"%PDF-" in data[:1024]:
        return Document(name=name, kind="pdf", pages=_pdf_pages(data, name))
    text = normalize_extracted_text(decode_text(data))
    if not text.strip():
        raise EmptyDocument(f"{name}: the file holds no text")
    return Document(name=name, kind="text", pages=[text])


def _pdf_pages(data: bytes, name: str) -> list[str]:
    truncated = b"%%EOF" not in data[-2048:]
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise PasswordProtectedPDF(f"{name}: the PDF needs a password to open") from None
        if truncated:
            raise TruncatedPDF(f"{name}: the PDF is truncated (no end-of-file marker)") from None
        raise CorruptPDF(f"{name}: the PDF cannot be read ({exc})") from None
    try:
        if truncated:
            raise TruncatedPDF(f"{name}: the PDF is truncated (no end-of-file marker)")
        if len(pdf) == 0:
            raise EmptyDocument(f"{name}: the PDF has no pages")
        if len(pdf) > MAX_PDF_PAGES:
            raise DocumentTooLarge(f"{name}: {len(pdf)} pages exceeds {MAX_PDF_PAGES}")
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                pages.append(normalize_extracted_text(textpage.get_text_range()))
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    if sum(len(p.strip()) for p in pages) < _MIN_TEXT_CHARS_PER_DOCUMENT:
        raise ScannedPDF(
            f"{name}: the PDF's {len(pages)} page(s) carry no text layer (scanned image?);"
            " run OCR first"
        )
    return pages
