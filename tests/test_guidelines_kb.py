"""The guideline knowledge base: loading, validation, coverage, era selection, evaluation."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from openimr.errors import KnowledgeBaseError
from openimr.guidelines.era import eras_covering, guideline_era, select_era
from openimr.guidelines.evaluate import (
    CriterionStatus,
    evaluate_criterion,
    evaluate_predicate,
)
from openimr.guidelines.loader import (
    DATA_DIR,
    KnowledgeBase,
    eras_of,
    load_from,
    load_knowledge_base,
)
from openimr.guidelines.request import NormalizedRequest
from openimr.guidelines.schema import (
    Confidence,
    Criterion,
    Era,
    Status,
    entry_json_schema,
    knowledge_base_json_schemas,
)
from openimr.model.clinical import (
    ClinicalFacts,
    Diagnosis,
    FactContext,
    FunctionFact,
    Laterality,
    Medication,
    MonitoringFact,
    NeuroFinding,
    RedFlag,
    Response,
    Span,
    Surgery,
    TreatmentTried,
)
from openimr.model.clinical import (
    TestResult as StudyResult,
)


def _ids(first: int, last: int, *extra: int) -> list[str]:
    return [f"T-{n:03d}" for n in [*range(first, last + 1), *extra]]


# Which guidelines.md §5/§6 entries each family file holds (section letters A-L).
FAMILY_IDS: dict[str, list[str]] = {
    "a_opioids": _ids(1, 11),
    "b_oral_medications": _ids(12, 23),
    "c_topicals": _ids(24, 33),
    "d_physical_medicine": _ids(34, 44),
    "e_electrical_stimulation": _ids(45, 48),
    "f_behavioral": _ids(49, 51),
    "g_injections": _ids(52, 63),
    "h_diagnostics": _ids(64, 70, 90, 91),
    "i_surgery": _ids(71, 75),
    "j_equipment_services": _ids(76, 80, 88, 89),
    "k_consultations": _ids(81, 82),
    "l_modalities": _ids(84, 87),
    "m_formulary": _ids(83, 83),
}
ALL_IDS = sorted(i for ids in FAMILY_IDS.values() for i in ids)
SHARED = Path(os.environ.get("OPENIMR_SHARED", Path(__file__).resolve().parents[2] / "shared"))
GUIDELINES_MD = SHARED / "domain" / "guidelines.md"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_family_ids_cover_91_entries() -> None:
    assert len(ALL_IDS) == len(set(ALL_IDS)) == 91


def test_knowledge_base_loads(kb: KnowledgeBase) -> None:
    assert len(kb) >= 91
    assert "cpmtg" in kb.documents and "odg" in kb.documents
    assert kb.get("T-002").family == "a_opioids"


@pytest.mark.parametrize("family", sorted(FAMILY_IDS))
def test_family_file_holds_its_entries(kb: KnowledgeBase, family: str) -> None:
    assert (DATA_DIR / f"{family}.yaml").is_file()
    held = sorted(e.id for e in kb if e.family == family and e.id.startswith("T-"))
    assert held == FAMILY_IDS[family]


def test_every_guidelines_md_entry_is_in_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert set(ALL_IDS) <= set(kb.entries)
    if not GUIDELINES_MD.is_file():
        pytest.skip("shared/domain/guidelines.md is not present")
    headings = re.findall(r"^#### (T-\d{3}) ", GUIDELINES_MD.read_text(encoding="utf-8"), re.M)
    assert sorted(headings) == ALL_IDS


def _aliases(text: str) -> list[tuple[str, str]]:
    """(entry id, alias) for every alias guidelines.md lists, notes in parentheses dropped."""
    out: list[tuple[str, str]] = []
    current = None
    for line in text.splitlines():
        if heading := re.match(r"#### (T-\d{3}) ", line):
            current = heading.group(1)
        elif (listed := re.match(r"- \*\*aliases\*\*: (.*)", line)) and current:
            for alias in re.split(r",\s*(?![^()]*\))", listed.group(1)):
                alias = re.sub(r"\s*\(.*?\)", "", alias).strip().strip('"').strip()
                if len(alias) >= 3:
                    out.append((current, alias))
    return out


def test_the_aliases_of_guidelines_md_name_their_entry(kb: KnowledgeBase) -> None:
    """Most aliases read alone resolve to their own entry. The rest are expected elsewhere:
    a compound product read through its ingredients (X-4), an ingredient whose form the alias
    does not state, or a word that needs context ("MED", "RFA", "SAD")."""
    if not GUIDELINES_MD.is_file():
        pytest.skip("shared/domain/guidelines.md is not present")
    from openimr.review.normalize import normalize_request

    aliases = _aliases(GUIDELINES_MD.read_text(encoding="utf-8"))
    assert len(aliases) > 400
    hits = sum(normalize_request(alias, kb).primary == entry for entry, alias in aliases)
    assert hits / len(aliases) >= 0.9


def test_other_items_without_a_stated_position_carry_no_criteria(kb: KnowledgeBase) -> None:
    others = [e for e in kb if e.id.startswith("OI-")]
    assert {"assistant_surgeon", "preoperative_clearance", "inpatient_rehabilitation"} <= {
        e.concept for e in others
    }
    for entry in others:
        stated = [s for s in entry.sources if s.status is not None]
        if not stated:
            assert entry.criteria == [], entry.id
            assert entry.notes and "unknown" in entry.notes.casefold(), entry.id
    assert kb.get("OI-004").ancillary


def test_seed_entries_resolve_to_the_cited_sources(kb: KnowledgeBase) -> None:
    cream = kb.get("T-028").sources[0]
    assert (cream.document, cream.pages, cream.confidence) == ("cpmtg", "111-113", Confidence.V)
    infusion = {s.document: s for s in kb.get("T-033").sources}
    assert infusion["cpmtg"].status is Status.NOT_ADDRESSED
    assert infusion["odg"].status is Status.NOT_RECOMMENDED and infusion["odg"].chapter == "Pain"
    consult = [s for s in kb.get("T-081").sources if Era.E1 in eras_of(kb, s)]
    assert consult[0].document == "acoem2_ch7"
    assert kb.documents["acoem2_ch7"].source.value == "ACOEM"


def test_every_predicate_evaluates_on_sparse_and_rich_facts(kb: KnowledgeBase) -> None:
    sparse = ClinicalFacts()
    rich = _facts(
        age=70,
        diagnoses=[
            Diagnosis(
                label="lumbar radiculopathy", categories=["radiculopathy"], body_part="lumbar spine"
            )
        ],
        medications=[Medication(generic="naproxen", drug_class="nsaid")],
        function=[FunctionFact(kind="functional_improvement")],
        monitoring=[MonitoringFact(kind="urine_drug_screen", on=date(2015, 5, 1), consistent=True)],
        treatments=[
            TreatmentTried(concept="physical_therapy", quantity=12, response=Response.NO_BENEFIT)
        ],
    )
    request = NormalizedRequest(
        text="Item x2 to the low back",
        sessions=2,
        quantity=2,
        body_parts=["lumbar spine"],
        duration_weeks=2,
    )
    statuses = set()
    for entry in kb:
        predicates = [c.test for c in entry.criteria if c.test is not None]
        predicates += [lim.when for lim in entry.limits if lim.when is not None]
        for pred in predicates:
            for facts in (sparse, rich):
                for req in (None, request):
                    statuses.add(evaluate_predicate(pred, facts, req, ON).status)
    assert statuses == set(CriterionStatus)


def test_json_schema_export_validates_every_family_file() -> None:
    schema = entry_json_schema()
    json.dumps(schema)  # serializable
    assert "entries" in schema["properties"]
    validator = jsonschema.Draft202012Validator(schema)
    files = [p for p in sorted(DATA_DIR.glob("*.yaml")) if not p.name.startswith("_")]
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path.name
    broken = {"family": "x", "title": "x", "entries": [{"id": "T-1"}]}
    assert list(validator.iter_errors(broken))


def test_documents_and_vocabulary_validate_against_their_json_schemas() -> None:
    schemas = knowledge_base_json_schemas()
    for kind, name in (("documents", "_documents.yaml"), ("vocabulary", "_vocabulary.yaml")):
        validator = jsonschema.Draft202012Validator(schemas[kind])
        data = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
        assert [e.message for e in validator.iter_errors(data)] == [], name
        assert list(validator.iter_errors({"unexpected": 1})), name


def test_synonyms_are_unique_unless_told_apart_by_form(kb: KnowledgeBase) -> None:
    owners: dict[str, list[str]] = {}
    for entry in kb:
        assert len({s.casefold() for s in entry.synonyms}) == len(entry.synonyms), entry.id
        for synonym in entry.synonyms:
            owners.setdefault(synonym.casefold(), []).append(entry.id)
    for synonym, ids in owners.items():
        if len(ids) > 1:
            forms = [set(kb.get(i).forms) for i in ids]
            assert all(forms), synonym
            for i, first in enumerate(forms):
                for second in forms[i + 1 :]:
                    assert not first & second, synonym


def test_uncertain_criteria_and_limits_are_never_hard_rules(kb: KnowledgeBase) -> None:
    seen_u = 0
    for entry in kb:
        for criterion in entry.criteria:
            if criterion.confidence is Confidence.U:
                seen_u += 1
                assert criterion.is_advisory, (entry.id, criterion.id)
        for limit in entry.limits:
            if limit.confidence is Confidence.U:
                assert not limit.is_hard_rule
    assert seen_u >= 1
    with pytest.raises(ValueError, match="U criterion"):
        Criterion.model_validate(
            {
                "id": "x",
                "subject": "s",
                "confidence": "U",
                "advisory": False,
                "test": {"op": "months_since_injury", "gte": 3},
            }
        )


def test_pages_only_where_the_document_prints_pages(kb: KnowledgeBase) -> None:
    for entry in kb:
        for source in entry.sources:
            if source.pages is None:
                continue
            document = kb.documents[source.document]
            assert any(ed.pages_valid for ed in document.editions), (entry.id, source.document)


def test_every_treatment_entry_has_a_source_with_a_position(kb: KnowledgeBase) -> None:
    for entry in kb:
        if not entry.id.startswith("T-"):
            continue
        assert entry.sources, entry.id
        assert any(s.position for s in entry.sources), entry.id


def test_sources_follow_the_search_sequence(kb: KnowledgeBase) -> None:
    topical = kb.get("T-001")
    e1 = [s.document for s in topical.sources if Era.E1 in eras_of(kb, s)]
    assert e1[0] == "cpmtg" and e1[-1] == "odg"
    e3 = [s.document for s in topical.sources if Era.E3 in eras_of(kb, s)]
    assert "cpmtg" not in e3 and e3[0].startswith("acoem")


# --------------------------------------------------------------------------- broken data


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load_error(tmp_path: Path, file: str, old: str, new: str) -> str:
    """The loader's message for a copy of the data with one edit (the load must fail)."""
    data = _copy(tmp_path)
    _edit(data / file, old, new)
    with pytest.raises(KnowledgeBaseError) as info:
        load_from(data)
    return str(info.value)


