-- test/bench/30_sizes.sql — 3. letter size: 1 KB to 1 MB bodies, 8 MB of text at each size.
\ir common.sql
\ir 10_cpu.sql
\echo 'bench 3: letter sizes'
CREATE TABLE bench.sized AS
SELECT s.size, i, left(string_agg(l.letter, E'\n' ORDER BY l.id), s.size) AS letter
  FROM (VALUES (1000), (10000), (100000), (1000000)) s(size)
       CROSS JOIN LATERAL generate_series(1, 8000000 / s.size) i
       CROSS JOIN LATERAL (SELECT 1 + (i * 37) % (15000 - s.size / 300) AS first) f
       JOIN bench.letters l ON l.id BETWEEN f.first AND f.first + s.size / 300 + 2
 GROUP BY s.size, i;
ANALYZE bench.sized;
SELECT string_agg(format('%s x %s', n, size), ', ' ORDER BY size) AS sizes,
       bool_and(shortest = size) AS sizes_ok
  FROM (SELECT size, count(*) AS n, min(octet_length(letter)) AS shortest FROM bench.sized GROUP BY size) z \gset
\echo 'bench 3: letters of' :sizes 'bytes; all of full length:' :sizes_ok
\if :have_classify
CREATE TEMP TABLE t_size AS
SELECT size,
       bench.cpu_secs(format('SELECT count((letters_triage.classify(letter)).urgency) FROM bench.sized WHERE size = %s', size)) AS t_cls,
       bench.cpu_secs(format('SELECT sum(octet_length(lower(letter))) FROM bench.sized WHERE size = %s', size)) AS t_lower,
       (SELECT sum(octet_length(letter)) FROM bench.sized z WHERE z.size = s.size) AS bytes
  FROM (SELECT DISTINCT size FROM bench.sized) s;
SELECT bench.record('3 letter size', format('classify(), %s-byte letters', s.size),
                    s.t_cls / s.bytes * 1e9, 'ns/byte', '1 KB letters',
                    (s.t_cls / s.bytes) / (k.t_cls / k.bytes), 'roughly constant (<= 1.5x)',
                    (s.t_cls / s.bytes) / (k.t_cls / k.bytes) <= 1.5)
  FROM t_size s, t_size k WHERE k.size = 1000 ORDER BY s.size;
SELECT bench.record('3 letter size', format('lower(), %s-byte letters', s.size), s.t_lower / s.bytes * 1e9, 'ns/byte')
  FROM t_size s ORDER BY s.size;
\else
\echo 'bench 3: classify() is not in this build'
\endif
