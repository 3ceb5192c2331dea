-- Security: hostile objects in public and pg_temp while the extension is
-- installed and used, the catalog's privileges and search_path settings, what
-- a plain role can and cannot do, and SQL injection through watch().
-- A hostile object that gets called raises an error naming itself, so any
-- call shows up below (as an error or, inside the trigger, as a WARNING and a
-- row in tracking_log).
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; RESET client_min_messages;
SET TimeZone = 'Europe/London';
SET DateStyle = 'ISO, YMD';

CREATE ROLE regress_sec_app NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE regress_sec_report NOSUPERUSER;
CREATE ROLE regress_sec_plain NOSUPERUSER;

--
-- 1. Hostile objects: functions and operators with the names of built-ins
-- the extension uses, and tables named like the extension's, in public and
-- in pg_temp.
--
CREATE FUNCTION public.sec_trap(what text) RETURNS void LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'hostile % called', what; END $$;
CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.lower(text)'); RETURN $1; END $$;
CREATE FUNCTION public.upper(text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.upper(text)'); RETURN $1; END $$;
CREATE FUNCTION public.initcap(text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.initcap(text)'); RETURN $1; END $$;
CREATE FUNCTION public.string_to_array(text, text) RETURNS text[] LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.string_to_array'); RETURN NULL; END $$;
CREATE FUNCTION public.unnest(text[]) RETURNS SETOF text LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.unnest(text[])'); END $$;
CREATE FUNCTION public.pg_notify(text, text) RETURNS void LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.pg_notify'); END $$;
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.now()'); RETURN NULL; END $$;
CREATE FUNCTION public.statement_timestamp() RETURNS timestamptz LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.statement_timestamp()'); RETURN NULL; END $$;
CREATE FUNCTION public.isfinite(timestamptz) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.isfinite'); RETURN true; END $$;
CREATE FUNCTION public.pg_advisory_xact_lock(integer, integer) RETURNS void LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.pg_advisory_xact_lock'); END $$;
CREATE FUNCTION public.cardinality(text[]) RETURNS integer LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.cardinality'); RETURN 0; END $$;
CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.format(text, text)'); RETURN $1; END $$;
CREATE FUNCTION public.pg_extension_config_dump(regclass, text) RETURNS void LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('public.pg_extension_config_dump'); END $$;
CREATE FUNCTION public.sec_text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('operator public.=(text, text)'); RETURN true; END $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.sec_text_eq);
CREATE FUNCTION public.sec_text_concat(text, text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('operator public.||(text, text)'); RETURN $1; END $$;
CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = public.sec_text_concat);
CREATE FUNCTION public.sec_ts_lt(timestamptz, timestamptz) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('operator public.<(timestamptz, timestamptz)'); RETURN true; END $$;
CREATE OPERATOR public.< (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = public.sec_ts_lt);
CREATE FUNCTION public.sec_ts_le(timestamptz, timestamptz) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('operator public.<=(timestamptz, timestamptz)'); RETURN true; END $$;
CREATE OPERATOR public.<= (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = public.sec_ts_le);
CREATE FUNCTION public.sec_regclass_eq(regclass, regclass) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('operator public.=(regclass, regclass)'); RETURN true; END $$;
CREATE OPERATOR public.= (LEFTARG = regclass, RIGHTARG = regclass, FUNCTION = public.sec_regclass_eq);
-- tables named like the extension's
CREATE TABLE public.letter_state (tbl regclass, key text);
CREATE TABLE public.watched (tbl regclass);
CREATE TABLE public.policy (urgency text, kind text, amount numeric, unit text);
CREATE TABLE public.rule (id int, pattern text, action text, urgency text, needs_request boolean, enabled boolean);
CREATE TABLE public.alert (id bigint);
INSERT INTO public.policy VALUES (NULL, NULL, 8000, 'hours');
INSERT INTO public.rule VALUES (1, 'clinic', 'referral', 'immediate', false, true);
-- and in pg_temp, which is searched first for tables unless listed
CREATE TEMP TABLE letter_state (tbl regclass, key text);
CREATE TEMP TABLE watched (tbl regclass);
CREATE TEMP TABLE policy (urgency text, kind text, amount numeric, unit text);
CREATE TEMP TABLE working_hours (opens time, closes time);
CREATE TEMP TABLE non_working_day (day date);
CREATE TEMP TABLE rule (id int, pattern text, action text, urgency text, needs_request boolean, enabled boolean);
CREATE TEMP TABLE tracking_log (id bigint);
CREATE TEMP TABLE alert (id bigint);
CREATE TEMP TABLE alert_letter (alert_id bigint);
INSERT INTO pg_temp.policy VALUES (NULL, NULL, 8000, 'hours');
INSERT INTO pg_temp.working_hours VALUES ('00:00', '00:01');
INSERT INTO pg_temp.rule VALUES (1, 'clinic', 'referral', 'immediate', false, true);
CREATE FUNCTION pg_temp.lower(text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN PERFORM public.sec_trap('pg_temp.lower(text)'); RETURN $1; END $$;
GRANT ALL ON public.letter_state, public.watched, public.policy, public.rule, public.alert TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO PUBLIC;

--
-- 2. The install script under a hostile search_path.
--
SET search_path = public, pg_catalog;
CREATE EXTENSION letters_triage;
RESET search_path;
-- the shipped configuration is the extension's, not the hostile tables'
SELECT (SELECT count(*) FROM letters_triage.policy) AS policy_rows,
       (SELECT count(*) FROM letters_triage.policy WHERE amount = 8000) AS hostile_policy_rows,
       (SELECT opens FROM letters_triage.working_hours) AS opens,
       (SELECT count(*) FROM letters_triage.rule WHERE pattern = 'clinic' AND urgency = 'immediate') AS hostile_rules,
       (SELECT count(*) FROM public.letter_state) + (SELECT count(*) FROM pg_temp.letter_state) AS hostile_rows;
-- every object of the extension is in its schema and owned by the installing superuser
SELECT count(*) AS objects_elsewhere FROM pg_depend d JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'letters_triage')
   AND c.relnamespace <> 'letters_triage'::regnamespace;
SELECT count(*) AS functions_elsewhere FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'letters_triage')
   AND p.pronamespace <> 'letters_triage'::regnamespace;

