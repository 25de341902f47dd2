"""Conformance of the engine with guidelines.md sections 5.C (topicals), 5.D (physical
medicine), 5.E (electrical stimulation), 5.F (behavioral health) and 5.L (other modalities).

Each case is an invented clinical summary (no real patient, no letter text) with one disputed
item and the decision the domain file's criteria clearly imply. The engine must reach that
decision through the named criterion, limit, rule or guideline status, so a case that starts
passing for the wrong reason fails too.
"""

from __future__ import annotations

from datetime import date

import pytest

from openimr.clinical import extract_facts
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.model.determination import Decision
from openimr.review.decide import decide_item
from openimr.review.model import DecidedItem

ON = date(2016, 12, 15)  # era E2

PT_NO_GAIN = (
    "The injured worker is a 51 year old male warehouse loader who sustained an industrial "
    "injury on 03-14-2015 while lifting a pallet. He is being treated for chronic lumbar "
    "strain and lumbar myofascial pain. Treatment to date has included medications, 18 "
    "sessions of physical therapy and a home exercise program. On 11-17-2016 he reported "
    "low back pain rated 7 out of 10, unchanged from before the therapy. The treating "
    "physician noted that the therapy gave no lasting benefit and that his function had not "
    "changed. He remains on temporary total disability. Exam showed paraspinal tenderness "
    "and reduced lumbar flexion. A request for authorization dated 11-21-2016 asked for "
    "additional physical therapy twice a week for four weeks for the lumbar spine. "
    "Utilization review non-certified the request on 11-30-2016."
)

PT_24_PRIOR = (
    "Patient is a 57-year-old male maintenance worker, DOI 10/02/2014, with a chronic "
    "lumbosacral strain. He has had 24 visits of PT to date, most recently in the summer of "
    "2016, without significant improvement; he still reports 7/10 pain and cannot return to "
    "his usual job. He remains TTD. On 11/30/2016 the PTP requested PT x12 for the low "
    "back. UR denied the request 12/07/2016."
)

PT_SILENT_RENEWAL = (
    "The injured worker is a 34 year old female line cook injured 06-21-2016. Diagnoses: "
    "right wrist sprain and right wrist tendinitis. She completed 8 sessions of "
    "occupational therapy for the wrist. The progress note of 11-18-2016 records wrist pain "
    "of 4/10 and tenderness over the first dorsal compartment; it does not comment on the "
    "results of the therapy. She works regular duty. Requested on 11-18-2016: occupational "
    "therapy 2x3 for the right wrist."
)

PT_NEW_NECK = (
    "This 39 year old female office assistant reported an industrial injury on 04-02-2016 "
    "from repetitive keyboard work. Her diagnoses are cervical myofascial pain and cervical "
    "strain. Treatment so far has been limited to ibuprofen and activity modification; she "
    "has not had physical therapy for this injury. At the 11-08-2016 visit she described "
    "neck pain of 5/10 with stiffness when turning her head to drive. Exam revealed "
    "trapezius tenderness and cervical rotation limited to 60 degrees. She is working "
    "modified duty. The plan was a course of physical therapy focused on active stretching "
    "and strengthening, with instruction in a home exercise program. The RFA of 11-10-2016 "
    "requested physical therapy 2x3 for the cervical spine, which UR denied on 11-18-2016."
)

PT_TWELVE_NEW = (
    "The patient is a 47 year old man, a delivery driver, injured on 02-20-2016 when he "
    "slipped from a truck step. He carries a diagnosis of chronic low back pain with lumbar "
    "myalgia. To date he has been managed with naproxen and cyclobenzaprine and a back "
    "brace; no formal therapy has been given. On 11-29-2016 he rated his pain 6/10 and "
    "could stand for about 20 minutes. Lumbar range of motion was reduced with spasm. Work "
    "status: modified duty. The physician requested physical therapy 2 times a week for 6 "
    "weeks (12 visits) for the lumbar spine. UR non-certified this on 12-06-2016."
)

PT_WITH_GAIN = (
    "The injured worker is a 44 year old female hotel housekeeper with an industrial injury "
    "dated 05-11-2016. Diagnoses are right shoulder impingement and right shoulder strain. "
    "She completed 6 physical therapy visits in October and November 2016. The progress "
    "report of 11-28-2016 documents objective functional improvement from that therapy: "
    "shoulder flexion improved from 110 to 150 degrees, she can now lift 15 pounds to "
    "shoulder height compared with 5 pounds before, and she was returned from temporary "
    "total disability to modified duty. She uses less ibuprofen. She continues her home "
    "exercises daily; remaining deficits are overhead reach and lifting strength, which the "
    "next visits will target. Requested: physical therapy 2x2 for the right shoulder (4 "
    "visits). UR modified the request on 12-05-2016."
)

POSTOP_RCR_HAD = (
    "A 56 year old male electrician sustained an industrial injury to the left shoulder on "
    "01-06-2016. An MRI showed a full-thickness supraspinatus tear, and on 10-24-2016 he "
    "had an arthroscopic rotator cuff repair of the left shoulder. He has not yet started "
    "post-operative therapy. On 11-14-2016 the surgeon noted the incisions were healed and "
    "passive forward flexion reached 90 degrees. He is on temporary total disability. The "
    "surgeon requested post-operative physical therapy 12 sessions for the left shoulder, 2 "
    "times a week for 6 weeks. UR denied the request on 11-22-2016."
)

POSTOP_DISC_HAD = (
    "This 42 year old female certified nursing assistant injured her low back on 07-19-2015 "
    "transferring a patient. On 11-07-2016 she had a right L5-S1 microdiscectomy for a "
    "herniated disc with right S1 radiculopathy. As of the 11-21-2016 post-operative visit, "
    "her leg pain had resolved and no post-operative therapy had been given yet. The "
    "surgeon requested post-operative physical therapy 16 sessions for the lumbar spine. "
    "Utilization review on 11-30-2016 modified the request to 8 sessions; the 16 sessions "
    "requested are in dispute."
)

