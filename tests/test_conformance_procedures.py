"""Conformance of the determination engine with guidelines.md sections 5.G-5.K.

Injections and implants (T-052 to T-063), diagnostics (T-064 to T-070, T-090, T-091), surgery
with its ancillary services (T-071 to T-075, section 5.I common rule), equipment and services
(T-076 to T-089) and consultations and visits (T-081, T-082), each decided on a case text
written for these tests (invented patients, summary style) whose outcome the domain criteria
clearly imply. Each case names the criterion that decides it. Only cases the engine decides as
expected are kept here, as regression tests; the probes it decided otherwise are reported
separately with their causes.
"""

from __future__ import annotations

from datetime import date

import pytest

from openimr.clinical import extract_facts
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.model.determination import Decision
from openimr.review.decide import decide_item, determine

ON = date(2016, 12, 15)  # era E2
NECESSARY = Decision.OVERTURNED
NOT_NECESSARY = Decision.UPHELD


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


CASES = [
    # T-052 criteria 1-3: exam radiculopathy (L5 sensory loss, EHL weakness, SLR) + MRI root
    # compression at L4-5 + failed PT/NSAID/relaxant.
    pytest.param(
        (
            "The injured worker is a 39 year old male warehouse loader who sustained an "
            "industrial injury on 04-02-2016 while lifting a pallet. Diagnoses include lumbar "
            "disc herniation and left L5 radiculopathy. Treatment to date has included 12 "
            "sessions of physical therapy, a home exercise program, naproxen and cyclobenzaprine,"
            " without lasting relief. On 11-21-2016 he reported low back pain radiating down the "
            "left leg to the dorsum of the foot, rated 7 out of 10. Examination showed diminished"
            " light touch sensation over the left L5 dermatome, left extensor hallucis longus "
            "weakness graded 4 out of 5, and a positive straight leg raise on the left at 40 "
            "degrees. MRI of the lumbar spine dated 07-14-2016 showed a 6 mm left paracentral "
            "disc protrusion at L4-5 compressing the traversing left L5 nerve root. The provider "
            "requested a lumbar epidural steroid injection at L4-5."
        ),
        [
            ("Lumbar epidural steroid injection L4-5 under fluoroscopy", "T-052", NECESSARY),
        ],
        id="esi_lumbar_met",
    ),
    # T-052 criterion 1: normal neurologic exam, radiating pain only (denial ground 'subjective
    # radiating pain only').
    pytest.param(
        (
            "This 52 year old female bus driver reports an occupational injury of 02-11-2016 from"
            " repetitive sitting and a pothole jolt. The current diagnosis is lumbar strain with "
            "subjective radiating pain. She has completed a course of physical therapy and takes "
            "ibuprofen and tizanidine. At the visit of 11-30-2016 she described aching low back "
            "pain that sometimes travels into both buttocks. On examination sensation was intact "
            "to light touch throughout both lower extremities, motor strength was 5/5 in all "
            "muscle groups, patellar and Achilles reflexes were 2+ and symmetric, and straight "
            "leg raising was negative bilaterally. Lumbar MRI from 06-2016 revealed mild "
            "multilevel degenerative disc desiccation without canal or foraminal stenosis and no "
            "nerve root impingement. An epidural steroid injection was recommended."
        ),
        [
            ("Lumbar epidural steroid injection L5-S1", "T-052", NOT_NECESSARY),
        ],
        id="esi_lumbar_no_exam",
    ),
    # T-052 criterion 7: a repeat needs >=50% relief for 6-8 weeks; 20% for two weeks does not
    # qualify.
    pytest.param(
        (
            "The injured worker is a 47-year-old man with a date of injury of 09-19-2015, injured"
            " when a box fell onto his head and neck. He is treated for cervical radiculopathy. "
            "Treatments to date have included physical therapy, chiropractic care, meloxicam, "
            "gabapentin and a cervical epidural steroid injection at C5-6 performed on "
            "08-10-2016. Following that injection he reported about 20 percent relief lasting "
            "roughly two weeks, with no change in his medication use or work restrictions. On "
            "11-15-2016 he reported neck pain radiating into the right thumb. Examination "
            "documented decreased sensation in the right C6 dermatome, a diminished right "
            "brachioradialis reflex and 4/5 right wrist extension. Cervical MRI of 01-2016 showed"
            " right C5-6 foraminal narrowing abutting the exiting C6 root. A repeat injection was"
            " requested."
        ),
        [
            ("Repeat cervical epidural steroid injection C5-6", "T-052", NOT_NECESSARY),
        ],
        id="esi_cervical_repeat_poor",
    ),
    # T-053: facet blocks only for non-radicular pain; positive SLR and dermatomal sensory loss
    # present.
    pytest.param(
        (
            "The injured worker is a 44 year old female nurse's aide with a date of injury of "
            "03-28-2016 from transferring a patient. Diagnoses: lumbar facet syndrome, lumbar "
            "radiculopathy. Treatment to date: physical therapy x 12, chiropractic x 6, "
            "ibuprofen. On 11-17-2016 she reported low back pain radiating into the right calf "
            "with tingling in the right foot. Physical examination revealed lumbar paraspinal "
            "tenderness, pain with lumbar extension and rotation, a positive straight leg raise "
            "on the right at 45 degrees, and decreased sensation along the right lateral calf. "
            "The physician requested diagnostic medial branch blocks."
        ),
        [
            ("Bilateral L4-5 and L5-S1 medial branch blocks", "T-053", NOT_NECESSARY),
        ],
        id="mbb_radicular",
    ),
    # T-054: neurotomy needs a prior positive diagnostic medial branch block; none done.
    pytest.param(
        (
            "This is a 55 year old male truck driver injured on 10-05-2015 climbing down from his"
            " cab. He is being treated for chronic axial low back pain and lumbar spondylosis. "
            "Prior care has included physical therapy, a home exercise program, acupuncture and "
            "diclofenac. On 11-03-2016 he continued to complain of low back pain without "
            "radiation into the legs. Examination showed tenderness over the lower lumbar facet "
            "joints, pain on extension and rotation, intact sensation, full strength and "
            "symmetric reflexes. No diagnostic blocks have been performed to date. The provider "
            "requested radiofrequency neurotomy."
        ),
        [
            ("Radiofrequency ablation bilateral L4-5 and L5-S1", "T-054", NOT_NECESSARY),
        ],
        id="rfa_no_block",
    ),
    # T-055 criteria 1 and 4: diffuse tenderness without twitch response/referred pain, and
    # radiculopathy present.
    pytest.param(
        (
            "A 49 year old male mechanic sustained an industrial injury on 06-15-2016. Diagnoses "
            "include lumbar radiculopathy and lumbar muscle spasm. He has tried physical therapy "
            "and ibuprofen. On 11-22-2016 he reported low back pain shooting into the left leg. "
            "The exam was notable for diffuse tenderness and tightness of the lumbar paraspinal "
            "muscles, decreased sensation over the left L5 dermatome and a positive straight leg "
            "raise on the left. Trigger point injections were recommended."
        ),
        [
            ("Trigger point injections to the lumbar paraspinals x 4", "T-055", NOT_NECESSARY),
        ],
        id="tpi_no_twitch",
    ),
    # T-056: at least 3 positive provocation tests required (older ODG); only FABER positive.
    pytest.param(
        (
            "The injured worker is a 41 year old woman with an industrial injury on 05-09-2016 "
            "from a slip on a wet floor. Diagnosed with right sacroiliac joint dysfunction and "
            "lumbar strain. She has had six physical therapy visits and takes ibuprofen. On "
            "11-14-2016 she described right buttock pain. On exam there was tenderness over the "
            "right sacroiliac joint and a positive FABER test on the right; Gaenslen's test and "
            "the thigh thrust test were negative. Neurologic exam was normal. The provider "
            "requested a right SI joint injection."
        ),
        [
            ("Right sacroiliac joint injection under fluoroscopy", "T-056", NOT_NECESSARY),
        ],
        id="si_one_test",
    ),
    # T-062: axial low back pain without prior surgery is not a listed indication; no
    # psychological evaluation.
    pytest.param(
        (
            "This 50 year old male laborer sustained an industrial injury on 07-22-2014. He has "
            "chronic low back pain from lumbar degenerative disc disease and has never had spine "
            "surgery. He has been treated with physical therapy, two lumbar epidural steroid "
            "injections, gabapentin and hydrocodone. On 11-10-2016 he reported constant axial low"
            " back pain rated 8/10 without leg symptoms. No psychological evaluation has been "
            "obtained. The treating physician requested a spinal cord stimulator trial."
        ),
        [
            ("Spinal cord stimulator trial", "T-062", NOT_NECESSARY),
        ],
        id="scs_no_psych",
    ),
    # T-062: failed back surgery syndrome, less invasive care failed, psychological clearance,
    # request is the trial.
    pytest.param(
        (
            "The injured worker is a 48 year old female who was injured at work on 03-14-2013. "
            "She underwent an L5-S1 laminectomy and discectomy on 09-12-2014. Her diagnoses "
            "include failed back surgery syndrome and chronic left S1 radiculopathy. Since "
            "surgery she has completed 24 post-operative physical therapy visits, a home exercise"
            " program, two epidural steroid injections that each gave brief relief, gabapentin, "
            "duloxetine and tramadol, and her left leg pain persists at 7/10. On 11-18-2016 the "
            "examination showed decreased sensation in the left S1 dermatome and an absent left "
            "Achilles reflex. A psychological evaluation for spinal cord stimulation on "
            "10-20-2016 found no contraindication and cleared her for a trial. A repeat MRI "
            "showed postoperative scarring without recurrent herniation, and the surgeon states "
            "she is not a candidate for further surgery. The provider requested a spinal cord "
            "stimulator trial."
        ),
        [
            ("Spinal cord stimulator trial", "T-062", NECESSARY),
        ],
        id="scs_fbss_met",
    ),
    # T-058: not recommended for chronic neck pain / myofascial pain; no cervical dystonia.
    pytest.param(
        (
            "The injured worker is a 45 year old female office manager injured on 08-30-2015 in a"
            " rear-end collision while driving for work. She is treated for chronic neck pain and"
            " myofascial pain syndrome. She has had physical therapy, massage, cyclobenzaprine "
            "and trigger point injections. On 11-07-2016 she reported persistent neck and upper "
            "back pain rated 6/10. Examination showed tenderness and taut bands in the cervical "
            "paraspinal and trapezius muscles with normal neurologic findings. There is no "
            "history of cervical dystonia. Botulinum toxin injections were requested."
        ),
        [
            (
                "Botox injections to the cervical paraspinal muscles 200 units",
                "T-058",
                NOT_NECESSARY,
            ),
        ],
        id="botox_neck",
    ),
    # T-060: severe knee OA on films, failed PT/exercise + NSAID, failed intra-articular steroid,
    # delaying TKA.
    pytest.param(
        (
            "The injured worker is a 63 year old male groundskeeper with an industrial injury of "
            "02-17-2014 from repetitive kneeling. His diagnosis is severe osteoarthritis of the "
            "left knee. Standing radiographs of the left knee dated 06-2016 demonstrated "
            "bone-on-bone medial joint space narrowing with large osteophytes. He completed 12 "
            "sessions of physical therapy, continues a home exercise program and takes meloxicam,"
            " with inadequate relief. An intra-articular corticosteroid injection of the left "
            "knee on 07-11-2016 provided only about three weeks of benefit. On 11-16-2016 he "
            "reported left knee pain 7/10 that limits walking to one block. Examination showed "
            "bony enlargement, crepitus and medial joint line tenderness without warmth; morning "
            "stiffness lasts about 15 minutes. He wishes to delay total knee arthroplasty. A "
            "hyaluronic acid injection was requested."
        ),
        [
            ("Synvisc-One injection, left knee", "T-060", NECESSARY),
        ],
        id="visco_met",
    ),
    # T-060: chondromalacia without severe OA, and no prior steroid injection.
    pytest.param(
        (
            "A 46 year old female retail clerk had an industrial injury on 01-25-2016 when she "
            "twisted her right knee. Her diagnosis is right knee chondromalacia patella. Right "
            "knee x-rays in 03-2016 showed preserved joint spaces without significant "
            "degenerative change. She attended physical therapy and takes ibuprofen. She has "
            "never had a steroid injection. On 11-28-2016 she reported anterior knee pain when "
            "climbing stairs. Viscosupplementation was requested."
        ),
        [
            ("Orthovisc injections x 3 to the right knee", "T-060", NOT_NECESSARY),
        ],
        id="visco_no_steroid",
    ),
    # T-064: no red flags and no objective nerve compromise (also within the first month).
    pytest.param(
        (
            "The injured worker is a 31 year old male stocker who injured his low back on "
            "11-28-2016 lifting cases of water. Diagnosis: acute lumbar sprain/strain. He was "
            "started on ibuprofen and activity modification. On 12-05-2016 he reported low back "
            "pain rated 6/10 without radiation. Examination revealed paraspinal spasm and limited"
            " flexion; strength, sensation and reflexes were normal in both legs and straight leg"
            " raise was negative. He denied bowel or bladder changes, fever or weight loss. An "
            "MRI of the lumbar spine was ordered."
        ),
        [
            ("MRI of the lumbar spine without contrast", "T-064", NOT_NECESSARY),
        ],
        id="mri_lumbar_early",
    ),
    # T-064 / X-5: cauda equina signs (retention, saddle anesthesia) justify imaging at any time.
    pytest.param(
        (
            "The injured worker is a 42 year old woman who sustained an industrial injury on "
            "11-25-2016 while moving furniture. On 12-02-2016 she presented with severe low back "
            "pain and bilateral leg pain, new urinary retention since the prior evening and "
            "numbness in the perineal (saddle) area. Examination revealed decreased perianal "
            "sensation, reduced rectal tone and bilateral ankle dorsiflexion weakness 4/5. She "
            "has only taken ibuprofen. Cauda equina syndrome was suspected and an urgent lumbar "
            "MRI was requested."
        ),
        [
            ("MRI lumbar spine", "T-064", NECESSARY),
        ],
        id="mri_lumbar_cauda",
    ),
    # T-064 repeat rule: prior MRI, no significant change in symptoms or findings.
    pytest.param(
        (
            "The injured worker is a 57 year old female janitor with a date of injury of "
            "04-04-2014. She is treated for chronic low back pain and lumbar degenerative disc "
            "disease. Lumbar MRI dated 05-2015 showed L4-5 and L5-S1 disc desiccation with a 2 mm"
            " bulge and no nerve root compression. Treatment has included physical therapy, "
            "acupuncture, naproxen and a home exercise program. On 11-02-2016 she reported "
            "unchanged low back pain rated 5/10. Examination showed stable findings with intact "
            "sensation, 5/5 strength and symmetric reflexes in both legs. There are no new "
            "symptoms and no red flags. A repeat lumbar MRI was requested to re-evaluate her "
            "pain."
        ),
        [
            ("Repeat MRI of the lumbar spine", "T-064", NOT_NECESSARY),
        ],
        id="mri_lumbar_repeat",
    ),
    # T-065: neck pain with normal neurologic exam, no red flag, no trial of therapy.
    pytest.param(
        (
            "The injured worker is a 29 year old man employed as a cook who reported neck pain "
            "after an industrial injury on 10-26-2016 while lifting a stock pot. Diagnosis: "
            "cervical strain. He has been taking over-the-counter ibuprofen only; no therapy has "
            "been tried. On 11-16-2016 he reported neck stiffness. Examination showed tenderness "
            "of the cervical paraspinals and mildly reduced rotation. Upper extremity sensation, "
            "motor strength and reflexes were normal, and Spurling's maneuver was negative. There"
            " was no history of trauma to the head, no fever and no weakness. A cervical MRI was "
            "ordered."
        ),
        [
            ("MRI of the cervical spine without contrast", "T-065", NOT_NECESSARY),
        ],
        id="mri_cervical_no_neuro",
    ),
    # T-065 ACOEM criterion 'physiologic evidence of neurologic dysfunction': C7 sensory loss,
    # triceps weakness and reflex change after failed PT.
    pytest.param(
        (
            "The injured worker is a 51 year old female electrician who sustained an industrial "
            "injury on 05-16-2016 when she fell from a ladder onto her right shoulder and neck. "
            "She is diagnosed with cervical radiculopathy. She completed ten sessions of physical"
            " therapy and has taken meloxicam and cyclobenzaprine, yet her right arm symptoms "
            "have worsened. On 11-21-2016 she described neck pain radiating into the right index "
            "and middle fingers with numbness. Examination demonstrated decreased sensation in "
            "the right C7 dermatome, triceps weakness 4-/5 on the right and a diminished right "
            "triceps reflex; Spurling's test was positive on the right. Cervical x-rays showed "
            "spondylosis at C5-6 and C6-7. She would be willing to consider surgery. A cervical "
            "spine MRI was requested."
        ),
        [
            ("MRI cervical spine", "T-065", NECESSARY),
        ],
        id="mri_cervical_deficit",
    ),
    # T-070: radiculopathy already clear on exam and MRI; bilateral study for unilateral symptoms;
    # leg NCS for presumed radiculopathy.
    pytest.param(
        (
            "The injured worker is a 43 year old male roofer injured on 03-03-2016 while carrying"
            " shingles. He is diagnosed with left L5 radiculopathy due to an L4-5 disc "
            "herniation. Treatment has included physical therapy, ibuprofen and gabapentin. "
            "Lumbar MRI of 06-2016 revealed a left L4-5 disc extrusion compressing the left L5 "
            "nerve root. On 11-14-2016 he reported left leg pain to the great toe. Exam showed "
            "left L5 dermatomal hypoesthesia, left EHL weakness 4/5 and positive left straight "
            "leg raise. The right leg was asymptomatic with a normal exam. There is no history of"
            " diabetes or suspected peripheral neuropathy. Electrodiagnostic studies of both "
            "lower extremities were requested."
        ),
        [
            ("EMG/NCV of the bilateral lower extremities", "T-070", NOT_NECESSARY),
        ],
        id="emg_lower_clear_radic",
    ),
    # T-070: arm symptoms > 3-4 weeks after splinting/NSAID, diagnosis unclear (CTS vs
    # C-radiculopathy), studied limb symptomatic.
    pytest.param(
        (
            "The injured worker is a 38 year old female assembler with an industrial injury on "
            "06-13-2016 from repetitive hand use. Diagnoses: right wrist sprain, rule out right "
            "carpal tunnel syndrome versus right cervical radiculopathy. She has used a night "
            "wrist splint for two months, modified her duties and taken naproxen, but numbness "
            "and tingling in the right thumb, index and middle fingers persist. At the "
            "examination on 11-23-2016 Tinel's sign and Phalen's test were positive at the right "
            "wrist, sensation was decreased in the right median nerve distribution, and she also "
            "reported intermittent right-sided neck pain. No electrodiagnostic testing or imaging"
            " has been done. EMG and nerve conduction studies of the right upper extremity were "
            "requested to distinguish carpal tunnel syndrome from cervical radiculopathy."
        ),
        [
            ("EMG/NCV of the right upper extremity", "T-070", NECESSARY),
        ],
        id="emg_right_arm_cts_vs_radic",
    ),
    # T-068: objective weakness (3/5, drop arm) and failed strengthening program, surgery
    # considered.
    pytest.param(
        (
            "The injured worker is a 54 year old male construction laborer who sustained an "
            "industrial injury on 06-01-2016 when he caught a falling beam with his right arm. "
            "Diagnoses include right rotator cuff tear, rule out full thickness. He has completed"
            " 12 sessions of physical therapy and a home strengthening program and takes "
            "ibuprofen, but has not improved. On 11-10-2016 he reported pain and inability to "
            "lift his right arm overhead. Examination revealed active abduction limited to 80 "
            "degrees, supraspinatus and external rotation strength 3/5, a positive drop arm test "
            "and a positive Hawkins test on the right. X-rays of the right shoulder were normal. "
            "He would consider surgical repair. An MRI of the right shoulder was requested."
        ),
        [
            ("MRI of the right shoulder", "T-068", NECESSARY),
        ],
        id="shoulder_mri_met",
    ),
    # T-091: discography not recommended (ODG); no exceptional factors.
    pytest.param(
        (
            "The injured worker is a 46 year old male delivery driver with an industrial injury "
            "on 02-02-2015. He carries diagnoses of lumbar degenerative disc disease and chronic "
            "low back pain. He has failed physical therapy, chiropractic care, epidural steroid "
            "injections and medications. MRI showed desiccation at L4-5 and L5-S1. On 11-01-2016 "
            "the surgeon requested provocative discography to identify the pain generator before "
            "considering fusion."
        ),
        [
            ("Lumbar discogram at L3-4, L4-5 and L5-S1", "T-091", NOT_NECESSARY),
        ],
        id="discogram",
    ),
    # T-066 / X-5: suspected compression fracture after a fall in an osteoporotic worker.
    pytest.param(
        (
            "The injured worker is a 67 year old female custodian with known osteoporosis who "
            "slipped and fell backward from a step stool at work on 12-01-2016, landing on her "
            "buttocks. On 12-05-2016 she reported severe midline low back pain. Exam showed point"
            " tenderness over the spinous process of L1 with painful limited motion; neurologic "
            "exam of the legs was normal. A compression fracture was suspected and radiographs of"
            " the lumbar spine were ordered."
        ),
        [
            ("X-rays of the lumbar spine", "T-066", NECESSARY),
        ],
        id="xray_fracture",
    ),
    # T-075: mechanical symptoms + exam signs (effusion, joint-line tenderness, McMurray) + MRI
    # tear + failed PT/NSAID; T-076: 7-day post-op rental of an authorized surgery.
    pytest.param(
        (
            "The injured worker is a 41 year old male warehouse worker who twisted his right knee"
            " on 05-19-2016 when he stepped off a loading dock. Diagnosis: tear of the medial "
            "meniscus, right knee. He completed 10 sessions of physical therapy and a home "
            "exercise program, took naproxen and modified his activities, but continues to have "
            "right knee pain with episodes of locking and giving way, and recurrent swelling. On "
            "11-15-2016 examination demonstrated a small effusion, medial joint-line tenderness, "
            "a positive McMurray test and lack of the last 10 degrees of flexion. Right knee "
            "x-rays showed well-preserved joint spaces. MRI of the right knee dated 08-2016 "
            "revealed a complex tear of the posterior horn of the medial meniscus. Arthroscopic "
            "partial medial meniscectomy was requested with a cold therapy unit for seven days "
            "after surgery."
        ),
        [
            ("Right knee arthroscopy with partial medial meniscectomy", "T-075", NECESSARY),
            ("Post-operative cold therapy unit, 7 day rental", "T-076", NECESSARY),
        ],
        id="knee_apm_met",
    ),
    # T-075: degenerative tear with advanced OA and no mechanical symptoms; T-076 falls with the
    # denied surgery (section 5.I ancillary rule).
    pytest.param(
        (
            "The injured worker is a 64 year old female cafeteria worker with a cumulative trauma"
            " injury to the left knee dated 12-01-2014. Diagnoses include severe tricompartmental"
            " osteoarthritis of the left knee and a degenerative tear of the medial meniscus. "
            "Standing x-rays show bone-on-bone medial compartment narrowing, Kellgren-Lawrence "
            "grade 4. She reports constant aching pain with weight bearing but denies locking, "
            "catching or giving way. She has had physical therapy and takes meloxicam. On "
            "11-07-2016 exam showed crepitus and genu varum. MRI dated 09-2016 noted a "
            "degenerative horizontal tear of the posterior horn of the medial meniscus with "
            "full-thickness cartilage loss. Arthroscopic meniscectomy with debridement was "
            "requested with a postoperative cold unit."
        ),
        [
            ("Left knee arthroscopy, partial meniscectomy and debridement", "T-075", NOT_NECESSARY),
            ("Post-op cold therapy unit rental x 7 days", "T-076", NOT_NECESSARY),
        ],
        id="knee_apm_oa",
    ),
    # T-074: full-thickness tear on MRI, weakness/drop arm, PT + injection failed; T-076: 7-day
    # post-op rental.
    pytest.param(
        (
            "The injured worker is a 52 year old male electrician who injured his right shoulder "
            "on 04-11-2016 when he fell from a ladder. He is diagnosed with a full-thickness tear"
            " of the right supraspinatus tendon. Treatment has included 16 sessions of physical "
            "therapy, a subacromial corticosteroid injection on 07-06-2016 that gave temporary "
            "relief, ibuprofen and work restrictions. On 11-02-2016 he reported night pain and "
            "inability to raise his arm overhead. Examination showed active forward flexion to "
            "100 degrees, supraspinatus strength 3/5, a positive drop arm sign and a positive "
            "empty can test. MRI of the right shoulder dated 08-16-2016 demonstrated a "
            "full-thickness supraspinatus tear with 1.5 cm retraction. Right shoulder "
            "arthroscopic rotator cuff repair was requested."
        ),
        [
            ("Right shoulder arthroscopic rotator cuff repair", "T-074", NECESSARY),
            ("Post-operative cold therapy unit 7 day rental", "T-076", NECESSARY),
        ],
        id="rcr_met",
    ),
    # T-074: impingement needs 3-6 months of conservative care including an injection; the post-op
    # sling falls with the surgery (5.I).
    pytest.param(
        (
            "The injured worker is a 39 year old female hair stylist who reported left shoulder "
            "pain from repetitive overhead work with a date of injury of 09-20-2016. Diagnosis: "
            "left shoulder impingement syndrome. She has attended four physical therapy visits "
            "and takes ibuprofen; no injection has been given. On 11-14-2016 she reported pain "
            "with overhead reaching. Examination revealed positive Neer and Hawkins signs, full "
            "strength and full range of motion. Left shoulder MRI of 11-2016 showed supraspinatus"
            " tendinosis without a tear. Arthroscopic subacromial decompression was requested."
        ),
        [
            ("Left shoulder arthroscopic subacromial decompression", "T-074", NOT_NECESSARY),
            ("Post-operative shoulder sling", "T-077", NOT_NECESSARY),
        ],
        id="sad_no_injection",
    ),
    # T-073: positive Tinel/Phalen, abnormal NCS, failed splinting/activity
    # modification/injection.
    pytest.param(
        (
            "The injured worker is a 46 year old female sewing machine operator with a cumulative"
            " trauma injury dated 01-04-2016. She is diagnosed with right carpal tunnel syndrome."
            " She has worn a neutral night wrist splint for three months, had her work modified "
            "for more than a month, takes naproxen, and had a steroid injection into the right "
            "carpal tunnel that gave only brief relief. She reports nocturnal numbness that wakes"
            " her and tingling of the right thumb, index and middle fingers. On 11-22-2016 "
            "examination showed a positive Tinel's sign and positive Phalen's test at the right "
            "wrist, decreased sensation to light touch in the median distribution and two-point "
            "discrimination of 6 mm. Nerve conduction studies of 09-2016 demonstrated moderate "
            "right median neuropathy at the wrist with prolonged distal motor and sensory "
            "latencies. A right carpal tunnel release was requested."
        ),
        [
            ("Right carpal tunnel release", "T-073", NECESSARY),
        ],
        id="ctr_met",
    ),
    # T-073: no nerve-conduction study supporting the diagnosis.
    pytest.param(
        (
            "The injured worker is a 33 year old male data entry operator with a date of injury "
            "of 07-25-2016. He reports numbness in the left hand. Diagnosis: left carpal tunnel "
            "syndrome, clinical. On 11-17-2016 Tinel's test was positive at the left wrist, "
            "Phalen's was equivocal, and strength was normal. He has worn a wrist splint for "
            "three weeks. No nerve conduction studies or EMG have been performed. Left carpal "
            "tunnel release surgery was requested."
        ),
        [
            ("Left carpal tunnel release", "T-073", NOT_NECESSARY),
        ],
        id="ctr_no_ncs",
    ),
    # T-072: degenerative disc disease without instability, spondylolisthesis or fracture is not
    # an indication.
    pytest.param(
        (
            "The injured worker is a 49 year old male heavy equipment operator injured on "
            "10-10-2014. He is treated for chronic low back pain due to multilevel lumbar "
            "degenerative disc disease. Flexion-extension radiographs show no instability or "
            "spondylolisthesis. Lumbar MRI shows disc desiccation at L3-4, L4-5 and L5-S1. He has"
            " had physical therapy, chiropractic treatment and epidural injections. He smokes one"
            " pack of cigarettes per day. No psychological screening has been done. On 11-09-2016"
            " the spine surgeon requested a three-level lumbar fusion."
        ),
        [
            ("L3-S1 posterior lumbar interbody fusion", "T-072", NOT_NECESSARY),
        ],
        id="fusion_ddd",
    ),
    # T-071: S1 radiculopathy on exam matching MRI (and EMG) at L5-S1, failed conservative care
    # incl. ESI.
    pytest.param(
        (
            "The injured worker is a 37 year old female certified nursing assistant who injured "
            "her low back on 05-23-2016 lifting a patient. Her diagnosis is a left L5-S1 disc "
            "herniation with left S1 radiculopathy. She completed 12 physical therapy sessions, "
            "took naproxen and cyclobenzaprine, modified her activity for several months, and had"
            " a left L5-S1 transforaminal epidural steroid injection in 09-2016 with only one "
            "week of relief. On 11-16-2016 she reported disabling left leg pain to the sole of "
            "the foot that limits sitting and walking. Examination revealed an absent left ankle "
            "reflex, left plantar flexion weakness 4/5, decreased sensation over the left lateral"
            " foot and a positive left straight leg raise at 30 degrees. MRI dated 07-2016 showed"
            " a large left paracentral disc extrusion at L5-S1 compressing the left S1 nerve "
            "root. EMG dated 10-2016 confirmed an acute left S1 radiculopathy. A left L5-S1 "
            "microdiscectomy was requested."
        ),
        [
            ("Left L5-S1 microdiscectomy", "T-071", NECESSARY),
        ],
        id="discectomy_met",
    ),
    # T-076: powered cold/heat unit not for non-surgical use; 30-day rental exceeds 7 days.
    pytest.param(
        (
            "The injured worker is a 40 year old male courier who strained his low back on "
            "09-12-2016 lifting a package. Diagnosis: lumbar strain. He has attended physical "
            "therapy and takes ibuprofen. No surgery is planned. On 11-14-2016 he reported low "
            "back pain 4/10. The provider requested a hot and cold therapy unit for home use."
        ),
        [
            ("Hot/cold therapy unit, 30 day rental", "T-076", NOT_NECESSARY),
        ],
        id="cold_no_surgery",
    ),
    # T-077: lumbar support for chronic non-specific low back pain (ACOEM ch. 12 p. 301).
    pytest.param(
        (
            "The injured worker is a 55 year old female housekeeper with an industrial injury "
            "dated 01-20-2014. She is treated for chronic nonspecific low back pain and lumbar "
            "strain. Lumbar x-rays show mild degenerative changes without fracture, "
            "spondylolisthesis or instability. She has completed physical therapy and takes "
            "acetaminophen. No surgery is planned. On 11-21-2016 she reported ongoing low back "
            "pain. A lumbar sacral orthosis was requested for support."
        ),
        [
            ("LSO back brace", "T-077", NOT_NECESSARY),
        ],
        id="lso_chronic",
    ),
    # T-077: neutral wrist splint for carpal tunnel syndrome (ACOEM ch. 11).
    pytest.param(
        (
            "The injured worker is a 35 year old female cashier with a cumulative trauma injury "
            "dated 09-01-2016. She reports numbness of the right thumb, index and middle fingers "
            "at night. Diagnosis: right carpal tunnel syndrome. On 11-08-2016 Phalen's and "
            "Tinel's tests were positive on the right and sensation was reduced in the median "
            "distribution. She has been taking ibuprofen. A neutral wrist splint for night wear "
            "was requested."
        ),
        [
            ("Right wrist cock-up splint", "T-077", NECESSARY),
        ],
        id="wrist_splint_cts",
    ),
    # T-078: not homebound, and only homemaker services requested.
    pytest.param(
        (
            "The injured worker is a 59 year old female with an industrial injury of 03-30-2015 "
            "to the low back. She is treated for chronic low back pain. She walks independently, "
            "drives herself to appointments and attends the gym. On 11-10-2016 she reported "
            "difficulty with vacuuming and carrying groceries. The provider requested a home "
            "health aide to help with housekeeping, laundry and cooking."
        ),
        [
            (
                "Home health aide 4 hours a day, 5 days a week, for housekeeping",
                "T-078",
                NOT_NECESSARY,
            ),
        ],
        id="home_health_chores",
    ),
    # T-088: power mobility device where a cane suffices and the arms can propel a manual chair.
    pytest.param(
        (
            "The injured worker is a 61 year old male with a date of injury of 06-06-2013 "
            "involving the low back and right knee. He is diagnosed with chronic low back pain "
            "and right knee osteoarthritis. He ambulates with a single point cane for community "
            "distances and has full strength and function in both upper extremities. His wife "
            "lives with him. On 11-03-2016 he reported fatigue when walking more than two blocks."
            " A motorized scooter was requested."
        ),
        [
            ("Power scooter", "T-088", NOT_NECESSARY),
        ],
        id="power_scooter",
    ),
    # T-080: lumbar traction not recommended.
    pytest.param(
        (
            "The injured worker is a 47 year old male with an industrial injury dated 02-14-2016,"
            " treated for lumbar disc protrusion and low back pain. He has had physical therapy "
            "and takes naproxen. On 11-18-2016 he reported low back pain radiating to the right "
            "buttock. A home lumbar traction device was requested."
        ),
        [
            ("Home lumbar traction unit", "T-080", NOT_NECESSARY),
        ],
        id="lumbar_traction",
    ),
    # T-081: progressive deficit with a surgical lesion; plan needs expertise beyond the treater's
    # scope.
    pytest.param(
        (
            "The injured worker is a 44 year old male truck loader with an industrial injury "
            "dated 04-18-2016. He is diagnosed with a right L4-5 disc extrusion and right L5 "
            "radiculopathy. Despite 12 sessions of physical therapy, a lumbar epidural steroid "
            "injection that did not help, naproxen and gabapentin, his right leg pain and "
            "weakness have progressed. On 11-21-2016 examination showed right foot dorsiflexion "
            "weakness 3/5, worsened from 4/5 a month earlier, right L5 sensory loss and a "
            "positive straight leg raise. MRI from 07-2016 showed a right L4-5 extrusion "
            "compressing the right L5 root. The primary treating physician requested a "
            "consultation with a spine surgeon to evaluate surgical options."
        ),
        [
            ("Spine surgery consultation", "T-081", NECESSARY),
        ],
        id="spine_consult_met",
    ),
    # T-082: a block of 12 future visits without a stated need for each.
    pytest.param(
        (
            "The injured worker is a 42 year old female with an industrial injury on 08-08-2015 "
            "to the right wrist. She is treated for right wrist sprain that has improved. She "
            "takes ibuprofen as needed and works full duty. On 11-30-2016 she reported mild "
            "intermittent wrist discomfort with a normal examination. The provider requested "
            "twelve monthly follow-up office visits."
        ),
        [
            ("Monthly follow-up visits x 12", "T-082", NOT_NECESSARY),
        ],
        id="visits_block",
    ),
    # T-082: one visit for a worker on opioids who needs regular monitoring.
    pytest.param(
        (
            "The injured worker is a 53 year old male with an industrial injury on 10-02-2013 to "
            "the lumbar spine. He is treated for chronic low back pain and lumbar radiculopathy "
            "and is maintained on hydrocodone/acetaminophen 10/325 mg three times a day and "
            "gabapentin 600 mg three times a day, with urine drug screens consistent and a signed"
            " opioid agreement on file. On 11-28-2016 he reported pain of 8/10 without "
            "medications and 4/10 with them, allowing him to walk 30 minutes. The provider "
            "requested one follow-up visit for medication management in four weeks."
        ),
        [
            ("Follow-up visit with pain management, 1 visit", "T-082", NECESSARY),
        ],
        id="visit_opioid",
    ),
    # T-064: within the first month, no red flags, mild deficit.
    pytest.param(
        (
            "The injured worker is a 35 year old male framer who injured his low back on "
            "11-28-2016 lifting a beam at work. On 12-06-2016 he reported low back pain radiating"
            " into the left calf. Examination showed mildly decreased sensation over the left L5 "
            "dermatome with normal strength and symmetric reflexes, and a positive straight leg "
            "raise on the left. He denied bowel or bladder symptoms, saddle numbness, fever or "
            "weight loss, and there was no history of cancer. He started physical therapy and "
            "naproxen one week ago. He would consider surgery if needed. A lumbar MRI was "
            "requested."
        ),
        [
            ("MRI of the lumbar spine", "T-064", NOT_NECESSARY),
        ],
        id="mri_lumbar_two_weeks",
    ),
    # T-073: electrodiagnostic study was normal.
    pytest.param(
        (
            "The injured worker is a 50 year old female packer with an industrial injury on "
            "02-08-2016. She complains of right hand numbness. Diagnosis: right wrist pain, rule "
            "out carpal tunnel syndrome. She has worn a wrist splint at night for two months and "
            "takes ibuprofen. On 11-09-2016 Tinel's sign was positive at the right wrist. "
            "Electrodiagnostic studies of the right upper extremity dated 10-05-2016 were normal,"
            " with normal median nerve latencies and no evidence of carpal tunnel syndrome or "
            "radiculopathy. A right carpal tunnel release was requested."
        ),
        [
            ("Right carpal tunnel release", "T-073", NOT_NECESSARY),
        ],
        id="ctr_normal_ncs",
    ),
    # T-065 / X-5: myelopathic signs after trauma (Hoffmann, clonus, hyperreflexia, gait) are a
    # red flag.
    pytest.param(
        (
            "The injured worker is a 60 year old male with an industrial injury on 12-02-2016 "
            "when he fell down a flight of stairs at work and struck his head and neck. On "
            "12-07-2016 he reported neck pain, clumsiness of both hands and unsteady walking "
            "since the fall. Examination revealed a positive Hoffmann sign bilaterally, "
            "hyperreflexia in all four limbs, sustained ankle clonus and a wide-based gait. "
            "Cervical myelopathy was suspected and an urgent cervical MRI was requested."
        ),
        [
            ("MRI of the cervical spine", "T-065", NECESSARY),
        ],
        id="mri_cervical_myelopathy",
    ),
    # T-070: bilateral studies for unilateral symptoms (left arm normal).
    pytest.param(
        (
            "The injured worker is a 45 year old male machinist with an industrial injury on "
            "05-05-2016. He is treated for right cubital tunnel syndrome, rule out right cervical"
            " radiculopathy. He has used an elbow pad, changed his work tasks and taken naproxen "
            "for three months. On 11-30-2016 he reported numbness of the right ring and little "
            "fingers. Examination showed a positive Tinel's sign at the right elbow and decreased"
            " sensation in the right ulnar distribution. The left upper extremity was "
            "asymptomatic with a normal neurologic exam. Electrodiagnostic studies of both upper "
            "extremities were requested."
        ),
        [
            ("EMG/NCS bilateral upper extremities", "T-070", NOT_NECESSARY),
        ],
        id="emg_bilateral_arm_one_side",
    ),
    # T-081: no uncertain/complex diagnosis, psychosocial factor or exhausted scope; improving
    # sprain.
    pytest.param(
        (
            "The injured worker is a 38 year old female bank teller with an industrial injury on "
            "07-11-2016 to the right wrist. Her diagnosis is right wrist sprain. She has had six "
            "sessions of occupational therapy with steady improvement and takes ibuprofen as "
            "needed. On 11-16-2016 she reported mild right wrist soreness, rated 2/10, and is "
            "working full duty. Examination showed full range of motion, normal strength and "
            "intact sensation. There are no neurologic complaints. A neurology consultation was "
            "requested."
        ),
        [
            ("Neurology consultation", "T-081", NOT_NECESSARY),
        ],
        id="neuro_consult_no_reason",
    ),
    # T-081: psychosocial factors (moderately severe depression) are a reason for referral.
    pytest.param(
        (
            "The injured worker is a 46 year old male warehouse supervisor with an industrial "
            "injury on 01-19-2015 to the low back. He has chronic low back pain after failed "
            "physical therapy, epidural injections and medications. At the visit of 11-17-2016 he"
            " reported depressed mood, tearfulness, hopelessness, poor sleep and loss of interest"
            " since the injury; his PHQ-9 score was 19, indicating moderately severe depression. "
            "He has not received any mental health treatment. The treating physician requested a "
            "psychiatric consultation for evaluation and management of depression."
        ),
        [
            ("Psychiatric consultation", "T-081", NECESSARY),
        ],
        id="psych_consult_depression",
    ),
    # T-079: no documented inability to self-transport.
    pytest.param(
        (
            "The injured worker is a 42 year old female with an industrial injury on 03-03-2016 "
            "to the left shoulder. She is treated for left shoulder impingement. She drives "
            "herself to work and to her physical therapy appointments. On 11-14-2016 she asked "
            "for transportation to future appointments because of the cost of gasoline. "
            "Transportation to medical appointments was requested."
        ),
        [
            ("Transportation to and from medical appointments", "T-079", NOT_NECESSARY),
        ],
        id="transport_drives",
    ),
    # T-059: impingement/tendinitis after >3 months of PT and NSAID, single injection within an
    # exercise program (ACOEM ch. 9 p. 204).
    pytest.param(
        (
            "The injured worker is a 47 year old female cashier with an industrial injury on "
            "04-20-2016 to the right shoulder from repetitive reaching. She is diagnosed with "
            "right shoulder impingement syndrome and rotator cuff tendinitis. She has completed "
            "12 sessions of physical therapy and a home exercise program and takes naproxen, with"
            " persistent pain for more than three months. On 11-22-2016 examination revealed "
            "positive Neer and Hawkins impingement signs, painful arc between 80 and 120 degrees "
            "and full strength. She has not had a prior shoulder injection. A single subacromial "
            "steroid injection was requested to help her progress in her exercise program."
        ),
        [
            ("Right shoulder subacromial corticosteroid injection", "T-059", NECESSARY),
        ],
        id="subacromial_inj_met",
    ),
    # T-052 criterion 6: interlaminar, no more than one level per session.
    pytest.param(
        (
            "The injured worker is a 53 year old male technician with an industrial injury on "
            "02-26-2016. He is diagnosed with cervical radiculopathy. Treatment to date includes "
            "physical therapy, chiropractic care, naproxen and cyclobenzaprine. On 11-09-2016 he "
            "reported left arm pain and numbness. Examination showed decreased sensation in the "
            "left C6 and C7 dermatomes, left triceps weakness 4/5 and a diminished left biceps "
            "reflex; Spurling's test was positive on the left. Cervical MRI of 06-2016 showed "
            "left foraminal stenosis at C5-6 and C6-7 compressing the exiting roots. An "
            "interlaminar injection covering two levels in one session was requested under "
            "fluoroscopy."
        ),
        [
            (
                "Cervical interlaminar epidural steroid injection at C5-C6 and C6-C7",
                "T-052",
                NOT_NECESSARY,
            ),
        ],
        id="cesi_interlaminar_two",
    ),
    # T-062: permanent implant requested without a successful temporary trial.
    pytest.param(
        (
            "The injured worker is a 55 year old female who was injured at work on 05-05-2012 and"
            " underwent an L4-5 laminectomy and fusion in 2013. Her diagnoses are failed back "
            "surgery syndrome and chronic right L5 radiculopathy. She has had physical therapy, "
            "epidural steroid injections, gabapentin and opioids without adequate relief. A "
            "psychological evaluation dated 09-2016 cleared her for neurostimulation. No "
            "stimulator trial has been performed. On 11-07-2016 her surgeon requested permanent "
            "implantation of a spinal cord stimulator."
        ),
        [
            ("Permanent spinal cord stimulator implantation", "T-062", NOT_NECESSARY),
        ],
        id="scs_implant_no_trial",
    ),
    # T-060: not recommended for joints other than the knee.
    pytest.param(
        (
            "The injured worker is a 62 year old male with an industrial injury on 08-10-2014 to "
            "the right shoulder. He is diagnosed with right glenohumeral osteoarthritis. He has "
            "had physical therapy, a steroid injection and NSAIDs. On 11-03-2016 he reported "
            "right shoulder pain. A hyaluronic acid injection to the right shoulder was "
            "requested."
        ),
        [
            ("Hyaluronic acid injection, right shoulder", "T-060", NOT_NECESSARY),
        ],
        id="visco_shoulder",
    ),
    # T-071: back pain without radicular findings; imaging shows no root compression.
    pytest.param(
        (
            "The injured worker is a 50 year old male mechanic with an industrial injury on "
            "09-09-2015. He complains of constant low back pain without leg symptoms. Diagnoses: "
            "lumbar degenerative disc disease and lumbar strain. He has had physical therapy and "
            "naproxen. On 11-10-2016 examination showed lumbar tenderness and reduced range of "
            "motion; sensation, strength and reflexes were normal and straight leg raise was "
            "negative. MRI showed a 2 mm L4-5 disc bulge without nerve root compression or "
            "stenosis. An L4-5 laminectomy was requested."
        ),
        [
            ("L4-5 laminectomy", "T-071", NOT_NECESSARY),
        ],
        id="decompression_axial",
    ),
    # T-066: repeat films without red flags or change.
    pytest.param(
        (
            "The injured worker is a 52 year old female with an industrial injury on 06-22-2014 "
            "to the low back. She is treated for chronic low back pain. Lumbar spine radiographs "
            "dated 08-30-2016 showed mild degenerative changes without fracture or instability. "
            "She has had physical therapy and takes naproxen. On 11-21-2016 she reported "
            "unchanged low back pain. The neurologic examination was normal and there were no red"
            " flags, trauma or new symptoms. Repeat lumbar x-rays were requested."
        ),
        [
            ("X-rays of the lumbar spine, 5 views", "T-066", NOT_NECESSARY),
        ],
        id="xray_repeat_no_change",
    ),
    # T-077: knee brace for an ACL tear with the knee stressed under load (ladders) (ACOEM ch. 13
    # p. 340).
    pytest.param(
        (
            "The injured worker is a 32 year old male lineman with an industrial injury on "
            "08-03-2016 when he twisted his right knee jumping from a truck bed. He is diagnosed "
            "with a right anterior cruciate ligament tear. MRI of the right knee dated 09-2016 "
            "confirmed a complete ACL tear. On 11-16-2016 examination showed a positive Lachman "
            "test and anterior drawer sign with instability. He has returned to modified work "
            "that requires climbing ladders and poles. A prefabricated hinged knee brace was "
            "requested."
        ),
        [
            ("Hinged knee brace, right knee", "T-077", NECESSARY),
        ],
        id="knee_brace_acl",
    ),
    # T-072: degenerative disc disease without instability; assistant surgeon, post-op brace and
    # inpatient stay fall with the denied surgery (5.I).
    pytest.param(
        (
            "The injured worker is a 44 year old female with an industrial injury on 05-15-2014 "
            "who has chronic low back pain. Diagnosis: lumbar degenerative disc disease at L4-5 "
            "and L5-S1. Flexion-extension radiographs showed no abnormal motion and no "
            "spondylolisthesis. She has had physical therapy, chiropractic care and an epidural "
            "injection. On 11-08-2016 her neurologic exam was normal. A two-level lumbar fusion "
            "was requested with an assistant surgeon, a post-operative lumbar brace and a three "
            "day inpatient stay."
        ),
        [
            ("L4-5 and L5-S1 lumbar fusion", "T-072", NOT_NECESSARY),
            ("Assistant surgeon", "OI-004", NOT_NECESSARY),
            ("Post-operative lumbar brace", "T-077", NOT_NECESSARY),
            ("Inpatient hospital stay 3 days", "OI-007", NOT_NECESSARY),
        ],
        id="fusion_with_ancillaries",
    ),
    # T-075 met (mechanical symptoms, signs, MRI tear, failed care); T-076: purchase is not
    # supported, only a 7-day rental.
    pytest.param(
        (
            "The injured worker is a 37 year old male with an industrial injury on 04-04-2016 "
            "when he twisted his right knee at work. Diagnosis: right lateral meniscus tear. "
            "Despite physical therapy, a home exercise program, naproxen and work restrictions, "
            "he has persistent right knee pain with locking and popping and the knee gives way on"
            " stairs. On 11-03-2016 examination revealed lateral joint line tenderness, an "
            "effusion and a positive McMurray test. Right knee x-rays show no arthritis. Right "
            "knee MRI dated 07-2016 showed a tear of the posterior horn of the lateral meniscus. "
            "An arthroscopic partial meniscectomy was requested along with purchase of a cold "
            "therapy unit."
        ),
        [
            ("Right knee arthroscopic partial meniscectomy", "T-075", NECESSARY),
            ("Cold therapy unit purchase", "T-076", NOT_NECESSARY),
        ],
        id="cold_purchase",
    ),
    # T-064: imaging is for a worker who would consider surgery (or injection); he declines both.
    pytest.param(
        (
            "The injured worker is a 58 year old male with an industrial injury on 04-14-2016. He"
            " has low back pain radiating into the left leg and a diagnosis of left L5 "
            "radiculopathy. He completed physical therapy and takes naproxen. On 11-15-2016 "
            "examination showed decreased sensation over the left L5 dermatome and 4/5 left great"
            " toe extension. He has told his physician that he will not undergo surgery under any"
            " circumstances and declines spinal injections. Surgery is not being considered. An "
            "MRI of the lumbar spine was requested to document his condition."
        ),
        [
            ("MRI of the lumbar spine", "T-064", NOT_NECESSARY),
        ],
        id="mri_lumbar_declines",
    ),
    # T-069: mechanical symptoms and derangement signs after failed PT, films done, arthroscopy
    # considered.
    pytest.param(
        (
            "The injured worker is a 30 year old male soccer referee employed by a city "
            "recreation department who sustained an industrial injury on 06-20-2016 when he "
            "pivoted and felt a pop in his right knee. He has attended eight physical therapy "
            "visits and takes naproxen, but continues to have catching and locking of the right "
            "knee with giving way on stairs. On 11-02-2016 examination showed a moderate "
            "effusion, lateral joint line tenderness and a positive McMurray test. Right knee "
            "radiographs on 07-2016 were negative for fracture or arthritis. An arthroscopic "
            "evaluation is being considered. MRI of the right knee was requested."
        ),
        [
            ("MRI of the right knee without contrast", "T-069", NECESSARY),
        ],
        id="knee_mri_met",
    ),
    # T-070: leg nerve conduction studies for presumed radiculopathy, no neuropathy or entrapment
    # question.
    pytest.param(
        (
            "The injured worker is a 41 year old female with an industrial injury on 03-17-2016 "
            "from lifting a box of files. She is diagnosed with lumbar radiculopathy on the left."
            " She has had physical therapy and takes gabapentin and ibuprofen. On 11-07-2016 she "
            "reported pain radiating from the low back to the left lateral calf with tingling. "
            "Examination revealed diminished sensation over the left L5 dermatome and a positive "
            "straight leg raise on the left. She has no diabetes, no alcohol use and no symptoms "
            "suggesting a peripheral neuropathy or nerve entrapment. Nerve conduction studies of "
            "the left leg were requested."
        ),
        [
            ("NCV of the left lower extremity", "T-070", NOT_NECESSARY),
        ],
        id="ncv_legs_radicular",
    ),
]


@pytest.mark.parametrize(("text", "items"), CASES)
def test_engine_decides_as_the_domain_criteria_imply(
    kb: KnowledgeBase, text: str, items: list[tuple[str, str, Decision]]
) -> None:
    facts = extract_facts(text)
    requests = [request for request, _, _ in items]
    if len(requests) == 1:
        decided = [decide_item(requests[0], facts, ON, kb)]
    else:
        # A procedure with its ancillary services: decided together (section 5.I).
        decided = determine(facts, requests, ON, kb).items
    for (request, entry_id, decision), item in zip(items, decided, strict=True):
        assert item.treatment_id == entry_id, request
        assert item.decision is decision, (request, item.reason)


def test_the_cases_cover_both_outcomes() -> None:
    outcomes = [decision for param in CASES for _, _, decision in param.values[1]]
    assert outcomes.count(NECESSARY) >= len(outcomes) // 4
    assert outcomes.count(NOT_NECESSARY) >= len(outcomes) // 4
