-- What the rule tables can make every backend do is bounded: at most 10,000
-- enabled patterns (rule, modifier and section rows together), 512 kB of
-- patterns in total and 32 MB of compiled automaton.  An edit beyond a limit
-- is refused at the edit with 54000 program_limit_exceeded naming the limit;
-- the compiler refuses too, should the check have been bypassed.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;

-- the shipped rules are well within every limit (under a third of each)
SELECT name, maximum, used > 0 AND used * 3 < maximum AS well_within FROM letters_triage.rule_limits()
 WHERE maximum IS NOT NULL;
-- and what the matcher's step reads of them fits a CPU's L2 cache (512 kB;
-- scan_bytes has no limit: it is a small part of automaton_bytes)
SELECT used BETWEEN 1 AND 512 * 1024 AS fits_l2 FROM letters_triage.rule_limits() WHERE name = 'scan_bytes';

-- a rule editor as docs/security.md prescribes
CREATE ROLE lt_rule_editor;
GRANT USAGE ON SCHEMA letters_triage TO lt_rule_editor;
GRANT INSERT, UPDATE, DELETE ON letters_triage.rule, letters_triage.modifier TO lt_rule_editor;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA letters_triage TO lt_rule_editor;
SET ROLE lt_rule_editor;

-- the finding: 6,000 random 200-character patterns (250 MB in every backend)
-- are refused (the details, which depend on the shipped rules, left out)
\set VERBOSITY terse
INSERT INTO letters_triage.rule (pattern, action)
SELECT left(string_agg(md5(g::text || ':' || k), ''), 200), 'review'
  FROM generate_series(1, 6000) g, generate_series(1, 7) k GROUP BY g;
\set VERBOSITY default

-- 1. patterns: up to exactly 10,000 enabled passes, one more is refused
CREATE FUNCTION pg_temp.used(what text) RETURNS bigint LANGUAGE sql AS
    $$ SELECT used FROM letters_triage.rule_limits() WHERE name = what $$;
INSERT INTO letters_triage.rule (pattern, action)
SELECT 'zq' || g, 'review' FROM generate_series(1, 10000 - pg_temp.used('patterns')) g;
SELECT pg_temp.used('patterns') AS patterns;
INSERT INTO letters_triage.rule (pattern, action) VALUES ('zq one too many', 'review');
INSERT INTO letters_triage.modifier (phrase, category) VALUES ('zq one too many', 'negated');
-- a disabled pattern costs nothing; enabling one is an edit like another
INSERT INTO letters_triage.rule (pattern, action, enabled) VALUES ('zq disabled', 'review', false);
UPDATE letters_triage.rule SET enabled = true WHERE pattern = 'zq disabled';
DELETE FROM letters_triage.rule WHERE pattern LIKE 'zq%';

-- 2. pattern bytes: up to exactly 512 kB passes, one byte more is refused
INSERT INTO letters_triage.rule (pattern, action)
SELECT repeat('x', 190) || lpad(g::text, 10, '0'), 'review'
  FROM generate_series(1, (524288 - pg_temp.used('pattern_bytes')) / 200) g;
INSERT INTO letters_triage.rule (pattern, action)
SELECT repeat('y', r::int), 'review' FROM (SELECT 524288 - pg_temp.used('pattern_bytes') AS r) z WHERE r > 0;
SELECT pg_temp.used('pattern_bytes') AS pattern_bytes;
INSERT INTO letters_triage.rule (pattern, action) VALUES ('z', 'review');
DELETE FROM letters_triage.rule WHERE pattern ~ '^(x{190}|y+$)';

-- 2b. what counts is what is compiled: a pattern whose NFKC normalisation
-- grows (U+FDFA is 3 bytes and becomes 18 characters, 33 bytes) counts its
-- normalised bytes, so 100 rows of 190 of them (58 kB as written, 627 kB
-- compiled, sharing their first 6.3 kB so the automaton stays small) are
-- refused by the 512 kB limit
INSERT INTO letters_triage.rule (pattern, action) VALUES (repeat(U&'\FDFA', 10), 'review');
SELECT octet_length(normalize(repeat(U&'\FDFA', 10), NFKC)) AS normalised_bytes,
       octet_length(repeat(U&'\FDFA', 10)) AS written_bytes;
DELETE FROM letters_triage.rule WHERE pattern = repeat(U&'\FDFA', 10);
CREATE TEMP TABLE before AS SELECT pg_temp.used('pattern_bytes') AS b;
INSERT INTO letters_triage.rule (pattern, action) VALUES (repeat(U&'\FDFA', 10), 'review');
SELECT pg_temp.used('pattern_bytes') - b AS counted_bytes FROM before;
DELETE FROM letters_triage.rule WHERE pattern = repeat(U&'\FDFA', 10);
\set VERBOSITY terse
INSERT INTO letters_triage.rule (pattern, action)
SELECT repeat(U&'\FDFA', 190) || 'zw' || g, 'review' FROM generate_series(1, 100) g;
\set VERBOSITY default
SELECT count(*) AS kept FROM letters_triage.rule WHERE pattern LIKE U&'\FDFA%';

