# The letter-flow generator (test/gen/letters.pl) at small scale: deterministic
# for a seed, the volume and mix asked for, valid NHS numbers and ODS codes,
# weekday/hour patterns, and output that PostgreSQL's COPY reads as it is.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use File::Spec;
use IPC::Run;
use Time::Local ();

my $src = $ENV{LT_SRC} // '.';
my $gen = "$src/test/gen/letters.pl";

sub gen {
	my @args = @_;
	my ($out, $err);
	my $ok = IPC::Run::run([ $^X, $gen, @args ], '>', \$out, '2>', \$err);
	return ($ok, $out, $err);
}

# RFC 4180 CSV (fields may hold quotes, commas and newlines) into rows of fields.
sub parse_csv {
	my ($text) = @_;
	my (@rows, @row, $field);
	pos($text) = 0;
	while (pos($text) < length $text) {
		if ($text =~ /\G"((?:[^"]|"")*)"/gc) { ($field = $1) =~ s/""/"/g }
		elsif ($text =~ /\G([^",\n]*)/gc) { $field = $1 }
		push @row, $field;
		if ($text =~ /\G,/gc) { next }
		elsif ($text =~ /\G\n/gc) { push @rows, [@row]; @row = () }
		elsif (pos($text) < length $text) { die 'malformed CSV at offset ' . pos($text) }
	}
	push @rows, [@row] if @row;
	return @rows;
}

sub mod11_ok {
	my ($n) = @_;
	return 0 unless $n =~ /^\d{10}$/;
	my @d = split //, $n;
	my $sum = 0;
	$sum += $d[$_] * (10 - $_) for 0 .. 8;
	my $c = 11 - $sum % 11;
	$c = 0 if $c == 11;
	return $c != 10 && $c == $d[9];
}

my @opts = ('--seed', 7, '--weeks', 2, '--per-week', 1500, '--practices', 40, '--start', '2024-10-21');
my ($ok, $csv, $err) = gen(@opts);
ok($ok, 'generator runs') or diag($err);
my ($ok2, $csv2) = gen(@opts);
ok($ok2 && $csv eq $csv2, 'same seed, same options: byte-identical output');
my (undef, $csv3) = gen(@opts[2 .. $#opts], '--seed', 8);
isnt($csv3, $csv, 'another seed gives another flow');
my ($bad) = gen('--weeks', 'x');
ok(!$bad, 'invalid options are refused');

my @rows = parse_csv($csv);
my $head = shift @rows;
is(join(',', @$head), 'id,created,sent,practice,nhs_number,kind,urgency,actions,letter', 'CSV header');
is(scalar(grep { @$_ != 9 } @rows), 0, 'every row has nine fields');
my $n = @rows;
ok($n > 2 * 1500 * 0.85 && $n < 2 * 1500 * 1.15, "volume about 1,500 a week ($n in two weeks)");
is_deeply([ map { $_->[0] } @rows ], [ 1 .. $n ], 'ids run 1..n');
my @created = map { $_->[1] } @rows;
is_deeply(\@created, [ sort @created ], 'rows are in order of creation');

is(scalar(grep { !mod11_ok($_->[4]) } @rows), 0, 'every NHS number has a valid Modulus 11 check digit');
my %practice = map { $_->[3] => 1 } @rows;
is(scalar(grep { !/^[A-Z]\d{5}$/ } keys %practice), 0, 'every practice is an ODS code (one letter, five digits)');
ok(keys(%practice) > 30 && keys(%practice) <= 40, 'letters spread over the practices asked for');

my (%kind, %urg);
$kind{ $_->[5] }++ for @rows;
$urg{ $_->[6] }++ for @rows;
is_deeply([ sort keys %kind ], [qw(community death discharge outpatient result)], 'all five kinds occur');
ok($kind{outpatient} > $kind{death} * 5 && $kind{discharge} > $kind{death} * 5, 'deaths are a small share');
my $urgent = ($urg{urgent} // 0) + ($urg{immediate} // 0);
my $share = $urgent / $n;
ok($share > 0.06 && $share < 0.14, sprintf('about one letter in ten needs urgent follow-up (%.3f)', $share));
ok(($urg{soon} // 0) > $urgent && ($urg{routine} // 0) > ($urg{soon} // 0), 'routine > soon > urgent+immediate');
is(scalar(grep { $_->[5] eq 'death' && ($_->[6] ne 'immediate' || $_->[7] !~ /^death/) } @rows), 0,
	'death notifications are immediate with the death action');
my %act_ok = map { $_ => 1 } qw(death medication review referral test safeguarding);
is(scalar(grep { grep { !$act_ok{$_} } split /;/, $_->[7] } @rows), 0, 'actions use the six codes only');
ok(scalar(grep { $_->[7] eq '' } @rows) > $n * 0.1, 'some letters are information only');

# Weekday and hour patterns (local time as written, with its UTC offset).
my (%wd, %office);
for (@rows) {
	my ($y, $m, $d, $h) = $_->[1] =~ /^(\d{4})-(\d\d)-(\d\d) (\d\d):\d\d:\d\d[+-]\d\d$/ or next;
	my $t = Time::Local::timegm(0, 0, 12, $d, $m - 1, $y);
	my $w = (gmtime $t)[6];
	$wd{ ($w == 0 || $w == 6) ? 'weekend' : 'weekday' }++;
	$office{ ($h >= 8 && $h < 18) ? 'in' : 'out' }++;
}
is(($wd{weekday} // 0) + ($wd{weekend} // 0), $n, 'every created time is a timestamp with offset');
ok($wd{weekday} / 10 > 4 * $wd{weekend} / 4, 'far more letters on a weekday than on a weekend day');
ok($office{in} > 3 * $office{out}, 'most letters are created in office hours');

# Bodies: varied, with header blocks on some and the trap phrases among them.
my $with_header = grep { $_->[8] =~ /^Letter-Id: .*\nNHS-Number: [\d ]+\nTo: [A-Z]\d{5}\n/ } @rows;
ok($with_header > $n * 0.2 && $with_header < $n * 0.45, "about a third carry a header block ($with_header)");
my $header_nhs_ok = grep {
	my ($h) = $_->[8] =~ /^NHS-Number: ([\d ]+)$/m;
	defined $h && ($h =~ s/ //gr) eq $_->[4]
} grep { $_->[8] =~ /^Letter-Id:/ } @rows;
is($header_nhs_ok, $with_header, 'the header NHS number is the patient\'s');
my %bodies = map { $_->[8] => 1 } @rows;
is(scalar(keys %bodies), $n, 'no two letters are the same');
my $routine_urgentish = grep { $_->[6] eq 'routine' && $_->[8] =~ /urgent|safeguarding|cancer|died/i } @rows;
ok($routine_urgentish > $n * 0.05, "routine letters contain trap words ($routine_urgentish)");

# PostgreSQL reads both formats as they are, to the same rows.
my $node = PostgreSQL::Test::Cluster->new('gen');
$node->init;
$node->start;
my $cols = 'id bigint primary key, created timestamptz not null, sent timestamptz not null, practice text, '
  . 'nhs_number text, kind text, urgency text, actions text, letter text';
$node->safe_psql('postgres', "CREATE TABLE g_csv ($cols); CREATE TABLE g_copy ($cols)");
my (undef, $copy) = gen(@opts, '--format', 'copy');
# absolute: the server reads it (PostgreSQL 17's tempdir() is relative to the test's directory)
my $dir = File::Spec->rel2abs(PostgreSQL::Test::Utils::tempdir());
PostgreSQL::Test::Utils::append_to_file("$dir/flow.csv", $csv);
PostgreSQL::Test::Utils::append_to_file("$dir/flow.copy", $copy);
$node->safe_psql('postgres', "COPY g_csv FROM '$dir/flow.csv' WITH (FORMAT csv, HEADER true)");
$node->safe_psql('postgres', "COPY g_copy FROM '$dir/flow.copy'");
is($node->safe_psql('postgres', 'SELECT count(*) FROM g_csv'), $n, 'COPY CSV loads every letter');
is($node->safe_psql('postgres',
	"SELECT count(*) FROM (SELECT id, created, sent, practice, nhs_number, kind, urgency, coalesce(actions, ''), letter FROM g_csv
	  EXCEPT SELECT id, created, sent, practice, nhs_number, kind, urgency, coalesce(actions, ''), letter FROM g_copy) d"),
	0, 'the text COPY format holds the same rows');
is($node->safe_psql('postgres', "SELECT count(*) FROM g_csv WHERE letter !~ '\\n\$' OR sent <= created"), 0,
	'letters end with a newline and are sent after creation');
$node->stop;
done_testing();
