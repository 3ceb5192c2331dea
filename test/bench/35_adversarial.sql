-- test/bench/35_adversarial.sql — 3b. adversarial letters: classification time per
-- byte must not grow with the letter.  The families of test/fuzz/adversarial.h
-- (the same pieces: repeated requests, time frames, modifiers, one endless
-- sentence with no punctuation, many short lines, many headings, lead-ins,
-- parentheses, years, laboratory values, clauses, abbreviations, phrases that
-- ask with a time just after, tables and bare bars, a random mix, very long words of letters, digits, accents, ligatures or URL-like
-- runs), each at 10 kB, 100 kB, 1 MB and 8 MB (1 MB of text at each of the
-- smaller sizes); target: ns/byte at 8 MB at most twice that at 10 kB.
\ir common.sql
\ir 10_cpu.sql
\echo 'bench 3b: adversarial letters'
\if :have_classify
CREATE TABLE bench.adv_family (family text PRIMARY KEY, pieces text[], random boolean);
INSERT INTO bench.adv_family VALUES
 ('request', ARRAY['please stop warfarin urgently refer to cardiology within 48 hours '], false),
 ('request_short', ARRAY['please refer today '], false),
 ('timeframes', ARRAY['within 48 hours today tomorrow by friday in 2 weeks next week by 12:00 2/52 '], false),
 ('modifiers', ARRAY['no not if history of mother denies please we have asked him to but '], false),
 ('endless', ARRAY['please ', 'refer ', 'stop ', 'warfarin ', 'no ', 'not ', 'if ', 'today ', 'within ',
   '48 ', 'hours ', 'urgently ', 'review ', 'in ', '2019 ', 'mother ', '( ', ') ', ', ', 'and ', 'but ',
   'potassium ', '6.9 ', 'above ', '3.0 ', 'history ', 'of ', 'we ', 'have ', 'arranged ', 'safeguarding ',
   'concerns ', '2 ', 'weeks '], true),
 ('lines', ARRAY[E'please refer today\n', E'- stop warfarin within 48 hours\n'], false),
 ('headings', ARRAY[E'Plan:\n', E'Please refer today.\n', E'Medication:\n', E'stop warfarin\n',
   E'Past medical history:\n', E'Actions for GP: review in 2 weeks\n'], false),
 ('leadins', ARRAY[E'- please could you:\n'], false),
 ('parens', ARRAY['(no fever (please refer today ', '( '], false),
 ('years', ARRAY['in 2019 referred in March 2020 to cardiology '], false),
 ('labs', ARRAY['potassium 7.0 sodium 118 INR 9 above 3.0 '], false),
 ('commas', ARRAY['no fever, and please refer, but today, so '], false),
 ('dots', ARRAY['Dr. J. Smith 1. b.d. '], false),
 ('reviewframes', ARRAY['gp review in 2 weeks, '], false),
 ('table', ARRAY[E'| Action | Who | When |\n', E'|---|---|---|\n', E'| Repeat U&E | GP | 2 weeks |\n',
   E'| Echo | us | 6 weeks |\n', E'| Safeguarding | No concerns | - |\n'], true),
 ('bars', ARRAY['| 2 weeks ', '|', '| GP |'], true),
 ('flags', ARRAY['nosebleed on warfarin and ', 'i might be pregnant on methotrexate, ', 'missed his levetiracetam and ',
   'pulse 38 and ', 'tomorrow as she doesn''t want to make a fuss ', 'could the doctor please advise '], true),
 ('mixed', ARRAY[E'Plan:\n', 'please ', 'refer ', 'today', '. ', E'\n', '; ', '- ', '(', ')', ', and ', 'no ',
   'in 2019 ', 'within 48 hours ', E'Please could you:\n', '1. ', 'potassium 7.0 ', 'by 12:00 ',
   E'URGENT:\n', E'\n\n', E'Medication:\n', 'stop warfarin ', 'if ', 'mother ', 'we have ', 'urgently ',
   'tomorrow ', 'review ', ': ', '2/52 '], true);
-- very long words (5,000 bytes of one unit with no blank), as adversarial.h
INSERT INTO bench.adv_family
SELECT family, ARRAY[w || ' ', w || E'\n', w || ' ', w || '. '], false
  FROM (VALUES ('longwords', 'a'), ('longcase', 'aB'), ('longdigits', '7'), ('longaccents', 'éü'),
               ('longurls', 'httpswwwnhsuk2019referpath'), ('longlig', U&'\FB03')) u(family, unit),
       LATERAL (SELECT repeat(unit, 5000 / octet_length(unit)) AS w) x;
-- A text of one family: its pieces in turn (or at random, seeded), cut to size.
CREATE FUNCTION bench.adversarial(fam text, size int, seed int DEFAULT 1) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f bench.adv_family;
	n int;
	avg_len int;
BEGIN
	SELECT * INTO f FROM bench.adv_family WHERE family = fam;
	n := array_length(f.pieces, 1);
	SELECT ceil(avg(octet_length(p))) INTO avg_len FROM unnest(f.pieces) p;
	IF f.random THEN
		PERFORM setseed(seed / 1000.0);
		RETURN (SELECT left(string_agg(f.pieces[1 + floor(random() * n)::int], ''), size)
		          FROM generate_series(1, size / greatest(avg_len - 1, 1) + n));
	END IF;
	RETURN (SELECT left(string_agg(f.pieces[1 + i % n], '' ORDER BY i), size)
	          FROM generate_series(0, size / greatest(avg_len - 1, 1) + n) i);
END $$;
CREATE TABLE bench.adv_text AS
SELECT family, size, i, bench.adversarial(family, size, i) AS body
  FROM bench.adv_family, (VALUES (10000), (100000), (1000000), (8000000)) s(size),
       LATERAL generate_series(1, greatest(1, 1000000 / size)) i;
ANALYZE bench.adv_text;
CREATE TEMP TABLE t_adv AS
SELECT family, size,
       bench.cpu_secs(format('SELECT count(letters_triage.urgency(body)) FROM bench.adv_text WHERE family = %L AND size = %s',
                             family, size), CASE WHEN size >= 1000000 THEN 1 ELSE 3 END)
         / (SELECT sum(octet_length(body)) FROM bench.adv_text t WHERE t.family = f.family AND t.size = s.size) * 1e9
         AS ns_byte
  FROM bench.adv_family f, (VALUES (10000), (100000), (1000000), (8000000)) s(size);
SELECT bench.record('3b adversarial letters', format('%s, %s-byte letter', a.family, a.size), a.ns_byte, 'ns/byte',
                    '10 kB letters', a.ns_byte / k.ns_byte, '<= 2x at 8 MB',
                    CASE WHEN a.size = 8000000 THEN a.ns_byte / k.ns_byte <= 2 END)
  FROM t_adv a JOIN t_adv k ON k.family = a.family AND k.size = 10000
 WHERE a.size <> 10000
 ORDER BY a.family, a.size;
SELECT string_agg(format('%s %s', family, round((a.ns_byte / k.ns_byte)::numeric, 2)), ', ' ORDER BY family) AS ratios
  FROM t_adv a JOIN t_adv k USING (family) WHERE a.size = 8000000 AND k.size = 10000 \gset
\echo 'bench 3b: ns/byte at 8 MB / at 10 kB:' :ratios
\else
\echo 'bench 3b: classify() is not in this build'
\endif
