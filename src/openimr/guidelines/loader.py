"""Load and validate the knowledge base (once per process).

Validation goes beyond the pydantic schema: every source names a known document usable in
its eras, every predicate reads a field that `ClinicalFacts` (or the normalized request)
really has, every vocabulary value a criterion tests is declared in `_vocabulary.yaml`
(the contract with the clinical extractor), and every cross-reference resolves.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from openimr.errors import KnowledgeBaseError
from openimr.guidelines.request import REQUEST_ATTRIBUTES
from openimr.guidelines.schema import (
    Absent,
    AllOf,
    AnyOf,
    Diagnosis,
    Document,
    DocumentsFile,
    Entry,
    Era,
    FactFlag,
    FamilyFile,
    FunctionalImprovement,
    HasFact,
    Limit,
    MedicationUse,
    Predicate,
    RequestIs,
    SearchStep,
    Source,
    TreatmentTried,
    Vocabulary,
)
from openimr.model.clinical import ClinicalFacts, FactContext

DATA_DIR = Path(__file__).resolve().parent / "data"
DOCUMENTS_FILE = "_documents.yaml"
VOCABULARY_FILE = "_vocabulary.yaml"


@dataclass(frozen=True)
class KnowledgeBase:
    entries: dict[str, Entry]
    documents: dict[str, Document]
    vocabulary: Vocabulary
    families: dict[str, str] = field(default_factory=dict)  # family -> title
    concepts: dict[str, str] = field(default_factory=dict)  # concept slug -> entry id

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry:
        try:
            return self.entries[entry_id]
        except KeyError:
            from openimr.errors import UnknownTreatment

            raise UnknownTreatment(f"no knowledge-base entry {entry_id}") from None

    def by_concept(self, concept: str) -> Entry | None:
        entry_id = self.concepts.get(concept)
        return self.entries[entry_id] if entry_id is not None else None

    def document(self, source: Source) -> Document:
        return self.documents[source.document]


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        kind = exc.__class__.__name__
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise KnowledgeBaseError(f"{path.name}: cannot read YAML{line} ({kind})") from exc


def _entry_label(data: Any, loc: tuple[int | str, ...]) -> str | None:
    """The id of the entry a validation error location points into, if any."""
    if len(loc) >= 2 and loc[0] == "entries" and isinstance(loc[1], int):
        try:
            entry_id = data["entries"][loc[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            entry_id = None
        return str(entry_id) if entry_id else f"entry #{loc[1] + 1}"
    return None


def _parse(model: type[BaseModel], data: Any, name: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors()[:5]:
            loc = tuple(error["loc"])
            label = _entry_label(data, loc)
            where = ".".join(str(part) for part in loc)
            prefix = f"{label}: " if label else ""
            problems.append(f"{prefix}{where}: {error['msg']}")
        more = f" (+{exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise KnowledgeBaseError(f"{name}: {'; '.join(problems)}{more}") from exc


def _item_model(collection: str) -> type[BaseModel]:
    annotation = ClinicalFacts.model_fields[collection].annotation
    (item,) = typing.get_args(annotation)
    return typing.cast(type[BaseModel], item)


def _is_flag(annotation: Any) -> bool:
    """bool or bool | None: the only field types a FactFlag can test."""
    args = set(typing.get_args(annotation)) or {annotation}
    return bool in args and args <= {bool, type(None)}


_FLAG_FIELDS = {
    name for name, info in ClinicalFacts.model_fields.items() if _is_flag(info.annotation)
}
_CONTEXTS = {context.value for context in FactContext}
_WHERE_OPERATORS = {"regex", "contains", "gte", "lte", "any", "not"}
# Fields whose values the vocabulary declares, per fact collection (`kinds` in the vocabulary).
_VOCAB_FIELDS = ("kind", "modality")


class _Checker:
    """Cross-reference checks over one loaded knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        vocab = kb.vocabulary
        self.body_parts = {b.name for b in vocab.body_parts}
        self.concepts = {e.concept for e in kb} | set(vocab.treatment_concepts)
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def limbs(self) -> None:
        """nerve_territory keys are body parts, finding_limb keys neurologic finding kinds,
        and both map to a limb region."""
        vocab = self.kb.vocabulary
        limbs = {"upper_extremity", "lower_extremity"}
        neuro_kinds = set(vocab.kinds.get("neuro_findings", []))
        for part, limb in vocab.nerve_territory.items():
            if part not in self.body_parts or limb not in limbs:
                self.fail("vocabulary.nerve_territory", f"{part!r} -> {limb!r} is not valid")
        for kind, limb in vocab.finding_limb.items():
            if kind not in neuro_kinds or limb not in limbs:
                self.fail("vocabulary.finding_limb", f"{kind!r} -> {limb!r} is not valid")

    def predicate(self, pred: Predicate, where: str) -> None:
        vocab = self.kb.vocabulary
        if isinstance(pred, HasFact):
            item = _item_model(pred.collection)
            for key, spec in pred.where.items():
                if key not in item.model_fields or key in ("evidence", "context"):
                    self.fail(where, f"{pred.collection} has no field {key!r}")
                    continue
                self.where_spec(spec, f"{where} {pred.collection}.{key}")
                self.enum_values(item.model_fields[key].annotation, spec, where, key)
                allowed = vocab.kinds.get(pred.collection)
                if key in _VOCAB_FIELDS and allowed is not None:
                    values = spec if isinstance(spec, list) else [spec]
                    for value in values:
                        if isinstance(value, str) and value not in allowed:
                            self.fail(where, f"{pred.collection}.{key} {value!r} not in vocabulary")
            for context in pred.contexts:
                if context not in _CONTEXTS:
                    self.fail(where, f"unknown context {context!r}")
        elif isinstance(pred, Diagnosis):
            for pattern in pred.labels:
                self.regex(pattern, where)
            for category in pred.categories:
                if category not in vocab.diagnosis_categories:
                    self.fail(where, f"diagnosis category {category!r} not in vocabulary")
            for part in pred.body_parts:
                if part not in self.body_parts:
                    self.fail(where, f"unknown body part {part!r}")
        elif isinstance(pred, TreatmentTried):
            for concept in pred.concepts:
                if concept not in self.concepts and concept not in vocab.drug_classes:
                    self.fail(where, f"treatment concept {concept!r} unknown")
        elif isinstance(pred, FunctionalImprovement):
            for concept in pred.concepts:
                if concept not in self.concepts:
                    self.fail(where, f"treatment concept {concept!r} unknown")
        elif isinstance(pred, MedicationUse):
            for drug_class in pred.drug_classes:
                if drug_class not in vocab.drug_classes:
                    self.fail(where, f"drug class {drug_class!r} not in vocabulary")
        elif isinstance(pred, RequestIs):
            if pred.attribute not in REQUEST_ATTRIBUTES:
                self.fail(where, f"request has no attribute {pred.attribute!r}")
            if pred.regex is not None:
                self.regex(pred.regex, where)
        elif isinstance(pred, FactFlag):
            if pred.field not in _FLAG_FIELDS:
                self.fail(where, f"ClinicalFacts has no yes/no field {pred.field!r}")
        elif isinstance(pred, Absent):
            self.predicate(pred.of, where)
        elif isinstance(pred, AllOf | AnyOf):
            for inner in pred.of:
                self.predicate(inner, where)

    def enum_values(self, annotation: Any, spec: Any, where: str, key: str) -> None:
        """Values tested against an enum field (e.g. work status) must be members."""
        enum = next(
            (
                arg
                for arg in (typing.get_args(annotation) or (annotation,))
                if isinstance(arg, type) and issubclass(arg, Enum)
            ),
            None,
        )
        if enum is None:
            return
        values = spec if isinstance(spec, list) else [spec]
        members = {member.value for member in enum}
        for value in values:
            if isinstance(value, str) and value not in members:
                self.fail(where, f"{key} {value!r} is not one of {sorted(members)}")

    def regex(self, pattern: str, where: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            self.fail(where, f"bad regular expression {pattern!r} ({exc})")

    def where_spec(self, spec: Any, where: str) -> None:
        if not isinstance(spec, dict):
            return
        for operator, operand in spec.items():
            if operator not in _WHERE_OPERATORS:
                self.fail(where, f"unknown operator {operator!r}")
            elif operator == "regex":
                self.regex(str(operand), where)

    def source(self, entry: Entry, source: Source, index: int) -> None:
        where = f"{_file_of(entry)} {entry.id} source {index}"
        if source.when is not None:
            self.predicate(source.when, f"{where} when")
        document = self.kb.documents.get(source.document)
        if document is None:
            self.fail(where, f"unknown document {source.document!r}")
            return
        usable = {era for edition in document.editions for era in edition.eras}
        for era in source.eras:
            if era not in usable:
                self.fail(where, f"{document.id} is not usable in era {era}")
        for part in source.body_parts:
            if part not in self.body_parts:
                self.fail(where, f"unknown body part {part!r}")

    def search_order(self, entry: Entry) -> None:
        """Within each era, sources are listed in search-sequence order (MTUS first)."""
        for era in Era:
            steps: list[int] = []
            for source in entry.sources:
                document = self.kb.documents.get(source.document)
                if document is None or era not in eras_of(self.kb, source):
                    continue
                steps.append(step_of(document, era).order)
            if steps != sorted(steps):
                self.fail(
                    f"{_file_of(entry)} {entry.id}",
                    f"sources for era {era} are not in search-sequence order",
                )

    def limit(self, entry: Entry, limit: Limit) -> None:
        where = f"{_file_of(entry)} {entry.id} limit {limit.id}"
        if limit.max is None and limit.min is None:
            self.fail(where, "needs max or min")
        if limit.when is not None:
            self.predicate(limit.when, where)

    def entry(self, entry: Entry) -> None:
        here = f"{_file_of(entry)} {entry.id}"
        for index, source in enumerate(entry.sources):
            self.source(entry, source, index)
        self.search_order(entry)
        for criterion in entry.criteria:
            if criterion.test is not None:
                self.predicate(criterion.test, f"{here} criterion {criterion.id}")
        for limit in entry.limits:
            self.limit(entry, limit)
        for compose in entry.compose:
            for part in compose.body_parts:
                if part not in self.body_parts:
                    self.fail(here, f"compose names unknown body part {part!r}")
        for part in entry.other_body_parts:
            if part not in self.body_parts:
                self.fail(here, f"other_body_parts names unknown body part {part!r}")
        for redirect in entry.redirects:
            if redirect.qualifier not in self.kb.vocabulary.qualifiers:
                self.fail(here, f"unknown qualifier {redirect.qualifier!r}")
            if redirect.to not in self.kb.entries:
                self.fail(here, f"redirect to unknown entry {redirect.to}")
            for part in redirect.body_parts:
                if part not in self.body_parts:
                    self.fail(here, f"redirect names unknown body part {part!r}")
        for related in entry.related:
            if related.entry not in self.kb.entries:
                self.fail(here, f"related entry {related.entry} unknown")

    def synonyms(self) -> None:
        """A synonym shared by entries must be told apart by dosage form."""
        owners: dict[str, list[Entry]] = {}
        for entry in self.kb:
            for synonym in {s.casefold() for s in entry.synonyms}:
                owners.setdefault(synonym, []).append(entry)
        for synonym, entries in owners.items():
            if len(entries) < 2:
                continue
            forms = [frozenset(e.forms) for e in entries]
            overlap = any(
                not forms[i] or not forms[j] or forms[i] & forms[j]
                for i in range(len(forms))
                for j in range(i + 1, len(forms))
            )
            if overlap:
                ids = ", ".join(f"{_file_of(e)} {e.id}" for e in entries)
                self.fail("synonyms", f"{synonym!r} is shared by {ids} without distinct forms")


def _file_of(entry: Entry) -> str:
    return f"{entry.family}.yaml" if entry.family else "<unknown file>"


def load_from(data_dir: Path) -> KnowledgeBase:
    """Load and validate every data file under `data_dir` (raises KnowledgeBaseError)."""
    documents_file = _parse(DocumentsFile, _read_yaml(data_dir / DOCUMENTS_FILE), DOCUMENTS_FILE)
    vocabulary = _parse(Vocabulary, _read_yaml(data_dir / VOCABULARY_FILE), VOCABULARY_FILE)
    documents: dict[str, Document] = {}
    for document in documents_file.documents:
        if document.id in documents:
            raise KnowledgeBaseError(f"{DOCUMENTS_FILE}: duplicate document id {document.id}")
        for edition in document.editions:
            if not set(edition.mtus_eras) <= set(edition.eras):
                raise KnowledgeBaseError(
                    f"{DOCUMENTS_FILE}: {document.id} mtus_eras outside its eras"
                )
        documents[document.id] = document
    entries: dict[str, Entry] = {}
    concepts: dict[str, str] = {}
    families: dict[str, str] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        family = _parse(FamilyFile, _read_yaml(path), path.name)
        if family.family != path.stem:
            raise KnowledgeBaseError(f"{path.name}: family {family.family!r} != file name")
        families[family.family] = family.title
        for entry in family.entries:
            if entry.id in entries:
                raise KnowledgeBaseError(f"{path.name}: duplicate entry id {entry.id}")
            if entry.concept in concepts:
                raise KnowledgeBaseError(
                    f"{path.name}: concept {entry.concept!r} of {entry.id} already used by "
                    f"{concepts[entry.concept]}"
                )
            concepts[entry.concept] = entry.id
            entries[entry.id] = entry.model_copy(update={"family": family.family})
    if not entries:
        raise KnowledgeBaseError(f"{data_dir}: no entries")
    kb = KnowledgeBase(
        entries=entries,
        documents=documents,
        vocabulary=vocabulary,
        families=families,
        concepts=concepts,
    )
    checker = _Checker(kb)
    for entry in kb:
        checker.entry(entry)
    checker.synonyms()
    checker.limbs()
    if checker.errors:
        shown = "; ".join(checker.errors[:20])
        more = f" (+{len(checker.errors) - 20} more)" if len(checker.errors) > 20 else ""
        raise KnowledgeBaseError(f"knowledge base invalid: {shown}{more}")
    return kb


@cache
def load_knowledge_base() -> KnowledgeBase:
    """The bundled knowledge base, loaded and validated once per process."""
    return load_from(DATA_DIR)


def step_of(document: Document, era: Era) -> SearchStep:
    """The search-sequence step a document occupies in an era (MTUS where adopted)."""
    edition = document.edition_for(era)
    if edition is not None and era in edition.mtus_eras:
        return SearchStep.MTUS
    return document.step


def eras_of(kb: KnowledgeBase, source: Source) -> set[Era]:
    """Eras in which a source applies (its own list, or every era its document is usable)."""
    if source.eras:
        return set(source.eras)
    document = kb.documents[source.document]
    return {era for edition in document.editions for era in edition.eras}
