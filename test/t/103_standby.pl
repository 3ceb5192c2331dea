# Reports on a hot standby.  The report views (overdue, worklist,
# practice_digest) are true when they are read: a letter that goes past its
# deadline on the primary while no check runs is shown overdue on the standby
# at once.  The checks, acknowledge() and silences write: on the standby they
# fail at once with SQLSTATE 25006 and a message saying to run them on the
# primary.  After a check on the primary the standby shows the same as the
# primary, with the alert that lists the letter.  A reporting role needs only
# USAGE on the schema and SELECT on the views it reads.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
# (no worker: checks run only when this test runs them)
$primary->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$primary->start;

$primary->safe_psql('postgres', q{
CREATE EXTENSION letters_triage;
CREATE ROLE report LOGIN;
GRANT USAGE ON SCHEMA letters_triage TO report;
GRANT SELECT ON letters_triage.overdue, letters_triage.worklist, letters_triage.practice_digest TO report;
CREATE TABLE outbox (id bigint PRIMARY KEY, practice text NOT NULL, body text NOT NULL,
                     written timestamptz NOT NULL, posted timestamptz);
SELECT letters_triage.watch('outbox', body => 'body', created => 'written', sent => 'posted',
                            recipient => 'practice');
-- a letter sent a minute ago: the flow is not stalled
INSERT INTO outbox VALUES (1, 'C81001', 'Clinic letter. No change.', now() - interval '1 hour', now() - interval '1 minute');
});

$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;
is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');

# A death notification written on the primary, with a deadline a second
# ahead; no check runs.
$primary->safe_psql('postgres', q{
INSERT INTO outbox VALUES (2, 'C81001', 'Verification of death. The patient died at home this morning.',
                           now() - interval '2 days', NULL);
UPDATE letters_triage.letter_state SET due = clock_timestamp() + interval '1 second'
 WHERE table_id = letters_triage.table_id('outbox') AND key = '2';
});
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres',
		"SELECT status, urgency FROM letters_triage.letter_state WHERE key = '2'"),
	'waiting|immediate', 'the standby has the letter, waiting, immediate');
$standby->poll_query_until('postgres',
	"SELECT due < now() FROM letters_triage.letter_state WHERE key = '2'")
  or die 'the deadline did not pass';

# On the standby, as the reporting role: the letter is overdue in every view
# although no check has marked it.
my @report = ('-U', 'report');
is($standby->safe_psql('postgres', 'SELECT key, urgency, alert_id IS NULL FROM letters_triage.overdue',
		extra_params => \@report),
	'2|immediate|t', 'overdue shows the letter past its deadline before any check, without an alert yet');
is($standby->safe_psql('postgres', 'SELECT attention, key FROM letters_triage.worklist', extra_params => \@report),
	'overdue, not sent|2', 'so does the worklist');
is($standby->safe_psql('postgres',
		'SELECT recipient, overdue_letters, urgent_overdue_letters FROM letters_triage.practice_digest',
		extra_params => \@report),
	'C81001|1|1', 'and the practice digest');
is($primary->safe_psql('postgres', 'SELECT key FROM letters_triage.overdue'), '2',
	'the primary\'s views say the same before a check');

# The checks and acknowledge() on the standby: 25006 at once, saying where to
# run them.
for my $call ('check_all()', 'check_overdue()', 'check_flow()', 'check_sent_late()', 'check_review()',
	'check_tracking()', 'acknowledge(1)', 'unsilence(1)',
	"silence(NULL, 'C81001', '1 hour', 'maintenance')")
{
	my ($name) = $call =~ /^(\w+)/;
	my ($rc, $out, $err) = $standby->psql('postgres',
		"\\set VERBOSITY verbose\nSELECT * FROM letters_triage.$call");
	like($err, qr/ERROR:  25006: \Q$name\E\(\) cannot run on a hot standby/, "$name() on the standby: 25006");
	like($err, qr/HINT:  Run the checks and acknowledge\(\) on the primary/, "... and the hint says where to run it");
	unlike($err, qr/cannot execute \w+ in a read-only transaction/, '... not an error from inside a helper');
}

# A check on the primary marks the letter and raises its alert; the standby
# then shows the same, with the alert.
$primary->safe_psql('postgres', 'SET client_min_messages = error; SELECT count(*) FROM letters_triage.check_all()');
$primary->wait_for_catchup($standby);
my $q = 'SELECT key, urgency, alert_id IS NOT NULL FROM letters_triage.overdue';
is($primary->safe_psql('postgres', $q), '2|immediate|t', 'the primary\'s check raised the letter\'s alert');
is($standby->safe_psql('postgres', $q), $primary->safe_psql('postgres', $q),
	'the standby shows the same after the check');
is($standby->safe_psql('postgres', "SELECT status FROM letters_triage.letter_state WHERE key = '2'"),
	'overdue', 'marked overdue on the standby too');
# (late_by is measured from now(): left out)
for my $vq ('SELECT attention, tbl, key, recipient, urgency, actions, reason, due, sent FROM letters_triage.worklist',
	'SELECT * FROM letters_triage.practice_digest')
{
	my ($v) = $vq =~ /letters_triage\.(\w+)/;
	is($standby->safe_psql('postgres', $vq), $primary->safe_psql('postgres', $vq),
		"$v on the standby equals the primary's");
}

$standby->stop;
$primary->stop;
done_testing();
