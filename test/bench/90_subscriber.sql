-- test/bench/90_subscriber.sql — 9. a logical-replication subscriber's apply
-- rate with and without tracking.  The bench database publishes a letters
-- table to two subscriber databases of the same server: one where the table
-- is not watched, one where it is (watch() with the apply path).  Both
-- subscriptions are disabled while the publisher writes 20,000 letters, then
-- enabled one after the other: the time until each subscriber has all of
-- them is its apply time (the same WAL, decoded and applied once for each,
-- never both at once).  Two shapes of work: 20,000 single-row transactions
-- (an application's stream) and one transaction of 20,000 rows (a batch
-- job); three rounds each, untracked and tracked alternately, the best of
-- each kept.  The server needs wal_level = logical (test/bench/run sets it).
-- psql variables: conn (a connection string to this server, without dbname).
\ir common.sql
\echo 'bench 9: a subscriber''s apply rate, tracked and untracked'
CREATE EXTENSION IF NOT EXISTS dblink;

CREATE TABLE bench.sub_letters (
	id      bigint PRIMARY KEY,
	kind    text,
	body    text NOT NULL,
	created timestamptz NOT NULL,
	sent    timestamptz
);
CREATE PUBLICATION bench_letters FOR TABLE bench.sub_letters;
-- (slots made here, not by CREATE SUBSCRIPTION: that would wait for itself
-- on a subscription to the same server)
SELECT pg_create_logical_replication_slot('bench_untracked', 'pgoutput');
SELECT pg_create_logical_replication_slot('bench_tracked', 'pgoutput');

SELECT dblink_exec(:'conn' || ' dbname=postgres', 'CREATE DATABASE bench_untracked');
SELECT dblink_exec(:'conn' || ' dbname=postgres', 'CREATE DATABASE bench_tracked');
SELECT dblink_exec(:'conn' || ' dbname=' || d, format($$
	CREATE EXTENSION letters_triage;
	CREATE SCHEMA bench;
	CREATE TABLE bench.sub_letters (id bigint PRIMARY KEY, kind text, body text NOT NULL,
	                                created timestamptz NOT NULL, sent timestamptz);
	CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION bench_letters
	  WITH (create_slot = false, slot_name = %L, copy_data = false, enabled = false);
	%s$$, d, :'conn' || ' dbname=' || current_database(), d,
	CASE WHEN d = 'bench_tracked' THEN
	  'DO $w$ BEGIN PERFORM letters_triage.watch(''bench.sub_letters'', ''body'', ''created'', ''sent'','
	  ' kind => ''kind'', replicated => true); END $w$'
	ELSE '' END))
  FROM unnest(ARRAY['bench_untracked', 'bench_tracked']) d;

-- Enable subscription sub, wait until its database has rows lo..hi, disable
-- it and wait for its worker to stop; returns the seconds from enabling to
-- the last row.
CREATE FUNCTION bench.sub_catch_up(conn text, sub text, lo bigint, hi bigint) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
	c  text := conn || ' dbname=' || sub;
	t0 timestamptz;
	d  double precision;
	n  bigint;
BEGIN
	PERFORM dblink_connect('bench_sub', c);
	t0 := clock_timestamp();
	PERFORM dblink_exec('bench_sub', format('ALTER SUBSCRIPTION %I ENABLE', sub));
	LOOP
		SELECT x INTO n FROM dblink('bench_sub',
			format('SELECT count(*) FROM bench.sub_letters WHERE id BETWEEN %s AND %s', lo, hi)) AS t(x bigint);
		EXIT WHEN n = hi - lo + 1;
		IF clock_timestamp() - t0 > interval '10 minutes' THEN
			RAISE EXCEPTION 'subscriber % did not catch up (% of % rows)', sub, n, hi - lo + 1;
		END IF;
		PERFORM pg_sleep(0.005);
	END LOOP;
	d := extract(epoch FROM clock_timestamp() - t0);
	PERFORM dblink_exec('bench_sub', format('ALTER SUBSCRIPTION %I DISABLE', sub));
	LOOP
		SELECT x INTO n FROM dblink('bench_sub',
			format('SELECT count(*) FROM pg_stat_subscription WHERE subname = %L AND pid IS NOT NULL', sub)) AS t(x bigint);
		EXIT WHEN n = 0;
		PERFORM pg_sleep(0.01);
	END LOOP;
	PERFORM dblink_disconnect('bench_sub');
	RETURN d;
