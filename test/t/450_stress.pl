# A short version of test/stress/run (which runs for minutes): pgbench with 8
# clients for 15 seconds inserting, sending, deleting and amending letters,
# changing rules and the policy, running the checks and retriage(); then
# every letter has exactly one state row, every overdue or late letter its
# alert, no alert is duplicated, and the server log has no deadlock.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $dir = ($ENV{LT_SRC} // '.') . '/test/stress';
my $secs = $ENV{LT_STRESS_SECONDS} // 15;

my $node = PostgreSQL::Test::Cluster->new('stress');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'letters_triage'
max_connections = 30
log_statement = none
});
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE stress');
my ($out, $err);
IPC::Run::run([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('stress'), '-f', "$dir/setup.sql" ],
	'>', \$out, '2>', \$err) or die "setup failed: $err";

my @scripts = ('insert.sql@40', 'bulk.sql@4', 'send.sql@25', 'delete.sql@12', 'keys.sql@6', 'rules.sql@4', 'check.sql@12',
	'retriage.sql@1');
IPC::Run::run([ 'pgbench', '-n', '-c', '8', '-j', '2', '-T', $secs, (map { ('-f', "$dir/$_") } @scripts),
	$node->connstr('stress') ], '>', \$out, '2>', \$err);
my ($total) = $out =~ /number of transactions actually processed: (\d+)/;
my ($failed) = $out =~ /number of failed transactions: (\d+)/;
ok(defined $total && $total > 0, "pgbench ran " . ($total // 0) . " transactions with 8 clients in $secs s");
is($failed // 0, 0, 'no transaction failed');
unlike($err, qr/aborted|error/i, 'no client aborted') or do
{
	# pgbench names the client and command; the server log says why
	diag($err);
	diag(join('', grep { /ERROR|FATAL|PANIC|DETAIL|CONTEXT/ } split /^/, slurp_file($node->logfile)));
};

IPC::Run::run([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('stress'), '-f', "$dir/verify.sql" ],
	'>', \$out, '2>', \$err) or die "verify failed: $err";
my @checks = grep { / [tf]$/ } split /\n/, $out;
cmp_ok(scalar(@checks), '>=', 9, 'the invariants were checked');
for my $c (@checks)
{
	my ($name, $v) = split / /, $c;
	is($v, 't', $name);
}
note(join("\n", grep { !/ [tf]$/ && /\w/ } split /\n/, $out));

# Found by the long run, checked here deterministically: an urgent letter in
# its own overdue alert whose urgency drops (the application amends its text)
# is not also listed in its practice's group alert.
$node->safe_psql('postgres', q{
CREATE EXTENSION letters_triage;
CREATE TABLE drop_urgency (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
SELECT letters_triage.watch('drop_urgency', 'body', 'created', 'sent', 'practice');
INSERT INTO drop_urgency VALUES
    (1, 'x', '2024-10-01 09:00+01', NULL, 'A81001'),
    (2, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', '2024-10-01 09:00+01', NULL, 'A81001');
});
$node->safe_psql('postgres', "SELECT count(*) FROM letters_triage.check_overdue('2024-10-20 12:00+01')");
is($node->safe_psql('postgres', "SELECT string_agg(urgency::text, ',' ORDER BY key) FROM letters_triage.letter_state"),
	'urgent,routine', 'an unreadable letter is urgent, a clinic letter routine');
$node->safe_psql('postgres', q{
UPDATE drop_urgency SET body = 'Outpatient clinic letter. No change to medication. Routine review in 6 months. Amended.' WHERE id = 1;
INSERT INTO drop_urgency VALUES
    (3, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', '2024-10-01 10:00+01', NULL, 'A81001');
});
$node->safe_psql('postgres', "SELECT count(*) FROM letters_triage.check_overdue('2024-10-20 13:00+01')");
is($node->safe_psql('postgres', "SELECT urgency FROM letters_triage.letter_state WHERE key = '1'"), 'routine',
	'the amended letter is routine now');
is($node->safe_psql('postgres', q{
SELECT count(*) FROM (SELECT x.key FROM letters_triage.letter_alert x
                       WHERE x.kind = 'overdue' AND x.open GROUP BY 1 HAVING count(*) > 1) d}),
	'0', 'no letter is in two open overdue alerts');
is($node->safe_psql('postgres', q{
SELECT count(*) FROM letters_triage.letter_state s WHERE s.status = 'overdue' AND NOT EXISTS (
    SELECT 1 FROM letters_triage.letter_alert x
     WHERE x.kind = 'overdue' AND x.open AND x.key = s.key)}),
	'0', '... and every overdue letter is in one');

# Found by the short run on a fresh Debian 12: a letter sent late and listed
# in its practice's late-sent alert whose practice then changes (its row
# amended, or its key given to another letter after it was deleted) is not
# also listed in the new practice's alert when a late letter joins that one.
$node->safe_psql('postgres', q{
CREATE TABLE late_moves (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
SELECT letters_triage.watch('late_moves', 'body', 'created', 'sent', 'practice');
INSERT INTO late_moves VALUES
    (1, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', '2024-10-01 09:00+01', '2024-10-25 09:00+01', 'A81001'),
    (2, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', '2024-10-01 09:00+01', '2024-10-25 09:00+01', 'A81001'),
    (3, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', '2024-10-01 09:00+01', NULL, 'A81002');
});
$node->safe_psql('postgres', "SELECT count(*) FROM letters_triage.check_sent_late('2024-10-26 12:00+01')");
$node->safe_psql('postgres', q{
UPDATE late_moves SET practice = 'A81002' WHERE id = 1;
DELETE FROM late_moves WHERE id = 2;
UPDATE late_moves SET id = 2 WHERE id = 3;
UPDATE late_moves SET sent = '2024-10-26 13:00+01' WHERE id = 2;
INSERT INTO late_moves VALUES
    (4, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', '2024-10-01 09:00+01', '2024-10-26 13:00+01', 'A81002');
});
$node->safe_psql('postgres', "SELECT count(*) FROM letters_triage.check_sent_late('2024-10-26 14:00+01')");
is($node->safe_psql('postgres', q{
SELECT count(*) FROM (SELECT x.table_id, x.key FROM letters_triage.letter_alert x
                       WHERE x.kind = 'sent_late' AND x.open GROUP BY 1, 2 HAVING count(*) > 1) d}),
	'0', 'no letter is in two open late-sent alerts after its practice changed');
is($node->safe_psql('postgres', q{
SELECT count(*) FROM letters_triage.letter_state s WHERE s.status = 'sent_late' AND NOT EXISTS (
    SELECT 1 FROM letters_triage.letter_alert x
     WHERE x.kind = 'sent_late' AND x.table_id = s.table_id AND x.key = s.key AND x.open
       AND x.recipient = s.recipient)}),
	'0', "... and every late-sent letter is in its practice's");
is($node->safe_psql('postgres', q{
SELECT count(*) FROM letters_triage.alert WHERE kind = 'sent_late' AND resolved_at IS NULL AND letters = 0}),
	'0', 'an alert whose letters all moved to another practice is resolved');

# Found by an outside tester: a late letter acknowledged at its practice,
# moved to another practice (whose alert lists it) and back, leaves the other
# practice's alert, which is resolved, empty.
$node->safe_psql('postgres', q{
INSERT INTO late_moves VALUES
    (10, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', '2024-10-01 09:00+01', '2024-10-27 09:00+01', 'A81010');
});
$node->safe_psql('postgres', q{
SELECT count(*) FROM letters_triage.check_sent_late('2024-10-27 10:00+01');
SELECT count(*) FROM letters_triage.alert a, letters_triage.acknowledge(a.id, 'seen')
 WHERE a.kind = 'sent_late' AND a.recipient = 'A81010';
UPDATE late_moves SET practice = 'A81011' WHERE id = 10;
SELECT count(*) FROM letters_triage.check_sent_late('2024-10-27 11:00+01');
UPDATE late_moves SET practice = 'A81010' WHERE id = 10;
SELECT count(*) FROM letters_triage.check_sent_late('2024-10-27 12:00+01');
});
is($node->safe_psql('postgres', q{
SELECT string_agg(x.recipient || ':' || x.open, ',' ORDER BY x.alert_id) FROM letters_triage.letter_alert x
 WHERE x.kind = 'sent_late' AND x.key = '10'}),
	'A81010:false,A81011:false', "moved back, the letter is in no other practice's open alert");
is($node->safe_psql('postgres', q{
SELECT count(*) FROM letters_triage.alert WHERE kind = 'sent_late' AND recipient = 'A81011' AND resolved_at IS NULL}),
	'0', "... whose emptied alert is resolved");

# Found by a second outside tester under load: a late letter whose sent time
# is cleared and whose practice changes (overdue now, alerted as such) leaves
# its old practice's open late-sent alert, so that moved on and sent late
# again it is in one open late-sent alert only.
$node->safe_psql('postgres', q{
INSERT INTO late_moves VALUES
    (20, 'Outpatient clinic letter. No change to medication. Routine review in 6 months.', '2024-10-01 09:00+01', '2024-10-27 09:00+01', 'A81020');
});
$node->safe_psql('postgres', q{
SELECT count(*) FROM letters_triage.check_sent_late('2024-10-27 13:00+01');
UPDATE late_moves SET sent = NULL, practice = 'A81021' WHERE id = 20;
SELECT count(*) FROM letters_triage.check_sent_late('2024-10-27 14:00+01');
});
is($node->safe_psql('postgres', q{
SELECT count(*) FROM letters_triage.letter_alert x WHERE x.kind = 'sent_late' AND x.key = '20' AND x.open}),
	'0', 'a late letter unsent and moved leaves its old practice\'s open alert');
$node->safe_psql('postgres', q{
UPDATE late_moves SET practice = 'A81022' WHERE id = 20;
UPDATE late_moves SET sent = '2024-10-27 15:00+01' WHERE id = 20;
SELECT count(*) FROM letters_triage.check_sent_late('2024-10-27 16:00+01');
});
is($node->safe_psql('postgres', q{
SELECT string_agg(x.recipient, ',') FROM letters_triage.letter_alert x WHERE x.kind = 'sent_late' AND x.key = '20' AND x.open}),
	'A81022', '... and sent late again is in its new practice\'s alert only');

my $log = slurp_file($node->logfile);
unlike($log, qr/deadlock detected/, 'no deadlock in the server log');
unlike($log, qr/PANIC|terminated by signal/, 'no crash');

$node->stop;
done_testing();
