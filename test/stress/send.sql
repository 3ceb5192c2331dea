-- send a few waiting letters (some in time, some late); the rows are locked in
-- the order of their keys first, as an application that sends in batches must
-- (two batches locking the same rows in different orders deadlock each other,
-- whether the table is watched or not)
\set k random(0, 3000)
WITH batch AS (
    SELECT id FROM stress.letters WHERE sent IS NULL AND id > (SELECT max(id) FROM stress.letters) - :k
     ORDER BY id LIMIT 3 FOR UPDATE)
UPDATE stress.letters SET sent = now() WHERE id IN (SELECT id FROM batch);
