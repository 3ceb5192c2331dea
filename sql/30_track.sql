-- Tracking letters on existing tables: watch(), the trigger, statuses,
-- backfill, remapping, unwatch, retriage, problems and errors.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';
-- The trigger's problems are shown here as WARNINGs, to test what they say;
-- by default they go to the server log only (test/t/461_track_quiet.pl).
SET letters_triage.client_warnings = on;

CREATE SCHEMA clinic;
CREATE TABLE clinic.letters (
    id         integer PRIMARY KEY,
    body       text,
    created_at timestamptz NOT NULL DEFAULT '2026-11-24 10:00',
    sent_at    timestamptz,
    practice   text,
    kind       text,
    note       text
);
-- A backlog already in the table when watching starts.
INSERT INTO clinic.letters (id, body, practice, kind) VALUES
    (1, 'Seen in clinic for review of eczema. Continue emollients. No change to medication.', 'G82001', 'outpatient'),
    (2, '', 'G82002', NULL),
    (3, 'Discharged home after an uncomplicated admission.', 'G82003', 'Discharge');

-- The view every check below uses: the state of each letter, and whether its
-- deadline is what the policy gives for its urgency and kind.
CREATE VIEW clinic.state AS
SELECT key, needs_review, kind, recipient, created, due, sent, status,
       due = letters_triage.deadline(created, urgency, kind) AS due_by_policy,
       reason IS NOT NULL AS has_reason, withdrawn IS NOT NULL AS is_withdrawn
  FROM letters_triage.letter_state
 -- (by the name its identity records: also while it is not watched)
 WHERE table_id IN (SELECT id FROM letters_triage.watched WHERE name = 'clinic.letters' AND ended_by IS DISTINCT FROM 'drop');

-- Bad mappings are refused with clear errors.
SELECT letters_triage.watch(NULL, 'body', 'created_at', 'sent_at');
SELECT letters_triage.watch('clinic.letters', NULL, 'created_at', 'sent_at');
SELECT letters_triage.watch('clinic.letters', 'nobody', 'created_at', 'sent_at');
SELECT letters_triage.watch('clinic.letters', 'id', 'created_at', 'sent_at');
SELECT letters_triage.watch('clinic.letters', 'body', 'practice', 'sent_at');
SELECT letters_triage.watch('clinic.letters', 'body', 'created_at', 'sent_at', kind => 'missing');
SELECT letters_triage.watch('clinic.state', 'body', 'created_at', 'sent_at');
SELECT letters_triage.watch('letters_triage.policy', 'note', 'id', 'id');
CREATE TABLE clinic.nokey (body text, created_at timestamptz, sent_at timestamptz);
SELECT letters_triage.watch('clinic.nokey', 'body', 'created_at', 'sent_at');
CREATE TABLE clinic.twokey (a int, b int, body text, created_at timestamptz, sent_at timestamptz, PRIMARY KEY (a, b));
SELECT letters_triage.watch('clinic.twokey', 'body', 'created_at', 'sent_at');
DROP TABLE clinic.nokey, clinic.twokey;
SELECT letters_triage.watch('clinic.letters', '', 'created_at', 'sent_at');
SELECT letters_triage.watch('clinic.letters', repeat('b', 1000), 'created_at', 'sent_at');
SELECT letters_triage.watch('clinic.letters', 'body', 'created_at', 'sent_at', backfill => NULL);
SELECT letters_triage.watch(0, 'body', 'created_at', 'sent_at');
SELECT letters_triage.unwatch('clinic.state');
SELECT letters_triage.retriage(0);
SELECT count(*) AS watched FROM letters_triage.watched WHERE ended IS NULL;

-- watch() with backfill triages the backlog.
SELECT letters_triage.watch('clinic.letters', 'body', 'created_at', 'sent_at',
                            recipient => 'practice', kind => 'kind') AS backfilled;
SELECT name AS tbl, key_column, body, created, sent, recipient, nhs_number, kind FROM letters_triage.watched WHERE ended IS NULL;
SELECT tgname, tgtype FROM pg_trigger WHERE tgrelid = 'clinic.letters'::regclass ORDER BY 1;
SELECT key, needs_review, kind, recipient, created, sent, status, due_by_policy, has_reason, is_withdrawn
  FROM clinic.state ORDER BY key::int;
-- the empty letter needs review and is treated as at least urgent
SELECT key, urgency >= 'urgent' AS at_least_urgent FROM letters_triage.letter_state WHERE needs_review;

