-- test/bench/common.sql — included by every benchmark script: what this build has.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
-- (by name in pg_proc: to_regproc() gives NULL for an overloaded name such as classify)
SELECT bool_or(proname = 'classify') AS have_classify,
       to_regclass('letters_triage.rule') IS NOT NULL AS have_rules,
       bool_or(proname = 'watch') AS have_watch,
       bool_or(proname = 'check_overdue') AND bool_or(proname = 'check_flow') AS have_checks,
       bool_or(proname = 'check_all') AS have_check_all
  FROM (SELECT p.proname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'letters_triage' UNION ALL SELECT NULL) f \gset
