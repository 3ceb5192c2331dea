
-- ---------------------------------------------------------------------------
-- Keeping the DBA's edits of shipped configuration rows across pg_dump.
--
-- The rows shipped with the extension (dump = false) are made by CREATE
-- EXTENSION and not dumped; rows the DBA adds are dumped.  An edited shipped
-- row (a rule disabled, working hours changed, a policy made stricter)
-- becomes the DBA's: its dump flag is set, so pg_dump keeps it, and when the
-- restore loads it, it replaces the shipped row of the same key that CREATE
-- EXTENSION has just made.  (Deleting a shipped row cannot be kept: disable
-- it instead where the table has an enabled column.)
-- ---------------------------------------------------------------------------
CREATE FUNCTION @extschema@.keep_edits() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NOT OLD.dump AND NOT NEW.dump AND NEW IS DISTINCT FROM OLD THEN
            NEW.dump := true;
        END IF;
    ELSIF TG_OP = 'INSERT' AND NEW.dump THEN
        EXECUTE format('DELETE FROM %I.%I t WHERE t.%I = $1.%I AND NOT t.dump',
                       TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[0])
          USING NEW;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.keep_edits() IS
    'trigger on the configuration tables with shipped rows: an edited shipped row is marked for pg_dump, and a dumped row replaces the shipped row of the same key when restored (argument: the key column)';
REVOKE ALL ON FUNCTION @extschema@.keep_edits() FROM PUBLIC;

CREATE TRIGGER keep_edits BEFORE INSERT OR UPDATE ON @extschema@.rule
    FOR EACH ROW EXECUTE FUNCTION @extschema@.keep_edits('id');
CREATE TRIGGER keep_edits BEFORE INSERT OR UPDATE ON @extschema@.modifier
    FOR EACH ROW EXECUTE FUNCTION @extschema@.keep_edits('id');
CREATE TRIGGER keep_edits BEFORE INSERT OR UPDATE ON @extschema@.section
    FOR EACH ROW EXECUTE FUNCTION @extschema@.keep_edits('id');
CREATE TRIGGER keep_edits BEFORE INSERT OR UPDATE ON @extschema@.policy
    FOR EACH ROW EXECUTE FUNCTION @extschema@.keep_edits('id');
-- working_hours is keyed by its dump flag: an edited shipped row becomes the
-- DBA's row (dump = true), which takes the shipped row's place after a restore.
CREATE TRIGGER keep_edits BEFORE INSERT OR UPDATE ON @extschema@.working_hours
    FOR EACH ROW EXECUTE FUNCTION @extschema@.keep_edits('dump');
CREATE TRIGGER keep_edits BEFORE INSERT OR UPDATE ON @extschema@.non_working_day
    FOR EACH ROW EXECUTE FUNCTION @extschema@.keep_edits('day');