CHIRO_TRIAL = (
    "The injured worker is a 35 year old man employed as a landscaper, injured on "
    "06-03-2016 while pulling a mower. He is diagnosed with chronic low back pain due to "
    "lumbar sprain/strain. He has taken naproxen and done a home exercise program given by "
    "his physician, which he performs daily. He has had no chiropractic treatment. On "
    "11-15-2016 he reported 5/10 low back pain, worse with bending, and lumbar flexion was "
    "limited with paraspinal spasm. He is working full duty with some difficulty. The "
    "request was for chiropractic treatment 6 visits for the lumbar spine, 2 times a week "
    "for 3 weeks. UR non-certified the request on 11-28-2016."
)

CHIRO_WITH_GAIN = (
    "The injured worker is a 42 year old male roofer injured on 05-17-2016, diagnosed with "
    "lumbar sprain/strain and chronic low back pain. After a trial of 6 chiropractic visits "
    "he improved objectively: his Oswestry score fell from 46% to 28%, lumbar flexion "
    "increased from 40 to 70 degrees, and he went back to work with restrictions instead of "
    "being off work. He does his home exercises daily. On 11-21-2016 the chiropractor "
    "requested 6 more visits (1x6) for the lumbar spine. UR non-certified the request on "
    "11-30-2016."
)

CHIRO_KNEE = (
    "The patient is a 58 year old female school custodian who twisted her left knee at work "
    "on 08-30-2015. She has a diagnosis of left knee sprain with medial meniscus "
    "degeneration. She has had physical therapy and cortisone injection. On 11-02-2016 she "
    "reported ongoing medial knee pain of 6/10. The provider requested chiropractic "
    "manipulation of the left knee, 6 visits. The request was denied by UR on 11-12-2016."
)

CHIRO_NO_GAIN = (
    "This 49 year old man, a carpenter, was injured on 09-15-2015. He is treated for lumbar "
    "disc degeneration and chronic lumbar strain. He has received 12 chiropractic "
    "treatments since March 2016. Notes from those visits record temporary relief lasting a "
    "day or two, but there is no documented change in his ability to lift, sit or work and "
    "his pain ratings have stayed between 6 and 7 out of 10. He remains off work on "
    "temporary total disability. On 11-18-2016 the chiropractor requested 6 additional "
    "chiropractic visits for the lumbar spine, which utilization review denied."
)

CHIRO_MAINT = (
    "A 53 year old female bus driver with an industrial injury of 10-10-2014 has chronic "
    "low back pain from a lumbar strain. She completed a course of chiropractic care and "
    "physical therapy in 2015, returned to full duty, and now reports stable pain of 3/10. "
    "On 11-09-2016 her chiropractor requested maintenance chiropractic care once a month "
    "for 6 months for the lumbar spine to prevent recurrence. UR non-certified."
)

ACU_TRIAL = (
    "The injured worker is a 41 year old female cashier who was injured on 03-28-2016. Her "
    "diagnoses include chronic neck pain and cervical strain. She stopped naproxen because "
    "of stomach upset and cannot tolerate NSAIDs. She completed physical therapy earlier "
    "this year and continues a home exercise program. No acupuncture has been given. On "
    "11-16-2016 pain was 6/10 with limited cervical rotation. She works modified duty. "
    "Requested: acupuncture 6 sessions for the cervical spine, 2 times a week for 3 weeks, "
    "as an adjunct to her exercise program. UR denied on 11-25-2016."
)

ACU_WITH_GAIN = (
    "The patient is a 48 year old female school bus driver with chronic low back pain after "
    "an injury on 12-12-2015. She finished an initial trial of 6 acupuncture treatments in "
    "October 2016. Since then she has cut her Norco from 4 tablets a day to 1, can sit for "
    "an hour instead of 20 minutes, and returned to modified duty; the treating doctor "
    "documents this as functional improvement from acupuncture. She continues daily home "
    "exercises. On 11-14-2016 six more acupuncture sessions (1-2 times a week) were "
    "requested for the lumbar spine. UR denied them on 11-23-2016."
)

ACU_TWELVE = (
    "This 50 year old male mechanic sustained an industrial back injury on 01-12-2016. He "
    "is diagnosed with lumbar sprain and lumbar myalgia. He has had physical therapy and "
    "takes meloxicam. He has not had acupuncture before. On 11-07-2016 he reported pain at "
    "5/10. The physician requested acupuncture 2 times a week for 6 weeks (12 sessions) for "
    "the low back. UR non-certified the request on 11-17-2016."
)

ACU_NO_GAIN = (
    "The patient is a 45 year old female bank teller with an industrial injury of "
    "02-02-2015 affecting the neck and right shoulder. Diagnoses are cervical strain and "
    "right shoulder strain. She has completed 12 acupuncture sessions during 2016. The "
    "progress report of 11-10-2016 states her pain remains 7/10, she still cannot lift her "
    "grandchild, and there has been no functional improvement with acupuncture. She is on "
    "temporary total disability. An additional 6 sessions of acupuncture were requested for "
    "the cervical spine; utilization review denied them on 11-21-2016."
)

MASSAGE_ADJ = (
    "A 37 year old male warehouse picker was injured on 04-20-2016. He is being treated for "
    "thoracolumbar myofascial pain with muscle spasm. He is currently attending physical "
    "therapy for active exercise and does a home exercise program. He has had no massage "
    "therapy. On 11-11-2016 exam showed palpable trigger points and spasm in the "
    "paraspinals. He works modified duty. The provider requested massage therapy 6 sessions "
    "for the thoracolumbar spine, once a week, as an adjunct to his exercise program. UR "
    "denied the request on 11-19-2016."
)

MASSAGE_TWELVE = (
    "The injured worker is a 60 year old female seamstress injured on 06-17-2015 with "
    "chronic neck and upper back myofascial pain. She performs a home exercise program. "
    "Massage therapy has not been tried. The 11-03-2016 report requested massage therapy 2 "
    "times a week for 6 weeks (12 sessions) for the neck. UR non-certified it."
)

