-- Alerts a person can act on: an incident (stalled flow, tracking error)
-- takes in its table's overdue letters instead of one alert each, overdue and
-- late-sent alerts are not escalated while it is open, the letters still
-- overdue return to ordinary alerts once it ends; escalation backs off and
-- notifies one message per kind and table; silences hold notifications back
-- and are recorded; the client running a check gets rows, not WARNINGs.
-- Letters are fixtures in letter_state; every notification is a row of
-- alert_notice, counted here.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE TABLE inh_app (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
-- (watched: its letters' state rows refer to its identity; the fixtures write them directly)
SELECT letters_triage.watch('inh_app', 'body', 'created', 'sent', backfill => false);
CREATE TABLE inh_app2 (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
-- (watched: its letters' state rows refer to its identity; the fixtures write them directly)
SELECT letters_triage.watch('inh_app2', 'body', 'created', 'sent', backfill => false);
CREATE FUNCTION inh_letter(t regclass, k text, u letters_triage.urgency, p text, c timestamptz, d timestamptz)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO letters_triage.letter_state
           (table_id, key, urgency, actions, needs_review, kind, recipient, created, due, status, triaged_at)
    VALUES (letters_triage.table_id(t), k, u, '{}', false, 'clinic', p, c, d, 'waiting', c)
$$;
CREATE FUNCTION inh_send(t regclass, k text, at timestamptz) RETURNS void LANGUAGE sql AS $$
    UPDATE letters_triage.letter_state
       SET sent = at, status = CASE WHEN at > due OR status = 'overdue' THEN 'sent_late' ELSE 'sent' END
     WHERE table_id = letters_triage.table_id(t) AND key = k
$$;
-- Every overdue letter is in exactly one open alert's list (an overdue alert
-- or its table's incident): the letters for which that is not so.
CREATE VIEW inh_misplaced AS
SELECT letters_triage.table_label(s.table_id) AS tbl, s.key, count(x.alert_id) AS open_alerts
  FROM letters_triage.letter_state s
  LEFT JOIN letters_triage.letter_alert x ON x.table_id = s.table_id AND x.key = s.key AND x.open
       AND x.kind IN ('overdue', 'stalled_flow', 'tracking_error')
 WHERE s.status = 'overdue' AND s.sent IS NULL
 GROUP BY s.table_id, s.key HAVING count(x.alert_id) <> 1;
CREATE TABLE inh_events AS SELECT NULL::timestamptz AS at, e.* FROM letters_triage.check_all('2024-10-07 07:00') e;

-- Monday 7 October 2024: one letter sent at 08:30, then nothing more.
SELECT inh_letter('inh_app', 's0', 'routine', 'A1', '2024-10-07 08:00', '2024-10-08 18:00');
SELECT inh_send('inh_app', 's0', '2024-10-07 08:30');
SELECT inh_letter('inh_app', 'p1', 'immediate', 'A1', '2024-10-07 09:00', '2024-10-07 10:00');
SELECT inh_letter('inh_app', 'p2', 'routine', 'A1', '2024-10-07 09:00', '2024-10-07 10:00');

-- 10:15: no stall yet (1.75 working hours without a send): the ordinary
-- alerts, one for the immediate letter, one for the practice; one
-- notification for the two (same kind and table).  Nothing reaches this
-- client but the rows.
SELECT alert_id, event, kind, severity, letters FROM letters_triage.check_all('2024-10-07 10:15');
SELECT at, event, kind, alerts, letters, silence_id FROM letters_triage.alert_notice ORDER BY id;

-- More letters fall due while nothing is sent.
SELECT inh_letter('inh_app', 'p3', 'urgent', 'A1', '2024-10-07 10:00', '2024-10-07 11:00');
SELECT inh_letter('inh_app', 'p4', 'routine', 'A2', '2024-10-07 10:00', '2024-10-07 11:00');
SELECT inh_letter('inh_app', 'p5', 'immediate', 'A2', '2024-10-07 10:00', '2024-10-07 11:00');

-- 11:30: the stall is found first, and the letters overdue since join it:
-- no alert of their own, and the incident is notified once.
SELECT alert_id, event, kind, severity, letters FROM letters_triage.check_all('2024-10-07 11:30');
SELECT a.id, a.kind, l.key FROM letters_triage.alert a JOIN letters_triage.alert_letter l ON l.alert_id = a.id
 ORDER BY a.id, l.key;
SELECT * FROM inh_misplaced;
SELECT key, alert_id FROM letters_triage.overdue ORDER BY key;

-- The checks every hour until Thursday: the incident is escalated after 4,
-- 8, 16 hours, then daily; the overdue alerts raised before the stall wait
-- (their table has an incident); a letter falling due meanwhile joins the
-- incident, and its growth is told with the next escalation.
SELECT inh_letter('inh_app', 'p6', 'urgent', 'A1', '2024-10-07 15:00', '2024-10-07 16:00');
INSERT INTO inh_events
SELECT t, e.* FROM generate_series('2024-10-07 12:30'::timestamptz, '2024-10-10 09:30', interval '1 hour') t,
       LATERAL letters_triage.check_all(t) e;
SELECT event, kind, count(*) FROM inh_events GROUP BY 1, 2 ORDER BY 1, 2;
SELECT at, event, kind, alerts, letters FROM letters_triage.alert_notice WHERE at > '2024-10-07 11:30' ORDER BY id;
SELECT id, kind, raise_count, last_raised_at, letters_notified FROM letters_triage.alert ORDER BY id;
SELECT * FROM inh_misplaced;

-- Thursday 10:00 the sender resumes: p1 goes.  At 10:30 the stall is
-- resolved and the letters still overdue return to ordinary alerts (one
-- notification for them), once; the overdue alert of A1 from before the
-- stall is escalated again, and the late-sent letter is summarised.
SELECT inh_send('inh_app', 'p1', '2024-10-10 10:00');
SELECT alert_id, event, kind, severity, letters FROM letters_triage.check_all('2024-10-10 10:30')
 ORDER BY kind, event, alert_id;
SELECT at, event, kind, alerts, letters FROM letters_triage.alert_notice WHERE at = '2024-10-10 10:30' ORDER BY id;
SELECT a.id, a.kind, a.recipient, l.key FROM letters_triage.alert a
  JOIN letters_triage.alert_letter l ON l.alert_id = a.id
 WHERE a.resolved_at IS NULL ORDER BY a.id, l.key;
SELECT * FROM inh_misplaced;
SELECT count(*) FROM letters_triage.check_all('2024-10-10 10:30');
-- the worklist and the digest list every letter whatever alert holds it
SELECT attention, key, urgency FROM letters_triage.worklist ORDER BY key;
SELECT recipient, late_letters, overdue_letters, urgent_overdue_letters FROM letters_triage.practice_digest;

-- Silences: a practice closed for training.  Bad silences are refused.
SELECT letters_triage.silence(NULL, NULL, '1 day', 'everything');
SELECT letters_triage.silence('inh_app', NULL, '0', 'nothing');
SELECT letters_triage.silence('inh_app', NULL, '31 days', 'too long');
SELECT letters_triage.silence('inh_app', NULL, '1 day', ' ');
SELECT letters_triage.silence('inh_app', NULL, NULL, 'no end');
-- not set years ahead (chained one after another), not for an empty practice code
SELECT letters_triage.silence(NULL, 'A2', '30 days', 'far ahead', now() + interval '20 years');
SELECT letters_triage.silence(NULL, '', '2 days', 'empty');
SELECT id, letters_triage.table_label(table_id) AS tbl, recipient, starts_at, ends_at, reason, created_by, lifted_at
  FROM letters_triage.silence(NULL, 'A2', '1 day', 'practice closed for training', '2024-10-10 10:45');
-- (the sender keeps sending)
SELECT inh_letter('inh_app', 's1', 'routine', 'A1', '2024-10-10 12:00', '2024-10-11 18:00');
SELECT inh_send('inh_app', 's1', '2024-10-10 14:00');
-- 14:30: the alerts of A2 are due for escalation: held back (recorded with the
-- silence, not notified); those of A1 are notified.
SELECT alert_id, event, kind, severity FROM letters_triage.check_all('2024-10-10 14:30') ORDER BY alert_id;
SELECT at, event, kind, alerts, silence_id FROM letters_triage.alert_notice WHERE at = '2024-10-10 14:30' ORDER BY id;
SELECT id, recipient, notice_silenced FROM letters_triage.alert WHERE resolved_at IS NULL ORDER BY id;
-- Lifted early: the alerts it held back are notified at the next check.
SELECT id, lifted_at IS NOT NULL AS lifted, lifted_by FROM letters_triage.unsilence(1);
SELECT letters_triage.unsilence(1);
SELECT alert_id, event, kind FROM letters_triage.check_all('2024-10-10 15:00') ORDER BY alert_id;
SELECT at, event, kind, alerts, silence_id FROM letters_triage.alert_notice WHERE at = '2024-10-10 15:00' ORDER BY id;
-- A table's silence ends by itself.
SELECT id, ends_at FROM letters_triage.silence('inh_app', NULL, '2 hours', 'planned maintenance', '2024-10-10 18:00');
SELECT letters_triage.silence_for('inh_app', 'A1', '2024-10-10 19:59') AS during,
       letters_triage.silence_for('inh_app', 'A1', '2024-10-10 20:00') AS after,
       letters_triage.silence_for('inh_app2', 'A1', '2024-10-10 19:00') AS other_table;

-- A tracking error is an incident too: the overdue letters of its table join it.
INSERT INTO letters_triage.tracking_log (logged_at, table_id, event, letters, detail)
VALUES ('2024-10-10 09:00', letters_triage.table_id('inh_app2'), 'error', 2, 'fixture error');
SELECT inh_letter('inh_app2', 'q1', 'immediate', 'A3', '2024-10-10 09:00', '2024-10-10 10:00');
SELECT inh_send('inh_app2', 'q0', '2024-10-10 09:00');
SELECT alert_id, event, kind FROM letters_triage.check_tracking('2024-10-10 10:10');
SELECT alert_id, event, kind FROM letters_triage.check_overdue('2024-10-10 10:20');
SELECT a.kind, l.key FROM letters_triage.alert a JOIN letters_triage.alert_letter l ON l.alert_id = a.id
 WHERE a.table_id = letters_triage.table_id('inh_app2');

-- A client that wants the alert lines as messages turns them on.
SELECT inh_letter('inh_app', 'p9', 'immediate', 'A1', '2024-10-11 09:00', '2024-10-11 10:00');
SET letters_triage.alert_client_messages = on;
SELECT count(*) FROM letters_triage.check_overdue('2024-10-11 10:30');
RESET letters_triage.alert_client_messages;

-- Privileges: silences are the DBA's.
CREATE ROLE regress_inh_oncall;
GRANT USAGE ON SCHEMA letters_triage TO regress_inh_oncall;
SET ROLE regress_inh_oncall;
SELECT letters_triage.silence('inh_app', NULL, '1 hour', 'mine');
SELECT letters_triage.unsilence(2);
SELECT count(*) FROM letters_triage.alert_notice;
SELECT count(*) FROM letters_triage.alert_silence;
RESET ROLE;
DROP ROLE regress_inh_oncall;

-- Silences cannot be chained past 30 days: renewed one after another, or a
-- table's and a practice's taking turns over the same letters.
\set ON_ERROR_ROLLBACK on
BEGIN;
SELECT ends_at FROM letters_triage.silence(NULL, 'Z9', '20 days', 'first', '2024-11-01 09:00');
SELECT letters_triage.silence(NULL, 'Z9', '20 days', 'renewed', '2024-11-21 09:00');
SELECT letters_triage.silence(NULL, 'Z9', '20 days', 'a day later', '2024-11-22 08:00');
SELECT letters_triage.silence('inh_app', NULL, '15 days', 'the table in turn', '2024-11-20 09:00');
-- a silence of another practice, or after a gap of more than a day, is its own
SELECT ends_at FROM letters_triage.silence(NULL, 'Z8', '20 days', 'another practice', '2024-11-21 09:00');
SELECT ends_at FROM letters_triage.silence(NULL, 'Z9', '20 days', 'after a gap', '2024-12-23 09:00');
ROLLBACK;
\set ON_ERROR_ROLLBACK off
DROP VIEW inh_misplaced;
DROP TABLE inh_events, inh_app, inh_app2;
DROP FUNCTION inh_letter(regclass, text, letters_triage.urgency, text, timestamptz, timestamptz);
DROP FUNCTION inh_send(regclass, text, timestamptz);
SET client_min_messages = warning;
DROP EXTENSION letters_triage;
RESET client_min_messages;