--
-- 3. The catalog: search_path and SECURITY DEFINER, and what a plain role may do.
--
-- functions in SQL or PL/pgSQL without their own search_path (none)
SELECT p.oid::regprocedure AS without_search_path
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'letters_triage'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
   AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)
 ORDER BY p.oid::regprocedure::text;
-- SECURITY DEFINER functions: each sets search_path, none is executable by PUBLIC
SELECT p.proname, p.proconfig, has_function_privilege('regress_sec_plain', p.oid, 'EXECUTE') AS plain_may_run
  FROM pg_proc p
 WHERE p.pronamespace = 'letters_triage'::regnamespace AND p.prosecdef
 ORDER BY p.proname;
-- functions a plain role may not run (everything else is pure or reads only
-- what the role may read)
SELECT p.oid::regprocedure AS not_for_plain_roles
  FROM pg_proc p
 WHERE p.pronamespace = 'letters_triage'::regnamespace
   AND NOT has_function_privilege('regress_sec_plain', p.oid, 'EXECUTE')
 ORDER BY p.oid::regprocedure::text;
-- what a plain role may do with the extension's tables, views and sequences
SELECT c.relname, c.relkind,
       has_table_privilege('regress_sec_plain', c.oid, 'SELECT') AS sel,
       has_table_privilege('regress_sec_plain', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') AS write
  FROM pg_class c
 WHERE c.relnamespace = 'letters_triage'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'S', 'p')
 ORDER BY c.relname;
SELECT has_schema_privilege('regress_sec_plain', 'letters_triage', 'USAGE') AS plain_usage,
       has_schema_privilege('regress_sec_plain', 'letters_triage', 'CREATE') AS plain_create;

--
-- 4. A day's work under the hostile search_path, as the DBA and as the
-- application; then every SQL function once.
--
CREATE SCHEMA regress_sec_trust AUTHORIZATION regress_sec_app;
SET ROLE regress_sec_app;
CREATE TABLE regress_sec_trust.letters (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz,
                                        practice text, kind text);
INSERT INTO regress_sec_trust.letters VALUES
    (1, 'Clinic letter. Please start ramipril 2.5 mg.', '2024-10-07 09:00', NULL, 'A81001', 'outpatient'),
    (2, 'Discharge summary. Urgent: repeat potassium within 48 hours.', '2024-10-07 09:00', NULL, 'A81001', 'discharge');
