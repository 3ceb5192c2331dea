# The trust's validation kit (test/validate) end to end: it scores a labelled
# CSV inside the database, as a role with nothing but USAGE on the schema,
# prints the figures and lists the letters it got wrong with their evidence,
# leaves nothing behind, and refuses what it cannot score.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $src = $ENV{LT_SRC} // '.';
my $node = PostgreSQL::Test::Cluster->new('validate');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
	CREATE DATABASE trust;
	CREATE DATABASE bare;
	CREATE ROLE cso LOGIN;
});
$node->safe_psql('trust', q{
	CREATE EXTENSION letters_triage;
	GRANT USAGE ON SCHEMA letters_triage TO cso;
});

my $dir = PostgreSQL::Test::Utils::tempdir;
sub write_csv {
	my ($name, @rows) = @_;
	my $f = "$dir/$name";
	open my $fh, '>', $f or die "$f: $!";
	print $fh "id,kind,urgency,actions,letter\n";
	for my $r (@rows) {
		print $fh join(',', map { my $v = $_; $v =~ s/"/""/g; qq{"$v"} } @$r), "\n";
	}
	close $fh;
	chmod 0644, $f;
	return $f;
}
# Three labelled letters; the third is labelled routine on purpose although it
# reports the patient's death: the kit must show that disagreement, with the
# evidence that made the classifier say so.
my $csv = write_csv('sample.csv',
	[ 'V1', 'outpatient', 'immediate', 'medication;test',
	  "Dear Dr Shah,\nHer INR is 9.1. Please stop warfarin today and recheck.\nYours sincerely" ],
	[ 'V2', 'outpatient', 'routine', '',
	  "Dear Dr Shah,\nI saw Mr Cole in clinic. His asthma is well controlled and no changes are needed. "
	  . "We will see him again in a year.\nYours sincerely" ],
	[ 'V3', 'community', 'routine', '',
	  "Dear Dr Shah,\nI am sorry to inform you that Mrs Ada Lee died at home this morning. Her death was "
	  . "verified by the district nurse at 07:40.\nYours sincerely" ]);

sub kit {
	my ($db, $user, @args) = @_;
	my ($out, $err);
	my $ok = IPC::Run::run([ 'bash', "$src/test/validate", @args, '-d', $db, '-U', $user ],
		'>', \$out, '2>', \$err,
		init => sub { $ENV{PGHOST} = $node->host; $ENV{PGPORT} = $node->port; });
	return ($ok, $out // '', $err // '');
}

my $before = $node->safe_psql('trust',
	q{SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	   WHERE n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast%'});
my ($ok, $out, $err) = kit('trust', 'cso', $csv);
ok($ok, 'the kit runs as a role with only USAGE on the schema') or diag($err);
my ($score) = $out =~ /^(SCORE .*)$/m;
ok(defined $score, 'it ends with a SCORE line') or diag($out);
$score //= '';
like($score, qr/exact_urgency=0\.667\b/, 'exact urgency: 2 of 3 letters agree with their labels');
like($score, qr/urgent_recall=1\.000\b/, 'the one urgent-or-immediate letter was found');
like($score, qr/urgent_precision=0\.500\b/, 'precision counts the mislabelled death as a false alarm');
like($score, qr/immediate_as_routine=0\b/, 'no immediate letter called routine');
like($out, qr/95% CI/, 'recall and precision come with their confidence intervals');
like($out, qr/^\s*V3\s*\|\s*routine\s*\|\s*immediate\s*\|/m, 'the disagreeing letter is listed with label and verdict');
like($out, qr/^\s*V3\s*\|\s*death\s*\|\s*immediate\s*\|\s*t\s*\|/m, '... with the evidence that counted');
unlike($out, qr/^\s*V1\s*\|/m, 'a letter that agrees with its label is not listed');
is($node->safe_psql('trust',
	q{SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	   WHERE n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast%'}),
	$before, 'the letters were loaded into temporary tables only: no relation left behind');

($ok, $out, $err) = kit('trust', 'cso', '-q', $csv);
ok($ok && $out =~ /^SCORE /m && $out !~ /^\s*V3\s*\|/m, '-q prints the figures without the letters');

my $bad = write_csv('bad.csv', [ 'B1', 'other', 'asap', '', 'Please call.' ],
	[ 'B2', 'other', 'routine', 'phone', 'Information only.' ]);
($ok, $out, $err) = kit('trust', 'cso', $bad);
ok(!$ok, 'a CSV with an unknown urgency or action is refused');
like($out . $err, qr/B1.*\n.*B2|cannot be scored/s, '... naming the rows it cannot score');

($ok, $out, $err) = kit('bare', 'cso', $csv);
ok(!$ok && $err =~ /not installed/, 'a database without the extension is refused with a clear message');

$node->stop;
done_testing();
