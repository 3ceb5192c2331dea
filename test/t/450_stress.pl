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

my @scripts = ('insert.sql@40', 'bulk.sql@4', 'send.sql@25', 'delete.sql@12', 'rules.sql@4', 'check.sql@12',
	'retriage.sql@1');
IPC::Run::run([ 'pgbench', '-n', '-c', '8', '-j', '2', '-T', $secs, (map { ('-f', "$dir/$_") } @scripts),
	$node->connstr('stress') ], '>', \$out, '2>', \$err);
my ($total) = $out =~ /number of transactions actually processed: (\d+)/;
my ($failed) = $out =~ /number of failed transactions: (\d+)/;
ok(defined $total && $total > 0, "pgbench ran " . ($total // 0) . " transactions with 8 clients in $secs s");
is($failed // 0, 0, 'no transaction failed');
unlike($err, qr/aborted|error/i, 'no client aborted') or diag($err);

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

my $log = slurp_file($node->logfile);
unlike($log, qr/deadlock detected/, 'no deadlock in the server log');
unlike($log, qr/PANIC|terminated by signal/, 'no crash');

$node->stop;
done_testing();
