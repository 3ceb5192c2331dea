-- test/bench/40_tracking.sql — 4. tracking overhead: the same COPY of 100,000
-- letters into an unwatched table and a watched one; and, as the peer (a
-- PL/pgSQL trigger doing the same triage with regular expressions) is too slow
-- for 100,000, the same COPY of 10,000 letters into all three, compared on
-- that file alone, by the clock and in CPU seconds.
-- psql variables: dir (a directory the server can write).
\ir common.sql
\echo 'bench 4: tracking overhead (COPY of 100,000 letters)'
CREATE TABLE bench.app_plain (LIKE bench.app_template INCLUDING ALL);
CREATE TABLE bench.app_watched (LIKE bench.app_plain INCLUDING ALL);
CREATE TABLE bench.app_plpgsql (LIKE bench.app_plain INCLUDING ALL);

-- The PL/pgSQL baseline: per row, one regex per action, a deadline, a state row.
CREATE TABLE bench.plpgsql_state (
	tbl regclass, key text, urgency text, actions text[], created timestamptz, due timestamptz,
	sent timestamptz, status text, PRIMARY KEY (tbl, key)
);
CREATE FUNCTION bench.plpgsql_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	r record;
	acts text[] := '{}';
	rank int := 0;
	ranks constant text[] := ARRAY['routine', 'soon', 'urgent', 'immediate'];
BEGIN
	FOR r IN SELECT action, re, urgency FROM bench.regex ORDER BY action LOOP
		IF NEW.body ~* r.re THEN
			acts := acts || r.action;
			rank := greatest(rank, coalesce(array_position(ranks, r.urgency) - 1, 0));
		END IF;
	END LOOP;
	INSERT INTO bench.plpgsql_state AS s
	VALUES (TG_RELID::regclass, NEW.id::text, ranks[rank + 1], acts, NEW.created,
	        NEW.created + CASE rank WHEN 3 THEN interval '8 hours' WHEN 2 THEN interval '1 day'
	                                WHEN 1 THEN interval '7 days' ELSE interval '14 days' END,
	        NEW.sent, CASE WHEN NEW.sent IS NULL THEN 'waiting' ELSE 'sent' END)
	ON CONFLICT (tbl, key) DO UPDATE
	   SET urgency = excluded.urgency, actions = excluded.actions, sent = excluded.sent, status = excluded.status;
	RETURN NULL;
END $$;
CREATE TRIGGER plpgsql_track AFTER INSERT OR UPDATE ON bench.app_plpgsql
	FOR EACH ROW EXECUTE FUNCTION bench.plpgsql_track();
\if :have_watch
SELECT letters_triage.watch('bench.app_watched', body => 'body', created => 'created', sent => 'sent',
                            recipient => 'practice', nhs_number => 'nhs_number', kind => 'kind') \g /dev/null
\endif

-- 100,000 letters in a file, as an application's bulk load would have them.
\set copyfile :dir '/copy100k.tsv'
COPY (SELECT row_number() OVER (ORDER BY k, l.id), l.practice, l.nhs_number, l.kind, l.letter,
             l.created + k * interval '7 weeks', NULL
        FROM generate_series(0, 9) k, bench.letters l
       ORDER BY k, l.id LIMIT 100000) TO :'copyfile';
-- the peer is slow: it is compared on the first 10,000 letters, with the
-- unwatched and watched COPYs of the same file
\set copyfile10k :dir '/copy10k.tsv'
COPY (SELECT l.id, l.practice, l.nhs_number, l.kind, l.letter, l.created, NULL
        FROM bench.letters l ORDER BY l.id LIMIT 10000) TO :'copyfile10k';

-- CPU seconds (user + system) this backend has used: on a machine shared with
-- other work, a fairer measure of what a statement costs than the clock.
-- bench.cpu_now() of 10_cpu.sql (/proc/self/schedstat, exact to microseconds;
-- the clock ticks of /proc/self/stat, 10 ms, are too coarse for a
-- 10,000-letter COPY).
\ir 10_cpu.sql
CREATE FUNCTION bench.cpu() RETURNS double precision LANGUAGE sql AS $$ SELECT bench.cpu_now() $$;
CREATE TABLE bench.copy_cpu (tbl text, file text, cpu double precision);

