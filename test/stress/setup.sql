-- test/stress: the database the concurrency run works on.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS stress CASCADE;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
RESET client_min_messages;
CREATE EXTENSION letters_triage;
CREATE SCHEMA stress;
CREATE TABLE stress.letters (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body     text NOT NULL,
    created  timestamptz NOT NULL,
    sent     timestamptz,
    practice text,
    kind     text
);
CREATE TABLE stress.bodies (n int PRIMARY KEY, body text NOT NULL, kind text);
INSERT INTO stress.bodies VALUES
 (0, 'Discharge summary. Please stop warfarin and check INR within 3 days.', 'discharge'),
 (1, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', 'outpatient'),
 (2, 'Notification of death. Please issue the medical certificate of cause of death.', 'death'),
 (3, 'Community nursing: please refer to podiatry. Urgent: review the wound today.', 'community'),
 (4, 'x', NULL),
 (5, 'Clinic letter. Please start ramipril 2.5 mg once daily and check renal function in 2 weeks.', 'outpatient'),
 (6, 'Discharge summary. Patient denies chest pain. Follow up with the GP in 2 weeks.', 'discharge'),
 (7, 'Result letter: potassium 6.8 mmol/L. Please repeat urgently today.', 'result');
SELECT letters_triage.watch('stress.letters', 'body', 'created', 'sent', 'practice', NULL, 'kind');
-- a few letters to start from
INSERT INTO stress.letters (body, created, practice, kind)
SELECT b.body, now() - (i % 240) * interval '1 hour', 'A8' || lpad((i % 50)::text, 4, '0'), b.kind
  FROM generate_series(1, 500) i JOIN stress.bodies b ON b.n = i % 8;
-- the DBA's rule that the rules client edits
INSERT INTO letters_triage.rule (pattern, action, urgency, note) VALUES ('stress marker', 'review', 'urgent', 'stress');
