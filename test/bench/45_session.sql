-- test/bench/45_session.sql — one session of part 4b (test/bench/run): a new
-- backend's first one-row INSERT into :tbl (it compiles the rule set, when
-- the table is watched), the warm-up statements of :warmfile, then the :n
-- statements of :runfile, each a statement of its own (its own transaction),
-- as an application sends them.  The backend's CPU time (and the clock) of
-- the first and of the :n together go to bench.stmt_session.  (The clock is
-- read after bench.cpu_now() at a start and before it at an end: its
-- millisecond's sleep is in neither.)
-- psql variables: tbl, rules, round, n, warmfile, runfile.
SELECT bench.cpu_now() AS c0, extract(epoch FROM clock_timestamp()) AS w0 \gset
INSERT INTO :tbl (practice, nhs_number, kind, body, created)
SELECT practice, nhs_number, kind, letter, now() FROM bench.letters WHERE id = 1;
SELECT extract(epoch FROM clock_timestamp()) AS w1, bench.cpu_now() AS c1 \gset
\i :warmfile
SELECT bench.cpu_now() AS c2, extract(epoch FROM clock_timestamp()) AS w2 \gset
\i :runfile
SELECT extract(epoch FROM clock_timestamp()) AS w3, bench.cpu_now() AS c3 \gset
INSERT INTO bench.stmt_session
VALUES (:'rules', replace(:'tbl', 'bench.stmt_', ''), :round, :n, :c1 - :c0, :w1 - :w0, (:c3 - :c2) / :n, (:w3 - :w2) / :n);