MASSAGE_RENEWAL = (
    "The injured worker is a 50 year old female with chronic myofascial neck pain after an "
    "injury on 09-09-2015. She has had 6 massage therapy sessions; the notes say she feels "
    "looser for a day afterwards, with no change in function. She does a home exercise "
    "program. On 11-02-2016 six more massage sessions were requested. UR denied them on "
    "11-10-2016."
)

AQUA_OBESE = (
    "The patient is a 57 year old female cafeteria worker injured on 05-09-2016 when she "
    "fell on a wet floor. Diagnoses include severe bilateral knee osteoarthritis and morbid "
    "obesity with a BMI of 46. She was unable to tolerate land-based physical therapy "
    "because of knee pain with weight bearing. No aquatic therapy has been given. On "
    "11-14-2016 she could walk only one block. The physician requested aquatic therapy 6 "
    "sessions for both knees to allow reduced weight-bearing exercise. UR denied the "
    "request on 11-23-2016."
)

AQUA_NO_REASON = (
    "This 33 year old male forklift operator was injured on 07-07-2016 with a lumbar "
    "sprain/strain. He has normal body weight and has been doing land-based physical "
    "therapy without difficulty. On 11-22-2016 the provider requested aquatic therapy 6 "
    "sessions for the lumbar spine. UR denied it on 12-01-2016."
)

GYM = (
    "The injured worker is a 46 year old male truck driver with an industrial low back "
    "injury of 08-08-2015, diagnosed with chronic lumbar strain. He completed physical "
    "therapy and was taught a home exercise program, which he reports is helping. On "
    "11-04-2016 the provider requested a 6 month gym membership so that he can exercise on "
    "his own. UR non-certified the request on 11-14-2016."
)

WORK_HARDENING = (
    "A 55 year old female medical billing clerk sustained an industrial injury on "
    "01-15-2012. She has chronic neck and low back pain. She works a sedentary desk job. On "
    "11-01-2016 the provider requested a work hardening program 5 days a week for 4 weeks. "
    "UR denied the request on 11-10-2016."
)

FRP_FULL = (
    "The patient is a 52 year old male laborer injured on 04-04-2014 with chronic low back "
    "pain after a lumbar fusion in 2015. He has had physical therapy, epidural injections "
    "and opioid medication without lasting benefit. He is on temporary total disability and "
    "needs help with dressing. On 11-08-2016 the pain physician requested a functional "
    "restoration program, 160 hours over 4 weeks. UR non-certified the request on "
    "11-17-2016."
)

FCE_FULL_DUTY = (
    "This 40 year old male welder was injured on 02-18-2016 with a right wrist sprain. He "
    "completed therapy and returned to full duty without restrictions on 10-03-2016. On "
    "11-15-2016 the physician requested a functional capacity evaluation. UR denied the "
    "request on 11-22-2016."
)

FCE_GOOD = (
    "A 50 year old male heavy equipment operator injured on 03-03-2015 was declared "
    "permanent and stationary on 10-20-2016. He tried to return to his regular job twice in "
    "2016 and could not complete his shifts, and the treating physician and the agreed "
    "medical evaluator disagree on his lifting restrictions. On 11-14-2016 the physician "
    "requested a functional capacity evaluation to define his permanent work restrictions. "
    "UR denied the request on 11-22-2016."
)

TOPICAL_FLURBI = (
    "The injured worker is a 43 year old female packer with an industrial injury of "
    "02-11-2016. She is treated for lumbar strain and lumbar myofascial pain. Medications "
    "include ibuprofen. There is no diagnosis of neuropathic pain, and the records do not "
    "mention trials of antidepressants or anticonvulsants. On 11-09-2016 the physician "
    "prescribed a compounded topical cream for the low back. The RFA requested Flurbiprofen "
    "20%/Lidocaine 5% cream 180gm. UR non-certified on 11-18-2016."
)

TOPICAL_GABA = (
    "A 48 year old male plumber was injured on 10-01-2015. Diagnoses are cervical strain "
    "and right shoulder tendinitis. He takes naproxen. On 11-02-2016 the provider requested "
    "Gabapentin 10%/Cyclobenzaprine 2%/Capsaicin 0.025% cream 240gm for the neck and "
    "shoulder. UR non-certified it on 11-11-2016."
)

TEROCIN = (
    "The injured worker is a 44 year old male warehouse clerk with chronic low back pain "
    "and lumbar strain since an injury on 03-09-2016. He takes ibuprofen. On 11-07-2016 the "
    "provider requested Terocin lotion 120 ml for the low back. UR denied the request on "
    "11-15-2016."
)

LIDOPRO = (
    "A 53 year old female with chronic neck pain and cervical strain from an injury on "
    "09-29-2015 takes naproxen. On 11-03-2016 the physician dispensed LidoPro cream 121 g "
    "for the neck. The request for LidoPro cream is in dispute; UR denied it on 11-12-2016."
)

LIDODERM_OK = (
    "The patient is a 50 year old male roofer who fell from a ladder at work on 03-03-2016 "
    "and fractured two left ribs. The fractures healed, but he developed left intercostal "
    "neuralgia with burning pain and allodynia over a localized area of the left chest wall "
    "along the T7 dermatome. He tried gabapentin up to 1800 mg a day and then "
    "nortriptyline, both without benefit. On 11-10-2016 the physician requested Lidoderm 5% "
    "patch #30, one patch to the left chest wall 12 hours on and 12 hours off, for a "
    "one-month trial. He has not used lidocaine patches before. UR non-certified the "
    "request on 11-21-2016."
)

LIDODERM_AXIAL = (
    "The injured worker is a 60 year old female with axial low back pain and lumbar "
    "degenerative disc disease after an injury on 07-07-2014. She denies radiating pain, "
    "numbness or tingling, and the neurological exam is normal. She takes tramadol. On "
    "11-09-2016 the provider requested Lidoderm 5% patch #30 for the low back. UR denied "
    "the request on 11-18-2016."
)

