-- ---------------------------------------------------------------------------
-- Uninstalling keeps the letters: DROP EXTENSION letters_triage CASCADE (or
-- DROP SCHEMA letters_triage CASCADE, or DROP OWNED BY its owner CASCADE) is refused
-- while application columns of type letters_triage.letter exist, unless
-- letters_triage.allow_drop_letter_columns is on.  At ddl_command_start:
-- before anything is dropped (at sql_drop this trigger would be gone).
-- ---------------------------------------------------------------------------
CREATE FUNCTION @extschema@.guard_drop() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'lt_guard_drop'
    LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.guard_drop() IS
    'event trigger: refuses to drop the extension while columns of type letters_triage.letter exist (they would be dropped with their letters), unless letters_triage.allow_drop_letter_columns is on';
REVOKE ALL ON FUNCTION @extschema@.guard_drop() FROM PUBLIC;
CREATE EVENT TRIGGER letters_triage_guard_drop ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED')
    EXECUTE FUNCTION @extschema@.guard_drop();
-- ALWAYS: event triggers are skipped in sessions with session_replication_role = replica,
-- and this one must not be.
ALTER EVENT TRIGGER letters_triage_guard_drop ENABLE ALWAYS;
