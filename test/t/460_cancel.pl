# pg_cancel_backend() and statement_timeout stop a classification promptly:
# an 8 MB letter from each of the costliest families of
# test/fuzz/adversarial.h is classified in a background session (by
# urgency(), and inside the tracking trigger of an INSERT); a second session
# cancels it once it runs.  The statement ends with 57014 query_canceled
# within 2 seconds of the cancel (interrupts are checked at least every few
# milliseconds; the margin is for a busy machine), and the session goes on.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time usleep);

my $node = PostgreSQL::Test::Cluster->new('cancel');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
CREATE EXTENSION letters_triage;
CREATE TABLE adversarial (family text PRIMARY KEY, body text);
INSERT INTO adversarial VALUES
    ('request', repeat('please stop warfarin urgently refer to cardiology within 48 hours ', 125000)),
    ('parens', repeat('(no fever (please refer today ( ', 260000)),
    ('timeframes', repeat('within 48 hours today tomorrow by friday in 2 weeks next week by 12:00 2/52 ', 110000)),
    ('kin', repeat('my mum ', 1198000));
CREATE TABLE app_letters (id integer PRIMARY KEY, body text, created_at timestamptz NOT NULL DEFAULT now(),
                          sent_at timestamptz);
SELECT letters_triage.watch('app_letters', 'body', 'created_at', 'sent_at');
});

# Run $sql in a background psql under application_name $app, cancel it once
# it is active, and return the psql's stderr and the seconds from the cancel
# to the end of the statement.
sub cancel_after_start
{
	my ($app, $sql) = @_;
	my ($in, $out, $err) = ('', '', '');
	my $h = IPC::Run::start([ 'psql', '-X', '-q', '-d', $node->connstr('postgres') . " application_name=$app",
			'-c', $sql, '-c', 'SELECT 42 AS still_there' ], \$in, \$out, \$err);
	$node->poll_query_until('postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = '$app' AND state = 'active'"
		  . " AND query NOT LIKE 'SELECT 42%'")
	  or die "the statement of $app never ran";
	usleep(200_000);    # well inside the classification
	my $t0 = time;
	$node->safe_psql('postgres', "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = '$app'");
	$node->poll_query_until('postgres',
		"SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = '$app' AND state = 'active'"
		  . " AND query NOT LIKE 'SELECT 42%'")
	  or die "the statement of $app was not cancelled";
	my $secs = time - $t0;
	$h->finish;
	return ($err, $out, $secs);
}

for my $family (qw(request parens timeframes kin))
{
	my ($err, $out, $secs) = cancel_after_start("cancel_$family",
		"SELECT letters_triage.urgency(body) FROM adversarial WHERE family = '$family'");
	like($err, qr/canceling statement due to user request/, "$family: urgency() cancelled by pg_cancel_backend");
	cmp_ok($secs, '<', 2, "$family: the cancel took effect within 2 s");
	like($out, qr/42/, "$family: the session goes on");
}

# inside the tracking trigger of an application's INSERT
my ($err, $out, $secs) = cancel_after_start('cancel_insert',
	"INSERT INTO app_letters (id, body) SELECT 1, body FROM adversarial WHERE family = 'parens'");
like($err, qr/canceling statement due to user request/, 'a tracked INSERT is cancelled by pg_cancel_backend');
cmp_ok($secs, '<', 2, 'the cancel of the tracked INSERT took effect within 2 s');
is($node->safe_psql('postgres', q{SELECT count(*) FROM app_letters}), '0', 'the cancelled INSERT left no row');

# statement_timeout: the time from the start to the error
my $t0 = time;
my ($rc, $stdout, $stderr) = $node->psql('postgres',
	"SET statement_timeout = '100ms'; SELECT letters_triage.urgency(body) FROM adversarial WHERE family = 'request'");
my $took = time - $t0;
like($stderr, qr/canceling statement due to statement timeout/, 'statement_timeout ends urgency() on 8 MB');
cmp_ok($took, '<', 2, 'statement_timeout of 100 ms: ended within 2 s');

$node->stop;
done_testing();
