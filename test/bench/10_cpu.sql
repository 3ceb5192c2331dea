-- test/bench/10_cpu.sql — included by the parts that time classify() against
-- lower() (10, 15, 20, 30, 35; 40 and 45 for their CPU times):
-- bench.cpu_secs(q, reps), the least CPU time this backend spends on one run
-- of q, of reps runs after a warming one.  Unlike
-- the wall-clock bench.secs() it does not count the time the machine gives
-- to others (the test machines are shared), and the least of several runs
-- is the one least disturbed by them.  Linux: /proc/self/schedstat, the
-- task's time on a CPU in nanoseconds.  The kernel brings a running task's
-- figure up to date only at a scheduler tick or when the task stops running,
-- so read as it is it moves in steps of milliseconds (a statement of 0.4 ms
-- read as 0 or as 1.9 ms; a 10 kB adversarial letter family of part 3b as 0):
-- bench.cpu_now() sleeps for a millisecond first (pg_sleep's least wait),
-- which brings it up to date, and so is exact to microseconds.
CREATE OR REPLACE FUNCTION bench.cpu_now() RETURNS double precision LANGUAGE sql AS $$
  SELECT split_part(pg_catalog.pg_read_file('/proc/self/schedstat'), ' ', 1)::double precision / 1e9
    FROM (SELECT pg_catalog.pg_sleep(0.0001)) s $$;
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
