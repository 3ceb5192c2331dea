#!/usr/bin/env perl
# test/demo-chart.pl — the demo's chart, as SVG (no plotting package needed).
#
#   perl test/demo-chart.pl CHART.dat OUT.svg
#
# CHART.dat is written by test/demo.sql: a first '#set' line naming first_day,
# last_day, stall_from, stall_to, first_alert (as "YYYY-MM-DD HH:MM", the first
# alert may be empty) and title_text; then one line a day: "YYYY-MM-DD created
# sent waiting" (the last day repeated a day on, so that the steps show it).
# Draws letters created and sent per day (steps, left axis) and letters waiting
# at the end of each day (line, right axis), the stall shaded, the first alert
# marked.
use strict;
use warnings;
use Time::Local qw(timegm);
use List::Util qw(max);

my ($in, $out) = @ARGV;
die "usage: $0 CHART.dat OUT.svg\n" unless defined $out;

my (%set, @days);
open my $fh, '<', $in or die "$in: $!\n";
while (my $line = <$fh>) {
	chomp $line;
	if ($line =~ /^#set (.*)$/) {
		my $s = $1;
		while ($s =~ /(\w+) = "([^"]*)"/g) { $set{$1} = $2 }
	} elsif ($line =~ /^(\d{4})-(\d\d)-(\d\d) (\d+) (\d+) (\d+)$/) {
		push @days, { t => timegm(0, 0, 0, $3, $2 - 1, $1), created => $4, sent => $5, waiting => $6 };
	}
}
close $fh;
die "$in: no days to draw\n" unless @days;
for my $k (qw(first_day last_day stall_from stall_to)) {
	die "$in: '$k' missing from the #set line\n" unless defined $set{$k} && $set{$k} ne '';
}

