#!/usr/bin/env bash
# Workers and a database that restarts in the middle of the queue: two workers ("worker --drain
# --jobs 2") lose the server for ~3 s while pages are being read, reconnect with backoff (the
# store's), and every page ends done, once; no job is lost or left leased. The server restarted is a private
# cluster started here: the suite's shared one is not touched.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
pgc="${LR_SOURCE_ROOT:?}/scripts/pg-cluster.sh"
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/queue-restart.XXXXXX")
pg="$tmp/pg"
cleanup() { kill -9 ${p1:-} 2>/dev/null; "$pgc" stop "$pg" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
if ! LR_PG_FSYNC=off "$pgc" start "$pg" >"$tmp/pg-start.log" 2>&1; then
    cat "$tmp/pg-start.log" >&2
    if [ "${LR_TEST_REQUIRE_DB:-0}" = 1 ]; then echo "could not start a private cluster" >&2; exit 1; fi
    echo "skipped: could not start a private PostgreSQL cluster" >&2
    exit 77
fi
eval "$("$pgc" env "$pg")"
check "db init" $L db init >/dev/null
in="$tmp/in"; mkdir -p "$in"
n=8
for i in $(seq -w 1 $n); do
    cp "$T/pages/ledger-a-bitonal-g4.tif" "$in/p$i.tif"; printf 'queue-restart %s' "$i" >> "$in/p$i.tif"
done
check "enqueue" $L enqueue -q -q --batch restart --no-records --no-orientation "$in"
# The lease outlasts the outage: the workers keep their pages through it.
w=(--drain --no-derivatives --lease 30 --poll 1)
t0=$(date +%s.%N)
$L worker "${w[@]}" --jobs 2 --host-id r --log-json "$tmp/r.jsonl" >/dev/null 2>"$tmp/r.err" &
p1=$!
waited=0
until [ "$(q "select count(*) from job where state = 'done'" 2>/dev/null)" -ge 1 ] 2>/dev/null || [ $waited -ge 1200 ]; do
    sleep 0.05; waited=$((waited + 1))
done
check "a first page done before the restart" [ "$(q "select count(*) from job where state = 'done'")" -ge 1 ]
"$pgc" stop "$pg"
sleep 3   # the outage itself
"$pgc" start "$pg"
wait $p1; st1=$?
echo "drained in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
cat "$tmp/r.err"
check "worker --jobs 2 exits 0 (status $st1)" [ $st1 -eq 0 ]
check "the workers waited for the server and got back in" grep -Eq 'worker r:[0-9]+: warning: reconnected to database .* after' "$tmp/r.err"
check "every job done" [ "$(q "select count(*) from job where state = 'done'")" = $n ]
check "nothing queued or leased left" [ "$(q "select count(*) from job where state in ('queued', 'leased')")" = 0 ]
check "every page done once" [ "$(q "select count(*) from page_run where status = 'done'")" = $n ]
check "no failure recorded" [ "$(q "select count(*) from page_failure")" = 0 ]
check "each page processed once" [ "$(q "select count(*) from page_run where attempts <> 1")" = 0 ]
check "every page linked 'done' once" [ "$(q "select count(*) from invocation_page ip join invocation i on i.id = ip.invocation_id where i.batch = 'restart' and ip.outcome = 'done'")" = $n ]
check "workers recorded as stopped" [ "$(q "select count(*) from worker where stopped_at is not null")" = 2 ]
check "invocations finished, pages counted once" [ "$(q "select sum((counts->>'pages_done')::int + (counts->>'pages_skipped')::int + (counts->>'pages_done_elsewhere')::int) from invocation where batch = 'restart' and finished_at is not null")" = $n ]
finish
