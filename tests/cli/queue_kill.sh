#!/usr/bin/env bash
# Three "landrec worker --drain" share one queue; one of them is killed (SIGKILL) in the
# middle of a page, after reading it and before saving it (LANDREC_TEST_DELAY_SAVE_MS holds it
# there). Its heartbeat stops, its lease (3 s) runs out, another worker takes the page back,
# and every page ends done exactly once: one job done per page, one run per page, processed
# once, the killed job's lease counted as run out once.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/queue-kill.XXXXXX")
trap 'kill -9 ${victim:-} 2>/dev/null; rm -rf "$tmp"; psql -d postgres -Atqc "drop database if exists $TEST_DB with (force)" >/dev/null 2>&1' EXIT
check "db init" $L db init >/dev/null
in="$tmp/in"; mkdir -p "$in"
n=5
for i in $(seq 1 $n); do
    cp "$T/pages/ledger-a-bitonal-g4.tif" "$in/p$i.tif"; printf 'kill %s' "$i" >> "$in/p$i.tif"
done
check "enqueue" $L enqueue -q -q --batch kill --no-records --no-orientation "$in"
check "$n jobs queued" [ "$(q "select count(*) from job where state = 'queued'")" = $n ]
w=(--drain --no-derivatives --lease 3 --poll 1 --max-expiries 3)

t0=$(date +%s.%N)
# The victim holds its first page for a long time before saving it.
LANDREC_TEST_DELAY_SAVE_MS=600000 $L worker "${w[@]}" --host-id victim \
    --log-json "$tmp/victim.jsonl" >/dev/null 2>"$tmp/victim.err" &
victim=$!
# Its page read and held: the victim's job leased while its log says it claimed it.
waited=0
until [ "$(q "select count(*) from job where state = 'leased' and lease_owner = 'victim:$victim'")" = 1 ] || [ $waited -ge 600 ]; do
    sleep 0.05; waited=$((waited + 1))
done
victim_job=$(q "select id from job where lease_owner = 'victim:$victim'")
check "the victim holds a job" [ -n "$victim_job" ]
for h in w1 w2; do
    $L worker "${w[@]}" --host-id $h --log-json "$tmp/$h.jsonl" >/dev/null 2>"$tmp/$h.err" &
    eval "pid_$h=\$!"
done
# Kill it once its lease has been renewed at least once (it was beating, in the page).
first=$(q "select lease_until from job where id = $victim_job")
waited=0
until [ "$(q "select lease_until > '$first' from job where id = $victim_job")" = t ] || [ $waited -ge 200 ]; do
    sleep 0.05; waited=$((waited + 1))
done
check "the victim's heartbeat renewed its lease" [ "$(q "select lease_until > '$first' from job where id = $victim_job")" = t ]
kill -9 $victim
wait $victim 2>/dev/null
echo "victim (pid $victim) killed holding job $victim_job"
wait $pid_w1; st1=$?
wait $pid_w2; st2=$?
echo "drained in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
cat "$tmp/w1.err" "$tmp/w2.err"
check "worker w1 exits 0 (status $st1)" [ $st1 -eq 0 ]
check "worker w2 exits 0 (status $st2)" [ $st2 -eq 0 ]
check "every job done" [ "$(q "select count(*) from job where state = 'done'")" = $n ]
check "every page done once" [ "$(q "select count(*) from page_run where status = 'done'")" = $n ]
check "each page processed once (no failure, no second attempt)" [ "$(q "select count(*) from page_run where attempts <> 1 or status <> 'done'")" = 0 ]
check "no failure recorded" [ "$(q "select count(*) from page_failure")" = 0 ]
check "the killed job: its lease ran out once, claimed twice" [ "$(q "select expiries || ':' || attempts || ':' || state from job where id = $victim_job")" = "1:2:done" ]
check "the other jobs: claimed once" [ "$(q "select count(*) from job where id <> $victim_job and (attempts <> 1 or expiries <> 0)")" = 0 ]
check "the killed job went to a survivor" grep -q "\"event\":\"done\",\"job\":$victim_job," "$tmp/w1.jsonl" "$tmp/w2.jsonl"
check "a survivor's log says it took the lease back" grep -q "\"event\":\"lease_expired\",\"job\":$victim_job," "$tmp/w1.jsonl" "$tmp/w2.jsonl"
check "the survivor's log says it was the second attempt" grep -q "\"event\":\"claimed\",\"job\":$victim_job,.*\"attempt\":2" "$tmp/w1.jsonl" "$tmp/w2.jsonl"
check "the victim never finished a job" [ "$(grep -c '"event":"done"' "$tmp/victim.jsonl")" = 0 ]
check "pages linked done to the batch once each" [ "$(q "select count(*) from invocation_page ip join invocation i on i.id = ip.invocation_id where i.batch = 'kill' and ip.outcome = 'done'")" = $n ]
$L status --batch kill >"$tmp/status.out"
cat "$tmp/status.out"
# Its lease ran out before a survivor took its job: its last heartbeat is older than a lease.
check "status: the dead worker listed as silent, not running" grep -Eq "^victim:$victim .* silent: no heartbeat for a lease" "$tmp/status.out"
check "status: the survivors stopped" [ "$(grep -Ec '^w[12]:[0-9]+ .* stopped$' "$tmp/status.out")" = 2 ]
finish