END $$;

-- The letters written, numbered.
CREATE TABLE bench.sub_src AS
SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, kind, letter, created FROM bench.letters;
ALTER TABLE bench.sub_src ADD PRIMARY KEY (n);

-- The rounds (a procedure: the publisher's transactions commit as they go).
CREATE TABLE bench.sub_timing (shape text, target text, round int, seconds double precision);
CREATE PROCEDURE bench.sub_rounds(conn text, nrows int, rounds int)
LANGUAGE plpgsql AS $$
DECLARE
	lo     bigint := 1;
	src    int := (SELECT count(*) FROM bench.sub_src);
	shape  text;
	target text;
BEGIN
	FOR r IN 1 .. rounds LOOP
		FOREACH shape IN ARRAY ARRAY['single-row transactions', 'one transaction'] LOOP
			IF shape = 'one transaction' THEN
				INSERT INTO bench.sub_letters
				SELECT lo + g, s.kind, s.letter, s.created, NULL
				  FROM generate_series(0, nrows - 1) g JOIN bench.sub_src s ON s.n = g % src;
				COMMIT;
			ELSE
				FOR g IN 0 .. nrows - 1 LOOP
					INSERT INTO bench.sub_letters
					SELECT lo + g, s.kind, s.letter, s.created, NULL FROM bench.sub_src s WHERE s.n = g % src;
					COMMIT;
				END LOOP;
			END IF;
			-- untracked first in odd rounds, tracked first in even ones
			FOREACH target IN ARRAY CASE WHEN r % 2 = 1 THEN ARRAY['bench_untracked', 'bench_tracked']
			                             ELSE ARRAY['bench_tracked', 'bench_untracked'] END LOOP
				INSERT INTO bench.sub_timing
				VALUES (shape, target, r, bench.sub_catch_up(conn, target, lo, lo + nrows - 1));
				COMMIT;
			END LOOP;
			lo := lo + nrows;
		END LOOP;
	END LOOP;
END $$;

\set nrows 20000
CALL bench.sub_rounds(:'conn', :nrows, 3);

WITH best AS (
	SELECT shape, target, min(seconds) AS s FROM bench.sub_timing GROUP BY shape, target)
SELECT bench.record('9 subscriber', format('apply of %s letters in %s, %s', :nrows, u.shape,
                                           CASE WHEN x.target = 'bench_tracked' THEN 'tracked' ELSE 'untracked' END),
                    :nrows / x.s, 'rows/s',
                    CASE WHEN x.target = 'bench_tracked' THEN 'untracked' END,
                    CASE WHEN x.target = 'bench_tracked' THEN u.s / x.s END)
  FROM best u JOIN best x ON x.shape = u.shape
 WHERE u.target = 'bench_untracked'
 ORDER BY u.shape DESC, x.target DESC;
-- every letter applied is tracked, once
SELECT bench.record('9 subscriber', 'letters tracked on the subscriber / letters applied',
                    n::float8 / (SELECT count(*) FROM bench.sub_letters), 'x', NULL, NULL, '= 1', n = (SELECT count(*) FROM bench.sub_letters))
  FROM dblink(:'conn' || ' dbname=bench_tracked',
              'SELECT count(*) FROM letters_triage.letter_state') AS t(n bigint);

SELECT dblink_exec(:'conn' || ' dbname=' || d, format('ALTER SUBSCRIPTION %I SET (slot_name = NONE)', d))
  FROM unnest(ARRAY['bench_untracked', 'bench_tracked']) d;
SELECT pg_drop_replication_slot(s) FROM unnest(ARRAY['bench_untracked', 'bench_tracked']) s;
