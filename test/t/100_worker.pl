# The background worker: an overdue letter raises an alert within two check
# intervals; LISTEN receives the payload (no key in it); SIGHUP changes the
# interval and the role; an error in one check does not stop the others; a
# database without the extension is logged once; a round under way is not
# doubled, and one that was ended or killed is followed by others; a
# terminated launcher comes back; a hot standby raises nothing and its
# promoted self does.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);

my $node = PostgreSQL::Test::Cluster->new('primary');
$node->init(allows_streaming => 1);
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'letters_triage'
letters_triage.databases = 'postgres, noext'
letters_triage.check_interval = '2s'
restart_after_crash = on
max_prepared_transactions = 2
track_functions = 'all'
});
$node->start;

$node->safe_psql('postgres', q{
CREATE DATABASE noext;
CREATE EXTENSION letters_triage;
CREATE TABLE app (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('app', 'body', 'created', 'sent', backfill => false);
-- a letter sent just now: the table's flow is not stalled (a stall would take
-- the overdue letters below into its incident instead of alerts of their own)
INSERT INTO letters_triage.letter_state
       (table_id, key, urgency, actions, needs_review, recipient, created, due, status, triaged_at, sent)
VALUES (letters_triage.table_id('app'), 'sent0', 'routine', '{}', false, 'B82001', now() - interval '1 hour', now() + interval '1 day',
        'sent', now(), now());
CREATE FUNCTION overdue_letter(k text, u letters_triage.urgency DEFAULT 'urgent') RETURNS void
LANGUAGE sql AS $$
  INSERT INTO letters_triage.letter_state
         (table_id, key, urgency, actions, needs_review, recipient, created, due, status, triaged_at)
  VALUES (letters_triage.table_id('app'), k, u, '{}', false, 'B82001', now() - interval '2 days', now() - interval '1 day',
          'waiting', now())
$$;
});

# How long until the alert listing letter key k exists (seconds), or undef.
sub alert_after
{
	my ($n, $key, $limit) = @_;
	my $t0 = time();
	while (time() - $t0 < $limit)
	{
		my $found = $n->safe_psql('postgres',
			"SELECT count(*) FROM letters_triage.alert a JOIN letters_triage.alert_letter l ON l.alert_id = a.id "
			  . "WHERE a.kind = 'overdue' AND l.key = '$key'");
		return time() - $t0 if $found > 0;
		usleep(100_000);
	}
	return undef;
}

# The pid of the checker of database postgres, once it waits for a lock.
sub blocked_checker_pid
{
	my ($n) = @_;
	my $q = "SELECT pid FROM pg_stat_activity WHERE backend_type = 'letters_triage checker' "
	  . "AND datname = 'postgres' AND wait_event_type = 'Lock'";
	$n->poll_query_until('postgres', "SELECT count(*) = 1 FROM ($q) c") or return undef;
	return $n->safe_psql('postgres', $q);
}

# Hold (release) a lock on letter_state that the checks wait for, in a
# prepared transaction: it outlives sessions and crashes.
sub hold_state_lock
{
	$node->safe_psql('postgres', q{
BEGIN;
LOCK TABLE letters_triage.letter_state IN ACCESS EXCLUSIVE MODE;
PREPARE TRANSACTION 'hold';
});
}
sub release_state_lock { $node->safe_psql('postgres', "COMMIT PREPARED 'hold'"); }

