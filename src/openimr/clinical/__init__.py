"""openimr.clinical: case text → ClinicalFacts with evidence spans and context; case summary.

from openimr.clinical import extract_facts, summarize
facts = extract_facts(text)
print(summarize(facts))

Facts the determination engine reads beyond the issue's list:

* `facts.symptom_onsets`: when a symptom began, apart from the date of injury ("numbness
  began 3 weeks ago", "symptoms since March 2016", "onset of radiating pain on 01/05/2016"):
  the symptom, `on` (a written date, the 1st of a written month, or a relative onset dated
  from a date in the same sentence), `precision` (day/month/year), `ago_days` for a relative
  onset, and the onset phrase as evidence. Phrases: data/cues.yaml `symptom_onset`.
* `FunctionFact.treatment`: a functional improvement, also one written in words ("able to walk
  longer", "increased tolerance for sitting", "returned to full duty", "improved ability to
  perform ADLs"; cues.yaml `functional_gain`), names the treatment concept or drug generic of
  its sentence.
* A treatment named in a request, an RFA or a plan is hypothetical and its response is
  `not_stated` ("physical therapy requested for pain relief" is no reported relief).
* `MonitoringFact(kind="analgesia_documented").detail`: the onset and duration of relief a
  dose gives, as written ("onset 30 minutes; lasts 5 hours").
* A body mass index of 40 or more (cues.yaml `bmi_obesity_min`) is the obesity diagnosis.
* `Surgery.on` is the surgery's own date (written after it in its clause or before it; a
  year or a month alone dates it to its first day), never the date of injury.
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
