#!/usr/bin/env bash
# test/bench/classify.sh — classification throughput (not a timed test).
#
# On a throwaway server: builds a table of about 16 MB of letters (the letters
# of ../shared/corpus when present and the blind sets of test/data, repeated),
# then on one core (no parallel workers) times, in the same run,
#   lower(body)                      PostgreSQL's own cost of reading the text
#   letters_triage.classify(body)    the default rules
#   letters_triage.classify(body)    with ten times as many rules (or as
#                                    many as the limit of 10,000 patterns allows)
# and prints MB/s per core (the least CPU time of the backend of five runs, so
# that a busy machine distorts the figures least), letters/s and the ratios.
#
#   bash test/bench/classify.sh [MB]
. "$(dirname "$0")/../lib.sh"

MB=${1:-16}
lt_packages
lt_workdir
lt_build
lt_start

lt_run "$LT_BIN/createdb" bench
psql_() { lt_run "$LT_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d bench "$@"; }
psql_ -c "CREATE EXTENSION letters_triage" -c "CREATE TABLE src (body text)"
for f in "$LT_WORK"/shared/corpus/*.csv "$LT_WORK"/src/test/data/*.csv; do
	[ -r "$f" ] || continue
	if head -1 "$f" | grep -q '^id,kind,urgency'; then
		psql_ -c "CREATE TEMP TABLE c (id text, kind text, urgency text, actions text, letter text)" \
			-c "\\copy c FROM '$f' WITH (FORMAT csv, HEADER true)" -c "INSERT INTO src SELECT letter FROM c" 2>/dev/null ||
			psql_ <<SQL
CREATE TEMP TABLE c (id text, kind text, urgency text, actions text, letter text);
\copy c FROM '$f' WITH (FORMAT csv, HEADER true)
INSERT INTO src SELECT letter FROM c;
SQL
	else
		psql_ <<SQL
CREATE TEMP TABLE c (id text, kind text, letter text);
\copy c FROM '$f' WITH (FORMAT csv, HEADER true)
INSERT INTO src SELECT letter FROM c;
SQL
	fi
done
psql_ <<SQL
-- generated letters when no shared data is present
INSERT INTO src
SELECT format(E'Dear Dr Smith,\n\nRe: patient %s\n\nI saw this patient in clinic today. %s There are no safeguarding concerns. '
              'Her father died of a myocardial infarction. Please arrange a repeat U&E in %s weeks and review her '
              'blood pressure. We have increased ramipril to 5 mg OD.\n\nYours sincerely,\nDr Jones', g,
              repeat('The examination was unremarkable and she remains well. ', 1 + g % 5), 1 + g % 4)
  FROM generate_series(1, 200) g
 WHERE NOT EXISTS (SELECT FROM src);
CREATE TABLE bench AS
SELECT body FROM src, generate_series(1, greatest(1, ($MB * 1024 * 1024) / (SELECT sum(octet_length(body)) FROM src)::int));
ANALYZE bench;
SQL
psql_ <<'SQL'
SET max_parallel_workers_per_gather = 0;
SET jit = off;
-- CPU seconds used by this backend (its time on a CPU, from /proc/self/schedstat,
-- in nanoseconds): unlike wall-clock time it does not count what else the machine
-- runs; the least of five runs is the one least disturbed by the machine's other users.
CREATE FUNCTION pg_temp.cpu() RETURNS numeric LANGUAGE sql AS $$
  SELECT split_part(pg_catalog.pg_read_file('/proc/self/schedstat'), ' ', 1)::numeric / 1e9 $$;
CREATE FUNCTION pg_temp.bench(label text, q text, OUT mb_s numeric, OUT secs numeric) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; c0 numeric; mb numeric; wall numeric; d numeric;
BEGIN
  SELECT sum(octet_length(body)) / 1048576.0 INTO mb FROM bench;
  EXECUTE q;                       -- warm: caches, rule set
  t0 := clock_timestamp();
  FOR i IN 1 .. 5 LOOP
    c0 := pg_temp.cpu();
    EXECUTE q;
    d := pg_temp.cpu() - c0;
    IF secs IS NULL OR d < secs THEN secs := d; END IF;
  END LOOP;
  wall := extract(epoch FROM clock_timestamp() - t0) / 5;
  mb_s := round(mb / greatest(secs, 0.001), 1);
  RAISE NOTICE '%: % MB in % s of CPU (% s wall) = % MB/s per core', label, round(mb, 1), round(secs, 3),
    round(wall, 2), mb_s;
END $$;
SELECT count(*) AS letters, round(sum(octet_length(body)) / 1048576.0, 1) AS mb,
       round(avg(octet_length(body))) AS avg_bytes,
       round(100.0 * count(*) FILTER (WHERE body ~ '[^\x01-\x7f]') / count(*), 1) AS pct_non_ascii
  FROM bench \gset
\echo letters: :letters, :mb MB, :avg_bytes bytes each on average, :pct_non_ascii% with non-ASCII characters
SELECT mb_s AS lower_mbs, secs AS lower_s FROM pg_temp.bench('lower(body)', 'SELECT sum(length(lower(body))) FROM bench') \gset
SELECT mb_s AS cls_mbs, secs AS cls_s FROM pg_temp.bench('classify(body)', 'SELECT count((letters_triage.classify(body)).urgency) FROM bench') \gset
SELECT count(*) AS rules FROM letters_triage.rule \gset
-- many times as many rules: variants of the shipped ones that rarely match, ten
-- times as many where the limit of 10,000 enabled patterns (rules, modifiers and
-- sections together) allows, else as many variants of each as it allows
SELECT least(9, (10000 - (SELECT used FROM letters_triage.rule_limits() WHERE name = 'patterns'))
                / (SELECT count(*) FROM letters_triage.rule WHERE pattern NOT LIKE '%*')) AS variants \gset
INSERT INTO letters_triage.rule (pattern, action, urgency, needs_request)
SELECT r.pattern || ' ' || w, r.action, r.urgency, r.needs_request
  FROM letters_triage.rule r,
       unnest((ARRAY['alpha','bravo','charlie','delta','echo','foxtrot','golf','hotel','india'])[1:(:variants)]) w
 WHERE r.pattern NOT LIKE '%*';
SELECT count(*) AS rules10 FROM letters_triage.rule \gset
SELECT mb_s AS cls10_mbs, secs AS cls10_s FROM pg_temp.bench('classify(body), ' || :rules10 || ' rules', 'SELECT count((letters_triage.classify(body)).urgency) FROM bench') \gset
\echo
\echo lower(body):                  :lower_mbs MB/s
\echo classify(body), :rules rules: :cls_mbs MB/s
\echo classify(body), :rules10 rules: :cls10_mbs MB/s
SELECT round(:cls_s / :lower_s, 2) AS "classify cost / lower() cost",
       round(:letters / :cls_s) AS "letters/s",
       round(:rules10::numeric / :rules, 1) AS "rules, times the default",
       round(:cls10_s / :cls_s, 2) AS "their cost / default rules cost";
SQL