def test_copy_of_the_data_loads(tmp_path: Path) -> None:
    assert len(load_from(_copy(tmp_path))) == len(load_knowledge_base())


def test_bad_predicate_field_names_file_and_entry(tmp_path: Path) -> None:
    message = _load_error(
        tmp_path, "a_opioids.yaml", "where: {kind: opioid_agreement}", "where: {flavour: sweet}"
    )
    assert "a_opioids.yaml" in message and "T-001" in message and "flavour" in message


def test_unknown_document_names_file_and_entry(tmp_path: Path) -> None:
    message = _load_error(
        tmp_path,
        "a_opioids.yaml",
        "document: odg\n        chapter: Pain\n        section: Buprenorphine",
        "document: odg_2099\n        chapter: Pain\n        section: Buprenorphine",
    )
    assert "a_opioids.yaml" in message and "T-008" in message and "odg_2099" in message


def test_missing_vocabulary_term_names_file_and_entry(tmp_path: Path) -> None:
    message = _load_error(tmp_path, "_vocabulary.yaml", "  - opioid_use_disorder\n", "")
    assert "a_opioids.yaml" in message and "T-008" in message
    assert "opioid_use_disorder" in message


def test_schema_error_names_file_and_entry(tmp_path: Path) -> None:
    message = _load_error(
        tmp_path,
        "a_opioids.yaml",
        "category: diagnostic\n    synonyms: [urine drug screen",
        "category: potion\n    synonyms: [urine drug screen",
    )
    assert "a_opioids.yaml" in message and "T-005" in message and "category" in message


