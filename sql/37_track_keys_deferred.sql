-- Key changes spread over the statements of one transaction, with a
-- deferrable key: a key is withdrawn only if no row has it at commit.  A
-- key that leaves in one statement and comes back in a later one (a swap
-- done in two statements, a key parked on a duplicate and moved back) keeps
-- its letter and its state; a row deleted while another with the same key
-- stays keeps the key's letter; a key that is gone at commit is withdrawn.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA dkeys;
CREATE TABLE dkeys.t (id integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, body text,
                      created timestamptz NOT NULL DEFAULT '2026-11-24 10:00', sent timestamptz);
SELECT letters_triage.watch('dkeys.t', 'body', 'created', 'sent');
CREATE VIEW dkeys.state AS
SELECT key::int AS key, status, reason FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('dkeys.t') ORDER BY key::int;

INSERT INTO dkeys.t (id, body) VALUES (1, 'Please stop warfarin today.'), (2, 'Urgent: repeat potassium today.'),
                                      (3, 'Routine review in clinic.'), (4, 'Routine review in clinic.');
-- key 1 is overdue: the checks found it so
UPDATE letters_triage.letter_state SET status = 'overdue' WHERE table_id = letters_triage.table_id('dkeys.t') AND key = '1';

-- a swap in two statements: key 1 parked on key 2, then key 2 moved to 1
BEGIN;
UPDATE dkeys.t SET id = 2 WHERE id = 1;
UPDATE dkeys.t SET id = 1 WHERE id = 2 AND body LIKE 'Urgent%';
COMMIT;
SELECT * FROM dkeys.state;
SELECT id, body FROM dkeys.t ORDER BY id;

-- a key moved away and another moved onto it: both keys stay; 99, a key only
-- while the transaction ran, is withdrawn
BEGIN;
UPDATE dkeys.t SET id = 99 WHERE id = 1;
UPDATE dkeys.t SET id = 1 WHERE id = 2;
UPDATE dkeys.t SET id = 2 WHERE id = 99;
COMMIT;
SELECT * FROM dkeys.state;

-- a duplicate deleted while the other row of that key stays
BEGIN;
UPDATE dkeys.t SET id = 3 WHERE id = 4;
DELETE FROM dkeys.t WHERE id = 3 AND ctid = (SELECT max(ctid) FROM dkeys.t WHERE id = 3);
COMMIT;
SELECT * FROM dkeys.state;

-- a key that is gone at commit is withdrawn, once
BEGIN;
UPDATE dkeys.t SET id = 50 WHERE id = 3;
UPDATE dkeys.t SET id = 51 WHERE id = 50;
COMMIT;
SELECT * FROM dkeys.state;

-- rolled back, to a savepoint or entirely: nothing is withdrawn
BEGIN;
SAVEPOINT a;
UPDATE dkeys.t SET id = 60 WHERE id = 51;
ROLLBACK TO SAVEPOINT a;
COMMIT;
BEGIN;
DELETE FROM dkeys.t WHERE id = 51;
ROLLBACK;
SELECT * FROM dkeys.state;

-- in one statement (autocommit) as before: a swap keeps both, a delete withdraws
UPDATE dkeys.t SET id = 3 - id WHERE id IN (1, 2);
DELETE FROM dkeys.t WHERE id = 51;
SELECT * FROM dkeys.state;
-- judging at commit never failed
SELECT event, letters, detail FROM letters_triage.tracking_log WHERE table_id = letters_triage.table_id('dkeys.t') ORDER BY id;

SELECT letters_triage.unwatch('dkeys.t', false);
DROP SCHEMA dkeys CASCADE;
