-- test/bench/10_cpu.sql — included by 10_throughput.sql and 30_sizes.sql:
-- bench.cpu_secs(q, reps), the CPU time (user + system) this backend spends
-- on one run of q, averaged over reps runs after a warming one.  Unlike the
-- wall-clock bench.secs() it does not depend on what else the machine runs
-- (the test machines are shared), so MB/s "per core" are measured with it.
-- Linux only (/proc/self/stat, 100 ticks a second); the runs are long enough
-- (a tenth of a second or more each) for the 10 ms ticks.
CREATE OR REPLACE FUNCTION bench.cpu_now() RETURNS double precision LANGUAGE sql AS $$
  SELECT (split_part(r, ' ', 12)::double precision + split_part(r, ' ', 13)::double precision) / 100
    FROM (SELECT split_part(pg_catalog.pg_read_file('/proc/self/stat'), ') ', 2) AS r) s $$;
CREATE OR REPLACE FUNCTION bench.cpu_secs(q text, reps int DEFAULT 5) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
	c0 double precision;
BEGIN
	EXECUTE q;
	c0 := bench.cpu_now();
	FOR i IN 1 .. reps LOOP
		EXECUTE q;
	END LOOP;
	RETURN greatest(bench.cpu_now() - c0, 0.01) / reps;
END $$;
