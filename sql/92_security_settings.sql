-- Code that the extension runs as another role leaves the caller's settings
-- exactly as they were.  The owner of a watched table plants code that runs
-- while watch() (the backfill) and retriage() read the table as its owner: a
-- row-security policy, a column default, an index expression and a SET in a
-- function, each changing settings non-locally (search_path, role,
-- session_authorization and others).  With a search_path of its choosing left
-- in the DBA's session, the DBA's next ordinary query would run the owner's
-- operator = as superuser.  Each case ends with the DBA's settings unchanged
-- and no role gaining anything.  The tracking trigger (which switches to the
-- extension's owner) and the SECURITY DEFINER checks are held to the same.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';
SELECT current_user AS dba \gset

CREATE ROLE regress_evil_owner LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB;
CREATE ROLE regress_evil_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB;
CREATE SCHEMA evil AUTHORIZATION regress_evil_owner;
CREATE SCHEMA hostile AUTHORIZATION regress_evil_owner;
GRANT USAGE ON SCHEMA evil, hostile TO PUBLIC;

SET ROLE regress_evil_owner;
-- The payload: operators = for text and name that make their caller's
-- privileges the owner's (they work only when run by a superuser).
CREATE FUNCTION hostile.texteq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'ALTER ROLE regress_evil_owner SUPERUSER';
    RETURN pg_catalog.texteq($1, $2);
EXCEPTION WHEN insufficient_privilege THEN
    RETURN pg_catalog.texteq($1, $2);
END $$;
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.texteq);
CREATE FUNCTION hostile.nameeq(name, name) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'ALTER ROLE regress_evil_owner SUPERUSER';
    RETURN pg_catalog.nameeq($1, $2);
EXCEPTION WHEN insufficient_privilege THEN
    RETURN pg_catalog.nameeq($1, $2);
END $$;
CREATE OPERATOR hostile.= (LEFTARG = name, RIGHTARG = name, FUNCTION = hostile.nameeq);

-- Ways to change settings non-locally (each says when it runs).
CREATE FUNCTION evil.by_set_config() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'by_set_config runs as %', current_user;
    PERFORM pg_catalog.set_config('search_path', 'hostile, pg_catalog', false),
            pg_catalog.set_config('application_name', 'evil', false),
            pg_catalog.set_config('DateStyle', 'SQL, DMY', false),
            pg_catalog.set_config('evil.mark', 'planted', false);
    RETURN true;
END $$;
CREATE FUNCTION evil.by_set_command() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'by_set_command runs as %', current_user;
    SET search_path = hostile, pg_catalog;
    SET extra_float_digits = -10;
    SET work_mem = '77kB';
    SET evil.mark = 'planted';
    RETURN true;
END $$;
CREATE FUNCTION evil.calls_set_command() RETURNS boolean LANGUAGE sql AS 'SELECT evil.by_set_command()';
CREATE FUNCTION evil.by_role() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        PERFORM pg_catalog.set_config('role', 'regress_evil_owner', false);
        RAISE NOTICE 'role set';
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'role refused: %', SQLERRM;
    END;
    BEGIN
        PERFORM pg_catalog.set_config('session_authorization', 'regress_evil_owner', false);
        RAISE NOTICE 'session_authorization set';
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'session_authorization refused: %', SQLERRM;
    END;
    PERFORM pg_catalog.set_config('search_path', 'hostile, pg_catalog', false);
    RETURN true;
END $$;
-- session state that is not a setting: a session-level advisory lock (and
-- one for the transaction) and random()'s seed
CREATE FUNCTION evil.by_lock() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_lock(4242);
    PERFORM pg_catalog.pg_advisory_xact_lock(4343);
    PERFORM pg_catalog.setseed(0.5);
    RETURN true;
END $$;
-- a column default that changes settings, filled in by a policy's INSERT
CREATE FUNCTION evil.default_value() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'default_value runs as %', current_user;
    RETURN pg_catalog.set_config('search_path', 'hostile, pg_catalog', false);
END $$;
CREATE TABLE evil.journal (id serial, note text DEFAULT evil.default_value());
CREATE FUNCTION evil.by_default() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO evil.journal DEFAULT VALUES;
    RETURN true;