VOLTAREN_KNEE = (
    "A 62 year old female grocery clerk injured her right knee at work on 04-18-2016. She "
    "is diagnosed with right knee osteoarthritis, confirmed on x-ray. Oral naproxen caused "
    "gastritis and was stopped. She has not used a topical NSAID. On 11-16-2016 she "
    "reported 6/10 knee pain with stair climbing. The physician requested Voltaren Gel 1% "
    "100 g, apply 4 g to the right knee four times a day, for 4 weeks. UR denied the "
    "request on 11-25-2016."
)

VOLTAREN_BACK = (
    "The injured worker is a 38 year old male stocker injured on 05-25-2016 with chronic "
    "low back pain and lumbar strain. He takes acetaminophen. On 11-21-2016 the provider "
    "requested Voltaren Gel 1% 100 g for the lumbar spine. UR denied it on 11-30-2016."
)

VOLTAREN_LONG = (
    "A 64 year old male with left knee osteoarthritis from an industrial injury on "
    "02-14-2015 has been using Voltaren gel 1% on the left knee daily since March 2016. The "
    "progress notes do not describe any change in pain or function from the gel. On "
    "11-15-2016 a refill of Voltaren gel 1% 100 g was requested. UR denied it on "
    "11-22-2016."
)

KETOPROFEN = (
    "This 39 year old male with left lateral epicondylitis from repetitive work injury on "
    "05-05-2016 has tried oral ibuprofen. The provider requested Ketoprofen 20% cream 120 g "
    "for the left elbow on 11-08-2016. UR non-certified it on 11-16-2016."
)

CAPSAICIN_025 = (
    "The injured worker is a 61 year old female with right knee osteoarthritis aggravated "
    "by an industrial injury on 03-15-2016. She did not respond to acetaminophen or to 8 "
    "visits of physical therapy, and oral NSAIDs caused gastritis. On 11-10-2016 the "
    "physician requested capsaicin 0.025% cream 60 g for the right knee. UR denied the "
    "request on 11-19-2016."
)

CAPSAICIN_0375 = (
    "This 54 year old female assembler has bilateral hand and wrist pain from an industrial "
    "injury of 09-09-2015, diagnosed as bilateral wrist tendinitis. She has tried ibuprofen "
    "and wrist splints. On 11-03-2016 the provider requested capsaicin 0.0375% cream 60 g "
    "for both wrists. UR non-certified on 11-12-2016."
)

KETAMINE_CREAM = (
    "A 45 year old male security guard was injured on 01-30-2016 with a lumbar strain. He "
    "has axial low back pain without radiating symptoms; sensation and reflexes are normal. "
    "He takes ibuprofen. On 11-07-2016 the provider requested Ketamine 10% cream 120 g for "
    "the low back. UR denied it on 11-16-2016."
)

THERAMINE = (
    "The patient is a 49 year old female food server with chronic low back pain since an "
    "industrial injury on 06-06-2015. She takes tramadol. On 11-14-2016 the physician "
    "requested Theramine #90 for pain. UR non-certified the request on 11-22-2016."
)

SENTRA = (
    "A 46 year old male with chronic low back pain and insomnia since an industrial injury "
    "on 01-11-2015 was prescribed Sentra PM #60 on 11-04-2016 for sleep. UR non-certified "
    "it on 11-14-2016."
)

GLUCOSAMINE = (
    "A 59 year old male groundskeeper has left knee osteoarthritis aggravated by an "
    "industrial injury on 02-02-2016. Pain is moderate, 5/10, with stiffness in the "
    "morning. He takes acetaminophen. On 11-08-2016 the physician requested glucosamine "
    "sulfate 1500 mg daily #30. UR denied the request on 11-18-2016."
)

GLUCOSAMINE_BACK = (
    "This 37 year old female has lumbar sprain/strain after lifting at work on 04-04-2016. "
    "There is no diagnosis of arthritis. On 11-16-2016 the provider requested glucosamine "
    "500 mg #90. UR denied the request on 11-23-2016."
)

KETAMINE_IV = (
    "The patient is a 43 year old female with complex regional pain syndrome of the right "
    "upper extremity after a crush injury at work on 06-30-2014. She has tried gabapentin, "
    "duloxetine, stellate ganglion blocks and physical therapy. On 11-17-2016 the pain "
    "specialist requested IV ketamine infusions, 5 infusions over 1 week. UR denied the "
    "request on 11-28-2016."
)

TENS_TRIAL = (
    "The injured worker is a 46 year old female housekeeper injured on 02-15-2016, "
    "diagnosed with left L5 lumbar radiculopathy confirmed on EMG. She has radiating pain "
    "down the left leg with numbness in the L5 dermatome. Treatment has included naproxen, "
    "gabapentin and 8 sessions of physical therapy without adequate pain control; she "
    "continues a daily home exercise program. On 11-17-2016 the physician requested a TENS "
    "unit 30-day rental trial as an adjunct to her exercise program, with goals of walking "
    "30 minutes and sleeping through the night. UR non-certified the request on 11-28-2016."
)

TENS_PURCHASE = (
    "This 52 year old male loader has axial low back pain from a lumbar strain sustained at "
    "work on 09-12-2016. He takes ibuprofen. He has never used a TENS unit. On 11-15-2016 "
    "the provider requested purchase of a TENS unit with supplies. UR denied the request on "
    "11-23-2016."
)

HWAVE = (
    "The patient is a 48 year old female with chronic lumbar myofascial pain from an "
    "industrial injury of 03-03-2015. She has had physical therapy and takes naproxen. She "
    "has not tried a TENS unit. On 11-10-2016 the physician requested an H-wave device for "
    "a 30-day home trial. UR denied the request on 11-19-2016."
)

HWAVE_GOOD = (
    "The injured worker is a 52 year old female with chronic soft tissue inflammation of "
    "the right shoulder (rotator cuff tendinitis) from an injury on 04-14-2015. She has "
    "failed physical therapy, naproxen, and a 30-day TENS unit trial that gave no relief. "
    "She continues a home exercise program. On 11-08-2016 the physician requested a 30-day "
    "home trial of an H-wave unit as an adjunct to her exercise program. UR denied the "
    "request on 11-16-2016."
)

