-- The row-level path for replica sessions (track_apply(), the path of a
-- logical-replication apply worker; test/t/040_subscriber.pl runs a real
-- subscriber): the same statements, run in an ordinary session on a table
-- tracked by the statement path and in a session with
-- session_replication_role = replica on a table watched with the apply path,
-- give the same letter_state: changes of one letter in one transaction, a
-- key deleted and inserted again, key changes, subtransactions rolled back
-- (also after a batch was written inside them), TRUNCATE, and more rows in
-- a transaction than one batch holds.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE SCHEMA ap;
CREATE TABLE ap.stmt (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TABLE ap.rows (LIKE ap.stmt INCLUDING ALL);
SELECT letters_triage.watch('ap.stmt', 'body', 'created', 'sent');
SELECT letters_triage.watch('ap.rows', 'body', 'created', 'sent', replicated => true);
SELECT tgname, tgenabled, tgtype FROM pg_trigger WHERE tgrelid = 'ap.rows'::regclass ORDER BY 1;
SELECT tbl, status FROM letters_triage.tracking_status ORDER BY 1;

-- Every change of the steps below, made to table t.
CREATE FUNCTION ap.steps(t regclass, part int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF part = 1 THEN
        EXECUTE format($q$INSERT INTO %s VALUES
            (1, 'Seen in clinic for review of eczema. No change to medication.', '2026-11-24 10:00+00', NULL),
            (2, 'Clinic letter. No change.', '2026-11-24 10:05+00', NULL),
            (3, 'Discharged home after an uncomplicated admission.', '2026-11-24 10:10+00', NULL),
            (4, 'Please stop warfarin and start apixaban 5 mg twice daily.', '2026-11-24 10:15+00', NULL),
            (5, 'Clinic letter. No change.', '2026-11-24 10:20+00', NULL)$q$, t);
        EXECUTE format($q$UPDATE %s SET body = 'Please arrange an urgent review today: suspected sepsis.' WHERE id = 2$q$, t);
        EXECUTE format($q$UPDATE %s SET sent = '2026-11-24 11:00+00' WHERE id = 3$q$, t);
        EXECUTE format('DELETE FROM %s WHERE id = 4', t);
        EXECUTE format('UPDATE %s SET id = 50 WHERE id = 5', t);
        -- deleted and inserted again (as a row moving between partitions arrives)
        EXECUTE format('DELETE FROM %s WHERE id = 1', t);
        EXECUTE format($q$INSERT INTO %s VALUES (1, 'Seen in clinic for review of eczema. No change to medication.', '2026-11-24 10:00+00', '2026-11-24 12:00+00')$q$, t);
        -- two keys changed in one statement
        EXECUTE format('UPDATE %s SET id = id + 10 WHERE id IN (2, 3)', t);
    ELSIF part = 2 THEN
        -- a subtransaction rolled back takes its changes with it
        BEGIN
            EXECUTE format($q$INSERT INTO %s VALUES (6, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL)$q$, t);
            EXECUTE format($q$UPDATE %s SET sent = '2026-11-24 13:00+00' WHERE id = 12$q$, t);
            EXECUTE format('DELETE FROM %s WHERE id = 13', t);
            EXECUTE format('DELETE FROM %s WHERE id = 50', t);
            EXECUTE format($q$INSERT INTO %s VALUES (50, 'Clinic letter. Repeat bloods.', '2026-11-24 10:00+00', NULL)$q$, t);
            RAISE EXCEPTION 'roll back';
        EXCEPTION WHEN raise_exception THEN NULL;
        END;
        EXECUTE format($q$INSERT INTO %s VALUES (7, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL)$q$, t);
        EXECUTE format('DELETE FROM %s WHERE id = 1', t);
        BEGIN
            EXECUTE format($q$UPDATE %s SET body = 'Please arrange an urgent review today: suspected sepsis.' WHERE id = 7$q$, t);
            -- the deleted key back, in a subtransaction that commits
            EXECUTE format($q$INSERT INTO %s VALUES (1, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL)$q$, t);
            BEGIN
                EXECUTE format('DELETE FROM %s WHERE id IN (7, 1)', t);
                RAISE EXCEPTION 'roll back';
            EXCEPTION WHEN raise_exception THEN NULL;
            END;
        END;
    ELSIF part = 3 THEN
        -- more rows than a batch: written while the transaction runs, some
        -- inside a subtransaction that then rolls back
        EXECUTE format($q$INSERT INTO %s SELECT g, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL
                          FROM generate_series(100, 5099) g$q$, t);
        BEGIN
            EXECUTE format($q$UPDATE %s SET sent = '2026-11-24 12:00+00' WHERE id BETWEEN 100 AND 5099$q$, t);
            EXECUTE format('DELETE FROM %s WHERE id BETWEEN 100 AND 199', t);
            RAISE EXCEPTION 'roll back';
        EXCEPTION WHEN raise_exception THEN NULL;
        END;
        EXECUTE format('DELETE FROM %s WHERE id BETWEEN 5000 AND 5099', t);
    ELSE
        -- TRUNCATE after changes of the same transaction, then a key used again
        EXECUTE format($q$INSERT INTO %s VALUES (8, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL)$q$, t);
        EXECUTE format($q$UPDATE %s SET sent = '2026-11-24 11:00+00' WHERE id = 7$q$, t);
        EXECUTE format('TRUNCATE %s', t);
        EXECUTE format($q$INSERT INTO %s VALUES (8, 'Please arrange an urgent review today: suspected sepsis.', '2026-11-24 10:00+00', NULL)$q$, t);
    END IF;
END $$;

-- What differs between the two tables' letters (nothing, when all is well).
CREATE VIEW ap.diff AS
WITH s AS (SELECT table_id, key, urgency, actions, due, sent, status, withdrawn IS NOT NULL AS gone, needs_review
             FROM letters_triage.letter_state)
(SELECT 'stmt only' AS side, key, urgency, actions, due, sent, status, gone, needs_review FROM s WHERE table_id = letters_triage.table_id('ap.stmt')
 EXCEPT SELECT 'stmt only', key, urgency, actions, due, sent, status, gone, needs_review FROM s WHERE table_id = letters_triage.table_id('ap.rows'))
UNION ALL
(SELECT 'rows only', key, urgency, actions, due, sent, status, gone, needs_review FROM s WHERE table_id = letters_triage.table_id('ap.rows')
 EXCEPT SELECT 'rows only', key, urgency, actions, due, sent, status, gone, needs_review FROM s WHERE table_id = letters_triage.table_id('ap.stmt'));
CREATE VIEW ap.summary AS
SELECT letters_triage.table_label(table_id) AS tbl, status, count(*) FROM letters_triage.letter_state GROUP BY 1, 2 ORDER BY tbl, status;

SELECT ap.steps('ap.stmt', 1);
SET session_replication_role = replica;
SELECT ap.steps('ap.rows', 1);
RESET session_replication_role;
SELECT * FROM ap.diff ORDER BY key, side;
SELECT key, urgency, status, sent IS NOT NULL AS sent FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('ap.rows') ORDER BY key;

SELECT ap.steps('ap.stmt', 2);
SET session_replication_role = replica;
SELECT ap.steps('ap.rows', 2);
RESET session_replication_role;
SELECT * FROM ap.diff ORDER BY key, side;

SELECT ap.steps('ap.stmt', 3);
SET session_replication_role = replica;
SELECT ap.steps('ap.rows', 3);
RESET session_replication_role;
SELECT * FROM ap.diff ORDER BY key, side;

SELECT ap.steps('ap.stmt', 4);
SET session_replication_role = replica;
SELECT ap.steps('ap.rows', 4);
RESET session_replication_role;
SELECT * FROM ap.diff ORDER BY key, side;
SELECT * FROM ap.summary;

-- An aborted transaction leaves nothing queued behind.
SET session_replication_role = replica;
BEGIN;
INSERT INTO ap.rows VALUES (9, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL);
ROLLBACK;
INSERT INTO ap.rows VALUES (10, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL);
RESET session_replication_role;
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('ap.rows') AND key IN ('9', '10');

-- In an ordinary session the apply triggers do not fire (track() tracks).
SELECT count(*) AS letters FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('ap.rows');
INSERT INTO ap.rows VALUES (11, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL);
SELECT count(*) AS letters FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('ap.rows');

-- Reported: the apply triggers disabled, or made to fire for ordinary
-- sessions only; watch() again repairs them.
ALTER TABLE ap.rows DISABLE TRIGGER letters_triage_apply;
SELECT tbl, status, detail FROM letters_triage.tracking_status WHERE tbl = 'ap.rows'::regclass;
ALTER TABLE ap.rows ENABLE TRIGGER letters_triage_apply;
SELECT tbl, status, detail FROM letters_triage.tracking_status WHERE tbl = 'ap.rows'::regclass;
SELECT letters_triage.watch('ap.rows', 'body', 'created', 'sent', backfill => false);
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'ap.rows'::regclass ORDER BY 1;
SELECT tbl, status FROM letters_triage.tracking_status WHERE tbl = 'ap.rows'::regclass;
-- replicated => false: no apply path
SELECT letters_triage.watch('ap.rows', 'body', 'created', 'sent', backfill => false, replicated => false);
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'ap.rows'::regclass ORDER BY 1;

-- Protocol: only as the triggers watch() makes.
CREATE TABLE ap.bad (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TRIGGER bad BEFORE INSERT ON ap.bad FOR EACH ROW EXECUTE FUNCTION letters_triage.track_apply('id', 'body', 'created', 'sent', '', '', '');
INSERT INTO ap.bad VALUES (1);
DROP TRIGGER bad ON ap.bad;
CREATE TRIGGER bad AFTER INSERT ON ap.bad FOR EACH ROW EXECUTE FUNCTION letters_triage.track_apply('id');
INSERT INTO ap.bad VALUES (1);
DROP TRIGGER bad ON ap.bad;
CREATE TRIGGER bad AFTER INSERT ON ap.bad FOR EACH STATEMENT EXECUTE FUNCTION letters_triage.track_apply('id', 'body', 'created', 'sent', '', '', '');
INSERT INTO ap.bad VALUES (1);
SELECT letters_triage.track_apply();

SET client_min_messages = warning;
DROP SCHEMA ap CASCADE;
DROP EXTENSION letters_triage CASCADE;
