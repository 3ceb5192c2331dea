-- New letters' state rows are written directly (not through an upsert
-- statement) when letter_state has exactly the columns the tracker knows.
-- A column added to letter_state sends them through the upsert; a column
-- added and dropped again (a dropped column stays in the row layout) must not
-- be filled with garbage.  Either way the state rows are right.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA direct;
CREATE TABLE direct.letters (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('direct.letters', 'body', 'created', 'sent');
CREATE VIEW direct.state AS
SELECT key::int AS id, urgency, actions, due, sent, status, withdrawn
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('direct.letters') ORDER BY key::int;

INSERT INTO direct.letters VALUES (1, 'Please stop warfarin today.', '2026-11-02 10:00', NULL);

-- a column added: the upsert path
ALTER TABLE letters_triage.letter_state ADD COLUMN note text;
INSERT INTO direct.letters VALUES (2, 'Seen in clinic, no changes.', '2026-11-02 10:00', '2026-11-03 09:00');
SELECT id, note FROM direct.letters JOIN letters_triage.letter_state s ON s.key = id::text ORDER BY id;

-- the same column dropped: the direct path again, with a dropped column in the row
ALTER TABLE letters_triage.letter_state DROP COLUMN note;
ALTER TABLE letters_triage.letter_state ADD COLUMN spare bigint;
ALTER TABLE letters_triage.letter_state DROP COLUMN spare;
INSERT INTO direct.letters
SELECT g, CASE WHEN g % 2 = 0 THEN 'Please repeat U&E within 48 hours.' ELSE 'No action needed.' END,
       '2026-11-02 10:00', NULL
  FROM generate_series(3, 6) g;
COPY direct.letters FROM stdin;
7	Verification of death: died at home this morning.	2026-11-02 10:00	\N
\.
SELECT * FROM direct.state;
SELECT count(*) AS letters, count(s.key) AS with_state
  FROM direct.letters l LEFT JOIN letters_triage.letter_state s
    ON s.table_id = letters_triage.table_id('direct.letters') AND s.key = l.id::text;

-- a batch with a key that has a state row (its letter deleted, withdrawn) and
-- a new key: the primary key refuses the direct insert, the upsert does both
DELETE FROM direct.letters WHERE id = 3;
INSERT INTO direct.letters VALUES
    (3, 'Please stop warfarin today.', '2026-11-03 10:00', NULL),
    (8, 'No action needed.', '2026-11-03 10:00', NULL);
SELECT * FROM direct.state WHERE id IN (3, 8);
SELECT count(*) AS tracking_problems FROM letters_triage.tracking_log WHERE table_id = letters_triage.table_id('direct.letters');

-- an index created on letter_state after the direct path cached its indexes:
-- the next direct insert maintains it too
SELECT letters_triage.table_id('direct.letters') AS direct_id \gset
CREATE INDEX direct_probe ON letters_triage.letter_state (key) WHERE table_id = :direct_id;
INSERT INTO direct.letters VALUES (9, 'No action needed.', '2026-11-03 10:00', NULL);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT key FROM letters_triage.letter_state WHERE table_id = :direct_id AND key = '9';
SELECT key FROM letters_triage.letter_state WHERE table_id = :direct_id AND key = '9';
RESET enable_seqscan;
RESET enable_bitmapscan;
DROP INDEX letters_triage.direct_probe;
INSERT INTO direct.letters VALUES (10, 'No action needed.', '2026-11-03 10:00', NULL);
SELECT count(*) AS letters, count(s.key) AS with_state
  FROM direct.letters l LEFT JOIN letters_triage.letter_state s
    ON s.table_id = letters_triage.table_id('direct.letters') AND s.key = l.id::text;

-- The trigger sets its own search_path only while it runs SQL (updates,
-- deletes, truncation go through statements) and gives the application's
-- back: the session's setting is the same after every kind of statement,
-- inside a transaction and after it, and after a statement that failed.
SET search_path = direct, public;
INSERT INTO letters VALUES (11, 'No action needed.', '2026-11-03 10:00', NULL);
SHOW search_path;
UPDATE letters SET body = 'Please repeat U&E tomorrow.' WHERE id = 11;
SHOW search_path;
BEGIN;
UPDATE letters SET sent = '2026-11-03 12:00' WHERE id = 11;
SHOW search_path;
DELETE FROM letters WHERE id = 10;
SHOW search_path;
COMMIT;
SHOW search_path;
INSERT INTO letters VALUES (11, 'duplicate key', '2026-11-03 10:00', NULL);
SHOW search_path;
SELECT key, urgency, status, withdrawn IS NOT NULL AS withdrawn FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('direct.letters') AND key IN ('10', '11') ORDER BY key;
RESET search_path;

-- A new letter's state row goes into the indexes the checks read while it
-- waits (the key; the waiting letters by deadline), not into the practice
-- index of sent letters, which takes it when it is sent.
CREATE EXTENSION pageinspect;
CREATE TEMP TABLE practice_entries AS
SELECT count(*) AS n FROM bt_page_items('letters_triage.letter_state_recipient', 1);
INSERT INTO direct.letters SELECT g, 'No action needed.', '2026-11-04 10:00', NULL FROM generate_series(20, 24) g;
SELECT (SELECT count(*) FROM bt_page_items('letters_triage.letter_state_recipient', 1)) - n AS practice_entries_added
  FROM practice_entries;
UPDATE direct.letters SET sent = '2026-11-04 12:00' WHERE id IN (20, 21);
SELECT (SELECT count(*) FROM bt_page_items('letters_triage.letter_state_recipient', 1)) - n AS practice_entries_after_sending
  FROM practice_entries;
DROP EXTENSION pageinspect;

DROP SCHEMA direct CASCADE;
