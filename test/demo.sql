-- test/demo.sql — the demo scenario, run by test/demo (and, at small scale, by
-- test/t/210_demo.pl) against a throwaway server.
--
-- psql variables: flow  = the generator's CSV (test/gen/letters.pl, 7 weeks)
--                 chart = where to write the per-day figures for the chart
--
-- 1. An "application" table as an existing system has it, written without
--    knowledge of the extension.
-- 2. CREATE EXTENSION; watch() the table.
-- 3. Replay the letters hour by hour in simulated time: the application
--    inserts each letter when it is created and sets sent_at when its sender
--    sends it; the checks (check_all(at)) run every two simulated hours of the
--    working day and at midnight.
-- 4. Three weeks in, the sender stops (the IT upgrade); three weeks later the
--    whole backlog is released in one day.
-- 5. Report: time to detect, alerts, notifications sent, worklist with evidence, practice digest,
--    and letters held / urgent among them / flagged by the extension.
\set ON_ERROR_STOP 1
\pset footer off
\pset null ''
SET client_min_messages = warning;
SET timezone = 'Europe/London';

-- 1. The application -------------------------------------------------------
CREATE SCHEMA app;
CREATE TABLE app.outbound_letter (
	letter_no      bigint PRIMARY KEY,
	practice_code  text NOT NULL,
	patient_nhs_no text,
	letter_type    text,
	content        text NOT NULL,
	created_at     timestamptz NOT NULL DEFAULT now(),
	sent_at        timestamptz
);

