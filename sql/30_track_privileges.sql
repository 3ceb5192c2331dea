-- Privileges: an application role needs no grants on the extension and can
-- neither read nor change the state, the policy or the watched tables; the
-- trigger writes as the extension's owner and resists a hostile search_path.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';

CREATE ROLE lt_track_app NOSUPERUSER NOCREATEROLE NOCREATEDB;
CREATE ROLE lt_track_report NOSUPERUSER;
CREATE SCHEMA trust AUTHORIZATION lt_track_app;
SET ROLE lt_track_app;
CREATE TABLE trust.letters (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz);
-- hostile objects the application role could put in its path
CREATE FUNCTION trust.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE sql AS 'SELECT NULL::text::anyelement WHERE false';
CREATE FUNCTION trust.texteq_evil(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR trust.= (LEFTARG = text, RIGHTARG = text, FUNCTION = trust.texteq_evil);
RESET ROLE;

-- The DBA watches the application's table.
SELECT letters_triage.watch('trust.letters', 'body', 'created', 'sent');

SET ROLE lt_track_app;
SET search_path = trust, pg_catalog, public;
INSERT INTO trust.letters VALUES (1, 'Clinic letter.', '2026-11-24 10:00'), (2, 'Another letter.', '2026-11-24 10:00');
UPDATE trust.letters SET sent = '2026-11-24 11:00' WHERE id = 1;
DELETE FROM trust.letters WHERE id = 2;
INSERT INTO trust.letters VALUES (3, 'Third letter.', '2026-11-24 10:00');
-- no access to the extension's schema, tables or functions
SELECT count(*) FROM letters_triage.letter_state;
SELECT letters_triage.watch('trust.letters', 'body', 'created', 'sent');
RESET ROLE;
RESET search_path;
SELECT key, status FROM letters_triage.letter_state ORDER BY key;

-- Even with USAGE on the schema, the application role cannot read or change
-- the state, the policy, the calendar settings or the watched tables.
GRANT USAGE ON SCHEMA letters_triage TO lt_track_app;
SET ROLE lt_track_app;
SELECT count(*) FROM letters_triage.letter_state;
UPDATE letters_triage.letter_state SET status = 'sent';
SELECT count(*) FROM letters_triage.policy;
INSERT INTO letters_triage.policy (amount, unit) VALUES (100, 'days');
SELECT count(*) FROM letters_triage.watched;
SELECT count(*) FROM letters_triage.tracking_log;
DELETE FROM letters_triage.non_working_day;
UPDATE letters_triage.working_hours SET closes = '23:00';
SELECT letters_triage.watch('trust.letters', 'body', 'created', 'sent');
SELECT letters_triage.unwatch('trust.letters');
SELECT letters_triage.retriage();
SELECT letters_triage.deadline('2026-11-24 10:00', 'routine');
-- the calendar is public information
SELECT letters_triage.is_working_time('2026-11-24 10:00'), letters_triage.working_hours_between('2026-11-24 10:00', '2026-11-24 12:00');
-- a TRUNCATE by the application is tracked too
TRUNCATE trust.letters;
RESET ROLE;
SELECT key, status FROM letters_triage.letter_state ORDER BY key;

-- A reporting role: USAGE on the schema and SELECT on what it reports on.
GRANT USAGE ON SCHEMA letters_triage TO lt_track_report;
GRANT SELECT ON letters_triage.letter_state TO lt_track_report;
SET ROLE lt_track_report;
SELECT status, count(*) FROM letters_triage.letter_state GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM trust.letters;
RESET ROLE;

-- The application role can still drop its own watched table; the extension
-- then stops watching it.
SET ROLE lt_track_app;
CREATE TABLE trust.other (id int PRIMARY KEY);
DROP TABLE trust.other;
DROP TABLE trust.letters;
RESET ROLE;
SELECT count(*) AS watched FROM letters_triage.watched WHERE ended IS NULL;

SET client_min_messages = warning;
DROP SCHEMA trust CASCADE;
DROP EXTENSION letters_triage;
RESET client_min_messages;
DROP OWNED BY lt_track_app, lt_track_report;
DROP ROLE lt_track_app, lt_track_report;
