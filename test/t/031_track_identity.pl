# A watched table's identity is the extension's own, not an OID: partial
# dumps (pg_dump -t, --exclude-table, -n) restore into a fresh database with
# the other tables' state intact and nothing silently lost; a dropped
# table's history keeps its name; a new table gets no history it did not
# make, even when a tracking trigger carrying another table's identity is put
# on it, or when it takes a dropped table's name.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('ident');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', q{
	CREATE EXTENSION letters_triage;
	CREATE SCHEMA app;
	CREATE SCHEMA other;
	CREATE TABLE app.a (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	CREATE TABLE app.b (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	CREATE TABLE other.c (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	SELECT letters_triage.watch('app.a', 'body', 'created', 'sent', recipient => 'practice');
	SELECT letters_triage.watch('app.b', 'body', 'created', 'sent', recipient => 'practice');
	SELECT letters_triage.watch('other.c', 'body', 'created', 'sent', recipient => 'practice');
	INSERT INTO app.a SELECT i, 'Seen in clinic. Please start ramipril.', '2026-11-02 10:00+00', NULL, 'G8200' || i
	  FROM generate_series(1, 5) i;
	INSERT INTO app.b SELECT i, 'Discharge summary.', '2026-11-02 10:00+00', '2026-11-20 10:00+00', 'G8300' || i
	  FROM generate_series(1, 4) i;
	INSERT INTO other.c SELECT i, 'Clinic letter.', '2026-11-02 10:00+00', '2026-11-30 10:00+00', 'G82001'
	  FROM generate_series(1, 3) i;
	TRUNCATE app.b;    -- logged in tracking_log
});

# Each table's state, by the name its identity records.
my $state = q{
	SELECT w.name, count(*), string_agg(s.key || ':' || s.status, ',' ORDER BY s.key)
	  FROM letters_triage.letter_state s JOIN letters_triage.watched w ON w.id = s.table_id
	 GROUP BY w.name ORDER BY w.name
};
my $log = q{
	SELECT w.name, l.event, l.letters FROM letters_triage.tracking_log l
	  JOIN letters_triage.watched w ON w.id = l.table_id ORDER BY l.id
};
my $state_before = $node->safe_psql('src', $state);
my $log_before = $node->safe_psql('src', $log);
like($state_before, qr/^app\.a\|5\|.*\napp\.b\|4\|.*\nother\.c\|3\|/, 'the source tracks three tables');
like($log_before, qr/^app\.b\|truncate\|0$/, 'and logged the TRUNCATE');

sub restore_into
{
	my ($db, $dump, $what, $setup) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, $setup) if $setup;
	my $ok = $node->run_log([ 'pg_restore', '--exit-on-error', '-d', $node->connstr($db), $dump ]);
	ok($ok, "$what: pg_restore without errors");
}

# --- pg_dump --exclude-table: one watched table left out.
my $dump = $node->basedir . '/excl.dump';
$node->command_ok([ 'pg_dump', '-Fc', '--exclude-table=app.b', '-f', $dump, '-d', $node->connstr('src') ],
	'pg_dump --exclude-table');
restore_into('excl', $dump, '--exclude-table');
is($node->safe_psql('excl', $state), $state_before,
	'--exclude-table: the state of every table comes back, the left-out one\'s by its name');
is($node->safe_psql('excl', $log), $log_before, '--exclude-table: the tracking log comes back');
is($node->safe_psql('excl', q{SELECT status, table_name FROM letters_triage.tracking_status WHERE status <> 'ok'}),
	'table missing|app.b', '--exclude-table: tracking_status names the missing table by its recorded name');
like($node->safe_psql('excl', q{SELECT detail FROM letters_triage.tracking_status WHERE table_name = 'app.b'}),
	qr/watched table app\.b \(identity \d+\) does not exist/, 'and says what to do');