RESET ROLE;
SET search_path = public, pg_catalog;
SELECT letters_triage.watch('regress_sec_trust.letters', 'body', 'created', 'sent', 'practice', NULL, 'kind');
SET ROLE regress_sec_app;
INSERT INTO regress_sec_trust.letters VALUES
    (3, 'Clinic letter: no change to medication.', '2024-10-07 10:00', NULL, 'A81002', 'outpatient'),
    (4, 'Notification of death.', '2024-10-07 10:00', NULL, 'A81002', 'death');
UPDATE regress_sec_trust.letters SET sent = '2024-10-07 12:00' WHERE id = 3;
UPDATE regress_sec_trust.letters SET id = 5 WHERE id = 1;
DELETE FROM regress_sec_trust.letters WHERE id = 4;
COPY regress_sec_trust.letters FROM stdin;
6	Clinic letter.	2024-10-07 11:00:00+01	\N	A81003	clinic
\.
RESET ROLE;
SELECT count(*) FROM letters_triage.check_all('2024-10-09 12:00');
SELECT count(*) > 0 AS acknowledged FROM letters_triage.acknowledge(1, 'seen');
-- The on-call role of docs/security.md (USAGE and EXECUTE on
-- acknowledge() only) gets back what confirms its acknowledgement, nothing
-- more: walking the ids shows no table, practice, summary or letter key.
CREATE ROLE regress_sec_oncall;
GRANT USAGE ON SCHEMA letters_triage TO regress_sec_oncall;
GRANT EXECUTE ON FUNCTION letters_triage.acknowledge(bigint, text) TO regress_sec_oncall;
SET ROLE regress_sec_oncall;
SELECT * FROM letters_triage.acknowledge(1, 'on call') \gdesc
SELECT array_agg(k ORDER BY k) AS what_comes_back
  FROM (SELECT DISTINCT jsonb_object_keys(to_jsonb(a)) AS k
          FROM (SELECT (letters_triage.acknowledge(i)).* FROM generate_series(1, 1) i) a) k;
SELECT id, kind, acknowledged_by FROM letters_triage.acknowledge(2);
SELECT * FROM letters_triage.alert;
SELECT * FROM letters_triage.alert_letter;
RESET ROLE;
DROP OWNED BY regress_sec_oncall;
DROP ROLE regress_sec_oncall;
SELECT letters_triage.retriage('regress_sec_trust.letters');
SELECT count(*) >= 0 AS views_read FROM (
    SELECT 1 FROM letters_triage.worklist UNION ALL SELECT 1 FROM letters_triage.overdue
    UNION ALL SELECT 1 FROM letters_triage.late_letters UNION ALL SELECT 1 FROM letters_triage.practice_digest
    UNION ALL SELECT 1 FROM letters_triage.flow) v;
SELECT (letters_triage.classify('Urgent: stop warfarin today.')).urgency,
       letters_triage.urgency('Clinic letter.'::text), letters_triage.actions('Please start ramipril.'),
       (SELECT count(*) FROM letters_triage.evidence('Please start ramipril.')) AS evidence,
       letters_triage.assertion('No chest pain.', 'chest pain') IS NOT NULL AS assertion,
       letters_triage.ruleset_version() > 0 AS ruleset;
SELECT letters_triage.deadline('2024-10-07 09:00', 'routine', 'discharge'),
       letters_triage.is_working_time('2024-10-07 09:00'),
       letters_triage.add_working_hours('2024-10-07 09:00', 3),
       letters_triage.working_hours_between('2024-10-07 09:00', '2024-10-08 09:00');
SELECT letters_triage.alert_setting('escalate_after'), letters_triage.backlog_at('regress_sec_trust.letters', '2024-10-08'),
       letters_triage.usual_backlog('regress_sec_trust.letters', '2024-10-08'), letters_triage.london('2024-10-07 09:00');
SELECT letters_triage.letter_to_jsonb(E'Kind: death\n\nbody'::letters_triage.letter),
       letters_triage.kind(E'Kind: death\n\nbody'), letters_triage.nhs_number('943 476 5919');
