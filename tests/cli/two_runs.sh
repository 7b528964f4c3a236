#!/usr/bin/env bash
# Two "landrec run" at once over the same files: every page is read and loaded once, and
# between them the two runs report each page loaded once. Both runs queue the same jobs (the
# work queue, docs/queue.md "landrec run"); a page the other run's worker took is "done
# elsewhere", not "loaded". LANDREC_TEST_DELAY_SAVE_MS slows each page so that the runs
# overlap.
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
check "the runs shared the pages" [ "$(q "select sum((counts->>'pages_done_elsewhere')::int) from invocation")" -gt 0 ]
check "$n done page runs" [ "$(q "select count(*) from page_run where status = 'done'")" = $n ]
check "each page linked 'done' to one invocation" [ "$(q "select count(*) from invocation_page where outcome = 'done'")" = $n ]
check "no page read twice: one job per page, claimed once" [ "$(q "select count(*) || '|' || sum(attempts) from job")" = "$n|$n" ]
check "no page read twice: each run of a page made once" [ "$(q "select count(*) from page_run where attempts <> 1")" = 0 ]
check "links agree with the summaries" [ "$(q "select count(*) from invocation_page ip join invocation i on i.id = ip.invocation_id where i.batch = 'two1' and ip.outcome = 'done'")" = "${l1:-x}" ]

# A "landrec worker" started beside a run takes some of its pages: the run counts them done
# elsewhere and still accounts for every page, and no page is read twice.
in2="$tmp/in2"; mkdir -p "$in2"
for i in $(seq 1 $n); do
    cp "$T/pages/ledger-a-bitonal-g4.tif" "$in2/p$i.tif"; printf 'helped %s' "$i" >> "$in2/p$i.tif"
done
export LANDREC_TEST_DELAY_SAVE_MS=1500
$L run -j 1 --batch helped --no-derivatives --no-records --no-progress "$in2" \
    >"$tmp/run3.out" 2>"$tmp/run3.err" &
pid3=$!
waited=0
until [ "$(q "select count(*) from job where batch = 'helped'")" = $n ] || [ $waited -ge 600 ]; do
    sleep 0.05; waited=$((waited + 1))
done
$L worker --drain --no-derivatives --host-id helper --log-json "$tmp/helper.jsonl" \
    >/dev/null 2>"$tmp/helper.err"
sth=$?
wait "$pid3"; st3=$?
unset LANDREC_TEST_DELAY_SAVE_MS
cat "$tmp/run3.out"
check "helped run exits 0 (status $st3)" [ $st3 -eq 0 ]
check "the helper exits 0 (status $sth)" [ $sth -eq 0 ]
line=$(grep '^ *pages:' "$tmp/run3.out")
helped=$(grep -c '"event":"done"' "$tmp/helper.jsonl")
check "the helper did some pages ($helped)" [ "$helped" -gt 0 ]
check "the run counts them done elsewhere ($line)" python3 - "$line" "$n" "$helped" <<'PY'
import re, sys
m = re.search(r'(\d+) loaded, (\d+) already done, (\d+) failed, (\d+) done elsewhere', sys.argv[1])
ok = m and int(m.group(1)) + int(m.group(4)) == int(sys.argv[2]) and int(m.group(4)) == int(sys.argv[3])
sys.exit(0 if ok else 1)
PY
check "helped: every page done once, read once" [ "$(q "select count(*) || '|' || sum(attempts) from page_run where source_path like '%/in2/%' and status = 'done'")" = "$n|$n" ]
check "helped: every job claimed once" [ "$(q "select count(*) || '|' || sum(attempts) from job where batch = 'helped'")" = "$n|$n" ]
rm -rf "$tmp"
finish
