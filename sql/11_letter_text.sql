-- The letter type as a drop-in for text: the text is kept byte for byte,
-- text operations work on a letter column for a role that has no USAGE on
-- the extension's schema and the default search_path, and the extension's
-- own overloaded functions stay unambiguous.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- Texts an application may write: headers in any order and spelling, blanks
-- after the colon, continuation lines, CRLF, a leading blank line before a
-- header block, no headers, empty.
CREATE TABLE lt_texts (id int, t text);
INSERT INTO lt_texts VALUES
  (1, E'subject: Review\nKIND:   discharge\nTo: g82001  \nX-Ward: 7\n\nDear Dr Smith,\r\nplease review.'),
  (2, E'Subject: a long\n  subject, continued\n\tand again\nKind: death\n\nbody'),
  (3, E'Kind: outpatient\r\nTo: G82001\r\n\r\nCRLF letter\r\n'),
  (4, E'\nKind: death\n\nnot a header block: a leading blank line'),
  (5, E'\n\nKind: death\n\ntwo leading blank lines'),
  (6, 'no headers at all'),
  (7, ''),
  (8, E'Dated: 2024-07-01 09:00\nLetter-Id: B\nNHS-Number: 943 476 5919\n\nmorning'),
  (9, E'Kind:\n\nempty value'),
  (10, E'Name: value\nnot a header line\n\nso no header block'),
  (11, E'Kind: death\rlone CR\n\nno header block either'),
  (12, E'\r\nKind: death\n\na CRLF blank line before a header block');

-- Output is the input, byte for byte, for every value; the parsed view is
-- unchanged; canonical() gives the canonical text, which reads back to the
-- same parsed view.
SELECT id, t::letters_triage.letter::text = t AS kept,
       letters_triage.kind(t::letters_triage.letter) AS kind,
       letters_triage.subject(t::letters_triage.letter) AS subject,
       letters_triage.recipient(t::letters_triage.letter) AS recipient,
       letters_triage.problems(t::letters_triage.letter) AS problems,
       length(letters_triage.body(t::letters_triage.letter)) AS body_len
  FROM lt_texts ORDER BY id;
SELECT id, letters_triage.canonical(t::letters_triage.letter) AS canonical
  FROM lt_texts WHERE id IN (1, 2, 3, 4) ORDER BY id;
SELECT count(*) AS same_view_from_canonical FROM lt_texts,
       LATERAL (SELECT t::letters_triage.letter AS a,
                       letters_triage.canonical(t::letters_triage.letter)::letters_triage.letter AS c) x
 WHERE letters_triage.letter_to_jsonb(a) = letters_triage.letter_to_jsonb(c)
   AND letters_triage.problems(a) = letters_triage.problems(c)
   AND letters_triage.dated(a) IS NOT DISTINCT FROM letters_triage.dated(c);
-- Built from parts: the text is the canonical text.
SELECT letters_triage.letter(body => 'Dear Dr', kind => 'death', recipient => 'G82001')::text AS built;
SELECT letters_triage.letter_from_jsonb('{"headers": [["kind", "death"]], "body": "x"}')::text AS from_jsonb;
-- A jsonb value cast to a letter is its text, as it would be stored in a text column.
SELECT ('{"headers": [["kind", "death"]], "body": "x"}'::jsonb)::letters_triage.letter::text AS jsonb_as_text;

-- The binary form is text's (and format 1 of earlier builds still reads).
CREATE TABLE lt_bin AS SELECT id, t::letters_triage.letter AS l FROM lt_texts;
SELECT count(*) AS binary_kept FROM lt_bin b JOIN lt_texts t USING (id)
 WHERE letters_triage.letter_send(b.l) = textsend(t.t);

