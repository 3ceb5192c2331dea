# Tracking on a logical-replication subscriber.  A publisher and a subscriber,
# both with the extension and the same table watched: after every kind of
# change made on the publisher (the initial copy, INSERT, UPDATE of the body
# and of the sent column, DELETE, a key change, TRUNCATE, changes made while
# the subscription was disabled, a re-sync of the table) the subscriber's
# letter_state holds what the publisher's does.  A row that moves between
# partitions on the publisher arrives as a DELETE and an INSERT of its key in
# one transaction, and is one update, not a withdrawal.  Local writes on the
# subscriber are tracked once, watch() again keeps the trigger modes, and a
# table that becomes a subscription target after watch() is reported (an
# alert), not silently untracked.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $pub = PostgreSQL::Test::Cluster->new('publisher');
$pub->init(allows_streaming => 'logical');
$pub->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$pub->start;
my $sub = PostgreSQL::Test::Cluster->new('subscriber');
$sub->init;
$sub->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$sub->start;

my $tables = q{
	CREATE EXTENSION letters_triage;
	CREATE SCHEMA app;
	CREATE TABLE app.letters (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	CREATE TABLE app.later (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz);
	CREATE TABLE app.joined (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz);
};
$pub->safe_psql('postgres', $tables . q{
	-- partitioned by ward on the publisher (a row changing ward moves between
	-- partitions), published as the root; a plain table on the subscriber
	CREATE TABLE app.moves (id int, ward text, body text, created timestamptz, sent timestamptz,
	                        PRIMARY KEY (id, ward)) PARTITION BY LIST (ward);
	CREATE TABLE app.moves_a PARTITION OF app.moves FOR VALUES IN ('a');
	CREATE TABLE app.moves_b PARTITION OF app.moves FOR VALUES IN ('b');
	-- what the statement path makes of the same letters moved by an UPDATE
	CREATE TABLE app.moves_ref (id int PRIMARY KEY, ward text, body text, created timestamptz, sent timestamptz);
	SELECT letters_triage.watch('app.letters', 'body', 'created', 'sent', recipient => 'practice');
	SELECT letters_triage.watch('app.later', 'body', 'created', 'sent');
	SELECT letters_triage.watch('app.moves_ref', 'body', 'created', 'sent');
});
$sub->safe_psql('postgres', $tables . q{
	CREATE TABLE app.moves (id int PRIMARY KEY, ward text, body text, created timestamptz, sent timestamptz);
});

# A backlog on the publisher before the subscription: the initial copy.
my $backlog = q{
	INSERT INTO app.letters VALUES
	  (1, 'Seen in clinic for review of eczema. Continue emollients. No change to medication.', '2026-11-24 10:00+00', NULL, 'G82001'),
	  (2, 'Please arrange an urgent review today: suspected sepsis.', '2026-11-24 10:05+00', NULL, 'G82002'),
	  (3, 'Discharged home after an uncomplicated admission.', '2026-11-24 10:10+00', '2026-11-24 11:00+00', 'G82003'),
	  (4, 'Please stop warfarin and start apixaban 5 mg twice daily.', '2026-11-24 10:15+00', NULL, 'G82004'),
	  (5, 'Clinic letter. No change.', '2026-11-24 10:20+00', NULL, 'G82005'),
	  (6, 'Clinic letter. Repeat bloods in two weeks.', '2026-11-24 10:25+00', NULL, 'G82006');
	INSERT INTO app.moves VALUES
	  (1, 'a', 'Please arrange an urgent review today: suspected sepsis.', '2024-10-01 10:00+00', NULL),
	  (2, 'a', 'Clinic letter. No change.', '2024-10-01 10:00+00', NULL),
	  (3, 'a', 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL);
	INSERT INTO app.later VALUES (1, 'Clinic letter. No change.', '2026-11-24 10:00+00', NULL);
	INSERT INTO app.joined VALUES (1, 'Please arrange an urgent review today: suspected sepsis.', '2026-11-24 10:00+00', NULL);
};
$pub->safe_psql('postgres', $backlog);
$pub->safe_psql('postgres', q{
	INSERT INTO app.moves_ref SELECT * FROM app.moves;
});

# The subscriber watches app.letters and app.moves before the subscription
# exists, asking for the apply path (it cannot know yet that the tables will
# be subscription targets).
$sub->safe_psql('postgres', q{
	SELECT letters_triage.watch('app.letters', 'body', 'created', 'sent', recipient => 'practice',
	                            replicated => true);
	SELECT letters_triage.watch('app.moves', 'body', 'created', 'sent', replicated => true);
	SELECT letters_triage.watch('app.joined', 'body', 'created', 'sent');
});

my $pubconn = $pub->connstr . ' dbname=postgres';
$pub->safe_psql('postgres', q{
	CREATE PUBLICATION p_letters FOR TABLE app.letters, app.later;
	CREATE PUBLICATION p_moves FOR TABLE app.moves WITH (publish_via_partition_root = true);
});
$sub->safe_psql('postgres',
	"CREATE SUBSCRIPTION s CONNECTION '$pubconn' PUBLICATION p_letters, p_moves");
$sub->wait_for_subscription_sync($pub, 's');

# The rows of letter_state for a table (key, urgency, actions, deadline, sent,
# status, withdrawn or not, needs_review), one letter a line (but letter 1000,
# written on the subscriber only).
sub state
{
	my ($node, $tbl) = @_;
	return $node->safe_psql('postgres', qq{
		SELECT key, urgency, actions, due, sent, status, withdrawn IS NOT NULL, needs_review
		  FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('$tbl') AND key <> '1000' ORDER BY key});
}

# Run SQL on the publisher, wait for the subscriber, compare the states.
sub same_after
{
	my ($sql, $what) = @_;
	$pub->safe_psql('postgres', $sql) if $sql;
	$pub->wait_for_catchup('s');
	my $p = state($pub, 'app.letters');
	is(state($sub, 'app.letters'), $p, "subscriber's letter_state as the publisher's: $what");
	return $p;
}

my $copied = same_after(undef, 'the initial copy');
is(scalar(split /\n/, $copied), 6, 'the initial copy: six letters');

same_after(q{
	INSERT INTO app.letters VALUES
	  (7, 'Please arrange an urgent review today: suspected sepsis.', '2026-11-24 11:00+00', NULL, 'G82007'),
	  (8, 'Clinic letter. No change.', '2026-11-24 11:05+00', NULL, 'G82008');
	INSERT INTO app.letters VALUES (9, 'Clinic letter. No change.', '2026-11-24 11:10+00', NULL, 'G82009');
}, 'INSERT');

my $urg = same_after(q{
	UPDATE app.letters SET body = 'Please arrange an urgent review today: suspected sepsis.' WHERE id = 1;
}, 'UPDATE of the body');
like($urg, qr/^1\|(urgent|immediate)\|/m, 'the new body was triaged again');

my $sent = same_after(q{
	UPDATE app.letters SET sent = '2026-11-24 12:00+00' WHERE id = 5;
	UPDATE app.letters SET sent = '2026-12-01 12:00+00' WHERE id = 2;
}, 'UPDATE of the sent column');
like($sent, qr/^5\|.*\|sent\|f\|/m, 'a letter sent in time: sent');
like($sent, qr/^2\|.*\|sent_late\|f\|/m, 'a letter sent late: sent_late');

like(same_after(q{DELETE FROM app.letters WHERE id = 4;}, 'DELETE'),
	qr/^4\|.*\|withdrawn\|t\|/m, 'a deleted letter: withdrawn');

my $moved = same_after(q{UPDATE app.letters SET id = 60 WHERE id = 6;}, 'a key change');
like($moved, qr/^6\|.*\|withdrawn\|t\|/m, 'the old key: withdrawn');
like($moved, qr/^60\|.*\|waiting\|f\|/m, 'the new key: waiting');

same_after(q{
	BEGIN;
	INSERT INTO app.letters VALUES (10, 'Clinic letter. No change.', '2026-11-24 11:15+00', NULL, 'G82010');
	UPDATE app.letters SET body = 'Please arrange an urgent review today: suspected sepsis.' WHERE id = 10;
	UPDATE app.letters SET sent = '2026-11-24 11:30+00' WHERE id = 10;
	UPDATE app.letters SET sent = '2026-11-24 11:40+00' WHERE id = 9;
	DELETE FROM app.letters WHERE id = 9;
	COMMIT;
}, 'several changes of one letter in one transaction');

# The subscription disabled, changes on the publisher meanwhile, enabled again.
$sub->safe_psql('postgres', 'ALTER SUBSCRIPTION s DISABLE');
$sub->poll_query_until('postgres',
	q{SELECT count(*) = 0 FROM pg_stat_subscription WHERE subname = 's' AND pid IS NOT NULL})
  or die 'the apply worker did not stop';
$pub->safe_psql('postgres', q{
	INSERT INTO app.letters VALUES (11, 'Please stop warfarin and start apixaban 5 mg twice daily.', '2026-11-24 12:00+00', NULL, 'G82011');
	UPDATE app.letters SET sent = '2026-11-25 09:00+00' WHERE id = 7;
	DELETE FROM app.letters WHERE id = 8;
});
isnt(state($sub, 'app.letters'), state($pub, 'app.letters'), 'while disabled the subscriber is behind');
$sub->safe_psql('postgres', 'ALTER SUBSCRIPTION s ENABLE');
same_after(undef, 'the subscription disabled and enabled again');

my $truncated = same_after(q{
	TRUNCATE app.letters;
	INSERT INTO app.letters VALUES (1, 'Clinic letter. No change.', '2026-11-24 13:00+00', NULL, 'G82001');
}, 'TRUNCATE, then a key used again');
like($truncated, qr/^1\|routine\|.*\|waiting\|f\|/m, 'the key used again after the TRUNCATE: waiting');
like($truncated, qr/^11\|.*\|withdrawn\|t\|/m, 'a truncated letter: withdrawn');
is($sub->safe_psql('postgres', q{SELECT count(*) FROM letters_triage.tracking_log
	WHERE table_id = letters_triage.table_id('app.letters') AND event = 'truncate'}), '1', 'the TRUNCATE logged once');

# A row moving between partitions on the publisher: a DELETE and an INSERT of
# its key in one transaction on the subscriber, one update of the letter.
# Letters 1 and 2 are overdue on both sides before they move.
for my $n ($pub, $sub)
{
	$n->safe_psql('postgres', q{SELECT count(*) FROM letters_triage.check_overdue('2026-11-24 12:00+00')});
}
$pub->safe_psql('postgres', q{
	UPDATE app.moves SET ward = 'b' WHERE id IN (1, 2);
	UPDATE app.moves SET sent = '2026-11-25 10:00+00' WHERE id = 2;
	UPDATE app.moves_ref SET ward = 'b' WHERE id IN (1, 2);
	UPDATE app.moves_ref SET sent = '2026-11-25 10:00+00' WHERE id = 2;
});
$pub->wait_for_catchup('s');
my $ref = state($pub, 'app.moves_ref');
like($ref, qr/^1\|.*\|overdue\|f\|/m, 'reference: a moved overdue letter stays overdue');
like($ref, qr/^2\|.*\|sent_late\|f\|/m, 'reference: a moved overdue letter sent: sent_late');
is(state($sub, 'app.moves'), $ref, 'a row moved between partitions: one update, not a withdrawal');

# Local writes on the subscriber: tracked by the statement path, once (a
# letter without a creation time is logged as a problem once per tracking).
$sub->safe_psql('postgres', q{
	INSERT INTO app.letters VALUES (1000, 'Clinic letter. No change.', NULL, NULL, 'G82099');
	UPDATE app.letters SET sent = '2026-11-24 15:00+00' WHERE id = 1000;
});
is($sub->safe_psql('postgres', q{SELECT status FROM letters_triage.letter_state
	WHERE table_id = letters_triage.table_id('app.letters') AND key = '1000'}), 'sent', 'a local write on the subscriber: tracked');
is($sub->safe_psql('postgres', q{SELECT count(*) FROM letters_triage.tracking_log
	WHERE table_id = letters_triage.table_id('app.letters') AND event = 'problem'}), '2', 'a local write: tracked once per statement');
$pub->safe_psql('postgres', q{INSERT INTO app.letters VALUES (12, 'Clinic letter. No change.', NULL, NULL, 'G82012');});
$pub->wait_for_catchup('s');
is($sub->safe_psql('postgres', q{SELECT count(*) FROM letters_triage.tracking_log
	WHERE table_id = letters_triage.table_id('app.letters') AND event = 'problem'}), '3', 'a replicated insert: tracked once');

# watch() again keeps the modes a DBA chose (here, the statement triggers for
# every session), and the letters are still tracked once.
my $modes = q{SELECT string_agg(tgname || ':' || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger
	WHERE tgrelid = 'app.letters'::regclass AND NOT tgisinternal};
$sub->safe_psql('postgres', q{
	ALTER TABLE app.letters ENABLE ALWAYS TRIGGER letters_triage_insert;
	ALTER TABLE app.letters ENABLE ALWAYS TRIGGER letters_triage_truncate;
});
my $before = $sub->safe_psql('postgres', $modes);
$sub->safe_psql('postgres', q{
	SELECT letters_triage.watch('app.letters', 'body', 'created', 'sent', recipient => 'practice', backfill => false);
});
is($sub->safe_psql('postgres', $modes), $before, 'watch() again keeps the trigger modes');
like($before, qr/letters_triage_apply\w*:R/, 'the apply triggers fire in replica sessions');
same_after(q{
	INSERT INTO app.letters VALUES (13, 'Clinic letter. No change.', NULL, NULL, 'G82013');
	TRUNCATE app.letters;
}, 'with the statement triggers enabled always');
is($sub->safe_psql('postgres', q{SELECT count(*) FROM letters_triage.tracking_log
	WHERE table_id = letters_triage.table_id('app.letters') AND event IN ('problem', 'truncate')}), '6',
	'with the statement triggers enabled always: still tracked once');

# A table that is a subscription target when watch() runs gets the apply path
# without asking.
$sub->safe_psql('postgres', q{SELECT letters_triage.watch('app.later', 'body', 'created', 'sent');});
$pub->safe_psql('postgres', q{INSERT INTO app.later VALUES (2, 'Please arrange an urgent review today: suspected sepsis.', '2026-11-24 10:00+00', NULL);});
$pub->wait_for_catchup('s');
is(state($sub, 'app.later'), state($pub, 'app.later'), 'a subscription target watched: the apply path set up');
is($sub->safe_psql('postgres', q{SELECT string_agg(status, ',' ORDER BY tbl::text) FROM letters_triage.tracking_status}),
	'ok,ok,ok,ok', 'tracking_status: ok');

# A watched table that becomes a subscription target afterwards (app.joined,
# watched without the apply path) is reported, and check_tracking alerts.
$pub->safe_psql('postgres', q{ALTER PUBLICATION p_letters ADD TABLE app.joined});
$sub->safe_psql('postgres', q{ALTER SUBSCRIPTION s REFRESH PUBLICATION WITH (copy_data = true)});
$sub->wait_for_subscription_sync($pub, 's');
like($sub->safe_psql('postgres', q{SELECT status || ': ' || detail FROM letters_triage.tracking_status
	WHERE table_id = letters_triage.table_id('app.joined')}), qr/^replicated changes not tracked: .*subscription s.*watch\(\)/,
	'tracking_status: a subscription target without the apply path');
like($sub->safe_psql('postgres', q{SELECT string_agg(summary, ',') FROM letters_triage.check_tracking()
	WHERE event = 'raised'}), qr/app\.joined.*replicated changes not tracked/,
	'check_tracking alerts on it');
# watch() again sets it up, and its backfill triages what the copy brought
$sub->safe_psql('postgres', q{SELECT letters_triage.watch('app.joined', 'body', 'created', 'sent');});
is($sub->safe_psql('postgres', q{SELECT status FROM letters_triage.tracking_status WHERE table_id = letters_triage.table_id('app.joined')}),
	'ok', 'watched again: ok');
is($sub->safe_psql('postgres', q{SELECT count(*) FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('app.joined')}),
	'1', 'the copied letter backfilled');

# A re-sync of a table: dropped from the publication, its rows cleared on the
# subscriber (tracked locally: withdrawn), added again and copied again: the
# copy brings the letters back as they are on the publisher.
$pub->safe_psql('postgres', q{
	INSERT INTO app.letters VALUES (20, 'Please arrange an urgent review today: suspected sepsis.', '2026-11-24 14:00+00', NULL, 'G82020'),
	                               (21, 'Clinic letter. No change.', '2026-11-24 14:00+00', '2026-11-24 15:00+00', 'G82021');
	ALTER PUBLICATION p_letters DROP TABLE app.letters;
});
$pub->wait_for_catchup('s');
$sub->safe_psql('postgres', q{
	ALTER SUBSCRIPTION s REFRESH PUBLICATION;
	DELETE FROM app.letters;
});
like(state($sub, 'app.letters'), qr/^20\|.*\|withdrawn\|t\|/m, 'cleared on the subscriber: withdrawn');
$pub->safe_psql('postgres', q{ALTER PUBLICATION p_letters ADD TABLE app.letters});
$sub->safe_psql('postgres', q{ALTER SUBSCRIPTION s REFRESH PUBLICATION WITH (copy_data = true)});
$sub->wait_for_subscription_sync($pub, 's');
is(state($sub, 'app.letters'), state($pub, 'app.letters'), 'a re-sync: the copy tracked, the letters as on the publisher');

$sub->stop;
$pub->stop;
done_testing();
