# Tracking never speaks to the application: an application role (no grant on
# the extension) writes letters that tracking has problems with, while psql
# records every notice the server sends it, also at client_min_messages =
# debug5.  Nothing about tracking reaches the client; each problem is in the
# server log and in tracking_log.  With letters_triage.client_warnings = on
# (a superuser's setting, here for the role) the client gets them as WARNINGs;
# the application cannot turn that on itself.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('quiet');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
# as a production server is: statements are not logged (the test framework
# logs them all), so that what tracking writes to the log can be checked
$node->append_conf('postgresql.conf', "log_statement = none");
$node->start;

$node->safe_psql('postgres', q{
CREATE EXTENSION letters_triage;
CREATE ROLE app LOGIN;
CREATE TABLE letters (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, nhs text);
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON letters TO app;
SELECT letters_triage.watch('letters', 'body', 'created', 'sent', nhs_number => 'nhs');
-- the constraint makes writing letter 51 fail: first the triaged state,
-- then even the state for review
ALTER TABLE letters_triage.letter_state ADD CONSTRAINT test_fail CHECK (key <> '51');
ALTER TABLE letters_triage.letter_state ADD CONSTRAINT test_fail_triaged CHECK (needs_review OR key <> '50');
});

# What the application does: every way tracking can meet a problem.
my $app_sql = q{
SET client_min_messages = debug5;
INSERT INTO letters VALUES (1, 'Clinic letter. No change.', now(), NULL, '9434765918');
INSERT INTO letters VALUES (2, 'Clinic letter. No change.', NULL, NULL, '9434765919');
INSERT INTO letters VALUES (50, 'Clinic letter. No change.', now(), NULL, '9434765919');
INSERT INTO letters VALUES (51, 'Clinic letter. No change.', now(), NULL, '9434765919');
UPDATE letters SET nhs = '123' WHERE id = 2;
SELECT 'done';
};

# Run it as the application in a new session; returns psql's exit code,
# stdout, stderr and what the server log got meanwhile.
sub as_app
{
	my ($sql) = @_;
	my $offset = -s $node->logfile;
	my ($ret, $out, $err) = $node->psql('postgres', $sql, extra_params => [ '-U', 'app', '-X' ]);
	my $log = substr(slurp_file($node->logfile), $offset);
	return ($ret, $out, $err, $log);
}

my ($ret, $out, $err, $log) = as_app($app_sql);
is($ret, 0, 'every statement of the application succeeded');
is($out, 'done', 'the application saw only its own results');
# At debug5 the server's own DEBUG lines reach the client too (PostgreSQL 18's
# library look-up names the library's file); tracking sends none of those, so
# everything else the client got must be silent about tracking.
(my $notices = $err) =~ s/^.*\bDEBUG:  .*\n//mg;
unlike($notices, qr/letters_triage|WARNING/, 'no notice about tracking reached the client')
  or diag($notices);
for my $line ('LOG:  letters_triage recorded 1 letter of table public.letters for review',
	'DETAIL:  invalid NHS number',
	'DETAIL:  no creation time',
	'LOG:  letters_triage could not track a change to table public.letters',
	'LOG:  letters_triage could not record letters of table public.letters')
{
	like($log, qr/\Q$line\E/, "the server log has: $line");
}
unlike($log, qr/9434765919|Clinic letter|STATEMENT:/,
	"tracking's log lines carry no statement: no NHS number and no letter text")
  or diag($log);

my $logged = $node->safe_psql('postgres',
	"SELECT string_agg(event || ':' || letters, ',' ORDER BY id) FROM letters_triage.tracking_log");
is($logged, 'problem:1,problem:1,problem:1,error:1,problem:1',
	'tracking_log has each problem (invalid NHS number, no creation time, untriaged, not recorded, invalid NHS number)');

# The application cannot turn the warnings on for itself.
($ret, $out, $err) = $node->psql('postgres', 'SET letters_triage.client_warnings = on',
	extra_params => [ '-U', 'app', '-X' ]);
like($err, qr/permission denied to set parameter "letters_triage.client_warnings"/,
	'client_warnings is a superuser setting');

# A DBA who wants them turns them on for the role.
$node->safe_psql('postgres', q{
TRUNCATE letters;
ALTER ROLE app SET letters_triage.client_warnings = on;
});
($ret, $out, $err, $log) = as_app($app_sql =~ s/SET client_min_messages = debug5;//r);
is($ret, 0, 'with client_warnings on, the statements still succeed');
like($err, qr/WARNING:  letters_triage recorded 1 letter of table public.letters for review/,
	'with client_warnings on, the client gets the problems as WARNINGs');
like($err, qr/WARNING:  letters_triage could not track a change to table public.letters/,
	'with client_warnings on, the client gets the errors as WARNINGs');
like($log, qr/letters_triage recorded 1 letter of table public.letters for review/,
	'with client_warnings on, the server log has them too');

# retriage() is the DBA's own call: it reports its problems to its caller.
$node->safe_psql('postgres', q{
ALTER TABLE letters_triage.letter_state DROP CONSTRAINT test_fail;
ALTER TABLE letters_triage.letter_state DROP CONSTRAINT test_fail_triaged;
});
($ret, $out, $err) = $node->psql('postgres', "SELECT letters_triage.retriage('letters')", extra_params => ['-X']);
like($err, qr/WARNING:  letters_triage recorded \d+ letters? of table public.letters for review/,
	'retriage() warns the DBA who runs it');

$node->stop;
done_testing();
