-- Working time, the calendar of non-working days and the deadline policy.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

-- The shipped calendar: eight bank holidays a year in England and Wales,
-- 2024-2030, all on Monday to Friday.
SELECT extract(year FROM day) AS year, count(*) AS holidays,
       bool_and(extract(isodow FROM day) BETWEEN 1 AND 5) AS all_weekdays
  FROM letters_triage.non_working_day GROUP BY 1 ORDER BY 1;
-- Good Friday and Easter Monday agree with Easter Sunday computed here
-- (anonymous Gregorian algorithm), independently of the shipped rows.
WITH y AS (SELECT g AS y, g % 19 AS a, g / 100 AS b, g % 100 AS c FROM generate_series(2024, 2030) g),
     s1 AS (SELECT y, a, b, c, b / 4 AS d, b % 4 AS e, (b + 8) / 25 AS f FROM y),
     s2 AS (SELECT *, (19 * a + b - d - (b - f + 1) / 3 + 15) % 30 AS h, c / 4 AS i, c % 4 AS k FROM s1),
     s3 AS (SELECT *, (32 + 2 * e + 2 * i - h - k) % 7 AS l FROM s2),
     s4 AS (SELECT *, (a + 11 * h + 22 * l) / 451 AS m FROM s3),
     easter AS (SELECT y, make_date(y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1) AS sunday FROM s4)
SELECT y, sunday,
       EXISTS (SELECT 1 FROM letters_triage.non_working_day WHERE day = sunday - 2 AND name = 'Good Friday') AS good_friday,
       EXISTS (SELECT 1 FROM letters_triage.non_working_day WHERE day = sunday + 1 AND name = 'Easter Monday') AS easter_monday
  FROM easter ORDER BY y;
-- Substitute days when Christmas, Boxing Day or New Year fall at a weekend.
SELECT day, to_char(day, 'Dy') AS dow, name FROM letters_triage.non_working_day
 WHERE name LIKE '%substitute%' ORDER BY day;
-- Shipped rows are not dumped; the tables are registered for pg_dump.
SELECT count(*) FILTER (WHERE dump) AS dumped, count(*) AS total FROM letters_triage.non_working_day;
SELECT c.relname, x.cond
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(oid, cond)
  JOIN pg_class c ON c.oid = x.oid
 WHERE e.extname = 'letters_triage'
   AND c.relname IN ('non_working_day', 'policy', 'policy_id_seq', 'working_hours', 'watched',
                     'letter_state', 'tracking_log', 'tracking_log_id_seq')
 ORDER BY 1;

-- is_working_time: 08:00-18:30, Monday to Friday, not on a non-working day.
SELECT t, letters_triage.is_working_time(t) FROM (VALUES
    ('2026-11-24 10:00'::timestamptz),  -- Tuesday
    ('2026-11-24 07:59:59'), ('2026-11-24 08:00'), ('2026-11-24 18:29:59.999999'), ('2026-11-24 18:30'),
    ('2026-11-28 10:00'),               -- Saturday
    ('2026-11-29 10:00'),               -- Sunday
    ('2026-12-25 10:00'),               -- Christmas Day, Friday
    ('2026-12-28 10:00'),               -- Boxing Day (substitute), Monday
    ('2026-12-29 10:00'),
    ('infinity'), ('-infinity')) AS v(t);
SELECT letters_triage.is_working_time(NULL);

-- add_working_hours across a weekend, across Christmas and its substitute
-- day, across the clocks changing, from outside working hours, and 0 hours.
SELECT t, h, letters_triage.add_working_hours(t, h) FROM (VALUES
    ('2026-11-27 18:00'::timestamptz, 1::float8),  -- Friday evening -> Monday
    ('2026-11-24 10:00', 2),                       -- same day
    ('2026-11-24 17:30', 1),                       -- exactly at the close
    ('2026-11-24 17:30', 1.5),                     -- next morning
    ('2026-12-24 17:30', 2),                       -- over Christmas, the weekend and the substitute day
    ('2026-03-27 18:00', 1),                       -- the clocks go forward on Sunday 29 March
    ('2026-11-24 06:00', 0), ('2026-11-24 09:15', 0), ('2026-11-28 12:00', 0),
    ('2026-11-24 10:00', 52.5),                    -- one working week
    ('infinity', 3)) AS v(t, h);
