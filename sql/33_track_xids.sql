-- Tracking a statement takes no transaction ID and no subtransaction of its
-- own where nothing fails: a batch job inserting letters one by one in one
-- transaction uses the transaction's ID only, however many letters (more
-- than 64 subtransactions with IDs would overflow the snapshot cache of the
-- whole cluster).  What could fail still goes through a subtransaction: a
-- key that has a state row already, a letter with a problem to record.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';

CREATE TABLE xid_letters (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, nhs text);
SELECT letters_triage.watch('xid_letters', 'body', 'created', 'sent', nhs_number => 'nhs');
-- the first statement of a session fills the caches (rules, calendar), in a subtransaction
INSERT INTO xid_letters VALUES (0, 'Clinic letter. No change.', '2024-10-07 09:00', NULL, '9434765919');

-- 1,000 single-row INSERTs in one transaction: no transaction ID but the
-- transaction's.  (IDs used: the next transaction's ID, less this one's, less 1;
-- nothing else runs meanwhile.)
BEGIN;
SELECT txid_current() AS xid_before \gset
DO $$
BEGIN
    FOR i IN 1 .. 1000 LOOP
        INSERT INTO xid_letters VALUES (i, 'Clinic letter. No change.', '2024-10-07 09:00', NULL, '9434765919');
    END LOOP;
END $$;
INSERT INTO xid_letters VALUES (1001, 'Discharge summary. Please stop warfarin today.', '2024-10-07 09:00', NULL, '9434765919');
INSERT INTO xid_letters VALUES (1002, 'Clinic letter. No change.', '2024-10-07 09:00', NULL, '9434765919'),
                               (1003, 'Clinic letter. No change.', '2024-10-07 09:00', NULL, '9434765919');
COPY xid_letters FROM stdin;
1004	Clinic letter. No change.	2024-10-07 09:00:00+01	\N	9434765919
\.
COMMIT;
SELECT txid_current() - :xid_before - 1 AS other_xids_used_by_1004_letters;
-- and every letter is tracked as it would have been
SELECT count(*) AS letters, count(*) FILTER (WHERE needs_review) AS for_review,
       count(*) FILTER (WHERE status = 'waiting') AS waiting
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('xid_letters');
SELECT key, urgency, actions, status FROM letters_triage.letter_state WHERE key = '1001';

-- What could fail is done in a subtransaction, and is right: a key used
-- again (its state row exists), a letter with an invalid NHS number.
DELETE FROM xid_letters WHERE id = 5;
BEGIN;
SELECT txid_current() AS xid_before \gset
INSERT INTO xid_letters VALUES (5, 'Clinic letter. No change.', '2024-10-07 10:00', NULL, '9434765919');
INSERT INTO xid_letters VALUES (2000, 'Clinic letter. No change.', '2024-10-07 10:00', NULL, '9434765918');
COMMIT;
SELECT txid_current() - :xid_before - 1 > 0 AS subtransactions_used;
SELECT key, status, needs_review, split_part(reason, ';', 1) AS first_reason
  FROM letters_triage.letter_state WHERE key IN ('5', '2000') ORDER BY key;
SELECT event, letters, sample_keys, detail FROM letters_triage.tracking_log ORDER BY id;

-- A check constraint added to letter_state that refuses a letter: the
-- letter is recorded for review, the statement goes on (as before).
ALTER TABLE letters_triage.letter_state ADD CONSTRAINT test_refuse CHECK (needs_review OR key <> '3000');
INSERT INTO xid_letters VALUES (3000, 'Clinic letter. No change.', '2024-10-07 10:00', NULL, '9434765919');
ALTER TABLE letters_triage.letter_state DROP CONSTRAINT test_refuse;
SELECT key, status, needs_review FROM letters_triage.letter_state WHERE key = '3000';

