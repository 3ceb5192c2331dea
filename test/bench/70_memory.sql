-- test/bench/70_memory.sql — 7. a backend's memory after 1,000 and after
-- 1,000,000 classifications (in one session, run on its own).
\ir common.sql
\if :have_classify
\echo 'bench 7: memory after 1,000 and 1,000,000 classifications'
SELECT count((letters_triage.classify(letter)).urgency) FROM bench.letters WHERE id <= 1000 \g /dev/null
SELECT sum(total_bytes) AS m1k FROM pg_backend_memory_contexts \gset
SELECT (SELECT count(*) FROM bench.letters) AS nl \gset
SELECT count((letters_triage.classify(l.letter)).urgency)
  FROM generate_series(1, ceil(999000.0 / :nl)::int) k, bench.letters l \g /dev/null
SELECT sum(total_bytes) AS m1m FROM pg_backend_memory_contexts \gset
SELECT bench.record('7 memory', 'backend memory after 1,000 classifications', :m1k / 1048576.0, 'MB');
SELECT bench.record('7 memory', 'backend memory after 1,000,000 classifications', :m1m / 1048576.0, 'MB',
                    'after 1,000', :m1m::double precision / :m1k, 'no growth (<= 1.05x)', :m1m <= :m1k * 1.05);
\else
\echo 'bench 7: classify() is not in this build'
\endif
