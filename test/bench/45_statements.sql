-- test/bench/45_statements.sql — 4b. the matcher and the statement (issue 21:
-- "a matcher whose hot data fits in the L2 cache, at most 512 KB for the
-- shipped rules, and no per-statement set-up that grows with the rule set").
--
-- Set-up for test/bench/run, which then times one-row INSERT statements in
-- sessions of their own (45_session.sql, into bench.stmt_session);
-- 45_report.sql reports them.
\ir common.sql
\ir 10_cpu.sql
\if :have_watch
\echo 'bench 4b: the matcher''s size and the cost of one-row INSERT statements, default rules and many more'
\ir more_rules.sql
-- three tables like the application's: unwatched, watched, and watched with
-- the body mapped to the one-word kind column (every letter still gets its
-- state row and deadline, classification costs next to nothing: what is left
-- of a statement is the trigger's set-up and the state row)
CREATE TABLE bench.stmt_plain (LIKE bench.app_template INCLUDING ALL);
CREATE TABLE bench.stmt_watched (LIKE bench.app_template INCLUDING ALL);
CREATE TABLE bench.stmt_floor (LIKE bench.app_template INCLUDING ALL);
SELECT letters_triage.watch('bench.stmt_watched', body => 'body', created => 'created', sent => 'sent',
                            recipient => 'practice', nhs_number => 'nhs_number', kind => 'kind') \g /dev/null
SELECT letters_triage.watch('bench.stmt_floor', body => 'kind', created => 'created', sent => 'sent',
                            recipient => 'practice', nhs_number => 'nhs_number', kind => 'kind') \g /dev/null
-- one row per session: the rule set (default / more), the table, the round,
-- the statements timed, the first statement's CPU time and clock time, and
-- the timed statements' CPU and clock time each (seconds)
CREATE TABLE bench.stmt_session (rules text, tbl text, round int, n int, first_cpu float8, first_clock float8,
                                 cpu float8, clock float8);
-- for each rule set, what the matcher's scan reads (scan_bytes) and the whole
-- table its compiler builds (automaton_bytes)
CREATE TABLE bench.stmt_rules (rules text PRIMARY KEY, nrules bigint, automaton_bytes bigint, scan_bytes bigint);
INSERT INTO bench.stmt_rules
SELECT 'default', (SELECT count(*) FROM letters_triage.rule WHERE enabled),
       (SELECT used FROM letters_triage.rule_limits() WHERE name = 'automaton_bytes'),
       (SELECT used FROM letters_triage.rule_limits() WHERE name = 'scan_bytes');
\else
\echo 'bench 4b: watch() is not in this build'
\endif
