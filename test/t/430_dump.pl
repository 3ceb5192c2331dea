# Dump and restore: a database with watched tables, the DBA's own rules,
# policies, calendar edits, alert settings, letters, state and alerts is
# dumped with pg_dump and restored with pg_restore into a new database.
# Everything comes back, shipped rows are not duplicated, edits of shipped
# rows are kept, tracking continues for new letters, and the checks do not
# raise duplicates of the alerts that were open.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', q{
SET TimeZone = 'Europe/London';
CREATE EXTENSION letters_triage;
CREATE SCHEMA trust;
-- a table of text letters and one of letters_triage.letter values
CREATE TABLE trust.outbound (id bigint PRIMARY KEY, body text, created timestamptz, sent timestamptz,
                             practice text, kind text);
CREATE TABLE trust."Community Letters" (ref text PRIMARY KEY, doc letters_triage.letter NOT NULL,
                                        made timestamp, posted timestamp);
SELECT letters_triage.watch('trust.outbound', 'body', 'created', 'sent', 'practice', NULL, 'kind');
SELECT letters_triage.watch('trust."Community Letters"', 'doc', 'made', 'posted');
-- the DBA's configuration: own rules, an edited shipped rule, a policy, an
-- edited shipped policy, a local closure, changed working hours, an alert setting
INSERT INTO letters_triage.rule (pattern, action, urgency, note) VALUES
    ('sepsis pathway', 'review', 'immediate', 'local: sepsis pathway letters'),
    ('falls clinic', 'referral', NULL, 'local');
UPDATE letters_triage.rule SET enabled = false WHERE id = (SELECT min(id) FROM letters_triage.rule WHERE NOT dump);
INSERT INTO letters_triage.modifier (phrase, category) VALUES ('ruled out locally', 'negated');
INSERT INTO letters_triage.policy (urgency, kind, amount, unit, note) VALUES (NULL, 'community', 3, 'working_days', 'local');
UPDATE letters_triage.policy SET amount = 12 WHERE kind = 'discharge' AND NOT dump;
INSERT INTO letters_triage.non_working_day VALUES ('2024-10-10', 'Trust closure day');
UPDATE letters_triage.working_hours SET opens = '08:30', closes = '18:00';
INSERT INTO letters_triage.alert_config VALUES ('escalate_after', '2 hours');
-- letters, some sent late, one deleted, one unreadable
INSERT INTO trust.outbound
SELECT i, CASE WHEN i % 10 = 0 THEN 'x' ELSE 'Discharge summary. Please review medication in 2 weeks. ' || i END,
       timestamptz '2024-10-07 09:00' + i * interval '7 minutes',
       CASE WHEN i % 3 = 0 THEN timestamptz '2024-10-07 09:00' + i * interval '7 minutes' + interval '40 hours' END,
       'A8100' || (i % 4), CASE WHEN i % 2 = 0 THEN 'discharge' ELSE 'outpatient' END
  FROM generate_series(1, 120) i;
DELETE FROM trust.outbound WHERE id = 7;
INSERT INTO trust."Community Letters" VALUES
    ('C-1', E'Kind: community\nTo: B82001\n\nDistrict nurse visit. Please stop furosemide.', '2024-10-07 10:00', NULL),
    ('C-2', E'Kind: death\nTo: B82002\n\nNotification of death.', '2024-10-07 11:00', NULL);
TRUNCATE trust.outbound;   -- oops: logged and withdrawn (tracking_log, then an alert)
INSERT INTO trust.outbound
SELECT i, 'Clinic letter. Please start ramipril. ' || i, timestamptz '2024-10-08 09:00' + i * interval '5 minutes',
       CASE WHEN i % 2 = 0 THEN timestamptz '2024-10-18 09:00' END, 'A8100' || (i % 4), 'outpatient'
  FROM generate_series(1000, 1060) i;
SELECT count(*) FROM letters_triage.check_all('2024-10-21 12:00');
SELECT count(*) FROM letters_triage.check_tracking();   -- the TRUNCATE was logged in real time
SELECT letters_triage.acknowledge(min(id), 'told the practice') FROM letters_triage.alert;
});

# What must come back, table by table: a fingerprint of every row (tables by
# name, not OID; ids as they were).
my %q = (
	rule => "SELECT id, pattern, action, urgency, needs_request, enabled, note, dump FROM letters_triage.rule",
	modifier => "SELECT id, phrase, category, direction, scope, enabled, dump FROM letters_triage.modifier",
	section => "SELECT id, heading, meaning, enabled, dump FROM letters_triage.section",
	policy => "SELECT id, urgency, kind, amount, unit, note, dump FROM letters_triage.policy",
	working_hours => "SELECT * FROM letters_triage.working_hours ORDER BY dump DESC LIMIT 1",   # the row in force
	non_working_day => "SELECT * FROM letters_triage.non_working_day",
	alert_config => "SELECT * FROM letters_triage.alert_config",
	watched => "SELECT id, name, ended, ended_by, key_column, body, created, sent, recipient, nhs_number, kind, watched_at, watched_by FROM letters_triage.watched",
	letter_state => "SELECT table_id, key, urgency, actions, needs_review, reason, kind, recipient, created, due, sent, status, triaged_at, ruleset_version IS NOT NULL, withdrawn FROM letters_triage.letter_state",
	tracking_log => "SELECT id, logged_at, table_id, event, letters, sample_keys, detail FROM letters_triage.tracking_log",
	alert => "SELECT id, raised_at, kind, severity, table_id, table_name, recipient, scope, letter_key, subject, letters, urgent_letters, summary, last_raised_at, raise_count, acknowledged_at, acknowledged_by, ack_note, letters_at_ack, resolved_at, logged_at FROM letters_triage.alert",
	alert_letter => "SELECT alert_id, table_id, key, urgency, added_at, left_at FROM letters_triage.alert_letter",
	alert_tracking_log => "SELECT * FROM letters_triage.alert_tracking_log",
	'trust.outbound' => "SELECT * FROM trust.outbound",
	'trust.community' => "SELECT * FROM trust.\"Community Letters\"",
);

