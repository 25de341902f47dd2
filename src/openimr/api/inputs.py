"""Input hygiene at the edge: NUL characters are refused (422) before they reach the store.

PostgreSQL cannot store U+0000 in text, and no form field or medical record needs one; an
early, clear 422 is better than a database error deep inside a transaction.
"""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile

from openimr.api.problems import ApiProblem

_JSON_NUL = b"\\u0000"


def _refuse(where: str) -> ApiProblem:
    return ApiProblem(422, "invalid-input", f"{where}: NUL characters are not accepted")


async def reject_nul(request: Request) -> None:
    """App-wide dependency: no NUL in the query, a JSON body or a form field/file name."""
    for key, value in request.query_params.multi_items():
        if "\x00" in key or "\x00" in value:
            raise _refuse("query")
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        if _JSON_NUL in await request.body():
            raise _refuse("body")
    elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        for name, field in form.multi_items():
            text = (field.filename or "") if isinstance(field, UploadFile) else field
            if "\x00" in name or "\x00" in text:
                raise _refuse("form")
