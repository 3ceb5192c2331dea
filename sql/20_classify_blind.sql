SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;

-- Classes of error found on a blind set written by someone who saw neither the
-- code nor the corpora (test/data/letters5.csv), each written here in words of
-- our own, with a control that must not change.
CREATE TEMP TABLE letter (id text PRIMARY KEY, body text NOT NULL);
INSERT INTO letter VALUES
 -- class 1: the patient's death told by a relative who informs the sender of
 -- their own parent's or spouse's death
 ('death-informed-by-daughter', E'Podiatry service\n\nRe: Mr Colin Rees\nWe rang to confirm his nail surgery date; his daughter informed us that her father had died in hospital on Sunday. We have removed him from our list.'),
 ('death-informed-by-husband', E'Dietetics\n\nRe: Mrs Jean Rees\nWhen we phoned about her appointment her husband informed us that his wife passed away on Friday.'),
 ('other-death-informed', E'Dear Dr Roe,\nMrs Rees informed us that her brother died last month; she is coping well. No action needed.'),
 -- a prescription to be issued for a list of medicines today
 ('issue-list-today', E'Community palliative care\n\nMrs Ward is now in her last days at home. Please would you issue the following today:\n- Oxycodone 5 mg/mL injection, 1-2 mg SC PRN\n- Haloperidol 5 mg/mL injection, 0.5-1 mg SC PRN'),
 ('issue-control', E'Dear Dr Roe,\nThe main issue at today''s visit was her hearing; no change to her medicines.'),
 -- a result the laboratory itself calls critical is for action the same day
 ('critical-value-named', E'Blood Sciences\n\nCRITICAL VALUE NOTIFICATION\nSerum magnesium 0.28 mmol/L (0.70-1.00). Telephoned to the duty doctor at 16:10.'),
 ('not-critical', E'Blood Sciences\n\nMagnesium 0.66 mmol/L (0.70-1.00). This is not a critical result; please recheck with his next routine bloods.'),
 -- "ensure the patient has been contacted": the patient is the one contacted, the practice the one asked
 ('ensure-contacted', E'Chemical pathology\n\nPlease ensure that the patient has been contacted and reviewed this evening.'),
 ('patient-has-been-told', E'Dear Dr Roe,\nThe patient has been advised to contact the surgery if the rash spreads.'),
 -- an indirect request is no condition: "asked if a doctor could visit today"
 ('asked-if-doctor-today', E'Telephone message\n\nHer carer rang: Mrs Dunn is drowsy and off her legs. The carer asked if a doctor could call round today.'),
 ('real-if-today', E'Dear Dr Roe,\nIf she is no better by the weekend, please visit.'),
 -- money taken by someone: financial abuse said plainly
 ('money-taken', E'Dear Dr Roe,\nHe told our nurse that his grandson has been taking his money and his bank card every week.'),
 -- a request to the practice as a lead-in, with its own deadline
 ('request-to-practice-today', E'Child protection notification\n\nRe: baby Alfie (6 weeks), unexplained bruising\n\nRequests to the practice today:\n1. Share any health information about the family with the social worker.\n2. Flag the child''s record.'),
 -- what the sender says it cannot do is left to the GP
 ('we-cannot-refer', E'Advice and guidance reply\n\nThe lesion looks suspicious. Could you please turn this enquiry into a referral on the suspected skin cancer (2WW) pathway - we are unable to do so from the advice service.'),
 ('we-will-refer', E'Dear Dr Roe,\nThe lesion looks suspicious; we will raise a 2WW referral ourselves.'),
 ('we-cannot-control', E'Dear Dr Roe,\nWe cannot offer her physiotherapy until her wound has healed.'),
 -- class 9: a scanned letter whose 0 and 1 stand for o, l and I; a typed one keeps its codes
 ('ocr-digits', E'[scan]\nC0MMUNITY HEART FAlLURE TEAM\nHer f1uid has built up again and her weight is up 3 kg. P1ease arrange U&E check within 2 days and review her diuretic.'),
 ('ocr-word-end', E'[scan]\nH0SPITAL RADl0LOGY\nAppearances suspicious for renal carcinorna. P1ease refer urgent1y to ur0logy.'),
 ('typed-codes', E'Dear Dr Roe,\nHbA1c 62, tumour staged T1N0M0. Please repeat the HbA1c in 3 months.'),
 -- an imperative in a report to the requester asks as "please" does; a condition stays one
 ('imperative-refer', E'ULTRASOUND ABDOMEN\n\nConclusion: 4 cm solid mass in the left kidney.\nRecommendation: Refer on the suspected urological cancer (2WW) pathway.'),
 ('imperative-conditional', E'Dear Dr Roe,\nHer platelets are 96. Refer to haematology if they fall below 80.'),
 ('imperative-past', E'Dear Dr Roe,\nReferred to the 2WW lung clinic by us today.'),
 -- a medicine to be prescribed today at the sender's request
 ('to-be-prescribed-today', E'Anticoagulation clinic\n\nHer INR is 9.1 and warfarin is withheld. Please arrange for vitamin K to be prescribed today.');

SELECT id, (t).urgency, (t).actions, (t).needs_review
  FROM (SELECT id, letters_triage.classify(body) AS t FROM letter) s ORDER BY id;

-- the evidence behind some of them
SELECT l.id, e.pattern, e.action, e.urgency, e.context, e.counted, e.why_not
  FROM letter l, letters_triage.evidence(l.body) e
 WHERE l.id IN ('death-informed-by-daughter', 'other-death-informed', 'ensure-contacted',
                'asked-if-doctor-today', 'we-cannot-refer', 'ocr-word-end', 'imperative-refer')
 ORDER BY l.id, e.char_offset, e.pattern;
