"""Request normalizer probed with invented request texts of the kinds IMR letters dispute.

Each row: request text -> the knowledge-base entry deciding it and the attributes read. The
table covers oral drugs with and without a sig, brand and generic combinations, topicals and
compounds, injections with levels and sides, therapy schedules in their common wordings, DME
rental and purchase, home health hours, programs, visits, imaging, surgery with associated
services, retrospective requests and items naming two treatments. Named tests below pin the
wordings fixed by probing, each with look-alikes whose reading must not change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.review.normalize import normalize_request


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


PROBES: list[tuple[str, str | None, dict[str, Any]]] = [
    (
        "Norco 10/325mg #120",
        "T-001",
        {"drug": "norco", "strength": "10/325mg", "quantity": 120, "form": "oral"},
    ),
    (
        "Norco 5/325 mg, 1 tab by mouth every 6 hours as needed #120",
        "T-001",
        {"strength": "5/325mg", "quantity": 120, "units_per_dose": 1, "doses_per_day": 4},
    ),
    (
        "Hydrocodone/APAP 10/325mg 1 tablet PO q6h prn #120",
        "T-001",
        {"strength": "10/325mg", "quantity": 120, "doses_per_day": 4, "units_per_dose": 1},
    ),
    (
        "Percocet 10/325mg #90",
        "T-001",
        {"drug": "percocet", "strength": "10/325mg", "quantity": 90},
    ),
    ("Percocet 5/325 1-2 tabs every 4-6 hours prn pain #60", "T-001", {"quantity": 60}),
    ("Oxycodone 15mg #120", "T-001", {"strength": "15mg", "quantity": 120}),
    ("Oxycodone IR 10mg BID #60", "T-001", {"doses_per_day": 2, "quantity": 60}),
    (
        "OxyContin 20mg every 12 hours #60",
        "T-007",
        {"strength": "20mg", "doses_per_day": 2, "quantity": 60},
    ),
    ("Oxycodone ER 30mg q12h, #60", "T-007", {"doses_per_day": 2, "quantity": 60}),
    ("MS Contin 30mg #60", "T-007", {"strength": "30mg", "quantity": 60}),
    ("Nucynta ER 100mg #60", "T-007", {"quantity": 60}),
    ("Fentanyl patch 25mcg/hr #10", "T-007", {"quantity": 10, "form": "topical"}),
    ("Butrans patch 10mcg/hr #4", "T-008", {"quantity": 4}),
    ("Ultracet 37.5/325mg #60", "T-006", {"strength": "37.5/325mg", "quantity": 60}),
    ("Tramadol ER 150mg #30 with 2 refills", "T-006", {"quantity": 30, "refills": 2}),
    (
        "Tramadol 50mg 1 tab three times a day #90",
        "T-006",
        {"units_per_dose": 1, "doses_per_day": 3, "quantity": 90},
    ),
    (
        "Tramadol HCl 50mg, 2 tablets three times a day, #180",
        "T-006",
        {"units_per_dose": 2, "doses_per_day": 3, "quantity": 180},
    ),
    ("Ultram 50mg #120, 30 day supply", "T-006", {"quantity": 120, "day_supply": 30}),
    ("Vicoprofen 7.5/200mg #60", "T-001", {"strength": "7.5/200mg", "quantity": 60}),
    ("Tylenol #3 #60", "T-001", {"quantity": 60}),
    ("Tylenol with codeine #3, 1 tab q 6 hrs prn, #30", "T-001", {"quantity": 30}),
    ("Dilaudid 2mg #60", "T-001", {"quantity": 60}),
    ("Methadone 10mg TID #90", "T-007", {"doses_per_day": 3, "quantity": 90}),
    ("Suboxone 8/2mg film #30", "T-008", {"strength": "8/2mg", "quantity": 30}),
    (
        "Hydrocodone bitartrate/acetaminophen 10/325mg #180 (30 day supply)",
        "T-001",
        {"quantity": 180, "day_supply": 30},
    ),
    ("Norco 10/325mg #60 x 2 refills", "T-001", {"quantity": 60, "refills": 2}),
    (
        "Norco 10/325 1 PO QID #120 refills: 0",
        "T-001",
        {"quantity": 120, "refills": 0, "doses_per_day": 4},
    ),
    ("Refill of Norco 10/325mg #90", "T-002", {"quantity": 90, "additional": True}),
    ("Continue Norco 10/325mg #90", "T-002", {"quantity": 90, "additional": True}),
    ("Gabapentin 600mg #90", "T-017", {"strength": "600mg", "quantity": 90}),
    (
        "Neurontin 300mg 1 cap PO TID #90",
        "T-017",
        {"doses_per_day": 3, "units_per_dose": 1, "quantity": 90},
    ),
    (
        "Gabapentin 300mg, 1 capsule at bedtime, #30 with 3 refills",
        "T-017",
        {"doses_per_day": 1, "refills": 3, "quantity": 30},
    ),
    ("Lyrica 75mg twice a day #60", "T-018", {"doses_per_day": 2, "quantity": 60}),
    ("Pregabalin 50mg #90 x 3 refills", "T-018", {"quantity": 90, "refills": 3}),
    ("Cyclobenzaprine 7.5mg #60", "T-015", {"strength": "7.5mg", "quantity": 60}),
    ("Flexeril 10mg 1 tab PO qhs #30", "T-015", {"doses_per_day": 1, "quantity": 30}),
    ("Tizanidine 4mg #60", "T-015", {"quantity": 60}),
    ("Zanaflex 4mg 1 tab q8h prn spasm #90", "T-015", {"doses_per_day": 3, "quantity": 90}),
    ("Robaxin 750mg #90", "T-015", {"quantity": 90}),
    ("Skelaxin 800mg three times daily #90", "T-015", {"doses_per_day": 3}),
    ("Soma 350mg #90", "T-016", {"quantity": 90}),
    ("Carisoprodol 350mg, 1 tab PO BID, #60", "T-016", {"doses_per_day": 2, "quantity": 60}),
    ("Naproxen sodium 550mg #60", "T-013", {"strength": "550mg", "quantity": 60}),
    ("Anaprox DS 550mg 1 tab twice daily #60", "T-013", {"doses_per_day": 2}),
    ("Meloxicam 15mg #30", "T-013", {"quantity": 30}),
    ("Mobic 7.5mg daily #30", "T-013", {"quantity": 30, "doses_per_day": 1}),
    ("Celebrex 200mg #30 with 5 refills", "T-013", {"refills": 5}),
    ("Ibuprofen 800mg #90", "T-013", {"quantity": 90}),
    ("Motrin 800mg 1 tab TID #90", "T-013", {"doses_per_day": 3}),
    ("Diclofenac sodium ER 100mg #30", "T-013", {"quantity": 30, "form": "oral"}),
    ("Voltaren XR 100mg #30", "T-013", {"quantity": 30}),
    ("Etodolac 400mg #60", "T-013", {}),
    ("Omeprazole 20mg #30", "T-014", {"quantity": 30}),
    ("Prilosec 20mg daily #30", "T-014", {"doses_per_day": 1}),
    ("Pantoprazole 40mg #60", "T-014", {"quantity": 60}),
    ("Protonix 20mg #60", "T-014", {}),
    ("Ranitidine 150mg #60", "T-014", {}),
    ("Ondansetron ODT 8mg #20", "T-010", {"quantity": 20}),
    ("Zofran 4mg #30", "T-010", {}),
    ("Docusate sodium 100mg #60", "T-009", {"quantity": 60}),
    ("Senna 8.6mg #60", "T-009", {}),
    ("Colace 100mg BID #60", "T-009", {"doses_per_day": 2}),
    ("Ambien 10mg #30", "T-023", {"quantity": 30}),
    ("Zolpidem 5mg at bedtime #30", "T-023", {"doses_per_day": 1}),
    ("Trazodone 50mg qhs #30", "T-023", {"doses_per_day": 1}),
    ("Lunesta 3mg #30", "T-023", {}),
    ("Xanax 0.5mg #60", "T-022", {"strength": "0.5mg", "quantity": 60}),
    ("Klonopin 1mg #30", "T-022", {}),
    ("Valium 5mg #30", "T-022", {}),
    ("Cymbalta 60mg #30", "T-020", {"quantity": 30}),
    ("Duloxetine 30mg, 1 capsule daily, #30", "T-020", {"doses_per_day": 1}),
    ("Amitriptyline 25mg #30", "T-020", {"form": "oral"}),
    ("Elavil 10mg qhs #30", "T-020", {}),
    ("Topamax 50mg #60", "T-019", {}),
    ("Sertraline 50mg #30", "T-021", {}),
    ("Acetaminophen 500mg #100", "T-012", {"quantity": 100}),
    ("Theramine #120", "T-031", {"quantity": 120}),
    ("Sentra PM #60", "T-031", {}),
    ("Glucosamine sulfate 500mg #90", "T-032", {}),
    ("Lidoderm 5% patch #30", "T-025", {"strength": "5%", "quantity": 30, "form": "topical"}),
    ("Lidocaine 5% patches #30, 12 hours on 12 hours off", "T-025", {"quantity": 30}),
    ("Lidocaine 5% ointment 50gm", "T-025", {"amount": "50 g"}),
    ("Voltaren gel 1% 100g tube", "T-026", {"amount": "100 g", "form": "topical"}),
    ("Diclofenac sodium 1% gel 100 grams x 3 tubes", "T-026", {"amount": "100 g", "quantity": 3}),
    ("Flector patch 1.3% #30", "T-026", {"quantity": 30}),
    ("Pennsaid 2% solution 112g", "T-026", {"amount": "112 g"}),
    ("Capsaicin 0.075% cream 60g", "T-027", {"amount": "60 g"}),
    ("Menthoderm gel 120ml", "T-030", {"amount": "120 ml"}),
    ("Biofreeze gel 4oz", "T-030", {}),
    ("Ketamine 10% cream 60 grams", "T-028", {"amount": "60 g"}),
    ("Flurbiprofen 20%/Lidocaine 5% cream 180gm", "T-024", {"compound": True, "amount": "180 g"}),
    (
        "Compound cream: Ketoprofen 10%, Gabapentin 6%, Lidocaine 5% 120g",
        "T-024",
        {"compound": True, "amount": "120 g"},
    ),
    (
        "Gabapentin 10%/Cyclobenzaprine 2%/Capsaicin 0.0375% 180g",
        "T-024",
        {"compound": True, "amount": "180 g"},
    ),
    (
        "Amitriptyline 10%/Dextromethorphan 10%/Gabapentin 10% in cream base 210 grams",
        "T-024",
        {"compound": True},
    ),
    ("Topical compound (flurbiprofen/baclofen/lidocaine) 240 gm", "T-024", {"compound": True}),
    ("Terocin patch #30", "T-024", {"compound": True, "quantity": 30}),
    ("LidoPro ointment 121gm #1", "T-024", {"compound": True, "amount": "121 g", "quantity": 1}),
    (
        "Keto/Lido/Gaba cream 120g, apply 3 times a day",
        "T-024",
        {"compound": True, "doses_per_day": 3},
    ),
    ("Diclofenac 3%/Lidocaine 5% cream #1", "T-024", {"compound": True, "quantity": 1}),
    ("Baclofen 2% cream 120g", "T-029", {"amount": "120 g"}),
    ("Gabapentin 10% topical cream", "T-029", {"form": "topical"}),
    ("Capsaicin 0.025%, Menthol 2%, Camphor 2% cream", "T-024", {"compound": True}),
    (
        "Bilateral L4-5, L5-S1 transforaminal ESI",
        "T-052",
        {"levels": 2, "laterality": "bilateral", "body_parts": ["lumbar spine"]},
    ),
    (
        "Right L5-S1 transforaminal epidural steroid injection",
        "T-052",
        {"levels": 1, "laterality": "right"},
    ),
    ("Left L4-L5 and L5-S1 TFESI", "T-052", {"levels": 2, "laterality": "left"}),
    (
        "Cervical epidural steroid injection C6-7 interlaminar",
        "T-052",
        {"levels": 1, "body_parts": ["cervical spine"]},
    ),
    ("Lumbar epidural steroid injection at L4-5 under fluoroscopy", "T-052", {"levels": 1}),
    ("Caudal epidural steroid injection", "T-052", {}),
    ("Repeat lumbar ESI L5-S1", "T-052", {"additional": True, "levels": 1}),
    ("Second lumbar epidural steroid injection at L4-5", "T-052", {"levels": 1}),
    (
        "Bilateral L3-L4, L4-L5, L5-S1 medial branch blocks",
        "T-053",
        {"levels": 3, "laterality": "bilateral"},
    ),
    (
        "Right C4-5, C5-6 facet joint injections",
        "T-053",
        {"levels": 2, "laterality": "right", "body_parts": ["cervical spine"]},
    ),
    ("Diagnostic medial branch block bilateral L4-S1", "T-053", {"levels": 2}),
    ("Radiofrequency ablation left L3-L5", "T-054", {"levels": 2, "laterality": "left"}),
    ("Bilateral L4-5 and L5-S1 radiofrequency rhizotomy", "T-054", {"levels": 2}),
    ("Trigger point injections x4 to the upper trapezius", "T-055", {"sessions": 4}),
    ("Trigger point injections, 3 injections", "T-055", {}),
    ("Right sacroiliac joint injection", "T-056", {"laterality": "right"}),
    ("Bilateral SI joint injections under fluoroscopy", "T-056", {"laterality": "bilateral"}),
    ("Left stellate ganglion block", "T-057", {"laterality": "left"}),
    ("Lumbar sympathetic blocks x3", "T-057", {"sessions": 3}),
    ("Botox injection 200 units", "T-058", {}),
    ("Synvisc-One injection right knee", "T-060", {"laterality": "right", "body_parts": ["knee"]}),
    ("Series of 3 Orthovisc injections to the left knee", "T-060", {"laterality": "left"}),
    (
        "Cortisone injection to the right shoulder",
        "T-059",
        {"laterality": "right", "body_parts": ["shoulder"]},
    ),
    ("Left knee steroid injection", "T-059", {"laterality": "left"}),
    ("Subacromial injection right shoulder under ultrasound guidance", "T-059", {}),
    ("PRP injection to the left elbow", "T-061", {"laterality": "left", "body_parts": ["elbow"]}),
    (
        "Retrospective Toradol 60mg IM injection (DOS 10/12/16)",
        "T-013",
        {
            "retrospective": True,
            "date_of_service": date(2016, 10, 12),
            "route": "intramuscular",
            "strength": "60mg",
        },
    ),
    (
        "Retro: Toradol 60mg IM injection provided on 3/4/2016",
        "T-013",
        {"retrospective": True, "date_of_service": date(2016, 3, 4)},
    ),
    ("B12 injection", None, {}),
    ("Spinal cord stimulator trial", "T-062", {}),
    ("Intrathecal pump refill", "T-063", {}),
    (
        "Physical therapy 2 times a week for 6 weeks for the lumbar spine",
        "T-034",
        {
            "frequency_per_week": 2,
            "duration_weeks": 6,
            "sessions": 12,
            "body_parts": ["lumbar spine"],
        },
    ),
    (
        "Physical therapy 2x6 for the lumbar spine",
        "T-034",
        {"frequency_per_week": 2, "duration_weeks": 6, "sessions": 12},
    ),
    (
        "PT 3x4 right shoulder",
        "T-034",
        {"frequency_per_week": 3, "duration_weeks": 4, "sessions": 12, "laterality": "right"},
    ),
    ("Physical therapy x6", "T-034", {"sessions": 6}),
    (
        "Physical therapy 2-3 times per week for 4 weeks",
        "T-034",
        {"frequency_per_week": 3, "duration_weeks": 4, "sessions": 12},
    ),
    ("Physical therapy eight sessions", "T-034", {"sessions": 8}),
    ("Physical therapy 12 visits for the cervical spine", "T-034", {"sessions": 12}),
    ("Physical therapy (12) for the left knee", "T-034", {"sessions": 12}),
    ("Physical therapy, twelve (12) sessions", "T-034", {"sessions": 12}),
    (
        "Physical therapy 2 x a week x 6 weeks",
        "T-034",
        {"frequency_per_week": 2, "duration_weeks": 6, "sessions": 12},
    ),
    (
        "Physical therapy 2 x wk x 6 wks lumbar",
        "T-034",
        {"frequency_per_week": 2, "duration_weeks": 6, "sessions": 12},
    ),
    (
        "Physical therapy 2x/week for 4 weeks",
        "T-034",
        {"frequency_per_week": 2, "duration_weeks": 4, "sessions": 8},
    ),
    (
        "Physical therapy 1-2x/week x 6 weeks",
        "T-034",
        {"frequency_per_week": 2, "duration_weeks": 6, "sessions": 12},
    ),
    (
        "Additional physical therapy x 8 sessions for the right wrist",
        "T-034",
        {"sessions": 8, "additional": True},
    ),
    (
        "Physical therapy 3 times weekly for 4 weeks",
        "T-034",
        {"frequency_per_week": 3, "sessions": 12},
    ),
    ("Six (6) sessions of physical therapy", "T-034", {"sessions": 6}),
    (
        "Occupational therapy 2 times per week for 4 weeks for the right hand",
        "T-034",
        {"sessions": 8, "body_parts": ["hand"]},
    ),
    ("Aquatic therapy 2x4", "T-040", {"frequency_per_week": 2, "duration_weeks": 4, "sessions": 8}),
    ("Aquatic therapy 12 sessions", "T-040", {"sessions": 12}),
    ("Chiropractic treatment 2 times a week for 3 weeks", "T-037", {"sessions": 6}),
    ("Chiropractic manipulation x 6 visits", "T-037", {"sessions": 6}),
    (
        "Chiropractic care 1x4",
        "T-037",
        {"frequency_per_week": 1, "duration_weeks": 4, "sessions": 4},
    ),
    ("Acupuncture 6 sessions", "T-038", {"sessions": 6}),
    (
        "Acupuncture 1 time per week for 6 weeks",
        "T-038",
        {"frequency_per_week": 1, "duration_weeks": 6, "sessions": 6},
    ),
    ("Acupuncture x 6 for the neck", "T-038", {"sessions": 6, "body_parts": ["cervical spine"]}),
    ("Massage therapy 6 sessions", "T-039", {"sessions": 6}),
    ("Cognitive behavioral therapy 6 sessions", "T-050", {"sessions": 6}),
    (
        "Psychotherapy once a week for 12 weeks",
        "T-050",
        {"frequency_per_week": 1, "duration_weeks": 12, "sessions": 12},
    ),
    ("Biofeedback 6 sessions", "T-051", {"sessions": 6}),
    ("Post-op physical therapy 12 sessions for the right shoulder", "T-036", {"sessions": 12}),
    (
        "Postoperative physical therapy 3 times a week for 4 weeks left knee",
        "T-036",
        {"sessions": 12},
    ),
    ("TENS unit 30 day rental", "T-045", {"setting": "rental", "duration_days": 30}),
    ("TENS unit purchase", "T-045", {"setting": "purchase"}),
    ("TENS unit one month rental", "T-045", {"setting": "rental", "duration_days": 30}),
    ("TENS unit supplies x 3 months", "T-045", {"duration_days": 90}),
    ("H-wave device 30-day home trial", "T-046", {"duration_days": 30}),
    ("Interferential unit rental x 2 months", "T-047", {"setting": "rental", "duration_days": 60}),
    ("Cold therapy unit 7 day rental", "T-076", {"setting": "rental", "duration_days": 7}),
    ("Game Ready unit rental for 14 days", "T-076", {"setting": "rental", "duration_days": 14}),
    ("Polar care unit purchase", "T-076", {"setting": "purchase"}),
    ("Vascutherm unit 30 day rental", "T-076", {"duration_days": 30}),
    ("Lumbar brace purchase", "T-077", {"setting": "purchase"}),
    ("LSO back brace", "T-077", {}),
    ("Hinged knee brace, left", "T-077", {"laterality": "left"}),
    ("Front-wheeled walker", "T-088", {}),
    ("Wheelchair rental for 3 months", "T-088", {"setting": "rental", "duration_days": 90}),
    ("Shower chair", "T-089", {}),
    ("Hospital bed rental x 1 month", "T-089", {"duration_days": 30}),
    ("Home cervical traction unit", "T-080", {}),
    (
        "Home health aide 4 hours per day, 5 days per week for 6 weeks",
        "T-078",
        {"hours_per_day": 4, "duration_weeks": 6},
    ),
    ("Home health care 8 hours a day 7 days a week", "T-078", {"hours_per_day": 8}),
    (
        "Home health aide 20 hours per week for 4 weeks",
        "T-078",
        {"hours_per_week": 20, "duration_weeks": 4},
    ),
    ("Home health nurse visits x 4", "T-078", {"sessions": 4}),
    ("Functional restoration program x 160 hours", "T-043", {"hours_total": 160}),
    ("Functional restoration program 10 days", "T-043", {"duration_days": 10}),
    ("Functional restoration program 5 days a week for 4 weeks", "T-043", {"duration_weeks": 4}),
    ("HELP program 2 weeks", "T-043", {"duration_weeks": 2}),
    ("Functional restoration program evaluation", "T-043", {}),
    ("Work hardening 10 sessions", "T-042", {"sessions": 10}),
    ("Work conditioning 3 times a week for 4 weeks", "T-042", {"sessions": 12}),
    ("Work hardening program 80 hours", "T-042", {"hours_total": 80}),
    ("Pain management consultation", "T-081", {}),
    ("Orthopedic consult for the right knee", "T-081", {"body_parts": ["knee"]}),
    ("Follow-up visit x 3", "T-082", {"sessions": 3}),
    ("Follow up visits times 6", "T-082", {"sessions": 6}),
    ("Monthly follow-up visits x 6 months", "T-082", {"duration_days": 180}),
    ("Office visit with pain management", "T-082", {}),
    ("Psychological evaluation", "T-049", {}),
    ("Psychological consultation and 6 sessions of CBT", "T-049", {"concepts": ["T-049", "T-050"]}),
    ("Neurology consult and EEG", "T-081", {"concepts": ["T-081", "OI-011"]}),
    ("Internal medicine consult and EKG", "T-081", {"concepts": ["T-081", "OI-003"]}),
    ("PT and acupuncture 6 sessions each", "T-034", {"concepts": ["T-034", "T-038"]}),
    (
        "Chiropractic and massage therapy 2x4",
        "T-037",
        {"concepts": ["T-037", "T-039"], "sessions": 8},
    ),
    ("Urine drug screen", "T-005", {}),
    ("Urine toxicology screen x 4 per year", "T-005", {}),
    ("Functional capacity evaluation (FCE) x1", "T-044", {}),
    ("CBC and CMP", "OI-016", {}),
    ("MRI of the low back without contrast", "T-064", {"body_parts": ["lumbar spine"]}),
    ("Repeat MRI lumbar spine with and without contrast", "T-064", {"additional": True}),
    ("MRI of the cervical spine for neck pain", "T-065", {"body_parts": ["cervical spine"]}),
    ("Thoracic spine MRI", "T-065", {"body_parts": ["thoracic spine"]}),
    (
        "MRI of the right shoulder, no contrast",
        "T-068",
        {"laterality": "right", "body_parts": ["shoulder"]},
    ),
    ("MR arthrogram of the left shoulder", "T-068", {"laterality": "left"}),
    ("MRI of the left knee", "T-069", {"laterality": "left", "body_parts": ["knee"]}),
    ("X-rays of the right knee, 3 views", "T-069", {"laterality": "right"}),
    ("MRI right wrist", "OI-008", {"laterality": "right"}),
    ("MRI of the left ankle", "OI-008", {"laterality": "left"}),
    ("X-ray of the right hip", "OI-008", {}),
    ("Lumbar spine x-rays with flexion/extension views", "T-066", {}),
    ("X-rays of the cervical spine", "T-066", {}),
    ("CT scan of the lumbar spine", "T-067", {}),
    ("CT of the cervical spine without contrast", "T-067", {}),
    (
        "EMG/NCV bilateral lower limbs",
        "T-070",
        {"laterality": "bilateral", "body_parts": ["lower extremity"]},
    ),
    ("NCV of the right upper extremity", "T-070", {"laterality": "right"}),
    ("Electrodiagnostic studies of the upper extremities", "T-070", {}),
    ("Sleep study", "T-090", {}),
    ("MRI of the brain with and without contrast", "OI-012", {}),
    ("Right shoulder arthroscopy with subacromial decompression", "T-074", {"laterality": "right"}),
    ("Left knee arthroscopy with partial medial meniscectomy", "T-075", {"laterality": "left"}),
    ("L4-5 microdiscectomy", "T-071", {"levels": 1}),
    ("L4-S1 posterior lumbar interbody fusion", "T-072", {"levels": 2}),
    ("Right carpal tunnel release", "T-073", {"laterality": "right"}),
    (
        "Associated surgical service: Post-operative physical therapy 12 sessions",
        "T-036",
        {"sessions": 12, "qualifiers": ["postoperative"]},
    ),
    (
        "Associated surgical service: Cold therapy unit 7 day rental",
        "T-076",
        {"duration_days": 7, "setting": "rental"},
    ),
    ("Associated surgical service: Assistant surgeon", "OI-004", {}),
    ("Associated surgical service: Pre-operative medical clearance", "OI-001", {}),
    ("Associated surgical service: Pre-op labs: CBC, BMP", "OI-002", {}),
    ("Associated surgical service: Pre-operative EKG", "OI-010", {}),
    ("Associated surgical service: Inpatient stay x 2 days", "OI-007", {"duration_days": 2}),
    ("Associated surgical service: Physical therapy 2x6", "T-036", {"sessions": 12}),
    ("Associated surgical service: Front wheeled walker", "T-088", {}),
    ("Associated surgical service: Continuous passive motion machine 21 day rental", None, {}),
    ("Preoperative chest x-ray", "OI-015", {}),
    ("Pre-op CBC, CMP, PT/PTT", "OI-002", {}),
    ("Skilled nursing facility stay x 7 days", "OI-006", {"duration_days": 7}),
    (
        "Retrospective request for urine drug screen (DOS 5/12/2016)",
        "T-005",
        {"retrospective": True, "date_of_service": date(2016, 5, 12)},
    ),
    (
        "Retrospective: Norco 10/325mg #60 (DOS: 02/03/2016)",
        "T-001",
        {"retrospective": True, "date_of_service": date(2016, 2, 3), "quantity": 60},
    ),
    (
        "Retrospective request for TENS unit purchase DOS 7/1/16",
        "T-045",
        {"retrospective": True, "date_of_service": date(2016, 7, 1), "setting": "purchase"},
    ),
    (
        "Retrospective Terocin patches #30 dispensed on 8/15/2016",
        "T-024",
        {"retrospective": True, "quantity": 30},
    ),
    ("Retro UDS 4/5/2016", "T-005", {"retrospective": True, "date_of_service": date(2016, 4, 5)}),
    (
        "Date of service 6/10/2016: Toradol 60mg injection",
        "T-013",
        {"retrospective": True, "date_of_service": date(2016, 6, 10)},
    ),
    ("Ketamine infusion x 5 days", "T-033", {"duration_days": 5, "form": "parenteral"}),
    ("Gabapentin 300mg #90", "T-017", {"form": "oral"}),
    ("Tens unit with supplies, purchase", "T-045", {"setting": "purchase"}),
    (
        "Norco 10/325mg 2 tabs TID prn #180",
        "T-001",
        {"units_per_dose": 2, "doses_per_day": 3, "quantity": 180},
    ),
    (
        "Norco 10/325mg, take 1-2 tablets every 6 hours as needed, #120",
        "T-001",
        {"units_per_dose": 2, "doses_per_day": 4, "quantity": 120},
    ),
    ("Tramadol 50mg 1 tab PO q 8 hrs #90", "T-006", {"doses_per_day": 3, "quantity": 90}),
    (
        "Tramadol 50mg one tablet every eight hours #90",
        "T-006",
        {"doses_per_day": 3, "quantity": 90, "units_per_dose": 1},
    ),
    ("Oxycodone 10mg 1 tab every 4 hours #180", "T-001", {"doses_per_day": 6, "quantity": 180}),
    (
        "Naproxen 550mg one tablet twice a day, quantity 60",
        "T-013",
        {"doses_per_day": 2, "quantity": 60, "units_per_dose": 1},
    ),
    (
        "Cyclobenzaprine 10mg 1 tab three times per day #90",
        "T-015",
        {"doses_per_day": 3, "quantity": 90},
    ),
    (
        "Gabapentin 300mg 1 cap 3 times daily #90 x 2 refills",
        "T-017",
        {"doses_per_day": 3, "refills": 2, "quantity": 90},
    ),
    ("Omeprazole 20mg once daily #30, 3 refills", "T-014", {"doses_per_day": 1, "refills": 3}),
    ("Meloxicam 15mg qd #30", "T-013", {"doses_per_day": 1}),
    ("Zolpidem 10mg nightly as needed #30", "T-023", {"doses_per_day": 1}),
    (
        "Tizanidine 4mg 1 tab PO at bedtime #30, 30 day supply",
        "T-015",
        {"doses_per_day": 1, "day_supply": 30},
    ),
    ("Hydrocodone/APAP 10/325mg #60 for 30 days", "T-001", {"quantity": 60, "duration_days": 30}),
    ("Norco 10/325mg #90, 1 month supply", "T-001", {"day_supply": 30}),
    ("Tramadol ER 100mg #30 (one month supply)", "T-006", {"day_supply": 30}),
    ("One month supply of Lyrica 75mg", "T-018", {"day_supply": 30}),
    ("Ultram 50mg #60 x 1 refill", "T-006", {"refills": 1, "quantity": 60}),
    ("Percocet 10/325mg #120 with no refills", "T-001", {"quantity": 120}),
    ("Lidoderm 5% patches, apply 1 patch 12 hours on/12 hours off, #30", "T-025", {"quantity": 30}),
    ("Flector 1.3% patch 1 patch twice a day #60", "T-026", {"doses_per_day": 2, "quantity": 60}),
    ("Duragesic 50mcg/hr patch, change every 72 hours, #10", "T-007", {"quantity": 10}),
    (
        "Physical therapy 2 visits per week x 4 weeks",
        "T-034",
        {"frequency_per_week": 2, "duration_weeks": 4, "sessions": 8},
    ),
    (
        "Physical therapy 3 sessions per week for 2 weeks",
        "T-034",
        {"frequency_per_week": 3, "sessions": 6},
    ),
    ("PT 2 times per week times 6 weeks for the cervical spine", "T-034", {"sessions": 12}),
    (
        "Physical therapy (2x4) lumbar spine",
        "T-034",
        {"frequency_per_week": 2, "duration_weeks": 4, "sessions": 8},
    ),
    ("Physical therapy, 2 times a week for 3 weeks, 6 sessions total", "T-034", {"sessions": 6}),
    ("Physical therapy once a week for 6 weeks", "T-034", {"frequency_per_week": 1, "sessions": 6}),
    (
        "Physical therapy 1 visit per week for 4 weeks",
        "T-034",
        {"frequency_per_week": 1, "sessions": 4},
    ),
    ("Acupuncture 1 time a week x 6 weeks", "T-038", {"frequency_per_week": 1, "sessions": 6}),
    ("Acupuncture 1x6", "T-038", {"frequency_per_week": 1, "duration_weeks": 6, "sessions": 6}),
    ("Acupuncture sessions #8", "T-038", {"sessions": 8}),
    ("Acupuncture treatments: 6", "T-038", {"sessions": 6}),
    (
        "Chiropractic 2 treatments per week for 4 weeks",
        "T-037",
        {"frequency_per_week": 2, "sessions": 8},
    ),
    ("Chiropractic therapy 4 sessions", "T-037", {"sessions": 4}),
    (
        "Chiropractic treatment, 2 times per week for 3 weeks, lumbar spine",
        "T-037",
        {"sessions": 6},
    ),
    ("Massage therapy 1 x week x 4 weeks", "T-039", {"frequency_per_week": 1, "sessions": 4}),
    ("Psychotherapy sessions x 6", "T-050", {"sessions": 6}),
    ("CBT 1 session per week for 6 weeks", "T-050", {"frequency_per_week": 1, "sessions": 6}),
    (
        "Home health aide 4 hrs/day, 3 days/week x 4 weeks",
        "T-078",
        {"hours_per_day": 4, "duration_weeks": 4},
    ),
    ("Home health care 24 hours per day", "T-078", {"hours_per_day": 24}),
    (
        "Home health services 4 hours a day 5 days a week for 8 weeks",
        "T-078",
        {"hours_per_day": 4, "duration_weeks": 8},
    ),
    ("Functional restoration program, 6 weeks (30 days)", "T-043", {"duration_weeks": 6}),
    (
        "Functional restoration program 2 weeks, 5 days a week, 6 hours a day",
        "T-043",
        {"duration_weeks": 2, "hours_per_day": 6},
    ),
    ("Functional restoration program x 10 sessions", "T-043", {"sessions": 10}),
    ("Work conditioning 12 visits", "T-042", {"sessions": 12}),
    ("Follow-up visit in 4 weeks", "T-082", {}),
    ("Follow up visits x4", "T-082", {"sessions": 4}),
    ("Office visits, 3", "T-082", {"sessions": 3}),
    ("Spine surgeon consultation and treatment", "T-081", {}),
    ("Consultation with a pain management specialist", "T-081", {}),
    ("Referral to orthopedic surgeon for the left shoulder", "T-081", {"laterality": "left"}),
    ("TENS unit for 30 days", "T-045", {"duration_days": 30}),
    ("TENS unit, 1 month home-based trial", "T-045", {"duration_days": 30}),
    ("Purchase of TENS unit with 3 months of supplies", "T-045", {"setting": "purchase"}),
    ("Cold therapy unit for 7 days post-op", "T-076", {"duration_days": 7}),
    ("Interferential unit 60 day rental", "T-047", {"duration_days": 60, "setting": "rental"}),
    ("Knee scooter rental x 4 weeks", "T-088", {"duration_days": 28, "setting": "rental"}),
    ("Cervical collar", "T-077", {}),
    ("Wrist splint for the right wrist", "T-077", {"laterality": "right"}),
    (
        "Retrospective Norco 10/325mg #60 dispensed 1/5/2016",
        "T-001",
        {"retrospective": True, "date_of_service": date(2016, 1, 5)},
    ),
    (
        "Retrospective urine drug screen performed on 01/15/2016",
        "T-005",
        {"date_of_service": date(2016, 1, 15)},
    ),
    (
        "Retrospective request: Ketorolac 60mg IM (DOS 3/3/16)",
        "T-013",
        {"date_of_service": date(2016, 3, 3), "route": "intramuscular"},
    ),
    (
        "Retrospective 12 lead EKG (date of service 2/2/2016)",
        "OI-003",
        {"date_of_service": date(2016, 2, 2)},
    ),
    (
        "Retrospective Lidocaine 5% patch #30 (DOS: 04/04/2016)",
        "T-025",
        {"date_of_service": date(2016, 4, 4)},
    ),
    ("Bilateral L5-S1 TFESI x 2", "T-052", {"levels": 1, "sessions": 2}),
    ("Lumbar ESI at L4-5 and L5-S1, bilateral", "T-052", {"levels": 2, "laterality": "bilateral"}),
    (
        "C5-C6 cervical epidural steroid injection",
        "T-052",
        {"levels": 1, "body_parts": ["cervical spine"]},
    ),
    ("Left L3, L4, L5 medial branch blocks", "T-053", {"laterality": "left"}),
    (
        "Bilateral lumbar facet injections at L4-5 and L5-S1",
        "T-053",
        {"levels": 2, "laterality": "bilateral"},
    ),
    ("Trigger point injection x 1", "T-055", {"sessions": 1}),
    ("Trigger point injections times 4 to the cervical paraspinals", "T-055", {"sessions": 4}),
    ("Vicoprofen 7.5/200mg, 1 tab q6h, #120", "T-001", {"quantity": 120, "doses_per_day": 4}),
    ("Hydrocodone/ibuprofen 7.5/200mg #60", "T-001", {"quantity": 60}),
    ("Tylenol No. 3 #60", "T-001", {"quantity": 60}),
    ("Fioricet #30", None, {}),
    ("Viagra 50mg #10", None, {}),
    ("EKG and chest x-ray", "OI-003", {}),
    ("Physical therapy evaluation and treatment 2x6", "T-034", {"sessions": 12}),
    ("Physical therapy 2 x per week x 6 weeks", "T-034", {"frequency_per_week": 2, "sessions": 12}),
    (
        "Physical therapy two to three times a week for four weeks",
        "T-034",
        {"frequency_per_week": 3, "sessions": 12},
    ),
    (
        "Physical therapy 3x a week for 4 wks",
        "T-034",
        {"frequency_per_week": 3, "duration_weeks": 4, "sessions": 12},
    ),
    ("Physical therapy 8 visits (2x4)", "T-034", {"sessions": 8}),
    (
        "Eight physical therapy visits to the left shoulder",
        "T-034",
        {"sessions": 8, "laterality": "left"},
    ),
    ("Physical therapy for 12 sessions to the lumbar spine", "T-034", {"sessions": 12}),
    ("Occupational therapy x12 visits for the right hand", "T-034", {"sessions": 12}),
    (
        "Additional acupuncture 2 times a week for 3 weeks for the neck",
        "T-038",
        {"sessions": 6, "additional": True},
    ),
    ("Acupuncture with electrical stimulation 2x3", "T-038", {"sessions": 6}),
    (
        "Chiropractic visits 1-2 times per week for 6 weeks",
        "T-037",
        {"frequency_per_week": 2, "sessions": 12},
    ),
    ("Cognitive behavioral therapy, 10 sessions", "T-050", {"sessions": 10}),
    (
        "Psychological evaluation prior to spinal cord stimulator trial",
        "T-049",
        {"concepts": ["T-049"]},
    ),
    ("Medical clearance prior to lumbar fusion", "OI-001", {}),
    ("Physical therapy following right knee arthroscopy 12 sessions", "T-036", {"sessions": 12}),
    ("Post-op PT 2x6 for the left shoulder", "T-036", {"sessions": 12}),
    ("Associated surgical service: 12 post-op physical therapy visits", "T-036", {"sessions": 12}),
    ("Associated surgical service: DME: front wheel walker", "T-088", {}),
    (
        "Associated surgical service: Polar care unit 21 day rental",
        "T-076",
        {"duration_days": 21, "setting": "rental"},
    ),
    ("Associated surgical service: Shoulder sling", "T-077", {}),
    ("Associated surgical service: Post-operative Norco 10/325mg #60", "T-001", {"quantity": 60}),
    ("Associated surgical service: Keflex 500mg #20", None, {}),
    ("Associated surgical service: 1 day inpatient stay", "OI-007", {"duration_days": 1}),
    (
        "Lumbar fusion L4-L5 with 2 day inpatient stay",
        "T-072",
        {"concepts": ["T-072", "OI-007"], "levels": 1},
    ),
    ("Consult and EKG", "T-081", {"concepts": ["T-081", "OI-003"]}),
    (
        "Orthopedic consultation and X-rays of the right knee",
        "T-081",
        {"concepts": ["T-081", "T-069"]},
    ),
    (
        "Physical therapy plus acupuncture, 6 sessions each",
        "T-034",
        {"concepts": ["T-034", "T-038"]},
    ),
    (
        "Home health aide 6 hrs/day x 7 days/week x 4 weeks",
        "T-078",
        {"hours_per_day": 6, "duration_weeks": 4},
    ),
    ("Caregiver 8 hours a day, 7 days a week", "T-078", {"hours_per_day": 8}),
    ("Home care assistance 3 hours per day 3 days a week", "T-078", {"hours_per_day": 3}),
    ("Functional restoration program for 4 weeks, 5 days per week", "T-043", {"duration_weeks": 4}),
    ("Functional restoration program, 80 hours", "T-043", {"hours_total": 80}),
    ("Work hardening 2 weeks", "T-042", {"duration_weeks": 2}),
    ("MRI of the lumbar spine with and without contrast", "T-064", {}),
    ("MRI lumbar spine w/o contrast", "T-064", {}),
    ("Repeat MRI of the cervical spine", "T-065", {"additional": True}),
    ("Bilateral knee MRI", "T-069", {"laterality": "bilateral"}),
    ("Left shoulder MRI arthrogram", "T-068", {"laterality": "left"}),
    ("X-ray of the bilateral hands", "OI-008", {"laterality": "bilateral"}),
    ("EMG/NCS bilateral lower extremities", "T-070", {"laterality": "bilateral"}),
    ("EMG of the right lower extremity", "T-070", {"laterality": "right"}),
    ("Urine drug testing 4 times a year", "T-005", {}),
    ("Quantitative urine drug screen", "T-005", {}),
    ("Lidocaine 5% patch, 1 patch daily, #30", "T-025", {"doses_per_day": 1, "quantity": 30}),
    ("Ketoprofen 20% cream 120g", "T-026", {"amount": "120 g"}),
    ("Flurbiprofen 20% cream 120gm", "T-026", {"amount": "120 g"}),
    ("Tramadol 8%/Gabapentin 10%/Lidocaine 5% cream", "T-024", {"compound": True}),
    ("Topical analgesic cream: Ketoprofen 10%", "T-026", {"compound": False}),
    ("Capsaicin 0.025% topical cream 60g", "T-027", {"compound": False}),
    ("CM2 cream with ketoprofen", "T-024", {"compound": True}),
    ("Oxycodone/APAP 10/325mg #90", "T-001", {"quantity": 90}),
    ("Nucynta 50mg 1 tab q4-6h prn #120", "T-007", {"doses_per_day": 6, "quantity": 120}),
    ("Norco 10/325mg 1 tab q4-6h prn, max 4 per day, #120", "T-001", {"quantity": 120}),
    ("Hydrocodone 10/325mg up to 3 per day #90", "T-001", {"doses_per_day": 3, "quantity": 90}),
]


def _check(request: Any, primary: str | None, expected: dict[str, Any]) -> None:
    assert request.primary == primary
    for name, value in expected.items():
        if name == "concepts":
            separate = [c.entry_id for c in request.concepts if c.via != "context"]
            assert separate[: len(value)] == value
        elif name == "qualifiers":
            assert set(value) <= set(request.qualifiers)
        elif isinstance(value, list):
            assert sorted(getattr(request, name)) == sorted(value), name
        elif isinstance(value, float | int) and not isinstance(value, bool):
            got = getattr(request, name)
            assert got is not None and abs(float(got) - value) < 1e-6, (name, got)
        else:
            got = getattr(request, name)
            assert (got.value if hasattr(got, "value") else got) == value, name


@pytest.mark.parametrize(("text", "primary", "expected"), PROBES, ids=[p[0][:60] for p in PROBES])
def test_probe(kb: KnowledgeBase, text: str, primary: str | None, expected: dict[str, Any]) -> None:
    _check(normalize_request(text, kb), primary, expected)


# --------------------------------------------------------------------------- fixed wordings


@pytest.mark.parametrize(
    ("text", "primary", "quantity"),
    [
        ("Tylenol #3 #40", "T-001", 40),
        ("Tylenol with codeine #4, 1 tab q6h, #28", "T-001", 28),
        ("Tylenol No. 3 #50", "T-001", 50),
        ("Norco 10/325mg #45", "T-001", 45),  # look-alikes: plain counts stay
        ("Tylenol #100", "T-012", 100),
    ],
)
def test_the_product_number_of_tylenol_with_codeine_is_not_the_quantity(
    kb: KnowledgeBase, text: str, primary: str, quantity: int
) -> None:
    request = normalize_request(text, kb)
    assert (request.primary, request.quantity) == (primary, quantity)


@pytest.mark.parametrize(
    ("text", "quantity", "units"),
    [
        ("Naproxen 500mg one tablet twice a day, quantity 50", 50, 1),
        ("Oxycodone 5mg 1 tab every 4 hours", None, 1),
        ("Ibuprofen 600mg 90 tablets", 90, None),  # look-alike: a dispensed count
        ("Ketamine 5% 60gr (2 tubes)", 2, None),
    ],
)
def test_the_tablets_of_one_dose_are_not_the_quantity(
    kb: KnowledgeBase, text: str, quantity: int | None, units: int | None
) -> None:
    request = normalize_request(text, kb)
    assert (request.quantity, request.units_per_dose) == (quantity, units)


@pytest.mark.parametrize(
    ("text", "refills"),
    [
        ("Tramadol 50mg 1 PO TID #75 refills: 0", 0),
        ("Tramadol 50mg #75 refills: 2", 2),
        ("Tramadol 50mg #75, 1 refill", 1),
        ("Tramadol 50mg #75 x 3 refills", 3),
    ],
)
def test_refills_are_not_read_from_the_quantity_before_them(
    kb: KnowledgeBase, text: str, refills: int
) -> None:
    request = normalize_request(text, kb)
    assert (request.refills, request.quantity) == (refills, 75)


@pytest.mark.parametrize(
    ("text", "per_day"),
    [
        ("Meloxicam 7.5mg daily #30", 1),
        ("Sertraline 50mg, 1 tablet daily, #30", 1),
        ("Tramadol 50mg 1 tab PO q 8 hrs #60", 3),
        ("Tramadol 50mg one tablet every eight hours #60", 3),
        ("Oxycodone 5mg 1 tab every 4 hours #84", 6),
        ("Nucynta 50mg 1 tab q4-6h prn #84", 6),  # a range: the most doses a day
        ("Hydrocodone 5/325mg up to 3 per day #60", 3),
        ("Fentanyl 25mcg/hr patch every 72 hours #10", 0.33),
        ("Meloxicam 7.5mg twice daily #60", 2),  # look-alikes: longer phrases win
        ("Meloxicam 7.5mg 3 times daily #90", 3),
        ("Gabapentin 300mg 1 cap 1 time a day #30", 1),
    ],
)
def test_doses_a_day_from_daily_intervals_and_counts(
    kb: KnowledgeBase, text: str, per_day: float
) -> None:
    assert normalize_request(text, kb).doses_per_day == pytest.approx(per_day, abs=0.01)


@pytest.mark.parametrize(
    "text", ["Home health aide 6 hours per day for 4 weeks", "Cold therapy unit 7 days"]
)
def test_hours_and_bare_days_are_not_dose_intervals(kb: KnowledgeBase, text: str) -> None:
    assert normalize_request(text, kb).doses_per_day is None


@pytest.mark.parametrize(
    ("text", "per_week", "sessions"),
    [
        ("Acupuncture 1 time per week for 5 weeks", 1, 5),
        ("Physical therapy 1 visit per week for 3 weeks", 1, 3),
        ("CBT 1 session per week for 8 weeks", 1, 8),
        ("Chiropractic 2 treatments per week for 3 weeks", 2, 6),
        ("Physical therapy 2 visits per week x 5 weeks", 2, 10),
        ("Physical therapy 3 sessions per week for 3 weeks", 3, 9),
        ("Chiropractic treatment 2 times a week for 4 weeks", 2, 8),
        ("Chiropractic treatment, 3 times per week for 2 weeks, neck", 3, 6),
        # look-alikes: a stated total still wins over the product
        ("Physical therapy 6 sessions 2 times a week for 4 weeks", 2, 6),
        ("Physical therapy, 2 times a week for 4 weeks, 6 sessions total", 2, 6),
    ],
)
def test_a_weekly_rate_is_not_a_session_count(
    kb: KnowledgeBase, text: str, per_week: int, sessions: int
) -> None:
    request = normalize_request(text, kb)
    assert (request.frequency_per_week, request.sessions) == (per_week, sessions)


@pytest.mark.parametrize(
    ("text", "sessions"),
    [
        ("Physical therapy (10) for the right ankle", 10),
        ("Acupuncture (6)", 6),
        ("Acupuncture treatments: 4", 4),
        ("Ten (10) physical therapy sessions", 10),  # look-alike: the written number
        ("One (1) x-ray of the cervical spine", None),  # a counted study, not sessions
        ("Physical therapy (2x3) for the neck", 6),
    ],
)
def test_a_bare_count_in_parentheses_or_after_a_colon_is_the_sessions(
    kb: KnowledgeBase, text: str, sessions: int | None
) -> None:
    assert normalize_request(text, kb).sessions == sessions


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("H-wave unit 30-day home trial", 30),
        ("TENS unit, 1 month home-based trial", 30),
        ("Associated surgical service: 2 day inpatient stay", 2),
        ("Functional restoration program, 4 weeks (20 days)", 28),
        ("Home health aide 4 hrs/day x 5 days/week x 3 weeks", 21),
        ("Home health aide 4 hours per day, 5 days per week for 3 weeks", 21),
        ("Home health aide 4 hours a day for 5 days a week", None),  # a weekly rate only
    ],
)
def test_course_length_wordings(kb: KnowledgeBase, text: str, days: int | None) -> None:
    assert normalize_request(text, kb).duration_days == days


@pytest.mark.parametrize(
    ("text", "dos"),
    [
        ("Retrospective Norco 5/325mg #30 dispensed 2/9/2016", date(2016, 2, 9)),
        ("Retro: Ketorolac 30mg IM injection provided on 5/6/2016", date(2016, 5, 6)),
        ("Retrospective UDS performed on 07/21/2016", date(2016, 7, 21)),
        ("Retrospective urine drug screen (DOS: 8/1/16)", date(2016, 8, 1)),
    ],
)
def test_date_of_service_after_a_dispensing_word(kb: KnowledgeBase, text: str, dos: date) -> None:
    request = normalize_request(text, kb)
    assert request.retrospective and request.date_of_service == dos


@pytest.mark.parametrize(
    "text",
    [
        "Vicoprofen 7.5/200mg #45",
        "Hydrocodone/ibuprofen 7.5/200mg #45",
        "Tylenol No. 3 #45",
    ],
)
def test_hydrocodone_and_codeine_combinations_are_short_acting_opioids(
    kb: KnowledgeBase, text: str
) -> None:
    assert normalize_request(text, kb).primary == "T-001"


@pytest.mark.parametrize(
    ("text", "primary", "compound"),
    [
        ("Gabapentin 10% topical cream 60g", "T-029", False),
        ("Ketoprofen 20% topical cream", "T-026", False),
        ("Lidocaine 5% topical cream", "T-025", False),
        ("Topical cream: ketoprofen 10%", "T-026", False),
        # look-alikes: two ingredients, an ingredient list name, a compound word
        ("Ketoprofen 10%/Lidocaine 5% topical cream", "T-024", True),
        ("Keto/Lido/Gaba cream", "T-024", True),
        ("Compounded cream with gabapentin 10%", "T-024", True),
        ("Topical analgesic cream", "T-024", False),
    ],
)
def test_a_general_topical_name_is_the_vehicle_of_one_drug(
    kb: KnowledgeBase, text: str, primary: str, compound: bool
) -> None:
    request = normalize_request(text, kb)
    assert (request.primary, request.compound) == (primary, compound)


@pytest.mark.parametrize(
    ("text", "primary", "qualifier"),
    [
        ("Physical therapy following left knee arthroscopy, 10 sessions", "T-036", "postoperative"),
        ("Physical therapy after carpal tunnel release 8 visits", "T-036", "postoperative"),
        ("Physical therapy prior to knee arthroscopy", "T-034", "preoperative"),
        ("CBC and CMP prior to lumbar fusion", "OI-002", "preoperative"),
    ],
)
def test_a_surgery_named_as_context_times_the_request(
    kb: KnowledgeBase, text: str, primary: str, qualifier: str
) -> None:
    request = normalize_request(text, kb)
    assert request.primary == primary and qualifier in request.qualifiers


@pytest.mark.parametrize(
    "text",
    [
        "Physical therapy following a flare-up of back pain, 6 sessions",
        "Physical therapy and knee arthroscopy",  # two requests, not a timing
    ],
)
def test_no_surgery_named_as_context_leaves_therapy_unqualified(
    kb: KnowledgeBase, text: str
) -> None:
    request = normalize_request(text, kb)
    assert request.primary == "T-034" and "postoperative" not in request.qualifiers


@pytest.mark.parametrize(
    ("text", "primary"),
    [
        ("DME: front wheeled walker", "T-088"),
        ("Associated surgical service: DME: shoulder sling", "T-077"),
        ("Associated surgical service: DME", "OI-005"),  # the label alone stays
    ],
)
def test_a_dme_label_before_a_colon_introduces_the_item(
    kb: KnowledgeBase, text: str, primary: str
) -> None:
    assert normalize_request(text, kb).primary == primary