sub fingerprint
{
	my ($db, $name) = @_;
	return $node->safe_psql($db,
		"SET TimeZone = 'UTC'; SELECT count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '-') FROM ($q{$name}) r");
}

my %before = map { $_ => fingerprint('src', $_) } keys %q;
for my $t (qw(letter_state alert alert_letter tracking_log alert_tracking_log))
{
	unlike($before{$t}, qr/^0 /, "the source database has rows in $t ($before{$t})");
}

my $dump = $node->basedir . '/src.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('src'), '-f', $dump ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE dst');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dst'), $dump ], 'pg_restore');

for my $t (sort keys %q)
{
	is(fingerprint('dst', $t), $before{$t}, "$t comes back as it was");
}

# Shipped rows: not duplicated; the edited ones kept as edited.
is($node->safe_psql('dst', "SELECT count(*) FROM letters_triage.rule WHERE pattern = 'sepsis pathway'"), '1',
	'the DBA\'s rule is there once');
is($node->safe_psql('dst', "SELECT count(*) - count(DISTINCT (pattern, coalesce(action, ''), coalesce(urgency::text, ''))) FROM letters_triage.rule"),
	$node->safe_psql('src', "SELECT count(*) - count(DISTINCT (pattern, coalesce(action, ''), coalesce(urgency::text, ''))) FROM letters_triage.rule"),
	'no shipped rule is duplicated');
is($node->safe_psql('dst', "SELECT opens || '-' || closes FROM letters_triage.working_hours ORDER BY dump DESC LIMIT 1"), '08:30:00-18:00:00',
	'the changed working hours are kept');
is($node->safe_psql('dst', "SELECT amount FROM letters_triage.policy WHERE kind = 'discharge'"), '12',
	'the edited shipped policy is kept, once');
is($node->safe_psql('dst', "SELECT count(*) FROM letters_triage.rule WHERE NOT enabled"), '1',
	'the disabled shipped rule stays disabled');

# The triggers came back with the tables, and tracking continues.
is($node->safe_psql('dst', "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'letters_triage_%'"), '8',
	'the tracking triggers of both tables are restored');
$node->safe_psql('dst', q{
INSERT INTO trust.outbound VALUES (5000, 'Sepsis pathway follow-up. Please review.', '2024-10-21 09:00', NULL, 'A81001', 'discharge');
UPDATE trust.outbound SET sent = '2024-10-21 13:00' WHERE id = 1001;
INSERT INTO trust."Community Letters" VALUES ('C-3', E'Kind: community\n\nPodiatry review.', '2024-10-21 09:00', NULL);
});
is($node->safe_psql('dst', "SELECT urgency FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('trust.outbound') AND key = '5000'"),
	'immediate', 'a new letter is tracked and triaged with the DBA\'s restored rule');
is($node->safe_psql('dst', "SELECT status FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('trust.outbound') AND key = '1001'"),
	'sent_late', 'a restored letter sent now is recorded as sent late');
is($node->safe_psql('dst', "SELECT count(*) FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('trust.\"Community Letters\"')"),
	'3', 'the letter-typed table is tracked too');

# The checks go on from where they were: no duplicate of an open alert, and
# new ids follow the old ones.
my $open_before = $node->safe_psql('dst', 'SELECT count(*) FROM letters_triage.alert WHERE resolved_at IS NULL');
$node->safe_psql('dst', "SELECT count(*) FROM letters_triage.check_all('2024-10-21 12:00')");
is($node->safe_psql('dst', q{
SELECT count(*) FROM letters_triage.letter_state s
 WHERE s.status = 'overdue' AND (SELECT count(*) FROM letters_triage.letter_alert x
                                  WHERE x.kind = 'overdue' AND x.open
                                    AND x.table_id = s.table_id AND x.key = s.key) > 1}), '0',
	'no overdue letter is in two open alerts after the restore');
is($node->safe_psql('dst', q{
SELECT count(*) FROM letters_triage.alert a
 WHERE a.resolved_at IS NULL AND to_regclass(letters_triage.table_label(a.table_id)) IS NULL}), '0',
	'open alerts name the restored tables');
cmp_ok($node->safe_psql('dst', 'SELECT count(*) FROM letters_triage.alert WHERE resolved_at IS NULL'), '<=',
	$open_before + 2, 'the open alerts are the restored ones (and at most the new letters\' own)');
is($node->safe_psql('dst', q{
SELECT (SELECT max(id) FROM letters_triage.alert) >= (SELECT count(*) FROM letters_triage.alert)
   AND nextval('letters_triage.rule_id_seq') > (SELECT max(id) FROM letters_triage.rule)
   AND nextval('letters_triage.tracking_log_id_seq') > (SELECT max(id) FROM letters_triage.tracking_log)}),
	't', 'sequences continue after the restored rows');

# A second dump of the restored database restores again (nothing doubled).
my $dump2 = $node->basedir . '/dst.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('dst'), '-f', $dump2 ], 'pg_dump of the restored database');
$node->safe_psql('postgres', 'CREATE DATABASE dst2');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dst2'), $dump2 ], 'and its restore');
for my $t (qw(rule policy working_hours non_working_day letter_state alert))
{
	is(fingerprint('dst2', $t), fingerprint('dst', $t), "$t survives a second dump and restore");
}

$node->stop;
done_testing();
