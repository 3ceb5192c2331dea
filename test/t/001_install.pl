# The extension installs in a fresh cluster, survives a restart, and its
# library loads from shared_preload_libraries.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('main');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$node->start;

$node->safe_psql('postgres', 'CREATE EXTENSION letters_triage');
my $v = $node->safe_psql('postgres',
	"SELECT letters_triage.version() = extversion FROM pg_extension WHERE extname = 'letters_triage'");
is($v, 't', 'library version matches the install script');

$node->restart;
is($node->safe_psql('postgres', 'SELECT letters_triage.version() IS NOT NULL'),
	't', 'extension works after a restart with the library preloaded');

my ($ret, $out, $err) = $node->psql('postgres', 'CREATE EXTENSION letters_triage');
isnt($ret, 0, 'a second CREATE EXTENSION fails');
like($err, qr/already exists/, '... saying the extension already exists');

$node->stop;
done_testing();
