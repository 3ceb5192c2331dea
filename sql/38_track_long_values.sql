-- Values longer than letter_state's indexes take (an index row holds about
-- 2.7 kB) never fail the application's write: a practice or kind value
-- longer than 200 bytes is cut and its letter needs review; a key longer
-- than 1000 bytes cannot be recorded, so its letter is counted as lost (a
-- tracking error the checks raise).  The checks and acknowledge() go on
-- working.  Written by an unprivileged application role.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
CREATE ROLE regress_long_app;
CREATE SCHEMA lv;
GRANT USAGE ON SCHEMA lv TO regress_long_app;
CREATE TABLE lv.outbox (id text PRIMARY KEY, practice text, kind text, body text NOT NULL,
                        created timestamptz NOT NULL, sent timestamptz);
GRANT SELECT, INSERT, UPDATE ON lv.outbox TO regress_long_app;
SELECT letters_triage.watch('lv.outbox', body => 'body', created => 'created', sent => 'sent',
                            recipient => 'practice', kind => 'kind') AS backfilled;
-- poorly compressible: md5s of a series
CREATE FUNCTION pg_temp.noise(n integer) RETURNS text LANGUAGE sql
    AS $$ SELECT string_agg(md5(g::text), '') FROM generate_series(1, $1) g $$;
SET ROLE regress_long_app;
INSERT INTO lv.outbox VALUES
    ('1', pg_temp.noise(200), 'outpatient', 'Seen in clinic, no changes.', '2026-11-20 10:00', '2026-11-30 10:00'),
    ('2', pg_temp.noise(200), 'outpatient', 'Seen in clinic, no changes.', '2026-11-20 10:00', NULL),
    ('3', 'A81001', pg_temp.noise(200), 'Seen in clinic, no changes.', '2026-11-20 10:00', NULL),
    ('4', 'A81001', 'outpatient', 'Seen in clinic, no changes.', '2026-11-20 10:00', NULL);
INSERT INTO lv.outbox VALUES (pg_temp.noise(40), 'A81001', 'outpatient', 'Seen in clinic, no changes.', '2026-11-20 10:00', NULL);
UPDATE lv.outbox SET sent = '2026-11-30 11:00' WHERE id = '2';
RESET ROLE;
SELECT count(*) AS rows_written FROM lv.outbox;
SELECT key, status, needs_review, length(recipient) AS practice_bytes, length(kind) AS kind_bytes,
       split_part(reason, ';', 1) AS reason
  FROM letters_triage.letter_state ORDER BY key;
SELECT event, letters, detail FROM letters_triage.tracking_log ORDER BY id;
-- the checks run, and raise what they must
SELECT event, kind, letters FROM letters_triage.check_all() ORDER BY kind, letters;
SELECT max(length(subject)) <= 200 AS subjects_short FROM letters_triage.alert;
SELECT count(*) AS acknowledged
  FROM letters_triage.alert a, letters_triage.acknowledge(a.id, 'seen') k WHERE a.kind = 'sent_late';
DROP SCHEMA lv CASCADE;
DROP ROLE regress_long_app;
