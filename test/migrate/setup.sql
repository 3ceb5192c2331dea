-- A database as a trust would have it before moving to a new PostgreSQL major:
-- a watched table with letters, the DBA's own rule, an edited shipped rule, a
-- local policy, a calendar edit (closure day, working hours), an alert setting,
-- and alerts raised by the checks (one acknowledged).
CREATE EXTENSION letters_triage;
SET TimeZone = 'Europe/London';
CREATE SCHEMA trust;
CREATE TABLE trust.outbound (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz,
                             practice text, kind text);
SELECT letters_triage.watch('trust.outbound', 'body', 'created', 'sent', 'practice', NULL, 'kind');
INSERT INTO letters_triage.rule (pattern, action, urgency, note)
VALUES ('sepsis pathway', 'review', 'immediate', 'migrate: the DBA''s rule');
UPDATE letters_triage.rule SET enabled = false WHERE id = (SELECT min(id) FROM letters_triage.rule WHERE NOT dump);
INSERT INTO letters_triage.policy (urgency, kind, amount, unit, note)
VALUES (NULL, 'community', 3, 'working_days', 'migrate: local policy');
INSERT INTO letters_triage.non_working_day VALUES ('2024-10-10', 'migrate: trust closure day');
UPDATE letters_triage.working_hours SET opens = '08:30', closes = '18:00';
INSERT INTO letters_triage.alert_config VALUES ('escalate_after', '2 hours');
INSERT INTO trust.outbound
SELECT i, 'Discharge summary. Please review medication in 2 weeks. Letter ' || i,
       timestamptz '2024-10-07 09:00' + i * interval '7 minutes',
       CASE WHEN i % 3 = 0 THEN timestamptz '2024-10-07 09:00' + i * interval '7 minutes' + interval '40 hours' END,
       'A8100' || (i % 4), CASE WHEN i % 2 = 0 THEN 'discharge' ELSE 'outpatient' END
  FROM generate_series(1, 60) i;
INSERT INTO trust.outbound VALUES (100, 'Sepsis pathway: please review today.', '2024-10-08 09:00', NULL, 'A81001', 'discharge');
SELECT count(*) FROM letters_triage.check_all('2024-10-21 12:00');
SELECT letters_triage.acknowledge(min(id), 'migrate: told the practice') FROM letters_triage.alert;
-- what check.sql compares against after the restore
CREATE TABLE public.migrate_expected AS
SELECT (SELECT count(*) FROM trust.outbound) AS letters,
       (SELECT count(*) FROM letters_triage.letter_state) AS states,
       (SELECT count(*) FROM letters_triage.alert) AS alerts,
       (SELECT count(*) FROM letters_triage.alert WHERE acknowledged_at IS NOT NULL) AS acknowledged,
       (SELECT count(*) FROM letters_triage.alert_letter) AS alert_letters,
       (SELECT count(*) FROM letters_triage.rule) AS rules,
       (SELECT count(*) FROM letters_triage.policy) AS policies,
       (SELECT count(*) FROM letters_triage.non_working_day) AS closed_days;