# The workers run.
ok($node->poll_query_until('postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'letters_triage launcher'"),
	'the launcher runs');
ok($node->poll_query_until('postgres',
		"SELECT coalesce(sum(calls), 0) > 1 FROM pg_stat_user_functions "
		  . "WHERE schemaname = 'letters_triage' AND funcname = 'check_overdue'"),
	'rounds of checks run in a listed database');

# An overdue letter raises an alert within two check intervals (2 s each).
$node->safe_psql('postgres', "SELECT overdue_letter('9434765919')");
my $took = alert_after($node, '9434765919', 30);
ok(defined $took && $took <= 4.0, 'overdue alert within two check intervals')
  or diag('took ' . ($took // 'forever'));
note(sprintf('alert after %.2f s', $took // -1));
is($node->safe_psql('postgres',
		"SELECT status FROM letters_triage.letter_state WHERE key = '9434765919'"),
	'overdue', 'the worker marked the letter overdue');

# LISTEN receives the payload: ids, kind, severity and counts, never the key.
my ($ret, $out, $err) = $node->psql('postgres', q{
LISTEN letters_triage;
SELECT overdue_letter('4010232137', 'immediate');
SELECT pg_sleep(5);
SELECT 'done';
});
like($out, qr/Asynchronous notification "letters_triage" with payload "\{"alert" : \d+, "event" : "raised", "kind" : "overdue".*\}" received/,
	'LISTEN receives the alert payload');
like($out, qr/"severity" : "immediate"/, '... with the severity');
like($out, qr/"letters" : 1/, '... and the count of letters');
unlike($out, qr/4010232137/, '... and not the key of the letter');
like(slurp_file($node->logfile), qr/WARNING:  letters_triage alert \d+ raised: Immediate letter/,
	'the alert is written to the server log as a WARNING');

# SIGHUP changes the interval: one hour, then one second.
$node->safe_psql('postgres', "ALTER SYSTEM SET letters_triage.check_interval = '1h'");
$node->reload;
sleep(3);    # let a round that was under way finish
$node->safe_psql('postgres', "SELECT overdue_letter('k_hour')");
is(alert_after($node, 'k_hour', 6), undef, 'with a one-hour interval no check runs within 6 s');
$node->safe_psql('postgres', "ALTER SYSTEM SET letters_triage.check_interval = '1s'");
$node->reload;
$took = alert_after($node, 'k_hour', 10);
ok(defined $took, 'after SIGHUP with a one-second interval the check runs again')
  or diag('no alert');

# A database without the extension is logged once.
sleep(3);
my $log = slurp_file($node->logfile);
my @missing = ($log =~ /letters_triage is not installed in database "noext"/g);
is(scalar(@missing), 1, 'a database without the extension is logged once');
$node->safe_psql('noext', 'CREATE EXTENSION letters_triage');
ok($node->poll_query_until('postgres', q{SELECT true}), 'noext gets the extension');
my $t0 = time();
while (time() - $t0 < 10 && slurp_file($node->logfile) !~ /letters_triage is installed in database "noext"/)
{
	usleep(200_000);
}
like(slurp_file($node->logfile), qr/letters_triage is installed in database "noext": its checks start/,
	'... and checked once it is installed');

# The role: the checks run as letters_triage.role; a check it may not run
# fails, is logged, and the other checks still run.
$node->safe_psql('postgres', q{
CREATE ROLE alert_worker LOGIN;
GRANT USAGE ON SCHEMA letters_triage TO alert_worker;
GRANT EXECUTE ON FUNCTION letters_triage.check_overdue(timestamptz), letters_triage.check_sent_late(timestamptz),
      letters_triage.check_review(timestamptz), letters_triage.check_tracking(timestamptz) TO alert_worker;
ALTER SYSTEM SET letters_triage.role = 'alert_worker';
});
$node->reload;
$node->safe_psql('postgres', "SELECT overdue_letter('k_role')");
ok(defined alert_after($node, 'k_role', 10), 'the other checks run although check_flow fails');
$t0 = time();
while (time() - $t0 < 10
	&& slurp_file($node->logfile) !~ /letters_triage check_flow failed in database "postgres"\n[^\n]*DETAIL:  permission denied/)
{
	usleep(200_000);
}
like(slurp_file($node->logfile),
	qr/WARNING:  letters_triage check_flow failed in database "postgres"\n[^\n]*DETAIL:  permission denied for function check_flow/,
	'the failing check is logged: the checks run as letters_triage.role');

# A round that waits (here for a lock) is not joined by a second one in the
# same database; ended by pg_terminate_backend, it is followed by others.
hold_state_lock();
my $pid = blocked_checker_pid($node);
ok(defined $pid, 'a round waits for a lock on letter_state');
sleep(5);    # more than two intervals
is($node->safe_psql('postgres',
		"SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'letters_triage checker' AND datname = 'postgres'"),
	'1', '... and no second round starts in that database meanwhile');
$node->safe_psql('postgres', "SELECT pg_terminate_backend($pid)");
release_state_lock();
$node->safe_psql('postgres', "SELECT overdue_letter('k_term')");
ok(defined alert_after($node, 'k_term', 20), 'after a terminated round the next rounds run');

# A killed checker (SIGKILL: the postmaster restarts every process): the
# rounds start again with the launcher.
hold_state_lock();
$pid = blocked_checker_pid($node);
ok(defined $pid, 'a round waits for the lock again');
kill 'KILL', $pid;
$node->poll_query_until('postgres', "SELECT true");    # the server is back
release_state_lock();
$node->safe_psql('postgres', "SELECT overdue_letter('k_crash')");
ok(defined alert_after($node, 'k_crash', 20), 'after a killed round and the crash, rounds raise alerts again');
my $lpid = $node->safe_psql('postgres',
	"SELECT pid FROM pg_stat_activity WHERE backend_type = 'letters_triage launcher'");
$node->safe_psql('postgres', "SELECT pg_terminate_backend($lpid)");
ok($node->poll_query_until('postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'letters_triage launcher' AND pid <> $lpid"),
	'a terminated launcher is restarted by the postmaster');

# A hot standby raises nothing; its promoted self does.
$node->safe_psql('postgres', "ALTER SYSTEM RESET letters_triage.role");
$node->reload;
$node->backup('b1');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($node, 'b1', has_streaming => 1);
$standby->start;
$node->safe_psql('postgres', "ALTER SYSTEM SET letters_triage.databases = ''");
$node->reload;
ok($node->poll_query_until('postgres',
		"SELECT count(*) = 0 FROM pg_stat_activity WHERE backend_type = 'letters_triage checker'"),
	'no checker runs when no database is listed');
$node->safe_psql('postgres', "SELECT overdue_letter('k_standby')");
$node->wait_for_catchup($standby, 'replay', $node->lsn('insert'));
sleep(3);
is($standby->safe_psql('postgres',
		"SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'letters_triage%'"),
	'0', 'no worker runs on the hot standby');
is(alert_after($standby, 'k_standby', 1), undef, 'the standby raises nothing');
$node->stop;
$standby->promote;
$took = alert_after($standby, 'k_standby', 20);
ok(defined $took, 'the promoted standby raises the alert');
unlike(slurp_file($standby->logfile), qr/letters_triage \w+ failed/, 'no check failed on the standby');

$standby->stop;
done_testing();
