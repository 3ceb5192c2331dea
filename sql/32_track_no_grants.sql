-- An application role with no grant at all on the extension writes to
-- watched tables: every statement succeeds and is tracked, the first of a
-- new session as well as later ones, with every mapping (NHS number, kind,
-- recipient, a letters_triage.letter body, a timestamp without time zone as
-- creation time) and every kind of statement (INSERT, UPDATE, DELETE,
-- TRUNCATE, COPY); the NHS number check works in each.  Each case starts in
-- a new session (the trigger's look-ups must not depend on what an earlier
-- statement of the session did, or failed to do).
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SELECT current_user AS dba \gset

CREATE ROLE regress_nogrant_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB;
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO regress_nogrant_app;
-- text body, recipient, kind and NHS number mapped
CREATE TABLE app.texts (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz,
                        practice text, nhs text, kind text);
-- a letters_triage.letter body (its headers give kind, recipient and date)
CREATE TABLE app.letters (id int PRIMARY KEY, body letters_triage.letter, created timestamptz,
                          sent timestamptz, nhs text);
-- creation and sending times without time zone
CREATE TABLE app.local (id int PRIMARY KEY, body text, created timestamp, sent timestamp, nhs text);
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON app.texts, app.letters, app.local TO regress_nogrant_app;
SELECT letters_triage.watch('app.texts', 'body', 'created', 'sent', recipient => 'practice',
                            nhs_number => 'nhs', kind => 'kind');
SELECT letters_triage.watch('app.letters', 'body', 'created', 'sent', nhs_number => 'nhs');
SELECT letters_triage.watch('app.local', 'body', 'created', 'sent', nhs_number => 'nhs');
-- the role has no USAGE on the extension's schema (it cannot even name its functions)
SELECT has_schema_privilege('regress_nogrant_app', 'letters_triage', 'USAGE') AS schema_usage,
       has_function_privilege('regress_nogrant_app', 'letters_triage.nhs_number_valid(text)', 'EXECUTE') AS nhs_fn,
       has_function_privilege('regress_nogrant_app', 'letters_triage.body(letters_triage.letter)', 'EXECUTE') AS body_fn;

-- NHS numbers: 9434765919 is valid, 9434765918 has a wrong check digit.

--
-- text body
--
\c - regress_nogrant_app
INSERT INTO app.texts VALUES (1, 'Clinic letter. No change.', '2024-10-07 09:00+01', NULL, 'A81001', '9434765918', 'outpatient');
INSERT INTO app.texts VALUES (2, 'Clinic letter. No change.', '2024-10-07 09:00+01', NULL, 'A81001', '9434765918', 'outpatient');
INSERT INTO app.texts VALUES (3, 'Clinic letter. No change.', '2024-10-07 09:00+01', NULL, 'A81001', '9434765919', 'outpatient'),
                             (4, 'Clinic letter. No change.', '2024-10-07 09:00+01', NULL, 'A81002', '9434765919', 'discharge'),
                             (5, 'Clinic letter. No change.', '2024-10-07 09:00+01', NULL, 'A81002', '9434765919', 'outpatient');
\c - regress_nogrant_app
UPDATE app.texts SET nhs = '9434765918' WHERE id = 3;
UPDATE app.texts SET sent = '2024-10-07 12:00+01' WHERE id = 4;
\c - regress_nogrant_app
DELETE FROM app.texts WHERE id = 5;
DELETE FROM app.texts WHERE id = 2;
\c - regress_nogrant_app
COPY app.texts FROM stdin;
6	Clinic letter. No change.	2024-10-07 10:00:00+01	\N	A81003	943 476 5918	outpatient
7	Clinic letter. No change.	2024-10-07 10:00:00+01	\N	A81003	943 476 5919	outpatient
\.
COPY app.texts FROM stdin;
8	Clinic letter. No change.	2024-10-07 10:00:00+01	\N	A81003	\N	outpatient
\.

