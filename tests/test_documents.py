"""Document loading: text decoding, PDF extraction, and the typed errors for bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from openimr.documents import decode_text, load_document, load_document_bytes
from openimr.documents.text import normalize_extracted_text
from openimr.errors import (
    CorruptPDF,
    DocumentTooLarge,
    EmptyDocument,
    PasswordProtectedPDF,
    ScannedPDF,
    TruncatedPDF,
    UnsupportedEncoding,
)


def _blank_pdf(pages: int = 1) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(612, 792)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_utf8_and_cp1252_text_decode() -> None:
    assert decode_text("Décision".encode()) == "Décision"
    assert decode_text("Décision — Upheld".encode("cp1252")) == "Décision — Upheld"
    assert decode_text("Upheld".encode("utf-16")) == "Upheld"


def test_binary_data_is_not_text() -> None:
    with pytest.raises(UnsupportedEncoding):
        decode_text(b"\x00\x01\x02binary\x00")


def test_extraction_artefacts_are_cleaned_but_spaces_kept() -> None:
    doc = load_document_bytes("a\ufffeb soft\u00adhyphen\r\nname  gap".encode())
    assert doc.text == "ab softhyphen\nname  gap"


def test_empty_inputs() -> None:
    with pytest.raises(EmptyDocument):
        load_document_bytes(b"")
    with pytest.raises(EmptyDocument):
        load_document_bytes(b"   \n\n  ")


def test_absurd_size_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(DocumentTooLarge):
        load_document(big, max_bytes=1024)


def test_corrupt_pdf() -> None:
    with pytest.raises(CorruptPDF) as info:
        load_document_bytes(b"%PDF-1.7\n" + b"garbage " * 200 + b"\n%%EOF\n")
    assert not isinstance(info.value, TruncatedPDF)


def test_truncated_pdf() -> None:
    data = _blank_pdf(3)
    with pytest.raises(TruncatedPDF):
        load_document_bytes(data[: len(data) // 2])


def test_image_only_pdf_is_scanned() -> None:
    with pytest.raises(ScannedPDF):
        load_document_bytes(_blank_pdf(2))


def test_password_protected_pdf(tmp_path: Path) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    src = tmp_path / "plain.pdf"
    src.write_bytes(_blank_pdf(1))
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))
    with pytest.raises(PasswordProtectedPDF):
        load_document(locked)


@pytest.mark.corpus
def test_real_encrypted_letters_open(corpus_pdfs: list[Path]) -> None:
    doc = load_document(corpus_pdfs[0])
    assert doc.kind == "pdf"
    assert doc.page_count >= 1
    assert "\r" not in doc.text
    assert "HOW THE IMR FINAL DETERMINATION WAS MADE" in doc.text


def test_word_split_by_soft_hyphen_at_line_end_is_rejoined() -> None:
    raw = "Shoulder com\u00ad\nplaints and Non\ufffe\n MTUS; keep\u00adthis"
    text = normalize_extracted_text(raw)
    assert text == "Shoulder complaints and NonMTUS; keepthis"
