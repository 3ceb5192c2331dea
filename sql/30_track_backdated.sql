-- A letter found overdue stays late when it is sent, even with a sent time
-- dated back before its deadline (status sent_late): the late-sent check,
-- late_letters, worklist, practice_digest and flow go by that status, not by
-- comparing the sent time with the deadline, so the late letter is reported.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA bd;
CREATE TABLE bd.letters (id integer PRIMARY KEY, practice text NOT NULL DEFAULT 'G82001', body text NOT NULL,
                         created timestamptz NOT NULL, sent timestamptz);
SELECT letters_triage.watch('bd.letters', 'body', 'created', 'sent', recipient => 'practice');
INSERT INTO bd.letters (id, body, created) VALUES
    (1, 'Please repeat her bloods within 48 hours.', '2026-11-02 10:00'),    -- a Monday: due Wednesday
    (2, 'Please repeat his bloods within 48 hours.', '2026-11-02 10:00');
SET client_min_messages = error;
SELECT kind, event FROM letters_triage.check_overdue('2026-11-09 10:00') ORDER BY 1, 2;
RESET client_min_messages;
-- 1 is sent with a time dated back before its deadline, 2 after the check:
-- both were found overdue, so both are late
UPDATE bd.letters SET sent = created + interval '1 hour' WHERE id = 1;
UPDATE bd.letters SET sent = '2026-11-09 11:00' WHERE id = 2;
SELECT key, status, sent <= due AS sent_by_deadline FROM letters_triage.letter_state ORDER BY key;
SELECT key FROM letters_triage.late_letters ORDER BY key;
SELECT key, attention FROM letters_triage.worklist ORDER BY key;
SELECT recipient, late_letters, overdue_letters FROM letters_triage.practice_digest;
SELECT sum(sent_late) AS late FROM letters_triage.flow;
SET client_min_messages = error;
SELECT kind, event, letters FROM letters_triage.check_sent_late('2026-11-09 12:00') ORDER BY 1, 2;
RESET client_min_messages;

SET client_min_messages = warning;
SELECT letters_triage.unwatch('bd.letters', false);
DROP SCHEMA bd CASCADE;
RESET client_min_messages;
