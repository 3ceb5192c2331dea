#!/usr/bin/env bash
# test/bench/track.sh — what tracking costs the application (a benchmark, not
# a timed test).
#
#   bash test/bench/track.sh            100,000 letters, 10 s of pgbench per run
#   LETTERS=20000 SECONDS_PER_RUN=5 bash test/bench/track.sh
#
# On a throwaway server (test/lib.sh): COPY of $LETTERS letters into an
# unwatched table and into the same table watched, alternately, three times
# each (best of three reported, and their ratio); then single-row INSERTs with
# pgbench, 4 clients, unwatched and watched.  The letters are the development
# corpus in ../shared/corpus when it is there (read at run time, never copied
# into the project), cycled to $LETTERS rows with a serial number added to
# each; otherwise synthetic clinic letters.
. "$(dirname "$0")/../lib.sh"

LETTERS=${LETTERS:-100000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}

lt_packages
lt_workdir
lt_build
lt_start

psql_() { lt_run "$LT_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d bench "$@"; }
lt_run "$LT_BIN/createdb" bench
psql_ -c 'CREATE EXTENSION letters_triage'
psql_ -c 'CREATE TABLE seed (n serial PRIMARY KEY, kind text, letter text)'
if [ -f "$LT_WORK/shared/corpus/dev.csv" ]; then
	psql_ -c 'CREATE TEMP TABLE c (id text, kind text, urgency text, actions text, letter text)' \
		-c "\\copy c FROM '$LT_WORK/shared/corpus/dev.csv' CSV HEADER" \
		-c 'INSERT INTO seed (kind, letter) SELECT kind, letter FROM c ORDER BY id'
	src="the development corpus"
else
	psql_ -c "INSERT INTO seed (kind, letter) SELECT 'outpatient', 'Dear Doctor, I saw this patient in clinic today (' || g || '). ' || repeat('Examination was unremarkable and observations were normal. ', 20) || 'No change to medication. Routine follow up in six months.' FROM generate_series(1, 60) g"
	src="synthetic letters"
fi
psql_ <<SQL
SET client_min_messages = warning;
CREATE TABLE src AS
SELECT g AS id, s.letter || E'\n\nRef ' || g AS body, s.kind,
       timestamptz '2026-11-23 08:00' + (g % 5000) * interval '1 minute' AS created
  FROM generate_series(1, $LETTERS) g
  JOIN seed s ON s.n = 1 + g % (SELECT count(*) FROM seed);
COPY (SELECT id, body, kind, created FROM src ORDER BY id) TO '$LT_WORK/letters.copy';
CREATE TABLE plain_letters (id bigint PRIMARY KEY, body text, kind text, created timestamptz, sent timestamptz);
CREATE TABLE watched_letters (LIKE plain_letters INCLUDING ALL);
SELECT letters_triage.watch('watched_letters', 'body', 'created', 'sent', kind => 'kind');
CREATE TABLE timing (target text, run int, seconds float8, cpu_seconds float8);
-- CPU time of this backend (user + system), in seconds: robust to other load on the machine
CREATE FUNCTION cpu() RETURNS float8 LANGUAGE sql AS
\$\$ SELECT (split_part(s, ' ', 14)::float8 + split_part(s, ' ', 15)::float8) / 100
     FROM pg_read_file('/proc/self/stat') s \$\$;
SQL
mb=$(psql_ -At -c "SELECT round(sum(octet_length(body)) / 1e6, 1) FROM src")
lt_say "COPY of $LETTERS letters ($mb MB, $src) into unwatched and watched tables"
for run in 1 2 3; do
	for t in plain_letters watched_letters; do
		psql_ <<SQL
TRUNCATE $t;
CHECKPOINT;
DO \$\$
DECLARE t0 timestamptz := clock_timestamp(); c0 float8 := cpu();
BEGIN
    COPY $t (id, body, kind, created) FROM '$LT_WORK/letters.copy';
    INSERT INTO timing VALUES ('$t', $run, extract(epoch FROM clock_timestamp() - t0), cpu() - c0);
END
\$\$;
SQL
	done
done
psql_ -c "SELECT target, round(min(seconds)::numeric, 3) AS best_s, round(max(seconds)::numeric, 3) AS worst_s,
                  round(min(cpu_seconds)::numeric, 2) AS best_cpu_s,
                  round(($LETTERS / min(seconds))::numeric) AS letters_per_s FROM timing GROUP BY 1 ORDER BY 1" \
      -c "SELECT round(((SELECT min(seconds) FROM timing WHERE target = 'watched_letters') /
                        (SELECT min(seconds) FROM timing WHERE target = 'plain_letters'))::numeric, 2) AS copy_ratio_watched_over_plain,
                 round(((SELECT min(cpu_seconds) FROM timing WHERE target = 'watched_letters') /
                        nullif((SELECT min(cpu_seconds) FROM timing WHERE target = 'plain_letters'), 0))::numeric, 2) AS cpu_ratio" \
      -c "DO \$\$ DECLARE t0 timestamptz := clock_timestamp(); c0 float8 := cpu(); n bigint;
          BEGIN SELECT count(letters_triage.urgency(body)) INTO n FROM src;
                INSERT INTO timing VALUES ('classify() alone', 1, extract(epoch FROM clock_timestamp() - t0), cpu() - c0);
          END \$\$" \
      -c "SELECT round(seconds::numeric, 3) AS classify_alone_s, round(cpu_seconds::numeric, 2) AS classify_alone_cpu_s
            FROM timing WHERE target = 'classify() alone'" \
      -c "SELECT count(*) AS tracked, count(*) FILTER (WHERE needs_review) AS needs_review FROM letters_triage.letter_state"

lt_say "pgbench: single-row INSERTs, 4 clients, $SECONDS_PER_RUN s each"
nseed=$(psql_ -At -c "SELECT count(*) FROM seed")
for t in plain_letters watched_letters; do
	psql_ -c "TRUNCATE $t" -c "CREATE SEQUENCE IF NOT EXISTS ${t}_ids"
	cat >"$LT_WORK/insert_$t.sql" <<SQL
\\set r random(1, $nseed)
INSERT INTO $t (id, body, kind, created) SELECT nextval('${t}_ids'), letter, kind, now() FROM seed WHERE n = :r;
SQL
	[ ${#LT_RUNAS[@]} -eq 0 ] || chown postgres "$LT_WORK/insert_$t.sql"
	tps=$(lt_run "$LT_BIN/pgbench" -n -c 4 -j 2 -T "$SECONDS_PER_RUN" -f "$LT_WORK/insert_$t.sql" bench 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
	echo "$t: $tps inserts/s"
	eval "tps_$t=$tps"
done
echo "single-row INSERT throughput, watched/unwatched: $(awk "BEGIN { printf \"%.2f\", $tps_watched_letters / $tps_plain_letters }")"