-- 3. automaton bytes: patterns of many different characters, one at a time,
-- until one is refused; the rule set just below the limit is kept, and
-- classifies
INSERT INTO letters_triage.rule (pattern, action)
SELECT string_agg(chr(c), '' ORDER BY c), 'review' FROM generate_series(33, 126) c WHERE chr(c) NOT IN ('*', '-', '_');
CREATE FUNCTION pg_temp.pattern(n int) RETURNS text LANGUAGE sql AS
    $$ SELECT left(translate(string_agg(md5(n || ':' || k), ''), '0123456789abcdef', 'ghijklmnopqrstuv')
                   || string_agg(md5(k || '/' || n), ''), 200) FROM generate_series(1, 7) k $$;
-- most of the way in one statement (each pattern adds about 60 kB), then one by one
INSERT INTO letters_triage.rule (pattern, action) SELECT pg_temp.pattern(n), 'review' FROM generate_series(1, 400) n;
SELECT pg_temp.used('automaton_bytes') BETWEEN 16 * 1024 * 1024 AND 30 * 1024 * 1024 AS most_of_the_way;
-- long single-path patterns are chains of trie nodes for the scan, not table rows
SELECT pg_temp.used('scan_bytes') * 10 < pg_temp.used('automaton_bytes') AS chains_compact;
CREATE TEMP TABLE steps (n int, automaton_bytes bigint, refused text);
DO $$
DECLARE
    n int := 400;
BEGIN
    LOOP
        n := n + 1;
        BEGIN
            INSERT INTO letters_triage.rule (pattern, action) VALUES (pg_temp.pattern(n), 'review');
            INSERT INTO steps VALUES (n, (SELECT used FROM letters_triage.rule_limits() WHERE name = 'automaton_bytes'), NULL);
        EXCEPTION WHEN program_limit_exceeded THEN
            INSERT INTO steps VALUES (n, NULL, SQLERRM);
            EXIT;
        END;
        EXIT WHEN n > 2000;
    END LOOP;
END $$;
SELECT count(*) > 10 AS many_steps,
       max(automaton_bytes) <= 32 * 1024 * 1024 AS last_kept_within,
       max(automaton_bytes) > 32 * 1024 * 1024 - 2 * 200 * 400 AS last_kept_just_below,
       max(refused) AS refused
  FROM steps;
SELECT letters_triage.urgency('Please refer to cardiology today.'::text);
RESET ROLE;

-- the compiler refuses a rule set beyond the limit, however it was written
-- (here past a disabled trigger): classification fails with 54000
ALTER TABLE letters_triage.rule DISABLE TRIGGER rules_changed;
INSERT INTO letters_triage.rule (pattern, action)
SELECT left(string_agg(md5(g::text || '+' || k), ''), 200), 'review'
  FROM generate_series(1, 100) g, generate_series(1, 7) k GROUP BY g;
ALTER TABLE letters_triage.rule ENABLE TRIGGER rules_changed;
\c
\set VERBOSITY terse
SELECT letters_triage.urgency('Please refer to cardiology today.'::text);
\set VERBOSITY default
DELETE FROM letters_triage.rule WHERE action = 'review' AND length(pattern) >= 90;
SELECT letters_triage.urgency('Please refer to cardiology today.'::text);
SELECT name, used * 3 < maximum AS well_within FROM letters_triage.rule_limits() WHERE maximum IS NOT NULL;
-- 4. copies of one pattern: at most 32 enabled rows of one normalised pattern
-- (every match of it was read once for each row, and the readings that
-- compare neighbouring matches paid for them squared: a thousand copies made
-- a 3 kB letter run for more than ten minutes); those kept that mean the same
-- match once each, those that mean something else stay
INSERT INTO letters_triage.rule (pattern, action) SELECT 'qa', 'review' FROM generate_series(1, 31);
INSERT INTO letters_triage.rule (pattern, action) VALUES ('QA', 'test');
SET statement_timeout = '60s';
SELECT e.action, count(*) FROM letters_triage.evidence(repeat('please qa ', 10)::text) e
 WHERE e.matched = 'qa' GROUP BY e.action ORDER BY e.action;
SELECT letters_triage.urgency(repeat('qa ', 1000)::text) IS NOT NULL AS classified;
RESET statement_timeout;
INSERT INTO letters_triage.rule (pattern, action) VALUES ('qa', 'referral');
INSERT INTO letters_triage.modifier (phrase, category, direction, scope) VALUES ('qa', 'negated', 'forward', 3);
DELETE FROM letters_triage.rule WHERE pattern ILIKE 'qa';
DROP OWNED BY lt_rule_editor;
DROP ROLE lt_rule_editor;
