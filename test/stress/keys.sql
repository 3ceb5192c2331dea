-- change keys (the key is DEFERRABLE): move a letter to a new key, swap two
-- keys in one statement, or swap them in two statements (the first leaves a
-- duplicate key that the second resolves before commit).  Only unsent
-- letters move: the alerts name letters by key, so a sent-late letter moved to
-- another key would be listed again under it (an open finding of the alerts).
-- The pair is locked first, so that no send or delete comes between.
\set k random(0, 3000)
\set what random(0, 2)
-- (well below the largest key: a key moved above it, or onto one an INSERT
-- still running has taken, would be one the identity hands out, and the
-- application's INSERT or this transaction's key check would fail)
SELECT (max(id) - :k - 200) / 2 * 2 AS b FROM stress.letters \gset
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
SELECT (count(*) FILTER (WHERE sent IS NOT NULL) = 0)::int AS movable
  FROM (SELECT sent FROM stress.letters WHERE id IN (:b, :b + 1) FOR UPDATE) x \gset
UPDATE stress.letters SET id = -nextval('stress.moved') WHERE :movable = 1 AND :what = 0 AND id = :b;
UPDATE stress.letters SET id = CASE WHEN id = :b THEN :b + 1 ELSE :b END WHERE :movable = 1 AND :what = 1 AND id IN (:b, :b + 1);
UPDATE stress.letters SET id = :b + 1 WHERE :movable = 1 AND :what = 2 AND id = :b;
UPDATE stress.letters SET id = :b WHERE :movable = 1 AND :what = 2 AND id = :b + 1
   AND xmin <> xid(pg_current_xact_id());
COMMIT;
