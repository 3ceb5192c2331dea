-- delete (withdraw) a letter, or change its key
\set k random(0, 3000)
\set what random(0, 3)
DELETE FROM stress.letters
 WHERE :what > 0 AND id = (SELECT max(id) FROM stress.letters) - :k;
UPDATE stress.letters SET body = body || ' amended'
 WHERE :what = 0 AND id = (SELECT max(id) FROM stress.letters) - :k;