-- =, hashing and ordering compare the text, as text does under the same
-- collation (the database's here, C.UTF-8: bytewise).
SELECT a.id, b.id FROM lt_bin a JOIN lt_bin b ON a.l = b.l AND a.id < b.id;
SELECT (E'Kind: death\nTo: G82001\n\nx'::letters_triage.letter OPERATOR(letters_triage.=)
        E'To: G82001\nKind: death\n\nx'::letters_triage.letter) AS reordered_headers_equal;
SELECT array_agg(id ORDER BY l, id) = array_agg(id ORDER BY t, id) AS order_is_text_order,
       array_agg(id ORDER BY l COLLATE "C", id) = array_agg(id ORDER BY t COLLATE "C", id) AS c_order_is_text_c_order
  FROM lt_bin JOIN lt_texts USING (id);
SELECT count(*) AS hash_consistent FROM lt_bin a JOIN lt_texts b ON a.l::text = b.t
 WHERE letters_triage.letter_hash(a.l) = letters_triage.letter_hash(b.t::letters_triage.letter);

-- An application role: owns its table, no USAGE on letters_triage, default search_path.
CREATE ROLE lt_text_app NOSUPERUSER;
CREATE TABLE lt_app_letters (id int PRIMARY KEY, body letters_triage.letter, note varchar(40));
ALTER TABLE lt_app_letters OWNER TO lt_text_app;
GRANT SELECT ON lt_texts TO lt_text_app;
SET ROLE lt_text_app;
SHOW search_path;
INSERT INTO lt_app_letters SELECT id, t, 'v' || id FROM lt_texts;
PREPARE by_unknown AS SELECT id FROM lt_app_letters WHERE body = $1 ORDER BY id;
EXECUTE by_unknown('no headers at all');
PREPARE by_text(text) AS SELECT id FROM lt_app_letters WHERE body = $1 ORDER BY id;
EXECUTE by_text(E'Kind: outpatient\r\nTo: G82001\r\n\r\nCRLF letter\r\n');
PREPARE by_varchar(varchar) AS SELECT id FROM lt_app_letters WHERE body = $1 ORDER BY id;
EXECUTE by_varchar(E'subject: Review\nKIND:   discharge\nTo: g82001  \nX-Ward: 7\n\nDear Dr Smith,\r\nplease review.');
PREPARE upd(text, int) AS UPDATE lt_app_letters SET body = $1 WHERE id = $2 RETURNING body;
EXECUTE upd(E'kind:  death\n\nupdated', 7);
SELECT id FROM lt_app_letters WHERE body <> 'no headers at all' AND id > 9 ORDER BY id;
SELECT id FROM lt_app_letters WHERE body LIKE 'Kind:%' ORDER BY id;
SELECT id FROM lt_app_letters WHERE body ILIKE '%DEATH%' ORDER BY id;
SELECT id FROM lt_app_letters WHERE body ~ '^[Ss]ubject' ORDER BY id;
SELECT id FROM lt_app_letters WHERE body ~* 'crlf' ORDER BY id;
SELECT id FROM lt_app_letters WHERE body SIMILAR TO '%(death|Death)%' ORDER BY id;
SELECT id, lower(body) = lower(t) AS lower_ok, length(body) = length(t) AS length_ok,
       left(body, 8) AS left8, position('Kind' in body) AS pos,
       (body || '!') = (t || '!') AS concat_ok, upper(body) = upper(t) AS upper_ok,
       md5(body) = md5(t) AS md5_ok, body::text = t AS cast_ok
  FROM lt_app_letters JOIN lt_texts USING (id) WHERE id <> 7 ORDER BY id;
SELECT id FROM lt_app_letters WHERE to_tsvector('english', body) @@ to_tsquery('english', 'review') ORDER BY id;
SELECT id FROM lt_app_letters WHERE to_tsvector(body) @@ plainto_tsquery('please') ORDER BY id;
SELECT id FROM lt_app_letters WHERE body = note OR body IN ('', 'no headers at all') ORDER BY id;
SELECT coalesce(body, note) AS c FROM lt_app_letters WHERE id = 6;
SELECT body FROM lt_app_letters WHERE id = 6 UNION ALL SELECT 'text'::text;
SELECT a.id, b.id FROM lt_app_letters a JOIN lt_app_letters b ON a.body = b.body AND a.id < b.id;
SELECT count(DISTINCT body) AS distinct_bodies FROM lt_app_letters;
SELECT string_agg(body, '|' ORDER BY id) = string_agg(t, '|' ORDER BY id) AS agg_ok
  FROM lt_app_letters JOIN lt_texts USING (id) WHERE id <> 7;
SELECT id, body FROM lt_app_letters WHERE id IN (3, 4, 6) ORDER BY id;
INSERT INTO lt_app_letters VALUES (20, 'typed '::varchar || 'varchar', 'n');
COPY lt_app_letters (id, body, note) FROM stdin;
21	Kind: death\r\nsubject:  x\n\ncopied	c
\.
SELECT id, body::text = E'Kind: death\r\nsubject:  x\n\ncopied' AS copy_kept FROM lt_app_letters WHERE id = 21;
DEALLOCATE ALL;
RESET ROLE;
DROP TABLE lt_app_letters;
REVOKE SELECT ON lt_texts FROM lt_text_app;
DROP ROLE lt_text_app;

-- Converting a text column to letter and back keeps every text.
CREATE TABLE lt_conv AS SELECT id, t AS body FROM lt_texts;
ALTER TABLE lt_conv ALTER COLUMN body TYPE letters_triage.letter;
SELECT count(*) AS kept_as_letter FROM lt_conv JOIN lt_texts USING (id) WHERE body = t;
ALTER TABLE lt_conv ALTER COLUMN body TYPE text;
SELECT count(*) AS kept_back_as_text FROM lt_conv JOIN lt_texts USING (id) WHERE body = t AND pg_typeof(body) = 'text'::regtype;
DROP TABLE lt_conv;

-- No ambiguity for the extension's overloaded functions: a literal, text or
-- varchar goes to the text variant, a letter to the letter variant.
SET search_path = letters_triage, public;
SELECT p.proname, count(*) AS variants FROM pg_proc p
 WHERE p.pronamespace = 'letters_triage'::regnamespace
   AND EXISTS (SELECT FROM pg_proc q WHERE q.pronamespace = p.pronamespace AND q.proname = p.proname
                  AND q.oid <> p.oid)
 GROUP BY p.proname ORDER BY p.proname;
SELECT urgency(classify('Please stop ramipril today')) AS from_unknown,
       urgency(classify('Please stop ramipril today'::text)) AS from_text,
       urgency(classify('Please stop ramipril today'::varchar)) AS from_varchar,
       urgency(classify(E'Kind: death\n\nPlease stop ramipril today'::letter)) AS from_letter,
       urgency(classify(E'Kind: death\n\nPlease stop ramipril today')) AS literal_is_text;
SELECT nhs_number('943 476 5919') AS from_unknown, nhs_number('943 476 5919'::varchar) AS from_varchar,
       nhs_number(E'NHS-Number: 943 476 5919\n\nx'::letter) AS from_letter;
SELECT pg_typeof(E'Kind: death\n\nx'::letter || 'y') AS concat_type,
       pg_typeof(coalesce(NULL::letter, 'x'::text)) AS coalesce_type;
RESET search_path;

-- A letter is triaged as its text is: a deadline written as a date counts
-- from the letter's Dated line (two days after it: urgent), as a letter, as
-- text, and in a watched table's letter column, whatever the session's
-- DateStyle and TimeZone: the Dated line's date as written (10 June, for a
-- time of 23:30 UTC that is 11 June in London and 10 June in New York).
CREATE TEMP TABLE lt_dated (id int, t text);
INSERT INTO lt_dated VALUES
 (1, E'Letter-Id: D-1\nDated: 2025-03-12 17:45\n\nSmall pneumothorax. Please arrange a repeat chest X-ray no later than 14/03/2025.'),
 (2, E'Letter-Id: D-2\nDated: 2025-06-10T23:30:00Z\n\nPlease review her bloods no later than 11/06/2025.');
