-- A sent time a day or more before the letter was created is not a sending
-- (a placeholder such as 1900-01-01 or 2000-01-01 left by a migration, a
-- century slipped): the letter is tracked as not sent and needs review,
-- with a tracking_log problem, so it is alerted when overdue.  Clocks a few
-- hours apart (a sent time an hour before the creation time) are not.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE SCHEMA sb;
CREATE TABLE sb.letters (id integer PRIMARY KEY, body text NOT NULL, created timestamptz NOT NULL, sent timestamptz);
SELECT letters_triage.watch('sb.letters', 'body', 'created', 'sent');
INSERT INTO sb.letters VALUES
    (1, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '1900-01-01 00:00'),
    (2, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '1926-11-24 10:00'),
    (3, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '2026-11-23 09:00'),
    (4, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '2026-11-24 09:00'),
    (5, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', '2026-11-24 11:00');
-- an UPDATE to such a time as well
INSERT INTO sb.letters VALUES (6, 'Please repeat her bloods within 48 hours.', '2026-11-24 10:00', NULL);
UPDATE sb.letters SET sent = '2000-01-01' WHERE id = 6;
SELECT key::int, status, needs_review, sent FROM letters_triage.letter_state ORDER BY key::int;
SELECT letters, detail FROM letters_triage.tracking_log WHERE event = 'problem' ORDER BY id;

SET client_min_messages = warning;
SELECT letters_triage.unwatch('sb.letters', false);
DROP SCHEMA sb CASCADE;
RESET client_min_messages;
