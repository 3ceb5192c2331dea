# Tracking switched off for every session by the server's own default: with
# session_replication_role = replica in postgresql.conf or by ALTER SYSTEM,
# no session fires the tracking triggers (ORIGIN triggers).  tracking_status
# says so and check_tracking raises a tracking_error alert, as it does for a
# role or database setting; the extension's event triggers still fire (they
# are enabled ALWAYS), so DROP EXTENSION stays guarded.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('replica_default');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
CREATE EXTENSION letters_triage;
CREATE TABLE outbox (id bigint PRIMARY KEY, body text NOT NULL, written timestamptz NOT NULL, posted timestamptz);
SELECT letters_triage.watch('outbox', body => 'body', created => 'written', sent => 'posted');
CREATE TABLE kept (id integer PRIMARY KEY, body letters_triage.letter);
});
is($node->safe_psql('postgres', q{SELECT status FROM letters_triage.tracking_status WHERE tbl = 'outbox'::regclass}),
	'ok', 'tracking is on');

$node->safe_psql('postgres', q{ALTER SYSTEM SET session_replication_role = replica});
$node->reload;
$node->poll_query_until('postgres', q{SELECT current_setting('session_replication_role') = 'replica'})
  or die 'the setting was not reloaded';

$node->safe_psql('postgres', q{INSERT INTO outbox VALUES (1, 'Please repeat her bloods within 48 hours.', now())});
is($node->safe_psql('postgres', q{SELECT count(*) FROM letters_triage.letter_state}), '0',
	'a session with the server default replica does not track');
like($node->safe_psql('postgres', q{SELECT status || ': ' || detail FROM letters_triage.tracking_status WHERE tbl = 'outbox'::regclass}),
	qr/^off in replica sessions: .*the server's default \(postgresql\.conf or ALTER SYSTEM\)/,
	'tracking_status names the server default');
is($node->safe_psql('postgres', q{SELECT count(*) FROM letters_triage.check_tracking() WHERE kind = 'tracking_error' AND event = 'raised'}),
	'1', 'check_tracking raises a tracking_error alert');

my ($rc, $out, $err) = $node->psql('postgres', q{DROP EXTENSION letters_triage CASCADE});
like($err, qr/cannot drop extension letters_triage/, 'DROP EXTENSION is still refused in replica sessions');

$node->safe_psql('postgres', q{ALTER SYSTEM RESET session_replication_role});
$node->reload;
$node->poll_query_until('postgres', q{SELECT current_setting('session_replication_role') = 'origin'})
  or die 'the setting was not reloaded';
is($node->safe_psql('postgres', q{SELECT status FROM letters_triage.tracking_status WHERE tbl = 'outbox'::regclass}),
	'ok', 'tracking is on again');
$node->stop;
done_testing();
