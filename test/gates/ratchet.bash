# test/gates/ratchet.bash — sourced by the quality gates (not a gate itself:
# test/run runs test/gates/*.sh).  A gate scores something, then checks each
# figure against the minimum it has reached so far.
fail=0
line=
# scores COMMAND FILE: run a scoring command, print its output, keep its SCORE line
scores() {
	local out
	out=$(bash "$1" "$2")
	echo "$out"
	line=$(echo "$out" | grep '^SCORE ' | tail -1)
	[ -n "$line" ] || { echo "FAIL: no SCORE line for $2"; fail=1; return 1; }
}
# get NAME: a figure of the last SCORE line
get() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# check NAME VALUE MINIMUM
check() {
	if awk -v v="$2" -v m="$3" 'BEGIN { exit !(v != "" && v + 0 >= m + 0) }'; then
		echo "ok: $1 = $2 (>= $3)"
	else
		echo "FAIL: $1 = $2 (< $3)"; fail=1
	fi
}
