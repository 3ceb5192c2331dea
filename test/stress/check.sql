-- the checks, as the background worker runs them
SELECT count(*) FROM letters_triage.check_all();
