-- Non-finite created and sent times are unreadable values: the letter is
-- tracked as not sent, needs review (at least urgent) and a tracking_log
-- problem is recorded; no state row holds an infinite time, and every view
-- and check finishes.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';
SET statement_timeout = '60s';

CREATE SCHEMA tm;
CREATE TABLE tm.letters (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TABLE tm.local (id integer PRIMARY KEY, body text, created timestamp, sent timestamp);
INSERT INTO tm.letters VALUES (1, 'Seen in clinic, no changes.', '2026-11-24 10:00', '-infinity');
SELECT letters_triage.watch('tm.letters', 'body', 'created', 'sent') AS backfilled;
SELECT letters_triage.watch('tm.local', 'body', 'created', 'sent') AS backfilled;
INSERT INTO tm.letters VALUES
    (2, 'Seen in clinic, no changes.', '2026-11-24 10:00', 'infinity'),
    (3, 'Seen in clinic, no changes.', 'infinity', NULL),
    (4, 'Seen in clinic, no changes.', '-infinity', '2026-11-24 11:00'),
    (5, 'Seen in clinic, no changes.', '2026-11-24 10:00', NULL);
INSERT INTO tm.local VALUES
    (1, 'Seen in clinic, no changes.', '2026-11-24 10:00', 'infinity'),
    (2, 'Seen in clinic, no changes.', '-infinity', NULL);
-- sent = infinity by an UPDATE: not a send
UPDATE tm.letters SET sent = 'infinity' WHERE id = 5;

SELECT letters_triage.table_label(table_id) AS tbl, key, status, needs_review, urgency >= 'urgent' AS at_least_urgent, isfinite(created) AS created_finite,
       sent, reason ~ 'not a finite time' AS reason_says
  FROM letters_triage.letter_state ORDER BY tbl, key;
SELECT letters_triage.table_label(table_id) AS tbl, event, letters, detail FROM letters_triage.tracking_log ORDER BY id;

-- nothing can write an infinite time into letter_state
\set VERBOSITY terse
UPDATE letters_triage.letter_state SET sent = 'infinity' WHERE key = '5';
UPDATE letters_triage.letter_state SET created = '-infinity' WHERE key = '5';
\set VERBOSITY default

-- every view and check finishes
SELECT count(*) >= 0 AS flow FROM letters_triage.flow;
SELECT count(*) >= 0 AS overdue FROM letters_triage.overdue;
SELECT count(*) >= 0 AS late FROM letters_triage.late_letters;
SELECT count(*) >= 0 AS worklist FROM letters_triage.worklist;
SELECT count(*) >= 0 AS digest FROM letters_triage.practice_digest;
SET client_min_messages = error;
SELECT count(*) >= 0 AS checked FROM letters_triage.check_all('2026-11-30 10:00+00');
RESET client_min_messages;

SET client_min_messages = warning;
DROP SCHEMA tm CASCADE;
