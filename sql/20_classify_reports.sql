SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;

-- Results reports (a pathology, radiology or microbiology report, by its
-- title) and the requests that name the practice: each letter written for
-- this test in words of our own, with controls.
CREATE TEMP TABLE letter (id text PRIMARY KEY, body text NOT NULL);
INSERT INTO letter VALUES
 -- acting on a result is a test action: a report asking to prescribe or review
 ('report-prescribe', E'MICROBIOLOGY REPORT\nSpecimen: wound swab, left shin\n\nStaphylococcus aureus isolated, resistant to flucloxacillin.\nComment: Please prescribe doxycycline 100 mg daily for 7 days.'),
 ('report-review', E'FULL BLOOD COUNT\nPatient: Mr Ian Pike\n\nPlatelets fallen to 41 since the last count.\nComment: please review him this week for bruising or bleeding.'),
 -- a clinic letter that mentions a test is no report
 ('clinic-mentions-ecg', E'Cardiology Clinic\n\nDear Dr Roe,\nI saw Mr Lane today. His ECG shows atrial fibrillation. Please prescribe apixaban 5 mg twice daily.'),
 -- a referral alone: the writers of the corpora disagree, so no test is added
 ('report-refer', E'RADIOLOGY REPORT - CT THORAX\n\nA 3 cm spiculated mass in the right upper lobe.\nThe referring clinician is advised to refer the patient on the two-week-wait pathway.'),
 -- a report's advice is to the clinician who asked; a 111 message's to the patient
 ('report-advice', E'VIROLOGY - TELEPHONED RESULT\nStool PCR: norovirus detected.\n\nAdvice given: Please review him today and stop his lansoprazole.'),
 ('advice-to-patient', E'NHS 111 summary\n\nAdvice given: rest and drink plenty of fluids. Contact your GP if you are no better in a week.'),
 -- a clause whose subject is the practice asks the GP
 ('gp-named-visit', E'Community Palliative Care\n\nHis daughter asked whether their GP could visit him tomorrow to talk about his pain.'),
 ('gp-named-advice', E'Acute Oncology triage\n\nAdvice: stop the capecitabine for now. As she lives far from the centre, could her GP see her tomorrow and check her U&E.'),
 ('gp-named-control', E'Community Palliative Care\n\nHis daughter visits him every day; we will see him again tomorrow.'),
 -- a table of values is not prose; one out of range with nothing asked is for a human
 ('table-normal', E'PATHOLOGY REPORT\nPatient: Ms Jo Hart\n\nSodium      139   mmol/L   (133-146)\nPotassium   4.4   mmol/L   (3.5-5.3)\nUrea        5.0   mmol/L   (2.5-7.8)\nCreatinine  70    umol/L   (45-84)\nCalcium     2.40  mmol/L   (2.20-2.60)\n\nComment: all within the reference ranges.'),
 ('table-abnormal', E'PATHOLOGY REPORT\nPatient: Mr Al Drew\n\nHaemoglobin   71  L  g/L   (130-170)\nMCV           68  L  fL    (80-100)\nPlatelets     390    x10^9/L (150-400)\nFerritin      4   L  ug/L  (30-400)'),
 ('table-critical', E'BIOCHEMISTRY\nPatient: Mrs Ann Lowe\n\nSodium      137        mmol/L   (133-146)\nPotassium   6.8   HH   mmol/L   (3.5-5.3)\nCreatinine  212   H    umol/L   (45-84)\nUrea        19.1  H    mmol/L   (2.5-7.8)'),
 -- a unit over a full stop ends the sentence: "mmol/L." is no initial
 ('unit-full-stop', E'BONE PROFILE\nAdjusted calcium   3.21  H  mmol/L  (2.20-2.60)\n\nComment: adjusted calcium above 3.0 mmol/L. Please review her within 24 hours.'),
 -- a number followed by a time is no result
 ('lab-then-time', E'Dear Dr Roe,\nWe have increased her spironolactone. Please recheck her potassium 2 weeks after the change.'),
 -- time frames: a bank holiday; a weekday beside a reason that something is closed
 ('tf-bank-holiday', E'Dear Dr Roe,\nWe started edoxaban today. Could you please issue a prescription before the bank holiday weekend.'),
 ('tf-weekday-reason', E'Day Surgery Unit\n\nWe would be grateful if the practice nurse could check the wound on Monday, as our unit is closed at the weekend.'),
 ('closed-still-past', E'Dear Dr Roe,\nThe safeguarding referral made in the spring is now closed.'),
 -- a 111 disposition for the practice
 ('disposition-gp', E'NHS 111 Post Event Message\n\nThe caller has had a sore throat and a fever for three days and is drinking well.\nDisposition: Speak to own GP practice within 12 hours.\nWorsening advice given.'),
 -- a reason given after a time frame does not make it past
 ('reason-no-comma', E'Dear Dr Roe,\nPlease check her U&E within 48 hours as her creatinine rose last week.'),
 -- one request asks for the whole referral of its sentence, a parenthesis between
 ('shared-2ww', E'ULTRASOUND REPORT\n\nA solid 4 cm mass in the left kidney.\nThe GP is asked to refer the patient on the suspected urological cancer (two-week-wait) pathway.'),
 -- "sees", and an assessment asked for
 ('gp-sees', E'Community Pharmacy\n\nWe would ask that a GP sees him within the next day about the dispensing error.'),
 ('assessment-asked', E'CRITICAL RESULT\nSodium 117 mmol/L (133-146)\n\nComment: marked hyponatraemia, which is new since her last result in the spring and was telephoned to the practice. Requires same-day clinical assessment.'),
 -- a supply running out: its days say when; out already is now; no days, no deadline
 ('supply-3-days', E'Eye Unit\n\nWe supplied three days of prednisolone. Please prescribe it before the 3-day supply runs out.'),
 ('supply-7-days', E'Dear Dr Roe,\nPlease issue a prescription before her 7-day supply runs out.'),
 ('supply-out', E'Community Pharmacy\n\nHe has run out of insulin; please issue a prescription.'),
 ('supply-unsaid', E'Dear Dr Roe,\nPlease prescribe her inhaler before it runs out.'),
 -- after the patient's death a call is to the family; a dependant left alone is a concern
 ('death-call-wife', E'Heart Failure Nursing\n\nMr Ebo Mensah died at home yesterday evening; his death was expected. His wife is coping but would appreciate a call from the surgery this week.'),
 ('death-dependant', E'Verification of death\n\nMrs Ida Frost died at home this morning. Her son, who has a severe learning disability, is now alone in the house and we have raised a safeguarding concern. Please could a GP visit him today.'),
 -- "Dad", "Mum" as a name in a relative's message are the patient; "her dad" is someone else
 ('kin-as-name-death', E'Subject: my father\n\nHello,\nJust to let the surgery know that Dad slipped away last night at home. The nurse has been.\nThanks, Amy (his daughter)'),
 ('kin-owned-death', E'Dear Dr Roe,\nShe has been low in mood since her dad passed away.'),
 ('slipped-away-from', E'Care home message\n\nMr Hurst slipped away from the home this afternoon and was found by the police an hour later, unhurt.'),
 -- a laboratory's comment gives its advice as bare verbs
 ('report-bare-verb', E'Biochemistry result\n25-OH vitamin D   14 nmol/L   (deficient <25)\n\nComment: Vitamin D deficiency. Treat with colecalciferol 20,000 units weekly for 6 weeks.');

SELECT id, (t).urgency, (t).actions, (t).needs_review, (t).reason
  FROM (SELECT id, letters_triage.classify(body) AS t FROM letter) s ORDER BY id;

-- what counted, and why the rest did not
SELECT l.id, e.pattern, e.action, e.urgency, e.context, e.counted, e.why_not
  FROM letter l, letters_triage.evidence(l.body) e
 WHERE l.id IN ('report-prescribe', 'clinic-mentions-ecg', 'report-advice', 'gp-named-visit', 'unit-full-stop', 'report-bare-verb')
 ORDER BY l.id, e.char_offset, e.pattern;
