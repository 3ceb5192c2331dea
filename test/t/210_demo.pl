# The demo scenario (test/demo.sql) at small scale: seven weeks of letters
# from test/gen/letters.pl at 300 a week, the sender stopped for three weeks,
# the backlog released in one day.  Checks what the demo claims: the stall is
# detected within a working day and not before it began, the alert resolves
# when sending resumes, the held letters are all sent and reach the practice
# digest, the extension flags most of the urgent ones, and the chart's data
# are written and drawn (SVG).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use File::Spec;
use IPC::Run;

my $src = $ENV{LT_SRC} // '.';
# absolute: the server reads it (PostgreSQL 17's tempdir() is relative to the test's directory)
my $dir = File::Spec->rel2abs(PostgreSQL::Test::Utils::tempdir());

my ($flow, $err);
IPC::Run::run([ $^X, "$src/test/gen/letters.pl", qw(--seed 5 --weeks 7 --start 2024-09-02 --per-week 300
	--practices 20) ], '>', \$flow, '2>', \$err) or die "generator failed: $err";
PostgreSQL::Test::Utils::append_to_file("$dir/flow.csv", $flow);

my $node = PostgreSQL::Test::Cluster->new('demo');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE demo');
my ($out, $perr);
my $ok = IPC::Run::run([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('demo'),
	'-v', "flow=$dir/flow.csv", '-v', "chart=$dir/chart.dat", '-v', 'listen=1', '-f', "$src/test/demo.sql" ],
	'>', \$out, '2>', \$perr);
ok($ok, 'the demo scenario runs to the end') or diag($perr);
is($perr, '', 'and prints nothing on stderr');
like($out, qr/-- Time to detect/, 'it reports the time to detect');
like($out, qr/In one line: \d+ letters held by the stall, \d+ of them urgent/, 'and the one-line comparison');

sub sq { $node->safe_psql('demo', $_[0]) }

my ($held, $held_urgent, $flagged, $flagged_urgent) = split /\|/, sq('SELECT held, held_urgent, flagged, flagged_and_urgent FROM demo.summary');
ok($held > 800 && $held < 1100, "about three weeks of letters are held ($held)");
ok($held_urgent > 0, "urgent letters among them ($held_urgent)");
ok($flagged_urgent >= 0.7 * $held_urgent, "the extension flags most of the urgent ones ($flagged_urgent of $held_urgent)");

is(sq(q{SELECT count(*) FROM letters_triage.alert a, demo.clock c
        WHERE a.kind = 'stalled_flow' AND a.raised_at < c.stall_from}), 0, 'no stalled-flow alert in the normal weeks');
my $detect = sq(q{SELECT round(extract(epoch FROM min(e.at) - c.stall_from) / 3600, 1) FROM demo.events e, demo.clock c
                  WHERE e.kind = 'stalled_flow' AND e.event = 'raised' AND e.at >= c.stall_from GROUP BY c.stall_from});
ok($detect ne '' && $detect <= 8, "the stall is detected within a working day (after $detect h)");
is(sq(q{SELECT count(*) FROM letters_triage.alert a, demo.clock c
        WHERE a.kind = 'stalled_flow' AND (a.resolved_at IS NULL OR a.resolved_at < c.release_from
                                           OR a.resolved_at > c.replay_to)}), 0,
	'the stalled-flow alert is resolved on the release day');
# Alerts a person can act on: the stall is one incident holding the letters
# it keeps overdue, not an alert per letter, and it is notified early.
ok(sq(q{SELECT count(*) FROM letters_triage.alert a, demo.clock c
        JOIN letters_triage.alert_letter l ON true
        WHERE a.kind = 'stalled_flow' AND l.alert_id = a.id AND l.urgency >= 'urgent'
          AND a.raised_at BETWEEN c.stall_from AND c.release_from})
	> 0, 'urgent letters held by the stall are listed in its incident');
is(sq(q{SELECT count(*) FROM letters_triage.alert a, demo.clock c
        WHERE a.kind = 'overdue' AND a.raised_at > (SELECT min(e.at) FROM demo.events e
                                                      WHERE e.kind = 'stalled_flow' AND e.event = 'raised')
          AND a.raised_at < c.release_from}), 0, 'and raise no overdue alert of their own meanwhile');
is(sq('SELECT count(*) FROM demo.misplaced WHERE letters > 0'), 0,
	'every night, every overdue letter is in exactly one open alert');
my ($normal, $stall, $release, $total, $first_wh) = split /\|/,
	sq('SELECT normal_weeks, during_stall, release_day, total, round(first_after_working_hours::numeric, 1) FROM demo.notices');
