-- test/bench/10_cpu.sql — included by the parts that time classify() against
-- lower() (10, 20, 30): bench.cpu_secs(q, reps), the least CPU time this
-- backend spends on one run of q, of reps runs after a warming one.  Unlike
-- the wall-clock bench.secs() it does not count the time the machine gives
-- to others (the test machines are shared), and the least of several runs
-- is the one least disturbed by them.  Linux: /proc/self/schedstat, the
-- task's time on a CPU in nanoseconds.
CREATE OR REPLACE FUNCTION bench.cpu_now() RETURNS double precision LANGUAGE sql AS $$
  SELECT split_part(pg_catalog.pg_read_file('/proc/self/schedstat'), ' ', 1)::double precision / 1e9 $$;
CREATE OR REPLACE FUNCTION bench.cpu_secs(q text, reps int DEFAULT 5) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
	best double precision;
	c0 double precision;
	d double precision;
BEGIN
	EXECUTE q;
	FOR i IN 1 .. reps LOOP
		c0 := bench.cpu_now();
		EXECUTE q;
		d := bench.cpu_now() - c0;
		IF best IS NULL OR d < best THEN best := d; END IF;
	END LOOP;
	RETURN greatest(best, 1e-6);
END $$;
