-- Converting existing columns to letter: collations, binary COPY and binary
-- results, char(n) and varchar(n), pattern-operator indexes, and the
-- expressions whose type follows the column's.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;

-- Texts whose order depends on the collation (bytewise: capitals first).
CREATE TABLE lt_cv_texts (id int, t text);
INSERT INTO lt_cv_texts VALUES
  (1, 'apple'), (2, 'Banana'), (3, 'cherry'), (4, 'Apple'), (5, 'banana'),
  (6, E'Kind: death\n\nb'), (7, 'ábc'), (8, 'abd'), (9, '');

-- COLLATE on a letter column or expression, as on text.
CREATE TABLE lt_cv (id int, body text COLLATE "und-x-icu");
INSERT INTO lt_cv SELECT * FROM lt_cv_texts;
CREATE INDEX lt_cv_body ON lt_cv (body);
CREATE TEMP TABLE lt_cv_order AS
  SELECT array_agg(id ORDER BY body, id) AS by_column,
         array_agg(id ORDER BY body COLLATE "C", id) AS by_c,
         array_agg(id ORDER BY body COLLATE "und-x-icu" DESC, id) AS by_icu_desc
    FROM lt_cv;
SELECT by_column <> by_c AS orders_differ FROM lt_cv_order;
-- keeping the column's collation, as ALTER ... TYPE text COLLATE ... would
ALTER TABLE lt_cv ALTER COLUMN body TYPE letters_triage.letter COLLATE "und-x-icu";
SELECT format_type(atttypid, atttypmod) AS type, collname
  FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
 WHERE attrelid = 'lt_cv'::regclass AND attname = 'body';
SELECT o.by_column = array_agg(id ORDER BY body, id) AS same_order,
       o.by_c = array_agg(id ORDER BY body COLLATE "C", id) AS same_c_order,
       o.by_icu_desc = array_agg(id ORDER BY body COLLATE "und-x-icu" DESC, id) AS same_icu_desc
  FROM lt_cv, lt_cv_order o GROUP BY o.by_column, o.by_c, o.by_icu_desc;
-- the rebuilt index follows the collation and serves ORDER BY body
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM lt_cv ORDER BY body;
SELECT array_agg(id) = (SELECT by_column FROM lt_cv_order) AS index_order
  FROM (SELECT id FROM lt_cv ORDER BY body) s;
SELECT id FROM lt_cv WHERE body > 'b' AND body < 'c' ORDER BY body;
RESET enable_seqscan;
RESET enable_bitmapscan;
-- comparisons with a COLLATE clause; conflicting implicit collations need one
SELECT 'a'::letters_triage.letter < 'B'::letters_triage.letter COLLATE "C" AS c_lt,
       'a'::letters_triage.letter COLLATE "und-x-icu" < 'B'::letters_triage.letter AS icu_lt,
       max(body COLLATE "C") AS max_c, max(body) AS max_icu FROM lt_cv;
CREATE TABLE lt_cv_c (body letters_triage.letter COLLATE "C");
INSERT INTO lt_cv_c VALUES ('apple');
SELECT count(*) FROM lt_cv a JOIN lt_cv_c b ON a.body < b.body;
SELECT count(*) FROM lt_cv a JOIN lt_cv_c b ON a.body COLLATE "C" < b.body;
-- without COLLATE, the column takes the type's default (the database's), as for text
CREATE TABLE lt_cv_default (body text COLLATE "C");
ALTER TABLE lt_cv_default ALTER COLUMN body TYPE letters_triage.letter;
SELECT collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
 WHERE attrelid = 'lt_cv_default'::regclass AND attname = 'body';
DROP TABLE lt_cv_default, lt_cv_c;

