SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;

-- Ways of asking the GP that are not a "please": an urgency word written as a
-- label, and a time frame that is itself asked of the practice.  And the
-- two-week-wait referral that the sender has already made, which is not asked
-- of the GP (issue 4: requests the hospital has already carried out do not
-- become GP actions).  Letters written for this test.
CREATE TEMP TABLE letter (id text PRIMARY KEY, body text NOT NULL);
INSERT INTO letter VALUES
 -- a label and the action in one sentence
 ('label-inline', E'Urgent: stop warfarin.'),
 ('label-today', E'Urgent: stop warfarin today.'),
 ('label-inline-letter', E'Dear Dr Ellis,\n\nUrgent: stop warfarin. Her INR is being managed by the anticoagulation clinic.\n\nYours sincerely'),
 -- a label alone on its line, the action on the next line of the paragraph
 ('label-line', E'Dear Dr Ellis,\nURGENT\nPlease stop his ramipril until his kidney function is rechecked.\nKind regards'),
 ('label-bullets', E'Urgent:\n- stop ramipril\n- he will see his own dentist'),
 -- a letter headed by a label: the first line is the label and what it is about
 ('label-heading', E'URGENT - SAFEGUARDING ADULTS\n\nI visited Mr Hale at home and found unexplained bruises on both forearms. His son, who is his carer, was verbally aggressive.\n\nCarys Penrose, District Nurse'),
 -- a time frame asked of the practice raises the action of its sentence
 ('asked-today', E'Dear Dr Ellis,\nI saw unexplained bruising on the baby at a routine visit. The child protection team have asked that the practice share any relevant information today.\nKind regards'),
 -- not labels: a place name, an urgency word inside a line, a label over another paragraph
 ('not-label-place', E'Urgent Treatment Centre\nMr Lowe attended with a sprained ankle and was given advice.'),
 ('not-label-negated', E'Dear Dr Ellis,\nThis is not urgent: please review her medication at her next routine appointment.'),
 ('not-label-paragraph', E'URGENT\n\nDear Dr Ellis, please review her medication at her next routine appointment.'),
 -- a time frame of what the sender did does not raise anything
 ('done-this-morning', E'Dear Dr Ellis,\nWe made a safeguarding referral to children''s services this morning. For your information.'),
 -- two-week-wait referrals the sender made, or made in the past: not a GP referral
 ('2ww-past', E'Dear Dr Ellis,\nMrs Obi was referred under the two-week-wait pathway in March and the colonoscopy was normal.'),
 ('2ww-made', E'Dear Dr Ellis,\nWe have made a 2WW referral to the lung cancer team and she will be seen next week.'),
 ('2ww-asked', E'Dear Dr Ellis,\nPlease make a two-week-wait referral to the breast clinic.');

SELECT id, (t).urgency, (t).actions, (t).reason
  FROM (SELECT id, letters_triage.classify(body) AS t FROM letter) s ORDER BY id;

-- why: the urgency words and time frames, and whether they counted
SELECT l.id, e.pattern, e.source, e.urgency, e.counted, e.why_not
  FROM letter l, letters_triage.evidence(l.body) e
 WHERE l.id IN ('label-line', 'label-heading', 'asked-today', 'not-label-paragraph', 'done-this-morning', '2ww-made')
   AND (e.action IS NULL OR e.pattern IN ('2ww', 'referral'))
 ORDER BY l.id, e.char_offset, e.pattern;
DROP TABLE letter;
