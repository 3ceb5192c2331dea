-- DROP OWNED BY a role: a watched table it owns that is dropped is no longer
-- watched and its unsent letters are withdrawn (recorded as dropped); when
-- the role owns the extension, DROP OWNED BY ... CASCADE would drop the
-- extension and every letter column with it, and is refused as DROP
-- EXTENSION is, unless letters_triage.allow_drop_letter_columns is on.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE;
DROP ROLE IF EXISTS lt_owned_ext; DROP ROLE IF EXISTS lt_owned_app; RESET client_min_messages;
CREATE ROLE lt_owned_ext SUPERUSER;
CREATE ROLE lt_owned_app;
SET ROLE lt_owned_ext;
CREATE EXTENSION letters_triage;
RESET ROLE;

CREATE SCHEMA ow;
GRANT ALL ON SCHEMA ow TO lt_owned_app;
CREATE TABLE ow.outbox (id integer PRIMARY KEY, body letters_triage.letter);
INSERT INTO ow.outbox VALUES (1, 'Please stop warfarin today.');
-- a watched table owned by the application role
SET ROLE lt_owned_app;
CREATE TABLE ow.app (id integer PRIMARY KEY, body text, created timestamptz NOT NULL DEFAULT now(), sent timestamptz);
RESET ROLE;
SELECT letters_triage.watch('ow.app', 'body', 'created', 'sent');
INSERT INTO ow.app (id, body) VALUES (1, 'Please stop warfarin today.');

-- the application role's objects dropped: the table is recorded as dropped
DROP OWNED BY lt_owned_app;
SELECT key, status, reason ~ 'table dropped' AS recorded FROM letters_triage.letter_state;
SELECT count(*) AS still_watched FROM letters_triage.watched WHERE ended IS NULL;

-- the extension's owner's objects: refused while letter columns exist
DROP OWNED BY lt_owned_ext CASCADE;
DROP OWNED BY lt_owned_app, lt_owned_ext CASCADE;
SELECT count(*) AS still_installed FROM pg_extension WHERE extname = 'letters_triage';
SELECT body FROM ow.outbox;

-- allowed: the column goes with the extension
SET letters_triage.allow_drop_letter_columns = on;
SET client_min_messages = warning;
DROP OWNED BY lt_owned_ext CASCADE;
RESET client_min_messages;
SELECT count(*) AS still_installed FROM pg_extension WHERE extname = 'letters_triage';
SELECT * FROM ow.outbox;

DROP SCHEMA ow CASCADE;
DROP ROLE lt_owned_app;
DROP ROLE lt_owned_ext;
SET client_min_messages = warning; CREATE EXTENSION letters_triage; RESET client_min_messages;
