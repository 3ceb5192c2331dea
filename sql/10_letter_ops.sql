SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;
SET search_path = letters_triage, public;
SET TimeZone = 'UTC';

CREATE TABLE lt_ops (id int, l letter);
INSERT INTO lt_ops VALUES
  (1, E'Dated: 2024-07-02\nLetter-Id: B\n\nsecond day'),
  (2, E'Dated: 2024-07-01T23:30:00Z\nLetter-Id: Z\n\nlate on the first'),
  (3, E'Dated: 2024-07-01 09:00\nLetter-Id: B\n\nmorning'),
  (4, E'Dated: 2024-07-01 09:00\nLetter-Id: A\n\nmorning, id A'),
  (5, E'Dated: 2024-07-01 09:00\n\nmorning, no id'),
  (6, E'Dated: 2024-07-01T08:00Z\nLetter-Id: A\n\nsame instant as 3-5 in London'),
  (7, E'Dated: not a date\nLetter-Id: A\n\nundated'),
  (8, E'Letter-Id: A\n\nundated, b'),
  (9, E'Letter-Id: A\n\nundated, a'),
  (10, 'no headers at all'),
  (11, E'Letter-Id: A\n\nundated, a'),
  (12, E'Letter-Id: A\nX-Extra: 1\n\nundated, a');

-- The btree order: the texts under the collation, as text's (the database's
-- here, C.UTF-8: bytewise), whatever their headers say.
SELECT id, dated(l), letter_id(l), body(l) FROM lt_ops ORDER BY l, id;
SELECT id FROM lt_ops ORDER BY l DESC, id;
-- The order is the order of the texts, under the same collation.
SELECT array_agg(id ORDER BY l, id) = array_agg(id ORDER BY l::text, id) AS same_as_text,
       array_agg(id ORDER BY l COLLATE "C", id) = array_agg(id ORDER BY l::text COLLATE "C", id) AS same_under_c,
       array_agg(id ORDER BY l COLLATE "und-x-icu", id) = array_agg(id ORDER BY l::text COLLATE "und-x-icu", id) AS same_under_icu
  FROM lt_ops;
SELECT min(id), count(*) FROM lt_ops GROUP BY l HAVING count(*) > 1;

-- Operators agree with letter_cmp, and only equal letters compare equal.
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (a.l < b.l) = (letter_cmp(a.l, b.l) < 0)) AS lt_ok,
       count(*) FILTER (WHERE (a.l <= b.l) = (letter_cmp(a.l, b.l) <= 0)) AS le_ok,
       count(*) FILTER (WHERE (a.l > b.l) = (letter_cmp(a.l, b.l) > 0)) AS gt_ok,
       count(*) FILTER (WHERE (a.l >= b.l) = (letter_cmp(a.l, b.l) >= 0)) AS ge_ok,
       count(*) FILTER (WHERE (a.l = b.l) = (letter_cmp(a.l, b.l) = 0)) AS eq_ok,
       count(*) FILTER (WHERE (a.l <> b.l) = (letter_cmp(a.l, b.l) <> 0)) AS ne_ok,
       count(*) FILTER (WHERE letter_cmp(a.l, b.l) = -letter_cmp(b.l, a.l)) AS antisymmetric,
       count(*) FILTER (WHERE (a.l = b.l) = (a.l::text = b.l::text)) AS eq_is_same_text
  FROM lt_ops a, lt_ops b;

-- Hashing: equal letters hash alike; DISTINCT, GROUP BY and hash joins work.
SELECT count(*) AS hash_consistent FROM lt_ops a JOIN lt_ops b ON a.l = b.l
 WHERE letter_hash(a.l) = letter_hash(b.l)
   AND letter_hash_extended(a.l, 42) = letter_hash_extended(b.l, 42);
SELECT letter_hash_extended(l, 0) = letter_hash(l)::bigint & x'ffffffff'::bigint OR true AS callable
  FROM lt_ops LIMIT 1;
SELECT count(DISTINCT l) AS distinct_letters FROM lt_ops;
SET enable_sort = off;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT l, count(*) FROM lt_ops GROUP BY l;
SELECT count(*) AS groups FROM (SELECT l, count(*) FROM lt_ops GROUP BY l) g;
EXPLAIN (COSTS OFF) SELECT a.id, b.id FROM lt_ops a JOIN lt_ops b ON a.l = b.l AND a.id < b.id;
SELECT a.id, b.id FROM lt_ops a JOIN lt_ops b ON a.l = b.l AND a.id < b.id;
RESET enable_sort;
RESET enable_mergejoin;
RESET enable_nestloop;

-- Indexes: btree (ordered scans, uniqueness) and hash.
CREATE INDEX lt_ops_btree ON lt_ops (l);
CREATE INDEX lt_ops_hash ON lt_ops USING hash (l);
SET enable_seqscan = off;
SELECT id FROM lt_ops WHERE l = E'Letter-Id: A\n\nundated, a'::letter ORDER BY id;
SELECT id FROM lt_ops WHERE l < E'Dated: 2024-07-01T12:00Z\n\n'::letter ORDER BY l;
RESET enable_seqscan;
CREATE UNIQUE INDEX ON lt_ops (l);
DELETE FROM lt_ops WHERE id = 11;
CREATE UNIQUE INDEX lt_ops_unique ON lt_ops (l);
-- the same parsed view, another text: a different letter
INSERT INTO lt_ops VALUES (13, E'letter-id:A\n\nundated, a');
INSERT INTO lt_ops VALUES (14, E'Letter-Id: A\n\nundated, a');
DELETE FROM lt_ops WHERE id = 13;

