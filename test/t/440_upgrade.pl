# Upgrades: for every version of the extension whose install script is
# installed (the released versions' scripts are kept in extension/ as
# letters_triage--X.sql, with upgrade scripts letters_triage--X--Y.sql), a
# database where that version was installed and then updated with ALTER
# EXTENSION letters_triage UPDATE must have the same catalog as a fresh
# install of the current version: compared as pg_dump --schema-only
# --binary-upgrade (which, unlike a plain dump, writes out every member object
# of the extension), with OIDs left out, and the shipped configuration rows.
#
# While no version is released (0.1), it checks that UPDATE is a no-op, and
# it tests the comparison itself with a made-up older version 0.0 written
# next to the installed scripts (when that directory is writable): with an
# upgrade script that does its job the catalogs agree; with one that forgets
# a change the difference is found.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $node = PostgreSQL::Test::Cluster->new('upgrade');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$node->start;

my $current = $node->safe_psql('postgres',
	"SELECT default_version FROM pg_available_extensions WHERE name = 'letters_triage'");
like($current, qr/^\d+\.\d+/, "the current version is $current");

my $dbn = 0;
# A database with the extension at version $from (undef: current), updated.
sub install
{
	my ($from) = @_;
	my $db = 'up' . $dbn++;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db,
		defined $from ? "CREATE EXTENSION letters_triage VERSION '$from'" : 'CREATE EXTENSION letters_triage');
	$node->safe_psql($db, 'ALTER EXTENSION letters_triage UPDATE') if defined $from;
	return $db;
}

# The catalog of the extension in $db, as text without OIDs.
sub catalog
{
	my ($db) = @_;
	my ($stdout, $stderr);
	IPC::Run::run([ 'pg_dump', '--schema-only', '--binary-upgrade', '-d', $node->connstr($db) ],
		'>', \$stdout, '2>', \$stderr) or die "pg_dump failed: $stderr";
	my @lines = grep {
		!/^--/ && !/^\s*$/ && !/binary_upgrade_set_next_/ && !/relfrozenxid/ && !/^\\(un)?restrict /
	} split /\n/, $stdout;
	for (@lines)
	{
		s/'\{[0-9,]*\}'/'{oids}'/g;    # the config tables' OIDs
		s/'\d{4,}'/'N'/g;                # other OIDs (pg_class rows fixed up in binary-upgrade mode)
	}
	# and the shipped configuration rows, which a schema dump leaves out
	for my $t (qw(rule modifier section policy working_hours non_working_day alert_config))
	{
		push @lines, "$t: " . $node->safe_psql($db,
			"SELECT count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '-') FROM letters_triage.$t r");
	}
	return join("\n", @lines) . "\n";
}

sub first_difference
{
	my ($a, $b) = @_;
	my @a = split /\n/, $a;
	my @b = split /\n/, $b;
	for my $i (0 .. ($#a > $#b ? $#a : $#b))
	{
		my ($x, $y) = ($a[$i] // '(end)', $b[$i] // '(end)');
		return "line $i: fresh: $x\n   updated: $y" if $x ne $y;
	}
	return '';
}

my $fresh = catalog(install(undef));
cmp_ok(length($fresh), '>', 10000, 'the catalog of a fresh install is dumped');

# ALTER EXTENSION UPDATE on the current version: nothing to do, nothing changes.
my $db = install(undef);
my ($ret, $out, $err) = $node->psql($db, 'ALTER EXTENSION letters_triage UPDATE');
is($ret, 0, 'ALTER EXTENSION letters_triage UPDATE on the current version succeeds');
like($err, qr/already installed/, '... and says the version is already installed');
is(catalog($db), $fresh, '... and changes nothing');

# Every released version: install it, update, compare.
my @released = split /\n/, $node->safe_psql('postgres',
	"SELECT version FROM pg_available_extension_versions WHERE name = 'letters_triage' AND version <> '$current' ORDER BY version");
note('released versions with an install script: ' . (@released ? join(', ', @released) : 'none yet'));
for my $v (@released)
{
	my $path = $node->safe_psql('postgres',
		"SELECT count(*) FROM pg_extension_update_paths('letters_triage') WHERE source = '$v' AND target = '$current' AND path IS NOT NULL");
	is($path, '1', "there is an update path from $v to $current");
	my $c = catalog(install($v));
	is($c, $fresh, "$v updated to $current has the catalog of a fresh install")
	  or diag(first_difference($fresh, $c));
}

# The comparison itself, with a made-up version 0.0 next to the installed scripts.
my $sharedir = $node->safe_psql('postgres', "SELECT setting FROM pg_config WHERE name = 'SHAREDIR'");
my $extdir = "$sharedir/extension";
my $script = "$extdir/letters_triage--$current.sql";
SKIP:
{
	skip "$extdir is not writable (a system installation)", 4 unless -w $extdir && -r $script;
	my $old = "$extdir/letters_triage--0.0.sql";
	my $up = "$extdir/letters_triage--0.0--$current.sql";
	my $body = slurp_file($script);
	# 0.0 had a function and a rule that the current version no longer has
	open(my $fh, '>', $old) or die $!;
	print $fh $body, "\nCREATE FUNCTION \@extschema\@.obsolete() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';\n",
	  "INSERT INTO \@extschema\@.policy (urgency, kind, amount, unit, note, dump) VALUES (NULL, 'obsolete', 1, 'days', 'obsolete', false);\n";
	close $fh;

	open($fh, '>', $up) or die $!;
	print $fh "DROP FUNCTION \@extschema\@.obsolete();\nDELETE FROM \@extschema\@.policy WHERE kind = 'obsolete';\n",
	  "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('\@extschema\@.policy', 'id'), 7);\n";
	close $fh;
	my $c = catalog(install('0.0'));
	is($c, $fresh, 'a made-up 0.0 with a correct upgrade script compares equal')
	  or diag(first_difference($fresh, $c));

	open($fh, '>', $up) or die $!;
	print $fh "DELETE FROM \@extschema\@.policy WHERE kind = 'obsolete';\n",
	  "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('\@extschema\@.policy', 'id'), 7);\n";
	close $fh;
	$c = catalog(install('0.0'));
	isnt($c, $fresh, 'an upgrade script that forgets to drop a function is caught');
	like(first_difference($fresh, $c), qr/obsolete/, '... at the forgotten function');

	open($fh, '>', $up) or die $!;
	print $fh "DROP FUNCTION \@extschema\@.obsolete();\n";
	close $fh;
	$c = catalog(install('0.0'));
	like(first_difference($fresh, $c), qr/policy/, 'one that forgets a shipped row is caught');

	unlink $old, $up;
}

$node->stop;
done_testing();
