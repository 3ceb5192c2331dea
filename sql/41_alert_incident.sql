-- Replay of the incident: four normal weeks, then three weeks in which letters
-- are written but none is sent, then the whole backlog released in one day.
-- The checks run every two working hours (the worker would run them every minute); the
-- test shows the alerts at each point and the practice digest afterwards.
-- Letters are fixtures in letter_state, with deadlines from the shipped policy.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE TABLE incident_outbox (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz);
-- (watched: its letters' state rows refer to its identity; the fixtures write them directly)
SELECT letters_triage.watch('incident_outbox', 'body', 'created', 'sent', backfill => false);

-- 40 letters each working day from 09:00 to 16:48 to eight practices.
-- Urgency by number: 1 in 50 immediate, 1 in 10 urgent, 1 in 5 soon.
CREATE TABLE incident_plan AS
SELECT row_number() OVER (ORDER BY d, k) AS n, d + interval '9 hours' + k * interval '12 min' AS created
  FROM generate_series('2024-09-02'::timestamp, '2024-10-18', interval '1 day') d,
       generate_series(0, 39) k
 WHERE extract(isodow FROM d) < 6;
INSERT INTO letters_triage.letter_state
       (table_id, key, urgency, actions, needs_review, kind, recipient, created, due, status, triaged_at)
SELECT letters_triage.table_id('incident_outbox'), n::text, u, CASE WHEN u >= 'urgent' THEN '{review}'::text[] ELSE '{}' END, false,
       kind, 'C8100' || (n % 8), created, letters_triage.deadline(created, u, kind), 'waiting', created
  FROM (SELECT n, created,
               CASE WHEN n % 50 = 7 THEN 'immediate' WHEN n % 10 = 3 THEN 'urgent'
                    WHEN n % 5 = 1 THEN 'soon' ELSE 'routine' END::letters_triage.urgency AS u,
               CASE WHEN n % 3 = 0 THEN 'discharge' ELSE 'outpatient' END AS kind
          FROM incident_plan) p;
-- Before the incident every letter went out 90 minutes after it was written.
UPDATE letters_triage.letter_state SET sent = created + interval '90 min',
       status = CASE WHEN created + interval '90 min' > due THEN 'sent_late' ELSE 'sent' END
 WHERE created < '2024-09-30';
SELECT created < '2024-09-30' AS before_incident, urgency, count(*), count(*) FILTER (WHERE sent > due) AS late
  FROM letters_triage.letter_state GROUP BY 1, 2 ORDER BY 1 DESC, 2;
-- The four normal weeks raise nothing (checked on the last normal Friday).
SELECT * FROM letters_triage.check_all('2024-09-27 12:00');
SELECT * FROM letters_triage.check_all('2024-09-27 17:00');

-- The checks every two working hours of the three weeks, 08:00 to 18:00.
CREATE TABLE incident_event AS SELECT NULL::timestamptz AS at, e.* FROM letters_triage.check_all('2024-09-27 17:00') e;
CREATE FUNCTION incident_run(from_day date, to_day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t timestamptz;
BEGIN
    FOR t IN SELECT d + h * interval '1 hour'
               FROM generate_series(from_day::timestamp, to_day, interval '1 day') d, generate_series(8, 18, 2) h
              WHERE extract(isodow FROM d) < 6 ORDER BY 1
    LOOP
        INSERT INTO incident_event SELECT t, e.* FROM letters_triage.check_all(t) e;
    END LOOP;
END $$;
SET client_min_messages = error;   -- the WARNINGs of every alert are counted below instead
SELECT incident_run('2024-09-30', '2024-10-18');
RESET client_min_messages;

-- Day one: the first alerts, within hours.
SELECT at, alert_id, event, kind, severity, letters, summary
  FROM incident_event WHERE at < '2024-09-30 13:00' AND event = 'raised' ORDER BY at, alert_id;
-- Every day of the incident: how many alerts were raised, escalated, grown.
SELECT at::date AS day, count(*) FILTER (WHERE event = 'raised') AS raised,
       count(*) FILTER (WHERE event = 'raised' AND kind = 'overdue' AND severity >= 'urgent') AS raised_urgent,
       count(*) FILTER (WHERE event = 'grown') AS grown,
       count(*) FILTER (WHERE event = 'escalated') AS escalated,
       count(*) FILTER (WHERE event = 'resolved') AS resolved
  FROM incident_event GROUP BY 1 ORDER BY 1;
-- After three weeks: the stuck letters and the alerts standing for them.
SELECT status, count(*) FROM letters_triage.letter_state WHERE created >= '2024-09-30' GROUP BY 1 ORDER BY 1;
SELECT kind, severity, count(*) AS alerts, sum(letters) AS letters, max(raise_count) AS most_raised
  FROM letters_triage.alert WHERE resolved_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2 DESC;
SELECT id, kind, severity, recipient, letters, summary FROM letters_triage.alert
 WHERE resolved_at IS NULL AND (kind <> 'overdue' OR severity < 'urgent') ORDER BY id;
-- Running the checks again raises nothing new.
SELECT count(*) FROM letters_triage.check_all('2024-10-18 18:00');
SELECT day, created, sent, sent_late, waiting FROM letters_triage.flow
 WHERE day BETWEEN '2024-09-26' AND '2024-10-21' AND extract(isodow FROM day) < 6;

-- Release: Monday 21 October the whole backlog goes out between 09:00 and 15:00.
UPDATE letters_triage.letter_state
   SET sent = '2024-10-21 09:00'::timestamptz + (key::integer % 360) * interval '1 min',
       status = CASE WHEN '2024-10-21 09:00'::timestamptz + (key::integer % 360) * interval '1 min' > due
                     THEN 'sent_late' ELSE 'sent' END
 WHERE sent IS NULL;
SET client_min_messages = error;
SELECT incident_run('2024-10-21', '2024-10-21');
RESET client_min_messages;
SELECT event, kind, count(*), sum(letters) AS letters
  FROM incident_event WHERE at >= '2024-10-21' GROUP BY 1, 2 ORDER BY 1, 2;
SELECT id, severity, recipient, letters, urgent_letters, summary FROM letters_triage.alert
 WHERE kind = 'sent_late' ORDER BY recipient;
SELECT count(*) AS unresolved_overdue_alerts FROM letters_triage.alert WHERE kind = 'overdue' AND resolved_at IS NULL;

-- The practice digest: what each practice must check, urgent letters first.
SELECT recipient, late_letters, urgent_late_letters, overdue_letters,
       jsonb_array_length(urgent_letters) AS urgent_listed,
       (SELECT string_agg(e ->> 'key' || ' ' || (e ->> 'urgency'), ', ')
          FROM jsonb_array_elements(urgent_letters) WITH ORDINALITY AS x(e, i) WHERE i <= 3) AS first_urgent
  FROM letters_triage.practice_digest;
-- Each urgent late letter is in the digest of its practice exactly once.
SELECT count(*) AS urgent_late, (SELECT sum(urgent_late_letters) FROM letters_triage.practice_digest) AS in_digest
  FROM letters_triage.late_letters WHERE urgency >= 'urgent';
-- The worklist puts the immediate letters first, the most overdue of them first.
SELECT attention, key, recipient, urgency, due, sent FROM letters_triage.worklist LIMIT 5;

DROP FUNCTION incident_run(date, date);
DROP TABLE incident_event, incident_plan, incident_outbox;
