#!/usr/bin/env bash
# The work queue without accidents: enqueuing twice makes no duplicate jobs; a corrupt file's
# job fails with a reason naming the file (and "worker --drain" exits 1), an empty queue drains
# with 0, bad options give 2; a job failed is queued again by a new enqueue; a file missing
# when enqueued is one job for page 0, expanded into its pages when it appears; a lease that
# ran out max-expiries times is quarantined with its reason; an idle worker is woken by
# enqueue's NOTIFY (not by its poll), and workers started with --jobs stop on one SIGTERM with
# 130; "status" shows it all; the largest files are queued first.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/queue-basics.XXXXXX")
trap 'rm -rf "$tmp"; psql -d postgres -Atqc "drop database if exists $TEST_DB with (force)" >/dev/null 2>&1' EXIT
check "db init" $L db init >/dev/null
fast=(--no-records --no-orientation)
w=(--drain --no-derivatives --lease 5 --poll 1)

in="$tmp/in"; mkdir -p "$in"
cp "$T/pages/ledger-a-bitonal-g4.tif" "$in/a.tif"
cp "$T/pages/two-pages-deflate.tif" "$in/b.tif"
head -c 3000 "$T/pages/ledger-a-bitonal-g4.tif" > "$in/corrupt.tif"   # a truncated TIFF

# 1. Enqueue twice: the same jobs.
$L enqueue --batch basics "${fast[@]}" "$in" >"$tmp/enq1.out" 2>"$tmp/enq1.err"
check "enqueue exits 0" [ $? -eq 0 ]
cat "$tmp/enq1.out"
jobs1=$(q "select count(*) from job")
$L enqueue --batch basics "${fast[@]}" "$in" >"$tmp/enq2.out" 2>&1
check "enqueue again exits 0" [ $? -eq 0 ]
check "enqueue again: nothing added" grep -q "0 added, 0 queued again, $jobs1 already" "$tmp/enq2.out"
check "no duplicate jobs ($jobs1)" [ "$(q "select count(*) from job")" = "$jobs1" ]
check "one job per page: a 1, b 2, the corrupt file 1" [ "$jobs1" = 4 ]
check "paths recorded absolute" [ "$(q "select count(*) from job where path not like '/%'")" = 0 ]
# The largest first (two pages of b before the one of a, though a's name comes first), a file
# that cannot be opened last: the claim takes jobs in id order.
order=$(q "select string_agg(regexp_replace(path, '.*/', '') || ':' || page, ' ' order by id) from job")
check "queued the largest first: $order" [ "$order" = "b.tif:1 b.tif:2 a.tif:1 corrupt.tif:0" ]
check "options recorded with the jobs" [ "$(q "select count(*) from job where options->>'records' = 'false' and options->>'orientation' = 'false'")" = 4 ]
# Other options are another run key: other jobs.
$L enqueue -q -q --batch basics --no-records "$in/a.tif"
check "other settings: another job" [ "$(q "select count(*) from job")" = 5 ]
q "delete from job where options->>'orientation' = 'true'" >/dev/null

# 2. Drain: the corrupt file fails, the worker says 1.
$L worker "${w[@]}" --host-id basics --log-json "$tmp/log1.jsonl" >"$tmp/w1.out" 2>"$tmp/w1.err"
st=$?
cat "$tmp/w1.err"
check "drain with a failed job exits 1 (status $st)" [ $st -eq 1 ]
check "three jobs done" [ "$(q "select count(*) from job where state = 'done'")" = 3 ]
check "corrupt: job failed" [ "$(q "select state from job where path like '%/corrupt.tif'")" = failed ]
check "corrupt: the reason names the file" grep -q 'corrupt.tif' <<<"$(q "select last_error from job where path like '%/corrupt.tif'")"
check "corrupt: recorded in page_failure as run records it" [ "$(q "select count(*) from page_failure where source_path like '%/corrupt.tif'")" = 1 ]
check "done jobs linked to their runs" [ "$(q "select count(*) from job j join page_run pr on pr.id = j.page_run_id where j.state = 'done' and pr.status = 'done'")" = 3 ]
check "the batch's invocation has the pages" [ "$(q "select count(*) from invocation_page ip join invocation i on i.id = ip.invocation_id where i.batch = 'basics' and ip.outcome = 'done'")" = 3 ]
check "JSON log: one object per line" python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
kinds = [e["event"] for e in ev]
assert kinds[0] == "started" and kinds[-1] == "stopped", kinds
assert kinds.count("claimed") == 4 and kinds.count("done") == 3 and kinds.count("failed") == 1, kinds
assert all(e["worker"].startswith("basics:") for e in ev)
' "$tmp/log1.jsonl"
$L status --batch basics >"$tmp/status1.out"
check "status exits 0" [ $? -eq 0 ]
cat "$tmp/status1.out"
check "status: the batch's counts" grep -Eq '^basics +0 +0 +3 +1 +0 +4$' "$tmp/status1.out"
check "status: the failed job's reason" grep -q 'failed job .*corrupt.tif' "$tmp/status1.out"
check "status: the worker, stopped" grep -Eq '^basics:[0-9]+ .* stopped$' "$tmp/status1.out"