-- INSERT: one row, many rows, COPY.
INSERT INTO clinic.letters (id, body, practice) VALUES (4, 'Patient reviewed, plan discussed.', 'G82004');
INSERT INTO clinic.letters (id, body, practice, created_at)
SELECT g, 'Clinic letter number ' || g, 'G8' || lpad(g::text, 4, '0'), CASE g WHEN 11 THEN timestamptz '2026-11-02 17:00' ELSE '2026-11-27 17:00' END
  FROM generate_series(10, 19) g;
COPY clinic.letters (id, body, created_at, practice, kind) FROM stdin;
20	Copied letter one.	2026-11-24 09:00:00+00	G82020	outpatient
21	Copied letter two.	2026-11-24 12:00:00+00	G82021	discharge
\.
SELECT count(*) AS letters, count(*) FILTER (WHERE due_by_policy) AS due_by_policy,
       count(*) FILTER (WHERE status = 'waiting') AS waiting
  FROM clinic.state;
SELECT key, kind, created, due_by_policy FROM clinic.state WHERE key IN ('20', '21') ORDER BY key;

-- UPDATE of the sent column: sent on time, sent late.
UPDATE clinic.letters SET sent_at = created_at + interval '1 hour' WHERE id IN (1, 10);
UPDATE clinic.letters SET sent_at = '2026-12-01 09:00' WHERE id = 11;
SELECT key, sent, status FROM clinic.state WHERE key IN ('1', '10', '11') ORDER BY key::int;

-- A letter the alerts marked overdue is sent late when it is finally sent,
-- even if sent before its deadline changed.
UPDATE letters_triage.letter_state SET status = 'overdue' WHERE table_id = letters_triage.table_id('clinic.letters') AND key IN ('12', '13');
UPDATE clinic.letters SET note = 'touched' WHERE id = 12;          -- not sent: stays overdue
UPDATE clinic.letters SET sent_at = '2026-11-27 17:30' WHERE id = 13;
SELECT key, sent, status FROM clinic.state WHERE key IN ('12', '13') ORDER BY key::int;
-- un-sending a letter (a correction) makes it wait again
UPDATE clinic.letters SET sent_at = NULL WHERE id = 10;
SELECT key, sent, status FROM clinic.state WHERE key = '10';

-- UPDATE of the body: triaged again, deadline from the original creation time.
UPDATE clinic.letters SET body = 'Reviewed today; routine follow up in the clinic in six months.' WHERE id = 2;
SELECT key, needs_review, created, due_by_policy, status FROM clinic.state WHERE key = '2';

-- DELETE: an unsent letter is withdrawn, a sent letter stays sent.
DELETE FROM clinic.letters WHERE id IN (14, 1);
SELECT key, status, is_withdrawn FROM clinic.state WHERE key IN ('1', '14') ORDER BY key::int;
-- the same key inserted again is a new letter
INSERT INTO clinic.letters (id, body) VALUES (14, 'Replacement letter.');
SELECT key, status, is_withdrawn FROM clinic.state WHERE key = '14';
-- a changed key: the old key is withdrawn, the new one tracked
UPDATE clinic.letters SET id = 115 WHERE id = 15;
SELECT key, status FROM clinic.state WHERE key IN ('15', '115') ORDER BY key::int;

-- An application statement that inserts and updates at once.
INSERT INTO clinic.letters (id, body) VALUES (16, 'Upserted letter.'), (30, 'New upserted letter.')
    ON CONFLICT (id) DO UPDATE SET sent_at = '2026-11-28 10:00';
SELECT key, status FROM clinic.state WHERE key IN ('16', '30') ORDER BY key::int;

-- retriage() after a policy change: outpatient letters within 2 working days.
INSERT INTO letters_triage.policy (kind, amount, unit, note) VALUES ('outpatient', 2, 'working_days', 'trust rule');
SELECT key, due <= '2026-11-26 18:30' AS within_two_working_days FROM clinic.state WHERE key = '20';
SELECT letters_triage.retriage('clinic.letters') > 0 AS retriaged;
SELECT key, due <= '2026-11-26 18:30' AS within_two_working_days, due_by_policy FROM clinic.state WHERE key = '20';
SELECT letters_triage.retriage() > 0 AS retriaged_all;
-- retriage() reads the table under its own snapshot: it never forgets a send
-- or a withdrawal the trigger recorded meanwhile (simulated here by writing
-- the state directly).
UPDATE letters_triage.letter_state SET sent = '2026-11-24 12:00', status = 'sent'
 WHERE table_id = letters_triage.table_id('clinic.letters') AND key = '30';
UPDATE letters_triage.letter_state SET status = 'withdrawn', withdrawn = now()
 WHERE table_id = letters_triage.table_id('clinic.letters') AND key = '17';
