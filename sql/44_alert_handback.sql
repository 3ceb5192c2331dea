-- Every overdue letter in its place at every step.  A letter that becomes
-- immediate (retriage() after a rule change) while it is a line of its
-- practice's overdue alert gets an alert of its own and leaves the summary.
-- The letters a stalled flow held return to their ordinary alerts in the
-- step that ends the stall, even when check_flow runs alone.  The report
-- views show a letter past its deadline before any check has marked it.
-- An open alert's identity is its columns, under a unique index.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA ho;
CREATE TABLE ho.outbox (id bigint PRIMARY KEY, practice text NOT NULL, body text NOT NULL,
                        written timestamptz NOT NULL, posted timestamptz);
CREATE TABLE ho.stall (LIKE ho.outbox INCLUDING ALL);
CREATE TABLE ho.report (LIKE ho.outbox INCLUDING ALL);
SELECT letters_triage.watch('ho.outbox', body => 'body', created => 'written', sent => 'posted', recipient => 'practice');
SELECT letters_triage.watch('ho.stall', body => 'body', created => 'written', sent => 'posted', recipient => 'practice');
-- the events of a check that concern alerts of a table (read after the check:
-- its alerts are not in the snapshot of the statement that runs it)
CREATE FUNCTION ho.events(t regclass, run text)
RETURNS TABLE (alert_id bigint, event text, kind text, severity letters_triage.urgency, letters integer)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TEMP TABLE ho_ev AS SELECT * FROM %s', run);
    RETURN QUERY SELECT e.alert_id, e.event, e.kind, e.severity, e.letters
                   FROM ho_ev e JOIN letters_triage.alert a ON a.id = e.alert_id
                  WHERE a.table_id = letters_triage.table_id(t) ORDER BY e.alert_id, e.event;
    DROP TABLE ho_ev;
END $$;
-- each overdue letter of a table and the open alerts that list it
CREATE FUNCTION ho.placed(t regclass) RETURNS TABLE (key text, urgency letters_triage.urgency, open_alerts text)
LANGUAGE sql AS $$
    SELECT s.key, s.urgency, string_agg(x.kind || '/' || x.scope, ', ' ORDER BY x.alert_id)
      FROM letters_triage.letter_state s
      LEFT JOIN letters_triage.letter_alert x ON x.table_id = s.table_id AND x.key = s.key AND x.open
     WHERE s.status = 'overdue' AND s.table_id = letters_triage.table_id(t)
     GROUP BY s.key, s.urgency ORDER BY s.key
$$;

-- 1. The stall ends in check_flow: its letters return to their alerts there.
-- Monday 7 October 2024: one letter sent at 08:30, then none; two routine
-- letters of last week are past their deadline, one immediate is not yet.
INSERT INTO ho.stall VALUES
 (10, 'P2', 'Clinic letter. No change.', '2024-10-07 08:00', '2024-10-07 08:30'),
 (11, 'P2', 'Discharge summary. The patient has died at home.', '2024-10-07 09:00', NULL),
 (12, 'P2', 'Clinic letter. No change.', '2024-09-30 09:00', NULL),
 (13, 'P3', 'Clinic letter. No change.', '2024-09-30 09:00', NULL),
 (14, 'P3', 'Clinic letter. No change.', '2024-10-07 09:00', NULL);
SELECT key, urgency, status, due FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('ho.stall') ORDER BY key;
-- 11:30: stalled; the two overdue letters join the incident.
SELECT * FROM ho.events('ho.stall', $$letters_triage.check_all('2024-10-07 11:30')$$);
SELECT * FROM ho.placed('ho.stall');
-- 12:00 a letter goes; check_flow alone at 12:15 ends the stall, and in the
-- same step the two letters get their practices' alerts, notified together.
UPDATE ho.stall SET posted = '2024-10-07 12:00' WHERE id = 14;
SELECT * FROM ho.events('ho.stall', $$letters_triage.check_flow('2024-10-07 12:15')$$);
SELECT * FROM ho.placed('ho.stall');
SELECT event, kind, letters FROM letters_triage.alert_notice WHERE at = '2024-10-07 12:15' ORDER BY id;
-- the next check_overdue finds nothing to place
SELECT * FROM ho.events('ho.stall', $$letters_triage.check_overdue('2024-10-07 12:20')$$);

-- 2. A letter become immediate inside its practice's alert (retriage()).
INSERT INTO ho.outbox VALUES
 (1, 'P1', 'Outpatient clinic letter. Please arrange a zebrafish scan.', '2024-10-01 09:00', NULL),
 (2, 'P1', 'Outpatient clinic letter. Seen in clinic today; no change to treatment.', '2024-10-01 09:10', NULL);