# 3. Nothing left: drain exits 0 at once; bad options 2.
$L worker "${w[@]}" --host-id basics >/dev/null 2>&1
check "empty queue: drain exits 0" [ $? -eq 0 ]
$L worker --lease 0 >/dev/null 2>&1
check "bad --lease: exit 2" [ $? -eq 2 ]
$L worker somefile >/dev/null 2>&1
check "a path given to worker: exit 2" [ $? -eq 2 ]
$L worker --db "dbname=lr_no_such_db_$$" --drain >/dev/null 2>&1
check "no database: exit 2" [ $? -eq 2 ]
for cmd in enqueue worker status; do
    check "$cmd --help" $L $cmd --help >/dev/null
done

# 4. Enqueue again: the failed job is queued again (still corrupt: fails again).
$L enqueue --batch basics "${fast[@]}" "$in" >"$tmp/enq3.out" 2>&1
check "enqueue after failure: the failed job queued again" grep -q "0 added, 1 queued again, 3 already" "$tmp/enq3.out"

q "delete from job" >/dev/null

# 5. A file missing when enqueued: one job for page 0; when it appears, its pages.
$L enqueue -q -q --batch late "${fast[@]}" "$tmp/late.tif" 2>/dev/null
check "missing file: one page-0 job" [ "$(q "select page || ':' || state from job where batch = 'late'")" = "0:queued" ]
cp "$T/pages/two-pages-deflate.tif" "$tmp/late.tif"
printf 'late' >> "$tmp/late.tif"
$L worker "${w[@]}" --host-id late >/dev/null 2>"$tmp/w5.err"
check "late file: drain exits 0" [ $? -eq 0 ]
check "late file: expanded into its two pages, all done" [ "$(q "select string_agg(page || ':' || state || ':' || COALESCE(outcome, ''), ' ' order by page) from job where batch = 'late'")" = "0:done:expanded into 2 page jobs 1:done:loaded 2:done:loaded" ]

# 6. Leases that ran out (their worker died) max-expiries times: quarantined with the reason.
q "insert into worker (id, host, pid) values ('ghost:1', 'ghost', 1)" >/dev/null
cp "$T/pages/ledger-a-bitonal-g4.tif" "$tmp/q.tif"; printf 'quarantine' >> "$tmp/q.tif"
$L enqueue -q -q --batch quar "${fast[@]}" "$tmp/q.tif"
q "update job set state = 'leased', lease_owner = 'ghost:1', lease_until = now() - interval '1 s', attempts = 2, expiries = 1 where batch = 'quar'" >/dev/null
$L worker "${w[@]}" --host-id quar --max-expiries 2 --log-json "$tmp/log6.jsonl" >/dev/null 2>"$tmp/w6.err"
check "quarantine: drain exits 0 (nothing of its own failed)" [ $? -eq 0 ]
check "quarantine: job quarantined" [ "$(q "select state || ':' || expiries from job where batch = 'quar'")" = "quarantined:2" ]
check "quarantine: the reason names the worker" grep -q 'lease of worker ghost:1 ran out' <<<"$(q "select last_error from job where batch = 'quar'")"
check "quarantine: the page was not processed" [ "$(q "select count(*) from page_run where source_path like '%/q.tif'")" = 0 ]
check "quarantine: the worker says so" grep -q 'quarantined' "$tmp/w6.err"
check "quarantine: the JSON log says so" grep -q '"event":"quarantined".*lease of worker ghost:1' "$tmp/log6.jsonl"
$L enqueue --batch quar "${fast[@]}" "$tmp/q.tif" >"$tmp/enq6.out" 2>&1
check "quarantine: enqueue puts it back" grep -q "0 added, 1 queued again" "$tmp/enq6.out"
check "quarantine: its counts reset" [ "$(q "select state || ':' || attempts || ':' || expiries from job where batch = 'quar'")" = "queued:0:0" ]
q "delete from job" >/dev/null

