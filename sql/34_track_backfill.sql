-- Backfill and retriage() read the watched table itself: the rows of its
-- inheritance children are not its letters (the triggers never see their
-- changes), and a child row with a parent's key breaks nothing.  A
-- partitioned table's letters are its partitions' rows.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA bf;
CREATE TABLE bf.parent (id integer PRIMARY KEY, body text, created timestamptz NOT NULL DEFAULT '2026-11-24 10:00',
                        sent timestamptz);
CREATE TABLE bf.child (note text) INHERITS (bf.parent);
INSERT INTO bf.parent (id, body) VALUES (1, 'Parent letter one.'), (2, 'Parent letter two.');
INSERT INTO bf.child (id, body) VALUES (2, 'Child letter with a parent''s key.'), (3, 'Child letter three.');
CREATE TABLE bf.other (id integer PRIMARY KEY, body text, created timestamptz NOT NULL DEFAULT '2026-11-24 10:00',
                       sent timestamptz);
INSERT INTO bf.other (id, body) VALUES (1, 'Other letter.');
SELECT letters_triage.watch('bf.other', 'body', 'created', 'sent') AS backfilled;

SELECT letters_triage.watch('bf.parent', 'body', 'created', 'sent', backfill => false) AS backfilled;
-- retriage() of every table, then of the parent: its own two letters
SELECT letters_triage.retriage() AS retriaged;
SELECT letters_triage.retriage('bf.parent') AS retriaged;
SELECT key, reason FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bf.parent') ORDER BY key;
-- watch() with backfill: the same
SELECT letters_triage.watch('bf.parent', 'body', 'created', 'sent') AS backfilled;
SELECT key, reason FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bf.parent') ORDER BY key;

-- a partitioned table: backfilled and retriaged through its partitions
CREATE TABLE bf.parted_id (id integer PRIMARY KEY, body text, created timestamptz NOT NULL, sent timestamptz)
    PARTITION BY RANGE (id);
CREATE TABLE bf.parted_id_1 PARTITION OF bf.parted_id FOR VALUES FROM (0) TO (100);
CREATE TABLE bf.parted_id_2 PARTITION OF bf.parted_id FOR VALUES FROM (100) TO (200);
INSERT INTO bf.parted_id VALUES (1, 'First partition.', '2026-11-24 10:00'), (150, 'Second partition.', '2026-11-24 10:00');
SELECT letters_triage.watch('bf.parted_id', 'body', 'created', 'sent') AS backfilled;
INSERT INTO bf.parted_id VALUES (2, 'Inserted through the parent.', '2026-11-24 10:00');
SELECT letters_triage.retriage('bf.parted_id') AS retriaged;
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bf.parted_id') ORDER BY key::int;

SET client_min_messages = warning;
DROP SCHEMA bf CASCADE;
