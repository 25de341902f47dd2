"""The contract with the guideline knowledge base: values the criteria test are values the
extractor can produce (diagnosis categories, drug classes, treatment concepts, fact kinds).

The knowledge base declares its vocabulary in guidelines/data/_vocabulary.yaml; a value the
criteria test and the extractor never produces would make that criterion undecidable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from openimr.clinical.vocab import Vocabulary, vocabulary

KB_VOCABULARY = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "openimr"
    / "guidelines"
    / "data"
    / "_vocabulary.yaml"
)
# Declared by the knowledge base, not (yet) produced by the extractor. Keep this list short:
# a value here is a criterion the engine can only answer "not documented".
KNOWN_GAPS = {
    "diagnosis_categories": {"acute_exacerbation", "catastrophic_injury", "nociceptive_pain"},
    # treatments that the extractor records elsewhere (surgeries) or as drug classes
    "treatment_concepts": {"conservative_care", "first_line_laxative", "spine_surgery", "surgery"},
}


def _kb() -> dict[str, Any]:
    if not KB_VOCABULARY.exists():
        pytest.skip("the knowledge-base vocabulary is not present")
    data: dict[str, Any] = yaml.safe_load(KB_VOCABULARY.read_text(encoding="utf-8"))
    return data


def _produced(vocab: Vocabulary) -> dict[str, set[str]]:
    f = vocab.findings
    return {
        "diagnosis_categories": {c for d in vocab.diagnoses.diagnoses for c in d.categories},
        "drug_classes": {d.drug_class for d in vocab.drugs.drugs}
        | {c for d in vocab.drugs.drugs for c in d.also},
        "treatment_concepts": {t.concept for t in vocab.treatments.treatments},
        "neuro_findings": {i.kind for i in f.neuro} | {"sensory_loss"},
        "exam_findings": {i.kind for i in f.exam},
        "red_flags": {i.kind for i in f.red_flags},
        "psychosocial": {i.kind for i in f.psychosocial},
        "function": {i.kind for i in f.function},
        "monitoring": {i.kind for i in f.monitoring} | {"urine_drug_screen"},
        "tests": {i.modality for i in f.tests},
        "prior_reviews": {i.kind for i in f.prior_reviews},
    }


@pytest.mark.parametrize("group", ["diagnosis_categories", "drug_classes", "treatment_concepts"])
def test_kb_values_are_produced(group: str) -> None:
    declared = set(_kb().get(group) or [])
    missing = declared - _produced(vocabulary())[group] - KNOWN_GAPS.get(group, set())
    assert not missing, f"{group} the criteria may test but the extractor never produces"


def test_kb_fact_kinds_are_produced() -> None:
    produced = _produced(vocabulary())
    for collection, values in (_kb().get("kinds") or {}).items():
        missing = set(values) - produced.get(collection, set())
        assert not missing, f"{collection}: {sorted(missing)}"
