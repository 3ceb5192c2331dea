SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;
SET search_path = letters_triage, public;
SET TimeZone = 'UTC';

-- Text input: a header block read in canonical order and spelling, the
-- text itself kept as given (output), the canonical text on request.
SELECT E'subject: Knee arthroscopy\nkind: Inpatient discharge report\nX-Ref: abc\nto: g82001\nnhs-number: 943 476 5919\nDATED: 2024-10-08 14:32\nFROM: Endoscopy Suite\nletter-id: L-1\n\nDear Dr Smith,\n\nText.\n'::letter;
SELECT canonical(E'subject: Knee arthroscopy\nkind: Inpatient discharge report\nX-Ref: abc\nto: g82001\nnhs-number: 943 476 5919\nDATED: 2024-10-08 14:32\nFROM: Endoscopy Suite\nletter-id: L-1\n\nDear Dr Smith,\n\nText.\n'::letter);
SELECT * FROM headers(E'Kind: death\nX-B: 2\nTo: G82001\nX-A: 1\n\nbody'::letter);
SELECT body(E'Kind: death\n\n\n  body after a blank line\n'::letter) = E'\n  body after a blank line\n' AS body_kept;

-- Accessors.
WITH l(v) AS (SELECT E'Letter-Id: L-7  \nNHS-Number: 943-476-5919\nTo:  g82001 \nFrom: Ward 3  \nDated: 2024-07-01 12:00\nKind: Death notification\nSubject: Re: Mr X\nX-Extra: one\nX-Extra: two\n\nBody.'::letter)
SELECT nhs_number(v), recipient(v), sender(v), subject(v), letter_id(v), kind(v), dated(v),
       header(v, 'x-extra') AS x_extra, header(v, 'TO') AS raw_to, header(v, 'nope') AS absent,
       body(v), problems(v), is_valid(v)
  FROM l;
-- A letter without headers: every accessor NULL, the body is the whole text.
SELECT nhs_number(v), recipient(v), sender(v), subject(v), kind(v), dated(v), body(v) = 'just text' AS body_ok,
       problems(v), is_valid(v), (SELECT count(*) FROM headers(v)) AS nheaders
  FROM (SELECT 'just text'::letter AS v) s;

-- Folding: continuation lines (space or tab) join the previous value.
SELECT subject(v), header(v, 'X-Long'), canonical(v)
  FROM (SELECT E'Subject: first part\n  second part\nX-Long:\n\tonly on the next line\n\nb'::letter AS v) s;
-- CRLF works like LF; the canonical text uses LF; the text and the body are kept as they are.
SELECT canonical(v) = E'Kind: death\nSubject: a\n\nline 1\r\nline 2\r\n' AS crlf_canonical,
       v::text = E'Subject: a\r\nKind: death\r\n\r\nline 1\r\nline 2\r\n' AS kept, body(v)
  FROM (SELECT E'Subject: a\r\nKind: death\r\n\r\nline 1\r\nline 2\r\n'::letter AS v) s;
-- A lone CR is not a line break: a "header" holding one makes the whole text the body.
SELECT (SELECT count(*) FROM headers(v)) AS nheaders, body(v) = E'Kind: death\rTo: G82001\n\nb' AS all_body
  FROM (SELECT E'Kind: death\rTo: G82001\n\nb'::letter AS v) s;
-- Trailing blanks of a header value are kept (and in the canonical text).
SELECT header(v, 'Subject') = 'a  ' AS kept, canonical(v) = E'Subject: a  \n\nb' AS printed
  FROM (SELECT E'Subject:   a  \n\nb'::letter AS v) s;

-- No header block: header-like lines not followed by a blank line, a line
-- that is not a header, names with spaces: all body.
SELECT t, (SELECT count(*) FROM headers(t::letter)) AS nheaders, body(t::letter) = t AS whole_text_is_body
  FROM (VALUES (E'Kind: death\nTo: G82001'),
               (E'Kind: death\nTo: G82001\n'),
               (E'Kind: death\nDear Dr Smith\n\nb'),
               (E'Dear Dr Smith: thanks\n\nb'),
               (E' Kind: death\n\nb'),
               (E':no name\n\nb'),
               (E'\nDear Dr,\n'),
               (E'\n\nDear Dr,\n'),
               (''),
               (E'\n'),
               (E'\r\n')) AS v(t);

-- A header-less body that looks like headers prints with a leading blank
-- line (the empty header block), so that it reads back the same.
SELECT v::text = E'\nKind: death\n\nnot a header' AS escaped, v::text::letter = v AS round_trip,
       (SELECT count(*) FROM headers(v::text::letter)) AS nheaders
  FROM (SELECT letter(E'Kind: death\n\nnot a header'::text) AS v) s;
