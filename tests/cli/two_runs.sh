#!/usr/bin/env bash
# Two "landrec run" at once over the same files: every page is loaded once, and between them
# the two runs report each page loaded once — a page the other run stored first while this one
# was reading it is "done elsewhere", not "loaded". LANDREC_TEST_DELAY_SAVE_MS widens the window
# between the done check and the save so that the runs overlap on every page.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/two-runs.XXXXXX")
in="$tmp/in"; mkdir -p "$in"
n=6
for i in $(seq 1 $n); do
    cp "$T/pages/ledger-a-bitonal-g4.tif" "$in/p$i.tif"; printf 'two-runs %s' "$i" >> "$in/p$i.tif"
done
check "db init" $L db init

export LANDREC_TEST_DELAY_SAVE_MS=1000
for r in 1 2; do
    $L run -j 1 --batch "two$r" --no-derivatives --no-records --no-progress "$in" \
        >"$tmp/run$r.out" 2>"$tmp/run$r.err" &
    eval "pid$r=\$!"
done
wait "$pid1"; st1=$?
wait "$pid2"; st2=$?
unset LANDREC_TEST_DELAY_SAVE_MS
cat "$tmp/run1.out" "$tmp/run2.out"
check "run 1 exits 0" [ $st1 -eq 0 ]
check "run 2 exits 0" [ $st2 -eq 0 ]

# "pages:    L loaded, A already done, F failed, E done elsewhere"
loaded() { sed -n 's/^ *pages: *\([0-9][0-9]*\) loaded.*/\1/p' "$1"; }
l1=$(loaded "$tmp/run1.out"); l2=$(loaded "$tmp/run2.out")
check "both summaries printed" [ -n "$l1" ] && [ -n "$l2" ]
check "summaries: loaded once between them ($l1 + $l2 = $n)" [ $(( ${l1:-0} + ${l2:-0} )) -eq $n ]
for r in 1 2; do
    line=$(grep '^ *pages:' "$tmp/run$r.out")
    check "run $r: every page accounted for ($line)" python3 - "$line" "$n" <<'PY'
import re, sys
m = re.search(r'(\d+) loaded, (\d+) already done, (\d+) failed, (\d+) done elsewhere', sys.argv[1])
sys.exit(0 if m and sum(map(int, m.groups())) == int(sys.argv[2]) and m.group(3) == '0' else 1)
PY
done
c1=$(q "select counts->>'pages_done' from invocation where batch = 'two1'")
c2=$(q "select counts->>'pages_done' from invocation where batch = 'two2'")
check "invocation.counts: loaded once between them ($c1 + $c2 = $n)" [ $(( ${c1:-0} + ${c2:-0} )) -eq $n ]
check "invocation.counts: the rest done elsewhere or already done" [ "$(q "select sum((counts->>'pages_done')::int + (counts->>'pages_skipped')::int + (counts->>'pages_done_elsewhere')::int) from invocation")" = $((2 * n)) ]
check "the runs overlapped on some page" [ "$(q "select sum((counts->>'pages_done_elsewhere')::int) from invocation")" -gt 0 ]
check "$n done page runs" [ "$(q "select count(*) from page_run where status = 'done'")" = $n ]
check "each page linked 'done' to one invocation" [ "$(q "select count(*) from invocation_page where outcome = 'done'")" = $n ]
check "and 'skipped' to the other" [ "$(q "select count(*) from invocation_page where outcome = 'skipped'")" = $n ]
check "links agree with the summaries" [ "$(q "select count(*) from invocation_page ip join invocation i on i.id = ip.invocation_id where i.batch = 'two1' and ip.outcome = 'done'")" = "${l1:-x}" ]
rm -rf "$tmp"
finish
