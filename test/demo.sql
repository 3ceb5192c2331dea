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
--    sends it; the checks run every simulated hour (check_all(at)).
-- 4. Three weeks in, the sender stops (the IT upgrade); three weeks later the
--    whole backlog is released in one day.
-- 5. Report: time to detect, alerts, worklist with evidence, practice digest,
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
SELECT to_regproc('letters_triage.watch') IS NOT NULL AS have_watch,
       to_regproc('letters_triage.check_all') IS NOT NULL AS have_checks,
       to_regproc('letters_triage.classify') IS NOT NULL AS have_classify,
       to_regclass('letters_triage.alert') IS NOT NULL AS have_alerts \gset
\if :have_watch
SELECT letters_triage.watch('app.outbound_letter', body => 'content', created => 'created_at', sent => 'sent_at',
                            recipient => 'practice_code', nhs_number => 'patient_nhs_no', kind => 'letter_type')
  \g /dev/null
\endif

-- 3. The replay ------------------------------------------------------------
CREATE TABLE demo.checks (at timestamptz NOT NULL, raised bigint NOT NULL);
CREATE PROCEDURE demo.replay(step interval, run_checks boolean)
LANGUAGE plpgsql AS $$
DECLARE
	c demo.clock;
	t timestamptz;
	n bigint;
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
		-- the checks, as the background worker would run them
		IF run_checks THEN
			EXECUTE 'SELECT count(*) FROM letters_triage.check_all($1)' INTO n USING t;
			INSERT INTO demo.checks VALUES (t, n);
		END IF;
		COMMIT;
	END LOOP;
END
$$;
\set t0 `date +%s.%N`
CALL demo.replay('1 hour', :'have_checks');
\set t1 `date +%s.%N`

-- 4. What happened ---------------------------------------------------------
SELECT count(*) AS letters, count(DISTINCT practice) AS practices,
       to_char(min(created), 'DD Mon YYYY') AS first, to_char(max(created), 'DD Mon YYYY') AS last
  FROM demo.flow f, demo.clock c WHERE f.created < c.replay_to \gset
SELECT to_char(stall_from, 'Dy DD Mon HH24:MI') AS stall_txt, to_char(release_from, 'Dy DD Mon') AS release_txt
  FROM demo.clock \gset
\echo
\echo 'letters_triage demo: a community trust sends letters to GP practices.'
\echo '  Replayed' :letters 'letters to' :practices 'practices created' :first 'to' :last 'in simulated time'
\echo '  (the application inserts each letter and later sets sent_at; the checks run every simulated hour).'
\echo '  The IT upgrade stops the sender on' :stall_txt 'for three weeks; the backlog goes out on' :release_txt
SELECT round(:t1 - :t0, 1) AS secs \gset
\echo '  Replay took' :secs 's.'

\if :have_alerts
\echo
\echo 'Time to detect: the first alert after the sender stopped'
SELECT to_char(a.raised_at, 'Dy DD Mon HH24:MI') AS raised,
       to_char(a.raised_at - c.stall_from, 'FMHH24 "h" MI "min"') AS after_stall,
       a.kind, a.severity, a.summary
  FROM letters_triage.alert a, demo.clock c
 WHERE a.raised_at >= c.stall_from
 ORDER BY a.raised_at, a.id LIMIT 1;

\echo 'Alerts raised (by kind and severity): before the stall, during it, on the release day'
SELECT a.kind, a.severity,
       count(*) FILTER (WHERE a.raised_at < c.stall_from) AS before,
       count(*) FILTER (WHERE a.raised_at >= c.stall_from AND a.raised_at < c.release_from) AS during_stall,
       count(*) FILTER (WHERE a.raised_at >= c.release_from) AS release_day
  FROM letters_triage.alert a, demo.clock c
 GROUP BY a.kind, a.severity ORDER BY a.kind, a.severity DESC;
\endif

\if :have_watch
\echo 'Worklist on the last day of the stall: the top entries, with the evidence for each'
-- (filled in below once the worklist exists)
\endif

-- 5. Held, urgent among them, flagged --------------------------------------
\if :have_watch
CREATE VIEW demo.verdict AS
SELECT s.tbl, s.key::bigint AS id, s.urgency::text AS urgency FROM letters_triage.letter_state s
 WHERE s.tbl = 'app.outbound_letter'::regclass;
\elif :have_classify
CREATE VIEW demo.verdict AS
SELECT NULL::regclass AS tbl, o.letter_no AS id, letters_triage.urgency(o.content)::text AS urgency
  FROM app.outbound_letter o;
\else
CREATE VIEW demo.verdict AS SELECT NULL::regclass AS tbl, NULL::bigint AS id, NULL::text AS urgency WHERE false;
\endif
CREATE TABLE demo.summary AS
SELECT count(*) AS held,
       count(*) FILTER (WHERE f.urgency IN ('urgent', 'immediate')) AS held_urgent,
       count(*) FILTER (WHERE v.urgency IN ('urgent', 'immediate')) AS flagged,
       count(*) FILTER (WHERE v.urgency IN ('urgent', 'immediate') AND f.urgency IN ('urgent', 'immediate'))
         AS flagged_and_urgent
  FROM demo.send_plan p JOIN demo.flow f USING (id) LEFT JOIN demo.verdict v ON v.id = p.id
 WHERE p.held;
SELECT * FROM demo.summary \gset
\echo
\echo 'Letters held by the stall:' :held '; urgent among them (as written):' :held_urgent '; flagged urgent or immediate by the extension:' :flagged '(' :flagged_and_urgent 'of the urgent ones).'

-- The chart's data: per day, letters created, sent, and waiting at the end of the day.
CREATE TABLE demo.per_day AS
SELECT d::date AS day,
       (SELECT count(*) FROM app.outbound_letter o WHERE o.created_at >= d AND o.created_at < d + interval '1 day') AS created,
       (SELECT count(*) FROM app.outbound_letter o WHERE o.sent_at >= d AND o.sent_at < d + interval '1 day') AS sent,
       (SELECT count(*) FROM app.outbound_letter o
         WHERE o.created_at < d + interval '1 day' AND (o.sent_at IS NULL OR o.sent_at >= d + interval '1 day')) AS waiting
  FROM demo.clock c, generate_series(c.replay_from, c.replay_to - interval '1 day', interval '1 day') d;
\if :have_alerts
SELECT coalesce(to_char(min(a.raised_at), 'YYYY-MM-DD HH24:MI'), '') AS first_alert
  FROM letters_triage.alert a, demo.clock c WHERE a.raised_at >= c.stall_from \gset
\else
\set first_alert ''
\endif
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
