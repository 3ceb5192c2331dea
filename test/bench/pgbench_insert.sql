-- one single-row INSERT of a realistic letter into the table :tbl (pgbench -D tbl=...)
\set r random(1, 20000)
INSERT INTO :tbl (practice, nhs_number, kind, body, created)
SELECT practice, nhs_number, kind, letter, now() FROM bench.letters WHERE id = :r;