SELECT letters_triage.retriage('clinic.letters') > 0 AS retriaged;
SELECT key, sent, status FROM clinic.state WHERE key IN ('17', '30') ORDER BY key;
SELECT letters_triage.retriage('clinic.letters_missing');
CREATE TABLE clinic.unwatched (id int PRIMARY KEY);
SELECT letters_triage.retriage('clinic.unwatched');
DELETE FROM letters_triage.policy WHERE note = 'trust rule';

-- A letter without a creation time is tracked from when it was seen, for review.
ALTER TABLE clinic.letters ALTER COLUMN created_at DROP NOT NULL;
INSERT INTO clinic.letters (id, body, created_at) VALUES (40, 'Letter without a date.', NULL);
SELECT key, needs_review, has_reason FROM clinic.state WHERE key = '40';
SELECT created = triaged_at AS created_when_tracked FROM letters_triage.letter_state WHERE key = '40';
SELECT reason LIKE 'no creation time%' AS reason_given FROM letters_triage.letter_state WHERE key = '40';

-- The application changes its table under the extension: a renamed body
-- column makes letters need review (WARNING, tracking_log), the statement
-- still succeeds.
ALTER TABLE clinic.letters RENAME COLUMN body TO letter_text;
INSERT INTO clinic.letters (id, letter_text) VALUES (41, 'After the rename.');
SELECT key, needs_review, status FROM clinic.state WHERE key = '41';
-- a renamed key column: the letters cannot be recorded, only logged
ALTER TABLE clinic.letters RENAME COLUMN id TO letter_id;
INSERT INTO clinic.letters (letter_id, letter_text) VALUES (42, 'After the key rename.');
SELECT count(*) AS state_rows_for_42 FROM clinic.state WHERE key = '42';
-- remapping with a second watch() repairs it and backfills
SELECT letters_triage.watch('clinic.letters', 'letter_text', 'created_at', 'sent_at',
                            recipient => 'practice', kind => 'kind') > 0 AS remapped;
SELECT key_column, body FROM letters_triage.watched WHERE ended IS NULL;
SELECT key, needs_review, status FROM clinic.state WHERE key IN ('41', '42') ORDER BY key;
-- a mapped timestamp column changed to another type
ALTER TABLE clinic.letters ALTER COLUMN sent_at TYPE text;
INSERT INTO clinic.letters (letter_id, letter_text, created_at) VALUES (43, 'After the type change.', '2026-11-24 11:00');
SELECT key, needs_review, status FROM clinic.state WHERE key = '43';
ALTER TABLE clinic.letters ALTER COLUMN sent_at TYPE timestamptz USING sent_at::timestamptz;
SELECT event, letters, sample_keys, detail FROM letters_triage.tracking_log ORDER BY id;

-- Errors inside the tracking never fail the application's statement.
-- (1) writing the triaged state fails: the letter is recorded untriaged, for review
ALTER TABLE letters_triage.letter_state ADD CONSTRAINT test_boom CHECK (needs_review OR key <> '50');
INSERT INTO clinic.letters (letter_id, letter_text, created_at)
    VALUES (50, 'Seen in clinic today for review of eczema. Continue emollients; no change to medication. Follow up in six months.', '2026-11-24 11:00');
SELECT key, needs_review, due = created AS due_at_once, status FROM clinic.state WHERE key = '50';
-- (2) writing fails altogether: the error is logged
ALTER TABLE letters_triage.letter_state DROP CONSTRAINT test_boom;
ALTER TABLE letters_triage.letter_state ADD CONSTRAINT test_boom CHECK (key <> '51');
INSERT INTO clinic.letters (letter_id, letter_text, created_at) VALUES (51, 'Another letter.', '2026-11-24 11:00');
ALTER TABLE letters_triage.letter_state DROP CONSTRAINT test_boom;
SELECT letter_id FROM clinic.letters WHERE letter_id IN (50, 51) ORDER BY 1;
SELECT event, letters, detail FROM letters_triage.tracking_log WHERE id > 4 ORDER BY id;
-- (3) the error quotes a value of the row (here an NHS number given as the
-- recipient): the server log and tracking_log name the table, the step and
-- the SQLSTATE, never the error's text
ALTER TABLE letters_triage.letter_state ADD CONSTRAINT test_leak CHECK (recipient::bigint IS NOT NULL) NOT VALID;
INSERT INTO clinic.letters (letter_id, letter_text, created_at, practice) VALUES (52, 'A letter.', '2026-11-24 11:00', '943 476 5919');
ALTER TABLE letters_triage.letter_state DROP CONSTRAINT test_leak;
SELECT letter_id FROM clinic.letters WHERE letter_id = 52;
SELECT count(*) AS values_quoted FROM letters_triage.tracking_log WHERE detail LIKE '%943 476 5919%';
SELECT event, letters, detail FROM letters_triage.tracking_log WHERE id > 7 ORDER BY id;

