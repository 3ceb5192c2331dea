-- Tracking letters on existing tables (issue 5): the calendar and working
-- time, the deadline policy, the state of every watched letter, watch(),
-- unwatch(), retriage() and the tracking trigger.

--
-- Calendar and working time
--

-- The hours of a working day (Europe/London local time), one row.
CREATE TABLE @extschema@.working_hours (
    only_row boolean     NOT NULL DEFAULT true PRIMARY KEY CHECK (only_row),
    opens    time        NOT NULL,
    closes   time        NOT NULL,
    dump     boolean     NOT NULL DEFAULT true,
    CHECK (opens < closes)
);
COMMENT ON TABLE @extschema@.working_hours IS
    'the working day, Monday to Friday, Europe/London local time (one row; default 08:00-18:30, GP core hours)';
INSERT INTO @extschema@.working_hours (opens, closes, dump) VALUES ('08:00', '18:30', false);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.working_hours', 'WHERE dump');

-- Days that are not working days although they fall on Monday to Friday.
CREATE TABLE @extschema@.non_working_day (
    day  date    NOT NULL PRIMARY KEY,
    name text    NOT NULL,
    dump boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE @extschema@.non_working_day IS
    'non-working days (bank holidays of England and Wales 2024-2030 shipped; add local closures); rows you add are kept by pg_dump';
INSERT INTO @extschema@.non_working_day (day, name) VALUES
    ('2024-01-01', 'New Year''s Day'),
    ('2024-03-29', 'Good Friday'),
    ('2024-04-01', 'Easter Monday'),
    ('2024-05-06', 'Early May bank holiday'),
    ('2024-05-27', 'Spring bank holiday'),
    ('2024-08-26', 'Summer bank holiday'),
    ('2024-12-25', 'Christmas Day'),
    ('2024-12-26', 'Boxing Day'),
    ('2025-01-01', 'New Year''s Day'),
    ('2025-04-18', 'Good Friday'),
    ('2025-04-21', 'Easter Monday'),
    ('2025-05-05', 'Early May bank holiday'),
    ('2025-05-26', 'Spring bank holiday'),
    ('2025-08-25', 'Summer bank holiday'),
    ('2025-12-25', 'Christmas Day'),
    ('2025-12-26', 'Boxing Day'),
    ('2026-01-01', 'New Year''s Day'),
    ('2026-04-03', 'Good Friday'),
    ('2026-04-06', 'Easter Monday'),
    ('2026-05-04', 'Early May bank holiday'),
    ('2026-05-25', 'Spring bank holiday'),
    ('2026-08-31', 'Summer bank holiday'),
    ('2026-12-25', 'Christmas Day'),
    ('2026-12-28', 'Boxing Day (substitute day)'),
    ('2027-01-01', 'New Year''s Day'),
    ('2027-03-26', 'Good Friday'),
    ('2027-03-29', 'Easter Monday'),
    ('2027-05-03', 'Early May bank holiday'),
    ('2027-05-31', 'Spring bank holiday'),
    ('2027-08-30', 'Summer bank holiday'),
    ('2027-12-27', 'Christmas Day (substitute day)'),
    ('2027-12-28', 'Boxing Day (substitute day)'),
    ('2028-01-03', 'New Year''s Day (substitute day)'),
    ('2028-04-14', 'Good Friday'),
    ('2028-04-17', 'Easter Monday'),
    ('2028-05-01', 'Early May bank holiday'),
    ('2028-05-29', 'Spring bank holiday'),
    ('2028-08-28', 'Summer bank holiday'),
    ('2028-12-25', 'Christmas Day'),
    ('2028-12-26', 'Boxing Day'),
    ('2029-01-01', 'New Year''s Day'),
    ('2029-03-30', 'Good Friday'),
    ('2029-04-02', 'Easter Monday'),
    ('2029-05-07', 'Early May bank holiday'),
    ('2029-05-28', 'Spring bank holiday'),
    ('2029-08-27', 'Summer bank holiday'),
    ('2029-12-25', 'Christmas Day'),
    ('2029-12-26', 'Boxing Day'),
    ('2030-01-01', 'New Year''s Day'),
    ('2030-04-19', 'Good Friday'),
    ('2030-04-22', 'Easter Monday'),
    ('2030-05-06', 'Early May bank holiday'),
    ('2030-05-27', 'Spring bank holiday'),
    ('2030-08-26', 'Summer bank holiday'),
    ('2030-12-25', 'Christmas Day'),
    ('2030-12-26', 'Boxing Day');
UPDATE @extschema@.non_working_day SET dump = false;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.non_working_day', 'WHERE dump');

-- Anyone may read the calendar: the working-time functions read it as the caller.
GRANT SELECT ON @extschema@.working_hours, @extschema@.non_working_day TO PUBLIC;

CREATE FUNCTION @extschema@.is_working_time(t timestamptz) RETURNS boolean
    AS 'MODULE_PATHNAME', 'lt_is_working_time_sql'
    LANGUAGE C STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.is_working_time(timestamptz) IS
    'true when t falls in working hours (working_hours) on a Monday to Friday that is not a non_working_day, Europe/London';

CREATE FUNCTION @extschema@.add_working_hours(t timestamptz, hours double precision) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'lt_add_working_hours_sql'
    LANGUAGE C STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.add_working_hours(timestamptz, double precision) IS
    'the instant when the given number of working hours have elapsed after t (from the next opening when t is outside working time)';

CREATE FUNCTION @extschema@.working_hours_between(a timestamptz, b timestamptz) RETURNS double precision
    AS 'MODULE_PATHNAME', 'lt_working_hours_between_sql'
    LANGUAGE C STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.working_hours_between(timestamptz, timestamptz) IS
    'working hours elapsed between a and b (negative when b is before a)';

--
-- Deadline policy
--

CREATE TABLE @extschema@.policy (
    id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    urgency @extschema@.urgency,          -- NULL: any urgency
    kind    text,                         -- NULL: any kind of letter
    amount  numeric NOT NULL CHECK (amount >= 0 AND amount <= 8760),
    unit    text    NOT NULL CHECK (unit IN ('hours', 'days', 'working_hours', 'working_days')),
    note    text,
    dump    boolean NOT NULL DEFAULT true,
    CHECK (unit <> 'working_days' OR amount = pg_catalog.trunc(amount))
);
COMMENT ON TABLE @extschema@.policy IS
    'how long a letter may wait before it must be sent; every rule whose urgency and kind match applies and the earliest deadline wins';
COMMENT ON COLUMN @extschema@.policy.unit IS
    'hours or days: clock time; working_hours: working time; working_days: by the close of the Nth working day (0 = the same working day)';
INSERT INTO @extschema@.policy (urgency, kind, amount, unit, note, dump) VALUES
    (NULL, NULL, 7, 'days',
     'any letter: 7 days, as the NHS Standard Contract requires for outpatient clinic letters (SC11)', false),
    (NULL, 'discharge', 24, 'hours',
     'discharge summaries: within 24 hours (NHS Standard Contract, Service Conditions SC11)', false),
    (NULL, 'outpatient', 7, 'days',
     'outpatient clinic letters: within 7 days (NHS Standard Contract, Service Conditions SC11)', false),
    (NULL, 'death', 0, 'working_days',
     'death notifications: the same working day (the GP certifies; the family must register within 5 days)', false),
    ('immediate', NULL, 0, 'working_days', 'immediate: the same working day', false),
    ('urgent', NULL, 0, 'working_days', 'urgent: the same working day', false),
    ('soon', NULL, 1, 'working_days', 'soon: by the close of the next working day', false);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policy', 'WHERE dump');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policy_id_seq', '');

