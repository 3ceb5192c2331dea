# The background worker does not block database maintenance: with the worker
# running and checking every second, DROP DATABASE, ALTER DATABASE ... RENAME
# and CREATE DATABASE ... TEMPLATE of a listed database (with the extension or
# without it) succeed, again and again, and the checks still run in every
# round, before and after.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);

my $node = PostgreSQL::Test::Cluster->new('maint');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'letters_triage'
letters_triage.databases = 'postgres, letters, noext, scratch'
letters_triage.check_interval = '1s'
track_functions = 'all'
});
$node->start;

my $setup = q{
CREATE EXTENSION letters_triage;
CREATE TABLE app (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('app', 'body', 'created', 'sent', backfill => false);
CREATE FUNCTION overdue_letter(k text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO letters_triage.letter_state
         (table_id, key, urgency, actions, needs_review, recipient, created, due, status, triaged_at)
  VALUES (letters_triage.table_id('app'), k, 'urgent', '{}', false, 'B82001', now() - interval '2 days', now() - interval '1 day',
          'waiting', now())
$$;
};
$node->safe_psql('postgres', 'CREATE DATABASE letters');
$node->safe_psql('postgres', 'CREATE DATABASE noext');
$node->safe_psql('postgres', 'CREATE DATABASE scratch');
$node->safe_psql($_, $setup) for qw(postgres letters scratch);

# How long until an alert listing letter key k exists in db (s), or undef: the
# letter's own overdue alert, or the stalled-flow incident of its table (a table
# whose letters all wait, none ever sent, has stalled, and takes them in).
sub alert_after
{
	my ($db, $key, $limit) = @_;
	my $t0 = time();
	while (time() - $t0 < $limit)
	{
		my $found = $node->safe_psql($db,
			"SELECT count(*) FROM letters_triage.alert a JOIN letters_triage.alert_letter l ON l.alert_id = a.id "
			  . "WHERE a.kind IN ('overdue', 'stalled_flow') AND l.key = '$key'");
		return time() - $t0 if $found > 0;
		usleep(100_000);
	}
	return undef;
}

# Rounds of checks run in db so far: calls of check_overdue (track_functions).
sub rounds
{
	my ($db) = @_;
	return $node->safe_psql($db,
		"SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions "
		  . "WHERE schemaname = 'letters_triage' AND funcname = 'check_overdue'");
}

# Run a statement and report whether it succeeded, with its error and duration.
sub ddl
{
	my ($sql) = @_;
	my $t0 = time();
	my ($ret, $out, $err) = $node->psql('postgres', $sql);
	return ($ret == 0, $err, time() - $t0);
}

# The checks run, in every listed database with the extension.
$node->safe_psql('letters', "SELECT overdue_letter('k_before')");
ok(defined alert_after('letters', 'k_before', 15), 'the worker checks database letters');
ok($node->poll_query_until('scratch',
		"SELECT coalesce(sum(calls), 0) > 0 FROM pg_stat_user_functions "
		  . "WHERE schemaname = 'letters_triage' AND funcname = 'check_overdue'"),
	'... and database scratch');
my $log = slurp_file($node->logfile);
like($log, qr/letters_triage is not installed in database "noext"/, '... and skips noext, without the extension');

# The statements in turn, five times: a round may be under way when one starts.
my @steps = (
	[ 'CREATE DATABASE ... TEMPLATE of a database with the extension', 'CREATE DATABASE copy1 TEMPLATE letters' ],
	[ 'DROP DATABASE of its copy', 'DROP DATABASE copy1' ],
	[ 'CREATE DATABASE ... TEMPLATE of a database without it', 'CREATE DATABASE copy2 TEMPLATE noext' ],
	[ 'DROP DATABASE of that copy', 'DROP DATABASE copy2' ],
	[ 'ALTER DATABASE ... RENAME of a database with the extension', 'ALTER DATABASE letters RENAME TO letters_old' ],
	[ '... and back', 'ALTER DATABASE letters_old RENAME TO letters' ],
	[ 'ALTER DATABASE ... RENAME of a database without it', 'ALTER DATABASE noext RENAME TO noext_old' ],
	[ '... and back', 'ALTER DATABASE noext_old RENAME TO noext' ],);
my $slowest = 0;
my %failures;
for my $i (1 .. 5)
{
	for my $step (@steps)
	{
		my ($what, $sql) = @$step;
		my ($ok, $err, $took) = ddl($sql);
		$slowest = $took if $took > $slowest;
		push @{ $failures{$sql} }, $err unless $ok;
		usleep(100_000 * $i);    # land at different moments of the rounds
	}
}
for my $step (@steps)
{
	my ($what, $sql) = @$step;
	my @f = @{ $failures{$sql} // [] };
	is(scalar(@f), 0, "$what succeeds while the worker runs (5 times)") or diag($f[0]);
}
note(sprintf('slowest statement: %.2f s', $slowest));

# The checks still run in every round of every listed database.
my $r0 = rounds('letters');
sleep(6);
my $r1 = rounds('letters');
cmp_ok($r1 - $r0, '>=', 3, 'after the renames, rounds still run in letters (one per second)')
  or diag("rounds: $r0 -> $r1");
$node->safe_psql('letters', "SELECT overdue_letter('k_after')");
ok(defined alert_after('letters', 'k_after', 15), '... and raise alerts');
$node->safe_psql('postgres', "SELECT overdue_letter('k_postgres')");
ok(defined alert_after('postgres', 'k_postgres', 15), '... also in postgres');

# A listed database dropped while the worker runs: DROP succeeds; the worker
# logs once that it does not exist and checks it again once it is created.
my $logpos = length(slurp_file($node->logfile));
my ($ok, $err) = ddl('DROP DATABASE scratch');
ok($ok, 'DROP DATABASE of a listed database with the extension succeeds') or diag($err);
($ok, $err) = ddl('DROP DATABASE noext');
ok($ok, 'DROP DATABASE of a listed database without the extension succeeds') or diag($err);
# (a round that raced the DROP and could not connect is tried again 10 s later)
my $t0 = time();
sleep(1)
  while time() - $t0 < 30
  && substr(slurp_file($node->logfile), $logpos) !~ /database "scratch" listed in letters_triage.databases does not exist/;
sleep(3);    # three more intervals
$log = substr(slurp_file($node->logfile), $logpos);
my @gone = ($log =~ /database "scratch" listed in letters_triage.databases does not exist/g);
is(scalar(@gone), 1, 'a listed database that does not exist is logged once');
$node->safe_psql('postgres', 'CREATE DATABASE scratch');
$node->safe_psql('scratch', $setup);
$node->safe_psql('scratch', "SELECT overdue_letter('k_scratch')");
ok(defined alert_after('scratch', 'k_scratch', 15), 'a database created again under a listed name is checked');

# Between rounds no checker is connected to any database.
ok($node->poll_query_until('postgres',
		"SELECT count(*) = 0 FROM pg_stat_activity WHERE backend_type = 'letters_triage checker'"),
	'between rounds no checker is connected');
unlike(slurp_file($node->logfile), qr/letters_triage \w+ failed/, 'no check failed');

$node->stop;
done_testing();