END $$;
-- an "immutable" function folded into a constant when the planner loads the
-- index expression that calls it
CREATE FUNCTION evil.folded() RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RAISE NOTICE 'folded runs as %', current_user;
    PERFORM pg_catalog.set_config('search_path', 'hostile, pg_catalog', false);
    PERFORM pg_catalog.set_config('evil.mark', 'planted', false);
    RETURN 0;
END $$;

-- One watched table per way, each with one letter.
CREATE FUNCTION evil.make(t text, policy text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE pg_catalog.format('CREATE TABLE evil.%I (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz)', t);
    EXECUTE pg_catalog.format('INSERT INTO evil.%I VALUES (1, %L, %L, NULL)', t, 'Clinic letter.', '2024-10-07 09:00');
    IF policy IS NOT NULL THEN
        EXECUTE pg_catalog.format('ALTER TABLE evil.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE evil.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('CREATE POLICY p ON evil.%I USING (%s)', t, policy);
    END IF;
END $$;
SELECT evil.make('by_set_config', 'evil.by_set_config()');
SELECT evil.make('by_set_command', 'evil.calls_set_command()');
SELECT evil.make('by_role', 'evil.by_role()');
SELECT evil.make('by_default', 'evil.by_default()');
SELECT evil.make('by_index', NULL);
SELECT evil.make('by_lock', 'evil.by_lock()');
SELECT evil.make('plain', NULL);
CREATE INDEX ON evil.by_index ((id + evil.folded()));
GRANT ALL ON ALL TABLES IN SCHEMA evil TO regress_evil_app;
RESET ROLE;

-- What differs from the DBA's settings as they were at the start of a new
-- session (no operator or unqualified name in these queries, so that they
-- can be trusted whatever search_path they find).  Each case starts in a new
-- session, so that a case that fails does not hide the next one.
\set changed_settings 'SELECT s.name, s.setting FROM pg_catalog.pg_settings s EXCEPT SELECT b.name, b.setting FROM pg_temp.settings_before b ORDER BY 1'
\set planted 'SELECT pg_catalog.current_setting(\'evil.mark\', true) AS planted, pg_catalog.current_user() AS usr, pg_catalog.session_user() AS session_usr'
-- the DBA's next ordinary query, which a hostile search_path turns into the payload
\set ordinary 'SELECT count(*) AS ordinary FROM pg_catalog.pg_class WHERE relname = \'pg_class\' AND relname::text = \'pg_class\''
\set superusers 'SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls FROM pg_catalog.pg_roles r WHERE pg_catalog.starts_with(r.rolname::pg_catalog.text, \'regress_evil\') ORDER BY 1'
-- a new session for the next case: PL/pgSQL loaded (its settings appear
-- then), the settings recorded, and a failed case's damage undone
\set fresh 'DO $$ BEGIN END $$; ALTER ROLE regress_evil_owner NOSUPERUSER; CREATE TEMP TABLE settings_before AS SELECT s.name, s.setting FROM pg_catalog.pg_settings s;'

--
-- 1. A policy function calling set_config(..., false), through watch()'s
-- backfill, retriage(tbl) and retriage() of every table.
--
\c
:fresh
SELECT letters_triage.watch('evil.by_set_config', 'body', 'created', 'sent') AS backfilled;
:changed_settings;
:planted;
:ordinary;
:superusers;
\c
:fresh
SELECT letters_triage.retriage('evil.by_set_config') AS retriaged;
:changed_settings;
:planted;
:ordinary;
:superusers;
\c
:fresh
SELECT letters_triage.retriage() AS retriaged_all;
:changed_settings;
:ordinary;
:superusers;

--
-- 2. SET commands in a function called by the policy's function.
--
\c
:fresh
SELECT letters_triage.watch('evil.by_set_command', 'body', 'created', 'sent') AS backfilled;
:changed_settings;
:planted;
:ordinary;
:superusers;
\c
:fresh
SELECT letters_triage.retriage('evil.by_set_command') AS retriaged;
:changed_settings;
:ordinary;
:superusers;

--
-- 3. role and session_authorization: refused inside the read (a security-
-- restricted operation), and the search_path set after them does not stay.
--
\c
:fresh
SELECT letters_triage.watch('evil.by_role', 'body', 'created', 'sent') AS backfilled;
:changed_settings;
:planted;
:ordinary;
:superusers;
\c
:fresh
SELECT letters_triage.retriage('evil.by_role') AS retriaged;
:changed_settings;
:planted;
:ordinary;
:superusers;

--
-- 4. A column default evaluated during the read (the policy inserts a row).
--
\c
:fresh
SELECT letters_triage.watch('evil.by_default', 'body', 'created', 'sent') AS backfilled;
:changed_settings;
:ordinary;
:superusers;
\c
:fresh
SELECT letters_triage.retriage('evil.by_default') AS retriaged;
:changed_settings;
:ordinary;
SELECT count(*) AS journal_rows FROM evil.journal;
:superusers;

--
-- 5. An index expression evaluated while the read is planned: the planner
-- folds the "immutable" function when it first loads the index in a
-- session (each case here starts in a new one).
--
SELECT letters_triage.watch('evil.by_index', 'body', 'created', 'sent', backfill => false) AS watched;
\c
:fresh
SELECT letters_triage.retriage('evil.by_index') AS retriaged;
:changed_settings;
:planted;
:ordinary;
:superusers;
\c
:fresh
SELECT letters_triage.watch('evil.by_index', 'body', 'created', 'sent') AS backfilled;
:changed_settings;
:planted;
:ordinary;
:superusers;

--
-- 5b. A policy function taking advisory locks: none outlives watch() or
-- retriage() in the DBA's session when the DBA held none before.  When the
-- DBA held one, the owner's session lock is not told from the DBA's and
-- stays (documented in docs/security.md), as does random()'s seed.
--
\set advisory 'SELECT l.objid, l.mode FROM pg_catalog.pg_locks l WHERE l.locktype = \'advisory\' AND l.pid = pg_catalog.pg_backend_pid() ORDER BY 1'
\c
:fresh
SELECT letters_triage.watch('evil.by_lock', 'body', 'created', 'sent') AS backfilled;
:advisory;
:changed_settings;
\c
:fresh
SELECT letters_triage.retriage('evil.by_lock') AS retriaged;
:advisory;
\c
:fresh
SELECT pg_catalog.pg_advisory_lock(7) IS NOT NULL AS dba_lock;
SELECT letters_triage.retriage('evil.by_lock') AS retriaged;
:advisory;

--
-- 6. The tracking trigger, which switches to the extension's owner: the
-- application's settings stay as they were, also when tracking ran SQL
-- (a letter without creation time is recorded for review and logged).
--
SELECT letters_triage.watch('evil.plain', 'body', 'created', 'sent') AS backfilled;
\c - regress_evil_app
SET search_path = evil, public;
SET application_name = 'app';
DO $$ BEGIN END $$;
CREATE TEMP TABLE settings_before AS SELECT s.name, s.setting FROM pg_catalog.pg_settings s;
INSERT INTO evil.plain VALUES (2, 'Clinic letter.', NULL, NULL);
INSERT INTO evil.plain VALUES (3, 'Clinic letter.', '2024-10-07 09:00', NULL);
UPDATE evil.plain SET sent = '2024-10-08 09:00' WHERE id = 2;
UPDATE evil.plain SET id = 4 WHERE id = 3;
DELETE FROM evil.plain WHERE id = 4;
TRUNCATE evil.plain;
:changed_settings;
:planted;

--
-- 7. The SECURITY DEFINER checks.
--
\c - :dba
SET client_min_messages = error;
SET TimeZone = 'Europe/London';
:fresh
SELECT count(*) >= 0 AS checked FROM letters_triage.check_all('2024-10-09 12:00');
:changed_settings;
RESET client_min_messages;

-- Nobody gained anything; the letters were tracked all the same.
:superusers;
SELECT m.roleid::regrole, m.member::regrole FROM pg_catalog.pg_auth_members m
 WHERE m.member::regrole::text LIKE 'regress_evil%';
SELECT letters_triage.table_label(table_id) AS tbl, key, status FROM letters_triage.letter_state ORDER BY tbl, key;
SELECT letters_triage.table_label(table_id) AS tbl, event, letters FROM letters_triage.tracking_log ORDER BY id;

SET client_min_messages = warning;
SELECT letters_triage.unwatch(w.name::regclass, false) FROM letters_triage.watched w WHERE w.ended IS NULL;
DROP SCHEMA evil, hostile CASCADE;
DROP EXTENSION letters_triage;
RESET client_min_messages;
DROP OWNED BY regress_evil_owner, regress_evil_app;
DROP ROLE regress_evil_owner, regress_evil_app;
