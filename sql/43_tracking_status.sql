-- Tracking switched off is seen: tracking_status lists every watched table
-- whose tracking triggers are missing, disabled or enabled for replica
-- sessions only, tables whose tracking triggers have no mapping, and roles or
-- databases whose sessions do not fire them; check_tracking raises a
-- tracking_error alert for each and resolves it when tracking is on again.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA ts;
CREATE TABLE ts.a (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TABLE ts.b (LIKE ts.a INCLUDING ALL);
CREATE TABLE ts.c (LIKE ts.a INCLUDING ALL);
SELECT letters_triage.watch(t, 'body', 'created', 'sent') FROM unnest('{ts.a,ts.b,ts.c}'::regclass[]) t;
CREATE VIEW ts.status AS SELECT * FROM letters_triage.tracking_status ORDER BY tbl::text;
CREATE VIEW ts.alerts AS
SELECT id, kind, severity, table_name AS tbl, summary, resolved_at IS NOT NULL AS resolved FROM letters_triage.alert ORDER BY id;
SELECT * FROM ts.status;
SELECT count(*) AS events FROM letters_triage.check_tracking('2026-11-24 10:00+00');

-- the owner of a table disables its triggers, enables one for replica sessions only, drops one
ALTER TABLE ts.a DISABLE TRIGGER USER;
ALTER TABLE ts.b ENABLE REPLICA TRIGGER letters_triage_insert;
DROP TRIGGER letters_triage_delete ON ts.c;
-- a restore of one schema: triggers without their mapping
CREATE TABLE ts.restored (LIKE ts.a INCLUDING ALL);
SELECT letters_triage.watch('ts.restored', 'body', 'created', 'sent');
DELETE FROM letters_triage.watched WHERE id = letters_triage.table_id('ts.restored');
SELECT * FROM ts.status;
SELECT event, kind, severity FROM letters_triage.check_tracking('2026-11-24 10:05+00');
SELECT * FROM ts.alerts;
-- a second check raises nothing new
SELECT count(*) AS events FROM letters_triage.check_tracking('2026-11-24 10:06+00');

-- repaired: the alerts are resolved
ALTER TABLE ts.a ENABLE TRIGGER USER;
ALTER TABLE ts.b ENABLE TRIGGER letters_triage_insert;
SELECT letters_triage.watch('ts.c', 'body', 'created', 'sent');
SELECT letters_triage.unwatch('ts.restored');
SELECT alert_id, event, kind FROM letters_triage.check_tracking('2026-11-24 10:10+00') ORDER BY alert_id;
SELECT * FROM ts.alerts;
SELECT tbl, status FROM ts.status;

-- sessions of a role that start with session_replication_role = replica do not fire ORIGIN triggers
CREATE ROLE ts_replica;
ALTER ROLE ts_replica SET session_replication_role = replica;
SELECT tbl, status, detail FROM ts.status WHERE table_id = letters_triage.table_id('ts.a');
-- (ENABLE ALWAYS: they fire in every session)
ALTER TABLE ts.a ENABLE ALWAYS TRIGGER letters_triage_insert;
ALTER TABLE ts.a ENABLE ALWAYS TRIGGER letters_triage_update;
ALTER TABLE ts.a ENABLE ALWAYS TRIGGER letters_triage_delete;
ALTER TABLE ts.a ENABLE ALWAYS TRIGGER letters_triage_truncate;
SELECT tbl, on_insert, on_update, on_delete, on_truncate, status FROM ts.status WHERE table_id = letters_triage.table_id('ts.a');
DROP ROLE ts_replica;
-- the same for every role at once (ALTER ROLE ALL SET: rolled back, it would reach every test's sessions)
BEGIN;
ALTER ROLE ALL SET session_replication_role = replica;
SELECT tbl, status, detail FROM ts.status WHERE tbl = 'ts.b'::regclass;
ROLLBACK;

SET client_min_messages = warning;
DROP SCHEMA ts CASCADE;