def test_unknown_enum_value_names_file_and_entry(tmp_path: Path) -> None:
    message = _load_error(
        tmp_path,
        "d_physical_medicine.yaml",
        "where: {status: permanent_and_stationary}",
        "where: {status: retired_early}",
    )
    assert "d_physical_medicine.yaml" in message and "T-044" in message
    assert "retired_early" in message


def test_bad_regex_and_source_order_are_rejected(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "g_injections.yaml", 'regex: "fluoro|guid"', 'regex: "fluoro(|guid"')
    with pytest.raises(KnowledgeBaseError, match=r"g_injections\.yaml T-052.*regular expression"):
        load_from(data)
    data = _copy(tmp_path / "second")
    text = (data / "a_opioids.yaml").read_text(encoding="utf-8")
    odg = "      - document: odg\n        chapter: Pain\n        section: Tramadol\n"
    odg += "        status: RECOMMENDED_WITH_CRITERIA\n        confidence: R\n"
    assert odg in text
    text = text.replace(odg, "")
    text = text.replace("  - id: T-006\n", "  - id: T-006\n", 1)
    marker = "    related: [{entry: T-002, role: continuation}, {entry: T-003, role: dose_rule}]\n"
    marker += "    sources:\n"
    head, _, tail = text.partition("  - id: T-006\n")
    tail = tail.replace(marker, marker + odg, 1)
    (data / "a_opioids.yaml").write_text(head + "  - id: T-006\n" + tail, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="search-sequence order"):
        load_from(data)


