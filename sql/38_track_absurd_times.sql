-- Created and sent times outside any letter's life (before 1900, or more
-- than a year after they are tracked) are unreadable values, as non-finite
-- ones are: the letter is tracked as not sent, needs review, its deadline
-- counts from when it was tracked and a tracking_log problem is recorded.
-- The flow view and check_flow then cost what the real history costs, not
-- how old the oldest time written in a row is.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';
SET statement_timeout = '20s';

CREATE SCHEMA ab;
CREATE TABLE ab.letters (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TABLE ab.local (id integer PRIMARY KEY, body text, created timestamp, sent timestamp);
INSERT INTO ab.letters VALUES (1, 'Seen in clinic, no changes.', '0001-01-01 00:00+00', NULL);
SELECT letters_triage.watch('ab.letters', 'body', 'created', 'sent') AS backfilled;
SELECT letters_triage.watch('ab.local', 'body', 'created', 'sent') AS backfilled;
INSERT INTO ab.letters VALUES
    (2, 'Seen in clinic, no changes.', '1899-12-31 23:59+00', NULL),
    (3, 'Seen in clinic, no changes.', '4713-01-01 BC', NULL),
    (4, 'Seen in clinic, no changes.', '3000-01-01', NULL),
    (5, 'Seen in clinic, no changes.', '2026-11-24 10:00', '0001-01-01'),
    (6, 'Seen in clinic, no changes.', '2026-11-24 10:00', '294000-01-01'),
    (7, 'Seen in clinic, no changes.', '2026-11-24 10:00', '2026-11-24 11:00');
INSERT INTO ab.local VALUES (1, 'Seen in clinic, no changes.', '0001-01-01', NULL),
                            (2, 'Seen in clinic, no changes.', '2026-11-24 10:00', '1000-06-01');
-- an UPDATE to an absurd time is unreadable too
UPDATE ab.letters SET sent = '1066-10-14' WHERE id = 7;

SELECT letters_triage.table_label(table_id) AS tbl, key::int, status, needs_review, created > '2000-01-01' AS created_readable, sent
  FROM letters_triage.letter_state ORDER BY tbl, key::int;
SELECT letters_triage.table_label(table_id) AS tbl, letters, detail FROM letters_triage.tracking_log WHERE event = 'problem' ORDER BY id;

-- the flow spans the days of the real history only
SELECT tbl, count(*) < 60 AS short FROM letters_triage.flow GROUP BY tbl ORDER BY tbl::text;
SELECT count(*) >= 0 AS finished FROM letters_triage.check_flow();

SELECT letters_triage.unwatch('ab.letters', false), letters_triage.unwatch('ab.local', false);
DROP SCHEMA ab CASCADE;
