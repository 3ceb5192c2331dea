-- After pg_restore on the new major: each query returns "name t" when all is well.
SELECT 'extension_restored', count(*) = 1 FROM pg_extension WHERE extname = 'letters_triage';
SELECT 'library_matches_script', letters_triage.version() = extversion FROM pg_extension WHERE extname = 'letters_triage';
SELECT 'table_watched', count(*) = 1 FROM letters_triage.watched WHERE id = letters_triage.table_id('trust.outbound');
SELECT 'tracking_triggers', count(*) = 4 FROM pg_trigger WHERE tgrelid = 'trust.outbound'::regclass AND tgname LIKE 'letters_triage_%';
SELECT 'letters_kept', (SELECT count(*) FROM trust.outbound) = letters FROM public.migrate_expected;
SELECT 'state_kept', (SELECT count(*) FROM letters_triage.letter_state) = states FROM public.migrate_expected;
SELECT 'one_state_per_letter', count(*) = 0 FROM trust.outbound o
 WHERE NOT EXISTS (SELECT 1 FROM letters_triage.letter_state s WHERE s.table_id = letters_triage.table_id('trust.outbound') AND s.key = o.id::text);
SELECT 'dba_rule', count(*) = 1 FROM letters_triage.rule WHERE pattern = 'sepsis pathway' AND dump;
SELECT 'shipped_rule_still_disabled', count(*) = 1 FROM letters_triage.rule WHERE NOT enabled;
SELECT 'rules_not_duplicated', (SELECT count(*) FROM letters_triage.rule) = rules FROM public.migrate_expected;
SELECT 'policy_row', count(*) = 1 FROM letters_triage.policy WHERE kind = 'community' AND note = 'migrate: local policy';
SELECT 'policies_not_duplicated', (SELECT count(*) FROM letters_triage.policy) = policies FROM public.migrate_expected;
SELECT 'calendar_row', count(*) = 1 FROM letters_triage.non_working_day WHERE day = '2024-10-10' AND name = 'migrate: trust closure day';
SELECT 'calendar_not_duplicated', (SELECT count(*) FROM letters_triage.non_working_day) = closed_days FROM public.migrate_expected;
SELECT 'working_hours', opens = '08:30' AND closes = '18:00' FROM (SELECT * FROM letters_triage.working_hours ORDER BY dump DESC LIMIT 1) w;  -- the row in force
SELECT 'alert_setting', letters_triage.alert_setting('escalate_after') = '2 hours';
SELECT 'alerts_kept', (SELECT count(*) FROM letters_triage.alert) = alerts FROM public.migrate_expected;
SELECT 'acknowledgement_kept', (SELECT count(*) FROM letters_triage.alert WHERE acknowledged_at IS NOT NULL) = acknowledged
  FROM public.migrate_expected;
SELECT 'alert_letters_kept', (SELECT count(*) FROM letters_triage.alert_letter) = alert_letters FROM public.migrate_expected;
-- tracking and the checks go on (in a transaction that is rolled back: check.sql changes nothing)
BEGIN;
INSERT INTO trust.outbound VALUES (5000, 'Sepsis pathway follow-up. Please review.', '2024-10-21 09:00', NULL, 'A81001', 'discharge');
SELECT 'new_letter_tracked', urgency = 'immediate' FROM letters_triage.letter_state
 WHERE table_id = letters_triage.table_id('trust.outbound') AND key = '5000';
SELECT 'checks_run', count(*) >= 0 FROM letters_triage.check_all('2024-10-21 12:00');
SELECT 'no_duplicate_open_alert', count(*) = 0 FROM (
    SELECT l.table_id, l.key FROM letters_triage.alert_letter l JOIN letters_triage.alert a ON a.id = l.alert_id
     WHERE a.kind = 'overdue' AND a.resolved_at IS NULL GROUP BY 1, 2 HAVING count(*) > 1) d;
ROLLBACK;
