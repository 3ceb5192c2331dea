-- Tracking letters on existing tables: the calendar and working
-- time, the deadline policy, the state of every watched letter, watch(),
-- unwatch(), retriage() and the tracking trigger.

--
-- Calendar and working time
--

-- The hours of a working day (Europe/London local time): the shipped row
-- (dump = false) applies unless the DBA adds a row of their own (dump = true,
-- the default), which pg_dump keeps.
CREATE TABLE @extschema@.working_hours (
    dump   boolean NOT NULL DEFAULT true PRIMARY KEY,
    opens  time    NOT NULL,
    closes time    NOT NULL,
    CHECK (opens < closes)
);
COMMENT ON TABLE @extschema@.working_hours IS
    'the working day, Monday to Friday, Europe/London local time: shipped 08:00-18:30 (GP core hours, dump = false); a row you insert (dump = true) takes its place';
INSERT INTO @extschema@.working_hours (opens, closes, dump) VALUES ('08:00', '18:30', false);
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, 'WHERE dump')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.working_hours);

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
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, 'WHERE dump')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.non_working_day);

-- Anyone may read the calendar: the working-time functions read it as the caller.
GRANT SELECT ON @extschema@.working_hours, @extschema@.non_working_day TO PUBLIC;

CREATE FUNCTION @extschema@.is_working_time(t timestamptz) RETURNS boolean
    AS 'MODULE_PATHNAME', 'lt_is_working_time'
    LANGUAGE C STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.is_working_time(timestamptz) IS
    'true when t falls in working hours (working_hours) on a Monday to Friday that is not a non_working_day, Europe/London';

CREATE FUNCTION @extschema@.add_working_hours(t timestamptz, hours double precision) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'lt_add_working_hours'
    LANGUAGE C STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.add_working_hours(timestamptz, double precision) IS
    'the instant when the given number of working hours have elapsed after t (from the next opening when t is outside working time)';

CREATE FUNCTION @extschema@.working_hours_between(a timestamptz, b timestamptz) RETURNS double precision
    AS 'MODULE_PATHNAME', 'lt_working_hours_between'
    LANGUAGE C STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.working_hours_between(timestamptz, timestamptz) IS
    'working hours elapsed between a and b (negative when b is before a)';

--
-- Deadline policy
--

CREATE TABLE @extschema@.policy (
    id      bigserial PRIMARY KEY,
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
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, 'WHERE dump')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.policy);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policy_id_seq', '');

--
-- The state of every watched letter
--

CREATE TABLE @extschema@.letter_state (
    table_id        integer     NOT NULL,   -- the watched table: watched.id
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
    PRIMARY KEY (table_id, key),
    -- (the trigger records a non-finite time as unreadable; reports and checks rely on finite times)
    CONSTRAINT letter_state_finite_times CHECK (pg_catalog.isfinite(created) AND pg_catalog.isfinite(due)
        AND (sent IS NULL OR pg_catalog.isfinite(sent)) AND (withdrawn IS NULL OR pg_catalog.isfinite(withdrawn)))
);
COMMENT ON TABLE @extschema@.letter_state IS
    'one row per letter of every watched table: triage, deadline and status (waiting, sent, sent_late, overdue, withdrawn)';
CREATE INDEX letter_state_waiting ON @extschema@.letter_state (due) WHERE status IN ('waiting', 'overdue');
CREATE INDEX letter_state_recipient ON @extschema@.letter_state (recipient, sent) WHERE sent IS NOT NULL;
-- The indexes the alert checks read.  The checks of the flow must cost what
-- the waiting letters cost, not what the history costs.  The letters waiting
-- at a time t are those still unsent now (letter_state_waiting), those
-- withdrawn unsent after t, and those sent after t that had been created by
-- t: the ones whose span [created, sent) contains t, which a GiST index of
-- the spans finds without reading the letters sent since t.  Only sent (or
-- withdrawn) letters enter these indexes: an INSERT of a waiting letter does
-- not touch them.  A letter "sent" before it was created has an empty span.
CREATE INDEX letter_state_sent ON @extschema@.letter_state (table_id, sent) WHERE sent IS NOT NULL;
CREATE INDEX letter_state_sent_span ON @extschema@.letter_state
    USING gist (pg_catalog.tstzrange(LEAST(created, sent), sent)) WHERE sent IS NOT NULL;
CREATE INDEX letter_state_withdrawn ON @extschema@.letter_state (table_id, withdrawn) WHERE withdrawn IS NOT NULL;
-- The letters sent late, by table and practice (check_sent_late).  Tracking
-- marks a letter 'sent_late' exactly when it is sent past its deadline (or
-- after it was marked overdue).
CREATE INDEX letter_state_sent_late ON @extschema@.letter_state (table_id, recipient) WHERE status = 'sent_late';
-- The state is data, not derivable: pg_dump keeps it (status history, sent
-- late, withdrawn letters) so that a restored database goes on where it was.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.letter_state', '');

-- Problems the tracking trigger met (the application's statement went on):
-- alerts turn these into alerts of kind tracking_error.
CREATE TABLE @extschema@.tracking_log (
    id          bigserial PRIMARY KEY,
    logged_at   timestamptz NOT NULL DEFAULT pg_catalog.statement_timestamp(),
    table_id    integer     NOT NULL,   -- the watched table: watched.id
    event       text        NOT NULL CHECK (event IN ('problem', 'error', 'truncate', 'reconcile', 'partition')),
    letters     bigint      NOT NULL,   -- letters concerned
    sample_keys text[],                 -- the first few of their keys
    detail      text        NOT NULL
);
COMMENT ON TABLE @extschema@.tracking_log IS
    'problems met by the tracking trigger (problem: letters kept with needs_review; error: letters not recorded, run retriage()), TRUNCATEs of watched tables, and letters withdrawn by reconcile()';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tracking_log', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tracking_log_id_seq', '');

CREATE FUNCTION @extschema@.deadline(created timestamptz, urgency @extschema@.urgency, kind text DEFAULT NULL)
    RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'lt_deadline'
    LANGUAGE C STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.deadline(timestamptz, @extschema@.urgency, text) IS
    'when a letter created at the given time, of the given urgency and kind, must be sent: the earliest deadline of the policy rules that apply';

--
-- Watched tables
--