ICS_GOOD = (
    "A 58 year old male with chronic low back pain from an injury on 06-06-2014 had a GI "
    "bleed on naproxen and became too sedated on tramadol, so his pain is poorly controlled "
    "because of medication side effects. He continues physical therapy exercises at home "
    "and works modified duty. On 11-15-2016 the physician requested an interferential unit "
    "30-day rental trial. UR denied the request on 11-22-2016."
)

IF_COMBO = (
    "The injured worker is a 50 year old female with chronic neck pain from an industrial "
    "injury on 05-05-2015. She has had physical therapy and medications. On 11-02-2016 the "
    "provider requested an RS-4i combination interferential/NMES unit purchase. UR denied "
    "the request on 11-10-2016."
)

NMES = (
    "A 41 year old male with chronic lumbar strain from an injury on 07-21-2015 has "
    "completed physical therapy and takes meloxicam. On 11-17-2016 the provider requested "
    "an NMES unit for home use. UR non-certified the request on 11-28-2016."
)

PSYCH_EVAL = (
    "This 44 year old male construction worker was injured on 09-19-2015 and has chronic "
    "low back pain. Since the injury he reports depressed mood, loss of interest, poor "
    "sleep and worry about never returning to work; his PHQ-9 score was 17. He has not had "
    "a psychological evaluation. On 11-11-2016 the physician requested a psychological "
    "evaluation. UR denied the request on 11-21-2016."
)

PSYCH_NO_SX = (
    "This 31 year old male warehouse worker with a right ankle sprain from an injury on "
    "08-15-2016 is recovering well. He denies depression, anxiety or sleep problems, and no "
    "psychological concerns are noted. On 11-10-2016 the provider requested a psychological "
    "evaluation. UR denied the request on 11-18-2016."
)

CBT_FOUR = (
    "The injured worker is a 39 year old female nurse's aide injured on 01-20-2016 with "
    "chronic low back pain. A psychological evaluation on 10-05-2016 diagnosed an "
    "adjustment disorder with depressed mood and documented fear-avoidance beliefs about "
    "movement that are limiting her progress in physical therapy. She has not had "
    "psychotherapy. On 11-16-2016 the psychologist requested cognitive behavioral therapy 4 "
    "sessions over 2 weeks. UR non-certified the request on 11-25-2016."
)

CBT_WITH_GAIN = (
    "The injured worker is a 49 year old female nurse with chronic neck pain and depression "
    "after an injury on 10-10-2015. She has completed 4 sessions of cognitive behavioral "
    "therapy. Her Beck Depression Inventory score fell from 28 to 16, she now walks daily "
    "and resumed light housework, and she returned to modified duty; the psychologist "
    "documents objective functional improvement. On 11-16-2016 the psychologist requested 4 "
    "additional CBT sessions. UR denied the request on 11-23-2016."
)

CBT_TWELVE = (
    "A 47 year old male forklift driver with chronic neck pain since an industrial injury "
    "on 08-11-2015 has depression and anxiety related to chronic pain, per a psychological "
    "evaluation of 09-20-2016. No psychotherapy has been provided yet. On 11-08-2016 the "
    "psychologist requested cognitive behavioral therapy 12 sessions, once a week. UR "
    "non-certified the request on 11-18-2016."
)

CBT_NO_GAIN = (
    "The patient is a 52 year old female clerk with chronic bilateral wrist pain and major "
    "depressive disorder following an industrial injury of 04-14-2014. She has attended 10 "
    "sessions of cognitive behavioral therapy since June 2016. The progress notes describe "
    "her mood as unchanged, her Beck Depression Inventory score is the same as at intake, "
    "and there is no objective functional improvement. She remains off work. On 11-09-2016 "
    "the psychologist requested 6 additional sessions of psychotherapy. UR denied the "
    "request on 11-18-2016."
)

BIOFEEDBACK_WITH_CBT = (
    "A 44 year old male with chronic low back pain and anxiety after an injury on "
    "02-22-2016 is currently attending cognitive behavioral therapy with a pain "
    "psychologist, who recommended adding biofeedback to teach relaxation for muscle "
    "guarding during exercise. He has not had biofeedback before. On 11-09-2016 the "
    "psychologist requested biofeedback 4 sessions. UR denied the request on 11-17-2016."
)

BIOFEEDBACK_ALONE = (
    "This 36 year old female customer service representative has chronic neck pain and "
    "tension headaches from an industrial injury on 03-01-2016. She is not in psychotherapy "
    "or cognitive behavioral therapy, and no psychological evaluation has been performed. "
    "On 11-15-2016 the provider requested biofeedback 6 sessions. UR denied the request on "
    "11-23-2016."
)

LASER = (
    "The injured worker is a 42 year old male with right lateral epicondylitis from an "
    "industrial injury on 06-10-2016. He has had physical therapy and a counterforce brace. "
    "On 11-04-2016 the provider requested low level laser therapy 8 sessions for the right "
    "elbow. UR denied the request on 11-14-2016."
)

ULTRASOUND = (
    "A 55 year old female with chronic low back pain from a lumbar strain at work on "
    "05-05-2015 has completed physical therapy and exercises at home. On 11-21-2016 the "
    "provider requested therapeutic ultrasound 6 sessions for the lumbar spine. UR "
    "non-certified it on 11-30-2016."
)

ESWT_BACK = (
    "The patient is a 49 year old male with chronic low back pain from an industrial lumbar "
    "strain on 10-10-2015. He has had physical therapy and NSAIDs. On 11-18-2016 the "
    "provider requested extracorporeal shockwave therapy 3 sessions for the lumbar spine. "
    "UR denied the request on 11-28-2016."
)

