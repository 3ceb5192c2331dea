-- test/bench/report.sql — the table of results.
\pset footer off
\pset null ''
SELECT section, measure,
       CASE WHEN value >= 100 THEN to_char(value, 'FM999G999G990') ELSE to_char(value, 'FM999G990.00') END
         || ' ' || unit AS value,
       baseline AS "vs",
       CASE WHEN ratio IS NOT NULL THEN to_char(ratio, 'FM999G990.00') || 'x' END AS ratio,
       target,
       CASE met WHEN true THEN 'yes' WHEN false THEN 'NO' END AS met
  FROM bench.result ORDER BY n;
