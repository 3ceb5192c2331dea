#!/usr/bin/env bash
# Gate: the letter type survives fuzzing (issue 3).
#   1. test/fuzz/run: the text core built outside the server (with ASan/UBSan
#      when available), 20,000 random, structured and mutated inputs to the
#      text parser and the binary decoder; round trip and invariants checked.
#   2. In the server: 20,000 random texts through letter_in/letter_out, the
#      jsonb casts and COPY BINARY (send/recv), each checked for the round
#      trip input(output(v)) = v, the text kept (output = input), jsonb
#      giving the canonical text, and the body being kept.
# $1 (the shared data) is not used.  Exits 0 when every input passed.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${LT_FUZZ_GATE_N:-20000}

[ -f "$top/extension/letter_parse.c" ] || { echo "fuzz_letter: sources not found under $top" >&2; exit 1; }
bash "$top/test/fuzz/run" "$n"

db=lt_gate_fuzz_letter
export PGOPTIONS="-c client_min_messages=warning"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
out=$(psql -X -q -At -v ON_ERROR_STOP=1 -v n="$n" -d "$db" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION letters_triage;
SELECT setseed(0.4242) \g /dev/null
CREATE TABLE fuzz AS
WITH tok(a) AS (SELECT ARRAY[E'\n', E'\n', E'\r\n', E'\r', ':', ': ', ' ', E'\t', 'Kind', 'kind', 'To',
                             'Dated', 'NHS-Number', 'Subject', 'X-A', 'a', 'death', 'G82001', '943 476 5919',
                             '2024-07-01 12:00', 'nonsense', E'\u00e9', E'\u2019', E'Kind: death\n',
                             E'To: g82001  \n', E' folded\n', E'\n\n', 'Dear Dr'])
SELECT i, (SELECT coalesce(string_agg(a[1 + floor(random() * array_length(a, 1))::int], ''), '')
             FROM tok, generate_series(1, (i * 7) % 25) g) AS t
  FROM generate_series(1, :n) i;
ALTER TABLE fuzz ADD COLUMN l letters_triage.letter;
UPDATE fuzz SET l = t::letters_triage.letter;
-- send/recv through COPY BINARY, to a file in the data directory
DO $$ BEGIN
  EXECUTE format('COPY fuzz TO %L (FORMAT binary)', current_setting('data_directory') || '/lt_gate_fuzz.bin');
  CREATE TABLE fuzz_back (LIKE fuzz);
  EXECUTE format('COPY fuzz_back FROM %L (FORMAT binary)', current_setting('data_directory') || '/lt_gate_fuzz.bin');
END $$;
SELECT count(*) AS inputs,
       count(*) FILTER (WHERE l::text::letters_triage.letter OPERATOR(letters_triage.=) l) AS text_round_trip,
       count(*) FILTER (WHERE letters_triage.letter_from_jsonb(letters_triage.letter_to_jsonb(l)) OPERATOR(letters_triage.=) letters_triage.canonical(l)::letters_triage.letter
                          AND l::text = t) AS jsonb_round_trip_text_kept,
       count(*) FILTER (WHERE letters_triage.body(l) = t OR right(t, length(letters_triage.body(l))) = letters_triage.body(l)) AS body_kept,
       (SELECT count(*) FROM fuzz f JOIN fuzz_back b USING (i) WHERE f.l OPERATOR(letters_triage.=) b.l) AS binary_round_trip,
       count(DISTINCT t) AS distinct_inputs
  FROM fuzz;
SQL
)
out=$(printf '%s\n' "$out" | tail -1)
echo "fuzz_letter (server): inputs|text|jsonb|body kept|binary|distinct = $out"
IFS='|' read -r all a b c d _ <<<"$out"
[ "$a" = "$all" ] && [ "$b" = "$all" ] && [ "$c" = "$all" ] && [ "$d" = "$all" ] && [ "$all" = "$n" ]