YOGA = (
    "The injured worker is a 38 year old female dental assistant with chronic low back pain "
    "since an industrial injury on 02-09-2015. She completed physical therapy and does her "
    "home exercise program every day. Her physician describes her as highly motivated to "
    "stay active and keep working full duty. On 11-11-2016 the physician requested yoga "
    "classes 1x/week for 8 weeks as part of her active exercise program. UR denied the "
    "request on 11-21-2016."
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _why(item: DecidedItem) -> set[str]:
    """What decided the item: criteria that drove it, limits exceeded, rules, status."""
    found = {c.criterion_id for c in item.criteria if c.drove}
    found |= {limit.limit_id for limit in item.limits_exceeded}
    found |= set(item.rules)
    if item.guideline_status is not None:
        found.add(item.guideline_status.value)
    return found


CASES = [
    # T-034 criterion 3 / X-3: 18 prior visits, no functional improvement
    pytest.param(
        PT_NO_GAIN,
        "Physical therapy 2x4 for the lumbar spine",
        "T-034",
        Decision.UPHELD,
        "functional_improvement",
        id="pt_no_gain",
    ),
    # T-034 criterion 3 / X-3: 24 visits without improvement (and 12 > 10)
    pytest.param(
        PT_24_PRIOR,
        "PT x12 for the low back",
        "T-034",
        Decision.UPHELD,
        "functional_improvement",
        id="pt_24_prior",
    ),
    # 8 prior OT visits, their result not documented
    pytest.param(
        PT_SILENT_RENEWAL,
        "Occupational therapy 2x3 for the right wrist",
        "T-034",
        Decision.UPHELD,
        "functional_improvement",
        id="pt_silent_renewal",
    ),
    # T-034: myalgia group 9-10 visits; no prior therapy, 6 requested
    pytest.param(
        PT_NEW_NECK,
        "Physical therapy 2x3 for the cervical spine",
        "T-034",
        Decision.OVERTURNED,
        None,
        id="pt_new_neck",
    ),
    # T-034 group limit / X-1: 12 initial visits exceed 9-10
    pytest.param(
        PT_TWELVE_NEW,
        "Physical therapy 2x6 for the lumbar spine",
        "T-034",
        Decision.UPHELD,
        "myalgia",
        id="pt_twelve_new",
    ),
    # T-034 criterion 3: documented functional gain, 6 + 4 visits within 10
    pytest.param(
        PT_WITH_GAIN,
        "Physical therapy 2x2 for the right shoulder",
        "T-034",
        Decision.OVERTURNED,
        None,
        id="pt_with_gain",
    ),
    # T-036: initial course = half of 24 visits after arthroscopic cuff repair
    pytest.param(
        POSTOP_RCR_HAD,
        "Post-operative physical therapy 12 sessions for the left shoulder",
        "T-036",
        Decision.OVERTURNED,
        None,
        id="postop_rcr_had",
    ),
    # T-036: initial course is half of the 16-visit general course
    pytest.param(
        POSTOP_DISC_HAD,
        "Post-operative physical therapy 16 sessions for the lumbar spine",
        "T-036",
        Decision.UPHELD,
        "lumbar_discectomy_initial",
        id="postop_disc_had",
    ),
    # T-037: low back trial of 6 visits
    pytest.param(
        CHIRO_TRIAL,
        "Chiropractic treatment 2x3 for the lumbar spine",
        "T-037",
        Decision.OVERTURNED,
        None,
        id="chiro_trial",
    ),
    # T-037: objective gain after 6 visits, 12 in total within 18
    pytest.param(
        CHIRO_WITH_GAIN,
        "Chiropractic treatment 1x6 for the lumbar spine",
        "T-037",
        Decision.OVERTURNED,
        None,
        id="chiro_with_gain",
    ),
    # T-037: manipulation not recommended for the knee
    pytest.param(
        CHIRO_KNEE,
        "Chiropractic manipulation left knee x6",
        "T-037",
        Decision.UPHELD,
        "recommended_body_part",
        id="chiro_knee",
    ),
    # T-037: 12 visits without objective functional improvement
    pytest.param(
        CHIRO_NO_GAIN,
        "Chiropractic treatment 6 visits for the lumbar spine",
        "T-037",
        Decision.UPHELD,
        "functional_improvement",
        id="chiro_no_gain",
    ),
    # T-037: elective/maintenance care is not medically necessary
    pytest.param(
        CHIRO_MAINT,
        "Maintenance chiropractic care 1x/month x 6 months, lumbar",
        "T-037",
        Decision.UPHELD,
        "not_maintenance",
        id="chiro_maint",
    ),
    # T-038 criteria 1-2: NSAIDs not tolerated, adjunct to exercise, 6-session trial
    pytest.param(
        ACU_TRIAL,
        "Acupuncture 6 sessions for the cervical spine",
        "T-038",
        Decision.OVERTURNED,
        None,
        id="acu_trial",
    ),
    # T-038 criterion 3: functional improvement after the 6-session trial
    pytest.param(
        ACU_WITH_GAIN,
        "Acupuncture 6 sessions for the lumbar spine",
        "T-038",
        Decision.OVERTURNED,
        None,
        id="acu_with_gain",
    ),
    # T-038 criterion 2 / X-1: initial request over 6 treatments
    pytest.param(
        ACU_TWELVE,
        "Acupuncture 2x6 for the lumbar spine",
        "T-038",
        Decision.UPHELD,
        "initial_trial",
        id="acu_twelve",
    ),
    # T-038 criterion 3: 12 sessions, no functional improvement
    pytest.param(
        ACU_NO_GAIN,
        "Acupuncture 6 sessions for the cervical spine",
        "T-038",
        Decision.UPHELD,
        "functional_improvement",
        id="acu_no_gain",
    ),
    # T-039: adjunct to active therapy, within 4-6 visits
    pytest.param(
        MASSAGE_ADJ,
        "Massage therapy 6 sessions for the thoracolumbar spine",
        "T-039",
        Decision.OVERTURNED,
        None,
        id="massage_adj",
    ),
    # T-039: 12 visits exceed the 4-6 visit limit
    pytest.param(
        MASSAGE_TWELVE,
        "Massage therapy 2x6 for the neck",
        "T-039",
        Decision.UPHELD,
        "visit_limit",
        id="massage_twelve",
    ),
    # T-039: 6 visits already given without functional gain
    pytest.param(
        MASSAGE_RENEWAL,
        "Massage therapy 6 sessions",
        "T-039",
        Decision.UPHELD,
        "functional_improvement",
        id="massage_renewal",
    ),
    # T-040: morbid obesity and severe knee OA need reduced weight bearing
    pytest.param(
        AQUA_OBESE,
        "Aquatic therapy 6 sessions for bilateral knees",
        "T-040",
        Decision.OVERTURNED,
        None,
        id="aqua_obese",
    ),
    # T-040: no reason land-based exercise cannot be done
    pytest.param(
        AQUA_NO_REASON,
        "Aquatic therapy 6 sessions for the lumbar spine",
        "T-040",
        Decision.UPHELD,
        "reduced_weight_bearing",
        id="aqua_no_reason",
    ),
    # T-041: home exercise program not shown to have failed
    pytest.param(
        GYM, "Gym membership x 6 months", "T-041", Decision.UPHELD, "home_program_failed", id="gym"
    ),
    # T-042 criterion 7: more than 2 years since the injury
    pytest.param(
        WORK_HARDENING,
        "Work hardening program 5x/week x 4 weeks",
        "T-042",
        Decision.UPHELD,
        "within_two_years",
        id="work_hardening",
    ),
    # T-043 criterion 1: no baseline functional testing
    pytest.param(
        FRP_FULL,
        "Functional restoration program 160 hours",
        "T-043",
        Decision.UPHELD,
        "baseline_testing",
        id="frp_full",
    ),
    # T-044: not at or near maximal medical improvement
    pytest.param(
        FCE_FULL_DUTY,
        "Functional capacity evaluation",
        "T-044",
        Decision.UPHELD,
        "near_mmi",
        id="fce_full_duty",
    ),
    # T-044: failed return-to-work attempts, conflicting reports, at MMI
    pytest.param(
        FCE_GOOD,
        "Functional capacity evaluation",
        "T-044",
        Decision.OVERTURNED,
        None,
        id="fce_good",
    ),
    # flurbiprofen (T-026) and lidocaine cream (T-025) not recommended
    pytest.param(
        TOPICAL_FLURBI,
        "Flurbiprofen 20%/Lidocaine 5% cream 180gm",
        "T-024",
        Decision.UPHELD,
        "X-4",
        id="topical_flurbi",
    ),
    # X-4 / T-029: topical gabapentin and cyclobenzaprine not recommended
    pytest.param(
        TOPICAL_GABA,
        "Gabapentin 10%/Cyclobenzaprine 2%/Capsaicin 0.025% cream 240gm",
        "T-024",
        Decision.UPHELD,
        "X-4",
        id="topical_gaba",
    ),
    # Terocin lotion contains non-patch lidocaine (T-025)
    pytest.param(TEROCIN, "Terocin lotion 120 ml", "T-024", Decision.UPHELD, "X-4", id="terocin"),
    # LidoPro cream contains non-patch lidocaine (T-025)
    pytest.param(LIDOPRO, "LidoPro cream 121 g", "T-024", Decision.UPHELD, "X-4", id="lidopro"),
    # T-025: localized neuropathic pain after gabapentin and a TCA failed
    pytest.param(
        LIDODERM_OK, "Lidoderm 5% patch #30", "T-025", Decision.OVERTURNED, None, id="lidoderm_ok"
    ),
    # T-025: axial low back pain, no neuropathic findings
    pytest.param(
        LIDODERM_AXIAL,
        "Lidoderm 5% patch #30",
        "T-025",
        Decision.UPHELD,
        "localized_neuropathic_pain",
        id="lidoderm_axial",
    ),
    # T-026: knee osteoarthritis, oral NSAID not tolerated, short course
    pytest.param(
        VOLTAREN_KNEE,
        "Voltaren Gel 1% 100 g",
        "T-026",
        Decision.OVERTURNED,
        None,
        id="voltaren_knee",
    ),
    # T-026: little evidence for the spine
    pytest.param(
        VOLTAREN_BACK,
        "Voltaren Gel 1% 100 g for the lumbar spine",
        "T-026",
        Decision.UPHELD,
        "not_spine_hip_shoulder",
        id="voltaren_back",
    ),
    # T-026: use beyond the 4-12 week window
    pytest.param(
        VOLTAREN_LONG,
        "Voltaren gel 1% 100 g",
        "T-026",
        Decision.UPHELD,
        "short_term",
        id="voltaren_long",
    ),
    # T-026: ketoprofen not FDA-approved for topical use
    pytest.param(
        KETOPROFEN,
        "Ketoprofen 20% cream 120 g",
        "T-026",
        Decision.UPHELD,
        "fda_approved_agent",
        id="ketoprofen",
    ),
    # T-027: 0.025% for osteoarthritis after other treatments failed
    pytest.param(
        CAPSAICIN_025,
        "Capsaicin 0.025% cream 60 g",
        "T-027",
        Decision.OVERTURNED,
        None,
        id="capsaicin_025",
    ),
    # T-027: 0.0375% has not been studied
    pytest.param(
        CAPSAICIN_0375,
        "Capsaicin 0.0375% cream 60 g",
        "T-027",
        Decision.UPHELD,
        "concentration_fits",
        id="capsaicin_0375",
    ),
    # T-028 criterion 2: primary treatments not exhausted
    pytest.param(
        KETAMINE_CREAM,
        "Ketamine 10% cream 120 g",
        "T-028",
        Decision.UPHELD,
        "primary_exhausted",
        id="ketamine_cream",
    ),
    # T-031: medical foods not recommended
    pytest.param(
        THERAMINE, "Theramine #90", "T-031", Decision.UPHELD, "NOT_RECOMMENDED", id="theramine"
    ),
    # T-031: medical foods not recommended
    pytest.param(SENTRA, "Sentra PM #60", "T-031", Decision.UPHELD, "NOT_RECOMMENDED", id="sentra"),
    # T-032: option for moderate knee osteoarthritis pain
    pytest.param(
        GLUCOSAMINE,
        "Glucosamine sulfate 1500 mg #30",
        "T-032",
        Decision.OVERTURNED,
        None,
        id="glucosamine",
    ),
    # T-032: no osteoarthritis
    pytest.param(
        GLUCOSAMINE_BACK,
        "Glucosamine 500 mg #90",
        "T-032",
        Decision.UPHELD,
        "osteoarthritis",
        id="glucosamine_back",
    ),
    # T-033: IV ketamine not recommended
    pytest.param(
        KETAMINE_IV,
        "IV ketamine infusion x5",
        "T-033",
        Decision.UPHELD,
        "NOT_RECOMMENDED",
        id="ketamine_iv",
    ),
    # T-045 criteria 1-5: neuropathic pain > 3 months, failed care, rental trial
    pytest.param(
        TENS_TRIAL,
        "TENS unit 30-day rental trial",
        "T-045",
        Decision.OVERTURNED,
        None,
        id="tens_trial",
    ),
    # T-045 criterion 3: purchase without a one-month trial
    pytest.param(
        TENS_PURCHASE,
        "TENS unit purchase with supplies",
        "T-045",
        Decision.UPHELD,
        "trial_before_purchase",
        id="tens_purchase",
    ),
    # T-046: no prior TENS trial
    pytest.param(
        HWAVE,
        "H-wave device 30-day home trial",
        "T-046",
        Decision.UPHELD,
        "tens_failed",
        id="hwave",
    ),
    # T-046: soft-tissue inflammation after failed PT, drugs and TENS
    pytest.param(
        HWAVE_GOOD,
        "H-wave unit 30-day home trial",
        "T-046",
        Decision.OVERTURNED,
        None,
        id="hwave_good",
    ),
    # T-047: medication side effects; exercise and work continue; trial
    pytest.param(
        ICS_GOOD,
        "Interferential unit 30-day rental trial",
        "T-047",
        Decision.OVERTURNED,
        None,
        id="ics_good",
    ),
    # T-047: combination unit with an NMES component
    pytest.param(
        IF_COMBO,
        "RS-4i interferential/NMES combination unit purchase",
        "T-047",
        Decision.UPHELD,
        "no_nmes_component",
        id="if_combo",
    ),
    # T-048: NMES not recommended
    pytest.param(NMES, "NMES unit", "T-048", Decision.UPHELD, "NOT_RECOMMENDED", id="nmes"),
    # T-049: chronic pain with depressive symptoms
    pytest.param(
        PSYCH_EVAL, "Psychological evaluation", "T-049", Decision.OVERTURNED, None, id="psych_eval"
    ),
    # T-049: no psychological symptoms documented
    pytest.param(
        PSYCH_NO_SX,
        "Psychological evaluation",
        "T-049",
        Decision.UPHELD,
        "indication",
        id="psych_no_sx",
    ),
    # T-050: psychological factors, initial trial of 3-4 visits
    pytest.param(
        CBT_FOUR,
        "Cognitive behavioral therapy 4 sessions",
        "T-050",
        Decision.OVERTURNED,
        None,
        id="cbt_four",
    ),
    # T-050: objective improvement after 4 visits, 8 in total
    pytest.param(
        CBT_WITH_GAIN,
        "Cognitive behavioral therapy 4 additional sessions",
        "T-050",
        Decision.OVERTURNED,
        None,
        id="cbt_with_gain",
    ),
    # T-050: 12 initial visits exceed the 3-4 visit trial
    pytest.param(
        CBT_TWELVE,
        "Cognitive behavioral therapy 12 sessions",
        "T-050",
        Decision.UPHELD,
        "initial_trial",
        id="cbt_twelve",
    ),
    # T-050: 10 sessions without objective improvement
    pytest.param(
        CBT_NO_GAIN,
        "Psychotherapy 6 sessions",
        "T-050",
        Decision.UPHELD,
        "functional_improvement",
        id="cbt_no_gain",
    ),
    # T-051: within a CBT program, trial of 4
    pytest.param(
        BIOFEEDBACK_WITH_CBT,
        "Biofeedback 4 sessions",
        "T-051",
        Decision.OVERTURNED,
        None,
        id="biofeedback_with_cbt",
    ),
    # T-051: not recommended as stand-alone treatment
    pytest.param(
        BIOFEEDBACK_ALONE,
        "Biofeedback 6 sessions",
        "T-051",
        Decision.UPHELD,
        "with_cbt",
        id="biofeedback_alone",
    ),
    # T-084: low-level laser not recommended
    pytest.param(
        LASER,
        "Low level laser therapy 8 sessions right elbow",
        "T-084",
        Decision.UPHELD,
        "NOT_RECOMMENDED",
        id="laser",
    ),
    # T-085: therapeutic ultrasound not recommended
    pytest.param(
        ULTRASOUND,
        "Therapeutic ultrasound 6 sessions lumbar spine",
        "T-085",
        Decision.UPHELD,
        "NOT_RECOMMENDED",
        id="ultrasound",
    ),
    # T-086: ODG Low Back does not recommend shockwave
    pytest.param(
        ESWT_BACK,
        "Extracorporeal shockwave therapy x3 lumbar spine",
        "T-086",
        Decision.UPHELD,
        "NOT_RECOMMENDED",
        id="eswt_back",
    ),
    # T-087: highly motivated patient, chronic low back pain, active program
    pytest.param(YOGA, "Yoga classes x 8", "T-087", Decision.OVERTURNED, None, id="yoga"),
]


@pytest.mark.parametrize(("text", "request_text", "treatment_id", "decision", "why"), CASES)
def test_engine_decides_as_the_domain_criteria_imply(
    kb: KnowledgeBase,
    text: str,
    request_text: str,
    treatment_id: str,
    decision: Decision,
    why: str | None,
) -> None:
    item = decide_item(request_text, extract_facts(text), ON, kb)
    assert item.treatment_id == treatment_id
    assert item.decision is decision, item.reason
    if why is not None:
        assert why in _why(item), sorted(_why(item))
