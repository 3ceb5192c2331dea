-- End to end: an application table watched by tracking, its letters written
-- and sent by plain statements, and the checks raising, resolving and
-- summarising alerts from what the trigger recorded.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA e2e;
CREATE TABLE e2e.outbox (
    id        bigint PRIMARY KEY,
    practice  text NOT NULL,
    body      text NOT NULL,
    written   timestamptz NOT NULL,
    posted    timestamptz
);
SELECT letters_triage.watch('e2e.outbox', body => 'body', created => 'written', sent => 'posted',
                            recipient => 'practice');
-- Monday 7 October 2024: twelve letters to three practices, and one that
-- cannot be read.
INSERT INTO e2e.outbox (id, practice, body, written)
SELECT g, 'D8200' || (g % 3), 'Outpatient clinic letter ' || g || '. Seen in clinic today; no change to treatment.',
       '2024-10-07 09:00'::timestamptz + g * interval '10 min'
  FROM generate_series(1, 12) g;
INSERT INTO e2e.outbox (id, practice, body, written) VALUES (13, 'D82000', '', '2024-10-07 11:30');
SELECT key, recipient, status, needs_review, due > created AS has_deadline
  FROM letters_triage.letter_state ORDER BY key::integer;

-- Monday 11:00: all waiting, nothing sent for two working hours: stalled.
SELECT kind, event, severity, letters FROM letters_triage.check_all('2024-10-07 11:45') ORDER BY 1, 2;
-- Letters 1-4 go out at 12:00: the stall is over.
UPDATE e2e.outbox SET posted = '2024-10-07 12:00' WHERE id <= 4;
SELECT kind, event, severity, letters FROM letters_triage.check_all('2024-10-07 12:05') ORDER BY 1, 2;
-- A week and a half later every unsent letter is past its deadline.
SELECT kind, event, count(*), sum(letters) AS letters
  FROM letters_triage.check_overdue('2024-10-17 12:00') GROUP BY 1, 2 ORDER BY 1, 2;
SELECT key, status FROM letters_triage.letter_state ORDER BY key::integer;
SELECT kind, recipient, letters, resolved_at IS NOT NULL AS resolved FROM letters_triage.alert
 WHERE kind = 'overdue' ORDER BY recipient;
-- The application sends the rest (a plain UPDATE): tracking records them as
-- sent late, the overdue alerts are resolved and each practice gets a summary.
UPDATE e2e.outbox SET posted = '2024-10-17 14:00' WHERE posted IS NULL;
SELECT key, status FROM letters_triage.letter_state ORDER BY key::integer;
SELECT e.kind, e.event, a.recipient, a.letters, a.urgent_letters
  FROM letters_triage.check_all('2024-10-17 14:30') e JOIN letters_triage.alert a ON a.id = e.alert_id
 ORDER BY 1, 2, 3;
SELECT recipient, late_letters, overdue_letters FROM letters_triage.practice_digest;
SELECT day, created, sent, sent_late, withdrawn, waiting FROM letters_triage.flow
 WHERE extract(isodow FROM day) < 6 ORDER BY day;
SET client_min_messages = error;
-- A deleted letter is withdrawn (when tracking saw the DELETE) and raises nothing.
INSERT INTO e2e.outbox (id, practice, body, written) VALUES (14, 'D82001', 'Clinic letter.', '2024-10-17 15:00');
DELETE FROM e2e.outbox WHERE id = 14;
SELECT key, status, withdrawn IS NOT NULL AS withdrawn FROM letters_triage.letter_state WHERE key = '14';
-- (checked at the real time of the DELETE: only the unanswered late-sent
-- summaries are escalated)
SELECT kind, event, count(*) FROM letters_triage.check_all(now()) GROUP BY 1, 2;
-- a check cannot run for a time still to come: it would mark letters late
-- that may yet be sent in time
SELECT count(*) FROM letters_triage.check_all('2999-01-01 00:00+00');
SELECT count(*) FROM letters_triage.check_overdue('2999-01-01 00:00+00');
-- an hour ahead is refused as well
DO $$ BEGIN PERFORM letters_triage.check_overdue(clock_timestamp() + interval '1 hour'); RAISE EXCEPTION 'an hour ahead was not refused'; EXCEPTION WHEN invalid_parameter_value THEN NULL; END $$;
SELECT count(*) FROM letters_triage.check_overdue(clock_timestamp() + interval '1 minute');
SELECT count(*) FROM letters_triage.overdue;
RESET client_min_messages;

SELECT letters_triage.unwatch('e2e.outbox');
DROP TABLE e2e.outbox;
DROP SCHEMA e2e;
