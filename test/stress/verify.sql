-- After the run (and a last check_all): each line is "name value"; the
-- invariants read "name t".
SET client_min_messages = error;
SELECT count(*) FROM letters_triage.check_all();
\pset tuples_only on
\pset format unaligned
\pset fieldsep ' '
SELECT 'letters', count(*) FROM stress.letters;
SELECT 'state_rows', count(*) FROM letters_triage.letter_state;
SELECT 'by_status', string_agg(status || '=' || n, ',' ORDER BY status)
  FROM (SELECT status, count(*) n FROM letters_triage.letter_state GROUP BY 1) s;
SELECT 'alerts', count(*) FROM letters_triage.alert;
SELECT 'open_alerts', count(*) FROM letters_triage.alert WHERE resolved_at IS NULL;
SELECT 'tracking_log_entries', count(*) FROM letters_triage.tracking_log;
-- invariants
SELECT 'every_letter_one_state_row', count(*) = 0 FROM stress.letters l
 WHERE (SELECT count(*) FROM letters_triage.letter_state s
         WHERE s.table_id = letters_triage.table_id('stress.letters') AND s.key = l.id::text AND s.status <> 'withdrawn') <> 1;
SELECT 'no_unsent_state_without_letter', count(*) = 0 FROM letters_triage.letter_state s
 WHERE s.status IN ('waiting', 'overdue')
   AND NOT EXISTS (SELECT 1 FROM stress.letters l WHERE l.id::text = s.key);
SELECT 'sent_matches_table', count(*) = 0 FROM stress.letters l JOIN letters_triage.letter_state s
    ON s.table_id = letters_triage.table_id('stress.letters') AND s.key = l.id::text
 WHERE s.sent IS DISTINCT FROM l.sent;
-- (keys.sql ran: some letters were moved to new keys)
SELECT 'keys_were_changed', count(*) > 0 FROM stress.letters WHERE id < 0;
SELECT 'no_letter_recorded_as_lost', count(*) = 0 FROM letters_triage.tracking_log WHERE event = 'error';
-- (its own overdue alert, or the incident of its table: a stall, a tracking error)
SELECT 'every_overdue_letter_has_its_alert', count(*) = 0 FROM letters_triage.letter_state s
 WHERE s.status = 'overdue' AND s.due < now() AND NOT EXISTS (
       SELECT 1 FROM letters_triage.letter_alert x
        WHERE x.kind IN ('overdue', 'stalled_flow', 'tracking_error') AND x.open
          AND x.table_id = s.table_id AND x.key = s.key);
SELECT 'no_waiting_letter_past_due', count(*) = 0 FROM letters_triage.letter_state s
 WHERE s.status = 'waiting' AND s.sent IS NULL AND s.due < now() - interval '1 minute';
-- a letter's deadline is judged when it is sent (or found overdue) and does not
-- move afterwards: the status always agrees with the deadline beside it
SELECT 'sent_late_means_sent_after_due', count(*) = 0 FROM letters_triage.letter_state s
 WHERE s.status = 'sent_late' AND s.sent <= s.due;
SELECT 'sent_means_sent_by_due', count(*) = 0 FROM letters_triage.letter_state s
 WHERE s.status = 'sent' AND s.sent > s.due;
SELECT 'every_late_letter_in_a_late_alert', count(*) = 0 FROM letters_triage.letter_state s
 WHERE s.status IN ('sent', 'sent_late') AND s.sent > s.due AND NOT EXISTS (
       SELECT 1 FROM letters_triage.alert_letter l JOIN letters_triage.alert a ON a.id = l.alert_id
        WHERE a.kind = 'sent_late' AND l.table_id = s.table_id AND l.key = s.key);
SELECT 'no_letter_in_two_open_alerts_of_a_kind', count(*) = 0 FROM (
    SELECT x.table_id, x.key, x.kind FROM letters_triage.letter_alert x
     WHERE x.open GROUP BY 1, 2, 3 HAVING count(*) > 1) d;
SELECT 'no_overdue_letter_in_two_open_alerts', count(*) = 0 FROM (
    SELECT x.table_id, x.key FROM letters_triage.letter_alert x
     WHERE x.open AND x.kind IN ('overdue', 'stalled_flow', 'tracking_error')
     GROUP BY 1, 2 HAVING count(*) > 1) d;
SELECT 'no_duplicate_open_alert', count(*) = 0 FROM (
    SELECT kind, scope, table_id, subject FROM letters_triage.alert WHERE resolved_at IS NULL
     GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d;
-- details of any letter in two open alerts of a kind (empty when all is well)
\pset tuples_only off
\pset format aligned
SELECT letters_triage.table_label(l.table_id) AS tbl, l.key, a.id, a.kind, a.scope, a.subject, a.raised_at, l.urgency AS urgency_when_added, s.urgency AS urgency_now,
       s.status, s.triaged_at
  FROM letters_triage.alert_letter l JOIN letters_triage.alert a ON a.id = l.alert_id
  JOIN letters_triage.letter_state s ON s.table_id = l.table_id AND s.key = l.key
 WHERE a.resolved_at IS NULL AND l.left_at IS NULL
   AND (l.table_id, l.key, a.kind) IN (
       SELECT x.table_id, x.key, x.kind FROM letters_triage.letter_alert x
        WHERE x.open GROUP BY 1, 2, 3 HAVING count(*) > 1)
 ORDER BY l.key, a.id
 LIMIT 20;
-- details of any unsent letter whose row is gone, and of the letters the
-- commit-time withdrawal left to another writer (empty when all is well)
SELECT s.key, s.status, s.created, s.due, s.triaged_at, s.reason
  FROM letters_triage.letter_state s
 WHERE s.status IN ('waiting', 'overdue')
   AND NOT EXISTS (SELECT 1 FROM stress.letters l WHERE l.id::text = s.key)
 ORDER BY s.key LIMIT 20;
SELECT logged_at, event, letters, detail FROM letters_triage.tracking_log WHERE event = 'problem' ORDER BY 1 LIMIT 20;
