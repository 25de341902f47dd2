"""openimr.clinical: case text → ClinicalFacts with evidence spans and context; case summary.

from openimr.clinical import extract_facts, summarize
facts = extract_facts(text)
print(summarize(facts))
"""

from openimr.clinical.extract import extract_document, extract_facts
from openimr.clinical.pipeline import get_pipeline
from openimr.clinical.summary import summarize
from openimr.clinical.vocab import ClinicalVocabularyError, load_vocabulary

__all__ = [
    "ClinicalVocabularyError",
    "extract_document",
    "extract_facts",
    "get_pipeline",
    "load_vocabulary",
    "summarize",
]
