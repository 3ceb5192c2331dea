# test/hazard-check, the check that keeps the hazard log tied to the tests: a
# named test that does not exist, did not run or failed makes it fail; the
# real hazard log names only tests that exist.
use strict;
use warnings;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $src = $ENV{LT_SRC} // '.';
my $dir = PostgreSQL::Test::Utils::tempdir;
sub put { my ($f, $t) = @_; open my $h, '>', $f or die "$f: $!"; print $h $t; close $h }
sub check {
	my ($out, $err);
	IPC::Run::run([ $^X, "$src/test/hazard-check", @_ ], '>', \$out, '2>', \$err);
	return ($? >> 8, ($out // '') . ($err // ''));
}

my ($rc, $out) = check("$src/docs/safety/hazard-log.md", $src);
is($rc, 0, 'every test the hazard log names exists') or diag($out);

put("$dir/log.md", "## H01 — x\n\n**Tests:** `sql/00_version.sql`, `test/t/001_install.pl: library version`,\n"
	. "`test/isolation/specs/version.spec`, `test/gates/classifier.sh`.\n");
($rc, $out) = check("$dir/log.md", $src);
is($rc, 0, 'a log naming existing tests passes without a run to check') or diag($out);

put("$dir/missing.md", "## H02 — y\n\n**Tests:** `sql/00_version.sql`, `sql/no_such_test.sql`.\n");
($rc, $out) = check("$dir/missing.md", $src);
is($rc, 1, 'a named test file that does not exist fails the check');
like($out, qr/H02: sql\/no_such_test\.sql: no such test file/, '... naming the hazard and the test');

mkdir "$dir/run"; mkdir "$dir/run/$_" for qw(regress isolation tap);
put("$dir/run/regress/log", "ok 1         - 00_version                                 21 ms\n");
put("$dir/run/isolation/log", "test version                      ... ok           40 ms\n");
put("$dir/run/tap/log", "test/t/001_install.pl .. \nok 1 - library version matches the install script\n1..1\nok\n"
	. "All tests successful.\n");
put("$dir/run/gates.log", "ok classifier.sh\n");
($rc, $out) = check("$dir/log.md", $src, "$dir/run");
is($rc, 0, 'tests that passed in the run pass the check (pg_regress 15 and 16+ formats)') or diag($out);

put("$dir/run/tap/log", "[22:44:54] test/t/001_install.pl .. \nok 1 - library version matches the install script\n1..1\n"
	. "ok     4507 ms ( 0.00 usr  0.00 sys +  0.71 cusr  0.80 csys =  1.51 CPU)\n"
	. "[22:44:58] test/t/030_track_dump.pl .. \nnot ok 1 - x\n1..1\nDubious\n");
($rc, $out) = check("$dir/log.md", $src, "$dir/run");
is($rc, 0, 'prove --timer output (a time before each file name) is read') or diag($out);
put("$dir/run/tap/log", "test/t/001_install.pl .. \nok 1 - library version matches the install script\n1..1\nok\n"
	. "All tests successful.\n");

put("$dir/run/gates.log", "not ok classifier.sh\n");
($rc, $out) = check("$dir/log.md", $src, "$dir/run");
is($rc, 1, 'a failed gate fails the check');
put("$dir/run/gates.log", "ok classifier.sh\n");

put("$dir/run/tap/log", "test/t/001_install.pl .. \nok 1 - library version matches the install script\n"
	. "not ok 2 - works after a restart\n1..2\nDubious\n");
($rc, $out) = check("$dir/log.md", $src, "$dir/run");
is($rc, 1, 'a TAP file with a failed test fails the check');

put("$dir/run/tap/log", "test/t/001_install.pl .. \nok 1 - something else\n1..1\nok\n");
($rc, $out) = check("$dir/log.md", $src, "$dir/run");
is($rc, 1, 'a named TAP test that did not run fails the check');
like($out, qr/has no passing test named "library version/, '... saying which');

put("$dir/run/regress/log", "ok 1         - 10_letter                                  21 ms\n");
put("$dir/run/tap/log", "test/t/001_install.pl .. \nok 1 - library version matches the install script\n1..1\nok\n");
($rc, $out) = check("$dir/log.md", $src, "$dir/run");
is($rc, 1, 'a pg_regress test that did not run fails the check');

unlink "$dir/run/gates.log";
put("$dir/run/regress/log", "test 00_version                  ... ok           28 ms\n");
($rc, $out) = check("$dir/log.md", $src, "$dir/run");
is($rc, 3, 'gates that did not run at all are reported as not verified, not as passed') or diag($out);

put("$dir/apps.md", "## H03 — z\n\n**Tests:** `test/apps/run`.\n");
put("$dir/run/apps.log", "ok - psycopg2: letter identical to plain\n1 passed, 0 failed\n");
($rc, $out) = check("$dir/apps.md", $src, "$dir/run");
is($rc, 0, 'client applications that all passed pass the check') or diag($out);
put("$dir/run/apps.log", "ok - psycopg2: letter identical to plain\nnot ok - java: watched differs from plain\n"
	. "1 passed, 1 failed\n");
($rc, $out) = check("$dir/apps.md", $src, "$dir/run");
is($rc, 1, 'a client application that differs fails the check');

done_testing();