-- NULL and huge bodies.
INSERT INTO clinic.letters (letter_id, letter_text) VALUES (60, NULL);
INSERT INTO clinic.letters (letter_id, letter_text) VALUES (61, repeat('Patient seen and examined. ', 400000));
SELECT key, needs_review, status FROM clinic.state WHERE key = '60';
SELECT key, status, due_by_policy FROM clinic.state WHERE key = '61';

-- TRUNCATE withdraws every unsent letter and is recorded.
SELECT count(*) FILTER (WHERE status IN ('waiting', 'overdue')) AS unsent FROM clinic.state;
TRUNCATE clinic.letters;
SELECT status, count(*) FROM clinic.state GROUP BY 1 ORDER BY 1;
SELECT event, letters, detail FROM letters_triage.tracking_log WHERE event = 'truncate';

-- unwatch: triggers gone, history kept (or not), letters no longer tracked.
SELECT letters_triage.unwatch('clinic.letters');
SELECT letters_triage.unwatch('clinic.letters');
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'clinic.letters'::regclass;
INSERT INTO clinic.letters (letter_id, letter_text) VALUES (70, 'Not tracked.');
SELECT count(*) AS kept, count(*) FILTER (WHERE key = '70') AS untracked FROM clinic.state;
SELECT letters_triage.watch('clinic.letters', 'letter_text', 'created_at', 'sent_at', backfill => false);
SELECT count(*) FILTER (WHERE key = '70') AS not_backfilled FROM clinic.state;
SELECT letters_triage.unwatch('clinic.letters', keep_history => false);
SELECT count(*) AS history FROM letters_triage.letter_state;
SELECT letters_triage.unwatch(NULL);

-- Key types, body and timestamp types, any schema: each tracked alike.
CREATE SCHEMA "Odd Schema";
CREATE TABLE "Odd Schema"."Letters Table" ("Key" bigint PRIMARY KEY, "Body" varchar(20000),
    "Created" timestamp NOT NULL, "Sent" timestamp);
CREATE TABLE clinic.by_uuid (id uuid PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TABLE clinic.by_text (ref text NOT NULL UNIQUE, body bpchar(60), created timestamptz, sent timestamptz);
CREATE TABLE clinic.by_int (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text, created timestamptz, sent timestamptz)
    PARTITION BY RANGE (id);
CREATE TABLE clinic.by_int_1 PARTITION OF clinic.by_int FOR VALUES FROM (1) TO (100);
CREATE TABLE clinic.by_int_2 PARTITION OF clinic.by_int FOR VALUES FROM (100) TO (MAXVALUE);
SELECT letters_triage.watch('"Odd Schema"."Letters Table"', 'Body', 'Created', 'Sent');
SELECT letters_triage.watch('clinic.by_uuid', 'body', 'created', 'sent');
SELECT letters_triage.watch('clinic.by_text', 'body', 'created', 'sent');
SELECT letters_triage.watch('clinic.by_int', 'body', 'created', 'sent');
INSERT INTO "Odd Schema"."Letters Table" VALUES (9007199254740993, 'A letter.', '2026-07-01 10:00', NULL);
INSERT INTO clinic.by_uuid VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'A letter.', '2026-07-01 10:00+01', NULL);
INSERT INTO clinic.by_text VALUES ('LTR/2026/0001', 'A letter.', '2026-07-01 10:00+01', NULL);
INSERT INTO clinic.by_int (body, created) SELECT 'A letter.', '2026-07-01 10:00+01' FROM generate_series(1, 150);
UPDATE "Odd Schema"."Letters Table" SET "Sent" = '2026-07-01 10:30';
UPDATE clinic.by_int SET sent = '2026-07-01 10:30+01' WHERE id IN (1, 120);
DELETE FROM clinic.by_int WHERE id IN (2, 121);
SELECT letters_triage.table_label(table_id) AS tbl, count(*) AS letters, min(key) AS a_key, min(created) AS created,
       count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE status = 'withdrawn') AS withdrawn,
       bool_and(due = letters_triage.deadline(created, urgency, kind)) AS due_by_policy
  FROM letters_triage.letter_state GROUP BY tbl ORDER BY tbl;