-- A nondeterministic collation: = and hashing follow it, as for text.
CREATE COLLATION lt_cv_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE lt_cv_ci_t (id int, body letters_triage.letter COLLATE lt_cv_ci, t text COLLATE lt_cv_ci);
INSERT INTO lt_cv_ci_t SELECT id, t, t FROM lt_cv_texts;
SELECT (SELECT array_agg(a.id || '=' || b.id ORDER BY a.id, b.id) FROM lt_cv_ci_t a JOIN lt_cv_ci_t b
          ON a.body = b.body AND a.id < b.id) AS letter_pairs,
       (SELECT array_agg(a.id || '=' || b.id ORDER BY a.id, b.id) FROM lt_cv_ci_t a JOIN lt_cv_ci_t b
          ON a.t = b.t AND a.id < b.id) AS text_pairs;
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT count(*) AS hash_join_pairs FROM lt_cv_ci_t a JOIN lt_cv_ci_t b ON a.body = b.body AND a.id < b.id;
RESET enable_mergejoin;
RESET enable_nestloop;
SELECT count(DISTINCT body) AS letters, count(DISTINCT t) AS texts FROM lt_cv_ci_t;
SELECT count(*) AS hash_consistent FROM lt_cv_ci_t a JOIN lt_cv_ci_t b ON a.body = b.body
 WHERE letters_triage.letter_hash(a.body) = letters_triage.letter_hash(b.body)
   AND letters_triage.letter_hash_extended(a.body, 7) = letters_triage.letter_hash_extended(b.body, 7);
-- a unique index refuses what the collation calls equal, as on text
DELETE FROM lt_cv_ci_t WHERE id IN (4, 5);
CREATE UNIQUE INDEX ON lt_cv_ci_t (body);
INSERT INTO lt_cv_ci_t VALUES (20, 'APPLE', 'APPLE');
DROP TABLE lt_cv_ci_t;
DROP COLLATION lt_cv_ci;

-- Binary COPY: a text column's binary dump loads into a letter column and
-- back; the binary form is text's.
CREATE FUNCTION pg_temp.copy_binary(tbl regclass, file text, direction text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY %s %s %L (FORMAT binary)', tbl, direction,
                   current_setting('data_directory') || '/' || file);
END $$;
INSERT INTO lt_cv_texts VALUES (10, E'\x01leading SOH'), (11, E'\x02leading STX'),
  (12, E'subject:  x\r\nKIND: death\r\n\r\nCRLF'), (13, E'\x01');
SELECT pg_temp.copy_binary('lt_cv_texts', 'lt_cv_text.bin', 'TO');
CREATE TABLE lt_cv_bin (id int, l letters_triage.letter);
SELECT pg_temp.copy_binary('lt_cv_bin', 'lt_cv_text.bin', 'FROM');
SELECT count(*) AS loaded, count(*) FILTER (WHERE l::text = t) AS kept
  FROM lt_cv_bin JOIN lt_cv_texts USING (id);
SELECT count(*) AS same_as_textsend FROM lt_cv_bin JOIN lt_cv_texts USING (id)
 WHERE letters_triage.letter_send(l) = textsend(t);
SELECT pg_temp.copy_binary('lt_cv_bin', 'lt_cv_letter.bin', 'TO');
CREATE TABLE lt_cv_back (id int, t text);
SELECT pg_temp.copy_binary('lt_cv_back', 'lt_cv_letter.bin', 'FROM');
SELECT count(*) AS back_as_text FROM lt_cv_back b JOIN lt_cv_texts t USING (id) WHERE b.t = t.t;
-- receiving checks every byte, with text's SQLSTATE
CREATE TABLE lt_cv_raw (b bytea);
CREATE FUNCTION pg_temp.recv_as(bytes bytea, tbl regclass) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE lt_cv_raw;
    EXECUTE format('TRUNCATE %s', tbl);
    INSERT INTO lt_cv_raw VALUES (bytes);
    PERFORM pg_temp.copy_binary('lt_cv_raw', 'lt_cv_raw.bin', 'TO');
    PERFORM pg_temp.copy_binary(tbl, 'lt_cv_raw.bin', 'FROM');
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
CREATE TABLE lt_cv_in_letter (l letters_triage.letter);
CREATE TABLE lt_cv_in_text (t text);
SELECT what, pg_temp.recv_as(bytes, 'lt_cv_in_letter') AS letter, pg_temp.recv_as(bytes, 'lt_cv_in_text') AS text
  FROM (VALUES ('valid', convert_to('Kind: death', 'UTF8')), ('empty', ''::bytea),
               ('invalid UTF-8', '\x6280'::bytea), ('NUL', '\x6200'::bytea),
               ('NUL first', '\x0062'::bytea), ('1 then NUL', '\x0100'::bytea)) AS v(what, bytes);
