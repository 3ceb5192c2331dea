-- A letter's deadline is judged once: when it is sent, or when the checks find
-- it overdue.  Later changes to the policy or the rules, retriage() and
-- updates of the row do not move it: a letter sent in time never becomes late
-- after the fact, and a late letter stays late.  Unsent letters that are not
-- overdue follow the policy in force.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA late;
CREATE TABLE late.letters (
    id      integer PRIMARY KEY,
    body    text NOT NULL DEFAULT 'Seen in clinic for review of eczema. Continue emollients. No change to medication.',
    kind    text NOT NULL DEFAULT 'outpatient',
    created timestamptz NOT NULL DEFAULT '2026-11-02 10:00',   -- a Monday
    sent    timestamptz
);
SELECT letters_triage.watch('late.letters', 'body', 'created', 'sent', kind => 'kind');
CREATE VIEW late.state AS
SELECT key::int AS id, urgency, due, sent, status,
       due = letters_triage.deadline(created, urgency, kind) AS due_by_policy
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('late.letters');

-- 1: sent in time; 2: sent late; 3: overdue (as check_overdue() marks it);
-- 4: waiting; 5: sent in time, then its text amended.
INSERT INTO late.letters (id, sent) VALUES
    (1, '2026-11-05 09:00'), (2, '2026-11-12 09:00'), (3, NULL), (4, NULL), (5, '2026-11-04 12:00');
-- (New letters' state rows are written directly, not by the upsert that
-- retriage() runs: both write the same rows, apart from when.)
CREATE TEMP TABLE written AS SELECT * FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('late.letters');
SELECT letters_triage.retriage('late.letters') AS retriaged;
SELECT count(*) AS rows_that_differ FROM (
    (SELECT letters_triage.table_label(table_id) AS tbl, key, urgency, actions, needs_review, reason, kind, recipient, created, due, sent, status,
            ruleset_version, withdrawn FROM written
     EXCEPT
     SELECT letters_triage.table_label(table_id) AS tbl, key, urgency, actions, needs_review, reason, kind, recipient, created, due, sent, status,
            ruleset_version, withdrawn FROM letters_triage.letter_state)
    UNION ALL
    (SELECT letters_triage.table_label(table_id) AS tbl, key, urgency, actions, needs_review, reason, kind, recipient, created, due, sent, status,
            ruleset_version, withdrawn FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('late.letters')
     EXCEPT
     SELECT letters_triage.table_label(table_id) AS tbl, key, urgency, actions, needs_review, reason, kind, recipient, created, due, sent, status,
            ruleset_version, withdrawn FROM written)) d;
DROP TABLE written;
UPDATE letters_triage.letter_state SET status = 'overdue' WHERE table_id = letters_triage.table_id('late.letters') AND key = '3';
SELECT id, urgency, due, sent, status, due_by_policy FROM late.state ORDER BY id;

-- The policy becomes stricter (outpatient letters within 2 days) and
-- everything is triaged again: letter 1, sent in time, stays sent in time.
INSERT INTO letters_triage.policy (kind, amount, unit, note) VALUES ('outpatient', 2, 'days', 'stricter');
SELECT letters_triage.retriage('late.letters') AS retriaged;
UPDATE late.letters SET body = body || ' Thank you.' WHERE id = 5;
SELECT id, due, sent, status, due_by_policy FROM late.state ORDER BY id;

-- The policy is relaxed (30 days): the late letter stays late, the overdue
-- one stays overdue with the deadline it missed; only the waiting letter's
-- deadline follows the policy.
DELETE FROM letters_triage.policy WHERE note = 'stricter';
UPDATE letters_triage.policy SET amount = 30 WHERE unit = 'days' AND amount = 7;
SELECT letters_triage.retriage() AS retriaged;
SELECT id, due, sent, status, due_by_policy FROM late.state ORDER BY id;

-- The overdue letter is finally sent: late, against the deadline it missed.
UPDATE late.letters SET sent = '2026-11-20 09:00' WHERE id = 3;
-- The waiting letter is sent within its (new, relaxed) deadline.
UPDATE late.letters SET sent = '2026-11-20 09:00' WHERE id = 4;
SELECT id, due, sent, status, due_by_policy FROM late.state ORDER BY id;

-- The application clears a sent time (the letter was not sent after all).
-- The late letter is overdue again, against the deadline it missed, and late
-- when it is sent again; the letter sent in time waits again under the policy.
UPDATE late.letters SET sent = NULL WHERE id IN (1, 2);
SELECT id, due, sent, status FROM late.state WHERE id IN (1, 2) ORDER BY id;
SELECT letters_triage.retriage('late.letters') AS retriaged;
SELECT id, due, sent, status, due_by_policy FROM late.state WHERE id IN (1, 2) ORDER BY id;
UPDATE late.letters SET sent = '2026-11-21 09:00' WHERE id IN (1, 2);
SELECT id, due, sent, status FROM late.state WHERE id IN (1, 2) ORDER BY id;

-- A late letter stays late when the application corrects its sent time to
-- before the deadline it missed.
UPDATE late.letters SET sent = '2026-11-06 09:00' WHERE id = 2;
SELECT id, due, sent, status FROM late.state WHERE id = 2;

-- A deleted unsent letter is withdrawn; a new letter with the same key is a
-- new letter, with the deadline of the policy in force.
INSERT INTO late.letters (id) VALUES (6);
UPDATE letters_triage.letter_state SET status = 'overdue' WHERE table_id = letters_triage.table_id('late.letters') AND key = '6';
DELETE FROM late.letters WHERE id = 6;
SELECT id, status FROM late.state WHERE id = 6;
INSERT INTO late.letters (id, created) VALUES (6, '2026-11-09 10:00');
SELECT id, due, sent, status, due_by_policy FROM late.state WHERE id = 6;

-- Apart from such corrections, the status agrees with the deadline beside it.
SELECT count(*) FILTER (WHERE status = 'sent_late' AND sent <= due AND key <> '2') AS late_but_in_time,
       count(*) FILTER (WHERE status = 'sent' AND sent > due) AS in_time_but_late
  FROM letters_triage.letter_state;

UPDATE letters_triage.policy SET amount = 7 WHERE unit = 'days' AND amount = 30;
DROP SCHEMA late CASCADE;
