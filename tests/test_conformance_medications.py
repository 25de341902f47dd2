"""Conformance of medication decisions with guidelines.md §5.A (opioids, T-001 - T-011) and
§5.B (other oral medications, T-012 - T-023).

Each case is an invented patient written in the style of an IMR clinical summary, with one
disputed item and the decision the domain criteria clearly imply; the comment above it names
the criterion that decides it. Only cases where the engine agrees are kept here as regression
tests; the cases where it departed from the criteria were reported, not encoded.
"""

from __future__ import annotations

from datetime import date

import pytest

from openimr.clinical import extract_facts
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.model.determination import Decision
from openimr.review.decide import decide_item
from openimr.review.model import ItemStatus

ON = date(2016, 12, 15)  # era E2


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


CASES = [
    # T-002 crit 2 (no functional improvement) and crit 4/6 (no UDS)
    pytest.param(
        "Hydrocodone/APAP 10/325mg #120",
        "T-002",
        Decision.UPHELD,
        (
            "This 47-year-old woman, a home health aide, injured her neck and right shoulder on "
            "08/14/2013 transferring a patient. Diagnoses are cervical strain and right shoulder "
            "impingement. She has taken hydrocodone/acetaminophen for more than two years. At the "
            "visit of 11/09/2016 she rated her neck pain 7/10 and said the medication 'takes the "
            "edge off'. The physician did not describe what activities she can or cannot do, and "
            "no urine drug testing or prescription-monitoring review appears anywhere in the "
            "records. She remains on temporary total disability. The provider requested a refill. "
            "Utilization review on 11/28/2016 denied hydrocodone/APAP 10/325 mg #120."
        ),
        id="norco-pain-only",
    ),
    # T-002 crit 4: inconsistent UDS (illicit drug, prescribed opioid absent) unaddressed
    pytest.param(
        "Norco 10/325mg #120",
        "T-002",
        Decision.UPHELD,
        (
            "The patient is a 39-year-old male roofer with an industrial injury on 05-19-2014 "
            "when he fell from a ladder, injuring the lumbar spine. He carries a diagnosis of "
            "lumbar disc protrusion at L5-S1. He has been maintained on Norco 10/325 mg four "
            "times daily. On 11-15-2016 his pain was 4/10 with medication versus 9/10 without. He "
            "states that the medication lets him walk his dog and mow the lawn, which he could "
            "not do before. No adverse effects were reported. A urine toxicology specimen from "
            "10-20-2016 was inconsistent: it was positive for methamphetamine and negative for "
            "hydrocodone. The note does not discuss the result. A request was submitted for Norco "
            "10/325 mg #120."
        ),
        id="norco-inconsistent-uds",
    ),
    # T-001 crit 3: no trial of non-opioid analgesics; no risk screen or baseline function
    pytest.param(
        "Percocet 5/325mg #60",
        "T-001",
        Decision.UPHELD,
        (
            "A 29-year-old warehouse worker sustained a right ankle sprain at work on 10-30-2016 "
            "when he stepped off a loading dock. X-rays of the ankle were negative for fracture. "
            "At the first visit on 11-02-2016 he rated his pain 5 out of 10 and was able to bear "
            "weight with a mild limp. He takes no medications and no prior treatment was given. "
            "The treating physician prescribed Percocet and an ankle brace. Utilization review "
            "dated 11-14-2016 non-certified Percocet 5/325mg #60."
        ),
        id="percocet-start-no-nonopioid",
    ),
    # T-006 limit: 600 mg a day is over the 400 mg daily maximum, which still holds when
    # the refill is judged by the continuation rule (T-002)
    pytest.param(
        "Tramadol 100mg #180, 2 tablets three times daily",
        "T-002",
        Decision.UPHELD,
        (
            "The injured worker is a 49-year-old male electrician with a work injury on "
            "06-17-2013 involving the lumbar spine. He has chronic low back pain from lumbar "
            "degenerative disc disease. Naproxen and acetaminophen were tried in 2014 without "
            "benefit. He has used tramadol since 2015. At the 11-16-2016 visit he rated pain 7/10 "
            "before and 4/10 after his dose, and he has been able to return to his regular job. "
            "No side effects were noted. A urine drug screen from 08-30-2016 was consistent. The "
            "prescription was written as tramadol 100 mg, two tablets three times a day, a total "
            "of 600 mg a day. The request is for Tramadol 100mg #180, 2 tablets three times "
            "daily."
        ),
        id="tramadol-over-400mg",
    ),
    # T-008: opioid use disorder / detoxification history is the indication
    pytest.param(
        "Butrans 10mcg/hr patch #4",
        "T-008",
        Decision.OVERTURNED,
        (
            "The injured worker is a 46-year-old female nurse who injured her cervical spine on "
            "03-03-2012. She developed opioid use disorder while on high-dose oxycodone and "
            "completed an outpatient detoxification program in 09-2016. She remains off all "
            "full-agonist opioids. On 11-14-2016 she reported neck pain of 6/10 with radiation to "
            "the right arm; she had tried naproxen and duloxetine without relief. The addiction "
            "medicine physician recommended buprenorphine for pain after detoxification. A "
            "request was made for Butrans 10 mcg/hr patch #4."
        ),
        id="butrans-after-detox",
    ),
    # T-008: no opioid use disorder or ODG population; first-line for nociceptive pain
    pytest.param(
        "Butrans 5mcg/hr #4",
        "T-008",
        Decision.UPHELD,
        (
            "This 33-year-old male stocker sustained a lumbar sprain on 09-05-2016 lifting cases "
            "of water. The diagnosis is lumbar sprain/strain without radicular symptoms; "
            "neurologic examination is normal. He has taken ibuprofen. He has no history of "
            "substance abuse and has never been on opioids. On 11-07-2016 the treating doctor "
            "prescribed a buprenorphine patch without giving a reason for it. Utilization review "
            "denied Butrans 5mcg/hr #4 on 11-18-2016."
        ),
        id="butrans-mechanical-no-reason",
    ),
    # T-010: not recommended for nausea from chronic opioid use
    pytest.param(
        "Ondansetron 8mg ODT #30",
        "T-010",
        Decision.UPHELD,
        (
            "The injured worker is a 52-year-old woman with chronic low back pain since a work "
            "injury on 12-01-2013. She takes Norco 10/325 mg three times a day. She complains of "
            "nausea after each dose of Norco. She has had no recent surgery and is not receiving "
            "chemotherapy. On 11-10-2016 the physician added ondansetron for the opioid-related "
            "nausea. The request is for Ondansetron 8mg ODT #30."
        ),
        id="ondansetron-chronic-opioid",
    ),
    # T-009: opioid use; plain laxative (first-line) prophylaxis/treatment
    pytest.param(
        "Colace 100mg #60",
        "T-009",
        Decision.OVERTURNED,
        (
            "The injured worker is a 60-year-old male with chronic lumbar pain since an injury on "
            "10-22-2010. He takes MS Contin 15 mg twice daily, which was found appropriate at his "
            "last review. He reports hard stools since the opioid was started. The physician "
            "prescribed a stool softener. The request is for Colace 100mg #60."
        ),
        id="docusate-with-opioid",
    ),
    # T-011: not recommended
    pytest.param(
        "Genetic testing for opioid risk",
        "T-011",
        Decision.UPHELD,
        (
            "This is a 50-year-old male with chronic lumbar pain from an injury on 05-05-2015 who "
            "takes tramadol. The treating physician requested genetic testing to assess his risk "
            "of opioid addiction before any change in medication. Utilization review denied the "
            "genetic opioid risk test on 11-25-2016."
        ),
        id="genetic-opioid-test",
    ),
    # T-005: on opioid, moderate risk documented, 8 months since last screen (2-3/yr)
    pytest.param(
        "Point of care urine drug screen",
        "T-005",
        Decision.OVERTURNED,
        (
            "A 43-year-old man with chronic lumbar radiculopathy after a work injury on "
            "04-01-2014 takes Percocet 10/325 mg three times daily. He was rated moderate risk "
            "for opioid misuse on the SOAPP-R. His last urine drug screen was on 03-10-2016 and "
            "was consistent. On 11-18-2016 the physician requested a point-of-care urine drug "
            "screen."
        ),
        id="uds-moderate-due",
    ),
    # T-012: recommended, first-line for OA; no liver disease
    pytest.param(
        "Acetaminophen 500mg #100",
        "T-012",
        Decision.OVERTURNED,
        (
            "The injured worker is a 61-year-old female janitor with right knee osteoarthritis "
            "accelerated by a work injury on 08-08-2015. She has mild to moderate knee pain, "
            "4/10, worse with stairs. She has no liver disease and drinks no alcohol. The "
            "physician recommended acetaminophen. The request is for acetaminophen 500mg #100."
        ),
        id="acetaminophen-knee-oa",
    ),
    # T-013 crit 6: renewal without documented pain/function benefit
    pytest.param(
        "Anaprox DS 550mg #60",
        "T-013",
        Decision.UPHELD,
        (
            "The injured worker is a 45-year-old female assembler with chronic low back pain "
            "after an injury on 01-15-2013. She has taken naproxen 550 mg twice daily every day "
            "for the past three years. At each visit, including 11-14-2016, her pain is "
            "documented as 7/10 and unchanged, and she reports that the naproxen does not help "
            "and that her activity level has not changed. The provider requested continued "
            "naproxen. The request is for Anaprox DS 550mg #60."
        ),
        id="naproxen-renewal-no-benefit",
    ),
    # T-014: on NSAID with GI risk factors (age over 65, low-dose aspirin)
    pytest.param(
        "Omeprazole 20mg #30",
        "T-014",
        Decision.OVERTURNED,
        (
            "The injured worker is a 70-year-old male security guard with bilateral knee "
            "osteoarthritis aggravated by work, date of injury 03-03-2015. He takes meloxicam 15 "
            "mg daily, which has reduced his knee pain from 7/10 to 4/10 and lets him complete "
            "his patrol rounds. He also takes aspirin 81 mg daily for his heart. The provider "
            "prescribed omeprazole for gastric protection. The request is for Omeprazole 20mg "
            "#30."
        ),
        id="omeprazole-age-70-nsaid",
    ),
    # T-014 crit 2: no GI risk factor or GI symptom documented
    pytest.param(
        "Omeprazole 20mg #30 with 2 refills",
        "T-014",
        Decision.UPHELD,
        (
            "A 38-year-old female office worker has right lateral epicondylitis from a work "
            "injury on 07-11-2016. She takes ibuprofen 600 mg twice daily. She denies heartburn, "
            "abdominal pain or any history of ulcer or bleeding, and takes no aspirin, steroids "
            "or blood thinners. The provider added omeprazole on 11-15-2016 as a precaution. The "
            "request is for Omeprazole 20mg #30 with 2 refills."
        ),
        id="omeprazole-no-risk",
    ),
    # T-014 crit 1: no NSAID on the medication list (the engine reads 'never prescribed'
    # NSAIDs as taken and upholds on crit 2, no GI risk)
    pytest.param(
        "Pantoprazole 20mg #60",
        "T-014",
        Decision.UPHELD,
        (
            "The injured worker is a 54-year-old male with cervical strain from an injury on "
            "04-19-2016. His only medication is tramadol 50 mg as needed; anti-inflammatory "
            "medications were never prescribed for him. He reports no gastrointestinal symptoms. "
            "The physician requested pantoprazole. The request is for Pantoprazole 20mg #60."
        ),
        id="pantoprazole-no-nsaid",
    ),
    # T-015: chronic daily use; no acute exacerbation; #90 implies long use
    pytest.param(
        "Cyclobenzaprine 7.5mg #90",
        "T-015",
        Decision.UPHELD,
        (
            "The injured worker is a 50-year-old woman with chronic low back pain since an injury "
            "on 10-10-2014. She has taken cyclobenzaprine 7.5 mg three times a day continuously "
            "for more than a year. On 11-21-2016 there was no spasm on examination and no recent "
            "flare was described. The provider requested a refill. The request is for "
            "Cyclobenzaprine 7.5mg #90."
        ),
        id="cyclobenzaprine-chronic",
    ),
    # T-015 crit 1-3: acute flare with spasm, after NSAID/exercise, 10-day course
    pytest.param(
        "Cyclobenzaprine 10mg #10, one tablet at bedtime",
        "T-015",
        Decision.OVERTURNED,
        (
            "A 42-year-old male mechanic with chronic low back pain from an injury on 05-06-2015 "
            "had an acute exacerbation on 11-28-2016 after bending under a vehicle. He has been "
            "taking ibuprofen and doing his home exercise program, which have not settled the "
            "flare. Examination on 11-30-2016 showed palpable paraspinal muscle spasm with "
            "guarded motion. He has not taken a muscle relaxant before. The physician prescribed "
            "cyclobenzaprine 10 mg at bedtime for 10 days. The request is for Cyclobenzaprine "
            "10mg #10, one tablet at bedtime."
        ),
        id="cyclobenzaprine-acute-flare",
    ),
    # T-016: not recommended
    pytest.param(
        "Soma 350mg #60",
        "T-016",
        Decision.UPHELD,
        (
            "The injured worker is a 37-year-old male with lumbar strain from an injury on "
            "02-02-2016. He takes Norco and was prescribed carisoprodol for muscle tightness on "
            "11-04-2016. The request is for Soma 350mg #60."
        ),
        id="soma",
    ),
    # T-017 crit 1: no neuropathic pain; mechanical pain
    pytest.param(
        "Neurontin 600mg #60",
        "T-017",
        Decision.UPHELD,
        (
            "The injured worker is a 40-year-old male with axial low back pain after a lifting "
            "injury on 08-30-2016. The pain does not radiate. Neurologic examination on "
            "11-12-2016 was normal, with intact sensation, full strength, symmetric reflexes and "
            "a negative straight leg raise bilaterally. The diagnosis is lumbar sprain/strain. "
            "The physician prescribed gabapentin. The request is for Neurontin 600mg #60."
        ),
        id="gabapentin-axial-pain",
    ),
    # T-017 crit 2: renewal with no documented response (<30%) or function gain
    pytest.param(
        "Gabapentin 600mg #90",
        "T-017",
        Decision.UPHELD,
        (
            "A 52-year-old female with right cervical radiculopathy at C6 after a work injury on "
            "09-09-2014 has taken gabapentin 600 mg three times daily for 18 months. On "
            "11-16-2016 she said the gabapentin has not helped; her arm pain remains 8/10, the "
            "same as before she started it, and she still cannot lift her grandchild or do "
            "housework. The request is for Gabapentin 600mg #90."
        ),
        id="gabapentin-renewal-no-response",
    ),
    # T-018: neuropathic pain (CRPS); initial trial
    pytest.param(
        "Lyrica 75mg #60",
        "T-018",
        Decision.OVERTURNED,
        (
            "The injured worker is a 36-year-old female assembler who developed complex regional "
            "pain syndrome of the right hand after a crush injury on 01-12-2016. She has burning "
            "pain, allodynia, swelling and color change of the right hand. Gabapentin was stopped "
            "because of sedation. Pregabalin 75 mg twice daily was started on 11-10-2016. The "
            "request is for Lyrica 75mg #60."
        ),
        id="lyrica-crps",
    ),
    # T-019: second-line; no failure of gabapentin/pregabalin/first-line agent
    pytest.param(
        "Topamax 25mg #60",
        "T-019",
        Decision.UPHELD,
        (
            "A 39-year-old male with left S1 lumbar radiculopathy after a work injury on "
            "06-06-2016 has pain down the back of the left leg. He has not been treated with "
            "gabapentin, pregabalin or an antidepressant. On 11-17-2016 the physician prescribed "
            "topiramate. The request is for Topamax 25mg #60."
        ),
        id="topiramate-no-first-line",
    ),
    # T-021: SSRIs not recommended for pain alone; no mood disorder
    pytest.param(
        "Sertraline 50mg #30",
        "T-021",
        Decision.UPHELD,
        (
            "The injured worker is a 44-year-old female with chronic low back pain from an injury "
            "on 07-07-2015. Psychological screening on 10-12-2016 found no depression or anxiety "
            "disorder. The physician prescribed sertraline to help with her pain. The request is "
            "for Sertraline 50mg #30."
        ),
        id="sertraline-pain-only",
    ),
    # T-022: long-term benzodiazepine use beyond 4 weeks
    pytest.param(
        "Xanax 1mg #60",
        "T-022",
        Decision.UPHELD,
        (
            "The injured worker is a 53-year-old female with chronic cervical pain from an injury "
            "on 11-11-2012. She has taken alprazolam 1 mg twice daily for anxiety and muscle "
            "tension since 2014, along with Norco. There is no documented plan to taper. The "
            "request is for Xanax 1mg #60."
        ),
        id="alprazolam-long-term",
    ),
    # T-023: nightly use for months; no sleep evaluation or sleep hygiene
    pytest.param(
        "Ambien 10mg #30",
        "T-023",
        Decision.UPHELD,
        (
            "A 47-year-old male with chronic lumbar pain after a work injury on 09-19-2013 "
            "reports difficulty sleeping due to pain. He has taken zolpidem 10 mg nightly for the "
            "past eight months. The notes do not describe his sleep onset, sleep maintenance or "
            "next-day function, and no sleep hygiene measures are documented. The request is for "
            "Ambien 10mg #30."
        ),
        id="zolpidem-long-term",
    ),
    # T-002/T-007 continuation: analgesia, return to work, no side effects, UDS and CURES
    pytest.param(
        "MS Contin 15mg #60",
        "T-002",
        Decision.OVERTURNED,
        (
            "The injured worker is a 59-year-old male truck driver with chronic lumbar pain and "
            "failed back surgery syndrome after an L4-S1 fusion; the date of injury is "
            "10/02/2009. He used Norco for two years and was switched to MS Contin 15 mg every 12 "
            "hours in 2015 for constant around-the-clock pain. At the 11/18/2016 follow-up he "
            "rated his pain as 8/10 without medications and 4/10 with medications. Since the "
            "regimen was adjusted he has returned to full-time work as a dispatcher and is able "
            "to walk longer and do yard work again. He denies side effects. The most recent urine "
            "drug screen, dated 09/02/2016, was consistent, and a CURES report reviewed on "
            "11/01/2016 showed no other prescribers. The request is for MS Contin 15mg #60."
        ),
        id="ms-contin-continue-met",
    ),
    # T-015 crit 3 / X-1: a 30-day course exceeds the 2-3 week limit
    pytest.param(
        "Cyclobenzaprine 7.5mg #90, one tablet three times daily",
        "T-015",
        Decision.UPHELD,
        (
            "A 36-year-old female nursing assistant with chronic low back pain from an injury on "
            "09-14-2015 had an acute flare on 11-25-2016 while repositioning a patient. She has "
            "been using naproxen and a home exercise program. Examination on 11-29-2016 showed "
            "lumbar paraspinal muscle spasm. She has not used a muscle relaxant before. The "
            "physician prescribed cyclobenzaprine 7.5 mg three times daily for a month. The "
            "request is for Cyclobenzaprine 7.5mg #90, one tablet three times daily."
        ),
        id="cyclobenzaprine-flare-30-days",
    ),
    # T-023 crit 1-3: insomnia evaluated, sleep hygiene tried, 10-night course
    pytest.param(
        "Zolpidem 5mg #10",
        "T-023",
        Decision.OVERTURNED,
        (
            "The injured worker is a 43-year-old female with right shoulder pain after a work "
            "injury on 08-08-2016. On 11-22-2016 she reported insomnia for the past three weeks: "
            "she takes over an hour to fall asleep, wakes three times a night because of shoulder "
            "pain, and feels tired and less attentive at work the next day. She has already tried "
            "sleep hygiene measures, including a fixed bedtime, no caffeine after noon and no "
            "screens in the bedroom, without improvement. She has never taken a sleep medication. "
            "The physician prescribed zolpidem 5 mg at bedtime for ten nights. The request is for "
            "Zolpidem 5mg #10."
        ),
        id="zolpidem-short-course",
    ),
    # T-002 crit 4/6: no urine drug testing and no CURES check. The engine upholds it on
    # missed analgesia/function and reads the unchecked CURES as done
    pytest.param(
        "Norco 5/325mg #60",
        "T-002",
        Decision.UPHELD,
        (
            "A 50-year-old male plumber with chronic right knee pain after a work injury on "
            "06-06-2013 has taken Norco 5/325 mg twice daily for two years. On 11-10-2016 his "
            "pain was 6/10 without medication and 3/10 with it, and he has returned to regular "
            "duty. No side effects were reported. No urine drug screen has been done since he "
            "started Norco, and the prescription monitoring database has not been checked. The "
            "request is for Norco 5/325mg #60."
        ),
        id="norco-function-but-no-monitoring",
    ),
    # T-012: significant liver disease and alcohol misuse
    pytest.param(
        "Acetaminophen 500mg #120",
        "T-012",
        Decision.UPHELD,
        (
            "The injured worker is a 58-year-old male with chronic low back pain from an injury "
            "on 05-05-2014. He has alcoholic cirrhosis of the liver and continues to drink daily. "
            "The physician recommended acetaminophen for the back pain. The request is for "
            "Acetaminophen 500mg #120."
        ),
        id="acetaminophen-cirrhosis",
    ),
]


@pytest.mark.parametrize(("request_text", "entry_id", "decision", "text"), CASES)
def test_medication_decision_follows_the_domain_criteria(
    kb: KnowledgeBase, request_text: str, entry_id: str, decision: Decision, text: str
) -> None:
    item = decide_item(request_text, extract_facts(text), ON, kb)
    assert item.status is ItemStatus.DECIDED
    assert item.treatment_id == entry_id
    assert item.decision is decision