--
-- The state of every watched letter
--

CREATE TABLE @extschema@.letter_state (
    tbl             regclass    NOT NULL,   -- the watched table
    key             text        NOT NULL,   -- the row's key as text
    urgency         @extschema@.urgency NOT NULL,
    actions         text[]      NOT NULL,
    needs_review    boolean     NOT NULL,
    reason          text,
    kind            text,                   -- letter kind when mapped/known
    recipient       text,                   -- GP practice (ODS code) when mapped
    created         timestamptz NOT NULL,
    due             timestamptz NOT NULL,   -- deadline for being sent
    sent            timestamptz,
    status          text        NOT NULL CHECK (status IN ('waiting','sent','sent_late','overdue','withdrawn')),
    triaged_at      timestamptz NOT NULL,
    ruleset_version bigint,
    withdrawn       timestamptz,            -- when the row was deleted or the table truncated
    PRIMARY KEY (tbl, key)
);
COMMENT ON TABLE @extschema@.letter_state IS
    'one row per letter of every watched table: triage, deadline and status (waiting, sent, sent_late, overdue, withdrawn)';
CREATE INDEX letter_state_waiting ON @extschema@.letter_state (due) WHERE status IN ('waiting', 'overdue');
CREATE INDEX letter_state_recipient ON @extschema@.letter_state (recipient, sent);

-- Problems the tracking trigger met (the application's statement went on):
-- alerts turn these into alerts of kind tracking_error.
CREATE TABLE @extschema@.tracking_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    logged_at   timestamptz NOT NULL DEFAULT pg_catalog.statement_timestamp(),
    tbl         regclass    NOT NULL,
    event       text        NOT NULL CHECK (event IN ('problem', 'error', 'truncate')),
    letters     bigint      NOT NULL,   -- letters concerned
    sample_keys text[],                 -- the first few of their keys
    detail      text        NOT NULL
);
COMMENT ON TABLE @extschema@.tracking_log IS
    'problems met by the tracking trigger (problem: letters kept with needs_review; error: letters not recorded, run retriage()) and TRUNCATEs of watched tables';

CREATE FUNCTION @extschema@.deadline(created timestamptz, urgency @extschema@.urgency, kind text DEFAULT NULL)
    RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'lt_deadline_sql'
    LANGUAGE C STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.deadline(timestamptz, @extschema@.urgency, text) IS
    'when a letter created at the given time, of the given urgency and kind, must be sent: the earliest deadline of the policy rules that apply';
