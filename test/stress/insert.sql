-- one letter, created up to 10 days ago (so that many are past their deadline)
\set b random(0, 7)
\set age random(0, 14400)
\set p random(0, 49)
INSERT INTO stress.letters (body, created, practice, kind)
SELECT b.body || ' (' || :age || ')', now() - :age * interval '1 minute', 'A8' || lpad(:p::text, 4, '0'), b.kind
  FROM stress.bodies b WHERE b.n = :b;
