-- The demo scenario, run by test/demo against a throwaway server.
\pset footer off
CREATE EXTENSION letters_triage;
\echo
\echo 'letters_triage is installed:'
SELECT letters_triage.version() AS version;
