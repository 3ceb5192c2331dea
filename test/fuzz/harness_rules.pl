#!/usr/bin/perl
# harness_rules.pl — the default rule set as the libFuzzer harnesses read it.
# Reads the project's install script part extension/install/21_classifier_rules.sql
# (the rows the extension ships) and prints one line per row, tab-separated:
#   kind(0 rule, 1 modifier, 2 section)  pattern  action|category|meaning
#   urgency  needs_request(t/f)  direction  scope          (\N for NULL)
# usage: perl harness_rules.pl extension/install/21_classifier_rules.sql > rules.tsv
use strict;
use warnings;

local $/;
my $sql = <>;
my $n = 0;

sub strings { my @s; push @s, $1 =~ s/''/'/gr while $_[0] =~ /'((?:[^']|'')*)'/g; @s }
sub arg { my $a = shift; $a =~ s/^\s+|\s+$//g; $a =~ s/::.*//; return '\N' if uc $a eq 'NULL';
	return $1 =~ s/''/'/gr if $a =~ /^'((?:[^']|'')*)'$/; $a }
sub out { print join("\t", @_), "\n"; $n++ }

while ($sql =~ /add_default_(rules|modifiers)\(ARRAY\[(.*?)\]\s*,(.*?)\);/sg) {
	my ($what, $arr, $rest) = ($1, $2, $3);
	my @args = map { arg($_) } split /,(?=(?:[^']*'[^']*')*[^']*$)/, $rest;
	for my $p (strings($arr)) {
		if ($what eq 'rules') {   # act, urg, req, why
			out(0, $p, $args[0], $args[1], ($args[2] eq 'true' ? 't' : 'f'), '\N', '\N');
		} else {                  # cat, dir, scope
			out(1, $p, $args[0], '\N', 'f', $args[1], $args[2]);
		}
	}
}
if ($sql =~ /INSERT INTO \@extschema\@\.section.*?VALUES(.*?)\)\s*AS v/s) {
	my $v = $1;
	while ($v =~ /\(\s*'((?:[^']|'')*)'\s*,\s*'((?:[^']|'')*)'\s*\)/g) {
		out(2, $1 =~ s/''/'/gr, $2 =~ s/''/'/gr, '\N', 'f', '\N', '\N');
	}
}
die "harness_rules.pl: no rows found\n" if $n < 100;
