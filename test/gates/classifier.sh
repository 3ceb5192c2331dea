#!/usr/bin/env bash
# Gate: the classifier on the development corpus ($1/corpus/dev.csv) must not
# fall below the figures it has reached (a ratchet: raise them as it improves,
# never above what passes), and likewise on the project's independent sets of
# letters, each written blind by someone who never saw the classifier
# (test/data/letters*.csv, see test/data/README*.md), and on
# the held-out set that measured issue 25 ($1/corpus/heldout1.csv), when
# present.  Targets of issue 4: urgent|immediate recall >= 0.95 with precision
# >= 0.80, exact urgency >= 0.80, F1 >= 0.85 for every action.
set -euo pipefail
shared=${1:?usage: classifier.sh SHARED_DIR}
here=$(dirname "$0")
corpus=$shared/corpus/dev.csv
[ -r "$corpus" ] || { echo "no corpus at $corpus: skipped"; exit 0; }
. "$here/ratchet.bash"
# gate FILE LABEL: minimum exact urgency, urgent|immediate recall and
# precision, lowest per-action F1 (a set that is not there is skipped)
gate() {
	[ -r "$1" ] || return 0
	scores "$here/../score" "$1" || return 0
	check "${2}exact urgency" "$(get exact_urgency)" "$3"
	check "${2}urgent|immediate recall" "$(get urgent_recall)" "$4"
	check "${2}urgent|immediate precision" "$(get urgent_precision)" "$5"
	check "${2}lowest per-action F1" "$(get min_action_f1)" "$6"
}
#    file                              label                    exact  recall precision F1
gate "$corpus"                          ""                       0.967  0.952  1.000     0.929
gate "$here/../data/letters.csv"        "test/data "             0.956  1.000  0.947     0.945
gate "$shared/corpus/heldout1.csv"      "heldout1 "              0.947  0.981  0.912     0.868
gate "$here/../data/letters2.csv"       "test/data letters2 "    0.992  1.000  1.000     0.933
gate "$here/../data/letters3.csv"       "test/data letters3 "    0.950  1.000  0.959     0.829
gate "$here/../data/letters4.csv"       "test/data letters4 "    0.944  1.000  0.962     0.866
gate "$here/../data/letters5.csv"       "test/data letters5 "    0.950  0.979  1.000     0.784
gate "$here/../data/letters6.csv"       "test/data letters6 "    0.975  1.000  0.980     0.800
gate "$here/../data/letters7.csv"       "test/data letters7 "    0.958  0.979  1.000     0.800
gate "$here/../data/letters8.csv"       "test/data letters8 "    0.933  0.978  0.978     0.762
gate "$here/../data/letters9.csv"       "test/data letters9 "    0.975  1.000  0.983     0.838
gate "$here/../data/letters10.csv"      "test/data letters10 "   0.992  1.000  0.981     0.866
gate "$here/../data/letters11.csv"      "test/data letters11 "   0.925  1.000  0.966     0.839
gate "$here/../data/letters12.csv"      "test/data letters12 "   0.936  1.000  0.931     0.857
gate "$here/../data/letters13.csv"      "test/data letters13 "   0.969  1.000  0.965     0.600
gate "$here/../data/letters14.csv"      "test/data letters14 "   0.883  0.981  0.911     0.833
gate "$here/../data/letters15.csv"      "test/data letters15 "   0.891  1.000  0.957     0.780
gate "$here/../data/letters16.csv"      "test/data letters16 "   0.938  0.966  0.983     0.588
gate "$here/../data/letters17.csv"      "test/data letters17 "   0.888  1.000  0.929     0.811
gate "$here/../data/letters18.csv"      "test/data letters18 "   0.937  1.000  0.958     0.865
gate "$here/../data/letters19.csv"      "test/data letters19 "   0.912  0.955  0.955     0.712
gate "$here/../data/letters20.csv"      "test/data letters20 "   0.940  1.000  0.952     0.853
gate "$here/../data/letters21.csv"      "test/data letters21 "   0.805  0.938  0.953     0.471
gate "$here/../data/letters22.csv"      "test/data letters22 "   0.940  1.000  0.947     0.811
gate "$here/../data/letters23.csv"      "test/data letters23 "   0.925  0.952  0.967     0.769
gate "$here/../data/letters24.csv"      "test/data letters24 "   0.923  0.967  0.952     0.762
gate "$here/../data/letters25.csv"      "test/data letters25 "   0.938  0.948  0.965     0.857
gate "$here/../data/letters26.csv"      "test/data letters26 "   0.924  0.978  0.918     0.800
gate "$here/../data/letters27.csv"      "test/data letters27 "   0.883  1.000  0.938     0.750
gate "$here/../data/letters28.csv"      "test/data letters28 "   0.936  1.000  0.961     0.750
gate "$here/../data/letters29.csv"      "test/data letters29 "   0.773  0.839  0.870     0.700
exit $fail