def test_yaml_syntax_error_names_file(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "zz_broken.yaml").write_text("family: zz_broken\nentries: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"zz_broken\.yaml"):
        load_from(data)


def test_duplicate_synonym_without_forms_is_rejected(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(
        data / "a_opioids.yaml", "synonyms: [genetic testing,", "synonyms: [uds, genetic testing,"
    )
    with pytest.raises(KnowledgeBaseError, match="'uds'"):
        load_from(data)


def test_missing_data_dir_is_a_knowledge_base_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError):
        load_from(tmp_path / "nowhere")


# --------------------------------------------------------------------------- eras


@pytest.mark.parametrize(
    ("on", "drug", "era"),
    [
        (date(2009, 7, 17), False, Era.E0),
        (date(2009, 7, 18), False, Era.E1),
        (date(2016, 7, 28), False, Era.E1),
        (date(2016, 7, 29), False, Era.E2),
        (date(2017, 11, 30), False, Era.E2),
        (date(2017, 12, 1), False, Era.E3),
        (date(2017, 12, 15), True, Era.E3),
        (date(2018, 1, 1), True, Era.F),
        (date(2018, 1, 1), False, Era.E3),
    ],
)
def test_era_selection(on: date, drug: bool, era: Era) -> None:
    assert select_era(on, drug=drug) is era


def test_formulary_era_uses_e3_guidelines(kb: KnowledgeBase) -> None:
    assert guideline_era(Era.F) is Era.E3
    assert eras_covering(Era.F) == {Era.F, Era.E3}
    cpmtg = kb.documents["cpmtg"]
    e1, e2 = cpmtg.edition_for(Era.E1), cpmtg.edition_for(Era.E2)
    assert e1 is not None and e1.pages_total == 127
    assert e2 is not None and e2.pages_valid is False
    assert cpmtg.edition_for(Era.E3) is None


# --------------------------------------------------------------------------- evaluation

TEXT = "Norco helps. Walks 2 blocks more. UDS 1/2015 consistent. Tried naproxen, no relief."


def _span(fragment: str) -> Span:
    start = TEXT.index(fragment)
    return Span(start=start, end=start + len(fragment))


def _facts(**kwargs: Any) -> ClinicalFacts:
    return ClinicalFacts(text=TEXT, date_of_injury=date(2012, 3, 1), **kwargs)


ON = date(2015, 6, 1)


def test_functional_improvement_met_with_evidence(kb: KnowledgeBase) -> None:
    criterion = kb.get("T-002").criterion("functional_improvement")
    facts = _facts(
        function=[
            FunctionFact(kind="functional_improvement", evidence=[_span("Walks 2 blocks more")])
        ]
    )
    result = evaluate_criterion(criterion, facts, None, ON)
    assert result.status is CriterionStatus.MET
    assert result.evidence == [_span("Walks 2 blocks more")]
    assert result.advisory is False


def test_functional_improvement_not_met_and_not_documented(kb: KnowledgeBase) -> None:
    criterion = kb.get("T-003").criterion("function_above_ceiling")
    negated = _facts(
        function=[FunctionFact(kind="no_functional_improvement", evidence=[_span("Norco helps")])]
    )
    result = evaluate_criterion(criterion, negated, None, ON)
    assert result.status is CriterionStatus.NOT_MET
    assert result.evidence == [_span("Norco helps")]
    # Inside any_of (improvement or return to work) an unknown alternative keeps it open,
    # with the evidence that was found.
    either = evaluate_criterion(
        kb.get("T-002").criterion("functional_improvement"), negated, None, ON
    )
    assert either.status is CriterionStatus.NOT_DOCUMENTED
    assert either.evidence == [_span("Norco helps")]
    criterion = kb.get("T-002").criterion("functional_improvement")
    empty = evaluate_criterion(criterion, _facts(), None, ON)
    assert empty.status is CriterionStatus.NOT_DOCUMENTED
    assert empty.evidence == []
    assert "function" in empty.sentence


def test_treatment_tried_reads_medications_and_treatments(kb: KnowledgeBase) -> None:
    criterion = kb.get("T-001").criterion("non_opioid_failed")
    span = _span("Tried naproxen, no relief")
    facts = _facts(
        medications=[
            Medication(
                generic="naproxen",
                drug_class="nsaid",
                current=False,
                context=FactContext.HISTORICAL,
                evidence=[span],
            )
        ]
    )
    result = evaluate_criterion(criterion, facts, None, ON)
    assert result.status is CriterionStatus.MET and result.evidence == [span]
    assert (
        evaluate_criterion(criterion, _facts(), None, ON).status is CriterionStatus.NOT_DOCUMENTED
    )


def test_absent_aberrancy_and_recent_drug_screen(kb: KnowledgeBase) -> None:
    entry = kb.get("T-002")
    uds_span = _span("UDS 1/2015 consistent")
    clean = _facts(
        monitoring=[
            MonitoringFact(
                kind="urine_drug_screen", on=date(2015, 1, 10), consistent=True, evidence=[uds_span]
            )
        ]
    )
    assessed = evaluate_criterion(entry.criterion("aberrant_behavior_assessed"), clean, None, ON)
    assert assessed.status is CriterionStatus.MET and assessed.evidence == [uds_span]
    late = evaluate_criterion(
        entry.criterion("aberrant_behavior_assessed"), clean, None, date(2017, 1, 1)
    )
    assert late.status is CriterionStatus.NOT_DOCUMENTED  # the screen is too old by then
    no_aberrancy = entry.criterion("no_unexplained_aberrancy")
    assert evaluate_criterion(no_aberrancy, clean, None, ON).status is CriterionStatus.MET
    dirty = _facts(
        monitoring=[MonitoringFact(kind="urine_drug_screen", consistent=False, evidence=[uds_span])]
    )
    assert evaluate_criterion(no_aberrancy, dirty, None, ON).status is CriterionStatus.NOT_MET


def test_diagnosis_context_matters(kb: KnowledgeBase) -> None:
    criterion = kb.get("T-008").criterion("indication")
    sure = _facts(
        diagnoses=[Diagnosis(label="opioid use disorder", categories=["opioid_use_disorder"])]
    )
    assert evaluate_criterion(criterion, sure, None, ON).status is CriterionStatus.MET
    ruled_out = _facts(
        diagnoses=[
            Diagnosis(
                label="opioid use disorder",
                categories=["opioid_use_disorder"],
                context=FactContext.NEGATED,
            )
        ]
    )
    assert evaluate_criterion(criterion, ruled_out, None, ON).status is not CriterionStatus.MET


def test_request_limit_predicate(kb: KnowledgeBase) -> None:
    limit = next(lim for lim in kb.get("T-006").limits if lim.id == "daily_dose_er")
    assert limit.when is not None
    er = NormalizedRequest(text="Tramadol ER 150mg #30", drug="tramadol er")
    assert evaluate_predicate(limit.when, _facts(), er, ON).status is CriterionStatus.MET
    ir = NormalizedRequest(text="Tramadol 50mg #60", drug="tramadol")
    assert evaluate_predicate(limit.when, _facts(), ir, ON).status is CriterionStatus.NOT_MET
    bare = NormalizedRequest(text="Tramadol")
    assert evaluate_predicate(limit.when, _facts(), bare, ON).status is (
        CriterionStatus.NOT_DOCUMENTED
    )


def test_treatment_response_counts(kb: KnowledgeBase) -> None:
    criterion = kb.get("T-002").criterion("functional_improvement")
    assert criterion.test is not None
    facts = _facts(
        treatments=[TreatmentTried(concept="physical_therapy", response=Response.IMPROVED)]
    )
    # A response to another treatment is not functional improvement from the opioid.
    assert evaluate_criterion(criterion, facts, None, ON).status is CriterionStatus.NOT_DOCUMENTED


# --------------------------------------------------------------------------- one sample per family

_MET = CriterionStatus.MET
_NOT_MET = CriterionStatus.NOT_MET
_NOT_DOC = CriterionStatus.NOT_DOCUMENTED
_LUMBAR_MRI = StudyResult(modality="MRI", body_part="lumbar spine", abnormal=True)

FAMILY_CASES: list[tuple[str, str, dict[str, Any], dict[str, Any], CriterionStatus]] = [
    ("T-014", "gi_risk_factor", {"age": 70}, {}, _MET),
    ("T-014", "gi_risk_factor", {"age": 40}, {}, _NOT_DOC),
    ("T-015", "short_course", {}, {"duration_weeks": 12}, _NOT_MET),
    ("T-015", "short_course", {}, {"duration_days": 10}, _MET),
    ("T-015", "short_course", {}, {}, _NOT_DOC),
    ("T-025", "patch_form", {}, {"text": "Lidocaine 5% cream 30 g"}, _NOT_MET),
    ("T-025", "patch_form", {}, {"text": "Lidoderm 5% patch #30"}, _MET),
    ("T-027", "concentration_fits", {}, {"text": "Capsaicin 0.0375% cream"}, _NOT_MET),
    ("T-027", "concentration_fits", {}, {"text": "Capsaicin 0.025% cream"}, _MET),
    ("T-037", "recommended_body_part", {}, {"body_parts": ["knee"]}, _NOT_MET),
    ("T-037", "recommended_body_part", {}, {"body_parts": ["lumbar spine"]}, _MET),
    ("T-038", "initial_trial", {}, {"sessions": 12}, _NOT_MET),
    ("T-038", "initial_trial", {}, {"sessions": 6}, _MET),
    ("T-045", "trial_before_purchase", {}, {"setting": "purchase"}, _NOT_DOC),
    ("T-045", "trial_before_purchase", {}, {"setting": "rental"}, _MET),
    ("T-050", "initial_trial", {}, {"sessions": 12}, _NOT_MET),
    (
        "T-052",
        "radiculopathy_on_exam",
        {"neuro_findings": [NeuroFinding(kind="radicular_pain")]},
        {},
        _NOT_DOC,
    ),
    (
        "T-052",
        "radiculopathy_on_exam",
        {"neuro_findings": [NeuroFinding(kind="dermatomal_sensory_loss", detail="L5")]},
        {},
        _MET,
    ),
    (
        "T-070",
        "lower_limb_ncs",
        {},
        {"text": "EMG/NCV bilateral lower extremities", "body_parts": ["lower extremity"]},
        _NOT_DOC,
    ),
    ("T-070", "lower_limb_ncs", {}, {"text": "EMG bilateral upper extremities"}, _MET),
    (
        "T-070",
        "lower_limb_ncs",
        {"diagnoses": [Diagnosis(label="diabetic neuropathy", categories=["diabetic_neuropathy"])]},
        {"text": "EMG/NCV bilateral lower extremities", "body_parts": ["lower extremity"]},
        _MET,
    ),
    ("T-064", "repeat_justified", {"tests": [_LUMBAR_MRI]}, {}, _NOT_DOC),
    ("T-064", "repeat_justified", {}, {}, _MET),
    (
        "T-064",
        "repeat_justified",
        {"tests": [_LUMBAR_MRI], "red_flags": [RedFlag(kind="progressive_deficit")]},
        {},
        _MET,
    ),
    (
        "T-073",
        "positive_ncs",
        {"tests": [StudyResult(modality="NCS", abnormal=False)]},
        {},
        _NOT_DOC,
    ),
    ("T-076", "rental_seven_days", {}, {"duration_days": 30}, _NOT_MET),
    ("T-076", "rental_seven_days", {}, {"duration_days": 7}, _MET),
    ("T-076", "rental_seven_days", {}, {"duration_days": 7, "setting": "purchase"}, _NOT_MET),
    ("T-078", "hours", {}, {"hours_per_week": 40}, _NOT_MET),
    ("T-082", "proportionate_number", {}, {"sessions": 6}, _NOT_MET),
    ("T-087", "motivated", {}, {}, _NOT_DOC),
    ("T-034", "functional_improvement", {}, {}, _MET),
    (
        "T-034",
        "functional_improvement",
        {"treatments": [TreatmentTried(concept="physical_therapy", quantity=12)]},
        {},
        _NOT_DOC,
    ),
    (
        "T-034",
        "functional_improvement",
        {"treatments": [TreatmentTried(concept="physical_therapy", response=Response.IMPROVED)]},
        {},
        _MET,
    ),
    ("T-013", "cox2_gi_risk", {}, {"text": "Celecoxib 200mg #30"}, _NOT_DOC),
    ("T-013", "cox2_gi_risk", {"age": 70}, {"text": "Celebrex 200mg #30"}, _MET),
    ("T-013", "cox2_gi_risk", {}, {"text": "Naproxen 550mg #60"}, _MET),
    (
        "T-013",
        "benefit_on_renewal",
        {"medications": [Medication(generic="naproxen", drug_class="nsaid")]},
        {},
        _NOT_DOC,
    ),
    (
        "T-070",
        "side_of_symptoms",
        {"neuro_findings": [NeuroFinding(kind="numbness", laterality=Laterality.LEFT)]},
        {"laterality": "bilateral"},
        _NOT_DOC,
    ),
    (
        "T-070",
        "side_of_symptoms",
        {"neuro_findings": [NeuroFinding(kind="numbness", laterality=Laterality.LEFT)]},
        {"laterality": "left"},
        _MET,
    ),
    (
        "T-024",
        "first_line_oral_failed",
        {
            "medications": [
                Medication(
                    generic="nortriptyline",
                    drug_class="antidepressant",
                    drug_classes=["antidepressant", "tricyclic_antidepressant"],
                    current=False,
                )
            ]
        },
        {},
        _MET,
    ),
    (
        "T-024",
        "first_line_oral_failed",
        {"medications": [Medication(generic="trazodone", drug_class="antidepressant")]},
        {},
        _NOT_DOC,
    ),
    ("OI-005", "surgery", {"surgeries": [Surgery(procedure="rotator cuff repair")]}, {}, _MET),
]


@pytest.mark.parametrize(("entry_id", "criterion_id", "facts", "req", "expected"), FAMILY_CASES)
def test_family_sample_criteria(
    kb: KnowledgeBase,
    entry_id: str,
    criterion_id: str,
    facts: dict[str, Any],
    req: dict[str, Any],
    expected: CriterionStatus,
) -> None:
    criterion = kb.get(entry_id).criterion(criterion_id)
    normalized = NormalizedRequest(**{"text": "item", **req})
    result = evaluate_criterion(criterion, _facts(**facts), normalized, ON)
    assert result.status is expected
    assert result.sentence


def test_request_only_criteria_are_flagged(kb: KnowledgeBase) -> None:
    silent = NormalizedRequest(text="Acupuncture")
    trial = evaluate_criterion(kb.get("T-038").criterion("initial_trial"), _facts(), silent, ON)
    assert trial.status is _NOT_DOC and trial.about_request
    assert "request" in trial.sentence
    fact_based = kb.get("T-038").criterion("functional_improvement")
    assert not evaluate_criterion(fact_based, _facts(), silent, ON).about_request


# ------------------------------------------------------------- functional improvement (2.3)


def test_gain_credited_to_another_treatment_does_not_count(kb: KnowledgeBase) -> None:
    criterion = kb.get("T-034").criterion("functional_improvement")
    gain_from_drug = FunctionFact(kind="functional_improvement", treatment="tramadol")
    facts = _facts(
        treatments=[TreatmentTried(concept="physical_therapy", quantity=8)],
        medications=[Medication(generic="tramadol", drug_class="opioid")],
        function=[gain_from_drug],
    )
    assert evaluate_criterion(criterion, facts, None, ON).status is CriterionStatus.NOT_DOCUMENTED
    gain_from_pt = FunctionFact(kind="functional_improvement", treatment="physical_therapy")
    facts = facts.model_copy(update={"function": [gain_from_pt]})
    assert evaluate_criterion(criterion, facts, None, ON).status is CriterionStatus.MET


def test_opioid_gain_credited_to_therapy_does_not_count(kb: KnowledgeBase) -> None:
    criterion = kb.get("T-002").criterion("functional_improvement")
    meds = [Medication(generic="oxycodone", drug_class="opioid")]
    from_pt = FunctionFact(kind="functional_improvement", treatment="physical_therapy")
    facts = _facts(medications=meds, function=[from_pt])
    assert evaluate_criterion(criterion, facts, None, ON).status is CriterionStatus.NOT_DOCUMENTED
    from_drug = FunctionFact(kind="functional_improvement", treatment="oxycodone")
    facts = facts.model_copy(update={"function": [from_drug]})
    assert evaluate_criterion(criterion, facts, None, ON).status is CriterionStatus.MET


def test_return_to_work_counts_as_improvement(kb: KnowledgeBase) -> None:
    criterion = kb.get("T-037").criterion("functional_improvement")
    facts = _facts(
        treatments=[TreatmentTried(concept="chiropractic", quantity=6)],
        function=[FunctionFact(kind="return_to_work")],
    )
    assert evaluate_criterion(criterion, facts, None, ON).status is CriterionStatus.MET
    negated = FunctionFact(kind="return_to_work", context=FactContext.NEGATED)
    facts = facts.model_copy(update={"function": [negated]})
    assert evaluate_criterion(criterion, facts, None, ON).status is CriterionStatus.NOT_DOCUMENTED