--
-- letters_triage.letter body
--
\c - regress_nogrant_app
INSERT INTO app.letters VALUES (1, E'Kind: outpatient\nTo: B82001\n\nClinic letter. No change.', '2024-10-07 09:00+01', NULL, '9434765918');
INSERT INTO app.letters VALUES (2, E'Kind: outpatient\nTo: B82001\n\nClinic letter. No change.', '2024-10-07 09:00+01', NULL, '9434765919'),
                               (3, E'Kind: discharge\nTo: B82002\nDated: 2024-10-07 08:00+01\n\nDischarge summary.', NULL, NULL, '9434765919');
\c - regress_nogrant_app
UPDATE app.letters SET nhs = '9434765918' WHERE id = 2;
UPDATE app.letters SET sent = '2024-10-07 12:00+01' WHERE id = 3;
\c - regress_nogrant_app
DELETE FROM app.letters WHERE id = 1;
\c - regress_nogrant_app
COPY app.letters FROM stdin;
4	Kind: outpatient\nTo: B82003\n\nClinic letter. No change.	2024-10-07 10:00:00+01	\N	9434765918
\.
INSERT INTO app.letters VALUES (5, E'Kind: outpatient\nTo: B82003\n\nClinic letter. No change.', '2024-10-07 10:00+01', NULL, '9434765919');

--
-- timestamps without time zone
--
\c - regress_nogrant_app
INSERT INTO app.local VALUES (1, 'Clinic letter. No change.', '2024-10-07 09:00', NULL, '9434765918');
INSERT INTO app.local VALUES (2, 'Clinic letter. No change.', '2024-10-07 09:00', NULL, '9434765919');
\c - regress_nogrant_app
UPDATE app.local SET sent = '2024-10-07 12:00' WHERE id = 2;
\c - regress_nogrant_app
COPY app.local FROM stdin;
3	Clinic letter. No change.	2024-10-07 10:00:00	\N	9434765918
\.
\c - regress_nogrant_app
DELETE FROM app.local WHERE id = 3;

\c - :dba
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';
-- every letter is tracked, and each invalid or missing NHS number is up for review
SELECT letters_triage.table_label(table_id) AS tbl, key, kind, recipient, created, status, needs_review,
       split_part(reason, ';', 1) AS first_reason
  FROM letters_triage.letter_state ORDER BY tbl, key;
SELECT count(*) AS tracking_problems FROM letters_triage.tracking_log;

--
-- TRUNCATE, also as the first statement of a session, then writes after it.
--
\c - regress_nogrant_app
TRUNCATE app.texts;
INSERT INTO app.texts VALUES (9, 'Clinic letter. No change.', '2024-10-08 09:00+01', NULL, 'A81001', '9434765918', 'outpatient');
\c - regress_nogrant_app
TRUNCATE app.letters;
INSERT INTO app.letters VALUES (9, E'Kind: outpatient\n\nClinic letter. No change.', '2024-10-08 09:00+01', NULL, '9434765918');
\c - regress_nogrant_app
TRUNCATE app.local;
INSERT INTO app.local VALUES (9, 'Clinic letter. No change.', '2024-10-08 09:00', NULL, '9434765918');

\c - :dba
SELECT letters_triage.table_label(table_id) AS tbl, key, status, needs_review, split_part(reason, ';', 1) AS first_reason
  FROM letters_triage.letter_state WHERE status <> 'withdrawn' ORDER BY tbl, key;
SELECT letters_triage.table_label(table_id) AS tbl, event, letters, detail FROM letters_triage.tracking_log ORDER BY id;

SET client_min_messages = warning;
SELECT letters_triage.unwatch(w.name::regclass, false) FROM letters_triage.watched w WHERE w.ended IS NULL ORDER BY 1;
DROP SCHEMA app CASCADE;
DROP EXTENSION letters_triage;
RESET client_min_messages;
DROP OWNED BY regress_nogrant_app;
DROP ROLE regress_nogrant_app;
