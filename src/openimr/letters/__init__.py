"""Published IMR Final Determination Letters: parse every generation, render generation B.

Public interface (used by the CLI, the corpus and the workflow):

- `parse_letter(text) -> Determination`: text of a letter (any generation).
- `parse_document(doc) -> Determination`: a loaded `openimr.documents.Document`.
- `parse_file(path) -> Determination`: a PDF or text file.
- `render_text(det) -> str`, `render_html(det) -> str`, `render_pdf(det) -> bytes`.
"""