-- What the generator intended (the demo's ground truth; the extension never sees it).
CREATE SCHEMA demo;
CREATE TABLE demo.flow (
	id bigint PRIMARY KEY, created timestamptz NOT NULL, sent timestamptz NOT NULL, practice text NOT NULL,
	nhs_number text NOT NULL, kind text NOT NULL, urgency text NOT NULL, actions text, letter text NOT NULL
);
COPY demo.flow FROM :'flow' WITH (FORMAT csv, HEADER true);

-- The scenario's clock: three normal weeks, the sender stops on the Monday
-- morning of the fourth week, and three weeks later the backlog goes out
-- between 09:00 and 17:00 on one day.
CREATE TABLE demo.clock AS
SELECT d0 AS replay_from,
       d0 + interval '21 days 7 hours' AS stall_from,
       d0 + interval '42 days 9 hours' AS release_from,
       d0 + interval '42 days 17 hours' AS release_to,
       d0 + interval '45 days' AS replay_to
  FROM (SELECT date_trunc('day', min(created)) AS d0 FROM demo.flow) f;

-- When each letter is really sent: as the generator's healthy sender would,
-- except the letters due to go while the sender was stopped, which go out in
-- eight hourly batches on the release day.
CREATE TABLE demo.send_plan AS
SELECT f.id,
       f.sent > c.stall_from AND f.sent < c.release_from AS held,
       CASE WHEN f.sent > c.stall_from AND f.sent < c.release_from
            THEN c.release_from + (ntile(8) OVER (PARTITION BY f.sent > c.stall_from AND f.sent < c.release_from
                                                  ORDER BY f.id) - 1) * interval '1 hour'
                 + (f.id % 50) * interval '1 minute'
            ELSE f.sent END AS at
  FROM demo.flow f, demo.clock c
 WHERE f.created < c.replay_to;
CREATE INDEX ON demo.send_plan (at);
CREATE INDEX ON demo.flow (created);
ANALYZE demo.flow, demo.send_plan;

-- 2. The extension ---------------------------------------------------------
CREATE EXTENSION letters_triage;
-- (the alerts go to the server log as WARNINGs, never to this screen; this
-- keeps notices of the set-up off it too)
SET client_min_messages = error;
SELECT letters_triage.watch('app.outbound_letter', body => 'content', created => 'created_at', sent => 'sent_at',
                            recipient => 'practice_code', nhs_number => 'patient_nhs_no', kind => 'letter_type')
  \g /dev/null

-- 3. The replay ------------------------------------------------------------
CREATE TABLE demo.check_runs (at timestamptz PRIMARY KEY);
CREATE TABLE demo.events AS
SELECT NULL::timestamptz AS at, e.* FROM letters_triage.check_all('2000-01-01') e WHERE false;
-- the worklist as a GP-facing team would have seen it on the morning the
-- backlog went out, before it did
CREATE TABLE demo.worklist_then AS
SELECT NULL::timestamptz AS at, w.*, NULL::interval AS late FROM letters_triage.worklist w WHERE false;
-- every night: the overdue letters that are not in exactly one open alert's
-- list (an overdue alert or the table's incident); none, if nothing is hidden
CREATE TABLE demo.misplaced (at timestamptz, letters bigint);
CREATE PROCEDURE demo.replay(step interval)
LANGUAGE plpgsql AS $$
DECLARE
	c demo.clock;
	t timestamptz;
BEGIN
	SELECT * INTO c FROM demo.clock;
	t := c.replay_from;
	WHILE t < c.replay_to LOOP
		t := t + step;
		-- the application creates the letters of this hour ...
		INSERT INTO app.outbound_letter (letter_no, practice_code, patient_nhs_no, letter_type, content, created_at)
		SELECT id, practice, nhs_number, kind, letter, created
		  FROM demo.flow WHERE created > t - step AND created <= t ORDER BY id;
		-- ... and its sender sends what it sends
		UPDATE app.outbound_letter o SET sent_at = p.at
		  FROM demo.send_plan p
		 WHERE p.id = o.letter_no AND p.at > t - step AND p.at <= t;
		-- the checks, as the background worker would run them: every two
		-- simulated hours from 08:00 to 18:00 on weekdays, and at midnight
		-- (the worker's default is every minute: a replay cannot afford that)
		IF (extract(isodow FROM t) <= 5 AND extract(hour FROM t) BETWEEN 8 AND 18
		    AND extract(hour FROM t)::int % 2 = 0)
		   OR extract(hour FROM t) = 0 THEN
			INSERT INTO demo.events SELECT t, e.* FROM letters_triage.check_all(t) e;
			INSERT INTO demo.check_runs VALUES (t);
		END IF;
		-- (autovacuum's ANALYZE cannot keep up with weeks replayed in seconds: do it daily)
		IF extract(hour FROM t) = 0 THEN
			INSERT INTO demo.misplaced
			SELECT t, count(*) FROM (
				SELECT 1 FROM letters_triage.letter_state s
				  LEFT JOIN letters_triage.letter_alert x ON x.table_id = s.table_id AND x.key = s.key AND x.open
				       AND x.kind IN ('overdue', 'stalled_flow', 'tracking_error')
				 WHERE s.status = 'overdue' AND s.sent IS NULL
				 GROUP BY s.table_id, s.key HAVING count(x.alert_id) <> 1) m;
			ANALYZE letters_triage.letter_state, letters_triage.alert, letters_triage.alert_letter, app.outbound_letter;
		END IF;
		IF t = c.release_from THEN
			INSERT INTO demo.worklist_then SELECT t, w.*, coalesce(w.sent, t) - w.due FROM letters_triage.worklist w;
		END IF;
		COMMIT;
	END LOOP;
END
$$;
-- (psql variable listen set: this session listens too, and psql prints every
-- notification it receives, for a test to count)
\if :{?listen}
LISTEN letters_triage;
\endif
\set t0 `date +%s.%N`
CALL demo.replay('1 hour');
\set t1 `date +%s.%N`

-- 4. What happened ---------------------------------------------------------
SELECT format('The application table app.outbound_letter is watched. %s letters to %s GP practices, created from %s to %s,',
              count(*), count(DISTINCT practice), to_char(min(created), 'FMDD Mon YYYY'), to_char(max(created), 'FMDD Mon YYYY'))
         AS line1
  FROM demo.flow f, demo.clock c WHERE f.created < c.replay_to \gset
SELECT format('are inserted and later marked sent in simulated time; check_all() runs every two simulated hours of the '
              'working day and at midnight (%s checks; replay took %s s).',
              (SELECT count(*) FROM demo.check_runs), round(:t1 - :t0)) AS line2 \gset
SELECT format('The IT upgrade stops the sender on %s for three weeks; the backlog goes out on %s, 09:00-17:00.',
              to_char(stall_from, 'Dy FMDD Mon HH24:MI'), to_char(release_from, 'Dy FMDD Mon')) AS line3
  FROM demo.clock \gset
\echo
\echo '== letters_triage demo: a community trust''s letters to GP practices, replayed'
\echo :line1
\echo :line2
\echo :line3
\echo
\echo '-- Time to detect: the first stalled-flow alert after the sender stopped'
SELECT to_char(e.at, 'Dy DD Mon HH24:MI') AS raised,
       to_char(e.at - c.stall_from, 'FMHH24 "h" FMMI "min"') AS after_stall, e.severity, e.summary
  FROM demo.events e, demo.clock c
 WHERE e.at >= c.stall_from AND e.kind = 'stalled_flow' AND e.event = 'raised'
 ORDER BY e.at, e.alert_id LIMIT 1;

\echo '-- Alerts raised: in the three normal weeks, during the stall, on and after the release day'
SELECT a.kind, a.severity,
       count(*) FILTER (WHERE a.raised_at < c.stall_from) AS normal_weeks,
       count(*) FILTER (WHERE a.raised_at >= c.stall_from AND a.raised_at < c.release_from) AS during_stall,
       count(*) FILTER (WHERE a.raised_at >= c.release_from) AS release
  FROM letters_triage.alert a, demo.clock c
 GROUP BY a.kind, a.severity ORDER BY a.kind, a.severity DESC;

-- What reached people: every notification (one NOTIFY letters_triage and
-- one WARNING line in the server log each) is a row of alert_notice.
CREATE TABLE demo.notices AS
SELECT count(*) FILTER (WHERE n.at < c.stall_from) AS normal_weeks,
       count(*) FILTER (WHERE n.at >= c.stall_from AND n.at < c.release_from) AS during_stall,
       count(*) FILTER (WHERE (n.at AT TIME ZONE 'Europe/London')::date
                              = (c.release_from AT TIME ZONE 'Europe/London')::date
                          AND n.at >= c.release_from) AS release_day,
       count(*) FILTER (WHERE (n.at AT TIME ZONE 'Europe/London')::date
                              > (c.release_from AT TIME ZONE 'Europe/London')::date) AS after,
       count(*) AS total,
       min(n.at) FILTER (WHERE n.at >= c.stall_from AND n.kind = 'stalled_flow') AS first_incident,
       letters_triage.working_hours_between(
           c.stall_from, min(n.at) FILTER (WHERE n.at >= c.stall_from AND n.kind = 'stalled_flow'))
           AS first_after_working_hours
  FROM demo.clock c
  LEFT JOIN letters_triage.alert_notice n ON n.silence_id IS NULL
 GROUP BY c.stall_from, c.release_from;
\echo '-- Notifications sent (each one NOTIFY letters_triage and one WARNING line in the server log; the alerts'' rows list every letter)'
SELECT normal_weeks, during_stall, release_day, after AS after_release_day,
       to_char(first_incident, 'Dy DD Mon HH24:MI') AS incident_first_notified,
       round(first_after_working_hours::numeric, 1) AS working_hours_after_stop
  FROM demo.notices;

SELECT format('-- Worklist on the release morning, before the release: %s letters, %s urgent or immediate; '
              'the top 8, with the evidence the classifier used', count(*), count(*) FILTER (WHERE urgency >= 'urgent'))
         AS line FROM demo.worklist_then \gset
\echo :line
SELECT w.key AS letter, w.recipient AS practice, w.kind, w.urgency, array_to_string(w.actions, ',') AS actions,
       w.attention, justify_hours(date_trunc('hour', w.late)) AS late_by,
       (SELECT string_agg(format('"%s"%s', e.matched, CASE WHEN e.action IS NOT NULL THEN ' -> ' || e.action ELSE '' END),
                          '; ' ORDER BY e.char_offset)
          FROM letters_triage.evidence(o.content) e WHERE e.counted) AS evidence
  FROM demo.worklist_then w JOIN app.outbound_letter o ON o.letter_no = w.key::bigint
 ORDER BY w.attention = 'needs review' DESC, w.urgency DESC, w.late DESC, w.key
 LIMIT 8;

SELECT format('-- Practice digest after the release: %s practices received %s letters late, %s of them urgent or '
              'immediate; the top 8', count(*), sum(late_letters), sum(urgent_late_letters)) AS line
  FROM letters_triage.practice_digest \gset
\echo :line
SELECT d.recipient AS practice, d.late_letters AS late, d.urgent_late_letters AS urgent_late,
       (SELECT string_agg(format('%s (%s: %s)', u->>'key', u->>'urgency',
                                 (SELECT string_agg(x, ',') FROM jsonb_array_elements_text(u->'actions') x)), ', ')
          FROM (SELECT u FROM jsonb_array_elements(d.urgent_letters) u LIMIT 3) z) AS first_urgent_letters_to_check
  FROM letters_triage.practice_digest d
 ORDER BY d.urgent_late_letters DESC, d.late_letters DESC, d.recipient
 LIMIT 8;

-- 5. Held, urgent among them, flagged --------------------------------------
CREATE TABLE demo.summary AS
SELECT count(*) AS held,
       count(*) FILTER (WHERE f.urgency IN ('urgent', 'immediate')) AS held_urgent,
       count(*) FILTER (WHERE s.urgency >= 'urgent') AS flagged,
       count(*) FILTER (WHERE s.urgency >= 'urgent' AND f.urgency IN ('urgent', 'immediate')) AS flagged_and_urgent
  FROM demo.send_plan p JOIN demo.flow f USING (id)
  LEFT JOIN letters_triage.letter_state s ON s.table_id = letters_triage.table_id('app.outbound_letter') AND s.key = p.id::text
 WHERE p.held;
SELECT format('In one line: %s letters held by the stall, %s of them urgent (as the generator wrote them); the extension '
              'flagged %s as urgent or immediate, %s of those %s among them.',
              held, held_urgent, flagged, flagged_and_urgent, held_urgent) AS line FROM demo.summary \gset
\echo :line

-- The chart's data: per day, letters created, sent, and waiting at the end of
-- the day, from the extension's flow view.
CREATE TABLE demo.per_day AS
SELECT f.day, f.created, f.sent, f.waiting
  FROM letters_triage.flow f, demo.clock c
 WHERE f.table_id = letters_triage.table_id('app.outbound_letter') AND f.day < (c.replay_to AT TIME ZONE 'Europe/London')::date;
SELECT coalesce(to_char(min(a.raised_at), 'YYYY-MM-DD HH24:MI'), '') AS first_alert
  FROM letters_triage.alert a, demo.clock c WHERE a.raised_at >= c.stall_from AND a.kind = 'stalled_flow' \gset
COPY (
	SELECT line FROM (
		SELECT 0 AS o, format('#set first_day = "%s"; last_day = "%s"; stall_from = "%s"; stall_to = "%s"; '
		                      'first_alert = "%s"; title_text = "%s"',
		                      to_char(replay_from, 'YYYY-MM-DD HH24:MI'), to_char(replay_to, 'YYYY-MM-DD HH24:MI'),
		                      to_char(stall_from, 'YYYY-MM-DD HH24:MI'), to_char(release_to, 'YYYY-MM-DD HH24:MI'),
		                      :'first_alert', 'letters_triage demo: outbound letters per day') AS line
		  FROM demo.clock
		UNION ALL
		SELECT 1, format('%s %s %s %s', day, created, sent, waiting) FROM demo.per_day
		UNION ALL   -- the last day again, one day on, so that the steps show it
		(SELECT 2, format('%s %s %s %s', day + 1, created, sent, waiting) FROM demo.per_day ORDER BY day DESC LIMIT 1)
	) l ORDER BY o, line
) TO :'chart';
