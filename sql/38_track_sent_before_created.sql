-- A sent time a day or more before the letter was created is not a sending
-- (a placeholder such as 1900-01-01 or 2000-01-01 left by a migration, a
-- century slipped): the letter is tracked as not sent and needs review,
-- with a tracking_log problem, so it is alerted when overdue.  Clocks a few
-- hours apart (a sent time an hour before the creation time) are not.
-- A sent or creation time more than two hours after the statement that
-- records it has not happened yet: a letter marked sent next month is not
-- sent (it would otherwise be listed as sent late, or hidden until then),
-- and a deadline is not counted from a creation time to come.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA sb;
CREATE TABLE sb.letters (id integer PRIMARY KEY, body text NOT NULL, created timestamptz NOT NULL, sent timestamptz);
SELECT letters_triage.watch('sb.letters', 'body', 'created', 'sent');
INSERT INTO sb.letters VALUES
    (1, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '1900-01-01 00:00'),
    (2, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '1926-11-24 10:00'),
    (3, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '2026-11-23 09:00'),
    (4, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '2026-11-24 09:00'),
    (5, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '2026-11-24 11:00');
-- an UPDATE to such a time as well
INSERT INTO sb.letters VALUES (6, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', NULL);
UPDATE sb.letters SET sent = '2000-01-01' WHERE id = 6;
SELECT key::int, status, needs_review, sent FROM letters_triage.letter_state ORDER BY key::int;
SELECT letters, detail FROM letters_triage.tracking_log WHERE event = 'problem' ORDER BY id;

-- times ahead of the statement: an hour is a clock, a month is not a sending
CREATE TABLE sb.now_letters (id integer PRIMARY KEY, body text NOT NULL, created timestamptz NOT NULL, sent timestamptz);
SELECT letters_triage.watch('sb.now_letters', 'body', 'created', 'sent');
INSERT INTO sb.now_letters VALUES
    (1, 'Seen in clinic. Routine follow-up.', now() - interval '1 hour', now() + interval '1 hour'),
    (2, 'Please repeat her bloods within 48 hours.', now() - interval '1 hour', now() + interval '30 days'),
    (3, 'Please repeat her bloods within 48 hours.', now() + interval '1 hour', NULL),
    (4, 'Please repeat her bloods within 48 hours.', now() + interval '30 days', NULL),
    (5, 'Please repeat her bloods within 48 hours.', now() - interval '7 days', NULL);
-- a letter marked sent next month, then cleared: not sent throughout, due from its creation
UPDATE sb.now_letters SET sent = now() + interval '30 days' WHERE id = 5;
SELECT key::int, status, needs_review, sent IS NULL AS not_sent,
       created BETWEEN now() - interval '7 days 1 minute' AND now() + interval '1 hour 1 minute' AS created_kept,
       due < now() + interval '3 days' AS due_from_creation_or_tracking
  FROM letters_triage.letter_state s
 WHERE table_id = letters_triage.table_id('sb.now_letters') ORDER BY key::int;
SELECT count(*) > 0 AS alerted FROM letters_triage.check_overdue();
-- (letter 2 needs review, so it is urgent and due within the working day it was created in:
-- whether it is overdue yet depends on the hour the test runs, so it is not shown)
SELECT key::int, status FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('sb.now_letters') AND key <> '2' ORDER BY key::int;
UPDATE sb.now_letters SET sent = NULL WHERE id = 5;
SELECT key::int, status, needs_review, sent IS NULL AS not_sent
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('sb.now_letters') AND key = '5';
SELECT letters, detail FROM letters_triage.tracking_log
 WHERE event = 'problem' AND table_id = letters_triage.table_id('sb.now_letters') ORDER BY id;
-- a letter sent in time whose sent time is cleared, or set ahead, in the statement that makes it
-- urgent waits again under the policy at its new urgency (not the routine deadline it had)
INSERT INTO sb.now_letters VALUES
    (6, 'Seen in clinic. Routine follow-up.', now() - interval '1 hour', now()),
    (7, 'Seen in clinic. Routine follow-up.', now() - interval '1 hour', now());
UPDATE sb.now_letters SET sent = NULL, body = 'Potassium 6.9 mmol/L. Please contact the patient today.' WHERE id = 6;
UPDATE sb.now_letters SET sent = now() + interval '1 day', body = 'Please contact the patient today.' WHERE id = 7;
SELECT key::int, urgency, status, due = letters_triage.deadline(created, urgency) AS due_by_new_urgency
  FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('sb.now_letters') AND key IN ('6', '7') ORDER BY key::int;
-- "ahead" is judged by the clock when the letter is written, not when a DO block or procedure began
DO $$ BEGIN
    PERFORM pg_sleep(3);
    INSERT INTO sb.now_letters VALUES
        (8, 'Seen in clinic. Routine follow-up.', clock_timestamp(), clock_timestamp() + interval '1 hour 59 minutes 58 seconds');
END $$;
SELECT key::int, status, needs_review FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('sb.now_letters') AND key = '8';
SELECT letters_triage.unwatch('sb.now_letters', false);

SET client_min_messages = warning;
SELECT letters_triage.unwatch('sb.letters', false);
DROP SCHEMA sb CASCADE;
RESET client_min_messages;