-- The operator classes pass the catalog checks.
SELECT opcname, amname, amvalidate(c.oid)
  FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
 WHERE opcnamespace = 'letters_triage'::regnamespace ORDER BY amname;

-- COPY BINARY round trip (server-side files, in the data directory).
CREATE FUNCTION pg_temp.copy_binary(tbl regclass, file text, direction text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY %s %s %L (FORMAT binary)', tbl, direction,
                   current_setting('data_directory') || '/' || file);
END $$;
SELECT pg_temp.copy_binary('lt_ops', 'lt_letter_copy.bin', 'TO');
CREATE TABLE lt_ops_back (id int, l letter);
SELECT pg_temp.copy_binary('lt_ops_back', 'lt_letter_copy.bin', 'FROM');
SELECT count(*) AS rows, count(*) FILTER (WHERE a.l = b.l) AS identical
  FROM lt_ops a JOIN lt_ops_back b USING (id);
SELECT letter_send(E'Kind: death\n\nb'::letter), textsend(E'Kind: death\n\nb') AS textsend;

-- Binary input: text's format (any text, even one starting with the bytes
-- 1 or 2), or format 1 of earlier builds (1, then a NUL byte: no text);
-- malformed input is refused.  The bytes of a bytea column read back as a letter.
CREATE TABLE lt_raw (b bytea);
CREATE TABLE lt_in (l letter);
CREATE FUNCTION pg_temp.recv_bytes(bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE lt_raw, lt_in;
    INSERT INTO lt_raw VALUES (bytes);
    PERFORM pg_temp.copy_binary('lt_raw', 'lt_letter_raw.bin', 'TO');
    PERFORM pg_temp.copy_binary('lt_in', 'lt_letter_raw.bin', 'FROM');
    RETURN 'accepted: ' || (SELECT replace(replace(l::text, E'\x01', '<SOH>'), E'\x02', '<STX>') FROM lt_in);
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT what, pg_temp.recv_bytes(bytes)
  FROM (VALUES ('text', convert_to(E'subject:  x\r\n\r\nb', 'UTF8')),
               ('text starting with STX', '\x02'::bytea || convert_to(E'subject:  x\r\n\r\nb', 'UTF8')),
               ('STX alone', '\x02'::bytea),
               ('SOH alone', '\x01'::bytea),
               ('SOH, then text', '\x0162'::bytea),
               ('invalid UTF-8 after STX', '\x026280'::bytea),
               ('NUL after STX', '\x026200'::bytea),
               ('valid (1)', '\x01000000010000000153000000017800000001'::bytea || '\x62'::bytea),
               ('valid, no headers', '\x010000000000000002'::bytea || 'hi'::bytea),
               ('empty', ''::bytea),
               ('version 3', '\x03000000000000000162'::bytea),
               ('version 0', '\x00000000000000000162'::bytea),
               ('truncated count', '\x010000'::bytea),
               ('negative count', '\x01ffffffff0000000162'::bytea),
               ('huge count', '\x017fffffff0000000162'::bytea),
               ('name past the end', '\x01000000010000ffff5300000000000000'::bytea),
               ('negative length', '\x0100000000ffffffff'::bytea),
               ('body past the end', '\x01000000000000000a62'::bytea),
               ('extra data', '\x01000000000000000162ff'::bytea),
               ('missing body', '\x0100000000'::bytea),
               ('invalid UTF-8', '\x0100000000000000026280'::bytea),
               ('NUL in body', '\x0100000000000000026200'::bytea),
               ('bad name', '\x01000000010000000120000000017800000001'::bytea || '\x62'::bytea),
               ('empty name', '\x010000000100000000000000017800000001'::bytea || '\x62'::bytea),
               ('LF in value', '\x0100000001000000015300000001'::bytea || '\x0a00000001'::bytea || '\x62'::bytea),
               ('value starts blank', '\x0100000001000000015300000002'::bytea || '\x2078'::bytea || '\x0000000162'::bytea),
               ('name of 201 bytes', '\x0100000001000000c9'::bytea || convert_to(repeat('a', 201), 'UTF8') || '\x0000000000000000'::bytea)) AS v(what, bytes);
DROP TABLE lt_raw, lt_in, lt_ops_back, lt_ops;

-- Huge values: 10 MB bodies, with and without headers, through every path.
CREATE TABLE lt_big (l letter);
INSERT INTO lt_big VALUES (repeat(E'0123456789abcdef\n', 640 * 1024 / 17 * 16 + 1)),
                          (E'Kind: death\nSubject: big\n\n' || repeat('x', 10 * 1024 * 1024));
SELECT length(body(l)), kind(l), l::text::letter = l AS round_trip, l::jsonb::letter = l AS jsonb_round_trip,
       pg_column_size(l) < 1024 * 1024 AS compressed
  FROM lt_big ORDER BY 1;
SELECT length(body(letter(repeat('y', 10 * 1024 * 1024), subject => repeat('s', 1024 * 1024)))),
       length(subject(letter('b', subject => repeat('s', 1024 * 1024))));
-- Ten thousand header lines.
SELECT count(*) FROM headers((SELECT string_agg('X-H' || i || ': v' || i, E'\n') || E'\n\nbody'
                                FROM generate_series(1, 10000) i)::letter);
SELECT pg_temp.copy_binary('lt_big', 'lt_letter_big.bin', 'TO');
TRUNCATE lt_big;
SELECT pg_temp.copy_binary('lt_big', 'lt_letter_big.bin', 'FROM');
SELECT count(*), sum(length(body(l))) FROM lt_big;
DROP TABLE lt_big;
