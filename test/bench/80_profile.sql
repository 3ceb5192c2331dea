-- test/bench/80_profile.sql — 8. where classify()'s time goes: test/bench/run
-- attaches perf to this backend while it classifies the letters five times.
-- psql variables: pidfile (where to write this backend's pid).
\ir common.sql
\if :have_classify
SELECT pg_backend_pid() AS pid \gset
SELECT letters_triage.classify('warm up') \g /dev/null
COPY (SELECT :pid) TO :'pidfile';
SELECT pg_sleep(2);
SELECT count((letters_triage.classify(letter)).urgency) FROM bench.letters, generate_series(1, 5);
\endif
