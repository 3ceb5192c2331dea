-- the DBA triages everything again after changing the rules
SELECT letters_triage.retriage('stress.letters');
