SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;

-- Letters written for these tests, one per trap class; each shows what the
-- classifier concluded and which matches did not count and why.
CREATE TEMP TABLE letter (id text PRIMARY KEY, body text NOT NULL);
INSERT INTO letter VALUES
 ('neg-before', E'Dear Dr Ellis,\nI reviewed Mr Oduya in the respiratory clinic. There are no safeguarding concerns and no medication changes. No urgent action is required from the practice.\nYours sincerely'),
 ('neg-after', E'Dear Dr Ellis,\nRepeat bloods are not required. A referral to physiotherapy is not needed. Safeguarding: none.\nKind regards'),
 ('safety-net', E'Dear Dr Ellis,\nMrs Quayle was seen after a fall and is well. She has been advised to seek urgent medical review if she develops headache or vomiting, and to call 999 if she becomes drowsy.\nNo follow-up is needed.'),
 ('family', E'Dear Dr Ellis,\nMr Brandt is well. His father died of a stroke aged 60 and his sister had bowel cancer. Family history of diabetes.\nInformation only.'),
 ('past', E'Dear Dr Ellis,\nMs Kaur had a safeguarding referral in 2019, now closed. She previously had a DVT and was treated with warfarin, completed in 2020.\nNo action needed.'),
 ('place', E'Dear Dr Ellis,\nMr Lowe attended the Urgent Treatment Centre with a sprained ankle and was managed with advice. He was then seen in the Same Day Emergency Care unit.\nNo GP action.'),
 ('completed', E'Dear Dr Ellis,\nWe have referred Mrs Ng to the falls service and we have arranged an echocardiogram, which will be done in our department. Bloods were taken on the ward.\nNo GP action is needed.'),
 ('patient-task', E'Dear Dr Ellis,\nMr Pope will book his own blood test at the practice in six weeks and knows to make an appointment if his cough persists.'),
 ('real-request', E'Dear Dr Ellis,\nI would be grateful if you could arrange U&E within 48 hours, as his potassium was 5.9. Please also refer him to the heart failure nurses.\nKind regards'),
 ('real-2ww', E'Dear Dr Ellis,\nThe ultrasound shows a 4 cm solid renal mass. Please make a 2WW suspected cancer referral to urology.\nYours sincerely'),
 ('death', E'Dear Dr Ellis,\nI am sorry to inform you that Mrs Harrow died peacefully at home at 03:10 this morning. Her death was verified by the night district nurse. Please issue the MCCD.'),
 ('death-other', E'Dear Dr Ellis,\nMrs Harrow''s husband passed away in March and she is grieving; she is eating well and no action is needed.'),
 ('critical-k', E'Dear Dr Ellis,\nURGENT RESULT: potassium 6.8 mmol/L on today''s sample. Please contact the patient today and arrange a repeat sample.'),
 ('threshold', E'Dear Dr Ellis,\nIf her potassium is above 6.5 mmol/L she should go to the emergency department. Her potassium today was 4.6.'),
 ('med-change', E'Dear Dr Ellis,\nWe have stopped amlodipine because of ankle swelling and started lercanidipine 10 mg OD. Please update her repeat prescription.'),
 ('safeguarding', E'Dear Dr Ellis,\nThe health visitor raised a safeguarding concern: the baby''s mother disclosed domestic abuse. A MARAC referral has been made. For your awareness.'),
 ('sections', E'PAST MEDICAL HISTORY\nStroke 2015. Safeguarding referral 2018.\n\nFAMILY HISTORY\nMother died of breast cancer.\n\nACTIONS FOR GP\nU&E in 1 week.\nMedication review at next routine appointment.\n'),
 ('soon', E'Dear Dr Ellis,\nPlease could the practice nurse recheck her blood pressure and repeat the U&E in two weeks.'),
 ('routine-tf', E'Dear Dr Ellis,\nPlease repeat her TSH in 3 months.');

SELECT id, (t).urgency, (t).actions, (t).needs_review
  FROM (SELECT id, letters_triage.classify(body) AS t FROM letter) s ORDER BY id;

SELECT l.id, e.pattern, e.action, e.context, e.counted, e.why_not
  FROM letter l, letters_triage.evidence(l.body) e
 WHERE l.id IN ('neg-before', 'neg-after', 'safety-net', 'family', 'past', 'place', 'completed', 'patient-task',
                'death-other', 'threshold', 'sections')
   AND e.action IS NOT NULL
 ORDER BY l.id, e.char_offset, e.pattern;

-- The matched span is reported in characters of the original text.
SELECT e.matched, substr(l.body, e.char_offset + 1, e.char_length) = e.matched AS span_ok
  FROM letter l, letters_triage.evidence(l.body) e
 WHERE l.id = 'real-request' ORDER BY e.char_offset;

-- The reason says why.
SELECT id, (letters_triage.classify(body)).reason FROM letter
 WHERE id IN ('death', 'critical-k', 'real-2ww', 'neg-before') ORDER BY id;

-- assertion() on single sentences of each kind.
SELECT c, letters_triage.assertion(s, c)
  FROM (VALUES ('No evidence of pneumonia.', 'pneumonia'),
               ('Pneumonia was ruled out.', 'pneumonia'),
               ('He denies chest pain but reports palpitations.', 'palpitations'),
               ('He denies chest pain but reports palpitations.', 'chest pain'),
               ('Mother had breast cancer.', 'breast cancer'),
               ('History of hypertension.', 'hypertension'),
               ('If he develops a rash, stop the tablets.', 'rash'),
               ('She has a rash.', 'rash'),
               ('She has a rash.', 'fever')) AS v(s, c);
DROP TABLE letter;

-- On letters_triage.letter values the header block counts: Kind and Subject.
SELECT (letters_triage.classify(l)).*
  FROM (VALUES (E'Kind: death\nTo: G82001\n\nMrs Brook was found at home by her daughter this morning.'::letters_triage.letter)) v(l);
SELECT letters_triage.urgency(l), letters_triage.actions(l)
  FROM (VALUES (E'Kind: outpatient\nSubject: 2WW referral needed\n\nSeen in clinic; please make the referral.'::letters_triage.letter),
               (E'Kind: discharge\n\nNo action needed.'::letters_triage.letter)) v(l);
SELECT source, pattern, char_offset, matched, substr(letters_triage.body(l), char_offset + 1, char_length) = matched AS span_ok
  FROM (VALUES (E'Kind: outpatient\nSubject: 2WW referral needed\n\nSeen in clinic; please make the 2WW referral today.'::letters_triage.letter)) v(l),
       letters_triage.evidence(l) ORDER BY char_offset NULLS FIRST, pattern;
SELECT letters_triage.classify(NULL::letters_triage.letter) IS NULL AS strict_letter;
