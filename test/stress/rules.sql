-- the DBA changes the rules and the policy (every session recompiles its rules)
\set u random(0, 3)
UPDATE letters_triage.rule SET urgency = (ARRAY['routine', 'soon', 'urgent', 'immediate'])[:u + 1]::letters_triage.urgency
 WHERE note = 'stress';
UPDATE letters_triage.policy SET amount = 24 + :u WHERE kind = 'discharge';