RESET search_path;
-- nothing hostile ran, nothing was logged, and the state is what the letters say
SELECT count(*) AS tracking_problems FROM letters_triage.tracking_log;
SELECT key, urgency, kind, recipient, status, due FROM letters_triage.letter_state ORDER BY key;
SELECT (SELECT count(*) FROM public.letter_state) + (SELECT count(*) FROM pg_temp.letter_state)
     + (SELECT count(*) FROM public.alert) + (SELECT count(*) FROM pg_temp.alert) AS hostile_rows;

--
-- 5. A plain role, even with USAGE on the schema: no reading of the state,
-- the alerts or the configuration, no changes to rules, policy or calendar,
-- none of the privileged functions, no tracking trigger of its own.
--
GRANT USAGE ON SCHEMA letters_triage TO regress_sec_app;
SET ROLE regress_sec_app;
\set VERBOSITY terse
SELECT count(*) FROM letters_triage.letter_state;
SELECT count(*) FROM letters_triage.alert;
SELECT count(*) FROM letters_triage.alert_letter;
SELECT count(*) FROM letters_triage.tracking_log;
SELECT count(*) FROM letters_triage.watched;
SELECT count(*) FROM letters_triage.policy;
SELECT count(*) FROM letters_triage.alert_config;
SELECT count(*) FROM letters_triage.worklist;
SELECT count(*) FROM letters_triage.overdue;
SELECT count(*) FROM letters_triage.late_letters;
SELECT count(*) FROM letters_triage.practice_digest;
SELECT count(*) FROM letters_triage.flow;
UPDATE letters_triage.rule SET enabled = false;
INSERT INTO letters_triage.rule (pattern, action, urgency) VALUES ('x', 'referral', 'routine');
DELETE FROM letters_triage.modifier;
DELETE FROM letters_triage.section;
INSERT INTO letters_triage.policy (amount, unit) VALUES (8760, 'hours');
INSERT INTO letters_triage.non_working_day VALUES ('2024-10-08', 'closed');
UPDATE letters_triage.working_hours SET closes = '23:59';
INSERT INTO letters_triage.alert_config VALUES ('escalate_after', '1000 hours');
UPDATE letters_triage.alert SET resolved_at = now();
INSERT INTO letters_triage.letter_state SELECT * FROM letters_triage.letter_state;
INSERT INTO letters_triage.watched (name, key_column, body, created, sent) VALUES ('regress_sec_trust.letters', 'id', 'body', 'created', 'sent');
SELECT letters_triage.watch('regress_sec_trust.letters', 'body', 'created', 'sent');
SELECT letters_triage.unwatch('regress_sec_trust.letters');
SELECT letters_triage.retriage();
SELECT letters_triage.retriage('regress_sec_trust.letters');
SELECT * FROM letters_triage.check_overdue();
SELECT * FROM letters_triage.check_flow();
SELECT * FROM letters_triage.check_sent_late();
SELECT * FROM letters_triage.check_review();
SELECT * FROM letters_triage.check_tracking();
SELECT * FROM letters_triage.check_all();
SELECT * FROM letters_triage.acknowledge(1);
SELECT * FROM letters_triage.raise_alert('overdue', 'urgent', NULL, NULL, 'x', 'x', now());
SELECT * FROM letters_triage.deliver_alert(1, 'raised');
SELECT * FROM letters_triage.resolve_alert(1, now());
SELECT * FROM letters_triage.escalate_alerts('overdue', now());
SELECT letters_triage.notify_alerts('raised', ARRAY[1]::bigint[], now());
SELECT * FROM letters_triage.silence('regress_sec_trust.letters', NULL, '1 day', 'hiding an incident');
SELECT * FROM letters_triage.unsilence(1);
SELECT * FROM letters_triage.alert_notice;
SELECT * FROM letters_triage.alert_silence;
SELECT letters_triage.log_alert(true, 'forged alert');
SELECT letters_triage.check_lock('check_overdue');
SELECT letters_triage.deadline('2024-10-07 09:00', 'routine');
-- its own table: the owner may drop the triggers (it owns the table) but
-- cannot attach the tracking trigger itself, to this table or another
CREATE TABLE regress_sec_trust.other (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TRIGGER t AFTER INSERT ON regress_sec_trust.other REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION letters_triage.track('id', 'body', 'created', 'sent', '', '', '');
CREATE TRIGGER t BEFORE INSERT ON regress_sec_trust.other
    FOR EACH ROW EXECUTE FUNCTION letters_triage.rules_changed();
-- what it may do: classify, read the rules and the calendar
SELECT letters_triage.urgency('Urgent: stop warfarin today.'::text) AS urgency,
       (SELECT count(*) > 0 FROM letters_triage.rule) AS reads_rules,
       letters_triage.is_working_time('2024-10-07 09:00') AS working_time;
\set VERBOSITY default
RESET ROLE;
-- nothing the plain role tried changed anything
SELECT count(*) AS disabled_rules FROM letters_triage.rule WHERE NOT enabled;
SELECT count(*) AS policies, (SELECT count(*) FROM letters_triage.non_working_day WHERE day = '2024-10-08') AS closures,
       (SELECT closes FROM letters_triage.working_hours), (SELECT count(*) FROM letters_triage.alert_config) AS overrides
  FROM letters_triage.policy;
SELECT count(*) AS watched FROM letters_triage.watched WHERE ended IS NULL;

--
-- 6. A reporting role: USAGE and SELECT on the views it reports from; it
-- still cannot change anything or see the application's letters.
--
GRANT USAGE ON SCHEMA letters_triage TO regress_sec_report;
GRANT SELECT ON letters_triage.worklist, letters_triage.overdue, letters_triage.late_letters,
                letters_triage.practice_digest, letters_triage.flow, letters_triage.alert TO regress_sec_report;
SET ROLE regress_sec_report;
\set VERBOSITY terse
SELECT attention, key, recipient, urgency FROM letters_triage.worklist ORDER BY key;
SELECT recipient, overdue_letters FROM letters_triage.practice_digest ORDER BY recipient;
SELECT count(*) > 0 AS alerts_read FROM letters_triage.alert;
SELECT count(*) FROM letters_triage.letter_state;
SELECT count(*) FROM regress_sec_trust.letters;
UPDATE letters_triage.alert SET acknowledged_at = now();
\set VERBOSITY default
RESET ROLE;

--
-- 7. The owner of a watched table cannot gain the extension owner's rights
-- through retriage(): on PostgreSQL 15 it can turn its (emptied) table into a
-- view calling its own function; retriage() must neither call it as the
-- extension's owner nor read anything but a table.
--
CREATE SCHEMA regress_sec_evil AUTHORIZATION regress_sec_app;
SET ROLE regress_sec_app;
CREATE TABLE regress_sec_evil.letters (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE FUNCTION regress_sec_evil.escalate() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) current_user) THEN
        ALTER ROLE regress_sec_app SUPERUSER;
    END IF;
    RETURN 'Urgent clinic letter.';
