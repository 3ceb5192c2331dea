# test/demo-chart.gp — the demo's chart (gnuplot).  Called by test/demo with
# datafile (from demo.sql: day, created, sent, waiting) and pngfile set; the
# data file's first lines are '#set' lines that define stall_from, stall_to,
# first_day, last_day, first_alert (as "YYYY-MM-DD HH:MM") and title_text.
vars = system(sprintf("sed -n 's/^#set //p' '%s'", datafile))
eval(vars)

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1100,520 font "sans,10"
} else {
	set terminal png size 1100,520
}
set output pngfile
set title title_text noenhanced
set key noenhanced
fmt = "%Y-%m-%d %H:%M"
set xdata time
set timefmt "%Y-%m-%d"
set format x "%d %b"
set xtics 7*86400 rotate by -30
set mxtics 7
set xrange [strptime(fmt, first_day) : strptime(fmt, last_day)]
set grid ytics
set key top left
set object 1 rect from strptime(fmt, stall_from), graph 0 to strptime(fmt, stall_to), graph 1 \
	fc rgb "#f4b6b6" fs solid 0.5 noborder behind
set label 1 noenhanced "sender stopped (IT upgrade)" at strptime(fmt, stall_from), graph 0.96 offset 1,0 tc rgb "#d62728"
if (first_alert ne "") {
	set arrow 1 from strptime(fmt, first_alert), graph 0 to strptime(fmt, first_alert), graph 1 nohead \
		lw 2 lc rgb "#ff7f0e"
	set label 2 noenhanced "first alert ".first_alert at strptime(fmt, first_alert), graph 0.88 offset 1,0 tc rgb "#ff7f0e"
}
set y2tics
set ytics nomirror
set y2label "letters waiting"
set ylabel "letters per day"
plot datafile using 1:2 with steps lw 2 lc rgb "#1f77b4" title "created per day", \
	'' using 1:3 with steps lw 2 lc rgb "#2ca02c" title "sent per day", \
	'' using (timecolumn(1, "%Y-%m-%d") + 86400):4 axes x1y2 with lines lw 3 lc rgb "#d62728" title "waiting at end of day (right axis)"
