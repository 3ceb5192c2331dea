-- a batch of 50 letters in one statement
\set p random(0, 49)
INSERT INTO stress.letters (body, created, practice, kind)
SELECT b.body, now() - (i * 37 % 14400) * interval '1 minute', 'A8' || lpad(((:p + i) % 50)::text, 4, '0'), b.kind
  FROM generate_series(1, 50) i JOIN stress.bodies b ON b.n = i % 8;