-- A watched table's identity is the extension's own: the id of its mapping,
-- which letter_state, tracking_log and the alerts refer to, and which its
-- tracking triggers carry as their first argument.  Integers dump and
-- restore as they are, whichever tables a dump leaves out; the table is
-- found by the name the mapping records (kept current on rename), so a
-- mapping is bound to no OID: a dropped table's history keeps its name,
-- and a new table (whatever its OID) has no history until it is watched.
CREATE TABLE @extschema@.watched (
    id         integer     GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,    -- the table, schema-qualified and quoted
    ended      timestamptz,             -- no longer watched (unwatched or dropped); the history stays
    ended_by   text        CHECK (ended_by IN ('unwatch', 'drop')),
    key_column name        NOT NULL,
    body       name        NOT NULL,
    created    name        NOT NULL,
    sent       name        NOT NULL,
    recipient  name,
    nhs_number name,
    kind       name,
    watched_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    watched_by name        NOT NULL DEFAULT CURRENT_USER,
    key_columns name[],                 -- a key of several columns: all of them, key_column first
    CHECK (key_columns IS NULL OR (pg_catalog.cardinality(key_columns) > 1
                                   AND key_columns[1] OPERATOR(pg_catalog.=) key_column)),
    CHECK ((ended IS NULL) = (ended_by IS NULL))
);
COMMENT ON TABLE @extschema@.watched IS
    'tables whose letters are tracked or were (ended), each with the identity (id) its history refers to, its schema-qualified name and the mapping of its columns (maintained by watch(), unwatch() and the event triggers)';
-- one mapping in force per table
CREATE UNIQUE INDEX watched_name ON @extschema@.watched (name) WHERE ended IS NULL;
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.watched);
-- and the sequence of its identity column
SELECT pg_catalog.pg_extension_config_dump(d.objid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_depend d ON d.refobjid = t.typrelid
       AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'i'
  JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
 WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.watched);

-- The name a mapping records for table tbl: schema-qualified and quoted.
CREATE FUNCTION @extschema@.table_name(tbl regclass) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
             WHERE c.oid OPERATOR(pg_catalog.=) tbl);
COMMENT ON FUNCTION @extschema@.table_name(regclass) IS
    'the schema-qualified, quoted name of a table, as letters_triage.watched records it';

-- The identity of watched table tbl: its mapping in force.
CREATE FUNCTION @extschema@.table_id(tbl regclass) RETURNS integer
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT w.id FROM @extschema@.watched w
             WHERE w.name OPERATOR(pg_catalog.=) @extschema@.table_name(tbl) AND w.ended IS NULL);
COMMENT ON FUNCTION @extschema@.table_id(regclass) IS
    'the identity (watched.id) of a watched table, which letter_state, tracking_log and the alerts refer to; NULL when the table is not watched';

-- The name a table's identity records (for reports and alert texts).
CREATE FUNCTION @extschema@.table_label(table_id integer) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT w.name FROM @extschema@.watched w WHERE w.id OPERATOR(pg_catalog.=) table_id);
COMMENT ON FUNCTION @extschema@.table_label(integer) IS
    'the schema-qualified name that a watched table''s identity (watched.id) records, also after the table was dropped';

-- The identity a tracking trigger carries: its first argument.
CREATE FUNCTION @extschema@.trigger_table_id(tgargs bytea) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT CASE WHEN a.id ~ '^[0-9]{1,9}$' THEN a.id::integer END
              FROM (SELECT pg_catalog.split_part(pg_catalog.encode(tgargs, 'escape'), E'\\000', 1) AS id) a);
COMMENT ON FUNCTION @extschema@.trigger_table_id(bytea) IS
    'the table identity (watched.id) that a tracking trigger carries, from pg_trigger.tgargs; NULL when it carries none';

-- (no SET search_path: the trigger sets it, in C, only when it runs SQL; a
-- SET clause cost every single-row INSERT into a watched table dearly)
CREATE FUNCTION @extschema@.track() RETURNS trigger
    AS 'MODULE_PATHNAME', 'lt_track'
    LANGUAGE C;
COMMENT ON FUNCTION @extschema@.track() IS
    'statement-level trigger that watch() attaches to a table: triages its letters and keeps letter_state (arguments: the mapped column names)';
REVOKE ALL ON FUNCTION @extschema@.track() FROM PUBLIC;

