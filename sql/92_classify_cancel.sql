-- Classification stops when asked to: statement_timeout (and so also
-- pg_cancel_backend, the same interrupt; see test/t/460_cancel.pl) ends
-- classify(), urgency() and evidence() on the worst letters of
-- test/fuzz/adversarial.h, a few MB each, with 57014 query_canceled, also
-- inside the tracking trigger of an application's INSERT (a cancelled
-- statement, not a letter recorded untriaged, nor a hang).
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;

-- 4 MB of each family whose analysis costs most per byte
CREATE TEMP TABLE adversarial (family text PRIMARY KEY, body text);
INSERT INTO adversarial VALUES
    ('request', repeat('please stop warfarin urgently refer to cardiology within 48 hours ', 62000)),
    ('request_short', repeat('please refer today ', 220000)),
    ('timeframes', repeat('within 48 hours today tomorrow by friday in 2 weeks next week by 12:00 2/52 ', 55000)),
    ('parens', repeat('(no fever (please refer today ( ', 130000)),
    ('commas', repeat('no fever, and please refer, but today, so ', 100000)),
    ('lines', repeat(E'please refer today\n- stop warfarin within 48 hours\n', 80000));
SELECT family, octet_length(body) > 4000000 AS four_mb FROM adversarial ORDER BY family;

-- each, cancelled by statement_timeout (the error, not the time, is checked here)
CREATE FUNCTION pg_temp.cancelled(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
    RETURN 'query_canceled ' || SQLSTATE;
END $$;
SET statement_timeout = '100ms';
SELECT pg_temp.cancelled(format('SELECT letters_triage.urgency(body) FROM adversarial WHERE family = %L', 'request'));
SELECT pg_temp.cancelled(format('SELECT letters_triage.urgency(body) FROM adversarial WHERE family = %L', 'request_short'));
SELECT pg_temp.cancelled(format('SELECT letters_triage.classify(body) FROM adversarial WHERE family = %L', 'timeframes'));
SELECT pg_temp.cancelled(format('SELECT letters_triage.urgency(body) FROM adversarial WHERE family = %L', 'parens'));
SELECT pg_temp.cancelled(format('SELECT count(*) FROM adversarial, letters_triage.evidence(body) WHERE family = %L', 'commas'));
SELECT pg_temp.cancelled(format('SELECT letters_triage.classify(body::letters_triage.letter) FROM adversarial WHERE family = %L', 'request_short'));
-- the error as a client sees it
SELECT letters_triage.urgency(body) FROM adversarial WHERE family = 'request';
RESET statement_timeout;

-- inside the tracking trigger: the application's INSERT is cancelled
CREATE TABLE app_letters (id integer PRIMARY KEY, body text, created_at timestamptz NOT NULL DEFAULT now(),
                          sent_at timestamptz);
SELECT letters_triage.watch('app_letters', 'body', 'created_at', 'sent_at') IS NOT NULL AS watched;
SET statement_timeout = '100ms';
INSERT INTO app_letters (id, body) SELECT 1, body FROM adversarial WHERE family = 'request';
SELECT pg_temp.cancelled($$INSERT INTO app_letters (id, body) SELECT 2, body FROM adversarial WHERE family = 'parens'$$);
RESET statement_timeout;
-- nothing of the cancelled statements is left, and tracking goes on
SELECT count(*) AS rows_kept FROM app_letters;
SELECT count(*) AS states_kept FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('app_letters');
INSERT INTO app_letters (id, body) VALUES (3, 'Please refer to cardiology today.');
SELECT key, urgency FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('app_letters');

-- without a timeout a few MB of the worst family is classified in time
SELECT letters_triage.urgency(body) FROM adversarial WHERE family = 'request';
