-- Tracking partitioned tables (a letters table partitioned by date, by hand
-- or by pg_partman).  The watched table is the partitioned table; its
-- letters are the rows of all its partitions, keyed by its key (which holds
-- the partition key).  Statement triggers on a partitioned table do not fire
-- for statements on a partition, so every partition gets tracking triggers
-- of its own that record its changes as the watched table's; an event
-- trigger gives them to partitions created or attached later (and backfills
-- an attached table's rows), and withdraws the waiting letters of a
-- partition detached or dropped.  A TRUNCATE of one partition withdraws its
-- waiting letters (read before the truncation).  No DDL of the DBA is ever
-- refused or failed for a tracking problem: it is logged in tracking_log
-- (event error), which check_tracking reports.

-- (the partitions' trigger functions track_partition() and
-- track_partition_truncate() are in 30_tracking.sql: tracking_status names them)

CREATE FUNCTION @extschema@.withdraw_partition(tbl regclass, part regclass, why text)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'lt_withdraw_partition'
    LANGUAGE C VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.withdraw_partition(regclass, regclass, text) IS
    'withdraw the unsent letters of watched table tbl whose rows are in part (read as its owner), with the reason why, and record it in tracking_log (event partition); returns how many';
REVOKE ALL ON FUNCTION @extschema@.withdraw_partition(regclass, regclass, text) FROM PUBLIC;

-- Give a partition (and its own partitions) of watched table tbl the
-- tracking triggers, with tbl's mapping; with backfill, record its rows as
-- letters of tbl (an attached table's).  A partition that was watched on its
-- own is watched no more: its unsent letters are withdrawn there and come
-- back as tbl's.
CREATE FUNCTION @extschema@.partition_joined(tbl regclass, part regclass, backfill boolean DEFAULT true)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    w      @extschema@.watched;
    args   text;
    p      regclass;
    pid    integer;
    trg    record;
    ext_ns oid := (SELECT t.typnamespace FROM pg_type t WHERE t.oid = pg_typeof(NULL::@extschema@.urgency));
BEGIN
    SELECT * INTO w FROM @extschema@.watched x WHERE x.id = @extschema@.table_id(partition_joined.tbl);
    IF NOT FOUND OR part IS NULL OR part = tbl THEN
        RETURN 0;
    END IF;
    args := format('%L, %L, %L, %L, %L, %L, %L, %L', w.id, w.key_column, w.body, w.created, w.sent,
                   coalesce(w.recipient, ''), coalesce(w.nhs_number, ''), coalesce(w.kind, ''))
            || coalesce((SELECT string_agg(format(', %L', c), '' ORDER BY n)
                           FROM unnest(w.key_columns[2:]) WITH ORDINALITY u(c, n)), '');
    FOR p IN SELECT t.relid FROM pg_partition_tree(part) t ORDER BY t.level, t.relid LOOP
        pid := @extschema@.table_id(p);
        IF pid IS NOT NULL THEN
            PERFORM @extschema@.unwatch(p, true);
            UPDATE @extschema@.letter_state s
               SET status = 'withdrawn', withdrawn = statement_timestamp(),
                   reason = concat_ws('; ', s.reason, format('tracked as a partition of %s', partition_joined.tbl))
             WHERE s.table_id = pid AND s.status IN ('waiting', 'overdue');
        END IF;
        FOR trg IN SELECT t.tgname FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid
                    WHERE t.tgrelid = p AND f.pronamespace = ext_ns
                      AND f.proname IN ('track', 'track_partition', 'track_partition_truncate')
        LOOP
            EXECUTE format('DROP TRIGGER %I ON %s', trg.tgname, p);
        END LOOP;
        EXECUTE format('CREATE TRIGGER letters_triage_insert AFTER INSERT ON %s'
                       ' REFERENCING NEW TABLE AS letters_triage_new'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track_partition(%s)', p, args);
        EXECUTE format('CREATE TRIGGER letters_triage_update AFTER UPDATE ON %s'
                       ' REFERENCING OLD TABLE AS letters_triage_old NEW TABLE AS letters_triage_new'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track_partition(%s)', p, args);
        EXECUTE format('CREATE TRIGGER letters_triage_delete AFTER DELETE ON %s'
                       ' REFERENCING OLD TABLE AS letters_triage_old'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track_partition(%s)', p, args);
        EXECUTE format('CREATE TRIGGER letters_triage_truncate BEFORE TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.track_partition_truncate(%s)', p, args);
    END LOOP;
    IF backfill THEN
        RETURN @extschema@.retriage(part);
    END IF;
    RETURN 0;
END
$fn$;
COMMENT ON FUNCTION @extschema@.partition_joined(regclass, regclass, boolean) IS
    'give a partition of watched table tbl (and its partitions) the tracking triggers and (backfill) record its rows as tbl''s letters; run by the event trigger for CREATE TABLE ... PARTITION OF and ATTACH PARTITION, and by watch()';
REVOKE ALL ON FUNCTION @extschema@.partition_joined(regclass, regclass, boolean) FROM PUBLIC;

-- A partition leaves watched table tbl (why: 'partition detached' or
-- 'partition dropped'): its unsent letters are withdrawn and that is logged;
-- a detached table that stays keeps no tracking triggers (its rows are no
-- longer letters of tbl; watch() it to track it on its own).
CREATE FUNCTION @extschema@.partition_left(tbl regclass, part regclass, why text)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    n      bigint := 0;
    trg    record;
    ext_ns oid := (SELECT t.typnamespace FROM pg_type t WHERE t.oid = pg_typeof(NULL::@extschema@.urgency));
BEGIN
    IF @extschema@.table_id(partition_left.tbl) IS NULL THEN
        RETURN 0;
    END IF;
    n := @extschema@.withdraw_partition(tbl, part, why);
    IF why <> 'partition dropped' THEN
        FOR trg IN SELECT t.tgname, t.tgrelid::regclass AS rel FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid
                    WHERE t.tgrelid IN (SELECT part::oid UNION SELECT r.relid FROM pg_partition_tree(part) r)
                      AND f.pronamespace = ext_ns AND f.proname IN ('track_partition', 'track_partition_truncate')
        LOOP
            EXECUTE format('DROP TRIGGER %I ON %s', trg.tgname, trg.rel);
        END LOOP;
    END IF;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION @extschema@.partition_left(regclass, regclass, text) IS
    'a partition leaves watched table tbl (detached or dropped): withdraw its unsent letters, log it, and remove its tracking triggers; run by the event trigger';
REVOKE ALL ON FUNCTION @extschema@.partition_left(regclass, regclass, text) FROM PUBLIC;

-- (no SET search_path: the names in the DBA's command are resolved as the
-- command resolved them; the function sets a safe path for its own SQL)
CREATE FUNCTION @extschema@.partitions_changed() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'lt_partitions_changed'
    LANGUAGE C;
COMMENT ON FUNCTION @extschema@.partitions_changed() IS
    'event trigger: a partition created, attached, detached or dropped under a watched table gets or loses its tracking (see partition_joined and partition_left); never fails the command';
REVOKE ALL ON FUNCTION @extschema@.partitions_changed() FROM PUBLIC;
CREATE EVENT TRIGGER letters_triage_partitions_added ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION @extschema@.partitions_changed();
-- ALWAYS: event triggers are skipped in sessions with session_replication_role = replica,
-- and this one must not be.
ALTER EVENT TRIGGER letters_triage_partitions_added ENABLE ALWAYS;
CREATE EVENT TRIGGER letters_triage_partitions_dropped ON ddl_command_start
    WHEN TAG IN ('DROP TABLE')
    EXECUTE FUNCTION @extschema@.partitions_changed();
-- ALWAYS: event triggers are skipped in sessions with session_replication_role = replica,
-- and this one must not be.
ALTER EVENT TRIGGER letters_triage_partitions_dropped ENABLE ALWAYS;