$node->safe_psql('excl', q{
	INSERT INTO app.a VALUES (6, 'After the restore.', '2026-11-03 10:00+00', NULL, 'G82006');
	UPDATE app.a SET sent = '2026-11-20 11:00+00' WHERE id = 1;
	INSERT INTO other.c VALUES (4, 'After the restore.', '2026-11-03 10:00+00', NULL, 'G82001');
});
is($node->safe_psql('excl', q{
	SELECT string_agg(s.key || ':' || s.status, ',' ORDER BY s.key) FROM letters_triage.letter_state s
	 WHERE s.table_id = letters_triage.table_id('app.a') AND s.key IN ('1', '6')}),
	'1:sent_late,6:waiting', '--exclude-table: the restored tables go on being tracked under their identity');
my $alerts = $node->safe_psql('excl', q{
	SELECT count(*) FROM letters_triage.check_tracking();
	SELECT summary FROM letters_triage.alert WHERE kind = 'tracking_error' AND resolved_at IS NULL AND summary LIKE '%app.b%'});
like($alerts, qr/app\.b/, '--exclude-table: check_tracking raises a tracking_error naming the missing table');

# --- pg_dump -t: one watched table, with the extension's tables.
$dump = $node->basedir . '/t.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-t', 'app.a', '-t', 'letters_triage.*', '-f', $dump, '-d', $node->connstr('src') ],
	'pg_dump -t');
# (pg_dump -t dumps neither the extension nor the table's schema)
restore_into('tonly', $dump, '-t', 'CREATE EXTENSION letters_triage; CREATE SCHEMA app');
is($node->safe_psql('tonly', $state), $state_before, '-t: every table\'s state comes back');
is($node->safe_psql('tonly', q{SELECT table_name, status FROM letters_triage.tracking_status ORDER BY 1}),
	"app.a|ok\napp.b|table missing\nother.c|table missing", '-t: the table restored is tracked, the others reported');
$node->safe_psql('tonly', q{
	CREATE TABLE app.d (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz);
	SELECT letters_triage.watch('app.d', 'body', 'created', 'sent');
});
is($node->safe_psql('tonly', q{SELECT letters_triage.table_id('app.d') > max(id) FILTER (WHERE name <> 'app.d') FROM letters_triage.watched}),
	't', '-t: a table watched after the restore gets a new identity');

