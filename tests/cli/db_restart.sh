#!/usr/bin/env bash
# landrec run and a database that goes away: restarted in the middle of a batch, the workers
# and the driver reconnect and every page is loaded once; gone for longer than
# --reconnect-timeout, the batch gives up with status 1 and a summary, and a rerun finishes it.
# The server restarted is a private cluster started here: the suite's shared one is not touched.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
pgc="${LR_SOURCE_ROOT:?}/scripts/pg-cluster.sh"
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/db-restart.XXXXXX")
pg="$tmp/pg"
cleanup() { "$pgc" stop "$pg" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
if ! LR_PG_FSYNC=off "$pgc" start "$pg" >"$tmp/pg-start.log" 2>&1; then
    cat "$tmp/pg-start.log" >&2
    if [ "${LR_TEST_REQUIRE_DB:-0}" = 1 ]; then echo "could not start a private cluster" >&2; exit 1; fi
    echo "skipped: could not start a private PostgreSQL cluster" >&2
    exit 77
fi
eval "$("$pgc" env "$pg")"
check "db init" $L db init >/dev/null

make_pages() { # DIR TAG COUNT
    mkdir -p "$1"
    for i in $(seq -w 1 "$3"); do
        cp "$T/pages/ledger-a-bitonal-g4.tif" "$1/p$i.tif"; printf '%s %s' "$2" "$i" >> "$1/p$i.tif"
    done
}
# Waits until the batch has loaded a page (at most 60 s, and while the run is alive).
wait_first_page() { # BATCH PID
    for _ in $(seq 1 1200); do
        kill -0 "$2" 2>/dev/null || return 1
        [ "$(q "select count(*) from invocation_page ip join invocation i on i.id = ip.invocation_id where i.batch = '$1' and ip.outcome = 'done'" 2>/dev/null)" -ge 1 ] 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
opts=(-j 2 --no-derivatives --no-records --no-progress)

# 1. Restarted after ~3 s: the batch carries on (the default --reconnect-timeout is minutes).
n=8
make_pages "$tmp/in1" restart $n
t0=$(date +%s.%N)
$L run "${opts[@]}" --batch restart "$tmp/in1" >"$tmp/run1.out" 2>"$tmp/run1.err" &
pid=$!
check "restart: a first page loaded" wait_first_page restart $pid
"$pgc" stop "$pg"
sleep 3
"$pgc" start "$pg"
wait $pid
st=$?
cat "$tmp/run1.out"; grep -c 'reconnect' "$tmp/run1.err" | sed 's/^/reconnect lines on stderr: /'
echo "restart case took $(elapsed "$t0") s"
check "restart: exit 0 (status $st)" [ $st -eq 0 ]
check "restart: summary printed, every page loaded" grep -q "pages: *$n loaded, 0 already done, 0 failed" "$tmp/run1.out"
check "restart: a worker waited for the server, and got back in" grep -Eq 'worker [0-9]+: warning: reconnected to database .* after' "$tmp/run1.err"
check "restart: every page done once" [ "$(q "select count(*) from page_run where status = 'done' and source_path like '%/in1/%'")" = $n ]
check "restart: no failure recorded" [ "$(q "select count(*) from page_failure")" = 0 ]
check "restart: each page processed once" [ "$(q "select count(*) from page_run where attempts <> 1")" = 0 ]
check "restart: every page linked 'done' once" [ "$(q "select count(*) from invocation_page ip join invocation i on i.id = ip.invocation_id where i.batch = 'restart' and ip.outcome = 'done'")" = $n ]
check "restart: invocation finished with counts" [ "$(q "select exit_status || '|' || (counts->>'pages_done') || '|' || (counts->>'files') from invocation where batch = 'restart' and finished_at is not null")" = "0|$n|$n" ]

# 2. Gone for longer than --reconnect-timeout 3: status 1, the summary says what was not
# processed, and the end cannot be recorded (the server is still down when the driver gives up).
n=6
make_pages "$tmp/in2" giveup $n
t0=$(date +%s.%N)
$L run "${opts[@]}" --batch giveup --reconnect-timeout 3 "$tmp/in2" >"$tmp/run2.out" 2>"$tmp/run2.err" &
pid=$!
check "give up: a first page loaded" wait_first_page giveup $pid
"$pgc" stop "$pg"
t_stop=$(date +%s.%N)
wait $pid
st=$?
took=$(elapsed "$t0"); after_stop=$(elapsed "$t_stop")
cat "$tmp/run2.out"; cat "$tmp/run2.err"
echo "give-up case took $took s, $after_stop s of them after the server stopped"
check "give up: exit 1 (status $st)" [ $st -eq 1 ]
# The pages in hand are finished, then 3 s of waiting: far less than the default 300 s.
check "give up: ends soon after the timeout" awk -v t="$after_stop" 'BEGIN { exit !(t < 30) }'
check "give up: summary printed" grep -q "pages: *[0-9]* loaded" "$tmp/run2.out"
check "give up: summary counts the pages not processed" grep -Eq "not processed: *[1-9][0-9]* pages?" "$tmp/run2.out"
check "give up: stderr says the end is not recorded" grep -q 'could not record the end' "$tmp/run2.err"
loaded2=$(sed -n 's/^ *pages: *\([0-9][0-9]*\) loaded.*/\1/p' "$tmp/run2.out")
notdone2=$(sed -n 's/^ *not processed: *\([0-9][0-9]*\) page.*/\1/p' "$tmp/run2.out")
check "give up: loaded + not processed = $n (${loaded2:-?} + ${notdone2:-?})" [ $(( ${loaded2:-0} + ${notdone2:-0} )) -eq $n ]
"$pgc" start "$pg"
check "give up: invocation left unfinished" [ "$(q "select count(*) from invocation where batch = 'giveup' and finished_at is null")" = 1 ]
check "give up: pages loaded as the summary says" [ "$(q "select count(*) from page_run where status = 'done' and source_path like '%/in2/%'")" = "${loaded2:-x}" ]
check "give up: no page recorded as failed" [ "$(q "select count(*) from page_run where status = 'failed'")" = 0 ]
# A rerun loads the rest.
$L run "${opts[@]}" --batch giveup2 "$tmp/in2" >"$tmp/run3.out" 2>&1
check "rerun: exit 0" [ $? -eq 0 ]
check "rerun: loads the rest" grep -q "pages: *$(( n - ${loaded2:-0} )) loaded, ${loaded2:-x} already done, 0 failed" "$tmp/run3.out"
check "rerun: every page done once" [ "$(q "select count(*) from page_run where status = 'done' and source_path like '%/in2/%'")" = $n ]
finish
