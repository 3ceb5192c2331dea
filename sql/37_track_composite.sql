-- Keys of several columns: a primary key or a unique index over NOT NULL
-- columns.  The state row's key is the text of all key columns, each rendered
-- as for a key of one column (the same in every session), written as
-- PostgreSQL writes a record: no two keys of a table can share a text, however
-- their values are cut.  A table keyed by one column keeps the key it had.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA comp;
CREATE TABLE comp.texts (a text NOT NULL, b text NOT NULL, body text,
                         created timestamptz NOT NULL DEFAULT '2026-11-24 10:00', sent timestamptz,
                         PRIMARY KEY (a, b) DEFERRABLE INITIALLY DEFERRED);
-- rows whose columns, joined naively, would give the same text
INSERT INTO comp.texts (a, b, body) VALUES
    ('1|a', 'b', 'Letter one.'), ('1', 'a|b', 'Letter two.'),
    ('x,y', 'z', 'Letter three.'), ('x', 'y,z', 'Letter four.'),
    ('(p', 'q)', 'Letter five.'), ('"', '\', 'Letter six.'), ('', ' ', 'Letter seven.'),
    ('NULL', 'null', 'Letter eight.');
SELECT letters_triage.watch('comp.texts', 'body', 'created', 'sent') AS backfilled;
SELECT name AS tbl, key_column, key_columns FROM letters_triage.watched WHERE ended IS NULL;
SELECT tgname, tgnargs FROM pg_trigger WHERE tgrelid = 'comp.texts'::regclass AND tgname LIKE 'letters\_triage%' ORDER BY 1;
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('comp.texts') ORDER BY key COLLATE "C";
SELECT count(*) AS letters, count(DISTINCT key) AS keys FROM letters_triage.letter_state;

-- the text reads back as the key's columns (as a record of their types)
CREATE TYPE comp.texts_key AS (a text, b text);
SELECT count(*) AS found_again
  FROM letters_triage.letter_state s JOIN comp.texts t ON ROW(t.a, t.b)::comp.texts_key = s.key::comp.texts_key
 WHERE s.table_id = letters_triage.table_id('comp.texts');

-- an UPDATE of a key column is a key change: the old key's letter is withdrawn, the new one waits
UPDATE comp.texts SET b = 'b2' WHERE a = '1|a';
SELECT key, status, reason FROM letters_triage.letter_state WHERE key LIKE '(1|a,%' ORDER BY key COLLATE "C";
-- a swap of one column between two rows (a deferrable key): both letters still wait
UPDATE comp.texts SET a = CASE a WHEN 'x,y' THEN 'x' ELSE 'x,y' END,
                      b = CASE b WHEN 'z' THEN 'y,z' ELSE 'z' END
 WHERE a IN ('x', 'x,y');
SELECT key, status, reason FROM letters_triage.letter_state WHERE key ~ '^\("?x' ORDER BY key COLLATE "C";
-- an UPDATE that changes no key column updates the letter in place
UPDATE comp.texts SET body = 'Urgent: please stop warfarin.' WHERE a = '"';
SELECT key, urgency, status FROM letters_triage.letter_state WHERE key = '("""","\\")';
-- DELETE and TRUNCATE
DELETE FROM comp.texts WHERE a = '';
SELECT key, status, reason FROM letters_triage.letter_state WHERE key = '(""," ")';
TRUNCATE comp.texts;
SELECT status, count(*) FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('comp.texts') GROUP BY 1 ORDER BY 1;

-- Keys with a time in them: the same letter whatever the session's settings.
CREATE TABLE comp.timed (id int NOT NULL, created timestamptz NOT NULL, sent timestamptz, body text,
                         at_clinic interval NOT NULL DEFAULT '1 day 02:00', score float8 NOT NULL DEFAULT 0.1,
                         UNIQUE (id, created, at_clinic, score));
SELECT letters_triage.watch('comp.timed', 'body', 'created', 'sent');
SELECT key_column, key_columns FROM letters_triage.watched WHERE id = letters_triage.table_id('comp.timed');
INSERT INTO comp.timed (id, created, body) VALUES (1, '2026-11-24 10:00+00', 'Please review.'),
                                                  (3, '2026-11-24 10:00+00', 'Please review too.');
SET TimeZone = 'America/New_York';
SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'iso_8601';
SET extra_float_digits = 3;
UPDATE comp.timed SET sent = '2026-11-24 06:00' WHERE id = 1;
RESET TimeZone; RESET DateStyle; RESET IntervalStyle; RESET extra_float_digits;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SELECT key, status, sent FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('comp.timed') ORDER BY key;

-- reconcile() and retriage() know composite keys
ALTER TABLE comp.timed DISABLE TRIGGER USER;
INSERT INTO comp.timed (id, created, body) VALUES (2, '2026-11-25 10:00+00', 'Unseen letter.');
DELETE FROM comp.timed WHERE id = 3;
ALTER TABLE comp.timed ENABLE TRIGGER USER;
SELECT letters_triage.retriage('comp.timed');
SELECT key, previous_status FROM letters_triage.reconcile('comp.timed');
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('comp.timed') ORDER BY key;

-- Which key: a single-column key when there is one (keys of tables watched
-- before stay as they were), then the primary key, then the unique index of
-- the fewest columns; NOT NULL columns only, no partial or expression index.
CREATE TABLE comp.both (a int NOT NULL, b int NOT NULL, id int NOT NULL UNIQUE, body text,
                        created timestamptz, sent timestamptz, PRIMARY KEY (a, b));
SELECT letters_triage.watch('comp.both', 'body', 'created', 'sent');
SELECT key_column, key_columns FROM letters_triage.watched WHERE id = letters_triage.table_id('comp.both');
CREATE TABLE comp.uniq (a int NOT NULL, b int NOT NULL, c int NOT NULL, body text, created timestamptz, sent timestamptz,
                        UNIQUE (a, b, c), UNIQUE (c, a));
SELECT letters_triage.watch('comp.uniq', 'body', 'created', 'sent');
SELECT key_column, key_columns FROM letters_triage.watched WHERE id = letters_triage.table_id('comp.uniq');
INSERT INTO comp.uniq VALUES (1, 2, 3, 'x', '2026-11-24 10:00');
SELECT key FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('comp.uniq');
-- refused: a nullable column, a partial index, an expression, a key type whose text follows the session
CREATE TABLE comp.nullable (a int NOT NULL, b int, body text, created timestamptz, sent timestamptz, UNIQUE (a, b));
SELECT letters_triage.watch('comp.nullable', 'body', 'created', 'sent');
CREATE TABLE comp.partial (a int NOT NULL, b int NOT NULL, body text, created timestamptz, sent timestamptz);
CREATE UNIQUE INDEX ON comp.partial (a, b) WHERE a > 0;
CREATE UNIQUE INDEX ON comp.partial (a, (b + 1));
SELECT letters_triage.watch('comp.partial', 'body', 'created', 'sent');
CREATE TABLE comp.money (id int NOT NULL, amount money NOT NULL, body text, created timestamptz, sent timestamptz,
                         PRIMARY KEY (id, amount));
SELECT letters_triage.watch('comp.money', 'body', 'created', 'sent');
-- INCLUDE columns are not part of the key
CREATE TABLE comp.incl (id int NOT NULL, extra int, body text, created timestamptz, sent timestamptz);
CREATE UNIQUE INDEX ON comp.incl (id) INCLUDE (extra);
SELECT letters_triage.watch('comp.incl', 'body', 'created', 'sent');
SELECT key_column, key_columns FROM letters_triage.watched WHERE id = letters_triage.table_id('comp.incl');

-- A key column dropped after watch(): letters of the table are not recorded, and that is logged.
ALTER TABLE comp.uniq DROP COLUMN a CASCADE;
INSERT INTO comp.uniq VALUES (7, 8, 'z', '2026-11-24 10:00');
SELECT event, letters, detail FROM letters_triage.tracking_log WHERE table_id = letters_triage.table_id('comp.uniq');

SET client_min_messages = warning;
DROP SCHEMA comp CASCADE;
