-- From PostgreSQL 18 a CHECK constraint may be NOT ENFORCED.  The direct
-- writer of new letters' state rows prepares letter_state's CHECK constraints
-- once rather than per statement: it skips a NOT ENFORCED one, as
-- PostgreSQL's executor does, and still checks the others.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;

CREATE SCHEMA direct18;
CREATE TABLE direct18.letters (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('direct18.letters', 'body', 'created', 'sent');
INSERT INTO direct18.letters VALUES (1, 'Please stop warfarin today.', '2026-11-02 10:00', NULL);

ALTER TABLE letters_triage.letter_state ADD CONSTRAINT never CHECK (false) NOT ENFORCED;
ALTER TABLE letters_triage.letter_state ADD CONSTRAINT keyed CHECK (key <> '');
INSERT INTO direct18.letters VALUES
    (2, 'No action needed.', '2026-11-02 10:00', NULL),
    (3, 'Please repeat U&E within 48 hours.', '2026-11-02 10:00', NULL);
SELECT key, urgency, status FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('direct18.letters') ORDER BY key;
SELECT count(*) AS tracking_problems FROM letters_triage.tracking_log WHERE table_id = letters_triage.table_id('direct18.letters');

ALTER TABLE letters_triage.letter_state DROP CONSTRAINT never;
ALTER TABLE letters_triage.letter_state DROP CONSTRAINT keyed;
DROP SCHEMA direct18 CASCADE;
