-- A tracking trigger re-created by hand, not as watch() makes it (without its
-- transition tables or arguments), cannot track: it never fails the
-- application's statement (a warning), and tracking_status does not count it,
-- so the table is reported and check_tracking raises an alert.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
CREATE SCHEMA tsh;
CREATE TABLE tsh.a (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('tsh.a', 'body', 'created', 'sent');
DROP TRIGGER letters_triage_insert ON tsh.a;
CREATE TRIGGER letters_triage_insert AFTER INSERT ON tsh.a FOR EACH STATEMENT EXECUTE FUNCTION letters_triage.track();
INSERT INTO tsh.a VALUES (1, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00+00', NULL);
SELECT count(*) AS rows_written FROM tsh.a;
SELECT on_insert, status, detail FROM letters_triage.tracking_status WHERE tbl = 'tsh.a'::regclass;
SET client_min_messages = error;
SELECT kind, event FROM letters_triage.check_tracking('2026-11-24 10:05+00');
RESET client_min_messages;
-- watch() again repairs it
SELECT letters_triage.watch('tsh.a', 'body', 'created', 'sent');
SELECT status FROM letters_triage.tracking_status WHERE tbl = 'tsh.a'::regclass;
SELECT count(*) AS letters FROM letters_triage.letter_state;

SET client_min_messages = warning;
DROP SCHEMA tsh CASCADE;
RESET client_min_messages;