SELECT id, letters_triage.urgency(t) AS as_text, letters_triage.urgency(t::letters_triage.letter) AS as_letter
  FROM lt_dated ORDER BY id;
SELECT e.pattern, e.matched FROM lt_dated, letters_triage.evidence(t::letters_triage.letter) e
 WHERE e.source = 'time frame' AND id = 1;
SET datestyle = 'SQL, MDY';
SET timezone = 'America/New_York';
CREATE TABLE lt_dated_watch (id int PRIMARY KEY, body letters_triage.letter, created_at timestamptz DEFAULT now(),
                             sent_at timestamptz);
SELECT letters_triage.watch('lt_dated_watch', body => 'body', created => 'created_at', sent => 'sent_at');
INSERT INTO lt_dated_watch (id, body) SELECT id, t::letters_triage.letter FROM lt_dated;
SELECT s.key, s.urgency, s.actions, s.urgency = letters_triage.urgency(d.t::letters_triage.letter) AS as_classify
  FROM letters_triage.letter_state s JOIN letters_triage.watched w ON w.id = s.table_id
  JOIN lt_dated d ON d.id::text = s.key
 WHERE w.ended IS NULL AND w.name LIKE '%lt_dated_watch%' ORDER BY s.key;
SELECT letters_triage.unwatch('lt_dated_watch', keep_history => false);
DROP TABLE lt_dated_watch, lt_dated;
RESET datestyle;
RESET timezone;

