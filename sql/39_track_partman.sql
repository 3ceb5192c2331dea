-- A letters table partitioned by month by pg_partman (create_parent with
-- p_type native on pg_partman 4, range on 5): the partitions it creates, the
-- ones its maintenance premakes later, and the ones its retention detaches
-- (keeping the table) or drops.  The dates are relative to today: pg_partman
-- premakes and retains by the clock.  Keys are read back through a cast to
-- (id, created).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage;
DROP SCHEMA IF EXISTS partman CASCADE; CREATE SCHEMA partman; CREATE EXTENSION pg_partman SCHEMA partman;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SELECT CASE WHEN extversion < '5' THEN 'native' ELSE 'range' END AS ptype
  FROM pg_extension WHERE extname = 'pg_partman' \gset
SELECT date_trunc('month', now()) - interval '3 months' AS m3, date_trunc('month', now()) - interval '2 months' AS m2,
       date_trunc('month', now()) AS m0 \gset

CREATE SCHEMA app;
CREATE TABLE app.letters (id int NOT NULL, created timestamptz NOT NULL, body text, sent timestamptz,
                          PRIMARY KEY (id, created)) PARTITION BY RANGE (created);
CREATE TYPE app.letter_key AS (id int, created timestamptz);
CREATE VIEW app.state AS
SELECT (s.key::app.letter_key).id, s.status, s.reason FROM letters_triage.letter_state s
 WHERE s.table_id = letters_triage.table_id('app.letters') ORDER BY 1;
-- every partition (and the default one) has the tracking triggers
CREATE VIEW app.partitions AS
SELECT count(*) FILTER (WHERE pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT') AS partitions,
       bool_and(EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = p.relid AND t.tgname = 'letters_triage_insert'))
           AS all_tracked
  FROM pg_partition_tree('app.letters') p JOIN pg_class c ON c.oid = p.relid
 WHERE p.relid <> 'app.letters'::regclass;

-- watched, then partitioned by pg_partman: three months back, two ahead
SELECT letters_triage.watch('app.letters', 'body', 'created', 'sent');
SELECT partman.create_parent(p_parent_table => 'app.letters', p_control => 'created', p_type => :'ptype',
                             p_interval => '1 month', p_premake => 2, p_start_partition => :'m3'::text);
SELECT partitions >= 6 AS from_three_months_back_to_two_ahead, all_tracked FROM app.partitions;

-- letters through the table and directly on a partition
INSERT INTO app.letters SELECT g, :'m3'::timestamptz + g * interval '1 day', 'Please review the result ' || g, NULL
  FROM generate_series(1, 3) g;
INSERT INTO app.letters VALUES (4, :'m3'::timestamptz + interval '4 days', 'Sent in time.', :'m3'::timestamptz + interval '4 days 1 hour'),
                               (5, :'m2'::timestamptz + interval '1 day', 'Please stop warfarin today.', NULL),
                               (10, :'m0'::timestamptz + interval '1 minute', 'Please book a scan.', NULL);
SELECT tableoid::regclass AS current_partition FROM app.letters WHERE id = 10 \gset
INSERT INTO :current_partition VALUES (11, :'m0'::timestamptz + interval '2 minutes', 'Potassium 6.9: repeat today.', NULL);
UPDATE :current_partition SET sent = created + interval '3 minutes' WHERE id = 10;
SELECT id, status FROM app.state;

-- maintenance premakes further partitions: tracked too
UPDATE partman.part_config SET premake = 4 WHERE parent_table = 'app.letters';
SELECT partman.run_maintenance('app.letters');
SELECT partitions >= 8 AS four_ahead, all_tracked FROM app.partitions;
-- (a letter created months ahead is tracked in its partition, deadline counted
-- from now and to a human: a creation time to come is a problem in tracking_log)
INSERT INTO app.letters VALUES (20, :'m0'::timestamptz + interval '4 months 1 day', 'Far ahead.', NULL);
SELECT tableoid::regclass AS far_partition FROM app.letters WHERE id = 20 \gset
INSERT INTO :far_partition VALUES (21, :'m0'::timestamptz + interval '4 months 2 days', 'Far ahead too.', NULL);
SELECT id, status FROM app.state WHERE id >= 20;

-- retention keeping the table: the oldest month is detached; its unsent letters
-- are withdrawn (the sent one stays sent), recorded; the kept table is not tracked
UPDATE partman.part_config SET retention = '2 months', retention_keep_table = true WHERE parent_table = 'app.letters';
SELECT partman.run_maintenance('app.letters');
SELECT id, status, reason FROM app.state WHERE id < 10;
SELECT event, letters FROM letters_triage.tracking_log ORDER BY id;
SELECT count(*) >= 1 AS kept, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid
                                                               AND t.tgname LIKE 'letters\_triage%')) AS tracked
  FROM pg_class c WHERE c.relname LIKE 'letters\_p%' AND NOT c.relispartition;
-- retention dropping the table: the next month goes, its unsent letter withdrawn, recorded
UPDATE partman.part_config SET retention = '1 month', retention_keep_table = false WHERE parent_table = 'app.letters';
SELECT partman.run_maintenance('app.letters');
SELECT id, status, reason FROM app.state WHERE id < 10;
SELECT event, letters FROM letters_triage.tracking_log ORDER BY id;
SELECT all_tracked FROM app.partitions;

-- rows beyond the partitions go to the default partition: tracked
-- (five years ahead: also an implausible creation time, so the letter goes to a human)
INSERT INTO app.letters VALUES (30, :'m0'::timestamptz + interval '5 years', 'Much later.', NULL);
SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM app.letters l JOIN pg_class c ON c.oid = l.tableoid WHERE l.id = 30;
SELECT id, status FROM app.state WHERE id = 30;
-- pg_partman moves them out of the default partition into a new one: the letter stays a letter
SELECT partman.partition_data_time('app.letters') AS moved;
SELECT pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS in_default FROM app.letters l JOIN pg_class c ON c.oid = l.tableoid WHERE l.id = 30;
SELECT id, status, reason FROM app.state WHERE id = 30;
SELECT all_tracked FROM app.partitions;

-- tracking is on, and nothing was lost
SELECT status FROM letters_triage.tracking_status;
SELECT count(*) AS tracking_errors FROM letters_triage.tracking_log WHERE event = 'error';
SELECT * FROM letters_triage.reconcile('app.letters');

SET client_min_messages = warning;
DROP SCHEMA app CASCADE;
DROP EXTENSION pg_partman;
DROP SCHEMA partman CASCADE;