-- a timestamp without time zone is read as Europe/London time, whatever the session's
SET TimeZone = 'UTC';
INSERT INTO "Odd Schema"."Letters Table" VALUES (2, 'A winter letter.', '2026-01-05 10:00', NULL);
SELECT key, created FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('"Odd Schema"."Letters Table"') ORDER BY key;
SET TimeZone = 'Europe/London';

-- A letters_triage.letter body: kind, recipient and (when the created
-- column is empty) the creation time come from its header block.
CREATE TABLE clinic.typed (id int PRIMARY KEY, doc letters_triage.letter, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('clinic.typed', 'doc', 'created', 'sent');
INSERT INTO clinic.typed VALUES
    (1, E'Kind: discharge\nTo: G82001\nSubject: Discharge summary\n\nDischarged home after an uncomplicated admission.', '2026-11-24 10:00', NULL),
    (2, E'Kind: outpatient\nTo: G82002\nDated: 2026-11-20T09:00:00Z\n\nSeen in clinic.', NULL, NULL),
    (3, 'A letter with no header block.', '2026-11-24 10:00', NULL),
    (4, NULL, '2026-11-24 10:00', NULL);
SELECT key, needs_review, kind, recipient, created, due = letters_triage.deadline(created, urgency, kind) AS due_by_policy
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('clinic.typed') ORDER BY key;
SELECT key, due - created AS discharge_within FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('clinic.typed') AND key = '1' AND urgency <= 'soon';

-- A mapped NHS number is checked: a letter without a valid one needs review
-- (the number itself is never copied into the state).
CREATE TABLE clinic.with_nhs (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, nhs varchar(12));
SELECT letters_triage.watch('clinic.with_nhs', 'body', 'created', 'sent', nhs_number => 'nhs');
INSERT INTO clinic.with_nhs VALUES
    (1, 'Seen in clinic today; no change to treatment.', '2026-11-24 10:00', NULL, '943 476 5919'),
    (2, 'Seen in clinic today; no change to treatment.', '2026-11-24 10:00', NULL, '943 476 5918'),
    (3, 'Seen in clinic today; no change to treatment.', '2026-11-24 10:00', NULL, NULL),
    (4, 'Seen in clinic today; no change to treatment.', '2026-11-24 10:00', NULL, repeat('9', 12));
SELECT key, reason LIKE '%NHS number%' AS nhs_problem, needs_review, urgency >= 'urgent' AS at_least_urgent
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('clinic.with_nhs') ORDER BY key;
SELECT count(*) AS nhs_numbers_in_state FROM letters_triage.letter_state s
 WHERE s.reason LIKE '%943%' OR s.key LIKE '%943%' OR s.recipient LIKE '%943%';

-- The trigger refuses to be used other than as watch() attaches it.
CREATE TABLE clinic.misuse (id int PRIMARY KEY);
CREATE TRIGGER bad AFTER INSERT ON clinic.misuse FOR EACH ROW EXECUTE FUNCTION letters_triage.track();
INSERT INTO clinic.misuse VALUES (1);
DROP TRIGGER bad ON clinic.misuse;
CREATE TRIGGER bad AFTER INSERT ON clinic.misuse FOR EACH STATEMENT EXECUTE FUNCTION letters_triage.track();
INSERT INTO clinic.misuse VALUES (2);
SELECT letters_triage.track();

-- A dropped watched table is no longer watched; its unsent letters are withdrawn.
CREATE TABLE clinic.doomed (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('clinic.doomed', 'body', 'created', 'sent');
INSERT INTO clinic.doomed VALUES (1, 'A letter.', '2026-11-24 10:00', NULL), (2, 'Another.', '2026-11-24 10:00', '2026-11-24 11:00');
CREATE TEMP TABLE doomed_id AS SELECT letters_triage.table_id('clinic.doomed') AS id;
DROP TABLE clinic.doomed;
SELECT count(*) AS still_watched FROM letters_triage.watched WHERE name = 'clinic.doomed' AND ended IS NULL;
-- (its history keeps the table's name)
SELECT name, ended_by FROM letters_triage.watched WHERE id = (SELECT id FROM doomed_id);
SELECT key, status, reason LIKE '%table dropped' AS dropped FROM letters_triage.letter_state
 WHERE table_id = (SELECT id FROM doomed_id) ORDER BY key;
SELECT letters_triage.retriage() >= 0 AS retriage_still_works;

SET client_min_messages = warning;
DROP SCHEMA clinic CASCADE;
DROP SCHEMA "Odd Schema" CASCADE;
RESET client_min_messages;
DROP EXTENSION letters_triage;