-- Seconds to COPY the file into an emptied table (best of three); the CPU
-- seconds of each run go to bench.copy_cpu.
CREATE FUNCTION bench.copy_secs(tbl text, file text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
	best double precision;
	t0 timestamptz;
	c0 double precision;
	d double precision;
BEGIN
	FOR i IN 1 .. 3 LOOP
		EXECUTE format('TRUNCATE %s', tbl);
		DELETE FROM bench.plpgsql_state;
		-- (emptied, not deleted from: the same keys come again, and dead
		-- state rows under them would slow every run after the first)
		IF to_regclass('letters_triage.letter_state') IS NOT NULL THEN
			TRUNCATE letters_triage.letter_state;
		END IF;
		t0 := clock_timestamp();
		c0 := bench.cpu();
		EXECUTE format('COPY %s (id, practice, nhs_number, kind, body, created, sent) FROM %L', tbl, file);
		d := extract(epoch FROM clock_timestamp() - t0);
		INSERT INTO bench.copy_cpu VALUES (tbl, file, bench.cpu() - c0);
		IF best IS NULL OR d < best THEN best := d; END IF;
	END LOOP;
	RETURN best;
END $$;
SELECT bench.copy_secs('bench.app_plain', :'copyfile') AS t_plain \gset
SELECT bench.record('4 tracking', 'COPY 100,000 letters, unwatched table', 100000 / :t_plain, 'letters/s');
\if :have_watch
SELECT bench.copy_secs('bench.app_watched', :'copyfile') AS t_watched \gset
SELECT bench.record('4 tracking', 'COPY 100,000 letters, watched table', 100000 / :t_watched, 'letters/s',
                    'unwatched', :t_watched / :t_plain, 'cost <= 2.5x unwatched', :t_watched / :t_plain <= 2.5);
-- the same in CPU seconds of the backend (best of three each)
SELECT min(cpu) FILTER (WHERE tbl = 'bench.app_plain') AS c_plain,
       min(cpu) FILTER (WHERE tbl = 'bench.app_watched') AS c_watched
  FROM bench.copy_cpu WHERE file = :'copyfile' \gset
SELECT bench.record('4 tracking', 'COPY 100,000 letters, CPU seconds: unwatched', :c_plain, 's');
SELECT bench.record('4 tracking', 'COPY 100,000 letters, CPU seconds: watched', :c_watched, 's',
                    'unwatched', :c_watched / :c_plain, 'cost <= 2.5x unwatched', :c_watched / :c_plain <= 2.5);
-- what classification alone costs on the same letters (the table holds them
-- after the last COPY): the part of the watched COPY that is not the trigger's own
SELECT bench.secs('SELECT count(letters_triage.urgency(body)) FROM bench.app_watched', 3) AS t_classify \gset
\ir 10_cpu.sql
SELECT bench.cpu_secs('SELECT count(letters_triage.urgency(body)) FROM bench.app_watched', 3) AS c_classify \gset
SELECT bench.record('4 tracking', 'classify() alone, the same 100,000 letters', 100000 / :t_classify, 'letters/s',
                    'unwatched COPY', :t_classify / :t_plain, 'its share of the watched COPY');
SELECT bench.record('4 tracking', 'watched COPY less classification', 100000 / (:t_watched - :t_classify),
                    'letters/s', 'unwatched', (:t_watched - :t_classify) / :t_plain, 'cost of the trigger''s own work');
SELECT bench.record('4 tracking', 'the same in CPU seconds: classify() alone / watched COPY less it', :c_classify, 's',
                    'unwatched', (:c_watched - :c_classify) / :c_plain, 'cost of the trigger''s own work');
SELECT count(*) AS nstate FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bench.app_watched') \gset
\echo 'bench 4: state rows after the watched COPY:' :nstate
-- The floor of any in-statement tracking: the same COPY into a table watched
-- with its body mapped to the one-word kind column, so that classification
-- costs next to nothing while every letter still gets its state row, deadline
-- and index entries (the letters come out as needs_review: too short to read).
CREATE TABLE bench.app_floor (LIKE bench.app_plain INCLUDING ALL);
SELECT letters_triage.watch('bench.app_floor', body => 'kind', created => 'created', sent => 'sent',
                            recipient => 'practice', nhs_number => 'nhs_number', kind => 'kind') \g /dev/null
SELECT bench.copy_secs('bench.app_floor', :'copyfile') AS t_floor \gset
SELECT min(cpu) AS c_floor FROM bench.copy_cpu WHERE tbl = 'bench.app_floor' AND file = :'copyfile' \gset
SELECT bench.record('4 tracking', 'COPY, watched, body mapped to a one-word column (tracking without classification)',
                    100000 / :t_floor, 'letters/s', 'unwatched', :t_floor / :t_plain, 'the floor of in-statement tracking');
SELECT bench.record('4 tracking', 'the same in CPU seconds', :c_floor, 's', 'unwatched', :c_floor / :c_plain,
                    'the floor of in-statement tracking');
-- classification's share of the watched COPY (the watched COPY less the floor)
-- against the same classification alone: the trigger should do the same work
-- per letter as urgency() does outside it
SELECT bench.record('4 tracking', 'classification in the trigger ((watched COPY - floor) in CPU seconds) against classify() alone',
                    (:c_watched - :c_floor) / :c_classify, 'x', 'classify() alone', (:c_watched - :c_floor) / :c_classify,
                    '<= 1.2x', (:c_watched - :c_floor) / :c_classify <= 1.2);
SELECT letters_triage.unwatch('bench.app_floor', keep_history => false) \g /dev/null
DROP TABLE bench.app_floor;
\else
\echo 'bench 4: watch() is not in this build'
\endif

-- The peer, like for like: the same COPY of the first 10,000 letters into the
-- unwatched table, the watched one and the peer's, each the best of three, by
-- the clock and in the backend's CPU seconds.
SELECT bench.copy_secs('bench.app_plain', :'copyfile10k') AS t_plain10 \gset
SELECT bench.copy_secs('bench.app_plpgsql', :'copyfile10k') AS t_peer10 \gset
SELECT min(cpu) FILTER (WHERE tbl = 'bench.app_plain') AS c_plain10,
       min(cpu) FILTER (WHERE tbl = 'bench.app_plpgsql') AS c_peer10
  FROM bench.copy_cpu WHERE file = :'copyfile10k' \gset
SELECT bench.record('4 tracking', 'COPY 10,000 letters (the peer''s file), unwatched, clock', 10000 / :t_plain10, 'letters/s');
SELECT bench.record('4 tracking', 'COPY 10,000 letters, unwatched, CPU time', :c_plain10 * 1000, 'ms');
SELECT bench.record('4 tracking', 'COPY 10,000 letters, peer (PL/pgSQL regex trigger), clock', 10000 / :t_peer10,
                    'letters/s', 'unwatched, clock', :t_peer10 / :t_plain10, 'cost vs unwatched');
SELECT bench.record('4 tracking', 'COPY 10,000 letters, peer, CPU time', :c_peer10 * 1000, 'ms',
                    'unwatched, CPU', :c_peer10 / :c_plain10, 'cost vs unwatched');
\if :have_watch
SELECT bench.copy_secs('bench.app_watched', :'copyfile10k') AS t_watched10 \gset
SELECT min(cpu) AS c_watched10 FROM bench.copy_cpu WHERE tbl = 'bench.app_watched' AND file = :'copyfile10k' \gset
SELECT bench.record('4 tracking', 'COPY 10,000 letters, watched, clock', 10000 / :t_watched10, 'letters/s',
                    'unwatched, clock', :t_watched10 / :t_plain10, 'cost vs unwatched');
SELECT bench.record('4 tracking', 'COPY 10,000 letters, watched, CPU time', :c_watched10 * 1000, 'ms',
                    'unwatched, CPU', :c_watched10 / :c_plain10, 'cost vs unwatched');
SELECT bench.record('4 tracking', 'COPY 10,000 letters, watched against the peer, clock', :t_peer10 / :t_watched10,
                    'x faster', 'peer, clock', :t_peer10 / :t_watched10);
SELECT bench.record('4 tracking', 'COPY 10,000 letters, watched against the peer, CPU time', :c_peer10 / :c_watched10,
                    'x faster', 'peer, CPU', :c_peer10 / :c_watched10);
\endif
-- empty the tables for pgbench; its letters get new keys, as an application's
-- new letters do (the COPYs above used 1 to 100,000)
TRUNCATE bench.app_plain, bench.app_watched, bench.app_plpgsql, bench.plpgsql_state;
\if :have_watch
TRUNCATE letters_triage.letter_state;
\endif
ALTER TABLE bench.app_plain ALTER COLUMN id RESTART WITH 1000001;
ALTER TABLE bench.app_watched ALTER COLUMN id RESTART WITH 1000001;
ALTER TABLE bench.app_plpgsql ALTER COLUMN id RESTART WITH 1000001;