# 7. Idle workers (two, --jobs 2; poll every 60 s) are woken by enqueue's NOTIFY, and stop on
# one SIGTERM to their parent, which passes it on.
$L worker --jobs 2 --no-derivatives --host-id idle --poll 60 --log-json "$tmp/log7.jsonl" >/dev/null 2>"$tmp/w7.err" &
wpid=$!
# Both listening: a NOTIFY sent now reaches them (their last statement is the LISTEN).
waited=0
until [ "$(q "select count(*) from pg_stat_activity where query = 'LISTEN landrec_jobs' and state = 'idle'")" = 2 ] || [ $waited -ge 400 ]; do
    sleep 0.05; waited=$((waited + 1))
done
check "two idle workers listening" [ "$(q "select count(*) from worker where id like 'idle:%' and stopped_at is null")" = 2 ]
cp "$T/pages/ledger-a-bitonal-g4.tif" "$tmp/n.tif"; printf 'notify' >> "$tmp/n.tif"
$L enqueue -q -q --batch notify "${fast[@]}" "$tmp/n.tif"
waited=0
until [ "$(q "select state from job where batch = 'notify'")" = done ] || [ $waited -ge 1200 ]; do
    sleep 0.05; waited=$((waited + 1))
done
check "notify: the job done" [ "$(q "select state from job where batch = 'notify'")" = done ]
took=$(q "select round(extract(epoch from claimed_at - enqueued_at)::numeric, 2) from job where batch = 'notify'")
echo "notified job claimed $took s after it was enqueued"
check "notify: an idle worker claimed the job well before its 60 s poll ($took s)" awk -v t="$took" 'BEGIN { exit !(t != "" && t < 10) }'
kill -TERM $wpid
wait $wpid
st=$?
check "SIGTERM: exit 130 (status $st)" [ $st -eq 130 ]
check "SIGTERM: both workers' rows say stopped" [ "$(q "select count(*) from worker where id like 'idle:%' and stopped_at is not null")" = 2 ]
check "SIGTERM: each worker logged its stop" [ "$(grep -c '"event":"stopped","message":"interrupted"' "$tmp/log7.jsonl")" = 2 ]

# 8. Jobs the worker refuses before reading: the file changed since it was enqueued; a page the
# file does not have; settings that differ on this machine (retried, then failed once
# --max-attempts claims are spent).
q "delete from job" >/dev/null
cp "$T/pages/ledger-a-bitonal-g4.tif" "$tmp/c.tif"; printf 'changed' >> "$tmp/c.tif"
cp "$T/pages/ledger-a-bitonal-g4.tif" "$tmp/p.tif"; printf 'pages' >> "$tmp/p.tif"
cp "$T/pages/ledger-a-bitonal-g4.tif" "$tmp/s.tif"; printf 'settings' >> "$tmp/s.tif"
$L enqueue -q -q --batch refuse "${fast[@]}" "$tmp/c.tif" "$tmp/p.tif" "$tmp/s.tif"
printf 'more' >> "$tmp/c.tif"
q "update job set page = 5 where path like '%/p.tif'" >/dev/null
q "insert into settings (hash, description) values (repeat('b', 64), '{}')" >/dev/null
q "update job set settings_hash = repeat('b', 64) where path like '%/s.tif'" >/dev/null
$L worker "${w[@]}" --host-id refuse --max-attempts 2 --retry-after 0 >/dev/null 2>"$tmp/w8.err"
st=$?
check "refused jobs: drain exits 1 (status $st)" [ $st -eq 1 ]
check "changed file: failed, saying so" grep -q 'changed since it was enqueued' <<<"$(q "select state || ' ' || last_error from job where path like '%/c.tif'" | grep '^failed ')"
check "missing page: failed, saying so" grep -q 'page 5 does not exist: the file has 1 page' <<<"$(q "select state || ' ' || last_error from job where path like '%/p.tif'" | grep '^failed ')"
check "other settings: retried, then failed after 2 attempts" grep -q 'other models or engine versions (gave up after 2 attempts)' <<<"$(q "select state || ':' || attempts || ' ' || last_error from job where path like '%/s.tif'" | grep '^failed:2 ')"
check "refused jobs: nothing stored" [ "$(q "select count(*) from page_run where source_path ~ '/(c|p|s)[.]tif$'")" = 0 ]
finish