-- Values stored in the layout of version 1 (before the text was kept) still
-- read: every accessor as before, and their text is the canonical text they
-- always printed.  The bytes below were written by that layout (host byte
-- order: little-endian), for ids 1, 6, 7 and 8 of lt_texts.
CREATE CAST (bytea AS letters_triage.letter) WITHOUT FUNCTION;
CREATE CAST (letters_triage.letter AS bytea) WITHOUT FUNCTION;
CREATE TABLE lt_v1 (id int, l letters_triage.letter);
INSERT INTO lt_v1 VALUES
  (1, decode('0101000000000000040000002b0000001e0000000000000000000000000000000200000008000000020002000a0000000e0000000900000004000500170000001e0000000600000007000600240000002a0000000100000006000700546f67383230303120204b696e646469736368617267655375626a656374526576696577582d57617264374465617220447220536d6974682c0d0a706c65617365207265766965772e', 'hex')::letters_triage.letter),
  (6, decode('010000000000000000000000000000001100000000000000000000006e6f206865616465727320617420616c6c', 'hex')::letters_triage.letter),
  (7, decode('01000000000000000000000000000000000000000000000000000000', 'hex')::letters_triage.letter),
  (8, decode('010002000000000003000000350000000700000000a0a4c029bf0200000000000900000001000000090000000a000000140000000c0000000a000100200000002500000010000000050004004c65747465722d4964424e48532d4e756d6265723934332034373620353931394461746564323032342d30372d30312030393a30306d6f726e696e67', 'hex')::letters_triage.letter);
SELECT id, get_byte(l::bytea, 0) AS version, l::text AS text FROM lt_v1 ORDER BY id;
SELECT v.id,
       v.l::text = letters_triage.canonical(n.t::letters_triage.letter) AS text_is_canonical,
       letters_triage.letter_to_jsonb(v.l) = letters_triage.letter_to_jsonb(n.t::letters_triage.letter) AS same_view,
       letters_triage.problems(v.l) = letters_triage.problems(n.t::letters_triage.letter) AS same_problems,
       letters_triage.dated(v.l) IS NOT DISTINCT FROM letters_triage.dated(n.t::letters_triage.letter) AS same_dated,
       letters_triage.kind(v.l) IS NOT DISTINCT FROM letters_triage.kind(n.t::letters_triage.letter) AS same_kind,
       v.l OPERATOR(letters_triage.=) letters_triage.canonical(n.t::letters_triage.letter)::letters_triage.letter AS equal,
       letters_triage.letter_hash(v.l) = letters_triage.letter_hash(letters_triage.canonical(n.t::letters_triage.letter)::letters_triage.letter) AS same_hash,
       letters_triage.letter_cmp(v.l, letters_triage.canonical(n.t::letters_triage.letter)::letters_triage.letter) AS cmp,
       letters_triage.letter_send(v.l) = textsend(letters_triage.canonical(n.t::letters_triage.letter)) AS sent_as_text
  FROM lt_v1 v JOIN lt_texts n USING (id) ORDER BY id;
-- rewritten (as any UPDATE or ALTER TABLE would), a value takes the new layout
UPDATE lt_v1 SET l = l::text;
SELECT id, get_byte(l::bytea, 0) AS version FROM lt_v1 ORDER BY id;
DROP TABLE lt_v1;
DROP CAST (bytea AS letters_triage.letter);
DROP CAST (letters_triage.letter AS bytea);
DROP TABLE lt_texts, lt_bin;
