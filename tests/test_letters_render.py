"""The renderer's letter structure, escaping, PDF output, errors and CLI (no parser needed)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from openimr.cli import app
from openimr.documents import load_document_bytes
from openimr.errors import InvalidRecord
from openimr.letters import render_html, render_pdf, render_text
from openimr.letters.basis import format_basis
from openimr.letters.render import TEXT_WIDTH
from openimr.model import (
    Basis,
    Citation,
    CitationSource,
    Decision,
    Determination,
    Generation,
    Item,
    LetterDates,
    Patient,
    Priority,
    Redaction,
    ReviewerCredentials,
    Sex,
)

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "records" / "example-determination.json"

MTUS = [Citation(source=CitationSource.MTUS, title="Chronic Pain Medical Treatment Guidelines")]
ODG = [Citation(source=CitationSource.ODG, title="Official Disability Guidelines", section="Knee")]


def _basis(citations: list[Citation], party: str) -> Basis:
    return Basis(
        cited=bool(citations),
        citations=citations,
        text=format_basis(citations, party),  # type: ignore[arg-type]
    )


def _record(**changes: object) -> Determination:
    record = Determination(
        case_number="CM15-0000123",
        generation=Generation.B,
        priority=Priority.EXPEDITED,
        dates=LetterDates(
            date_of_injury=date(2012, 1, 5),
            date_assigned=date(2015, 2, 3),
            decision_date=date(2015, 3, 4),
            ur_denial_date=date(2015, 1, 20),
            application_received=date(2015, 1, 30),
        ),
        reviewer=ReviewerCredentials(
            licensure=["California", "Nevada"], specialties=["Anesthesiology", "Pain Medicine"]
        ),
        patient=Patient(age=39, sex=Sex.FEMALE),
        clinical_summary=(
            "The injured worker is a 39 year old female who sustained an industrial injury on "
            "01/05/2012. She has chronic knee pain after a fall at work."
        ),
        items=[
            Item(
                request="MRI of the left knee",
                decision=Decision.OVERTURNED,
                claims_administrator_basis=_basis([], "claims_administrator"),
                reviewer_basis=_basis(MTUS, "reviewer"),
                rationale="Imaging is supported when red flags are present. The MRI is needed.",
            ),
            Item(
                request="Knee brace, 2 units",
                original_request="Knee brace, 3 units",
                decision=Decision.UPHELD,
                claims_administrator_basis=_basis(ODG, "claims_administrator"),
                reviewer_basis=_basis(ODG, "reviewer"),
                rationale="A second brace is not supported. The request is not necessary.",
            ),
        ],
    )
    return record.model_copy(update=changes)


def test_header_lists_each_known_field_in_letter_order_with_us_dates() -> None:
    text = render_text(_record())
    header = text.split("HOW THE IMR FINAL DETERMINATION WAS MADE")[0].strip().splitlines()
    assert header == [
        "Case Number: CM15-0000123",
        "Date Assigned: 02/03/2015",
        "Date of Injury: 01/05/2012",
        "Decision Date: 03/04/2015",
        "UR Denial Date: 01/20/2015",
        "Priority: Expedited",
        "Application Received: 01/30/2015",
    ]


def test_null_header_fields_are_left_out() -> None:
    record = _record(priority=None, dates=LetterDates(decision_date=date(2015, 3, 4)))
    text = render_text(record)
    assert "Priority" not in text
    assert "Date Assigned" not in text and "UR Denial Date" not in text
    assert "Decision Date: 03/04/2015" in text


def test_sections_come_in_generation_b_order() -> None:
    text = render_text(_record())
    headings = [
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        "State(s) of Licensure: California, Nevada",
        "Certification(s)/Specialty: Anesthesiology, Pain Medicine",
        "CLINICAL CASE SUMMARY",
        "IMR ISSUES, DECISIONS AND RATIONALES",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    for heading in ("HOW THE IMR", "CLINICAL CASE SUMMARY", "IMR ISSUES"):
        assert re.search(rf"^{heading}", text, re.MULTILINE)


def test_each_item_has_its_outcome_line_and_labelled_blocks() -> None:
    record = _record()
    text = render_text(record)
    assert re.search(r"^MRI of the left knee:  Overturned$", text, re.MULTILINE)
    blocks = text.split("IMR ISSUES, DECISIONS AND RATIONALES")[1]
    labels = ["Claims Administrator guideline:", "MAXIMUS guideline:", "Decision rationale:"]
    for label in labels:
        assert len(re.findall(rf"^{re.escape(label)}", blocks, re.MULTILINE)) == 2
    flat = " ".join(blocks.split())
    assert "did not cite any medical evidence" in flat
    assert "Decision based on MTUS Chronic Pain Medical Treatment Guidelines." in flat


def test_partly_authorized_item_states_original_request_and_remaining_portion() -> None:
    flat = " ".join(render_text(_record()).split())
    match = re.search(r"Knee brace, 3 units (.*?)Knee brace, 2 units is: Upheld", flat)
    assert match, "original request, remaining portion and outcome in one statement"
    assert "original request" in match.group(1)


def test_text_lines_stay_within_the_width_unless_one_word_is_longer() -> None:
    long_word = "x" * (TEXT_WIDTH + 10)
    record = _record(clinical_summary="word " * 200 + long_word + " end")
    for line in render_text(record).splitlines():
        assert len(line) <= TEXT_WIDTH or line == long_word


def test_engine_basis_without_text_is_written_from_its_citations() -> None:
    record = _record()
    item = record.items[0].model_copy(
        update={"reviewer_basis": Basis(cited=True, citations=ODG, text="")}
    )
    flat = " ".join(render_text(record.model_copy(update={"items": [item]})).split())
    assert f"MAXIMUS guideline: {format_basis(ODG, 'reviewer')}" in flat


def test_boilerplate_uses_neutral_pronouns() -> None:
    text = render_text(_record())
    how_made = text.split("HOW THE IMR FINAL DETERMINATION WAS MADE")[1].split("State(s)")[0]
    assert "He or she" in how_made
    assert not re.search(r"\b(Dr\.|M\.D\.)", text)


def test_boilerplate_is_not_copied_from_the_published_letters(seeds_dir: Path) -> None:
    ours = " ".join(render_text(_record()).split())
    for seed in seeds_dir.glob("*.txt"):
        theirs = " ".join(seed.read_text(encoding="utf-8").split())
        for sentence in re.split(r"(?<=[.:])\s+", theirs):
            if len(sentence) > 40 and "guideline" not in sentence:
                assert sentence not in ours, f"sentence of {seed.name} copied"


@pytest.mark.parametrize(
    ("field", "offset", "expected"),
    [
        ("clinical_summary", 18, "The injured worker   is a 39"),
        ("items[0].request", 3, "MRI   of the left knee:  Overturned"),
        ("items[1].rationale", 8, "A second   brace"),
    ],
)
def test_redaction_is_an_extra_run_of_spaces_at_its_offset(
    field: str, offset: int, expected: str
) -> None:
    record = _record(redactions=[Redaction(field=field, offset=offset)])
    assert expected in render_text(record)
    gap = expected.split(":")[0]
    assert gap in load_document_bytes(render_pdf(record)).text


def test_redaction_gap_is_never_split_by_a_line_break() -> None:
    summary = " ".join(f"w{n:03d}" for n in range(400))
    # A gap before every word: whatever the wrap points, each gap sits inside a line.
    redactions = [
        Redaction(field="clinical_summary", offset=m.start()) for m in re.finditer(" ", summary)
    ]
    text = render_text(_record(clinical_summary=summary, redactions=redactions))
    body = text.split("CLINICAL CASE SUMMARY")[1].split("IMR ISSUES")[0].split("\n\n")[1]
    for line in body.splitlines():
        assert not line.startswith(" ") and not line.endswith(" ")
    assert len(re.findall(r"w\d{3}   (?=w)", body)) == 399


@pytest.mark.parametrize(
    ("redaction", "message"),
    [
        (Redaction(field="items[5].request", offset=0), "empty"),
        (Redaction(field="case_number", offset=0), "unknown field"),
        (Redaction(field="clinical_summary", offset=10_000), "past the end"),
    ],
)
def test_redaction_that_cannot_be_placed_is_an_invalid_record(
    redaction: Redaction, message: str
) -> None:
    with pytest.raises(InvalidRecord, match=message):
        render_text(_record(redactions=[redaction]))


def test_record_without_items_or_with_an_undecided_item_is_refused() -> None:
    with pytest.raises(InvalidRecord, match="no items"):
        render_text(_record(items=[]))
    undecided = Item(request="Acupuncture, 6 sessions")
    with pytest.raises(InvalidRecord, match=r"items\[0\] has no decision"):
        render_html(_record(items=[undecided]))


def test_html_escapes_markup_in_record_text() -> None:
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    item = _record().items[0].model_copy(update={"request": hostile, "rationale": hostile})
    html = render_html(_record(items=[item], clinical_summary=hostile, case_number="CM<15>"))
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp;") == 3
    assert "CM&lt;15&gt;" in html


def test_html_is_one_page_with_letterhead_header_table_and_headings() -> None:
    html = render_html(_record())
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert 'class="letterhead"' in html and '<table class="header">' in html
    assert html.count("<h2>") == 3
    assert '<span class="outcome overturned">Overturned</span>' in html
    assert "@bottom-center" in html  # the page-number footer of the PDF


@pytest.mark.slow
def test_pdf_is_valid_and_its_text_holds_every_item_and_decision() -> None:
    record = _record()
    data = render_pdf(record)
    assert data.startswith(b"%PDF-")
    pdf = pdfium.PdfDocument(data)
    pages = len(pdf)
    pdf.close()
    text = load_document_bytes(data, name="letter.pdf").text
    flat = " ".join(text.split())
    assert "MRI of the left knee: Overturned" in flat
    assert "Knee brace, 2 units is: Upheld" in flat
    assert "Case Number: CM15-0000123" in flat
    assert f"Page {pages} of {pages}" in flat


@pytest.mark.slow
def test_pdf_keeps_hyphenated_words_whole_across_line_breaks() -> None:
    words = " ".join(f"well-being x{n}-{n + 1}" for n in range(120))
    text = load_document_bytes(render_pdf(_record(clinical_summary=words))).text
    text = re.sub(r"^Page \d+ of \d+$", "", text, flags=re.MULTILINE)  # the page footer
    flat = " ".join(text.split())
    assert words in flat


def test_example_record_renders_with_three_items_one_overturned() -> None:
    record = Determination.model_validate_json(EXAMPLE.read_bytes())
    assert len(record.items) == 3
    assert [i.decision for i in record.items].count(Decision.OVERTURNED) == 1
    text = render_text(record)
    for item in record.items:
        assert item.request in " ".join(text.split())


runner = CliRunner()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["txt", "html", "pdf"])
def test_cli_render_writes_each_format(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "sub" / f"letter.{fmt}"
    result = runner.invoke(app, ["letter", "render", str(EXAMPLE), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF-")
        data = load_document_bytes(data).text.encode()
    assert b"IMR ISSUES, DECISIONS AND RATIONALES" in data
    assert b"Omeprazole 20mg #60" in data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (json.dumps({"items": [{"decision": "maybe"}]}).encode(), "not a Determination record"),
        (json.dumps({"items": []}).encode(), "no items"),
    ],
)
def test_cli_render_refuses_a_bad_record_with_one_line(
    content: bytes, message: str, tmp_path: Path
) -> None:
    record = tmp_path / "record.json"
    record.write_bytes(content)
    out = tmp_path / "letter.txt"
    result = runner.invoke(app, ["letter", "render", str(record), "-o", str(out)])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "record.json" in lines[0]
    assert not out.exists()


def test_cli_render_refuses_an_unknown_format(tmp_path: Path) -> None:
    out = tmp_path / "letter.doc"
    result = runner.invoke(app, ["letter", "render", str(EXAMPLE), "-f", "doc", "-o", str(out)])
    assert result.exit_code != 0 and "unknown format" in result.stderr
    assert not out.exists()
