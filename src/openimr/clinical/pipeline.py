"""The medspaCy pipeline: blank English tokenizer, sentence splitter, target rules, sections,
ConText. Built from the data files once per process (`get_pipeline`).

Sentences come from spaCy's rule-based `sentencizer`, not medspaCy's PyRuSH: PyRuSH is pure
Python and took ~70% of the time on a 20-page file (several seconds), while the extractor
only needs sentence ends at punctuation and line breaks. PyRuSH's loguru logging (every
token at DEBUG) is disabled all the same, in case another component brings it in.

Target rules carry `metadata = {"group": <vocabulary group>, "index": <item index>}` so the
extractor can look the normalized values up in the vocabulary.
"""

from __future__ import annotations

import threading
import warnings
from functools import cache
from typing import Any

from openimr.clinical.vocab import Vocabulary, vocabulary

# Target-rule categories (the entity label of each match).
DIAGNOSIS = "DIAGNOSIS"
BODY_PART = "BODY_PART"
TREATMENT = "TREATMENT"
SURGERY = "SURGERY"
DRUG = "DRUG"
TEST = "TEST"
NEURO = "NEURO"
EXAM = "EXAM"
RED_FLAG = "RED_FLAG"
PSYCHOSOCIAL = "PSYCHOSOCIAL"
FUNCTION = "FUNCTION"
MONITORING = "MONITORING"
WORK = "WORK"
REVIEW = "REVIEW"
DOC = "DOC"

_FINDING_GROUPS = {
    "tests": TEST,
    "neuro": NEURO,
    "exam": EXAM,
    "red_flags": RED_FLAG,
    "psychosocial": PSYCHOSOCIAL,
    "function": FUNCTION,
    "monitoring": MONITORING,
    "work_status": WORK,
    "prior_reviews": REVIEW,
    "documentation": DOC,
}
_LOCK = threading.Lock()


class _Targets:
    """medspaCy's TargetMatcher, writing `doc.ents` once per document.

    The stock component appends its matches to `doc.ents` one at a time, which rebuilds the
    entity table for every match: a third of the time on a 20-page file.
    """

    def __init__(self, nlp: Any) -> None:
        from medspacy.target_matcher import TargetMatcher

        self._matcher = TargetMatcher(nlp, name="openimr_targets", result_type=None, prune=False)
        _share_doc_text(self._matcher)
        _prune_by_category(self._matcher, nlp)

    def add(self, rules: list[Any]) -> None:
        self._matcher.add(rules)

    def __call__(self, doc: Any) -> Any:
        from spacy.util import filter_spans

        spans = self._matcher(doc)
        doc.ents = filter_spans([*doc.ents, *spans])
        return doc


# When rules of two categories match the same span, the earlier category wins. medspaCy's own
# pruning broke such ties by rule id, which shifts whenever a term is added anywhere; and two
# spans at the same offsets must not both reach the doc, since span extensions (the target
# rule) are stored by offsets.
_CATEGORY_ORDER = {
    label: rank
    for rank, label in enumerate(
        [DIAGNOSIS, BODY_PART, TREATMENT, SURGERY, DRUG, *_FINDING_GROUPS.values()]
    )
}


def _prune_by_category(target_matcher: Any, nlp: Any) -> None:
    """Keep the longest of overlapping matches; on equal spans, the earlier category."""
    from medspacy.common.medspacy_matcher import MedspacyMatcher

    strings = nlp.vocab.strings

    class _OrderedPruneMatcher(MedspacyMatcher):
        def __call__(self, doc: Any) -> list[tuple[int, int, int]]:
            matches = super().__call__(doc)  # unpruned: built with prune=False
            rules = self.rule_map
            last = len(_CATEGORY_ORDER)

            def key(match: tuple[int, int, int]) -> tuple[int, int, int]:
                match_id, start, end = match
                rank = _CATEGORY_ORDER.get(rules[strings[match_id]].category, last)
                return (start - end, start, rank)

            taken: set[int] = set()
            kept: list[tuple[int, int, int]] = []
            for match in sorted(set(matches), key=key):
                _, start, end = match
                if taken.isdisjoint(range(start, end)):
                    kept.append(match)
                    taken.update(range(start, end))
            return sorted(kept, key=lambda m: m[1])

    inner = target_matcher._TargetMatcher__matcher
    if type(inner) is MedspacyMatcher:
        inner.__class__ = _OrderedPruneMatcher


