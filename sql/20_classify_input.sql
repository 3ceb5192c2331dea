SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;

-- Empty, blank, garbled, not English, truncated: needs_review, at least urgent.
SELECT label, (t).urgency, (t).actions, (t).needs_review, (t).reason
  FROM (VALUES ('empty', ''),
               ('blanks', E' \n\t \n'),
               ('punctuation', '.,;:!?-- ** //'),
               ('symbols', '#$%^&*()_+{}|:<>?~`1234567890-=[]\;'',./ #$%^&*()_+{}|:<>?'),
               ('control', repeat(E'\x01\x02\x03 abc ', 40)),
               ('no word breaks', repeat('abcdefghij', 100)),
               ('not english', 'Sehr geehrte Frau Doktor, wir haben Frau Schmidt heute in unserer Ambulanz gesehen. Die Blutwerte sind unauffällig, eine Kontrolle ist nicht nötig.'),
               ('truncated', 'Dear Dr Ellis, I saw Mrs Fenn today. Her blood results show a raised calcium and I would be grateful if you could arrange for the'),
               ('short', 'Seen.'),
               ('other script', 'Пациент умер сегодня утром. Пожалуйста, свяжитесь с семьей сегодня.'),
               ('other script under a cover note', E'Dear Dr Jones, please find below a message the patient''s daughter left on the answerphone.\n\nМой отец умер сегодня утром. Пожалуйста, позвоните мне.'),
               ('content elsewhere', 'Letter content could not be displayed.'),
               ('attachment only', 'Please see attached letter.'),
               ('markup only', '<html><body><p>&nbsp;</p><p>&nbsp;</p></body></html>'),
               ('accented language', 'Hasta bu sabah öldü. Lütfen bugün aile ile iletişime geçin.')) AS v(label, body),
       LATERAL (SELECT letters_triage.classify(body) AS t) c;

-- Names with accents are not another script; markup is read as spaces.
SELECT (letters_triage.classify('Re: José María Núñez Pérez. Seen in clinic, no changes. Routine follow up in 6 months.')).needs_review AS accented_names;
SELECT (letters_triage.classify('Dear Dr Núñez, Mrs Zoë Brontë was seen in the café clinic; no changes.')).needs_review AS accented_english;
SELECT (letters_triage.classify('<p>Please contact<br>the patient&nbsp;today</p>')).urgency AS html_letter;

-- A readable routine letter does not need review.
SELECT (letters_triage.classify('Dear Dr Ellis, I saw Mr Hale in clinic today. His knee has settled and I have discharged him. No action is needed from the practice. Yours sincerely')).*;

-- Unicode from PDF extraction: ligatures, non-breaking spaces, curly quotes,
-- full-width letters, bullets, zero-width spaces.  Offsets are characters.
SELECT (letters_triage.classify(E'Dear Dr Ellis,\n\u2022 Please arrange a repeat U&E in\u00a0two\u00a0weeks.\n\u2022 Please \ufb01nd attached.')).*;
SELECT (letters_triage.classify(E'\uff30\uff4c\uff45\uff41\uff53\uff45 \uff52\uff45\uff46\uff45\uff52 her under the 2WW pathway \u2013 today.')).*;
-- (the zero-width space is shown removed: psql versions measure its width differently)
SELECT replace(e.matched, E'\u200b', '') AS matched, e.char_offset, e.char_length, substr(b, e.char_offset + 1, e.char_length) = e.matched AS span_ok
  FROM (VALUES (E'Caf\u00e9 \u2019s note: Mrs Ng\u2019s INR is 9.1 \u2014 please recheck her INR to\u200bmorrow.')) AS v(b),
       letters_triage.evidence(b) e ORDER BY e.char_offset;
SELECT letters_triage.actions(E'\uff30LEASE ARRANGE AN \uff25\uff23\uff27 AND RE\uff26ER \uff28\uff29\uff2d.') AS full_width_capitals;

-- Huge letters: 20 MB is read up to 8 MB, flagged for review, never an error.
SELECT (t).urgency, (t).actions, (t).needs_review, left((t).reason, 60) AS reason
  FROM (SELECT letters_triage.classify(repeat('The patient is well and was discharged home. ', 450000)
                                       || 'Please refer her under the 2WW pathway.') AS t) s;
SELECT (t).urgency, (t).actions, (t).needs_review
  FROM (SELECT letters_triage.classify('Please refer her under the 2WW pathway. '
                                       || repeat('The patient is well and was discharged home. ', 100000)) AS t) s;
SELECT count(*) > 0 AS many_rows FROM letters_triage.evidence(repeat('Please repeat U&E in 2 days. ', 20000));
SELECT letters_triage.assertion(repeat('x ', 100000) || 'no fever', 'fever');
SELECT letters_triage.assertion('no fever', ''), letters_triage.assertion('', 'fever'),
       letters_triage.assertion('no fever', '   '), letters_triage.assertion('no fever', repeat('fever ', 1000));

-- Garbage of every byte value (valid UTF-8) never errors.
SELECT count(*) AS classified
  FROM generate_series(1, 200) g,
       LATERAL letters_triage.classify(
         (SELECT string_agg(chr(1 + ((g * 7919 + i * 104729) % 55000)), '') FROM generate_series(1, 300) i)) t;

-- Another database encoding: LATIN1 (converted to UTF-8 before matching).
SELECT current_database() AS orig_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS lt_classify_latin1;
CREATE DATABASE lt_classify_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
DROP DATABASE IF EXISTS lt_classify_sqlascii;
CREATE DATABASE lt_classify_sqlascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
RESET client_min_messages;
\c lt_classify_latin1
SET client_min_messages = warning;
CREATE EXTENSION letters_triage;
RESET client_min_messages;
SELECT pg_catalog.getdatabaseencoding();
SELECT (letters_triage.classify(E'Caf\u00e9 letter: M\u00fcller\u00a0died at home; please issue the MCCD.')).*;
SELECT e.matched, e.char_offset, e.char_length FROM letters_triage.evidence(E'\u00c9t\u00e9: Mrs M\u00fcller died.') e;
SELECT letters_triage.assertion(E'Pas de fi\u00e8vre. No fever.', 'fever');
\c lt_classify_sqlascii
SET client_min_messages = warning;
CREATE EXTENSION letters_triage;
RESET client_min_messages;
SELECT pg_catalog.getdatabaseencoding();
-- invalid UTF-8 bytes are possible here: they count as garbled, never an error
SELECT (letters_triage.classify(convert_from('\x506c656173652072656665722068657220756e64657220325757ff fe'::bytea, 'SQL_ASCII'))).urgency;
SELECT (t).urgency, (t).needs_review
  FROM (SELECT letters_triage.classify(convert_from(decode(repeat('fffe80c3', 200), 'hex'), 'SQL_ASCII')) AS t) s;
\c :orig_db
DROP DATABASE lt_classify_latin1;
DROP DATABASE lt_classify_sqlascii;
-- character offsets of a long letter with non-ASCII characters: counted once
-- for the whole letter, not once per match (60,000 matches in 1 MB); the last
-- 'today' is in the 30,000th copy of the 34-character sentence, at 29,999 x 34 + 27;
-- 'please stop' and 'today' are at 6 and 27 in each copy
SELECT count(*) AS matches, max(char_offset) AS last_offset,
       count(*) FILTER (WHERE char_offset % 34 NOT IN (6, 27)) AS misplaced
  FROM letters_triage.evidence(repeat('Café: please stop warfarin today. ', 30000));
