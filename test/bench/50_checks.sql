-- test/bench/50_checks.sql — 5. the checks at scale: :nrows tracked letters, a
-- year of them, of which 0.1% are overdue; then none overdue.  The plans of the
-- statements the checks run are written to the server log (auto_explain) and
-- collected by test/bench/run.
-- psql variables: nrows.
\ir common.sql
\if :have_checks
\echo 'bench 5: checks over' :nrows 'tracked letters'
SET timezone = 'Europe/London';
DROP TABLE IF EXISTS bench.app_scale;
CREATE TABLE bench.app_scale (
	id bigint PRIMARY KEY, practice text, kind text, body text NOT NULL, created timestamptz NOT NULL,
	sent timestamptz
);
SELECT letters_triage.watch('bench.app_scale', body => 'body', created => 'created', sent => 'sent',
                            recipient => 'practice', kind => 'kind', backfill => false) \g /dev/null
DELETE FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bench.app_scale');
-- the moment of the checks: a Monday at noon
\set at '2024-10-14 12:00:00+01'
SELECT (ARRAY(SELECT DISTINCT practice FROM bench.letters ORDER BY 1)) AS practices \gset
-- a year of letters, the newest created in the last minutes; 0.1% waiting
-- past their deadline, a few waiting but not yet due, the rest sent.
INSERT INTO letters_triage.letter_state (table_id, key, urgency, actions, needs_review, reason, kind, recipient, created,
                                         due, sent, status, triaged_at, ruleset_version)
SELECT letters_triage.table_id('bench.app_scale'), g::text,
       (ARRAY['routine','routine','routine','soon','soon','urgent','immediate'])[1 + g % 7]::letters_triage.urgency,
       '{}', false, NULL, (ARRAY['discharge','outpatient','community','result'])[1 + g % 4],
       (:'practices'::text[])[1 + g % 200], c, c + interval '1 day',
       CASE WHEN g % 1000 = 0 OR c > :'at'::timestamptz - interval '30 minutes' THEN NULL ELSE c + interval '20 minutes' END,
       CASE WHEN g % 1000 = 0 OR c > :'at'::timestamptz - interval '30 minutes' THEN 'waiting' ELSE 'sent' END,
       c, 0
  FROM generate_series(1, :nrows) g,
       LATERAL (SELECT :'at'::timestamptz - interval '365 days' * (1 - g::double precision / :nrows)
                       - interval '2 days' * (g % 1000 = 0)::int AS c) t;
-- the due time of the overdue ones is past; the recent waiting ones are not yet due
ANALYZE letters_triage.letter_state;
SELECT count(*) FILTER (WHERE status = 'waiting' AND due < :'at') AS overdue,
       count(*) FILTER (WHERE status = 'waiting' AND due >= :'at') AS waiting_not_due
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bench.app_scale') \gset
\echo 'bench 5:' :overdue 'overdue,' :waiting_not_due 'waiting and not yet due'

LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_timing = off;
SET auto_explain.log_buffers = on;
DO $$ BEGIN RAISE WARNING 'bench-plans: check_overdue, first run (0.1%% overdue)'; END $$;
SELECT bench.secs(format('SELECT count(*) FROM letters_triage.check_overdue(%L)', :'at'), 1) AS t_first \gset
DO $$ BEGIN RAISE WARNING 'bench-plans: check_flow, first run'; END $$;
SELECT bench.secs(format('SELECT count(*) FROM letters_triage.check_flow(%L)', :'at'), 1) AS t_flow1 \gset
DO $$ BEGIN RAISE WARNING 'bench-plans: check_overdue, again (0.1%% overdue, all alerted)'; END $$;
SELECT count(*) FROM letters_triage.check_overdue(:'at') \g /dev/null
DO $$ BEGIN RAISE WARNING 'bench-plans: check_flow, again'; END $$;
SELECT count(*) FROM letters_triage.check_flow(:'at') \g /dev/null
DO $$ BEGIN RAISE WARNING 'bench-plans: end'; END $$;
SET auto_explain.log_min_duration = -1;
SELECT bench.secs(format('SELECT count(*) FROM letters_triage.check_overdue(%L)', :'at')) AS t_again \gset
SELECT bench.secs(format('SELECT count(*) FROM letters_triage.check_flow(%L)', :'at')) AS t_flow \gset
-- then nothing overdue: the overdue letters are sent
UPDATE letters_triage.letter_state SET sent = due - interval '1 hour', status = 'sent'
 WHERE table_id = letters_triage.table_id('bench.app_scale') AND status IN ('waiting', 'overdue') AND due < :'at';
SELECT bench.secs(format('SELECT count(*) FROM letters_triage.check_overdue(%L)', :'at')) AS t_none \gset
SELECT bench.secs(format('SELECT count(*) FROM letters_triage.check_flow(%L)', :'at')) AS t_flow_none \gset
SELECT bench.secs(format('SELECT count(*) FROM letters_triage.check_all(%L)', :'at')) AS t_all_none \gset
-- the plans with nothing overdue
SET auto_explain.log_min_duration = 0;
DO $$ BEGIN RAISE WARNING 'bench-plans: check_overdue, none overdue'; END $$;
SELECT count(*) FROM letters_triage.check_overdue(:'at') \g /dev/null
DO $$ BEGIN RAISE WARNING 'bench-plans: check_flow, none overdue'; END $$;
SELECT count(*) FROM letters_triage.check_flow(:'at') \g /dev/null
DO $$ BEGIN RAISE WARNING 'bench-plans: end'; END $$;
SET auto_explain.log_min_duration = -1;
SELECT to_char(:nrows::bigint, 'FM9G999G999G999') AS nfmt \gset
SELECT bench.record('5 checks', format('check_overdue(), %s letters, 0.1%% overdue, first run', :'nfmt'),
                    :t_first * 1000, 'ms');
SELECT bench.record('5 checks', format('check_overdue(), %s letters, 0.1%% overdue, again', :'nfmt'),
                    :t_again * 1000, 'ms');
SELECT bench.record('5 checks', format('check_overdue(), %s letters, none overdue', :'nfmt'),
                    :t_none * 1000, 'ms', NULL, NULL, '< 50 ms', :t_none * 1000 < 50);
SELECT bench.record('5 checks', format('check_flow(), %s letters, 0.1%% overdue, first run', :'nfmt'),
                    :t_flow1 * 1000, 'ms');
SELECT bench.record('5 checks', format('check_flow(), %s letters, 0.1%% overdue, again', :'nfmt'), :t_flow * 1000, 'ms',
                    NULL, NULL, '< 50 ms', :t_flow * 1000 < 50);
SELECT bench.record('5 checks', format('check_flow(), %s letters, none overdue', :'nfmt'), :t_flow_none * 1000, 'ms',
                    NULL, NULL, '< 50 ms', :t_flow_none * 1000 < 50);
SELECT bench.record('5 checks', format('check_all() (all five checks), %s letters, none overdue', :'nfmt'),
                    :t_all_none * 1000, 'ms');
SELECT letters_triage.unwatch('bench.app_scale') \g /dev/null
DELETE FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bench.app_scale');
\else
\echo 'bench 5: the checks are not in this build'
\endif
