-- The "existing application": a table and statements written without any
-- knowledge of the extension give identical results, row counts, errors and
-- table contents before and after watch().
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';

CREATE SCHEMA app;
CREATE TABLE app.outbox (
    id        bigserial PRIMARY KEY,
    practice  char(6),
    body      text NOT NULL,
    made_at   timestamp NOT NULL DEFAULT '2026-11-24 09:30',
    posted_at timestamp,
    attempts  int NOT NULL DEFAULT 0,
    UNIQUE (practice, body)
);

-- What the application does, as a function so that it can run twice; each
-- result, row count and error becomes one line of output.
CREATE FUNCTION app.workload() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    r   record;
    n   bigint;
BEGIN
    FOR r IN INSERT INTO app.outbox (practice, body) VALUES ('G82001', 'Clinic letter: reviewed, no change.')
             RETURNING id, practice, made_at LOOP
        RETURN NEXT format('insert returning %s', r);
    END LOOP;
    INSERT INTO app.outbox (practice, body, made_at)
    SELECT 'G8' || lpad((g % 7)::text, 4, '0'), 'Letter ' || g || ': patient seen in clinic.', '2026-11-24 10:00'::timestamp + g * interval '5 minutes'
      FROM generate_series(1, 40) g;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN NEXT format('insert select %s rows', n);
    INSERT INTO app.outbox (practice, body) VALUES ('G82001', 'Clinic letter: reviewed, no change.')
        ON CONFLICT (practice, body) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN NEXT format('insert on conflict do nothing %s rows', n);
    INSERT INTO app.outbox (practice, body) VALUES ('G82001', 'Clinic letter: reviewed, no change.')
        ON CONFLICT (practice, body) DO UPDATE SET attempts = app.outbox.attempts + 1;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN NEXT format('insert on conflict do update %s rows', n);
    FOR r IN UPDATE app.outbox SET posted_at = made_at + interval '2 hours', attempts = attempts + 1
              WHERE id % 3 = 0 RETURNING id, posted_at LOOP
        RETURN NEXT format('update returning %s', r);
    END LOOP;
    UPDATE app.outbox SET body = body || ' (amended)' WHERE id IN (5, 7);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN NEXT format('update body %s rows', n);
    FOR r IN DELETE FROM app.outbox WHERE id IN (4, 6, 99) RETURNING id, body LOOP
        RETURN NEXT format('delete returning %s', r);
    END LOOP;
    WITH moved AS (UPDATE app.outbox SET practice = 'G82099' WHERE id = 8 RETURNING id)
    SELECT count(*) INTO n FROM moved;
    RETURN NEXT format('cte update %s rows', n);
    BEGIN
        INSERT INTO app.outbox (id, practice, body) VALUES (1, 'G82001', 'Duplicate id.');
    EXCEPTION WHEN unique_violation THEN
        RETURN NEXT format('duplicate refused: %s', SQLSTATE);
    END;
    BEGIN
        UPDATE app.outbox SET body = NULL WHERE id = 2;
    EXCEPTION WHEN not_null_violation THEN
        RETURN NEXT format('null body refused: %s', SQLSTATE);
    END;
    FOR r IN SELECT practice, count(*) AS letters, count(posted_at) AS posted, sum(attempts) AS attempts
               FROM app.outbox GROUP BY practice ORDER BY practice LOOP
        RETURN NEXT format('report %s', r);
    END LOOP;
    FOR r IN SELECT * FROM app.outbox ORDER BY id LOOP
        RETURN NEXT format('row %s', r);
    END LOOP;
END
$$;

CREATE TABLE app.columns_before AS
SELECT attname, atttypid::regtype, attnotnull, atthasdef FROM pg_attribute
 WHERE attrelid = 'app.outbox'::regclass AND attnum > 0 AND NOT attisdropped;

-- First run: the table is not watched.
CREATE TABLE app.run1 AS SELECT row_number() OVER () AS n, line FROM app.workload() AS line;
COPY app.outbox (practice, body, made_at) FROM stdin;
G82003	Copied letter one.	2026-11-25 09:00
G82004	Copied letter two.	2026-11-25 09:05
\.
INSERT INTO app.run1 SELECT 1000 + row_number() OVER (ORDER BY id), format('after copy %s', o) FROM app.outbox o;

-- Back to the same starting point, then watch() and run again.
TRUNCATE app.outbox RESTART IDENTITY;
SELECT letters_triage.watch('app.outbox', 'body', 'made_at', 'posted_at', recipient => 'practice');
CREATE TABLE app.run2 AS SELECT row_number() OVER () AS n, line FROM app.workload() AS line;
COPY app.outbox (practice, body, made_at) FROM stdin;
G82003	Copied letter one.	2026-11-25 09:00
G82004	Copied letter two.	2026-11-25 09:05
\.
INSERT INTO app.run2 SELECT 1000 + row_number() OVER (ORDER BY id), format('after copy %s', o) FROM app.outbox o;

-- Identical results, line by line.
SELECT count(*) AS lines FROM app.run1;
SELECT * FROM app.run1 FULL JOIN app.run2 USING (n) WHERE run1.line IS DISTINCT FROM run2.line;
SELECT line FROM app.run1 WHERE n <= 3 OR line LIKE '%refused%' ORDER BY n;
-- The table's columns did not change.
SELECT attname, atttypid::regtype, attnotnull, atthasdef FROM pg_attribute
 WHERE attrelid = 'app.outbox'::regclass AND attnum > 0 AND NOT attisdropped
EXCEPT SELECT * FROM app.columns_before;
-- Meanwhile every letter of the second run is tracked.
SELECT (SELECT count(*) FROM app.outbox) AS letters,
       count(*) FILTER (WHERE status <> 'withdrawn') AS tracked,
       count(*) FILTER (WHERE status = 'withdrawn') AS withdrawn,
       count(*) FILTER (WHERE status IN ('sent', 'sent_late')) AS sent
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('app.outbox');
SELECT count(*) AS mismatches
  FROM app.outbox o JOIN letters_triage.letter_state s ON s.table_id = letters_triage.table_id('app.outbox') AND s.key = o.id::text
 WHERE s.recipient IS DISTINCT FROM o.practice::text
    OR s.created <> (o.made_at AT TIME ZONE 'Europe/London')
    OR s.sent IS DISTINCT FROM (o.posted_at AT TIME ZONE 'Europe/London');

SET client_min_messages = warning;
DROP SCHEMA app CASCADE;
RESET client_min_messages;
DROP EXTENSION letters_triage;