# --- pg_dump -n: one schema, without the extension's state: the restored
# triggers carry identities that this database gives to other tables.
$dump = $node->basedir . '/n.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-n', 'other', '-f', $dump, '-d', $node->connstr('src') ], 'pg_dump -n');
$node->safe_psql('postgres', 'CREATE DATABASE nonly');
$node->safe_psql('nonly', q{
	CREATE EXTENSION letters_triage;
	CREATE SCHEMA mine;
	CREATE TABLE mine.x (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	CREATE TABLE mine.y (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	CREATE TABLE mine.z (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	SELECT letters_triage.watch('mine.x', 'body', 'created', 'sent');
	SELECT letters_triage.watch('mine.y', 'body', 'created', 'sent');
	SELECT letters_triage.watch('mine.z', 'body', 'created', 'sent');
	INSERT INTO mine.z VALUES (1, 'Mine.', '2026-11-02 10:00+00', NULL, NULL);
});
my $nstate = $node->safe_psql('nonly', $state);
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('nonly'), $dump ], '-n: pg_restore without errors');
is($node->safe_psql('src', q{SELECT letters_triage.table_id('other.c')}),
	$node->safe_psql('nonly', q{SELECT letters_triage.table_id('mine.z')}),
	'-n: the restored table\'s triggers carry an identity this database gives to another table');
$node->safe_psql('nonly', q{INSERT INTO other.c VALUES (10, 'Restored elsewhere.', '2026-11-03 10:00+00', NULL, NULL)});
is($node->safe_psql('nonly', $state), $nstate, '-n: its changes are not written into the other table\'s history');
is($node->safe_psql('nonly', q{SELECT status FROM letters_triage.tracking_status WHERE tbl = 'other.c'::regclass}),
	'not watched', '-n: tracking_status reports its triggers');
$node->safe_psql('nonly', q{SELECT letters_triage.watch('other.c', 'body', 'created', 'sent')});
is($node->safe_psql('nonly', q{
	SELECT count(*) FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('other.c')}),
	'4', '-n: watched again, it has an identity of its own');

# --- A dropped table: its history keeps its name; a new table of that name
# (or with that OID) starts with none.
$node->safe_psql('src', q{DROP TABLE other.c});
is($node->safe_psql('src', q{
	SELECT w.name, w.ended_by, count(s.*), count(*) FILTER (WHERE s.status = 'sent_late')
	  FROM letters_triage.watched w JOIN letters_triage.letter_state s ON s.table_id = w.id
	 WHERE w.name = 'other.c' GROUP BY 1, 2}),
	'other.c|drop|3|3', 'a dropped table\'s history is kept under its name');
my $late = $node->safe_psql('src', q{
	SELECT count(*) FROM letters_triage.check_sent_late('2026-12-01 12:00+00');
	SELECT summary FROM letters_triage.alert WHERE kind = 'sent_late' AND summary LIKE '%other.c%'});
like($late, qr/other\.c/, 'alert texts name a dropped table by its name');
unlike($late, qr/from \d+ /, 'not by an OID');

$node->safe_psql('src', q{
	CREATE TABLE other.c (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	INSERT INTO other.c VALUES (1, 'A new table.', '2026-11-02 10:00+00', NULL, NULL);
});
is($node->safe_psql('src', q{SELECT letters_triage.table_id('other.c') IS NULL}), 't',
	'a new table with a dropped table\'s name is not watched');
$node->safe_psql('src', q{SELECT letters_triage.watch('other.c', 'body', 'created', 'sent')});
is($node->safe_psql('src', q{
	SELECT string_agg(key || ':' || status, ',') FROM letters_triage.letter_state
	 WHERE table_id = letters_triage.table_id('other.c')}),
	'1:waiting', 'watched, it starts with no history but its own');

# A new table given a tracking trigger that carries the dropped table's
# identity (what reusing its OID would have given it): nothing recorded.
my $old_id = $node->safe_psql('src', q{SELECT id FROM letters_triage.watched WHERE name = 'other.c' AND ended IS NOT NULL});
$node->safe_psql('src', qq{
	CREATE TABLE other.reused (id int PRIMARY KEY, body text, created timestamptz, sent timestamptz, practice text);
	CREATE TRIGGER letters_triage_insert AFTER INSERT ON other.reused REFERENCING NEW TABLE AS letters_triage_new
	    FOR EACH STATEMENT EXECUTE FUNCTION letters_triage.track('$old_id', 'id', 'body', 'created', 'sent', 'practice', '', '');
	INSERT INTO other.reused VALUES (77, 'Not the dropped table.', '2026-11-02 10:00+00', NULL, NULL);
});
is($node->safe_psql('src', qq{SELECT count(*) FROM letters_triage.letter_state WHERE table_id = $old_id}),
	'3', 'a trigger carrying a dropped table\'s identity adds nothing to its history');
is($node->safe_psql('src', q{SELECT status FROM letters_triage.tracking_status WHERE tbl = 'other.reused'::regclass}),
	'not watched', 'and tracking_status reports it');

# A rename keeps the identity and the history, and records the new name.
my $id_a = $node->safe_psql('src', q{SELECT letters_triage.table_id('app.a')});
$node->safe_psql('src', q{
	ALTER TABLE app.a RENAME TO a2;
	ALTER SCHEMA app RENAME TO app2;
	INSERT INTO app2.a2 VALUES (9, 'After the renames.', '2026-11-03 10:00+00', NULL, 'G82009');
});
is($node->safe_psql('src', q{SELECT id || ' ' || name FROM letters_triage.watched WHERE ended IS NULL AND id = letters_triage.table_id('app2.a2')}),
	"$id_a app2.a2", 'a renamed table keeps its identity, under its new name');
is($node->safe_psql('src', qq{SELECT count(*) FROM letters_triage.letter_state WHERE table_id = $id_a}),
	'6', 'and its history, with the letter inserted after the renames');

$node->stop;
done_testing();
