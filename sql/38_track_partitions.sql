-- A letters table partitioned by date, made by hand: PRIMARY KEY (id, created),
-- PARTITION BY RANGE (created).  Its letters are tracked whether a statement
-- names the table or one of its partitions; partitions created or attached
-- later are tracked (an attached table's rows backfilled); a partition
-- truncated, detached or dropped has its unsent letters withdrawn, and that
-- is recorded.  No DDL fails for a tracking problem.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA part;
CREATE TABLE part.letters (id int NOT NULL, created timestamptz NOT NULL, body text, sent timestamptz,
                           practice text, PRIMARY KEY (id, created)) PARTITION BY RANGE (created);
CREATE TABLE part.letters_2026_10 PARTITION OF part.letters FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');
CREATE TABLE part.letters_2026_11 PARTITION OF part.letters FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
INSERT INTO part.letters VALUES (1, '2026-10-15 10:00', 'Please stop warfarin today.', NULL, 'G82001'),
                                (2, '2026-11-20 10:00', 'Routine follow up in clinic in six months.', NULL, 'G82002');
SELECT letters_triage.watch('part.letters', 'body', 'created', 'sent', recipient => 'practice') AS backfilled;
SELECT key_column, key_columns FROM letters_triage.watched WHERE ended IS NULL;
CREATE VIEW part.triggers AS
SELECT t.tgrelid::regclass AS rel, t.tgname, p.proname, t.tgtype, t.tgnargs
  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
 WHERE t.tgname LIKE 'letters\_triage%' ORDER BY 1, 2;
SELECT * FROM part.triggers;
CREATE VIEW part.state AS
SELECT letters_triage.table_label(table_id) AS tbl, key, urgency, status, sent, reason FROM letters_triage.letter_state ORDER BY key;
SELECT tbl, key, status FROM part.state;

-- writes through the table and directly on its partitions: all letters of part.letters
INSERT INTO part.letters VALUES (3, '2026-11-21 10:00', 'Please review the rash.', NULL, 'G82003');
UPDATE part.letters SET sent = '2026-11-22 09:00' WHERE id = 2;
INSERT INTO part.letters_2026_11 VALUES (4, '2026-11-23 10:00', 'Potassium 6.8: repeat today.', NULL, 'G82004');
UPDATE part.letters_2026_11 SET body = body || ' Urgent.' WHERE id = 4;
UPDATE part.letters_2026_10 SET sent = '2026-10-16 10:00' WHERE id = 1;
COPY part.letters_2026_11 (id, created, body, practice) FROM stdin;
10	2026-11-24 10:00:00+00	Copied letter.	G82010
\.
DELETE FROM part.letters_2026_11 WHERE id = 3;
SELECT tbl, key, urgency, status, sent, reason FROM part.state;
SELECT count(*) AS partition_rows_in_state FROM letters_triage.letter_state WHERE table_id <> letters_triage.table_id('part.letters');

-- A row moved to another partition by an UPDATE of created, through the table:
-- one UPDATE (not a DELETE): its key changes, as an UPDATE of any key column does.
UPDATE part.letters SET created = '2026-10-20 10:00' WHERE id = 4;
SELECT tableoid::regclass, id FROM part.letters WHERE id = 4;
SELECT key, status, reason FROM part.state WHERE key LIKE '(4,%';

-- a partition created later is tracked
CREATE TABLE part.letters_2026_12 PARTITION OF part.letters FOR VALUES FROM ('2026-12-01') TO ('2027-01-01');
SELECT * FROM part.triggers WHERE rel = 'part.letters_2026_12'::regclass;
INSERT INTO part.letters_2026_12 VALUES (5, '2026-12-01 10:00', 'Please book a scan.', NULL, 'G82005');
INSERT INTO part.letters VALUES (11, '2026-12-02 10:00', 'Please book a scan too.', NULL, 'G82011');
SELECT key, status FROM part.state WHERE key LIKE '(5,%' OR key LIKE '(11,%';

-- ATTACH PARTITION of a table with rows: its letters are backfilled, its writes tracked
CREATE TABLE part.letters_2026_09 (LIKE part.letters INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
INSERT INTO part.letters_2026_09 VALUES (6, '2026-09-10 10:00', 'Please stop the statin.', NULL, 'G82006'),
                                        (7, '2026-09-11 10:00', 'Sent already.', '2026-09-11 12:00', 'G82007');
ALTER TABLE part.letters ATTACH PARTITION part.letters_2026_09 FOR VALUES FROM ('2026-09-01') TO ('2026-10-01');
SELECT key, status FROM part.state WHERE key LIKE '(6,%' OR key LIKE '(7,%';
INSERT INTO part.letters_2026_09 VALUES (8, '2026-09-12 10:00', 'Please review.', NULL, 'G82008');
SELECT key, status FROM part.state WHERE key LIKE '(8,%';

-- TRUNCATE of one partition: its unsent letters are withdrawn and the TRUNCATE is recorded
TRUNCATE part.letters_2026_12;
SELECT key, status, reason FROM part.state WHERE key LIKE '(5,%' OR key LIKE '(11,%';
SELECT letters_triage.table_label(table_id) AS tbl, event, letters, sample_keys, detail FROM letters_triage.tracking_log ORDER BY id;

-- DETACH of a partition that stays: its unsent letters are withdrawn (recorded), its
-- tracking triggers go (its rows are no longer letters of part.letters), its sent ones stay sent
ALTER TABLE part.letters DETACH PARTITION part.letters_2026_09;
SELECT key, status, reason FROM part.state WHERE key ~ '^\((6|7|8),';
SELECT letters_triage.table_label(table_id) AS tbl, event, letters, sample_keys, detail FROM letters_triage.tracking_log WHERE event = 'partition';
SELECT * FROM part.triggers WHERE rel = 'part.letters_2026_09'::regclass;
INSERT INTO part.letters_2026_09 VALUES (9, '2026-09-13 10:00', 'Not a letter of part.letters now.', NULL, 'G82009');
SELECT count(*) AS untracked FROM part.state WHERE key LIKE '(9,%';
-- attached again: its letters come back, the one added meanwhile with them
ALTER TABLE part.letters ATTACH PARTITION part.letters_2026_09 FOR VALUES FROM ('2026-09-01') TO ('2026-10-01');
SELECT key, status FROM part.state WHERE key ~ '^\((6|7|8|9),';

-- DROP of a partition: its unsent letters are withdrawn first, and that is recorded
DROP TABLE part.letters_2026_09;
SELECT key, status, reason FROM part.state WHERE key ~ '^\((6|7|8|9),';
SELECT letters_triage.table_label(table_id) AS tbl, event, letters, detail FROM letters_triage.tracking_log WHERE event = 'partition' ORDER BY id;

-- DETACH ... CONCURRENTLY (two transactions): the same
CREATE TABLE part.letters_2026_08 PARTITION OF part.letters FOR VALUES FROM ('2026-08-01') TO ('2026-09-01');
INSERT INTO part.letters VALUES (12, '2026-08-10 10:00', 'August letter.', NULL, 'G82012');
ALTER TABLE part.letters DETACH PARTITION part.letters_2026_08 CONCURRENTLY;
SELECT key, status, reason FROM part.state WHERE key LIKE '(12,%';
SELECT count(*) AS triggers_left FROM part.triggers WHERE rel = 'part.letters_2026_08'::regclass;

-- a table watched on its own, then attached to a watched table: its letters become the table's
CREATE TABLE part.letters_2026_07 (LIKE part.letters INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE part.letters_2026_07 ADD PRIMARY KEY (id, created);
INSERT INTO part.letters_2026_07 VALUES (13, '2026-07-10 10:00', 'July letter.', NULL, 'G82013');
SELECT letters_triage.watch('part.letters_2026_07', 'body', 'created', 'sent');
ALTER TABLE part.letters ATTACH PARTITION part.letters_2026_07 FOR VALUES FROM ('2026-07-01') TO ('2026-08-01');
SELECT tbl, key, status, reason FROM part.state WHERE key LIKE '(13,%' ORDER BY tbl::text;
SELECT name AS tbl, ended_by FROM letters_triage.watched ORDER BY 1;
SELECT count(*) AS triggers FROM part.triggers WHERE rel = 'part.letters_2026_07'::regclass AND proname = 'track_partition';

-- a partition that is itself partitioned, attached with rows, and written to at each level
CREATE TABLE part.letters_2027 (LIKE part.letters INCLUDING DEFAULTS) PARTITION BY RANGE (created);
CREATE TABLE part.letters_2027_01 PARTITION OF part.letters_2027 FOR VALUES FROM ('2027-01-01') TO ('2027-02-01');
INSERT INTO part.letters_2027 VALUES (20, '2027-01-05 10:00', 'Next year.', NULL, 'G82020');
ALTER TABLE part.letters ATTACH PARTITION part.letters_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE TABLE part.letters_2027_02 PARTITION OF part.letters_2027 FOR VALUES FROM ('2027-02-01') TO ('2027-03-01');
INSERT INTO part.letters_2027 VALUES (21, '2027-02-05 10:00', 'Next year too.', NULL, 'G82021');
INSERT INTO part.letters_2027_02 VALUES (22, '2027-02-06 10:00', 'Next year again.', NULL, 'G82022');
SELECT * FROM part.triggers WHERE rel::text LIKE 'part.letters_2027%';
SELECT key, status FROM part.state WHERE key ~ '^\(2[0-9],';
TRUNCATE part.letters_2027;
-- (the reason only from its end: letters of next year are created ahead of now)
SELECT key, status, reason LIKE '%; partition truncated' AS truncated FROM part.state WHERE key ~ '^\(2[0-9],';
SELECT letters, detail FROM letters_triage.tracking_log WHERE event = 'truncate' ORDER BY id;

-- TRUNCATE of the whole table: one record, every unsent letter withdrawn
INSERT INTO part.letters VALUES (30, '2026-11-25 10:00', 'Another.', NULL, 'G82030');
TRUNCATE part.letters;
SELECT status, count(*) FROM part.state GROUP BY 1 ORDER BY 1;
SELECT letters, detail FROM letters_triage.tracking_log WHERE event = 'truncate' ORDER BY id;

-- retriage() and reconcile() of the table read all its partitions; retriage() of a partition, its rows
INSERT INTO part.letters VALUES (40, '2026-10-02 10:00', 'A.', NULL, 'G82040'), (41, '2026-11-02 10:00', 'B.', NULL, 'G82041');
SELECT letters_triage.retriage('part.letters') AS letters, letters_triage.retriage('part.letters_2026_10') AS in_october;
SELECT * FROM letters_triage.reconcile('part.letters');

-- a partition cannot be watched on its own while its table is
SELECT letters_triage.watch('part.letters_2026_10', 'body', 'created', 'sent');

-- A tracking problem never fails the DBA's DDL: a partition whose rows its owner
-- may not read without row security (FORCE ROW LEVEL SECURITY) is detached, its
-- letters cannot be read: the DETACH goes on, the error is logged for check_tracking
CREATE ROLE regress_part_owner;
ALTER TABLE part.letters_2026_10 OWNER TO regress_part_owner;
GRANT USAGE ON SCHEMA part TO regress_part_owner;
ALTER TABLE part.letters_2026_10 ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY nobody ON part.letters_2026_10 USING (false);
ALTER TABLE part.letters DETACH PARTITION part.letters_2026_10;
SELECT letters_triage.table_label(table_id) AS tbl, event, letters, detail FROM letters_triage.tracking_log WHERE event = 'error';
SELECT count(*) AS still_attached FROM pg_inherits WHERE inhrelid = 'part.letters_2026_10'::regclass;
SELECT kind, severity, letters FROM letters_triage.check_tracking() ORDER BY severity;

-- tracking_status lists a partition whose triggers do not all fire, check_tracking
-- alerts on it; watch() on the table again mends it
ALTER TABLE part.letters_2026_11 DISABLE TRIGGER letters_triage_insert;
DROP TRIGGER letters_triage_truncate ON part.letters_2026_11;
SELECT tbl, watched, on_insert, on_update, on_delete, on_truncate, status, detail
  FROM letters_triage.tracking_status ORDER BY tbl::text;
SELECT kind, severity, summary FROM letters_triage.check_tracking() WHERE summary LIKE '%2026\_11%';
SELECT letters_triage.watch('part.letters', 'body', 'created', 'sent', recipient => 'practice', backfill => false);
SELECT tbl, status FROM letters_triage.tracking_status ORDER BY tbl::text;

-- unwatch() removes the triggers of the table and of its partitions
SELECT letters_triage.unwatch('part.letters');
SELECT count(*) AS tracking_triggers FROM part.triggers;

SET client_min_messages = warning;
DROP SCHEMA part CASCADE;
DROP ROLE regress_part_owner;
