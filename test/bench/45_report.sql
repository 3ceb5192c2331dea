-- test/bench/45_report.sql — 4b. the matcher's size, and the figures of the
-- sessions of 45_session.sql (see 45_statements.sql and test/bench/run).
\ir common.sql
\if :have_watch
-- The matcher's hot data: what its step reads (rule_limits()'s scan_bytes:
-- dense rows, byte classes x 4 bytes, for the shallow states; 12 bytes per
-- deep state, a trie node with its failure state, and 8 per child of a deep
-- state with several).  A letter reads only the states it reaches, so this
-- is what the matcher can touch, the bound the issue sets at 512 KB, not
-- what one letter touches.  Beside it, the whole table the compiler builds
-- once per session and frees (automaton_bytes, the measure of the limit).
SELECT bench.record('4b matcher and statement', format('the matcher''s hot data (dense rows of shallow states, trie nodes of deep ones), default rules (%s)', nrules),
                    scan_bytes / 1024.0, 'KB', '512 KB (L2)', scan_bytes / 524288.0,
                    '<= 512 KB for the shipped rules', scan_bytes <= 524288)
  FROM bench.stmt_rules WHERE rules = 'default';
SELECT bench.record('4b matcher and statement', format('the same, %s rules (%s times the default)', m.nrules,
                    round(m.nrules::numeric / d.nrules, 1)),
                    m.scan_bytes / 1024.0, 'KB', 'default rules', m.scan_bytes::float8 / d.scan_bytes)
  FROM bench.stmt_rules m, bench.stmt_rules d WHERE m.rules = 'more' AND d.rules = 'default';
SELECT bench.record('4b matcher and statement', format('the whole table the compiler builds once per session and frees, default rules (%s)', nrules),
                    automaton_bytes / 1024.0, 'KB', 'scan_bytes', automaton_bytes::float8 / scan_bytes)
  FROM bench.stmt_rules WHERE rules = 'default';

-- Of the sessions (rounds) of each rule set and table, the median: CPU time of
-- the backend per timed statement, and of a new session's first statement.
-- (The median, not the least: on a shared machine the sessions' CPU times
-- spread by a third both ways, and the least of a few is as noisy as any one.)
CREATE TEMP TABLE stmt AS
SELECT rules, tbl,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu) AS cpu,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_cpu) AS first_cpu,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_clock) AS first_clock,
       count(*) AS sessions, min(n) AS n
  FROM bench.stmt_session GROUP BY rules, tbl;
SELECT (SELECT nrules FROM bench.stmt_rules WHERE rules = 'more') AS more_rules,
       (SELECT min(sessions) FROM stmt) AS sessions, (SELECT min(n) FROM stmt) AS nstmt \gset
CREATE TEMP TABLE stmt_pair AS
SELECT d.tbl, r.o, r.rules,
       CASE d.tbl WHEN 'plain' THEN 'unwatched' WHEN 'watched' THEN 'watched'
                  ELSE 'watched, body a one-word column (set-up and state row)' END AS what,
       CASE r.rules WHEN 'default' THEN d.cpu ELSE m.cpu END AS cpu, d.cpu AS cpu_default,
       CASE r.rules WHEN 'default' THEN d.first_cpu ELSE m.first_cpu END AS first_cpu, d.first_cpu AS first_cpu_default,
       CASE r.rules WHEN 'default' THEN d.first_clock ELSE m.first_clock END AS first_clock
  FROM stmt d JOIN stmt m ON m.tbl = d.tbl AND m.rules = 'more',
       (VALUES (1, 'default'), (2, 'more')) r (o, rules)
 WHERE d.rules = 'default';
SELECT bench.record('4b matcher and statement',
                    format('one-row INSERT, %s, %s rules: CPU per statement (median of %s sessions of %s after 200 to warm up)',
                           what, CASE rules WHEN 'default' THEN 'default' ELSE :'more_rules' END, :sessions, :nstmt),
                    cpu * 1e6, 'µs', CASE rules WHEN 'more' THEN 'default rules' END,
                    CASE rules WHEN 'more' THEN cpu / cpu_default END,
                    CASE rules WHEN 'more' THEN 'no growth with the rules (about 1x)' END)
  FROM stmt_pair ORDER BY array_position(ARRAY['plain', 'watched', 'floor'], tbl), o;
-- what the trigger adds to a statement, with each rule set
SELECT bench.record('4b matcher and statement',
                    format('the trigger''s share (watched - unwatched), %s rules', CASE w.rules WHEN 'default' THEN 'default' ELSE :'more_rules' END),
                    (w.cpu - p.cpu) * 1e6, 'µs', CASE w.rules WHEN 'more' THEN 'default rules' END,
                    CASE w.rules WHEN 'more' THEN (w.cpu - p.cpu) / nullif(w.cpu_default - p.cpu_default, 0) END)
  FROM stmt_pair w JOIN stmt_pair p ON p.tbl = 'plain' AND p.rules = w.rules
 WHERE w.tbl = 'watched' ORDER BY w.o;
-- a new session's first statement compiles the rule set (into that backend):
-- expected to grow with the rules
SELECT bench.record('4b matcher and statement',
                    format('one-row INSERT, %s, %s rules: a new session''s first statement, CPU time (clock %s ms; median of %s sessions)',
                           CASE tbl WHEN 'plain' THEN 'unwatched' ELSE 'watched (it compiles the rules)' END,
                           CASE rules WHEN 'default' THEN 'default' ELSE :'more_rules' END,
                           round(first_clock::numeric * 1000, 1), :sessions),
                    first_cpu * 1000, 'ms', CASE rules WHEN 'more' THEN 'default rules' END,
                    CASE rules WHEN 'more' THEN first_cpu / first_cpu_default END,
                    CASE rules WHEN 'more' THEN 'expected to grow (compile)' END)
  FROM stmt_pair WHERE tbl IN ('plain', 'watched')
 ORDER BY array_position(ARRAY['plain', 'watched'], tbl), o;
\endif