SELECT letters_triage.add_working_hours(NULL, 1), letters_triage.add_working_hours(now(), NULL);
SELECT letters_triage.add_working_hours('2026-11-24 10:00', -1);
SELECT letters_triage.add_working_hours('2026-11-24 10:00', 'NaN');
SELECT letters_triage.add_working_hours('2026-11-24 10:00', 1e9);
SELECT letters_triage.add_working_hours('2026-11-24 10:00', 'infinity');
SELECT letters_triage.add_working_hours('294276-12-30 10:00', 1000);

-- working_hours_between and its agreement with add_working_hours.
SELECT a, b, letters_triage.working_hours_between(a, b) FROM (VALUES
    ('2026-11-27 17:00'::timestamptz, '2026-11-30 09:00'::timestamptz),
    ('2026-11-30 09:00', '2026-11-27 17:00'),
    ('2026-11-24 10:00', '2026-11-24 10:00'),
    ('2026-11-23 00:00', '2026-11-30 00:00'),
    ('2026-12-24 00:00', '2026-12-29 12:00'),
    ('2026-11-28 09:00', '2026-11-29 17:00')) AS v(a, b);
SELECT bool_and(letters_triage.working_hours_between(t, letters_triage.add_working_hours(t, h)) = h) AS round_trip
  FROM generate_series('2026-12-20 00:00'::timestamptz, '2027-01-05 00:00', '97 minutes') AS t,
       (VALUES (0.5::float8), (3), (10.5), (30)) AS v(h)
 WHERE letters_triage.is_working_time(t);
SELECT letters_triage.working_hours_between('2026-11-24', 'infinity');
SELECT letters_triage.working_hours_between('-infinity', '2026-11-24');
SELECT letters_triage.working_hours_between('1000-01-01', '2026-11-24');
SELECT letters_triage.working_hours_between(NULL, now());

-- The calendar is editable: a local closure day counts at once.
INSERT INTO letters_triage.non_working_day (day, name) VALUES ('2026-11-25', 'trust IT migration');
SELECT letters_triage.add_working_hours('2026-11-24 18:00', 1);
SELECT letters_triage.is_working_time('2026-11-25 10:00');
DELETE FROM letters_triage.non_working_day WHERE day = '2026-11-25';
SELECT letters_triage.add_working_hours('2026-11-24 18:00', 1);
-- and so are the working hours
INSERT INTO letters_triage.working_hours (opens, closes) VALUES ('09:00', '17:00');
SELECT letters_triage.working_hours_between('2026-11-23 00:00', '2026-11-30 00:00');
UPDATE letters_triage.working_hours SET opens = '17:00', closes = '09:00' WHERE dump;
INSERT INTO letters_triage.working_hours (opens, closes) VALUES ('07:00', '19:00');
DELETE FROM letters_triage.working_hours WHERE dump;
SELECT letters_triage.working_hours_between('2026-11-23 00:00', '2026-11-30 00:00');

-- The deadline policy: the strictest rule that applies wins.
SELECT * FROM letters_triage.policy ORDER BY id;
SELECT u, k, letters_triage.deadline('2026-11-24 10:00', u, k) AS tuesday_10am,
       letters_triage.deadline('2026-11-27 18:45', u, k) AS friday_evening,
       letters_triage.deadline('2026-12-24 12:00', u, k) AS christmas_eve
  FROM unnest(enum_range(NULL::letters_triage.urgency)) AS u,
       (VALUES (NULL::text), ('discharge'), ('Outpatient'), ('death'), ('unknown kind')) AS v(k)
 ORDER BY u, k NULLS FIRST;
SELECT letters_triage.deadline(NULL, 'routine'), letters_triage.deadline(now(), NULL),
       letters_triage.deadline('infinity', 'urgent');
-- A DBA rule: result letters within 4 working hours.
INSERT INTO letters_triage.policy (kind, amount, unit, note) VALUES ('result', 4, 'working_hours', 'local rule');
SELECT letters_triage.deadline('2026-11-27 17:00', 'routine', 'result');
SELECT count(*) FILTER (WHERE dump) AS dumped FROM letters_triage.policy;
-- With no rule at all, letters wait at most 7 days.
BEGIN;
DELETE FROM letters_triage.policy;
SELECT letters_triage.deadline('2026-11-24 10:00', 'immediate');
ROLLBACK;
-- Bad rules are refused.
INSERT INTO letters_triage.policy (amount, unit) VALUES (1.5, 'working_days');
INSERT INTO letters_triage.policy (amount, unit) VALUES (-1, 'hours');
INSERT INTO letters_triage.policy (amount, unit) VALUES (1, 'fortnights');

DROP EXTENSION letters_triage;
