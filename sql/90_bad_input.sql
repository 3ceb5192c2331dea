-- Bad input (issue 9): every SQL-callable function with NULLs, empty strings,
-- 10 MB values, malformed and invalid arguments.  Each call gives a clear
-- error with the right SQLSTATE or a correct result, never a crash.  (The
-- 100 MB values are in test/t/300_memory.pl.)
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

-- try(q): run q, give "ok: <first column of the first row>" or "SQLSTATE: message".
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE q INTO r;
    RETURN 'ok: ' || coalesce(left(r, 70), 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || left(SQLERRM, 110);
END $$;
CREATE TEMP TABLE calls (n serial, q text);
CREATE TEMP TABLE big AS SELECT repeat('x', 10 * 1024 * 1024) AS x10,
    repeat(E'Please refer urgently. No evidence of cancer. Died.\n', 200000) AS prose10;
SELECT octet_length(x10) AS x10_bytes, octet_length(prose10) AS prose10_bytes FROM big;

-- ---------------------------------------------------------------- the letter type
INSERT INTO calls (q) VALUES
  ('SELECT NULL::text::letters_triage.letter'),
  ('SELECT ''''::letters_triage.letter'),
  ('SELECT letters_triage.letter_in(NULL)'),
  ('SELECT letters_triage.letter_out(NULL)'),
  ('SELECT letters_triage.letter_send(NULL)'),
  ('SELECT letters_triage.letter_recv(NULL)'),
  ('SELECT octet_length(letters_triage.letter_send(E''Kind: death\n\nx''))'),
  ('SELECT E''\n\n\n''::letters_triage.letter::text = E''\n\n\n'''),
  ('SELECT E''Kind: death\r\n\r\nbody''::letters_triage.letter::text'),
  ('SELECT E''Name-without-value\n\nbody''::letters_triage.letter::text'),
  ('SELECT (E''X: '' || repeat(''v'', 100000) || E''\n\nb'')::letters_triage.letter::text = E''X: '' || repeat(''v'', 100000) || E''\n\nb'''),
  ('SELECT (repeat(''H: v'' || E''\n'', 100000) || E''\nbody'')::letters_triage.letter IS NOT NULL'),
  ('SELECT letters_triage.body(NULL)'),
  ('SELECT letters_triage.body('''')'),
  ('SELECT letters_triage.header(NULL, ''Kind'')'),
  ('SELECT letters_triage.header(E''Kind: death\n\nx'', NULL)'),
  ('SELECT letters_triage.header(E''Kind: death\n\nx'', '''')'),
  ('SELECT letters_triage.header(E''Kind: death\n\nx'', ''KIND'')'),
  ('SELECT letters_triage.header(E''Kind: death\n\nx'', (SELECT x10 FROM big))'),
  ('SELECT letters_triage.header(E''Kind: death\n\nx'', E''Kind\n'')'),
  ('SELECT count(*) FROM letters_triage.headers(NULL)'),
  ('SELECT count(*) FROM letters_triage.headers('''')'),
  ('SELECT letters_triage.nhs_number(NULL::letters_triage.letter)'),
  ('SELECT letters_triage.recipient(E''To: not an ods code!\n\nx'')'),
  ('SELECT letters_triage.sender(NULL)'),
  ('SELECT letters_triage.subject(E''Subject:\n\nx'')'),
  ('SELECT letters_triage.letter_id('''')'),
  ('SELECT letters_triage.kind(E''Kind: \n\nx'')'),
  ('SELECT letters_triage.dated(E''Dated: 2024-02-30\n\nx'')'),
  ('SELECT letters_triage.dated(E''Dated: 99999-01-01\n\nx'')'),
  ('SELECT letters_triage.dated(E''Dated: 0000-01-01T25:61\n\nx'')'),
  ('SELECT letters_triage.dated(E''Dated: 2024-10-27T01:30\n\nx'')'),
  ('SELECT letters_triage.problems(NULL)'),
  ('SELECT letters_triage.problems(E''NHS-Number: 123\nKind: nonsense\nDated: soon\n\nx'')'),
  ('SELECT letters_triage.is_valid(NULL)'),
  ('SELECT letters_triage.is_valid('''')'),
  ('SELECT letters_triage.letter(NULL)'),
  ('SELECT letters_triage.letter('''')::text'),
  ('SELECT letters_triage.letter(''b'', nhs_number => '''')::text'),
  ('SELECT letters_triage.letter(''b'', nhs_number => ''not a number'')::text'),
  ('SELECT letters_triage.letter(''b'', kind => ''nonsense'')::text'),
  ('SELECT letters_triage.letter(''b'', subject => E''two\nlines'')::text'),
  ('SELECT letters_triage.letter(''b'', recipient => E''\r'')::text'),
  ('SELECT letters_triage.letter(''b'', dated => ''infinity'')::text'),
  ('SELECT letters_triage.letter(''b'', dated => ''-infinity'')::text'),
  ('SELECT octet_length(letters_triage.letter(''b'', letter_id => (SELECT x10 FROM big))::text)'),
  ('SELECT octet_length(letters_triage.body(letters_triage.letter((SELECT x10 FROM big))))'),
  ('SELECT letters_triage.letter_from_jsonb(NULL)'),
  ('SELECT letters_triage.letter_from_jsonb(''{}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''[]'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''null'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''"a string"'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": null}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": 5}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": "b", "headers": 5}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": "b", "headers": [[1, 2]]}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": "b", "headers": [["a"]]}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": "b", "headers": [["bad name", "v"]]}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": "b", "headers": {"X": null}}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": "b", "headers": {"": "v"}}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": "a\u0000b"}'')::text'),
  ('SELECT letters_triage.letter_from_jsonb(''{"body": "b", "extra": [[[[[[]]]]]]}'')::text'),
  ('SELECT letters_triage.letter_to_jsonb(NULL)'),
  ('SELECT letters_triage.letter_to_jsonb('''')::text'),
  ('SELECT octet_length(letters_triage.letter_to_jsonb((SELECT x10 FROM big)::letters_triage.letter)::text)'),
  ('SELECT letters_triage.nhs_number_valid(NULL)'),
  ('SELECT letters_triage.nhs_number_valid('''')'),
  ('SELECT letters_triage.nhs_number_valid((SELECT x10 FROM big))'),
  ('SELECT letters_triage.nhs_number(NULL::text)'),
  ('SELECT letters_triage.nhs_number(''abc''::text)'),
  ('SELECT letters_triage.nhs_number(''  943 476 5919  ''::text)'),
  ('SELECT letters_triage.letter_eq(NULL, '''')'),
  ('SELECT letters_triage.letter_cmp(''''::letters_triage.letter, (SELECT x10 FROM big)::letters_triage.letter)'),
  ('SELECT letters_triage.letter_hash(NULL)'),
  ('SELECT letters_triage.letter_hash('''') = letters_triage.letter_hash(E''\n'')'),
  ('SELECT letters_triage.letter_hash_extended('''', NULL)'),
  ('SELECT letters_triage.letter_hash_extended((SELECT x10 FROM big)::letters_triage.letter, -1) IS NOT NULL');

-- ---------------------------------------------------------------- the classifier
INSERT INTO calls (q) VALUES
  ('SELECT letters_triage.classify(NULL)'),
  ('SELECT letters_triage.classify('''')::text'),
  ('SELECT letters_triage.classify(''   '')::text'),
  ('SELECT letters_triage.classify(E''\x01\x02\x03\x7f'')::text'),
  ('SELECT letters_triage.classify(repeat(E''\u0301'', 1000))::text'),
  ('SELECT letters_triage.classify(E''\uFFFD\uFFFF\uFEFF died'')::text'),
  ('SELECT letters_triage.classify(repeat(''a'', 1000000))::text'),
  ('SELECT letters_triage.classify((SELECT x10 FROM big))::text'),
  ('SELECT letters_triage.classify((SELECT prose10 FROM big))::text'),
  ('SELECT letters_triage.classify(repeat(E''\n'', 10485760))::text'),
  ('SELECT letters_triage.classify(repeat(''. '', 5242880))::text'),
  ('SELECT letters_triage.classify(repeat(E''\u00e9'', 5242880))::text'),
  ('SELECT letters_triage.urgency(NULL)'),
  ('SELECT letters_triage.urgency(''''::text)'),
  ('SELECT letters_triage.urgency((SELECT prose10 FROM big))'),
  ('SELECT letters_triage.actions(NULL)'),
  ('SELECT letters_triage.actions('''')'),
  ('SELECT letters_triage.actions((SELECT x10 FROM big))'),
  ('SELECT count(*) FROM letters_triage.evidence(NULL)'),
  ('SELECT count(*) FROM letters_triage.evidence('''')'),
  ('SELECT count(*) FROM letters_triage.evidence((SELECT x10 FROM big))'),
  ('SELECT count(*) FROM letters_triage.evidence((SELECT prose10 FROM big))'),
  ('SELECT max(char_offset + char_length) FROM letters_triage.evidence(repeat(E''\u00e9 died '', 1000))'),
  ('SELECT letters_triage.assertion(NULL, ''x'')'),
  ('SELECT letters_triage.assertion(''no chest pain'', NULL)'),
  ('SELECT letters_triage.assertion('''', '''')'),
  ('SELECT letters_triage.assertion(''no chest pain'', '''')'),
  ('SELECT letters_triage.assertion(''no chest pain'', ''   '')'),
  ('SELECT letters_triage.assertion(''no chest pain'', ''chest pain'')'),
  ('SELECT letters_triage.assertion(''no chest pain'', (SELECT x10 FROM big))'),
  ('SELECT letters_triage.assertion((SELECT x10 FROM big), ''x'')'),
  ('SELECT letters_triage.assertion((SELECT prose10 FROM big), ''cancer'')'),
  ('SELECT letters_triage.ruleset_version() IS NOT NULL'),
  ('SELECT letters_triage.rules_changed()'),
  ('SELECT letters_triage.track()');

-- ---------------------------------------------------------------- deadlines and calendar
INSERT INTO calls (q) VALUES
  ('SELECT letters_triage.is_working_time(NULL)'),
  ('SELECT letters_triage.is_working_time(''infinity'')'),
  ('SELECT letters_triage.add_working_hours(NULL, 1)'),
  ('SELECT letters_triage.add_working_hours(''2026-11-24 10:00'', NULL)'),
  ('SELECT letters_triage.add_working_hours(''2026-11-24 10:00'', ''NaN'')'),
  ('SELECT letters_triage.add_working_hours(''2026-11-24 10:00'', ''Infinity'')'),
  ('SELECT letters_triage.add_working_hours(''2026-11-24 10:00'', -1)'),
  ('SELECT letters_triage.add_working_hours(''2026-11-24 10:00'', 1e300)'),
  ('SELECT letters_triage.add_working_hours(''infinity'', 1)'),
  ('SELECT letters_triage.add_working_hours(''-infinity'', 1)'),
  ('SELECT letters_triage.working_hours_between(NULL, now())'),
  ('SELECT letters_triage.working_hours_between(''-infinity'', ''infinity'')'),
  ('SELECT letters_triage.working_hours_between(''2026-11-24 10:00'', ''2020-01-01'')'),
  ('SELECT letters_triage.working_hours_between(''4000-01-01'', ''4000-01-02'')'),
  ('SELECT letters_triage.deadline(NULL, ''urgent'')'),
  ('SELECT letters_triage.deadline(''2026-11-24 10:00'', NULL)'),
  ('SELECT letters_triage.deadline(''2026-11-24 10:00'', ''urgent'', '''')'),
  ('SELECT letters_triage.deadline(''2026-11-24 10:00'', ''soon'', (SELECT x10 FROM big))'),
  ('SELECT letters_triage.deadline(''infinity'', ''soon'')'),
  ('SELECT letters_triage.deadline(''-infinity'', ''routine'')'),
  ('SELECT letters_triage.deadline(''294276-12-31 23:00'', ''routine'')'),
  ('SELECT letters_triage.deadline(''2026-11-24 10:00'', ''bogus'')');

-- ---------------------------------------------------------------- alerts
INSERT INTO calls (q) VALUES
  ('SELECT letters_triage.alert_setting(NULL)'),
  ('SELECT letters_triage.alert_setting('''')'),
  ('SELECT letters_triage.alert_setting(''no such setting'')'),
  ('SELECT letters_triage.alert_setting((SELECT x10 FROM big))'),
  ('SELECT letters_triage.log_alert(NULL, NULL)'),
  ('SELECT letters_triage.log_alert(false, '''')'),
  ('SELECT letters_triage.deliver_alert(NULL, ''raised'')'),
  ('SELECT letters_triage.deliver_alert(-1, ''raised'')'),
  ('SELECT letters_triage.deliver_alert(1, ''bogus'')'),
  ('SELECT count(*) FROM letters_triage.raise_alert(NULL, NULL, NULL, NULL, NULL, NULL, NULL)'),
  ('SELECT count(*) FROM letters_triage.raise_alert(''overdue'', ''urgent'', NULL, NULL, '''', '''', ''infinity'')'),
  ('SELECT count(*) FROM letters_triage.raise_alert(''bogus'', ''urgent'', 1, ''G1'', ''k'', ''s'', now(), ARRAY[''a'',''b''], ARRAY[''urgent'']::letters_triage.urgency[])'),
  ('SELECT count(*) FROM letters_triage.escalate_alerts(NULL, NULL)'),
  ('SELECT count(*) FROM letters_triage.resolve_alert(NULL, NULL)'),
  ('SELECT count(*) FROM letters_triage.resolve_alert(-1, now())'),
  ('SELECT count(*) FROM letters_triage.acknowledge(NULL)'),
  ('SELECT count(*) FROM letters_triage.acknowledge(-1, (SELECT x10 FROM big))'),
  ('SELECT letters_triage.acting_role() IS NOT NULL'),
  ('SELECT letters_triage.check_lock(NULL)'),
  ('SELECT letters_triage.check_lock(''no such check'')'),
  ('SELECT letters_triage.london(NULL)'),
  ('SELECT letters_triage.london(''infinity'')'),
  ('SELECT letters_triage.london(''-infinity'')'),
  ('SELECT count(*) FROM letters_triage.check_overdue(NULL)'),
  ('SELECT count(*) FROM letters_triage.check_overdue(''infinity'')'),
  ('SELECT count(*) FROM letters_triage.check_overdue(''-infinity'')'),
  ('SELECT letters_triage.backlog_at(NULL, now())'),
  ('SELECT letters_triage.backlog_at(''pg_class'', NULL)'),
  ('SELECT letters_triage.backlog_at(''pg_class'', ''infinity'')'),
  ('SELECT letters_triage.usual_backlog(NULL, NULL)'),
  ('SELECT letters_triage.usual_backlog(''pg_class'', ''-infinity'')'),
  ('SELECT count(*) FROM letters_triage.check_flow(NULL)'),
  ('SELECT count(*) FROM letters_triage.check_flow(''infinity'')'),
  ('SELECT count(*) FROM letters_triage.check_sent_late(''-infinity'')'),
  ('SELECT count(*) FROM letters_triage.check_review(''infinity'')'),
  ('SELECT count(*) FROM letters_triage.check_tracking(''infinity'')'),
  ('SELECT count(*) FROM letters_triage.check_all(NULL)'),
  ('SELECT count(*) FROM letters_triage.check_all(''infinity'')'),
  ('SELECT count(*) FROM letters_triage.check_all(''-infinity'')'),
  ('SELECT letters_triage.version() IS NOT NULL');

SELECT n, q, pg_temp.try(q) AS result FROM calls ORDER BY n;

-- ---------------------------------------------------------------- watch() on what is not a plain table
CREATE SCHEMA bad;
CREATE TABLE bad.ok (id int PRIMARY KEY, body text, created timestamptz NOT NULL DEFAULT '2026-11-24 10:00',
                     sent timestamptz, n int);
CREATE VIEW bad.v AS SELECT * FROM bad.ok;
CREATE MATERIALIZED VIEW bad.mv AS SELECT * FROM bad.ok;
CREATE SEQUENCE bad.seq;
CREATE TYPE bad.comp AS (body text, created timestamptz, sent timestamptz);
CREATE TABLE bad.part (id int, body text, created timestamptz NOT NULL, sent timestamptz,
                       PRIMARY KEY (id, created)) PARTITION BY RANGE (created);
CREATE TABLE bad.part_2026 PARTITION OF bad.part FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE bad.part1 (id int PRIMARY KEY, body text, created timestamptz NOT NULL, sent timestamptz)
    PARTITION BY LIST (id);
CREATE TABLE bad.part1_a PARTITION OF bad.part1 FOR VALUES IN (1, 2, 3);
CREATE FOREIGN DATA WRAPPER bad_fdw;
CREATE SERVER bad_server FOREIGN DATA WRAPPER bad_fdw;
CREATE FOREIGN TABLE bad.ft (id int, body text, created timestamptz, sent timestamptz) SERVER bad_server;
CREATE TABLE bad.nokey (body text, created timestamptz, sent timestamptz);
CREATE TABLE bad.arr (id int PRIMARY KEY, body text[], created timestamptz, sent timestamptz);
CREATE TABLE bad."we""ird; DROP TABLE bad.ok; --" (id int PRIMARY KEY, "bo""dy" text, "cre'ated" timestamptz,
                     "se nt" timestamptz);
CREATE TEMP TABLE tmp_letters (id int PRIMARY KEY, body text, created timestamptz NOT NULL, sent timestamptz);
TRUNCATE calls;
INSERT INTO calls (q) VALUES
  ('SELECT letters_triage.watch(NULL, ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok'', NULL, ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', NULL, ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', ''created'', NULL)'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', ''created'', ''sent'', backfill => NULL)'),
  ('SELECT letters_triage.watch(''bad.ok'', '''', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''missing'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', ''created'', ''sent'', recipient => ''missing'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', ''created'', ''sent'', nhs_number => '''')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', ''created'', ''sent'', kind => ''ctid'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''n'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', ''n'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', ''created'', ''body'')'),
  ('SELECT letters_triage.watch(''bad.ok'', ''body'', ''created'', ''sent'', recipient => ''n'')'),
  ('SELECT letters_triage.watch(''bad.v'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.mv'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.seq'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.comp'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok_pkey'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ft'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.nokey'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.arr'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''pg_catalog.pg_class'', ''relname'', ''relname'', ''relname'')'),
  ('SELECT letters_triage.watch(''letters_triage.rule'', ''pattern'', ''pattern'', ''pattern'')'),
  ('SELECT letters_triage.watch(0::regclass, ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(4294967295::oid::regclass, ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.part'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.part1'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.part1_a'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad."we""ird; DROP TABLE bad.ok; --"'', ''bo"dy'', ''cre''''ated'', ''se nt'')'),
  ('SELECT letters_triage.watch(''tmp_letters'', ''body'', ''created'', ''sent'')'),
  ('SELECT letters_triage.watch(''bad.ok'', repeat(''b'', 1000), ''created'', ''sent'')'),
  ('SELECT letters_triage.unwatch(NULL)'),
  ('SELECT letters_triage.unwatch(''bad.ok'', NULL)'),
  ('SELECT letters_triage.unwatch(''bad.v'')'),
  ('SELECT letters_triage.unwatch(0::regclass)'),
  ('SELECT letters_triage.retriage(''bad.v'')'),
  ('SELECT letters_triage.retriage(0::regclass)'),
  ('SELECT letters_triage.retriage(''bad.nokey'')');
SELECT n, q, pg_temp.try(q) AS result FROM calls ORDER BY n;
-- (a temporary table by the name of the session's temporary schema, here pg_temp)
SELECT regexp_replace(name, '^pg_temp_[0-9]+', 'pg_temp') AS tbl, key_column, body, created, sent FROM letters_triage.watched WHERE ended IS NULL ORDER BY 1;

-- ---------------------------------------------------------------- the trigger with bad rows
SELECT letters_triage.watch('bad.ok', 'body', 'created', 'sent');
INSERT INTO bad.ok (id, body) VALUES
    (1, NULL), (2, ''), (3, E'\x01\x02'), (4, repeat(E'\u00e9', 100)),
    (5, (SELECT prose10 FROM big)), (6, (SELECT x10 FROM big));
INSERT INTO bad.ok (id, body, created) VALUES (7, 'x', 'infinity'), (8, 'x', '-infinity');
INSERT INTO bad.ok (id, body, sent) VALUES (9, 'x', '-infinity'), (10, 'x', 'infinity');
UPDATE bad.ok SET body = body || ' died' WHERE id IN (2, 6);
SELECT key, urgency, actions, needs_review, status, due IS NOT NULL AS has_due, sent
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bad.ok') ORDER BY key::int;
SELECT count(*) AS tracking_errors FROM letters_triage.tracking_log;
DELETE FROM bad.ok WHERE id > 5;
TRUNCATE bad.ok;
SELECT status, count(*) FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bad.ok') GROUP BY 1 ORDER BY 1;

-- The trigger attached by hand, wrongly.
CREATE TABLE bad.hand (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TRIGGER t1 AFTER INSERT ON bad.hand FOR EACH ROW EXECUTE FUNCTION letters_triage.track();
INSERT INTO bad.hand VALUES (1, 'x', now(), NULL);
DROP TRIGGER t1 ON bad.hand;
CREATE TRIGGER t2 AFTER INSERT ON bad.hand FOR EACH STATEMENT EXECUTE FUNCTION letters_triage.track('id');
INSERT INTO bad.hand VALUES (1, 'x', now(), NULL);
DROP TRIGGER t2 ON bad.hand;
CREATE TRIGGER t3 AFTER INSERT ON bad.hand FOR EACH STATEMENT
    EXECUTE FUNCTION letters_triage.track('0', 'id', 'body', 'created', 'sent', '', '', '');
INSERT INTO bad.hand VALUES (11, 'x', now(), NULL);
DROP TRIGGER t3 ON bad.hand;
CREATE TRIGGER t4 AFTER INSERT ON bad.hand REFERENCING NEW TABLE AS n FOR EACH STATEMENT
    EXECUTE FUNCTION letters_triage.track('0', 'nope', 'nobody', 'x', 'y', 'z', '', '');
INSERT INTO bad.hand VALUES (2, 'x', now(), NULL);
DROP TRIGGER t4 ON bad.hand;
CREATE TRIGGER t5 BEFORE INSERT ON bad.hand FOR EACH ROW EXECUTE FUNCTION letters_triage.rules_changed();
INSERT INTO bad.hand VALUES (3, 'x', now(), NULL);
DROP TRIGGER t5 ON bad.hand;
-- the calendar's cache trigger is guarded alike: as a BEFORE ROW trigger it
-- would drop the row silently (INSERT 0 0); it refuses instead
CREATE TRIGGER t6 BEFORE INSERT ON bad.hand FOR EACH ROW EXECUTE FUNCTION letters_triage.calendar_changed();
INSERT INTO bad.hand VALUES (3, 'x', now(), NULL);
DROP TRIGGER t6 ON bad.hand;

-- ---------------------------------------------------------------- hostile rules
BEGIN;
INSERT INTO letters_triage.rule (pattern, action, urgency) VALUES ('*', 'review', 'urgent'), ('   ', 'test', 'soon'),
    (repeat('a ', 100), 'test', 'soon'), (E'\u00df\ufb01*', 'test', 'soon'), ('-_-', 'review', 'soon'),
    (E'\u0301', 'review', 'immediate'), ('died', NULL, NULL);
INSERT INTO letters_triage.modifier (phrase, category, direction, scope) VALUES ('*', 'negated', 'both', 100),
    ('.', 'termination', 'forward', 0), (E'\u00e9', 'pseudo', 'backward', 1);
INSERT INTO letters_triage.section (heading, meaning) VALUES ('*', 'family'), (':', 'actions');
SELECT (letters_triage.classify(E'Stra\u00dfe \ufb01sh died. \u00e9 * . - _ ' || repeat('a ', 120))).urgency;
SELECT count(*) > 0 AS has_evidence FROM letters_triage.evidence(E'a a a \u00df\ufb01sh * : died');
SELECT (letters_triage.classify((SELECT prose10 FROM big))).urgency;
ROLLBACK;
\set VERBOSITY terse
INSERT INTO letters_triage.rule (pattern, action) VALUES ('', 'review');
INSERT INTO letters_triage.rule (pattern, action) VALUES (repeat('x', 201), 'review');
INSERT INTO letters_triage.rule (pattern, action) VALUES ('x', 'bogus');
INSERT INTO letters_triage.modifier (phrase, category, scope) VALUES ('x', 'negated', 101);
\set VERBOSITY default

SELECT regexp_replace(name, '^pg_temp_[0-9]+', 'pg_temp') AS tbl, letters_triage.unwatch(name::regclass) FROM letters_triage.watched WHERE ended IS NULL ORDER BY 1;
SET client_min_messages = warning;
DROP SCHEMA bad CASCADE;
DROP TABLE tmp_letters;
RESET client_min_messages;
DROP SERVER bad_server;
DROP FOREIGN DATA WRAPPER bad_fdw;
