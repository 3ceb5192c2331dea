-- Tracking switched off and on again between two checks is an alert too:
-- ALTER TABLE ... DISABLE TRIGGER on a watched table (or a partition) logs a
-- tracking error, which the next check_tracking() raises, whatever the
-- triggers' state by then; the DDL rolled back logs nothing.  (Found by an
-- outside tester: a table owner's habit for bulk loads.)
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
CREATE TABLE db_outbox (id int PRIMARY KEY, body text, created timestamptz DEFAULT now(), sent timestamptz);
SELECT letters_triage.watch('db_outbox', 'body', 'created', 'sent') AS backfilled;
CREATE TABLE db_other (id int PRIMARY KEY);
-- rolled back: nothing logged
BEGIN;
ALTER TABLE db_outbox DISABLE TRIGGER USER;
ROLLBACK;
-- another table's triggers: nothing logged
ALTER TABLE db_other DISABLE TRIGGER USER;
SELECT count(*) AS logged FROM letters_triage.tracking_log;
-- off, a letter written, on again
ALTER TABLE db_outbox DISABLE TRIGGER USER;
INSERT INTO db_outbox (id, body) VALUES (1, 'Potassium 6.9 mmol/L. Please contact the patient today.');
ALTER TABLE db_outbox ENABLE TRIGGER USER;
SELECT status FROM letters_triage.tracking_status;
SELECT event, letters, detail FROM letters_triage.tracking_log;
SELECT event, kind, severity FROM letters_triage.check_tracking();
SELECT count(*) AS tracked FROM letters_triage.letter_state;
-- the DBA's repair: retriage() records the letter
SELECT letters_triage.retriage('db_outbox') > 0 AS repaired;
SELECT key, urgency FROM letters_triage.letter_state;
DROP TABLE db_outbox, db_other;