DROP TABLE lt_cv_raw, lt_cv_in_letter, lt_cv_in_text, lt_cv_bin, lt_cv_back;

-- char(n) and varchar(n): converted as to text (char(n) loses its padding).
CREATE TABLE lt_cv_ch (id int, c char(8), v varchar(12));
INSERT INTO lt_cv_ch VALUES (1, 'ab', 'ab  '), (2, '', ''), (3, E'K: v\n\nb', 'x'), (4, NULL, NULL);
CREATE TABLE lt_cv_ch_text AS SELECT * FROM lt_cv_ch;
ALTER TABLE lt_cv_ch_text ALTER COLUMN c TYPE text, ALTER COLUMN v TYPE text;
ALTER TABLE lt_cv_ch ALTER COLUMN c TYPE letters_triage.letter, ALTER COLUMN v TYPE letters_triage.letter;
SELECT a.id, a.c::text AS c, a.c::text IS NOT DISTINCT FROM b.c AS c_as_text,
       a.v::text AS v, a.v::text IS NOT DISTINCT FROM b.v AS v_as_text
  FROM lt_cv_ch a JOIN lt_cv_ch_text b USING (id) ORDER BY id;
SELECT 'ab '::char(6)::letters_triage.letter::text || '|' AS cast_from_char;
INSERT INTO lt_cv_ch (id, c) VALUES (5, 'xy   '::char(5));
SELECT c::text || '|' AS assigned_from_char FROM lt_cv_ch WHERE id = 5;
-- and back: char(n) pads again, as from text
ALTER TABLE lt_cv_ch ALTER COLUMN c TYPE char(8);
SELECT id, octet_length(c) AS padded_length FROM lt_cv_ch WHERE id IN (1, 5) ORDER BY id;
DROP TABLE lt_cv_ch, lt_cv_ch_text;

-- An index with text_pattern_ops on the column: the ALTER fails; the
-- steps that work: drop it, convert, index the text of the letter (which
-- is what LIKE on a letter column compares).
CREATE TABLE lt_cv_pat (id int, body text, v varchar(40));
INSERT INTO lt_cv_pat SELECT id, t, t FROM lt_cv_texts;
CREATE INDEX lt_cv_pat_body ON lt_cv_pat (body text_pattern_ops);
CREATE INDEX lt_cv_pat_v ON lt_cv_pat (v varchar_pattern_ops);
ALTER TABLE lt_cv_pat ALTER COLUMN body TYPE letters_triage.letter;
ALTER TABLE lt_cv_pat ALTER COLUMN v TYPE letters_triage.letter;
BEGIN;
DROP INDEX lt_cv_pat_body, lt_cv_pat_v;
ALTER TABLE lt_cv_pat ALTER COLUMN body TYPE letters_triage.letter,
                      ALTER COLUMN v TYPE letters_triage.letter;
CREATE INDEX lt_cv_pat_body ON lt_cv_pat ((body::text) text_pattern_ops);
CREATE INDEX lt_cv_pat_v ON lt_cv_pat ((v::text) text_pattern_ops);
COMMIT;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM lt_cv_pat WHERE body LIKE 'ban%';
SELECT id FROM lt_cv_pat WHERE body LIKE 'ban%' ORDER BY id;
EXPLAIN (COSTS OFF) SELECT id FROM lt_cv_pat WHERE v LIKE 'App%';
SELECT id FROM lt_cv_pat WHERE v LIKE 'App%' ORDER BY id;
RESET enable_seqscan;
DROP TABLE lt_cv_pat;