# "YYYY-MM-DD HH:MM" -> seconds (the chart's own time axis: local times drawn as read)
sub when {
	my ($s) = @_;
	my ($y, $mo, $d, $h, $mi) = $s =~ /^(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d))?$/ or die "bad time '$s'\n";
	return timegm(0, $mi // 0, $h // 0, $d, $mo - 1, $y);
}
sub esc { my $s = shift; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s =~ s/"/&quot;/g; return $s }

# A "nice" axis maximum and step for values up to $max.
sub axis {
	my ($max) = @_;
	$max = 1 if $max < 1;
	my $raw = $max / 5;
	my $mag = 10**int(log($raw) / log(10));
	my ($step) = grep { $_ * $mag >= $raw } (1, 2, 2.5, 5, 10);
	$step *= $mag;
	my $top = $step * int(($max + $step - 1e-9) / $step);
	$top += $step if $top < $max;
	return ($top, $step);
}

my ($W, $H) = (1100, 520);
my ($L, $R, $T, $B) = (70, 80, 50, 70);     # margins: left, right, top, bottom
my ($pw, $ph) = ($W - $L - $R, $H - $T - $B);
my ($x0, $x1) = (when($set{first_day}), when($set{last_day}));
$x1 = $x0 + 86400 if $x1 <= $x0;
my ($ytop, $ystep) = axis(max(map { ($_->{created}, $_->{sent}) } @days));
my ($y2top, $y2step) = axis(max(map { $_->{waiting} } @days));

sub X { my $t = shift; $t = $x0 if $t < $x0; $t = $x1 if $t > $x1; sprintf '%.1f', $L + ($t - $x0) / ($x1 - $x0) * $pw }
sub Y  { sprintf '%.1f', $T + $ph - $_[0] / $ytop * $ph }
sub Y2 { sprintf '%.1f', $T + $ph - $_[0] / $y2top * $ph }

my @svg;
push @svg, qq{<?xml version="1.0" encoding="UTF-8"?>},
	qq{<svg xmlns="http://www.w3.org/2000/svg" width="$W" height="$H" viewBox="0 0 $W $H" font-family="sans-serif" font-size="12">},
	qq{<rect width="$W" height="$H" fill="white"/>},
	sprintf(q{<text x="%d" y="28" text-anchor="middle" font-size="15">%s</text>}, $W / 2, esc($set{title_text} // ''));

# the stall, shaded
my ($sx0, $sx1) = (X(when($set{stall_from})), X(when($set{stall_to})));
push @svg, sprintf(q{<rect x="%s" y="%d" width="%.1f" height="%d" fill="#f4b6b6" fill-opacity="0.5"/>},
	$sx0, $T, $sx1 - $sx0, $ph),
	sprintf(q{<text x="%.1f" y="%d" fill="#d62728">sender stopped (IT upgrade)</text>}, $sx0 + 6, $T + 16);

# grid and left axis
for (my $v = 0; $v <= $ytop + 1e-9; $v += $ystep) {
	my $y = Y($v);
	push @svg, sprintf(q{<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#dddddd"/>}, $L, $y, $L + $pw, $y),
		sprintf(q{<text x="%d" y="%.1f" text-anchor="end">%s</text>}, $L - 6, $y + 4, 0 + sprintf('%.10g', $v));
}
for (my $v = 0; $v <= $y2top + 1e-9; $v += $y2step) {
	push @svg, sprintf(q{<text x="%d" y="%.1f">%s</text>}, $L + $pw + 6, Y2($v) + 4, 0 + sprintf('%.10g', $v));
}
push @svg, sprintf(q{<text transform="translate(18,%d) rotate(-90)" text-anchor="middle">letters per day</text>}, $T + $ph / 2),
	sprintf(q{<text transform="translate(%d,%d) rotate(90)" text-anchor="middle">letters waiting</text>}, $W - 18, $T + $ph / 2);

# x axis: a tick a day, a label a week
my @mon = qw(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec);
for (my ($t, $i) = ($x0, 0); $t <= $x1; $t += 86400, $i++) {
	my $x = X($t);
	my $len = $i % 7 ? 4 : 8;
	push @svg, sprintf(q{<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="black"/>}, $x, $T + $ph, $x, $T + $ph + $len);
	next if $i % 7;
	my (undef, undef, undef, $md, $mm) = gmtime $t;
	push @svg, sprintf(q{<text x="%s" y="%d" text-anchor="middle">%02d %s</text>}, $x, $T + $ph + 22, $md, $mon[$mm]);
}
push @svg, sprintf(q{<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="black"/>}, $L, $T, $pw, $ph);

# steps: the value of day d holds from d to d + 1
sub steps {
	my ($key) = @_;
	my @p;
	for my $i (0 .. $#days) {
		my $d = $days[$i];
		my $next = $i < $#days ? $days[$i + 1]{t} : $d->{t} + 86400;
		push @p, X($d->{t}) . ',' . Y($d->{$key}), X($next) . ',' . Y($d->{$key});
	}
	return join ' ', @p;
}
push @svg, sprintf(q{<polyline points="%s" fill="none" stroke="#1f77b4" stroke-width="2"/>}, steps('created')),
	sprintf(q{<polyline points="%s" fill="none" stroke="#2ca02c" stroke-width="2"/>}, steps('sent')),
	sprintf(q{<polyline points="%s" fill="none" stroke="#d62728" stroke-width="3"/>},
		join ' ', map { X($_->{t} + 86400) . ',' . Y2($_->{waiting}) } @days);

# the first alert
if (($set{first_alert} // '') ne '') {
	my $ax = X(when($set{first_alert}));
	push @svg, sprintf(q{<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#ff7f0e" stroke-width="2"/>}, $ax, $T, $ax, $T + $ph),
		sprintf(q{<text x="%.1f" y="%d" fill="#ff7f0e">first alert %s</text>}, $ax + 6, $T + 34, esc($set{first_alert}));
}

# legend
my @legend = (['#1f77b4', 'created per day'], ['#2ca02c', 'sent per day'],
	['#d62728', 'waiting at end of day (right axis)']);
for my $i (0 .. $#legend) {
	my $y = $T + $ph + 44;
	my $x = $L + $i * 260;
	push @svg, sprintf(q{<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>}, $x, $y, $x + 30, $y, $legend[$i][0]),
		sprintf(q{<text x="%d" y="%d">%s</text>}, $x + 36, $y + 4, esc($legend[$i][1]));
}
push @svg, '</svg>';

open my $oh, '>', $out or die "$out: $!\n";
print $oh join("\n", @svg), "\n";
close $oh or die "$out: $!\n";