END $$;
RESET ROLE;
SELECT letters_triage.watch('regress_sec_evil.letters', 'body', 'created', 'sent');
SET ROLE regress_sec_app;
SET client_min_messages = error;
DO $$
BEGIN
    DROP TRIGGER letters_triage_insert ON regress_sec_evil.letters;
    DROP TRIGGER letters_triage_update ON regress_sec_evil.letters;
    DROP TRIGGER letters_triage_delete ON regress_sec_evil.letters;
    DROP TRIGGER letters_triage_truncate ON regress_sec_evil.letters;
    ALTER TABLE regress_sec_evil.letters DROP CONSTRAINT letters_pkey;
END $$;
VACUUM regress_sec_evil.letters;    -- clears relhastriggers
DO $$
BEGIN
    CREATE RULE "_RETURN" AS ON SELECT TO regress_sec_evil.letters DO INSTEAD
        SELECT 1::bigint AS id, regress_sec_evil.escalate() AS body,
               '2024-10-07'::timestamptz AS created, NULL::timestamptz AS sent;
EXCEPTION WHEN OTHERS THEN NULL;    -- PostgreSQL 16 and later refuse
END $$;
RESET ROLE;
SELECT letters_triage.retriage() >= 0 AS retriaged;
RESET client_min_messages;
SELECT rolsuper AS app_became_superuser FROM pg_roles WHERE rolname = 'regress_sec_app';
SELECT count(*) AS state_rows_from_evil FROM letters_triage.letter_state WHERE letters_triage.table_label(table_id) LIKE 'regress_sec_evil.%';
SELECT letters_triage.unwatch('regress_sec_evil.letters');