def _share_doc_text(target_matcher: Any) -> None:
    """Make medspaCy's regex matcher read `doc.text` once per document.

    The stock RegexMatcher asks for `doc.text_with_ws` once per pattern, and spaCy rebuilds
    that string from every token each time: with a few hundred regex rules that was the
    largest cost of the whole extraction. The matches are the same.
    """
    from medspacy.common.regex_matcher import RegexMatcher
    from medspacy.common.util import get_token_for_char

    class _OneTextRegexMatcher(RegexMatcher):
        def __call__(self, doc: Any) -> list[tuple[int, int, int]]:
            text = doc.text_with_ws
            matches: list[tuple[int, int, int]] = []
            for match_id, patterns in self._patterns.items():
                on_match = self._callbacks[match_id]
                for pattern in patterns:
                    for re_match in pattern.finditer(text):
                        span = doc.char_span(re_match.start(), re_match.end())
                        if span is None:
                            start = get_token_for_char(
                                doc, re_match.start(), resolve=self.resolve_start
                            )
                            end = get_token_for_char(doc, re_match.end(), resolve=self.resolve_end)
                            span = doc[start.i : len(doc) if end is None else end.i]
                        if len(span):
                            matches.append((match_id, span.start, span.end))
                        if on_match is not None:
                            on_match(self, doc, len(matches) - 1, matches)
            return matches

    inner = target_matcher._TargetMatcher__matcher
    regex_matcher = inner._MedspacyMatcher__regex_matcher
    if type(regex_matcher) is RegexMatcher:
        regex_matcher.__class__ = _OneTextRegexMatcher


def _register_targets() -> None:
    from spacy.language import Language

    if not Language.has_factory("openimr_target_matcher"):
        Language.factory("openimr_target_matcher")(lambda nlp, name: _Targets(nlp))


def _quiet_pyrush() -> None:
    """PyRuSH logs every token at DEBUG through loguru: case text must never reach a log."""
    from loguru import logger

    logger.disable("PyRuSH")


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and term.upper() == term and len(letters) <= 6 and " " not in term


def _target_rules(nlp: Any, vocab: Vocabulary) -> list[Any]:
    from medspacy.target_matcher import TargetRule

    rules: list[Any] = []

    def add(terms: list[str], patterns: list[str], category: str, group: str, index: int) -> None:
        meta = {"group": group, "index": index}
        for term in terms:
            if _is_acronym(term):  # short acronyms match case-sensitively: "PT", not "pt"
                tokens = [{"TEXT": tok.text} for tok in nlp.tokenizer(term)]
                rules.append(TargetRule(term, category, pattern=tokens, metadata=meta))
            else:
                rules.append(TargetRule(term, category, metadata=meta))
        for pattern in patterns:
            rules.append(TargetRule(pattern, category, pattern=pattern, metadata=meta))

    for i, dx in enumerate(vocab.diagnoses.diagnoses):
        add(dx.terms, dx.patterns, DIAGNOSIS, "diagnoses", i)
    for i, bp in enumerate(vocab.body_parts.body_parts):
        add(bp.terms, bp.patterns, BODY_PART, "body_parts", i)
    for i, tx in enumerate(vocab.treatments.treatments):
        add(tx.terms, tx.patterns, TREATMENT, "treatments", i)
    for i, sx in enumerate(vocab.surgeries.surgeries):
        if not sx.considered_only:
            add(sx.terms, sx.patterns, SURGERY, "surgeries", i)
    for i, drug in enumerate(vocab.drugs.drugs):
        add(drug.names, [], DRUG, "drugs", i)
    for group, category in _FINDING_GROUPS.items():
        for i, item in enumerate(getattr(vocab.findings, group)):
            add(item.terms, item.patterns, category, group, i)
    # Added last: medspaCy numbers rules in the order they are added and breaks ties between
    # same-span matches of different groups by that id, so these leave the others' ties as
    # they were.
    for i, sx in enumerate(vocab.surgeries.surgeries):
        if sx.considered_only:
            add(sx.terms, sx.patterns, SURGERY, "surgeries", i)
    return rules


def _context_rules(vocab: Vocabulary) -> list[Any]:
    from medspacy.context import ConTextRule

    applies = vocab.context.applies_to
    rules = []
    for mod in vocab.context.modifiers:
        allowed = mod.applies_to or applies.get(mod.category)
        rules.append(
            ConTextRule(
                mod.literal,
                mod.category,
                direction=mod.direction,
                max_scope=mod.max_scope,
                allowed_types=set(allowed) if allowed else None,
            )
        )
    return rules


def build_pipeline(vocab: Vocabulary | None = None) -> Any:
    """A new spaCy Language with the medspaCy components fed from the vocabulary."""
    import spacy
    from medspacy.section_detection import SectionRule

    _quiet_pyrush()
    _register_targets()
    vocab = vocab or vocabulary()
    nlp = spacy.blank("en")
    nlp.max_length = 2_000_000
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", ";", "\n"]})
    matcher: Any = nlp.add_pipe("openimr_target_matcher")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matcher.add(_target_rules(nlp, vocab))
    sectionizer: Any = nlp.add_pipe(
        "medspacy_sectionizer", config={"rules": None, "span_attrs": None}
    )
    sectionizer.add(
        [SectionRule(term, s.category) for s in vocab.sections.sections for term in s.terms]
    )
    context: Any = nlp.add_pipe("medspacy_context", config={"rules": None})
    context.add(_context_rules(vocab))
    return nlp


@cache
def _cached() -> Any:
    return build_pipeline()


def get_pipeline() -> Any:
    """The process-wide pipeline (built on first use, thread-safe)."""
    with _LOCK:
        return _cached()
