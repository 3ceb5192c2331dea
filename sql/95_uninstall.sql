-- Uninstalling keeps the letters: DROP EXTENSION letters_triage CASCADE
-- would drop every application column of type letters_triage.letter (and
-- of domains and arrays over it).  It is refused, naming the columns, until
-- they are converted back to text or the DBA allows it.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;

CREATE SCHEMA un;
CREATE DOMAIN un.clinic_letter AS letters_triage.letter;
CREATE TABLE un.outbox (id integer PRIMARY KEY, body letters_triage.letter, copy un.clinic_letter,
                        drafts letters_triage.letter[], note text);
INSERT INTO un.outbox VALUES (1, 'Please stop warfarin today.', 'Seen in clinic.', ARRAY['Draft one.']::letters_triage.letter[], 'kept');
CREATE VIEW un.outbox_view AS SELECT id, body FROM un.outbox;

-- refused, with or without CASCADE, and through the schema
DROP EXTENSION letters_triage CASCADE;
DROP EXTENSION letters_triage;
DROP SCHEMA letters_triage CASCADE;
-- other drops are not concerned
DROP EXTENSION IF EXISTS no_such_extension;
CREATE SCHEMA un_other;
DROP SCHEMA un_other CASCADE;
SELECT count(*) AS still_installed FROM pg_extension WHERE extname = 'letters_triage';
-- also in a session with session_replication_role = replica (left on by a
-- bulk load), where event triggers not enabled ALWAYS are skipped
SET session_replication_role = replica;
DROP EXTENSION letters_triage CASCADE;
RESET session_replication_role;
SELECT count(*) AS still_installed FROM pg_extension WHERE extname = 'letters_triage';
SELECT evtname, evtenabled FROM pg_event_trigger WHERE evtname LIKE 'letters\_triage\_%' ORDER BY 1;

-- the uninstall procedure: convert the columns back to text, then drop
DROP VIEW un.outbox_view;
ALTER TABLE un.outbox ALTER COLUMN body TYPE text USING body::text, ALTER COLUMN copy TYPE text USING copy::text,
                      ALTER COLUMN drafts TYPE text[] USING drafts::text[];
DROP DOMAIN un.clinic_letter;
-- a materialized view and a range type over letters hold letters too
CREATE MATERIALIZED VIEW un.letter_mv AS SELECT 'Please call her today.'::letters_triage.letter AS l;
CREATE TYPE un.letter_range AS RANGE (subtype = letters_triage.letter);
CREATE TABLE un.ranges (r un.letter_range);
DROP EXTENSION letters_triage CASCADE;
DROP MATERIALIZED VIEW un.letter_mv;
DROP TABLE un.ranges;
DROP TYPE un.letter_range;
SET client_min_messages = warning;
DROP EXTENSION letters_triage CASCADE;
RESET client_min_messages;
SELECT id, body, copy, drafts, note FROM un.outbox;

-- or the DBA allows the columns to go
CREATE EXTENSION letters_triage;
CREATE TABLE un.scratch (id integer PRIMARY KEY, body letters_triage.letter);
SET letters_triage.allow_drop_letter_columns = on;
SET client_min_messages = warning;
DROP EXTENSION letters_triage CASCADE;
RESET client_min_messages;
RESET letters_triage.allow_drop_letter_columns;
SELECT attname FROM pg_attribute WHERE attrelid = 'un.scratch'::regclass AND attnum > 0 AND NOT attisdropped;

SET client_min_messages = warning;
DROP SCHEMA un CASCADE;
CREATE EXTENSION letters_triage;
