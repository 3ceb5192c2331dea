-- Alerts: settings, delivery, acknowledge(), every check with simulated time,
-- the report views, privileges, and bad input.  Letters are put straight into
-- letter_state (fixtures) so that each check is tested precisely.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE TABLE alert_app (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
-- (watched: its letters' state rows refer to its identity; the fixtures write them directly)
SELECT letters_triage.watch('alert_app', 'body', 'created', 'sent', backfill => false);
CREATE TABLE alert_app2 (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
-- (watched: its letters' state rows refer to its identity; the fixtures write them directly)
SELECT letters_triage.watch('alert_app2', 'body', 'created', 'sent', backfill => false);

-- A fixture letter: key, urgency, practice, created, due (London times).
CREATE FUNCTION alert_letter_fixture(t regclass, k text, u letters_triage.urgency, p text,
                                     c timestamptz, d timestamptz, review boolean DEFAULT false)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO letters_triage.letter_state
           (table_id, key, urgency, actions, needs_review, reason, kind, recipient, created, due, status, triaged_at)
    VALUES (letters_triage.table_id(t), k, u, CASE WHEN u >= 'urgent' THEN '{medication}'::text[] ELSE '{}' END, review,
            CASE WHEN review THEN 'unreadable' END, 'clinic', p, c, d, 'waiting', c)
$$;
-- A fixture send (as the tracking trigger records it).
CREATE FUNCTION alert_send_fixture(t regclass, k text, at timestamptz) RETURNS void LANGUAGE sql AS $$
    UPDATE letters_triage.letter_state
       SET sent = at, status = CASE WHEN at > due THEN 'sent_late' ELSE 'sent' END
     WHERE table_id = letters_triage.table_id(t) AND key = k
$$;

-- Settings: defaults, overrides, bad values.
SELECT n, letters_triage.alert_setting(n)
  FROM unnest(ARRAY['escalate_after', 'escalate_backoff', 'escalate_max', 'stall_after_working_hours', 'backlog_factor',
                    'backlog_min_letters', 'history_weeks', 'nonsense', '']) n;
SELECT letters_triage.alert_setting(NULL) IS NULL AS null_in_null_out;
INSERT INTO letters_triage.alert_config VALUES ('escalate_after', '-1 hour');
INSERT INTO letters_triage.alert_config VALUES ('escalate_after', 'soon');
INSERT INTO letters_triage.alert_config VALUES ('history_weeks', '1000');
INSERT INTO letters_triage.alert_config VALUES ('escalate_backoff', '0.5');
INSERT INTO letters_triage.alert_config VALUES ('escalate_max', '0');
INSERT INTO letters_triage.alert_config VALUES ('colour', 'red');
INSERT INTO letters_triage.alert_config VALUES ('escalate_after', '6 hours');
SELECT letters_triage.alert_setting('escalate_after');
DELETE FROM letters_triage.alert_config;

-- Monday 7 October 2024, a working day (08:00-18:30).  Practice A81001 gets
-- an immediate and an urgent letter and three routine/soon ones; practice
-- A81002 two routine ones.  Deadlines: the same day 18:30 or later.
SELECT alert_letter_fixture('alert_app', '1', 'immediate', 'A81001', '2024-10-07 09:00', '2024-10-07 18:30');
SELECT alert_letter_fixture('alert_app', '2', 'urgent',    'A81001', '2024-10-07 09:10', '2024-10-07 18:30');
SELECT alert_letter_fixture('alert_app', '3', 'soon',      'A81001', '2024-10-07 09:20', '2024-10-08 18:30');
SELECT alert_letter_fixture('alert_app', '4', 'routine',   'A81001', '2024-10-07 09:30', '2024-10-08 12:00');
SELECT alert_letter_fixture('alert_app', '5', 'routine',   'A81001', '2024-10-07 09:40', '2024-10-09 12:00');
SELECT alert_letter_fixture('alert_app', '6', 'routine',   'A81002', '2024-10-07 09:50', '2024-10-08 12:00');
SELECT alert_letter_fixture('alert_app', '7', 'routine',   'A81002', '2024-10-07 10:00', '2024-10-08 12:00');
SELECT alert_send_fixture('alert_app', '6', '2024-10-07 10:30');   -- sent in time

-- Before any deadline: nothing.
SELECT * FROM letters_triage.check_overdue('2024-10-07 12:00');
SELECT status, count(*) FROM letters_triage.letter_state GROUP BY 1 ORDER BY 1;

-- Monday 19:00: the immediate and urgent letters are overdue, each its own alert.
SELECT * FROM letters_triage.check_overdue('2024-10-07 19:00');
SELECT key, status FROM letters_triage.letter_state ORDER BY key;
-- Running it again raises nothing new.
SELECT * FROM letters_triage.check_overdue('2024-10-07 19:00');
SELECT * FROM letters_triage.check_overdue('2024-10-07 19:30');

-- Tuesday 13:00: the routine letters due at noon are grouped per practice.
SELECT * FROM letters_triage.check_overdue('2024-10-08 13:00');
SELECT a.id, l.key, l.urgency FROM letters_triage.alert a
  JOIN letters_triage.alert_letter l ON l.alert_id = a.id ORDER BY a.id, l.key;
-- Tuesday 19:00: one more letter of A81001 joins its group alert (grown,
-- told with its escalation), alerts 3 and 4, raised at 13:00, are escalated;
-- 1 and 2, escalated at 13:00, wait twice as long now (escalate_backoff).
SELECT * FROM letters_triage.check_overdue('2024-10-08 19:00');
SELECT id, kind, severity, recipient, letters, urgent_letters, raise_count, raised_at, last_raised_at
  FROM letters_triage.alert ORDER BY id;

-- acknowledge: records time, role and note; stops escalation.
CREATE ROLE regress_alert_nurse;
GRANT USAGE ON SCHEMA letters_triage TO regress_alert_nurse;
GRANT EXECUTE ON FUNCTION letters_triage.acknowledge(bigint, text) TO regress_alert_nurse;
SET ROLE regress_alert_nurse;
-- (it gets back only what confirms its acknowledgement)
SELECT id, kind, acknowledged_by, acknowledged_at IS NOT NULL AS acknowledged
  FROM letters_triage.acknowledge(1, 'phoned the ward; sending now');
SELECT * FROM letters_triage.acknowledge(1, 'again') \gdesc
SELECT * FROM letters_triage.alert;                         -- no read access
SELECT * FROM letters_triage.check_all('2024-10-08 19:00'); -- no right to run checks
RESET ROLE;
SELECT id, acknowledged_by, ack_note, letters_at_ack FROM letters_triage.alert WHERE id = 1;
SELECT id, acknowledged_by FROM letters_triage.acknowledge(3);
SELECT id, acknowledged_by FROM letters_triage.acknowledge(3, '');
SELECT id, acknowledged_by, ack_note FROM letters_triage.alert WHERE id = 3;
-- Wednesday 09:00: alerts 2 and 4 (not acknowledged) are escalated again; 1 and 3 are not.
SELECT * FROM letters_triage.check_overdue('2024-10-09 09:00');
-- Wednesday 13:00: letter 5 joins acknowledged alert 3, which escalates again
-- after escalate_after because it grew since it was acknowledged.
SELECT * FROM letters_triage.check_overdue('2024-10-09 13:00');
-- 17:30: alerts 2 and 4 wait 16 hours now.
SELECT * FROM letters_triage.check_overdue('2024-10-09 17:30');

-- Sends resolve the overdue alerts once none of their letters is overdue.
SELECT alert_send_fixture('alert_app', '1', '2024-10-09 18:00');
SELECT alert_send_fixture('alert_app', '4', '2024-10-09 18:00');
SELECT * FROM letters_triage.check_overdue('2024-10-09 18:05');
SELECT alert_send_fixture('alert_app', '5', '2024-10-09 18:10');
SELECT * FROM letters_triage.check_overdue('2024-10-09 18:15');
SELECT key, status, sent FROM letters_triage.letter_state ORDER BY key;

-- Views.
SELECT tbl, key, recipient, urgency, actions, due, alert_id, acknowledged_at IS NOT NULL AS acknowledged
  FROM letters_triage.overdue;
SELECT tbl, key, recipient, urgency, due, sent, late_by, alert_id FROM letters_triage.late_letters;
SELECT attention, tbl, key, recipient, urgency, actions, due, sent FROM letters_triage.worklist;

-- The late-sent check: one alert per practice, listing the urgent letters.
SELECT * FROM letters_triage.check_sent_late('2024-10-09 18:30');
SELECT * FROM letters_triage.check_sent_late('2024-10-09 18:30');
SELECT a.id, a.recipient, l.key, l.urgency FROM letters_triage.alert a
  JOIN letters_triage.alert_letter l ON l.alert_id = a.id WHERE a.kind = 'sent_late' ORDER BY 1, 3;
SELECT recipient, late_letters, urgent_late_letters, overdue_letters, urgent_overdue_letters,
       first_due, last_sent, jsonb_pretty(urgent_letters) AS urgent_letters
  FROM letters_triage.practice_digest;
-- Another late letter of the same practice joins the open summary (grown);
-- once acknowledged the summary is resolved and the next one is new.
SELECT alert_send_fixture('alert_app', '2', '2024-10-10 09:00');
SELECT * FROM letters_triage.check_all('2024-10-10 09:05');
SELECT id, kind FROM letters_triage.acknowledge(5, 'practice told');
SELECT id, resolved_at IS NOT NULL AS resolved FROM letters_triage.alert WHERE id = 5;
SELECT alert_send_fixture('alert_app', '7', '2024-10-10 10:00');
SELECT alert_letter_fixture('alert_app', '8', 'routine', 'A81001', '2024-10-07 11:00', '2024-10-08 12:00');
SELECT alert_send_fixture('alert_app', '8', '2024-10-10 10:00');
SELECT * FROM letters_triage.check_sent_late('2024-10-10 10:05');

-- check_flow: first settle alert_app (its last letter is sent).
SELECT alert_send_fixture('alert_app', '3', '2024-10-10 11:00');
SELECT * FROM letters_triage.check_all('2024-10-10 11:05');

-- check_flow: no send for two working hours while letters wait.  Table
-- alert_app2: letters from Friday 11 Oct 16:00, last send Friday 16:30.
SELECT alert_letter_fixture('alert_app2', k::text, 'routine', 'A81003',
                            '2024-10-11 16:00'::timestamptz + k * interval '5 min', '2024-10-18 16:00')
  FROM generate_series(1, 6) k;
SELECT alert_send_fixture('alert_app2', '1', '2024-10-11 16:30');
-- Friday 18:00: 1.5 working hours without a send: not yet stalled.
SELECT * FROM letters_triage.check_flow('2024-10-11 18:00');
-- Monday 09:00: 2.5 working hours (the weekend does not count): stalled.
SELECT * FROM letters_triage.check_flow('2024-10-14 09:00');
-- Still stalled: the same alert, nothing new.
SELECT * FROM letters_triage.check_flow('2024-10-14 10:00');
SELECT id, kind, table_name, letters, severity, summary FROM letters_triage.alert
 WHERE kind = 'stalled_flow' AND table_id = letters_triage.table_id('alert_app2');
-- Sending resumes: resolved.
SELECT alert_send_fixture('alert_app2', '2', '2024-10-14 10:30');
SELECT * FROM letters_triage.check_flow('2024-10-14 10:45');
SELECT * FROM letters_triage.check_flow('2024-10-14 11:00');
UPDATE letters_triage.letter_state SET sent = '2024-10-14 11:00', status = 'sent'
 WHERE table_id = letters_triage.table_id('alert_app2') AND sent IS NULL;

-- check_flow: a backlog far above its usual size for the weekday and hour.
-- Table alert_app3: for four weeks, every weekday 20 letters created 09:00-10:35
-- and sent at 11:00; on Tuesday 5 November letters keep coming and sends are
-- slow: the backlog at 11:30 is much larger than the usual 0-1, and not draining.
CREATE TABLE alert_app3 (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
-- (watched: its letters' state rows refer to its identity; the fixtures write them directly)
SELECT letters_triage.watch('alert_app3', 'body', 'created', 'sent', backfill => false);
SELECT count(*) FROM (
  SELECT alert_letter_fixture('alert_app3', d::date || '-' || k, 'routine', 'A81004',
                              d + interval '9 hours' + k * interval '5 min', d + interval '3 days')
    FROM generate_series('2024-10-08'::timestamp, '2024-10-29', interval '1 day') d,
         generate_series(0, 19) k
   WHERE extract(isodow FROM d) < 6) x;
UPDATE letters_triage.letter_state SET sent = date_trunc('day', created) + interval '11 hours', status = 'sent'
 WHERE table_id = letters_triage.table_id('alert_app3');
-- the same Tuesday a week earlier was normal
SELECT * FROM letters_triage.check_flow('2024-10-29 11:30');
SELECT count(*) FROM (
  SELECT alert_letter_fixture('alert_app3', '2024-11-05-' || k, 'routine', 'A81004',
                              '2024-11-05 09:00'::timestamptz + k * interval '3 min', '2024-11-08 12:00')
    FROM generate_series(0, 49) k) x;
-- a trickle of sends: the flow is not silent, so only the backlog test can see it
SELECT alert_send_fixture('alert_app3', '2024-11-05-' || k, '2024-11-05 10:00'::timestamptz + k * interval '10 min')
  FROM generate_series(0, 8) k;
SELECT letters_triage.backlog_at('alert_app3', '2024-11-05 11:30') AS now_waiting,
       letters_triage.usual_backlog('alert_app3', '2024-11-05 11:30') AS usual,
       letters_triage.usual_backlog('alert_app3', '2024-10-10 11:30') AS usual_without_history;
SELECT * FROM letters_triage.check_flow('2024-11-05 11:30');
SELECT * FROM letters_triage.check_flow('2024-11-05 11:40');
-- the backlog drains: resolved
UPDATE letters_triage.letter_state SET sent = '2024-11-05 11:45', status = 'sent'
 WHERE table_id = letters_triage.table_id('alert_app3') AND sent IS NULL AND key < '2024-11-05-3';
SELECT * FROM letters_triage.check_flow('2024-11-05 11:50');
UPDATE letters_triage.letter_state SET sent = '2024-11-05 12:00', status = 'sent'
 WHERE table_id = letters_triage.table_id('alert_app3') AND sent IS NULL;

-- How check_flow counts without reading a table's history: waiting_letters()
-- finds the letters waiting at a time by index (still unsent, sent after it,
-- withdrawn after it).  A letter withdrawn unsent (its row deleted) waits
-- until it is withdrawn.
SELECT alert_letter_fixture('alert_app3', 'w1', 'soon', 'A81004', '2024-11-05 12:10', '2024-11-07 12:00');
UPDATE letters_triage.letter_state SET status = 'withdrawn', withdrawn = '2024-11-05 12:40'
 WHERE table_id = letters_triage.table_id('alert_app3') AND key = 'w1';
SELECT * FROM letters_triage.waiting_letters('alert_app3', '2024-11-05 12:20');
SELECT count(*) FROM letters_triage.waiting_letters('alert_app3', '2024-11-05 12:40');
-- a letter whose send time is before its creation time never waits
SELECT alert_letter_fixture('alert_app3', 'odd', 'routine', 'A81004', '2024-11-05 13:00', '2024-11-07 12:00');
SELECT alert_send_fixture('alert_app3', 'odd', '2024-11-05 12:00');
SELECT count(*) FROM letters_triage.waiting_letters('alert_app3', '2024-11-05 13:30');
-- backlog_at() agrees with the definition (created by then, not sent by then,
-- not withdrawn by then) every half hour for a month
SELECT count(*) AS times,
       count(*) FILTER (WHERE letters_triage.backlog_at(t.tbl, h) <>
                              (SELECT count(*) FROM letters_triage.letter_state s
                                WHERE s.table_id = letters_triage.table_id(t.tbl) AND s.created <= h AND (s.sent IS NULL OR s.sent > h)
                                  AND (s.withdrawn IS NULL OR s.withdrawn > h))) AS differing,
       sum(letters_triage.backlog_at(t.tbl, h)) AS letters_counted
  FROM (VALUES ('alert_app'::regclass), ('alert_app2'), ('alert_app3')) t(tbl),
       generate_series('2024-10-07'::timestamptz, '2024-11-06', interval '30 min') h;
-- usual_backlog() agrees with its definition (the mean backlog at the same
-- time in the previous history_weeks weeks from the first letter on), every
-- twenty minutes of the weekday mornings of a fortnight
SELECT count(*) AS times, count(u.usual) AS with_history,
       count(*) FILTER (WHERE u.usual IS DISTINCT FROM u.by_definition) AS differing
  FROM generate_series('2024-10-21 08:00'::timestamptz, '2024-11-06 13:00', interval '20 min') h,
       LATERAL (SELECT letters_triage.usual_backlog('alert_app3', h) AS usual,
                       (SELECT CASE WHEN count(*) >= 2 THEN avg(
                                   (SELECT count(*) FROM letters_triage.letter_state s
                                     WHERE s.table_id = letters_triage.table_id('alert_app3') AND s.created <= h - w * interval '7 days'
                                       AND (s.sent IS NULL OR s.sent > h - w * interval '7 days')
                                       AND (s.withdrawn IS NULL OR s.withdrawn > h - w * interval '7 days'))) END
                          FROM generate_series(1, 4) w
                         WHERE (SELECT min(created) FROM letters_triage.letter_state
                                 WHERE table_id = letters_triage.table_id('alert_app3')) <= h - w * interval '7 days') AS by_definition) u
 WHERE extract(isodow FROM h) < 6 AND h::time BETWEEN '08:00' AND '13:00';
DELETE FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('alert_app3') AND key IN ('w1', 'odd');
-- bad input
SELECT (SELECT count(*) FROM letters_triage.waiting_letters(NULL, now())) AS no_letters,
       (SELECT count(*) FROM letters_triage.waiting_letters('alert_app3', NULL)) AS no_letters;
SELECT letters_triage.backlog_at('alert_app3', '-infinity') AS before_any_letter,
       letters_triage.backlog_at('alert_app3', 'infinity') AS at_infinity,
       letters_triage.usual_backlog('alert_app3', '294276-12-31') AS far_future,
       letters_triage.usual_backlog('alert_app3', '4713-01-01 BC') AS far_past;
SELECT count(*) FROM letters_triage.waiting_letters(0::regclass, now());

-- check_review: letters the classifier could not triage, one alert per table.
SELECT alert_letter_fixture('alert_app2', '50', 'urgent', 'A81003', '2024-10-14 11:00', '2024-10-14 18:30', true);
SELECT alert_letter_fixture('alert_app2', '51', 'urgent', 'A81003', '2024-10-14 11:05', '2024-10-14 18:30', true);
SELECT * FROM letters_triage.check_review('2024-10-14 11:10');
SELECT * FROM letters_triage.check_review('2024-10-14 11:10');
UPDATE letters_triage.letter_state SET needs_review = false WHERE table_id = letters_triage.table_id('alert_app2') AND key = '50';
SELECT * FROM letters_triage.check_review('2024-10-14 11:20');
SELECT alert_send_fixture('alert_app2', '51', '2024-10-14 11:30');
SELECT * FROM letters_triage.check_review('2024-10-14 11:40');

-- check_tracking: errors and truncates logged by the tracking trigger.
INSERT INTO letters_triage.tracking_log (logged_at, table_id, event, letters, detail)
VALUES ('2024-10-14 12:00', letters_triage.table_id('alert_app2'), 'error', 3, 'column "body" does not exist'),
       ('2024-10-14 12:01', letters_triage.table_id('alert_app2'), 'problem', 1, 'unreadable');
SELECT * FROM letters_triage.check_tracking('2024-10-14 12:05');
SELECT * FROM letters_triage.check_tracking('2024-10-14 12:05');
INSERT INTO letters_triage.tracking_log (logged_at, table_id, event, letters, detail)
VALUES ('2024-10-14 13:00', letters_triage.table_id('alert_app2'), 'truncate', 4, 'TRUNCATE');
SELECT * FROM letters_triage.check_tracking('2024-10-14 13:05');

-- check_all returns the events of every check; nothing twice.
SELECT kind, event, count(*) FROM letters_triage.check_all('2024-10-14 13:10') GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) FROM letters_triage.check_all('2024-10-14 13:10');

-- The flow view.
SELECT * FROM letters_triage.flow WHERE table_id <> letters_triage.table_id('alert_app3');

-- Bad input: NULL, infinite and far times, unknown alerts, huge notes.
SELECT * FROM letters_triage.check_overdue(NULL);
SELECT * FROM letters_triage.check_flow(NULL);
SELECT * FROM letters_triage.check_sent_late(NULL);
SELECT * FROM letters_triage.check_review(NULL);
SELECT * FROM letters_triage.check_tracking(NULL);
SELECT * FROM letters_triage.check_all(NULL);
SELECT count(*) FROM letters_triage.check_all('-infinity');
SELECT count(*) FROM letters_triage.check_overdue('infinity');
SELECT count(*) FROM letters_triage.check_flow('infinity');
SELECT count(*) FROM letters_triage.check_all('1900-01-01');
BEGIN;  -- a time still to come is refused
SET LOCAL client_min_messages = error;
SELECT kind, event, count(*) FROM letters_triage.check_all('294276-12-31') GROUP BY 1, 2 ORDER BY 1, 2;
ROLLBACK;
SELECT * FROM letters_triage.acknowledge(NULL);
SELECT * FROM letters_triage.acknowledge(-1, 'x');
SELECT * FROM letters_triage.acknowledge(999999, 'x');
SELECT * FROM letters_triage.acknowledge(2, repeat('x', 10001));
SELECT id FROM letters_triage.acknowledge(2, repeat('é', 5000));
SELECT id, length(ack_note) FROM letters_triage.alert WHERE id = 2;
SELECT letters_triage.deliver_alert(1, 'exploded');
SELECT letters_triage.deliver_alert(424242, 'raised');
SELECT letters_triage.deliver_alert(NULL, 'raised') IS NULL AS strict;
SELECT * FROM letters_triage.raise_alert('overdue', 'soon', letters_triage.table_id('alert_app'), NULL, 'practice', 'x', now(),
                                         ARRAY['1', '2'], ARRAY['soon']::letters_triage.urgency[]);
SELECT * FROM letters_triage.raise_alert('overdue', 'soon', NULL, NULL, 'practice', 'x', now(), ARRAY['1']);
SELECT * FROM letters_triage.raise_alert(NULL, 'soon', NULL, NULL, 'practice', 'x', now());
SELECT * FROM letters_triage.raise_alert('bogus', 'soon', letters_triage.table_id('alert_app'), NULL, 'practice', 'x', now());
SELECT * FROM letters_triage.raise_alert('overdue', 'soon', letters_triage.table_id('alert_app'), NULL, 'bogus', 'x', now());
SELECT * FROM letters_triage.raise_alert('overdue', 'soon', letters_triage.table_id('alert_app'), NULL, 'letter', 'x', now(), ARRAY['1', '2']);
SELECT letters_triage.log_alert(false, repeat('long line ', 50000));
SELECT letters_triage.london(NULL) IS NULL AS strict, letters_triage.london('2024-10-07 12:00Z');
SELECT letters_triage.backlog_at('alert_app', NULL) IS NULL AS strict,
       letters_triage.usual_backlog(NULL, now()) IS NULL AS strict;
SELECT letters_triage.acting_role();

-- The worker's settings (defined whether or not the library is preloaded); bad values are refused.
SELECT name, setting, unit, context FROM pg_settings WHERE name LIKE 'letters\_triage.%' ORDER BY name;
SET letters_triage.check_interval = '5min';
\set VERBOSITY sqlstate
ALTER SYSTEM SET letters_triage.check_interval = '0';
\set VERBOSITY default
ALTER SYSTEM SET letters_triage.check_interval = 'often';
ALTER SYSTEM SET letters_triage.databases = '"unterminated';
ALTER SYSTEM SET letters_triage.databases = 'a,,b';
ALTER SYSTEM SET letters_triage.role = 'a_role_name_that_is_much_too_long_to_be_the_name_of_any_role_in_postgres';

-- Nothing was ever deleted, and every alert has a readable summary.
SELECT count(*) AS alerts, count(*) FILTER (WHERE summary <> '') AS with_summary,
       count(*) FILTER (WHERE resolved_at IS NULL) AS unresolved
  FROM letters_triage.alert;
SELECT count(*) AS letters_listed FROM letters_triage.alert_letter;
-- No alert summary names a key (what could identify a patient goes only to alert_letter).
SELECT count(*) AS summaries_with_keys FROM letters_triage.alert a
 WHERE EXISTS (SELECT 1 FROM letters_triage.alert_letter l
                WHERE l.alert_id = a.id AND a.summary ~ ('\m' || l.key || '\M') AND length(l.key) > 3);

-- Plain roles: no access to alerts unless granted.
SET ROLE regress_alert_nurse;
SELECT count(*) FROM letters_triage.worklist;
SELECT letters_triage.deliver_alert(1, 'raised');
RESET ROLE;

DROP FUNCTION alert_letter_fixture(regclass, text, letters_triage.urgency, text, timestamptz, timestamptz, boolean);
DROP FUNCTION alert_send_fixture(regclass, text, timestamptz);
DROP TABLE alert_app, alert_app2, alert_app3;
SET client_min_messages = warning;
DROP EXTENSION letters_triage;
RESET client_min_messages;
DROP OWNED BY regress_alert_nurse;
DROP ROLE regress_alert_nurse;
