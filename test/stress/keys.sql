-- change keys (the key is DEFERRABLE): move a letter to a new key, swap two
-- keys in one statement, or swap them in two statements (the first leaves a
-- duplicate key that the second resolves before commit)
\set k random(0, 3000)
\set what random(0, 2)
SELECT (max(id) - :k) / 2 * 2 AS b FROM stress.letters \gset
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
UPDATE stress.letters SET id = -id WHERE :what = 0 AND id = :b;
UPDATE stress.letters SET id = CASE WHEN id = :b THEN :b + 1 ELSE :b END WHERE :what = 1 AND id IN (:b, :b + 1);
UPDATE stress.letters SET id = :b + 1 WHERE :what = 2 AND id = :b;
UPDATE stress.letters SET id = :b WHERE :what = 2 AND id = :b + 1 AND xmin <> xid(pg_current_xact_id());
COMMIT;