-- An index on the letter column (the converted text index) serves ORDER BY
-- body and comparisons of letters; an application's comparison with text or
-- an untyped parameter (body = $1, without the extension's schema on the
-- search_path) compares texts, which an index on the letter's text serves.
CREATE TABLE lt_cv_idx (id int, body text);
INSERT INTO lt_cv_idx SELECT i, 'letter ' || i FROM generate_series(1, 1000) i;
CREATE INDEX lt_cv_idx_body ON lt_cv_idx (body);
ALTER TABLE lt_cv_idx ALTER COLUMN body TYPE letters_triage.letter;
ANALYZE lt_cv_idx;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM lt_cv_idx ORDER BY body LIMIT 3;
PREPARE lt_cv_q(text) AS SELECT id FROM lt_cv_idx WHERE body = $1;
CREATE FUNCTION pg_temp.uses_an_index(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        IF line ~ 'Index' THEN RETURN true; END IF;
    END LOOP;
    RETURN false;
END $$;
SELECT pg_temp.uses_an_index($$EXECUTE lt_cv_q('letter 7')$$) AS letter_index_serves_text_equality;
CREATE INDEX lt_cv_idx_text ON lt_cv_idx ((body::text));
EXPLAIN (COSTS OFF) EXECUTE lt_cv_q('letter 7');
EXECUTE lt_cv_q('letter 7');
EXPLAIN (COSTS OFF) SELECT id FROM lt_cv_idx WHERE body = 'letter 8';
RESET enable_seqscan;
RESET enable_bitmapscan;
DEALLOCATE lt_cv_q;
DROP TABLE lt_cv_idx;

-- Expressions whose type follows the column's.
CREATE TABLE lt_cv_e (id int, body letters_triage.letter);
INSERT INTO lt_cv_e SELECT id, t FROM lt_cv_texts WHERE id IN (1, 2, 6);
-- array_agg and ARRAY[] are letter[]; a letter[] becomes text[] implicitly
-- where text[] is wanted, and by a cast
SELECT pg_typeof(array_agg(body)) AS agg_type FROM lt_cv_e;
SELECT pg_typeof(ARRAY[body]) AS array_type FROM lt_cv_e WHERE id = 1;
SELECT array_agg(body ORDER BY id)::text[] AS as_text_array FROM lt_cv_e;
SELECT array_to_string(array_agg(body ORDER BY id), '|') AS joined FROM lt_cv_e;
CREATE FUNCTION pg_temp.n_texts(a text[]) RETURNS int LANGUAGE sql AS 'SELECT cardinality(a)';
SELECT pg_temp.n_texts(array_agg(body)) AS implicit_to_text_array FROM lt_cv_e;
-- but a polymorphic operator does not convert it: cast
SELECT (SELECT array_agg(body ORDER BY id) FROM lt_cv_e) = ARRAY['apple', 'Banana', E'Kind: death\n\nb'] AS compares_with_text_array;
SELECT (SELECT array_agg(body ORDER BY id)::text[] FROM lt_cv_e) = ARRAY['apple', 'Banana', E'Kind: death\n\nb'] AS cast_compares_with_text_array;
-- COALESCE and CASE with a literal give a letter, with text give text
SELECT pg_typeof(coalesce(body, 'x')) AS with_literal, pg_typeof(coalesce(body, 'x'::text)) AS with_text,
       pg_typeof(CASE WHEN id > 1 THEN body ELSE 'x' END) AS case_literal
  FROM lt_cv_e WHERE id = 1;
-- PL/pgSQL RETURN QUERY needs the declared types: cast in the query
CREATE FUNCTION pg_temp.bodies() RETURNS TABLE (b text) LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY SELECT body FROM lt_cv_e ORDER BY id; END $$;
-- (terse: the error's detail is worded differently from PostgreSQL 18 on)
\set VERBOSITY terse
SELECT * FROM pg_temp.bodies();
\set VERBOSITY default
CREATE FUNCTION pg_temp.bodies_cast() RETURNS TABLE (b text) LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY SELECT body::text FROM lt_cv_e ORDER BY id; END $$;
SELECT * FROM pg_temp.bodies_cast();
-- a SQL function returning text is fine (its result is coerced)
CREATE FUNCTION pg_temp.bodies_sql() RETURNS SETOF text LANGUAGE sql AS 'SELECT body FROM lt_cv_e ORDER BY id';
SELECT * FROM pg_temp.bodies_sql();
DROP TABLE lt_cv_e, lt_cv, lt_cv_texts;
