# NOTIFY payloads carry no patient identifier: a session LISTENing on
# letters_triage while every check raises, grows, escalates and resolves
# alerts about letters that hold NHS numbers, names and keys receives JSON
# with ids, kind, severity and counts only.  The server log lines of the
# alerts do not name a key, an NHS number or a patient either.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('notify');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$node->start;

# Keys that look like what must not leak: an NHS number, a name, an MRN.
my @keys = ('9434765919', 'SMITH-JOHN', 'MRN-0012345', 'k4');
my @names = ('Johnathan Smithers', 'Aurelia Quantock');

$node->safe_psql('postgres', q{
CREATE EXTENSION letters_triage;
SET TimeZone = 'Europe/London';
CREATE TABLE letters (id text PRIMARY KEY, body text, created timestamptz, sent timestamptz,
                      practice text, nhs text, kind text);
SELECT letters_triage.watch('letters', 'body', 'created', 'sent', 'practice', 'nhs', 'kind');
INSERT INTO letters VALUES
 ('9434765919', E'Patient: Johnathan Smithers, NHS 943 476 5919.\nUrgent: please stop warfarin today and check INR within 24 hours.',
  '2024-10-07 09:00', NULL, 'A81001', '9434765919', 'discharge'),
 ('SMITH-JOHN', E'Patient: Aurelia Quantock, NHS 401 023 2137.\nPlease start ramipril 2.5 mg once daily and check renal function in 2 weeks.',
  '2024-10-07 09:00', NULL, 'A81001', '4010232137', 'outpatient'),
 ('MRN-0012345', 'x', '2024-10-07 09:00', NULL, NULL, NULL, NULL),
 ('k4', 'Clinic letter. No change.', '2024-10-01 09:00', '2024-10-20 09:00', 'A81002', '4010232137', 'outpatient');
});

# One session: LISTEN, then the checks in their own transactions; psql prints
# every notification it receives.
my ($ret, $out, $err) = $node->psql('postgres', q{
LISTEN letters_triage;
SELECT count(*) FROM letters_triage.check_all('2024-10-09 12:00');
SELECT count(*) FROM letters_triage.check_all('2024-10-09 20:00');
SELECT (letters_triage.acknowledge(a.id, 'seen')).id FROM letters_triage.alert a WHERE a.id = 1;
UPDATE letters SET sent = '2024-10-10 09:00';
SELECT count(*) FROM letters_triage.check_all('2024-10-10 10:00');
SELECT count(*) FROM letters_triage.check_all('2024-10-11 10:00');
}, extra_params => ['-X']);
is($ret, 0, 'the checks ran') or diag($err);

my @payloads = ($out =~ /Asynchronous notification "letters_triage" with payload "(.*?)" received/g);
cmp_ok(scalar(@payloads), '>=', 4, 'the listener received the alert events (' . scalar(@payloads) . ')');
my %events;
my $bad_shape = 0;
for my $p (@payloads)
{
	my %f = ($p =~ /"(\w+)"\s*:\s*("[^"]*"|[-\d.]+|null|\[[\d,\s]*\])/g);
	$events{ $f{event} =~ s/"//gr }++ if defined $f{event};
	my @unexpected = grep { !/^(alert|alerts|count|event|kind|severity|letters|urgent_letters|raise_count)$/ } keys %f;
	$bad_shape++ if @unexpected || !(defined $f{alert} || defined $f{alerts});
}
is($bad_shape, 0, 'every payload holds only alert ids, event, kind, severity and counts');
ok($events{raised} && $events{escalated} && !$events{resolved} && !$events{grown},
	'raised and escalated alerts were notified, growth and resolution not ('
	  . join(', ', map { "$_ $events{$_}" } sort keys %events) . ')');
# one notification = one NOTIFY = one WARNING line = one row of alert_notice
is(scalar(@payloads), $node->safe_psql('postgres',
		'SELECT count(*) FROM letters_triage.alert_notice WHERE silence_id IS NULL'),
	'every notification is recorded in alert_notice');
is(scalar(() = slurp_file($node->logfile) =~ /WARNING:  letters_triage alerts? [\d, ]+(?:and \d+ more )?(?:raised|escalated)/g),
	scalar(@payloads), 'and written to the server log as one WARNING line');
unlike($out . $err, qr/WARNING:  letters_triage alerts? \d/, 'and none reaches the client that ran the checks');

my $all = join("\n", @payloads);
for my $k (@keys, '943 476 5919', '4010232137', '401 023 2137', @names, 'A81001', 'warfarin', 'ramipril')
{
	unlike($all, qr/\Q$k\E/, "no payload contains \"$k\"");
}

# The alerts' lines in the server log: no key, NHS number or name.
my $log = slurp_file($node->logfile);
my @lines = grep { /letters_triage alerts? \d+/ } split /\n/, $log;
cmp_ok(scalar(@lines), '>=', 2, 'the alerts were written to the server log');
my $lines = join("\n", @lines);
for my $k (@keys, '943 476 5919', '4010232137', @names, 'warfarin')
{
	unlike($lines, qr/\Q$k\E/, "no alert log line contains \"$k\"");
}

$node->stop;
done_testing();
