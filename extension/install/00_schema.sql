-- letters_triage install script.
--
-- Assembled at build time from extension/install/*.sql, one file per concern.
-- Rules for every file: refer to the extension's own objects through
-- @extschema@ (never quoted), to built-ins through pg_catalog, set
-- search_path on every function that runs SQL, no CREATE OR REPLACE and no
-- IF NOT EXISTS, grant nothing to PUBLIC that it does not need.

\echo Use "CREATE EXTENSION letters_triage" to load this file. \quit

-- The schema is created by CREATE EXTENSION (schema = letters_triage in the
-- control file).  Nobody but its owner may create objects in it.
REVOKE CREATE ON SCHEMA @extschema@ FROM PUBLIC;

CREATE FUNCTION @extschema@.version() RETURNS text
    AS 'MODULE_PATHNAME', 'lt_version'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.version() IS
    'version of the letters_triage C library loaded in this backend';