-- The row-level path for replica sessions (the apply workers of logical
-- replication, which fire no statement-level trigger but TRUNCATE's).
CREATE FUNCTION @extschema@.track_apply() RETURNS trigger
    AS 'MODULE_PATHNAME', 'lt_track_apply'
    LANGUAGE C;
COMMENT ON FUNCTION @extschema@.track_apply() IS
    'row-level trigger (statement-level for TRUNCATE) that watch() attaches to a table a subscription writes to, enabled for replica sessions: queues the rows the apply worker writes and tracks them in bulk before the commit (arguments: those of track())';
REVOKE ALL ON FUNCTION @extschema@.track_apply() FROM PUBLIC;

-- The triggers of the partitions of a watched partitioned table (see
-- 31_tracking_partitions.sql).
-- (the same C trigger as track(); a function of its own so that the
-- partitions' triggers are told apart from the watched tables')
CREATE FUNCTION @extschema@.track_partition() RETURNS trigger
    AS 'MODULE_PATHNAME', 'lt_track'
    LANGUAGE C;
COMMENT ON FUNCTION @extschema@.track_partition() IS
    'statement-level trigger that watch() attaches to each partition of a watched partitioned table: records the changes made directly on the partition as letters of the watched table (arguments: as track())';
REVOKE ALL ON FUNCTION @extschema@.track_partition() FROM PUBLIC;

CREATE FUNCTION @extschema@.track_partition_truncate() RETURNS trigger
    AS 'MODULE_PATHNAME', 'lt_track_partition_truncate'
    LANGUAGE C;
COMMENT ON FUNCTION @extschema@.track_partition_truncate() IS
    'BEFORE TRUNCATE trigger of the partitions of a watched table: withdraws the unsent letters of a partition truncated on its own (its rows are read before they go); on the watched table itself, notes that the partitions go with it';
REVOKE ALL ON FUNCTION @extschema@.track_partition_truncate() FROM PUBLIC;

CREATE FUNCTION @extschema@.retriage(tbl regclass DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'lt_retriage'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.retriage(regclass) IS
    'triage every letter of a watched table (of all watched tables when NULL) again and recompute its deadline, after the rules or the policy changed; returns the number of letters';
REVOKE ALL ON FUNCTION @extschema@.retriage(regclass) FROM PUBLIC;

CREATE FUNCTION @extschema@.reconcile(tbl regclass DEFAULT NULL)
    RETURNS TABLE (tbl regclass, key text, previous_status text, urgency @extschema@.urgency, due timestamptz)
    AS 'MODULE_PATHNAME', 'lt_reconcile'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.reconcile(regclass) IS
    'withdraw every unsent (waiting or overdue) letter of a watched table (of all watched tables when NULL) whose key is no longer in the table, recording it in tracking_log; returns the letters withdrawn';
REVOKE ALL ON FUNCTION @extschema@.reconcile(regclass) FROM PUBLIC;

CREATE FUNCTION @extschema@.key_type_accepted(type regtype) RETURNS boolean
    AS 'MODULE_PATHNAME', 'lt_key_type_accepted'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.key_type_accepted(regtype) IS
    'whether watch() accepts a key column of this type: one whose text tracking can render the same in every session (integers, numeric, text types, uuid, enums, network addresses, date and time types, interval, bytea, real and double precision, and domains over them)';

CREATE FUNCTION @extschema@.watch(tbl regclass, body name, created name, sent name,
                                  recipient name DEFAULT NULL, nhs_number name DEFAULT NULL,
                                  kind name DEFAULT NULL, backfill boolean DEFAULT true,
                                  replicated boolean DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rel        record;
    col        record;
    keycol     name;
    keycols    name[];  keytypes oid[];  whole regclass;
    letter_oid oid;
    roles      text[] := ARRAY['body', 'created', 'sent', 'recipient', 'nhs_number', 'kind'];
    cols       name[] := ARRAY[body, created, sent, recipient, nhs_number, kind];
    args       text;
    i          int;
    ext_ns     oid := (SELECT t.typnamespace FROM pg_type t WHERE t.oid = pg_typeof(NULL::@extschema@.urgency));
BEGIN
    IF tbl IS NULL OR body IS NULL OR created IS NULL OR sent IS NULL OR backfill IS NULL THEN
        RAISE EXCEPTION 'tbl, body, created, sent and backfill must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT c.oid, c.relkind, c.relname, n.oid AS nspoid INTO rel
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'relation with OID % does not exist', tbl::oid USING ERRCODE = 'undefined_table';
    END IF;
    IF rel.relkind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION '"%" is not a table', tbl USING ERRCODE = 'wrong_object_type';
    END IF;
    IF rel.nspoid = ext_ns THEN
        RAISE EXCEPTION 'the extension''s own tables cannot be watched' USING ERRCODE = 'wrong_object_type';
    END IF;

    SELECT t.oid INTO letter_oid FROM pg_type t
     WHERE t.typname = 'letter' AND t.typnamespace = ext_ns;

    FOR i IN 1 .. 6 LOOP
        CONTINUE WHEN cols[i] IS NULL;
        SELECT a.attname, a.atttypid INTO col FROM pg_attribute a
         WHERE a.attrelid = tbl AND a.attname = cols[i] AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'column "%" of table % does not exist', cols[i], tbl
                USING ERRCODE = 'undefined_column', DETAIL = format('It was given as the %s column.', roles[i]);
        END IF;
        IF roles[i] = 'body' AND col.atttypid NOT IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)
           AND col.atttypid IS DISTINCT FROM letter_oid THEN
            RAISE EXCEPTION 'body column "%" is of type %', cols[i], col.atttypid::regtype
                USING ERRCODE = 'datatype_mismatch', HINT = 'The body must be text, varchar or letters_triage.letter.';
        END IF;
        IF roles[i] IN ('created', 'sent')
           AND col.atttypid NOT IN ('timestamptz'::regtype, 'timestamp'::regtype) THEN
            RAISE EXCEPTION '% column "%" is of type %', roles[i], cols[i], col.atttypid::regtype
                USING ERRCODE = 'datatype_mismatch', HINT = 'It must be timestamp with or without time zone.';
        END IF;
    END LOOP;

    -- The key: a primary key or a unique index over NOT NULL columns (not
    -- partial, not on an expression; INCLUDE columns are not part of it).  A
    -- key of one column first, so that the keys of a table watched before
    -- stay what they were; then the primary key; then the fewest columns.
    SELECT array_agg(a.attname ORDER BY k.n), array_agg(a.atttypid ORDER BY k.n) INTO keycols, keytypes
      FROM (SELECT x.indrelid, x.indkey, x.indnkeyatts
              FROM pg_index x
             WHERE x.indrelid = tbl AND x.indisunique AND x.indisvalid
               AND x.indpred IS NULL AND x.indexprs IS NULL
               AND NOT EXISTS (SELECT 1 FROM pg_attribute a2
                                WHERE a2.attrelid = x.indrelid
                                  AND a2.attnum = ANY ((x.indkey::int2[])[0:x.indnkeyatts - 1])
                                  AND NOT a2.attnotnull)
             ORDER BY x.indnkeyatts <> 1, NOT x.indisprimary, x.indnkeyatts, x.indexrelid
             LIMIT 1) x
      CROSS JOIN LATERAL generate_series(0, x.indnkeyatts - 1) k(n)
      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k.n];
    IF keycols IS NULL THEN
        RAISE EXCEPTION 'table % has no key', tbl
            USING ERRCODE = 'invalid_table_definition',
                  HINT = 'A primary key or a unique index over NOT NULL columns (not partial, not on an expression) identifies each letter.';
    END IF;
    keycol := keycols[1];
    -- the key is kept as text, which must not change with the session's settings
    FOR i IN 1 .. cardinality(keycols) LOOP
        IF NOT @extschema@.key_type_accepted(keytypes[i]) THEN
            RAISE EXCEPTION 'key column "%" of table % is of type %, whose text can differ between sessions',
                            keycols[i], tbl, keytypes[i]::regtype
                USING ERRCODE = 'datatype_mismatch',
                      HINT = 'Key the table by a column of an integer, numeric, text, uuid, enum, date or time type, or of interval or bytea.';
        END IF;
    END LOOP;

    -- (a partition's letters are those of the watched table it is part of)
    SELECT a.relid INTO whole FROM pg_partition_ancestors(watch.tbl) a
     WHERE a.relid <> watch.tbl AND @extschema@.table_id(a.relid) IS NOT NULL LIMIT 1;
    IF whole IS NOT NULL THEN
        RAISE EXCEPTION 'table % is a partition of watched table %', tbl, whole
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Its letters are tracked as letters of the partitioned table.';
    END IF;

    -- (watching again keeps the modes a DBA gave the triggers)
    DECLARE
        modes   jsonb := (SELECT pg_catalog.jsonb_object_agg(t.tgname, t.tgenabled) FROM pg_trigger t
                           WHERE t.tgrelid = tbl AND t.tgfoid IN (SELECT p.oid FROM pg_proc p
                                 WHERE p.proname IN ('track', 'track_apply') AND p.pronamespace = ext_ns));
        trg     record;
        mode    text;
        wid     integer := @extschema@.table_id(tbl);
    BEGIN
    -- (watching again keeps the table's identity, and so its history; so
    -- does watching a table again after unwatch())
    IF wid IS NULL THEN
        UPDATE @extschema@.watched w SET ended = NULL, ended_by = NULL
         WHERE w.id = (SELECT o.id FROM @extschema@.watched o
                        WHERE o.name = @extschema@.table_name(tbl) AND o.ended_by = 'unwatch'
                        ORDER BY o.ended DESC, o.id DESC LIMIT 1)
        RETURNING w.id INTO wid;
    END IF;
    FOR trg IN SELECT t.tgname, t.tgrelid::regclass AS rel FROM pg_trigger t
                WHERE t.tgrelid IN (SELECT tbl::oid UNION SELECT r.relid FROM pg_partition_tree(tbl) r)
                  AND t.tgfoid IN (SELECT p.oid FROM pg_proc p WHERE p.pronamespace = ext_ns
                                      AND p.proname IN ('track', 'track_apply', 'track_partition',
                                                        'track_partition_truncate'))
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', trg.tgname, trg.rel);
    END LOOP;
    IF wid IS NULL THEN
        INSERT INTO @extschema@.watched (name, key_column, body, created, sent, recipient, nhs_number, kind, key_columns)
        VALUES (@extschema@.table_name(tbl), keycol, body, created, sent, recipient, nhs_number, kind,
                CASE WHEN cardinality(keycols) > 1 THEN keycols END)
        RETURNING id INTO wid;
    ELSE
        UPDATE @extschema@.watched w
           SET key_column = keycol, body = watch.body, created = watch.created, sent = watch.sent,
               recipient = watch.recipient, nhs_number = watch.nhs_number, kind = watch.kind,
               key_columns = CASE WHEN cardinality(keycols) > 1 THEN keycols END,
               watched_at = now(), watched_by = CURRENT_USER
         WHERE w.id = wid;
    END IF;

    -- (the trigger's arguments: the table's identity, the mapping, then the
    -- key's further columns)
    args := format('%L, %L, %L, %L, %L, %L, %L, %L', wid, keycol, body, created, sent,
                   coalesce(recipient, ''), coalesce(nhs_number, ''), coalesce(kind, ''))
            || coalesce((SELECT string_agg(format(', %L', c), '' ORDER BY n)
                           FROM unnest(keycols[2:]) WITH ORDINALITY u(c, n)), '');
    EXECUTE format('CREATE TRIGGER letters_triage_insert AFTER INSERT ON %s'
                   ' REFERENCING NEW TABLE AS letters_triage_new'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track(%s)', tbl, args);
    EXECUTE format('CREATE TRIGGER letters_triage_update AFTER UPDATE ON %s'
                   ' REFERENCING OLD TABLE AS letters_triage_old NEW TABLE AS letters_triage_new'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track(%s)', tbl, args);
    EXECUTE format('CREATE TRIGGER letters_triage_delete AFTER DELETE ON %s'
                   ' REFERENCING OLD TABLE AS letters_triage_old'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track(%s)', tbl, args);
    EXECUTE format('CREATE TRIGGER letters_triage_truncate AFTER TRUNCATE ON %s'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track(%s)', tbl, args);
    IF rel.relkind = 'p' THEN
        -- its partitions (see 31_tracking_partitions.sql), and a TRUNCATE of
        -- the whole table told apart from one of a partition
        EXECUTE format('CREATE TRIGGER letters_triage_truncating BEFORE TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track_partition_truncate(%s)', tbl, args);
        EXECUTE format('CREATE TRIGGER letters_triage_truncated AFTER TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track_partition_truncate(%s)', tbl, args);
        PERFORM @extschema@.partition_joined(tbl, t.relid, false)
           FROM pg_partition_tree(tbl) t WHERE t.level = 1;
    END IF;

    -- The apply workers of logical replication fire row-level triggers (and
    -- TRUNCATE's): the row-level path, for replica sessions only, when the
    -- table is a subscription target, had it before, or it is asked for.
    IF coalesce(replicated, modes ? 'letters_triage_apply'
                OR EXISTS (SELECT 1 FROM pg_subscription_rel r WHERE r.srrelid = tbl)) THEN
        -- (the apply path queues rows by one key column)
        IF cardinality(keycols) > 1 THEN
            RAISE EXCEPTION 'table % is written by logical replication and has a key of several columns', tbl
                USING ERRCODE = 'feature_not_supported',
                      HINT = 'Tracking replicated changes needs a key of one column; give the table a unique index over one NOT NULL column.';
        END IF;
        EXECUTE format('CREATE TRIGGER letters_triage_apply AFTER INSERT OR UPDATE OR DELETE ON %s'
                       ' FOR EACH ROW EXECUTE FUNCTION @extschema@.track_apply(%s)', tbl, args);
        EXECUTE format('CREATE TRIGGER letters_triage_apply_truncate AFTER TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track_apply(%s)', tbl, args);
    END IF;
    FOR trg IN SELECT t.tgname, p.proname = 'track_apply' AS apply FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgrelid = tbl AND p.proname IN ('track', 'track_apply') AND p.pronamespace = ext_ns
    LOOP
        mode := modes ->> trg.tgname;
        IF trg.apply AND mode IS DISTINCT FROM 'A' THEN
            mode := 'R';        -- (watch() again repairs an apply trigger that does not fire for the apply worker)
        END IF;
        IF mode IN ('A', 'R', 'D') THEN
            EXECUTE format('ALTER TABLE %s %s TRIGGER %I', tbl,
                           CASE mode WHEN 'A' THEN 'ENABLE ALWAYS' WHEN 'R' THEN 'ENABLE REPLICA' ELSE 'DISABLE' END,
                           trg.tgname);
        END IF;
    END LOOP;
    END;

    IF backfill THEN
        RETURN @extschema@.retriage(tbl);
    END IF;
    RETURN 0;
END
$fn$;
COMMENT ON FUNCTION @extschema@.watch(regclass, name, name, name, name, name, name, boolean, boolean) IS
    'track the letters of a table: check the column mapping, record it, attach the tracking triggers (with replicated, or when the table is a subscription target, also those for the apply worker; watching again keeps the triggers'' modes) and (backfill) triage the rows already there; returns the number of letters backfilled';
REVOKE ALL ON FUNCTION @extschema@.watch(regclass, name, name, name, name, name, name, boolean, boolean) FROM PUBLIC;

CREATE FUNCTION @extschema@.unwatch(tbl regclass, keep_history boolean DEFAULT true)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    trg    name;  rel regclass;  wid integer;
    ext_ns oid := (SELECT t.typnamespace FROM pg_type t WHERE t.oid = pg_typeof(NULL::@extschema@.urgency));
BEGIN
    IF tbl IS NULL OR keep_history IS NULL THEN
        RAISE EXCEPTION 'tbl and keep_history must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- (the table's triggers, and those of its partitions)
    FOR trg, rel IN SELECT t.tgname, t.tgrelid::regclass FROM pg_trigger t
                     WHERE t.tgrelid IN (SELECT tbl::oid UNION SELECT r.relid FROM pg_partition_tree(tbl) r)
                       AND t.tgfoid IN (SELECT p.oid FROM pg_proc p WHERE p.pronamespace = ext_ns
                                           AND p.proname IN ('track', 'track_apply', 'track_partition',
                                                             'track_partition_truncate'))
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', trg, rel);
    END LOOP;
    wid := @extschema@.table_id(tbl);
    IF wid IS NULL THEN
        RETURN false;
    END IF;
    IF NOT keep_history THEN
        DELETE FROM @extschema@.letter_state s WHERE s.table_id = wid;
        DELETE FROM @extschema@.tracking_log l WHERE l.table_id = wid;
    END IF;
    -- (the mapping stays, ended, while anything refers to the identity)
    UPDATE @extschema@.watched w SET ended = statement_timestamp(), ended_by = 'unwatch' WHERE w.id = wid;
    RETURN true;
END
$fn$;
COMMENT ON FUNCTION @extschema@.unwatch(regclass, boolean) IS
    'stop tracking a table: remove its triggers and end its mapping (kept, with the table''s name, for its history); with keep_history false also delete its letters'' state and log; returns whether it was watched';
REVOKE ALL ON FUNCTION @extschema@.unwatch(regclass, boolean) FROM PUBLIC;

-- Is tracking on?  A table is tracked only while a track() trigger of each
-- statement kind fires for the sessions that write to it.  The owner of a
-- table can disable its triggers (ALTER TABLE ... DISABLE TRIGGER USER) or
-- enable them for replica sessions only, a restore of one schema brings
-- triggers back without their mapping, and session_replication_role =
-- replica set for a role or database stops ORIGIN triggers in its sessions.
-- The apply worker of a subscription is such a session: a subscription
-- target is tracked only by the track_apply() triggers, enabled for replica
-- sessions, that watch() adds to it.
CREATE VIEW @extschema@.tracking_status AS
WITH trg AS (
    SELECT t.tgrelid, t.tgenabled, t.tgtype::integer AS tgtype,
           @extschema@.trigger_table_id(t.tgargs) AS table_id
      FROM pg_catalog.pg_trigger t
     WHERE t.tgfoid OPERATOR(pg_catalog.=) '@extschema@.track()'::pg_catalog.regprocedure
       -- (AFTER ... FOR EACH STATEMENT with the transition tables and no
       -- WHEN clause, as watch() makes it: the only way the trigger works)
       AND (t.tgtype::integer OPERATOR(pg_catalog.&) 3) OPERATOR(pg_catalog.=) 0
       AND t.tgqual IS NULL
       AND (t.tgnewtable IS NOT NULL OR (t.tgtype::integer OPERATOR(pg_catalog.&) 20) OPERATOR(pg_catalog.=) 0)
       AND (t.tgoldtable IS NOT NULL OR (t.tgtype::integer OPERATOR(pg_catalog.&) 8) OPERATOR(pg_catalog.=) 0)),
maps AS (
    -- the mappings in force, each with the table its name finds
    SELECT w.id, w.name, pg_catalog.to_regclass(w.name)::pg_catalog.oid AS relid
      FROM @extschema@.watched w WHERE w.ended IS NULL),
tabs AS (
    SELECT m.relid FROM maps m WHERE m.relid IS NOT NULL
    UNION
    SELECT trg.tgrelid FROM trg),
ids AS (
    -- per table: the identities its tracking triggers carry other than its
    -- mapping's (none, another table's, or one this database does not
    -- have: restored from elsewhere)
    SELECT trg.tgrelid,
           pg_catalog.string_agg(DISTINCT coalesce(trg.table_id::text, 'none'), ', ')
               FILTER (WHERE trg.table_id IS DISTINCT FROM m.id) AS foreign_ids
      FROM trg LEFT JOIN maps m ON m.relid OPERATOR(pg_catalog.=) trg.tgrelid
     GROUP BY trg.tgrelid),
replica AS (
    -- roles and databases whose sessions start with session_replication_role
    -- = replica (ALTER ROLE, ALTER DATABASE, ALTER ROLE ALL), else the
    -- server's own default when it is replica (postgresql.conf, ALTER SYSTEM:
    -- seen as this session's reset value, which needs no privilege to read)
    SELECT coalesce(
             (SELECT pg_catalog.string_agg(w.who, ', ' ORDER BY w.who)
                FROM (SELECT CASE WHEN s.setrole OPERATOR(pg_catalog.<>) 0
                                  THEN 'role ' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(r.rolname)
                                  WHEN s.setdatabase OPERATOR(pg_catalog.<>) 0
                                  THEN 'database ' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(d.datname)
                                  ELSE 'every role (ALTER ROLE ALL)' END AS who
                        FROM pg_catalog.pg_db_role_setting s
                        LEFT JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) s.setrole
                        LEFT JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) s.setdatabase
                       WHERE s.setdatabase IN (0, (SELECT d2.oid FROM pg_catalog.pg_database d2
                                                    WHERE d2.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()))
                         AND 'session_replication_role=replica' OPERATOR(pg_catalog.=) ANY (s.setconfig)) w),
             (SELECT 'the server''s default (postgresql.conf or ALTER SYSTEM)'
                FROM pg_catalog.pg_settings g
               WHERE g.name OPERATOR(pg_catalog.=) 'session_replication_role'
                 AND g.reset_val OPERATOR(pg_catalog.=) 'replica')) AS who),
apply AS (
    -- the kinds of change (bits as above) that the apply worker's tracking
    -- triggers (track_apply(), fired in replica sessions) track
    SELECT t.tgrelid, pg_catalog.bit_or(t.tgtype::integer)
                      FILTER (WHERE t.tgenabled OPERATOR(pg_catalog.=) ANY ('{A,R}'::"char"[])) AS fires
      FROM pg_catalog.pg_trigger t
      JOIN pg_catalog.pg_proc f ON f.oid OPERATOR(pg_catalog.=) t.tgfoid
     WHERE f.proname OPERATOR(pg_catalog.=) 'track_apply'
       AND f.pronamespace OPERATOR(pg_catalog.=) (SELECT g.pronamespace FROM pg_catalog.pg_proc g
                                                   WHERE g.oid OPERATOR(pg_catalog.=) '@extschema@.track()'::pg_catalog.regprocedure)
     GROUP BY t.tgrelid),
subs AS (
    -- the subscriptions of this database that write to each table
    SELECT r.srrelid, pg_catalog.string_agg(pg_catalog.quote_ident(s.subname), ', ' ORDER BY s.subname) AS names
      FROM pg_catalog.pg_subscription_rel r
      JOIN pg_catalog.pg_subscription s ON s.oid OPERATOR(pg_catalog.=) r.srsubid
     WHERE s.subdbid OPERATOR(pg_catalog.=) (SELECT d.oid FROM pg_catalog.pg_database d
                                              WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())
     GROUP BY r.srrelid),
ev AS (
    -- per table and statement kind (INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32):
    -- fires in ordinary sessions, only in replica sessions, not at all, or no trigger
    SELECT t.relid, e.name,
           CASE WHEN bool_or(trg.tgenabled OPERATOR(pg_catalog.=) 'A') THEN 'always'
                WHEN bool_or(trg.tgenabled OPERATOR(pg_catalog.=) 'O') THEN 'enabled'
                WHEN bool_or(trg.tgenabled OPERATOR(pg_catalog.=) 'R') THEN 'replica only'
                WHEN bool_or(trg.tgenabled OPERATOR(pg_catalog.=) 'D') THEN 'disabled'
                ELSE 'missing' END AS state
      FROM tabs t
      CROSS JOIN (VALUES (1, 'insert', 4), (2, 'update', 16), (3, 'delete', 8), (4, 'truncate', 32)) e(n, name, bit)
      LEFT JOIN trg ON trg.tgrelid OPERATOR(pg_catalog.=) t.relid
                   AND (trg.tgtype OPERATOR(pg_catalog.&) e.bit) OPERATOR(pg_catalog.<>) 0
     GROUP BY t.relid, e.n, e.name),
per AS (
    SELECT ev.relid,
           pg_catalog.string_agg(ev.name, ', ' ORDER BY ev.name) FILTER (WHERE ev.state OPERATOR(pg_catalog.=) 'missing') AS missing,
           pg_catalog.string_agg(ev.name, ', ' ORDER BY ev.name) FILTER (WHERE ev.state OPERATOR(pg_catalog.=) 'disabled') AS disabled,
           pg_catalog.string_agg(ev.name, ', ' ORDER BY ev.name) FILTER (WHERE ev.state OPERATOR(pg_catalog.=) 'replica only') AS replica_only,
           bool_or(ev.state OPERATOR(pg_catalog.=) 'enabled') AS origin_only,
           pg_catalog.max(ev.state) FILTER (WHERE ev.name OPERATOR(pg_catalog.=) 'insert') AS on_insert,
           pg_catalog.max(ev.state) FILTER (WHERE ev.name OPERATOR(pg_catalog.=) 'update') AS on_update,
           pg_catalog.max(ev.state) FILTER (WHERE ev.name OPERATOR(pg_catalog.=) 'delete') AS on_delete,
           pg_catalog.max(ev.state) FILTER (WHERE ev.name OPERATOR(pg_catalog.=) 'truncate') AS on_truncate
      FROM ev GROUP BY ev.relid),
repl AS (
    -- subscription targets (and tables set up for them) whose replicated
    -- changes of some kind no tracking trigger sees: which kinds
    SELECT p.relid, sb.names,
           pg_catalog.concat_ws(', ',
               CASE WHEN coalesce(a.fires, 0) OPERATOR(pg_catalog.&) 5 OPERATOR(pg_catalog.<>) 5 THEN 'insert' END,
               CASE WHEN coalesce(a.fires, 0) OPERATOR(pg_catalog.&) 17 OPERATOR(pg_catalog.<>) 17 THEN 'update' END,
               CASE WHEN coalesce(a.fires, 0) OPERATOR(pg_catalog.&) 9 OPERATOR(pg_catalog.<>) 9 THEN 'delete' END,
               CASE WHEN coalesce(a.fires, 0) OPERATOR(pg_catalog.&) 32 OPERATOR(pg_catalog.=) 0 THEN 'truncate' END) AS missing,
           coalesce(a.fires, 0) OPERATOR(pg_catalog.&) 61 OPERATOR(pg_catalog.=) 61 AS covered
      FROM per p
      LEFT JOIN apply a ON a.tgrelid OPERATOR(pg_catalog.=) p.relid
      LEFT JOIN subs sb ON sb.srrelid OPERATOR(pg_catalog.=) p.relid
     WHERE a.tgrelid IS NOT NULL OR sb.srrelid IS NOT NULL)
SELECT p.relid::pg_catalog.regclass AS tbl,
       w.id IS NOT NULL AS watched,
       p.on_insert, p.on_update, p.on_delete, p.on_truncate,
       CASE WHEN w.id IS NULL THEN 'not watched'
            WHEN i.foreign_ids IS NOT NULL THEN 'triggers of another table'
            WHEN p.missing IS NOT NULL THEN 'triggers missing'
            WHEN p.disabled IS NOT NULL THEN 'triggers disabled'
            WHEN p.replica_only IS NOT NULL THEN 'triggers for replica sessions only'
            WHEN NOT x.covered THEN 'replicated changes not tracked'
            WHEN p.origin_only AND r.who IS NOT NULL AND x.relid IS NULL THEN 'off in replica sessions'
            ELSE 'ok' END AS status,
       CASE WHEN w.id IS NULL THEN 'tracking triggers without a mapping in letters_triage.watched (a partial restore?): watch() the table again or unwatch() it'
            WHEN i.foreign_ids IS NOT NULL THEN pg_catalog.format('tracking triggers of %s carry the identity %s, not %s of its mapping (restored from another database?): watch() the table again', p.relid::pg_catalog.regclass, i.foreign_ids, w.id)
            WHEN p.missing IS NOT NULL THEN pg_catalog.format('no tracking trigger for %s: watch() the table again', p.missing)
            WHEN p.disabled IS NOT NULL THEN pg_catalog.format('the tracking triggers for %s are disabled: ALTER TABLE %s ENABLE TRIGGER USER', p.disabled, p.relid::pg_catalog.regclass)
            WHEN p.replica_only IS NOT NULL THEN pg_catalog.format('the tracking triggers for %s fire only when session_replication_role = replica: ALTER TABLE %s ENABLE TRIGGER USER', p.replica_only, p.relid::pg_catalog.regclass)
            WHEN NOT x.covered AND x.names IS NOT NULL THEN pg_catalog.format('%s is a target of subscription %s, whose apply worker fires no tracking trigger for %s: watch() the table again', p.relid::pg_catalog.regclass, x.names, x.missing)
            WHEN NOT x.covered THEN pg_catalog.format('the tracking triggers for replicated changes (%s) do not fire in replica sessions: watch() the table again', x.missing)
            WHEN p.origin_only AND r.who IS NOT NULL AND x.relid IS NULL THEN pg_catalog.format('session_replication_role = replica is set for %s, whose sessions do not fire the tracking triggers: remove the setting or ENABLE ALWAYS TRIGGER them', r.who)
            END AS detail,
       w.id AS table_id,
       coalesce(w.name, @extschema@.table_name(p.relid)) AS table_name
  FROM per p
  LEFT JOIN maps w ON w.relid OPERATOR(pg_catalog.=) p.relid
  LEFT JOIN ids i ON i.tgrelid OPERATOR(pg_catalog.=) p.relid
  LEFT JOIN repl x ON x.relid OPERATOR(pg_catalog.=) p.relid
  CROSS JOIN replica r
UNION ALL
-- the mappings whose table is not there (left out of a partial restore, or
-- dropped unseen): named by the name they record
SELECT NULL, true, 'missing', 'missing', 'missing', 'missing', 'table missing',
       pg_catalog.format('watched table %s (identity %s) does not exist (left out of a restore?): restore it, whose tracking triggers carry its identity, or end its mapping: UPDATE letters_triage.watched SET ended = now(), ended_by = ''drop'' WHERE id = %s',
                         m.name, m.id, m.id),
       m.id, m.name
  FROM maps m WHERE m.relid IS NULL
UNION ALL
-- the partitions of a watched partitioned table whose own tracking triggers
-- (track_partition(); track_partition_truncate() BEFORE TRUNCATE) do not all
-- fire: statements naming them would go unseen (listed only then)
SELECT q.relid::pg_catalog.regclass, true, q.on_insert, q.on_update, q.on_delete, q.on_truncate,
       CASE WHEN 'missing' IN (q.on_insert, q.on_update, q.on_delete, q.on_truncate)
            THEN 'partition triggers missing' ELSE 'partition triggers disabled' END,
       pg_catalog.format('partition %s of watched table %s: its tracking triggers for %s do not fire: watch() the table again',
                         q.relid::pg_catalog.regclass, q.root, q.off),
       -- (each partition by its own name: an alert each)
       NULL::integer, @extschema@.table_name(q.relid)
  FROM (SELECT x.relid, x.root,
               pg_catalog.max(x.state) FILTER (WHERE x.name OPERATOR(pg_catalog.=) 'insert') AS on_insert,
               pg_catalog.max(x.state) FILTER (WHERE x.name OPERATOR(pg_catalog.=) 'update') AS on_update,
               pg_catalog.max(x.state) FILTER (WHERE x.name OPERATOR(pg_catalog.=) 'delete') AS on_delete,
               pg_catalog.max(x.state) FILTER (WHERE x.name OPERATOR(pg_catalog.=) 'truncate') AS on_truncate,
               pg_catalog.string_agg(x.name, ', ' ORDER BY x.name)
                   FILTER (WHERE x.state OPERATOR(pg_catalog.<>) ALL ('{enabled,always}'::pg_catalog.text[])) AS off
          FROM (SELECT pt.relid, pt.root, e.name,
                       coalesce((SELECT CASE WHEN bool_or(t.tgenabled OPERATOR(pg_catalog.=) 'A') THEN 'always'
                                             WHEN bool_or(t.tgenabled OPERATOR(pg_catalog.=) 'O') THEN 'enabled'
                                             WHEN bool_or(t.tgenabled OPERATOR(pg_catalog.=) 'R') THEN 'replica only'
                                             WHEN bool_or(t.tgenabled OPERATOR(pg_catalog.=) 'D') THEN 'disabled' END
                                   FROM pg_catalog.pg_trigger t
                                  WHERE t.tgrelid OPERATOR(pg_catalog.=) pt.relid
                                    AND (t.tgtype::integer OPERATOR(pg_catalog.&) e.bit) OPERATOR(pg_catalog.<>) 0
                                    AND ((t.tgfoid OPERATOR(pg_catalog.=) '@extschema@.track_partition()'::pg_catalog.regprocedure
                                          AND (t.tgtype::integer OPERATOR(pg_catalog.&) 3) OPERATOR(pg_catalog.=) 0)
                                         OR (t.tgfoid OPERATOR(pg_catalog.=) '@extschema@.track_partition_truncate()'::pg_catalog.regprocedure
                                             AND (t.tgtype::integer OPERATOR(pg_catalog.&) 3) OPERATOR(pg_catalog.=) 2))),
                                'missing') AS state
                  -- (partitions found from their side, each with its watched
                  -- ancestor: pg_partition_tree()'s estimate of 1000 rows a
                  -- table made the planner compile this view for every check)
                  FROM (SELECT c.oid AS relid,
                               (SELECT a.relid::pg_catalog.regclass FROM pg_catalog.pg_partition_ancestors(c.oid) WITH ORDINALITY a(relid, n)
                                  JOIN @extschema@.watched w ON w.name OPERATOR(pg_catalog.=) @extschema@.table_name(a.relid)
                                       AND w.ended IS NULL
                                 WHERE a.relid OPERATOR(pg_catalog.<>) c.oid
                                 ORDER BY a.n DESC LIMIT 1) AS root
                          FROM pg_catalog.pg_class c WHERE c.relispartition) pt
                 CROSS JOIN (VALUES ('insert', 4), ('update', 16), ('delete', 8), ('truncate', 32)) e(name, bit)
                 WHERE pt.root IS NOT NULL) x
         GROUP BY x.relid, x.root) q
 WHERE q.off IS NOT NULL;
COMMENT ON VIEW @extschema@.tracking_status IS
    'every watched table and every table with tracking triggers: whether each statement kind fires its trigger (always, enabled, replica only, disabled, missing) and status ok, or what stops tracking and how to repair it, including a subscription target whose replicated changes no tracking trigger sees (check_tracking alerts on each)';

-- Every backend caches the calendar and the policy for the tracking trigger;
-- a change to them invalidates the caches.
CREATE FUNCTION @extschema@.calendar_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'lt_calendar_changed'
    LANGUAGE C;
COMMENT ON FUNCTION @extschema@.calendar_changed() IS
    'statement trigger on working_hours, non_working_day and policy: makes every session reload them';
REVOKE ALL ON FUNCTION @extschema@.calendar_changed() FROM PUBLIC;
CREATE TRIGGER calendar_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.working_hours
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.calendar_changed();
CREATE TRIGGER calendar_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.non_working_day
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.calendar_changed();
CREATE TRIGGER calendar_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.calendar_changed();

-- A watched table that is dropped is no longer watched; its unsent letters
-- are withdrawn (the history stays in letter_state).
CREATE FUNCTION @extschema@.forget_dropped() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    gone integer[];
BEGIN
    -- (the dropped tables' mappings, by the names they had: those in force,
    -- and those unwatch() ended, which watch() would otherwise take up again)
    SELECT array_agg(w.id) INTO gone FROM pg_event_trigger_dropped_objects() d
      JOIN @extschema@.watched w ON w.name = format('%I.%I', d.schema_name, d.object_name)
                                AND (w.ended IS NULL OR w.ended_by = 'unwatch')
     WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0 AND d.object_type IN ('table', 'partitioned table');
    IF gone IS NULL THEN
        RETURN;
    END IF;
    UPDATE @extschema@.letter_state s
       SET status = 'withdrawn', withdrawn = statement_timestamp(),
           reason = CASE WHEN s.reason IS NULL THEN 'table dropped' ELSE s.reason || '; table dropped' END
     WHERE s.table_id = ANY (gone) AND s.status IN ('waiting', 'overdue');
    UPDATE @extschema@.watched w SET ended = coalesce(w.ended, statement_timestamp()), ended_by = 'drop'
     WHERE w.id = ANY (gone);
END
$fn$;
COMMENT ON FUNCTION @extschema@.forget_dropped() IS
    'event trigger: when a watched table is dropped, end its mapping (kept, with the table''s name, for its history) and withdraw its unsent letters';
REVOKE ALL ON FUNCTION @extschema@.forget_dropped() FROM PUBLIC;
CREATE EVENT TRIGGER letters_triage_forget_dropped ON sql_drop
    EXECUTE FUNCTION @extschema@.forget_dropped();
-- ALWAYS: event triggers are skipped in sessions with session_replication_role = replica,
-- and this one must not be.
ALTER EVENT TRIGGER letters_triage_forget_dropped ENABLE ALWAYS;


-- A watched table renamed, or moved to another schema (or its schema
-- renamed): its mapping records the new name.  Before each ALTER TABLE,
-- ALTER INDEX (which renames a table too) and ALTER SCHEMA, the tables the
-- mappings' names find are noted (for the transaction); after it, a mapping whose table now has another name takes
-- that name.  (Only within the command: a table restored from another
-- database, whose triggers carry an identity of that database, never takes
-- a mapping.)
CREATE FUNCTION @extschema@.names_before() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM set_config('letters_triage_names.bound',
                       coalesce((SELECT string_agg(w.id || '=' || to_regclass(w.name)::oid, ',')
                                   FROM @extschema@.watched w
                                  WHERE (w.ended IS NULL OR w.ended_by = 'unwatch')
                                    AND to_regclass(w.name) IS NOT NULL), ''),
                       true);
END
$fn$;
COMMENT ON FUNCTION @extschema@.names_before() IS
    'event trigger: before ALTER TABLE or ALTER SCHEMA, note the table each mapping''s name finds (see names_changed)';
REVOKE ALL ON FUNCTION @extschema@.names_before() FROM PUBLIC;

CREATE FUNCTION @extschema@.names_changed() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    UPDATE @extschema@.watched w SET name = b.name
      FROM (SELECT x.id, @extschema@.table_name(x.relid) AS name
              FROM (SELECT split_part(e, '=', 1)::integer AS id, split_part(e, '=', 2)::oid AS relid
                      FROM unnest(string_to_array(current_setting('letters_triage_names.bound', true), ',')) e) x) b
     WHERE w.id = b.id AND (w.ended IS NULL OR w.ended_by = 'unwatch') AND b.name IS NOT NULL AND w.name <> b.name;
    PERFORM set_config('letters_triage_names.bound', '', true);
    -- Tracking triggers this command disabled (or left to replica sessions):
    -- the letters written until they are enabled again go untracked, and a
    -- check run after they are back would see nothing wrong.  An error row
    -- makes it a tracking_error alert (rolled back with the command).
    INSERT INTO @extschema@.tracking_log (table_id, event, letters, detail)
    SELECT DISTINCT ON (t.table_id) t.table_id, 'error', 0,
           format('the tracking trigger of %s was disabled (ALTER TABLE %s): letters written while it is off are not tracked; enable it again and run retriage()',
                  c.objid::regclass, CASE t.tgenabled WHEN 'R' THEN 'ENABLE REPLICA TRIGGER' ELSE 'DISABLE TRIGGER' END)
      FROM pg_catalog.pg_event_trigger_ddl_commands() c
      CROSS JOIN LATERAL (SELECT x.tgenabled, @extschema@.trigger_table_id(x.tgargs) AS table_id
                            FROM pg_catalog.pg_trigger x
                           WHERE x.tgrelid = c.objid
                             AND x.tgfoid = '@extschema@.track()'::pg_catalog.regprocedure
                             AND x.tgenabled IN ('D', 'R')) t
     WHERE c.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND t.table_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM @extschema@.watched w WHERE w.id = t.table_id)
     ORDER BY t.table_id;
EXCEPTION WHEN OTHERS THEN
    -- never fail the DBA's DDL: a name another mapping holds (a rename no
    -- event trigger saw) leaves this one as it was, for tracking_status to report
    PERFORM set_config('letters_triage_names.bound', '', true);
    RAISE WARNING 'letters_triage could not record the new name of a watched table: %', SQLERRM
        USING HINT = 'See letters_triage.tracking_status.';
END
$fn$;
COMMENT ON FUNCTION @extschema@.names_changed() IS
    'event trigger: after ALTER TABLE or ALTER SCHEMA, record the new names of watched tables renamed or moved';
REVOKE ALL ON FUNCTION @extschema@.names_changed() FROM PUBLIC;
CREATE EVENT TRIGGER letters_triage_names_before ON ddl_command_start
    WHEN TAG IN ('ALTER TABLE', 'ALTER INDEX', 'ALTER SCHEMA')
    EXECUTE FUNCTION @extschema@.names_before();
CREATE EVENT TRIGGER letters_triage_names_changed ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'ALTER INDEX', 'ALTER SCHEMA')
    EXECUTE FUNCTION @extschema@.names_changed();
-- (ALWAYS, as the others: a rename in a replica session is a rename too)
ALTER EVENT TRIGGER letters_triage_names_before ENABLE ALWAYS;
ALTER EVENT TRIGGER letters_triage_names_changed ENABLE ALWAYS;

-- The tracking triggers cache the mappings (see track_ident.c): a change
-- to watched makes every session read them again.
CREATE FUNCTION @extschema@.mappings_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'lt_mappings_changed'
    LANGUAGE C;
COMMENT ON FUNCTION @extschema@.mappings_changed() IS
    'statement trigger on watched: makes every session read the mappings again';
REVOKE ALL ON FUNCTION @extschema@.mappings_changed() FROM PUBLIC;
CREATE TRIGGER mappings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.watched
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.mappings_changed();
