-- test/bench/15_realistic.sql — 1b. classification against lower() on
-- realistic letters: the labelled letters of ../shared/corpus and test/data
-- (bench.real, loaded by test/bench/run) repeated to about :mb MB, with the
-- default rules and with ten times as many (issue 21's targets: at most 1.5x
-- the cost of lower(); ten times the rules at most 1.2x the time).  CPU time
-- of this backend, the least of five runs.
\ir common.sql
\ir 10_cpu.sql
\if :have_classify
SELECT count(*) > 0 AS have_real FROM bench.real \gset
\if :have_real
CREATE TABLE bench.real_rep AS
SELECT body FROM bench.real,
       generate_series(1, greatest(1, (:mb * 1048576) / (SELECT sum(octet_length(body)) FROM bench.real)::int));
SELECT count(*) AS n, sum(octet_length(body)) / 1e6 AS mbytes FROM bench.real_rep \gset
\echo 'bench 1b: realistic letters:' :n 'letters,' :mbytes 'MB'
SELECT bench.cpu_secs('SELECT sum(length(lower(body))) FROM bench.real_rep') AS t_lower \gset
SELECT bench.cpu_secs('SELECT count((letters_triage.classify(body)).urgency) FROM bench.real_rep') AS t_cls \gset
SELECT bench.record('1b realistic letters', format('lower(body), %s letters of the corpora repeated (CPU time, one core)', :n),
                    :mbytes / :t_lower, 'MB/s');
SELECT bench.record('1b realistic letters', 'classify(body), default rules', :mbytes / :t_cls, 'MB/s',
                    'lower(body), cost', :t_cls / :t_lower, '<= 1.5x the cost of lower()', :t_cls / :t_lower <= 1.5);
-- ten times the rules: variants of the shipped ones that rarely match, as
-- many as the limit of 10,000 enabled patterns allows (at most nine each)
\ir more_rules.sql
SELECT count(*) AS rules FROM letters_triage.rule WHERE enabled \gset
SELECT bench.more_rules() AS rules_more \gset
SELECT bench.cpu_secs('SELECT count((letters_triage.classify(body)).urgency) FROM bench.real_rep') AS t_more \gset
SELECT bench.fewer_rules() \gset
SELECT bench.record('1b realistic letters', format('classify(body), %s rules (%s times the default %s)',
                    :rules_more, round(:rules_more::numeric / :rules, 1), :rules), :mbytes / :t_more, 'MB/s',
                    'default rules, time', :t_more / :t_cls, '10x the rules <= 1.2x the time', :t_more / :t_cls <= 1.2);
DROP TABLE bench.real_rep;
\else
\echo 'bench 1b: no labelled letters found (../shared/corpus, test/data)'
\endif
\endif
