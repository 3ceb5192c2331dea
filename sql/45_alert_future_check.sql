-- A check may run for a time up to five minutes ahead (a scheduler's clock),
-- but marks overdue only what is past its deadline by the clock too: a
-- discharge summary due in two minutes and sent in time is sent, not
-- sent_late (found by an outside tester).
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
CREATE TABLE fc_outbox (id int PRIMARY KEY, practice text, kind text, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('fc_outbox', body => 'body', created => 'created', sent => 'sent',
                            recipient => 'practice', kind => 'kind') AS backfilled;
-- a discharge summary is due 24 hours after it is created: this one in two minutes
INSERT INTO fc_outbox VALUES
    (1, 'A81001', 'discharge', 'Discharged home. No change to medication.', now() - interval '24 hours' + interval '2 minutes', NULL),
    (2, 'A81001', 'discharge', 'Discharged home. No change to medication.', now() - interval '25 hours', NULL);
SELECT key, status, due > now() AS due_ahead FROM letters_triage.letter_state ORDER BY key;
SELECT event, kind, letters FROM letters_triage.check_overdue(now() + interval '4 minutes');
SELECT key, status FROM letters_triage.letter_state ORDER BY key;
UPDATE fc_outbox SET sent = now();
SELECT event, kind, letters FROM letters_triage.check_sent_late();
SELECT key, status, sent <= due AS in_time FROM letters_triage.letter_state ORDER BY key;
-- further ahead is refused
DO $$
BEGIN
    PERFORM letters_triage.check_overdue(now() + interval '10 minutes');
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'refused (SQLSTATE %)', SQLSTATE;
END
$$;
DROP TABLE fc_outbox;
