# Crashes: the server is stopped in immediate mode, and a backend is killed
# with SIGKILL, in the middle of a bulk load into a watched table and in the
# middle of a check.  After recovery every committed letter has exactly one
# state row, no state row stands for an uncommitted letter, nothing committed
# is lost, and the checks raise each alert once.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'letters_triage'
restart_after_crash = on
});
$node->start;

$node->safe_psql('postgres', q{
CREATE EXTENSION letters_triage;
CREATE TABLE letters (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
SELECT letters_triage.watch('letters', 'body', 'created', 'sent', 'practice');
CREATE TABLE load_progress (batch int PRIMARY KEY);
});

# The consistency of letters and their state, as one line of numbers: rows,
# rows with a live state row, rows without state, unsent letters in the state
# without a row (deleted letters are withdrawn; sent ones keep their
# history), duplicated keys.
sub consistency
{
	return $node->safe_psql('postgres', q{
SELECT (SELECT count(*) FROM letters) || ' ' ||
       (SELECT count(*) FROM letters l JOIN letters_triage.letter_state s
            ON s.table_id = letters_triage.table_id('letters') AND s.key = l.id::text AND s.status <> 'withdrawn') || ' ' ||
       (SELECT count(*) FROM letters l WHERE NOT EXISTS
            (SELECT 1 FROM letters_triage.letter_state s WHERE s.table_id = letters_triage.table_id('letters') AND s.key = l.id::text)) || ' ' ||
       (SELECT count(*) FROM letters_triage.letter_state s WHERE s.table_id = letters_triage.table_id('letters')
            AND s.status IN ('waiting', 'overdue')
            AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.id::text = s.key)) || ' ' ||
       (SELECT count(*) FROM (SELECT key FROM letters_triage.letter_state GROUP BY table_id, key HAVING count(*) > 1) d)});
}

# A bulk load in the background: batches of 500 letters, each committed with
# a row in load_progress, until it is stopped.
sub start_load
{
	my ($from) = @_;
	my $sql = qq{
DO \$\$
BEGIN
    FOR b IN $from .. $from + 999 LOOP
        INSERT INTO letters
        SELECT b * 1000 + i, 'Discharge summary. Please check potassium within 1 week. Letter ' || i,
               timestamptz '2024-10-07 09:00' + i * interval '1 minute', NULL, 'A8100' || (i % 10)
          FROM generate_series(1, 500) i;
        INSERT INTO load_progress VALUES (b);
        COMMIT;
    END LOOP;
END \$\$;
};
	my ($in, $out, $err) = ('', '', '');
	my $h = IPC::Run::start([ 'psql', '-X', '-q', '-d', $node->connstr('postgres') . ' application_name=bulk_load', '-c', $sql ],
		\$in, \$out, \$err);
	return $h;
}

sub wait_batches
{
	my ($n) = @_;
	return $node->poll_query_until('postgres', "SELECT count(*) >= $n FROM load_progress");
}

sub finish_quietly
{
	my ($h) = @_;
	eval { $h->finish; };
	eval { $h->kill_kill; };
}

# 1. Immediate shutdown in the middle of a bulk load.
my $h = start_load(0);
ok(wait_batches(3), 'the bulk load committed some batches');
$node->stop('immediate');
finish_quietly($h);
$node->start;
my $batches = $node->safe_psql('postgres', 'SELECT count(*) FROM load_progress');
my $rows = $node->safe_psql('postgres', 'SELECT count(*) FROM letters');
cmp_ok($batches, '>=', 3, "after an immediate shutdown the committed batches are there ($batches)");
is($rows, $batches * 500, '... with every committed letter and no half batch');
is(consistency(), "$rows $rows 0 0 0", '... and exactly one state row for each committed letter');

# 2. kill -9 of the loading backend: the postmaster restarts every backend.
$h = start_load(1000);
ok(wait_batches($batches + 3), 'a second bulk load committed some batches');
my $pid = $node->safe_psql('postgres',
	"SELECT pid FROM pg_stat_activity WHERE application_name = 'bulk_load'");
like($pid, qr/^\d+$/, 'the loading backend is found');
kill 'KILL', $pid;
finish_quietly($h);
ok($node->poll_query_until('postgres', 'SELECT true'), 'the server accepts connections after the crash');
$batches = $node->safe_psql('postgres', 'SELECT count(*) FROM load_progress');
$rows = $node->safe_psql('postgres', 'SELECT count(*) FROM letters');
is($rows, $batches * 500, "after kill -9 the committed letters are there ($rows)");
is(consistency(), "$rows $rows 0 0 0", '... each with exactly one state row');
like(slurp_file($node->logfile), qr/terminated by signal 9/, 'the server log shows the crash');

