-- test/bench/60_replay.sql — 6. the incident: 9,325 letters created over three
-- weeks, held, then released in one transaction; triage and alerting cost.
\ir common.sql
\if :have_watch
\echo 'bench 6: the incident replay (9,325 letters)'
SET timezone = 'Europe/London';
CREATE TABLE bench.app_incident (LIKE bench.app_template INCLUDING ALL);
SELECT letters_triage.watch('bench.app_incident', body => 'body', created => 'created', sent => 'sent',
                            recipient => 'practice', nhs_number => 'nhs_number', kind => 'kind') \g /dev/null
-- the three weeks' letters, inserted in one transaction (as if loaded after the fact)
SELECT bench.secs($q$
	INSERT INTO bench.app_incident (id, practice, nhs_number, kind, body, created)
	SELECT id, practice, nhs_number, kind, letter,
	       timestamptz '2024-09-23 07:00+01' + (id - 1) * interval '21 days' / 9325
	  FROM bench.letters WHERE id <= 9325 ORDER BY id
$q$, 1) AS t_insert \gset
SELECT bench.record('6 incident', 'INSERT of 9,325 letters in one transaction, watched', :t_insert * 1000, 'ms');
\if :have_check_all
SELECT bench.secs($q$SELECT count(*) FROM letters_triage.check_all('2024-10-14 08:00+01')$q$, 1) AS t_check1 \gset
SELECT count(*) AS nalerts FROM letters_triage.alert \gset
SELECT bench.record('6 incident', format('check_all() with the backlog held (%s alerts so far)', :nalerts),
                    :t_check1 * 1000, 'ms');
\endif
-- the release: every letter sent in one transaction
SELECT bench.secs($q$UPDATE bench.app_incident SET sent = timestamptz '2024-10-14 09:00+01' + id * interval '1 second'$q$, 1)
  AS t_release \gset
SELECT bench.record('6 incident', 'UPDATE sending all 9,325 in one transaction, watched', :t_release * 1000, 'ms');
\if :have_check_all
SELECT bench.secs($q$SELECT count(*) FROM letters_triage.check_all('2024-10-14 17:00+01')$q$, 1) AS t_check2 \gset
SELECT count(*) AS nalerts FROM letters_triage.alert \gset
SELECT bench.record('6 incident', format('check_all() after the release (%s alerts in all)', :nalerts),
                    :t_check2 * 1000, 'ms');
\endif
SELECT count(*) FILTER (WHERE status = 'sent_late') AS late,
       count(*) FILTER (WHERE status = 'sent_late' AND urgency >= 'urgent') AS late_urgent
  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('bench.app_incident') \gset
\echo 'bench 6: sent late:' :late ', urgent or immediate among them:' :late_urgent
\else
\echo 'bench 6: watch() is not in this build'
\endif