SELECT body(E'\nKind: death\n\nb'::letter) = E'Kind: death\n\nb' AS escape_read,
       body(E'\n\nKind: death\n\nb'::letter) = E'\nKind: death\n\nb' AS escape_read_2,
       letter(body => E'\nKind: death\n\nb')::text::letter = letter(body => E'\nKind: death\n\nb') AS round_trip_2,
       letter(body => E'\r\nKind: death\n\nb')::text::letter = letter(body => E'\r\nKind: death\n\nb') AS round_trip_crlf;

-- Round trip of many shapes: input(output(v)) = v, and output is stable.
WITH t(s) AS (VALUES
    (E'Kind: death\n\nb'), (E'kind:death\r\n\r\n\r\nb'), (E'Subject: x\n \n\nb'), (E'X:\n\n'),
    (E'\n\n\n'), (E'To: G82001\n\tfolded\n  twice\n\nb\n'), (E'A: 1\nB: 2\nA: 3\n\n'),
    (E'\nA: 1\n\n'), (E'\n\r\nA: 1\n\nz'), (E'Subject: caf\u00e9 \u2019quoted\u2019\n\nna\u00efve'),
    ('plain'), (''), (E'\r'), (E'\rA: 1\n\n'), (E'A: 1\r\n\n'))
SELECT count(*) AS shapes,
       count(*) FILTER (WHERE s::letter::text::letter = s::letter) AS round_trips,
       count(*) FILTER (WHERE s::letter::text::letter::text = s::letter::text) AS stable
  FROM t;

-- Every problem code.
SELECT t, problems(t::letter), is_valid(t::letter)
  FROM (VALUES (E'NHS-Number: 943 476 5919\nTo: G82001\nDated: 2024-03-01\nKind: death\n\nb'),
               (E'NHS-Number: 943 476 591\n\nb'),
               (E'NHS-Number: 94347659190\n\nb'),
               (E'NHS-Number: 943x476x5919\n\nb'),
               (E'NHS-Number: 943  476 5919\n\nb'),
               (E'NHS-Number: 9434765918\n\nb'),
               (E'NHS-Number: 1234567890\n\nb'),
               (E'NHS-Number:\n\nb'),
               (E'To: P1234\n\nb'),
               (E'To: 182001\n\nb'),
               (E'To: GG2001\n\nb'),
               (E'Dated: yesterday\n\nb'),
               (E'Dated: 2024-02-30\n\nb'),
               (E'Dated: 2024-13-01\n\nb'),
               (E'Dated: 2024-03-01T25:00\n\nb'),
               (E'Kind: letter\n\nb'),
               (E'Kind:\n\nb'),
               (E'Kind: death\nkind: death\n\nb'),
               (E'X-A: 1\nX-A: 2\n\nb'),
               (E'NHS-Number: 1\nTo: 2\nDated: 3\nKind: 4\nTo: G82001\n\nb')) AS v(t);
-- is_valid in a CHECK constraint.
CREATE TABLE strict_letters (l letter CHECK (is_valid(l)));
INSERT INTO strict_letters VALUES (E'To: G82001\n\nfine');
INSERT INTO strict_letters VALUES (E'To: nowhere\n\nrefused');
DROP TABLE strict_letters;

-- Kinds: canonical names, and the wording trusts use.
SELECT t, kind(('Kind: ' || t || E'\n\nb')::letter)
  FROM (VALUES ('discharge'), ('OUTPATIENT'), ('community'), ('death'), ('result'), ('other'),
               ('Inpatient discharge report'), ('Maternity discharge note'), ('Death notification'),
               ('Expected death verified'), ('Results summary'), ('Abnormal results follow-up'),
               ('Outpatient review letter'), ('Community matron update'),
               ('Admin: change of address'), ('District nursing update'), ('letter'), ('predeath')) AS v(t);

-- Dated: ISO 8601 forms; without an offset, Europe/London time.
SELECT t, dated(('Dated: ' || t || E'\n\nb')::letter)
  FROM (VALUES ('2024-01-15'), ('2024-07-01'), ('2024-07-01 12:00'), ('2024-07-01T12:00:30'),
               ('2024-07-01T12:00:30.25'), ('2024-07-01T12:00Z'), ('2024-07-01T12:00+02:00'),
               ('2024-07-01 12:00 -0130'), ('2024-07-01T12:00:00,5+01'), ('2024-03-31 01:30'),
               ('2024-10-27 01:30'), ('2024-02-29'), ('2023-02-29'), ('2024-07-01T12'),
               ('2024-07-01T12:00+16:00'), ('01/07/2024'), ('0000-01-01')) AS v(t);
