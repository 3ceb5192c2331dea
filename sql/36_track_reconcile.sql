-- reconcile(): an unsent letter whose row is gone without the trigger seeing
-- it (triggers disabled, a partition detached and dropped) is withdrawn,
-- logged in tracking_log and listed; sent and withdrawn letters, and letters
-- still in the table, are left alone.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA rc;
CREATE TABLE rc.letters (id integer PRIMARY KEY, body text, created timestamptz NOT NULL DEFAULT '2026-11-24 10:00',
                         sent timestamptz);
INSERT INTO rc.letters (id, body) SELECT g, 'Letter ' || g FROM generate_series(1, 6) g;
SELECT letters_triage.watch('rc.letters', 'body', 'created', 'sent') AS backfilled;
UPDATE rc.letters SET sent = '2026-11-24 11:00' WHERE id = 2;
DELETE FROM rc.letters WHERE id = 3;
UPDATE letters_triage.letter_state SET status = 'overdue' WHERE key = '4';
-- rows removed unseen
ALTER TABLE rc.letters DISABLE TRIGGER USER;
DELETE FROM rc.letters WHERE id IN (1, 2, 3, 4);
ALTER TABLE rc.letters ENABLE TRIGGER USER;
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('rc.letters') ORDER BY key;

SELECT * FROM letters_triage.reconcile('rc.letters') ORDER BY key;
SELECT key, status, reason ~ 'not in the table' AS reconciled FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('rc.letters') ORDER BY key;
SELECT letters_triage.table_label(table_id) AS tbl, event, letters, sample_keys, detail FROM letters_triage.tracking_log ORDER BY id;
-- a second run changes nothing
SELECT count(*) AS changed FROM letters_triage.reconcile('rc.letters');

-- a partitioned table whose partition is detached and dropped; a timestamptz key
CREATE TABLE rc.parted (id timestamptz PRIMARY KEY, body text, created timestamptz NOT NULL, sent timestamptz)
    PARTITION BY RANGE (id);
CREATE TABLE rc.parted_2025 PARTITION OF rc.parted FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE rc.parted_2026 PARTITION OF rc.parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT letters_triage.watch('rc.parted', 'body', 'created', 'sent') AS backfilled;
INSERT INTO rc.parted VALUES ('2025-06-01 12:00', 'Old letter.', '2025-06-01 12:00'),
                             ('2026-06-01 12:00', 'New letter.', '2026-06-01 12:00');
-- (unseen: with the event trigger that tracks partitions leaving switched off)
ALTER EVENT TRIGGER letters_triage_partitions_added DISABLE;
ALTER TABLE rc.parted DETACH PARTITION rc.parted_2025;
DROP TABLE rc.parted_2025;
ALTER EVENT TRIGGER letters_triage_partitions_added ENABLE;
SET TimeZone = 'America/New_York';
SELECT tbl, key, previous_status FROM letters_triage.reconcile() ORDER BY key;
SET TimeZone = 'Europe/London';
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('rc.parted') ORDER BY key;

-- a table whose owner forces row security on it: reconcile() would see only the
-- rows the policy shows its owner, so it refuses to read it rather than
-- withdraw the letters of rows it cannot see
CREATE ROLE rc_owner;
GRANT USAGE ON SCHEMA rc TO rc_owner;
CREATE TABLE rc.guarded (id integer PRIMARY KEY, body text, created timestamptz NOT NULL DEFAULT '2026-11-24 10:00',
                         sent timestamptz);
INSERT INTO rc.guarded (id, body) VALUES (1, 'Letter one'), (2, 'Letter two');
SELECT letters_triage.watch('rc.guarded', 'body', 'created', 'sent') AS backfilled;
ALTER TABLE rc.guarded OWNER TO rc_owner;
ALTER TABLE rc.guarded ENABLE ROW LEVEL SECURITY;
ALTER TABLE rc.guarded FORCE ROW LEVEL SECURITY;
CREATE POLICY only_one ON rc.guarded USING (id = 1);
SELECT * FROM letters_triage.reconcile('rc.guarded');
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('rc.guarded') ORDER BY key;
DROP TABLE rc.guarded;
REVOKE USAGE ON SCHEMA rc FROM rc_owner;
DROP ROLE rc_owner;

-- only watched tables
SELECT * FROM letters_triage.reconcile('rc.parted_2026');
-- nobody but the extension's owner and whom it grants may call it
CREATE ROLE rc_app;
SET ROLE rc_app;
SELECT * FROM letters_triage.reconcile('rc.letters');
RESET ROLE;
DROP ROLE rc_app;

SET client_min_messages = warning;
DROP SCHEMA rc CASCADE;
