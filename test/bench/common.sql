-- test/bench/common.sql — included by every benchmark script: what this build has.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
SELECT to_regproc('letters_triage.classify') IS NOT NULL AS have_classify,
       to_regclass('letters_triage.rule') IS NOT NULL AS have_rules,
       to_regproc('letters_triage.watch') IS NOT NULL AS have_watch,
       to_regproc('letters_triage.check_overdue') IS NOT NULL
         AND to_regproc('letters_triage.check_flow') IS NOT NULL AS have_checks,
       to_regproc('letters_triage.check_all') IS NOT NULL AS have_check_all \gset
