"""Invented sample records for tests, demos and benchmarks (no real case file)."""

from __future__ import annotations

from datetime import date

from openimr.model.case import (
    Application,
    DisputedItem,
    Party,
    PartyKind,
    PartyRole,
    UrAction,
    UrDecision,
)
from openimr.model.determination import Decision, Determination, Item, LetterDates


def sample_application(application_id: str = "APP-0001", **changes: object) -> Application:
    data: dict[str, object] = {
        "application_id": application_id,
        "received_date": date(2016, 3, 14),
        "date_of_injury": date(2014, 7, 2),
        "claim_number": "CLM-55-0192",
        "signed": True,
        "signature_date": date(2016, 3, 10),
        "parties": [
            Party(
                role=PartyRole.INJURED_WORKER,
                kind=PartyKind.PERSON,
                name="Rowan T. Ellery",
            ),
            Party(role=PartyRole.EMPLOYER, name="Harbor Crate Logistics LLC"),
            Party(role=PartyRole.CLAIMS_ADMINISTRATOR, name="Pinewood Claims Services, Inc."),
            Party(
                role=PartyRole.REQUESTING_PHYSICIAN,
                kind=PartyKind.PERSON,
                name="Imani Okafor-Lind",
                specialty="Physical Medicine",
            ),
        ],
        "disputed_items": [
            DisputedItem(text_as_requested="Physical therapy 2x6 lumbar spine"),
            DisputedItem(
                text_as_requested="Topical compound cream 120 g", ur_action=UrAction.MODIFY
            ),
        ],
        "ur_decision": UrDecision(decision_date=date(2016, 2, 22), action=UrAction.DENY),
    }
    data.update(changes)
    return Application.model_validate(data)


def sample_determination(*decisions: Decision | None, day: int = 18) -> Determination:
    """A determination with one item per decision (None: undecided, as in a draft)."""
    return Determination(
        case_number="CM16-0001234",
        dates=LetterDates(decision_date=date(2016, 4, day)),
        items=[
            Item(request=f"Requested item {n}", decision=d, rationale="Rationale text.")
            for n, d in enumerate(decisions, start=1)
        ],
    )