-- dated() does not depend on the session time zone.
SET TimeZone = 'America/New_York';
SELECT dated(E'Dated: 2024-07-01 12:00\n\nb'::letter) = '2024-07-01 11:00:00+00' AS same_instant;
SET TimeZone = 'UTC';

-- NHS numbers on plain text.
SELECT t, nhs_number_valid(t), nhs_number(t)
  FROM (VALUES ('9434765919'), ('943 476 5919'), ('943-476-5919'), (' 943 476 5919 '),
               ('9434765918'), ('943476591'), ('94347659190'), ('943 4765 919'), ('943--476-5919'),
               ('9434765919 x'), (''), ('   '), ('4010232137'), ('0000000000'),
               (E'\uff19434765919')) AS v(t);
SELECT nhs_number_valid(NULL), nhs_number(NULL::text);

-- The constructor: the body is never parsed; values are normalised.
SELECT letter(E'Kind: x\n\nbody', nhs_number => '9434765919', recipient => 'g82001',
              dated => '2024-07-01 12:00:00.5+00', kind => 'death', subject => E'two\nlines',
              sender => E'  Ward\r\n  3', letter_id => 'L-9')::text;
-- With one unnamed argument that is not of type text (an untyped literal,
-- varchar), letter(x) is PostgreSQL's function-style cast, which parses.
SELECT body(letter(E'Kind: x\n\nb')) AS literal_is_cast, body(letter(E'Kind: x\n\nb'::text)) AS text_is_body,
       body(letter(body => E'Kind: x\n\nb')) AS named_is_body;
SELECT letter('b', subject => '') AS empty_subject, letter(NULL) IS NULL AS null_body,
       problems(letter('b', nhs_number => '')) AS empty_nhs;
SELECT letter('b', dated => 'infinity');
SELECT letter('b', dated => '10000-01-01');
-- text -> letter is an assignment cast: INSERT of text works, so does ALTER TYPE.
CREATE TABLE letters_conv (id int, t text);
INSERT INTO letters_conv VALUES (1, E'Kind: death\n\nb'), (2, 'plain'), (3, NULL), (4, '');
ALTER TABLE letters_conv ALTER COLUMN t TYPE letter USING t::letter;
INSERT INTO letters_conv VALUES (5, E'To: G82001\n\nx'::text), (6, 'varchar'::varchar);
SELECT id, kind(t), recipient(t), body(t), t::text FROM letters_conv ORDER BY id;
DROP TABLE letters_conv;

-- jsonb both ways, through functions: a cast would change what body::jsonb means for a converted text column.
SELECT letter_to_jsonb(E'Subject: s\nX-A: 1\nKind: death\n\nbody'::letter);
SELECT letter_from_jsonb(letter_to_jsonb(E'Subject: s\nX-A: 1\nKind: death\n\nbody'::letter)) = canonical(E'Subject: s\nX-A: 1\nKind: death\n\nbody'::letter)::letter AS jsonb_round_trip;
SELECT letter_from_jsonb('{"body": "b", "headers": {"kind": "death", "Subject": "a\nb"}}'::jsonb)::text;
SELECT letter_from_jsonb('{"body": "b"}'::jsonb)::text, letter_from_jsonb('{"body": "", "headers": null}'::jsonb)::text;
SELECT letter_from_jsonb('[1]'::jsonb);
SELECT letter_from_jsonb('{"body": 1}'::jsonb);
SELECT letter_from_jsonb('{"headers": []}'::jsonb);
SELECT letter_from_jsonb('{"body": "b", "other": 1}'::jsonb);
SELECT letter_from_jsonb('{"body": "b", "headers": [["bad name", "v"]]}'::jsonb);
SELECT letter_from_jsonb('{"body": "b", "headers": [["a"]]}'::jsonb);
SELECT letter_from_jsonb('{"body": "b", "headers": [["a", 1]]}'::jsonb);
SELECT letter_from_jsonb('{"body": "b", "headers": "x"}'::jsonb);
SELECT letter_from_jsonb('{"body": "b\u0000"}'::jsonb);
-- as on a text column, a cast to jsonb reads the text as JSON (an I/O conversion)
SELECT '{"k": "v"}'::letter::jsonb ->> 'k' AS k, '{"k": "v"}'::jsonb::letter::text AS text;

-- NULL in, NULL out.
SELECT body(NULL), header(NULL, 'a'), header('a'::letter, NULL), problems(NULL), is_valid(NULL),
       kind(NULL), dated(NULL), NULL::letter::text, letter_from_jsonb(NULL);

-- Non-ASCII text is kept as it is.
SELECT subject(v), body(v), length(body(v))
  FROM (SELECT E'Subject: M\u00fcller \u2013 caf\u00e9\n\n\u65e5\u672c\u8a9e \U0001F600'::letter AS v) s;