note("notifications: normal weeks $normal, stall $stall, release day $release, all $total; first after $first_wh working hours");
like($out, qr/-- Notifications sent .*\n.*normal_weeks \| during_stall \| release_day/, 'the demo prints the notifications it sent');
ok($stall > 0 && $stall <= 100, "at most 100 notifications during the stall ($stall)");
# (at this scale a stall is found once letters wait: the incident is
# notified within the working day; the full demo prints when)
ok($first_wh ne '' && $first_wh <= 8, "the incident is notified within a working day of the stop ($first_wh working hours)");
is(sq(q{SELECT n.first_incident = (SELECT min(e.at) FROM demo.events e, demo.clock c
                                   WHERE e.kind = 'stalled_flow' AND e.event = 'raised' AND e.at >= c.stall_from)
          FROM demo.notices n}), 't', 'as soon as the stall is found');
ok($release <= 250, "at most 250 on the release day ($release)");
# (before the stall no incident changes the events: the old delivery notified
# each of them, and escalated every escalate_after without backing off)
ok($normal <= sq(q{SELECT count(*) FROM demo.events e, demo.clock c WHERE e.at < c.stall_from}),
	"no more in the normal weeks than one per event of the checks then ($normal)");
# each notification is one NOTIFY (printed by psql, which listened) and one WARNING line
is(scalar(() = $out =~ /^Asynchronous notification "letters_triage" with payload/mg), $total,
	'every notification reached the listener');
is(scalar(() = PostgreSQL::Test::Utils::slurp_file($node->logfile) =~ /WARNING:  letters_triage alerts? [\d, ]+(?:and \d+ more )?(?:raised|escalated)/g),
	$total, 'and the server log as one WARNING line');
unlike($out . $perr, qr/WARNING:  letters_triage alerts? \d/, 'none reached the client running the checks');
is(sq(q{SELECT count(*) FROM demo.send_plan p
        JOIN letters_triage.letter_state s ON s.table_id = letters_triage.table_id('app.outbound_letter') AND s.key = p.id::text
        WHERE p.held AND s.status IN ('sent', 'sent_late')}), $held, 'every held letter is tracked as sent after the release');
ok(sq(q{SELECT sum(late_letters) FROM letters_triage.practice_digest}) >= 0.8 * $held,
	'the practice digest lists the late letters');
ok(sq(q{SELECT count(*) FROM letters_triage.alert a, demo.clock c WHERE a.kind = 'sent_late' AND a.raised_at >= c.release_from})
	> 0, 'the release raises late-sent alerts');

my $chart = PostgreSQL::Test::Utils::slurp_file("$dir/chart.dat");
like($chart, qr/^#set first_day = "2024-09-02 00:00"; .*stall_from = "2024-09-23 07:00"; .*first_alert = "2024-09-23 \d\d:\d\d"/,
	'the chart data name the stall and the first alert');
my @days = grep { /^\d{4}-\d\d-\d\d \d+ \d+ \d+$/ } split /\n/, $chart;
is(scalar(@days), 46, 'and give 45 days (and the last again)');

# the chart itself: test/demo-chart.pl draws the data as SVG
my ($cout, $cerr);
ok(IPC::Run::run([ $^X, "$src/test/demo-chart.pl", "$dir/chart.dat", "$dir/chart.svg" ], '>', \$cout, '2>', \$cerr),
	'the chart is drawn') or diag($cerr);
my $svg = -f "$dir/chart.svg" ? PostgreSQL::Test::Utils::slurp_file("$dir/chart.svg") : '';
like($svg, qr/\A<\?xml[^>]*>\s*<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg".*<\/svg>\s*\z/s, 'as one SVG document');
is(scalar(() = $svg =~ /<polyline points="[^"]+"/g), 3, 'with three series: created, sent, waiting');
like($svg, qr/sender stopped \(IT upgrade\)/, 'the stall shaded and named');
like($svg, qr/first alert 2024-09-23 \d\d:\d\d/, 'the first alert marked');
# every point lies inside the drawing area (1100 x 520)
my @bad = grep { my ($x, $y) = split /,/; $x < 0 || $x > 1100 || $y < 0 || $y > 520 }
	map { split / / } ($svg =~ /<polyline points="([^"]+)"/g);
is(scalar(@bad), 0, 'and every point of the series inside the picture');
my ($mis, $mis_err);
IPC::Run::run([ $^X, "$src/test/demo-chart.pl", "$dir/flow.csv", "$dir/bad.svg" ], '>', \$mis, '2>', \$mis_err);
like($mis_err, qr/no days to draw|missing/, 'data that are not the chart data are refused with a message');

$node->stop;
done_testing();
