#!/usr/bin/env bash
# Gate: assertion() on the NegEx/ConText test set ($1/negex/) must not fall
# below the figures reached (ratchet).  Target of issue 4 (GenNegEx v1.2's
# published figures): negation F >= 0.946 and accuracy >= 0.977.
set -euo pipefail
shared=${1:?usage: negex.sh SHARED_DIR}
file=$shared/negex/rsAnnotations-1-120-random.txt
[ -r "$file" ] || { echo "no NegEx set at $file: skipped"; exit 0; }
MIN_NEG_F=0.96
MIN_NEG_ACC=0.98
MIN_HIST_F=0.55
MIN_HYPO_F=0.55
. "$(dirname "$0")/ratchet.bash"
scores "$(dirname "$0")/../score-negex" "$file" || exit 1
check "negation F" "$(get negation_f)" $MIN_NEG_F
check "negation accuracy" "$(get negation_accuracy)" $MIN_NEG_ACC
check "historical F" "$(get historical_f)" $MIN_HIST_F
check "hypothetical F" "$(get hypothetical_f)" $MIN_HYPO_F
exit $fail