--
-- 8. SQL injection through watch(): hostile schema, table and column names
-- (quotes, semicolons, mixed case, spaces) are only ever used as names.
--
CREATE TABLE regress_sec_canary (x int);
CREATE SCHEMA "Trust ""A""; DROP TABLE regress_sec_canary; --";
CREATE TABLE "Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters'); DROP TABLE regress_sec_canary; --" (
    "Letter ID" text PRIMARY KEY,
    "Body"";DROP TABLE regress_sec_canary;--" text,
    "Created At" timestamptz,
    "sent'); DROP TABLE regress_sec_canary; --" timestamptz,
    "GP Practice" text
);
SELECT letters_triage.watch(
    '"Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters''); DROP TABLE regress_sec_canary; --"',
    'Body";DROP TABLE regress_sec_canary;--', 'Created At', 'sent''); DROP TABLE regress_sec_canary; --',
    'GP Practice');
INSERT INTO "Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters'); DROP TABLE regress_sec_canary; --"
VALUES ('it''s; DROP TABLE regress_sec_canary; --', 'Urgent: stop warfarin.', '2024-10-07 09:00', NULL, 'A81001'),
       ('B"2', 'Clinic letter.', '2024-10-07 09:00', '2024-10-07 10:00', 'A81002');
UPDATE "Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters'); DROP TABLE regress_sec_canary; --"
   SET "sent'); DROP TABLE regress_sec_canary; --" = '2024-10-07 11:00' WHERE "Letter ID" = 'B"2';
SELECT letters_triage.retriage(
    '"Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters''); DROP TABLE regress_sec_canary; --"');
SELECT letters_triage.table_label(table_id) AS tbl, key, urgency, recipient, status FROM letters_triage.letter_state
 WHERE letters_triage.table_label(table_id) LIKE '"Trust%' ORDER BY key;
SELECT w.key_column, w.body, w.created, w.sent, w.recipient FROM letters_triage.watched w WHERE w.name LIKE '"Trust%';
SELECT tgname, tgargs FROM pg_trigger
 WHERE tgrelid = '"Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters''); DROP TABLE regress_sec_canary; --"'::regclass
 ORDER BY tgname;
DELETE FROM "Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters'); DROP TABLE regress_sec_canary; --";
TRUNCATE "Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters'); DROP TABLE regress_sec_canary; --";
SELECT letters_triage.unwatch(
    '"Trust ""A""; DROP TABLE regress_sec_canary; --"."Letters''); DROP TABLE regress_sec_canary; --"', false);
SELECT count(*) AS canary_alive FROM regress_sec_canary;
SELECT count(*) AS tracking_problems FROM letters_triage.tracking_log WHERE detail NOT LIKE 'table truncated%';

-- clean up
SET client_min_messages = warning;
DROP SCHEMA "Trust ""A""; DROP TABLE regress_sec_canary; --" CASCADE;
DROP TABLE regress_sec_canary;
DROP SCHEMA regress_sec_trust, regress_sec_evil CASCADE;
DROP EXTENSION letters_triage;
DROP TABLE public.letter_state, public.watched, public.policy, public.rule, public.alert;
DROP OPERATOR public.= (text, text);
DROP OPERATOR public.|| (text, text);
DROP OPERATOR public.< (timestamptz, timestamptz);
DROP OPERATOR public.<= (timestamptz, timestamptz);
DROP OPERATOR public.= (regclass, regclass);
DROP FUNCTION public.lower(text), public.upper(text), public.initcap(text), public.string_to_array(text, text),
    public.unnest(text[]), public.pg_notify(text, text), public.now(), public.statement_timestamp(),
    public.isfinite(timestamptz), public.pg_advisory_xact_lock(integer, integer), public.cardinality(text[]),
    public.format(text, text), public.pg_extension_config_dump(regclass, text), public.sec_text_eq(text, text),
    public.sec_text_concat(text, text), public.sec_ts_lt(timestamptz, timestamptz),
    public.sec_ts_le(timestamptz, timestamptz), public.sec_regclass_eq(regclass, regclass), public.sec_trap(text);
RESET client_min_messages;
DROP OWNED BY regress_sec_app, regress_sec_report, regress_sec_plain;
DROP ROLE regress_sec_app, regress_sec_report, regress_sec_plain;
