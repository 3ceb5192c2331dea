-- send a few waiting letters (some in time, some late)
\set k random(0, 3000)
UPDATE stress.letters SET sent = now()
 WHERE id IN (SELECT id FROM stress.letters WHERE sent IS NULL AND id > (SELECT max(id) FROM stress.letters) - :k
               ORDER BY id LIMIT 3);
