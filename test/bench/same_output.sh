#!/usr/bin/env bash
# test/bench/same_output.sh [BASE] — does the classifier's text core of the
# work tree give exactly the output of commit BASE (default HEAD) on every
# letter we have?  For speed-ups that must change nothing.
#
# Builds test/bench/core_output.c (the core outside the server, on
# test/fuzz/harness_shim.c) twice, from BASE's extension/ and the work tree's,
# runs both over every letter of test/data/*.csv, ../shared/corpus/*.csv and
# ../shared/real/*.csv (the verdicts, with and without the kind as a header,
# the hits as evidence() lists them, the text statistics, sentences, matches
# and past years), and compares.  Prints "same output: N letters" or the
# first differences, and exits non-zero when they differ.  The work tree's
# core is built twice: as the server builds it, and without its SIMD paths.
#   KEEP=DIR   keep the two outputs and binaries in DIR
. "$(dirname "$0")/../lib.sh"

base=${1:-HEAD}
src=$LT_TOP
pgc=/usr/lib/postgresql/$PG/bin/pg_config
tmp=${KEEP:-$(mktemp -d "${TMPDIR:-/tmp}/lt_same.XXXXXX")}
mkdir -p "$tmp"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT

# the letters, one record each: kind, length, bytes (each letter, then a
# mutated copy of it; lengths in bytes)
csvs=("$src"/test/data/*.csv)
for d in corpus real; do
	[ -d "$LT_SHARED/$d" ] && csvs+=("$LT_SHARED/$d"/*.csv)
done
perl -e '
	use strict; use warnings;
	binmode STDOUT;
	my $seed = 42;
	for my $csv (@ARGV) {
		open my $fh, "<:raw", $csv or die "$csv: $!\n";
		local $/; my $s = <$fh>; close $fh;
		my (@rows, @row);
		while ($s =~ /\G(?:"((?:[^"]|"")*)"|([^,\r\n]*))(,|\r?\n|\z)/gc) {
			my ($q, $u, $sep) = ($1, $2, $3);
			push @row, defined $q ? $q =~ s/""/"/gr : $u;
			if ($sep ne ",") { push @rows, [@row]; @row = (); last if $sep eq "" }
		}
		my $head = shift @rows or next;
		my %col; @col{@$head} = 0 .. $#$head;
		for my $r (@rows) {
			my $t = $r->[$col{letter}]; next unless defined $t;
			my $k = defined $col{kind} ? ($r->[$col{kind}] // "") : "";
			$k =~ s/\n//g;
			print $k, "\n", length($t), "\n", $t;
			# and the same letter mutated (deterministically): some ASCII
			# bytes replaced by blanks, line breaks, punctuation, control
			# characters, digits; a stretch with no blank
			my @odd = (" ", "\n", ".", "\t", "\x01", "\x7f", "1", "9", "0", "2", ":", "-", "_", "!",
				"?", "\r", "\x0b", "\x0c", "A", "\n\n", "*", ")", "(", ";");
			my $m = $t;
			$m =~ s/([\x00-\x7f])/(($seed = ($seed * 1103515245 + 12345) % 2147483648) % 61 == 0) ? $odd[$seed % @odd] : $1/ge;
			my $at = $seed % (length($m) + 1);
			substr($m, $at, 0) = "x" x (150 + $seed % 200) if $seed % 3 == 0;
			print $k, "\n", length($m), "\n", $m;
		}
	}' "${csvs[@]}" >"$tmp/letters.bin" || lt_die "cannot read the letters"
perl "$src/test/fuzz/harness_rules.pl" "$src/extension/install/21_classifier_rules.sql" >"$tmp/rules.tsv"

mkdir -p "$tmp/base"
git -C "$src" archive "$base" extension include test/fuzz | tar -x -C "$tmp/base" ||
	lt_die "cannot read $base"
build() { # tree output [cflags]
	local t=$1 out=$2 core=()
	mapfile -t core < <(sed -n "/^[^#]/s|^|$t/extension/|p" "$t/test/fuzz/core-files")
	# shellcheck disable=SC2046
	cc -O2 -g -Wall -Wno-unused-parameter -DLT_CORE_STANDALONE "${@:3}" -I"$t/include" -I"$src/test/fuzz" \
		-I"$("$pgc" --includedir-server)" $(pkg-config --cflags icu-uc icu-i18n) -o "$out" \
		"$src/test/bench/core_output.c" "$src/test/fuzz/harness_shim.c" "${core[@]}" \
		$(pkg-config --libs icu-uc icu-i18n) || lt_die "cannot build $out"
}
build "$tmp/base" "$tmp/core_base"
build "$src" "$tmp/core_new"
# and without the SIMD code paths (as on a CPU without SSE2)
build "$src" "$tmp/core_new_nosimd" -DLT_NO_SIMD
"$tmp/core_base" "$tmp/rules.tsv" "$tmp/letters.bin" >"$tmp/base.out" || lt_die "the base failed"
rc=0
for v in new new_nosimd; do
	"$tmp/core_$v" "$tmp/rules.tsv" "$tmp/letters.bin" >"$tmp/$v.out" || lt_die "the work tree's core ($v) failed"
	n=$(grep -c '^== letter' "$tmp/$v.out")
	if cmp -s "$tmp/base.out" "$tmp/$v.out"; then
		echo "same output: $n letters ($(wc -l <"$tmp/$v.out") lines), work tree ($v) against $base"
	else
		diff "$tmp/base.out" "$tmp/$v.out" | head -40
		echo "DIFFERENT output from $base (work tree: $v)"
		rc=1
	fi
done
exit $rc
