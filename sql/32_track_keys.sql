-- Key changes inside one statement: a key that is still in the table after
-- the statement is never withdrawn, whatever order the rows changed in
-- (permutations, cycles, shifts with partial overlap), with a deferrable key
-- or an immediate one.  Only the keys no new row has are withdrawn.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA keys;
CREATE TABLE keys.deferred (id integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, body text,
                            created timestamptz NOT NULL DEFAULT '2026-11-24 10:00', sent timestamptz);
CREATE TABLE keys.immediate (id integer PRIMARY KEY, body text,
                             created timestamptz NOT NULL DEFAULT '2026-11-24 10:00', sent timestamptz);
SELECT letters_triage.watch('keys.deferred', 'body', 'created', 'sent');
SELECT letters_triage.watch('keys.immediate', 'body', 'created', 'sent');
CREATE VIEW keys.state AS
SELECT letters_triage.table_label(table_id) AS tbl, key::int AS key, status, reason FROM letters_triage.letter_state ORDER BY tbl, key::int;

-- a swap of two keys: both letters still wait
INSERT INTO keys.deferred (id, body) VALUES (1, 'Please stop warfarin today.'), (2, 'Urgent: repeat potassium today.');
UPDATE keys.deferred SET id = 3 - id;
SELECT * FROM keys.state WHERE tbl = 'keys.deferred';
SELECT id, body FROM keys.deferred ORDER BY id;

-- a cycle of three, and a permutation of five with one key left out of the table
TRUNCATE keys.deferred;
INSERT INTO keys.deferred (id, body) SELECT g, 'Letter ' || g FROM generate_series(1, 5) g;
UPDATE keys.deferred SET id = CASE id WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 1 ELSE id END;
SELECT key, status FROM keys.state WHERE tbl = 'keys.deferred' AND status <> 'withdrawn';
UPDATE keys.deferred SET id = CASE id WHEN 1 THEN 5 WHEN 2 THEN 1 WHEN 3 THEN 2 WHEN 4 THEN 3 WHEN 5 THEN 6 END;
SELECT key, status, reason FROM keys.state WHERE tbl = 'keys.deferred' AND key IN (1, 2, 3, 4, 5, 6)
   AND (status <> 'withdrawn' OR reason ~ 'key changed');

-- a shift with partial overlap, with an immediate key: only the key left behind is withdrawn
INSERT INTO keys.immediate (id, body) SELECT g, 'Letter ' || g FROM generate_series(1, 4) g;
UPDATE keys.immediate SET id = id - 1;
SELECT key, status, reason FROM keys.state WHERE tbl = 'keys.immediate';
-- keys moved onto new keys: the old ones are withdrawn (a sent one stays sent), the new ones are tracked
UPDATE keys.immediate SET sent = '2026-11-24 11:00' WHERE id = 0;
UPDATE keys.immediate SET id = id + 10;
SELECT key, status, reason FROM keys.state WHERE tbl = 'keys.immediate' AND key >= 10;
SELECT count(*) FILTER (WHERE status = 'waiting') AS waiting, count(*) AS states FROM keys.state
 WHERE tbl = 'keys.immediate';

-- a statement that changes no key withdraws nothing
UPDATE keys.immediate SET body = body || '.';
SELECT count(*) FILTER (WHERE status = 'waiting') AS waiting FROM keys.state WHERE tbl = 'keys.immediate';

SET client_min_messages = warning;
DROP SCHEMA keys CASCADE;