-- Not without a subtransaction either: a table whose key is DEFERRABLE
-- (another session can insert the same key at once, and write its state row
-- between our check and our write), and a mapped column whose output
-- function reads the catalogs (an enum's), which takes locks and may
-- process invalidations while the caught part runs.
CREATE TABLE xid_deferred (id int, body text, created timestamptz, sent timestamptz,
                           CONSTRAINT xid_deferred_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE xid_deferred ALTER id SET NOT NULL;
SELECT letters_triage.watch('xid_deferred', 'body', 'created', 'sent', backfill => false);
CREATE TYPE xid_kind AS ENUM ('clinic', 'discharge');
CREATE TABLE xid_enum (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, k xid_kind);
SELECT letters_triage.watch('xid_enum', 'body', 'created', 'sent', kind => 'k', backfill => false);
INSERT INTO xid_deferred VALUES (0, 'Clinic letter. No change.', '2024-10-07 09:00', NULL);
INSERT INTO xid_enum VALUES (0, 'Clinic letter. No change.', '2024-10-07 09:00', NULL, 'clinic');
BEGIN;
SELECT txid_current() AS xid_before \gset
INSERT INTO xid_deferred VALUES (1, 'Clinic letter. No change.', '2024-10-07 09:00', NULL);
COMMIT;
SELECT txid_current() - :xid_before - 1 > 0 AS deferred_key_subtransaction;
BEGIN;
SELECT txid_current() AS xid_before \gset
INSERT INTO xid_enum VALUES (1, 'Clinic letter. No change.', '2024-10-07 09:00', NULL, 'clinic');
COMMIT;
SELECT txid_current() - :xid_before - 1 > 0 AS enum_column_subtransaction;
SELECT letters_triage.table_label(table_id) AS tbl, key, kind, status FROM letters_triage.letter_state
 WHERE table_id IN (letters_triage.table_id('xid_deferred'), letters_triage.table_id('xid_enum')) ORDER BY tbl, key;

-- What the key's indexes say is read once per table, and again when they
-- change: the same table's key made DEFERRABLE takes the subtransaction,
-- and made immediate again does without.
CREATE TABLE xid_changing (id int NOT NULL, body text, created timestamptz, sent timestamptz,
                           CONSTRAINT xid_changing_id UNIQUE (id));
SELECT letters_triage.watch('xid_changing', 'body', 'created', 'sent', backfill => false);
INSERT INTO xid_changing VALUES (0, 'Clinic letter. No change.', '2024-10-07 09:00', NULL);
BEGIN;
SELECT txid_current() AS xid_before \gset
INSERT INTO xid_changing VALUES (1, 'Clinic letter. No change.', '2024-10-07 09:00', NULL);
COMMIT;
SELECT txid_current() - :xid_before - 1 AS immediate_key_other_xids;
ALTER TABLE xid_changing DROP CONSTRAINT xid_changing_id,
    ADD CONSTRAINT xid_changing_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED;
BEGIN;
SELECT txid_current() AS xid_before \gset
INSERT INTO xid_changing VALUES (2, 'Clinic letter. No change.', '2024-10-07 09:00', NULL);
COMMIT;
SELECT txid_current() - :xid_before - 1 > 0 AS deferred_key_subtransaction;
ALTER TABLE xid_changing DROP CONSTRAINT xid_changing_id, ADD CONSTRAINT xid_changing_id UNIQUE (id);
INSERT INTO xid_changing VALUES (3, 'Clinic letter. No change.', '2024-10-07 09:00', NULL);
BEGIN;
SELECT txid_current() AS xid_before \gset
INSERT INTO xid_changing VALUES (4, 'Clinic letter. No change.', '2024-10-07 09:00', NULL);
COMMIT;
SELECT txid_current() - :xid_before - 1 AS immediate_again_other_xids;
SELECT key, status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('xid_changing') ORDER BY key;

SET client_min_messages = warning;
SELECT letters_triage.unwatch('xid_changing', false);
DROP TABLE xid_changing;
SELECT letters_triage.unwatch('xid_deferred', false);
SELECT letters_triage.unwatch('xid_enum', false);
DROP TABLE xid_deferred, xid_enum;
DROP TYPE xid_kind;
SELECT letters_triage.unwatch('xid_letters', false);
DROP TABLE xid_letters;
DROP EXTENSION letters_triage;
RESET client_min_messages;
