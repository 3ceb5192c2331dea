#!/usr/bin/env bash
# test/bench/classify.sh — classification throughput on realistic letters (not
# a timed test): part 15 of test/bench/run alone.  On a throwaway server, the
# labelled letters of ../shared/corpus and test/data repeated to about MB
# megabytes (16 unless told), timed on one core in the same run: lower(body),
# classify(body) with the default rules and with ten times as many (as many as
# the limit of 10,000 patterns allows); MB/s, and the ratios against lower()
# and against the default rules (the least CPU time of the backend of five
# runs, so that a busy machine distorts the figures least).
#
#   bash test/bench/classify.sh [MB]
BENCH_MB=${1:-16} BENCH_ONLY=15 exec bash "$(dirname "$0")/run"