# Tracking goes on: an update and a delete after the crash.
$node->safe_psql('postgres', 'UPDATE letters SET sent = created + interval \'3 days\' WHERE id % 7 = 0');
$node->safe_psql('postgres', 'DELETE FROM letters WHERE id % 11 = 0');
$rows = $node->safe_psql('postgres', 'SELECT count(*) FROM letters');
is(consistency(), "$rows $rows 0 0 0", 'tracking goes on after recovery');

# 3. Crashes in the middle of a check.  The check is held halfway (after it
# marked letters overdue, before it records the alerts) by a lock on
# alert_letter, then its backend is killed / the server stopped.
sub start_check
{
	my ($in, $out, $err) = ('', '', '');
	return IPC::Run::start(
		[ 'psql', '-X', '-q', '-d', $node->connstr('postgres') . ' application_name=the_check', '-c',
		  "SELECT count(*) FROM letters_triage.check_all('2024-11-30 12:00')" ],
		\$in, \$out, \$err);
}

sub hold_and_crash
{
	my ($how) = @_;
	my $locker = $node->background_psql_compat();
	my $c = start_check();
	ok($node->poll_query_until('postgres',
		"SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE application_name = 'the_check'"),
		"$how: the check waits halfway");
	my $overdue_inside = $node->safe_psql('postgres',
		"SELECT count(*) FROM letters_triage.letter_state WHERE status = 'overdue'");
	is($overdue_inside, '0', "$how: its changes are not visible before it commits");
	if ($how eq 'kill -9')
	{
		my $cpid = $node->safe_psql('postgres',
			"SELECT pid FROM pg_stat_activity WHERE application_name = 'the_check'");
		kill 'KILL', $cpid;
		$node->poll_query_until('postgres', 'SELECT true');
	}
	else
	{
		$node->stop('immediate');
		$node->start;
	}
	finish_quietly($c);
	finish_quietly($locker);
	is($node->safe_psql('postgres', 'SELECT count(*) FROM letters_triage.alert'), '0',
		"$how: no alert of the interrupted check survives");
	is($node->safe_psql('postgres',
		"SELECT count(*) FROM letters_triage.letter_state WHERE status = 'overdue'"), '0',
		"$how: no letter is left marked overdue by it");
}

# A session that holds an exclusive lock on alert_letter until it is killed.
{
	package PostgreSQL::Test::Cluster;
	sub background_psql_compat
	{
		my ($self) = @_;
		my ($in, $out, $err) = ('', '', '');
		my $h = IPC::Run::start([ 'psql', '-X', '-q', '-d', $self->connstr('postgres'), '-c',
			'BEGIN; LOCK TABLE letters_triage.alert_letter IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600)' ],
			\$in, \$out, \$err);
		$self->poll_query_until('postgres',
			"SELECT count(*) = 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
			  . "WHERE c.relname = 'alert_letter' AND l.mode = 'AccessExclusiveLock' AND l.granted");
		return $h;
	}
}

hold_and_crash('kill -9');
hold_and_crash('immediate shutdown');

# After the crashes the check runs to the end: each overdue letter is in
# exactly one open alert (its overdue alert, or its table's incident: nothing
# is sent here, so the flow is stalled), and a second run raises nothing.
my $events = $node->safe_psql('postgres', "SELECT count(*) FROM letters_triage.check_all('2024-11-30 12:00')");
cmp_ok($events, '>', 0, "the check completes after the crashes ($events events)");
is($node->safe_psql('postgres', q{
SELECT count(*) FROM letters_triage.letter_state s
 WHERE s.status = 'overdue' AND (SELECT count(*) FROM letters_triage.letter_alert x
                                  WHERE x.kind IN ('overdue', 'stalled_flow', 'tracking_error')
                                    AND x.open AND x.table_id = s.table_id AND x.key = s.key) <> 1}), '0',
	'every overdue letter is in exactly one open alert');
is($node->safe_psql('postgres',
	"SELECT count(*) FROM (SELECT kind, scope, table_id, subject FROM letters_triage.alert WHERE resolved_at IS NULL GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d"),
	'0', 'no duplicate open alert');
is($node->safe_psql('postgres',
	"SELECT count(*) FROM letters_triage.check_all('2024-11-30 12:00') WHERE event = 'raised'"),
	'0', 'a second run raises nothing new');
$rows = $node->safe_psql('postgres', 'SELECT count(*) FROM letters');
is(consistency(), "$rows $rows 0 0 0", 'letters and state still agree');

$node->stop;
done_testing();