SELECT * FROM ho.events('ho.outbox', $$letters_triage.check_overdue('2024-10-14 12:00')$$);
SELECT * FROM ho.placed('ho.outbox');
-- A rule added for a scan that must be done at once; retriage() applies it
-- to the letters already recorded.
INSERT INTO letters_triage.rule (pattern, action, urgency, note)
VALUES ('zebrafish scan', 'test', 'immediate', 'a scan to arrange at once');
SELECT letters_triage.retriage('ho.outbox');
SELECT key, urgency, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('ho.outbox') ORDER BY key;
SELECT * FROM ho.events('ho.outbox', $$letters_triage.check_overdue('2024-10-14 12:30')$$);
SELECT * FROM ho.placed('ho.outbox');
SELECT kind, scope, severity, recipient, letter_key, letters, urgent_letters, resolved_at IS NOT NULL AS resolved
  FROM letters_triage.alert WHERE table_id = letters_triage.table_id('ho.outbox') ORDER BY id;
-- the history keeps that letter 1 was in the practice's alert
SELECT x.key, x.kind, x.scope, x.open, x.left_at FROM letters_triage.letter_alert x
 WHERE x.table_id = letters_triage.table_id('ho.outbox') ORDER BY x.alert_id, x.key;
-- Letter 2 is sent: the practice's alert has nothing left and is resolved;
-- letter 1's own alert stays.
UPDATE ho.outbox SET posted = '2024-10-14 13:00' WHERE id = 2;
SELECT * FROM ho.events('ho.outbox', $$letters_triage.check_overdue('2024-10-14 13:30')$$);

-- 3. Identity: one open alert per kind, table, scope and letter or practice.
\set VERBOSITY terse
INSERT INTO letters_triage.alert (raised_at, kind, severity, table_id, recipient, scope, letter_key, summary, last_raised_at)
SELECT raised_at, kind, severity, table_id, recipient, scope, letter_key, summary, last_raised_at
  FROM letters_triage.alert WHERE table_id = letters_triage.table_id('ho.outbox') AND scope = 'letter';
INSERT INTO letters_triage.alert (raised_at, kind, severity, table_id, recipient, scope, letter_key, summary, last_raised_at)
VALUES (now(), 'overdue', 'routine', letters_triage.table_id('ho.outbox'), 'P1', 'letter', NULL, 'x', now());
\set VERBOSITY default
SELECT kind, scope, table_name, subject FROM letters_triage.alert WHERE resolved_at IS NULL ORDER BY id;

-- 4. The report views are true when read: a letter past its deadline that
-- no check has seen yet is overdue in them (the checks run on the primary;
-- a standby's reports must not wait for them).
SELECT letters_triage.watch('ho.report', body => 'body', created => 'written', sent => 'posted', recipient => 'practice');
INSERT INTO ho.report VALUES
 (20, 'P4', 'Discharge summary. The patient has died at home.', now() - interval '30 days', NULL),
 (21, 'P4', 'Clinic letter. No change.', now(), NULL);
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('ho.report') ORDER BY key;
SELECT key, urgency, overdue_by > interval '20 days' AS long_overdue, alert_id FROM letters_triage.overdue
 WHERE table_id = letters_triage.table_id('ho.report');
SELECT key, attention FROM letters_triage.worklist WHERE table_id = letters_triage.table_id('ho.report');
SELECT recipient, overdue_letters, urgent_overdue_letters, jsonb_array_length(urgent_letters) AS urgent_listed
  FROM letters_triage.practice_digest WHERE recipient = 'P4';

-- 5. A tracking error is an incident too; acknowledging it ends it, and the
-- letters it held get their ordinary alerts then, not at the next check.
CREATE TABLE ho.trk (LIKE ho.outbox INCLUDING ALL);
SELECT letters_triage.watch('ho.trk', body => 'body', created => 'written', sent => 'posted', recipient => 'practice');
INSERT INTO ho.trk VALUES
 (30, 'P5', 'Clinic letter. No change.', '2024-10-21 08:00', '2024-10-21 08:45'),
 (31, 'P5', 'Discharge summary. The patient has died at home.', '2024-10-18 09:00', NULL);
INSERT INTO letters_triage.tracking_log (logged_at, table_id, event, letters, detail)
VALUES ('2024-10-21 08:50', letters_triage.table_id('ho.trk'), 'error', 1, 'fixture error');
SELECT * FROM ho.events('ho.trk', $$letters_triage.check_tracking('2024-10-21 08:55')$$);
SELECT * FROM ho.events('ho.trk', $$letters_triage.check_overdue('2024-10-21 09:00')$$);
SELECT * FROM ho.placed('ho.trk');
SELECT kind, acknowledged_by IS NOT NULL AS acknowledged
  FROM letters_triage.acknowledge((SELECT id FROM letters_triage.alert
                                    WHERE table_id = letters_triage.table_id('ho.trk') AND kind = 'tracking_error'), 'looked at it');
SELECT * FROM ho.placed('ho.trk');

-- 6. Writing functions in a read-only transaction say so at once.
BEGIN READ ONLY;
SELECT count(*) FROM letters_triage.check_all();
ROLLBACK;
BEGIN READ ONLY;
SELECT letters_triage.acknowledge(1);
ROLLBACK;
-- the list of checks, which check_all() and the worker run
SELECT * FROM letters_triage.checks();

DROP SCHEMA ho CASCADE;
SET client_min_messages = warning;
DROP EXTENSION letters_triage;
RESET client_min_messages;
