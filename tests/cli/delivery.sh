#!/usr/bin/env bash
# A contractor's delivery through the queue: "enqueue --manifest" queues the accepted lines'
# files as their document types, reports the rejected ones (status 1) and records each line;
# after "worker --drain" the pages export with what the manifest said of their file, and the
# report counts them under the contractor.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/delivery.XXXXXX")
trap 'rm -rf "$tmp"; psql -d postgres -Atqc "drop database if exists $TEST_DB with (force)" >/dev/null 2>&1' EXIT
check "db init" $L db init >/dev/null
fast=(--no-records --no-orientation)

root="$tmp/delivery"; mkdir -p "$root/v1"
cp "$T/pages/ledger-a-bitonal-g4.tif" "$root/v1/a.tif"
cp "$T/pages/two-pages-deflate.tif" "$root/v1/b.tif"
cp "$T/pages/ledger-a-bitonal-g4.tif" "$root/v1/a-copy.tif"
m="$root/manifest.csv"
cat > "$m" <<'CSV'
path,doc_type,district,volume,sheet,contractor,scan_date,operator
v1/a.tif,land_ledger,1111010100,3,17,"Hangil Scan, Ltd.",2026-03-02,kim
v1/b.tif,forest_ledger,11110,3,18,Seoul Imaging,2026-03-03,
v1/a-copy.tif,land_ledger,11110,3,19,Hangil Scan,2026-03-02,kim
v1/none.tif,land_ledger,11110,3,20,Hangil Scan,2026-03-02,kim
CSV
$L enqueue --batch D1 "${fast[@]}" --manifest "$m" >"$tmp/enq.out" 2>"$tmp/enq.err"
rc=$?
cat "$tmp/enq.out" "$tmp/enq.err"
check "lines rejected: status 1 (got $rc)" [ "$rc" -eq 1 ]
check "the same file under two names rejected" grep -qF "manifest.csv:4: v1/a-copy.tif: the same file (SHA-256) as line 2" "$tmp/enq.err"
check "a missing file rejected" grep -qF "manifest.csv:5: v1/none.tif: missing file" "$tmp/enq.err"
check "two document types" grep -qF "2 files in 2 document types; 2 lines rejected" "$tmp/enq.out"
check "jobs: a's page and b's two" [ "$(q "select count(*) from job where batch = 'D1'")" = 3 ]
check "each file queued as its line's type" [ "$(q "select string_agg(distinct options->>'doc_type', ',' order by options->>'doc_type') from job")" = "forest_ledger,land_ledger" ]
check "two lines recorded" [ "$(q "select count(*) from delivery_file where batch = 'D1'")" = 2 ]
check "recorded as written" [ "$(q "select contractor || '|' || district || '|' || volume || '|' || sheet || '|' || scan_date || '|' || operator || '|' || line from delivery_file where path like '%/v1/a.tif'")" = "Hangil Scan, Ltd.|1111010100|3|17|2026-03-02|kim|2" ]

# A corrected manifest enqueued again replaces its lines, adds no job.
sed -i 's/Seoul Imaging/Seoul Imaging Co./' "$m"
$L enqueue --batch D1 "${fast[@]}" --manifest "$m" >/dev/null 2>&1
check "again: still two lines" [ "$(q "select count(*) from delivery_file")" = 2 ]
check "again: the line corrected" [ "$(q "select contractor from delivery_file where path like '%/v1/b.tif'")" = "Seoul Imaging Co." ]
check "again: no new job" [ "$(q "select count(*) from job")" = 3 ]

# Options that do not go with a manifest.
$L enqueue --manifest "$m" "$root/v1" >/dev/null 2>"$tmp/e1"
check "--manifest with PATHs: status 2 ($?)" grep -q "give no PATH" "$tmp/e1"
$L enqueue --manifest "$m" --doc-type land_ledger >/dev/null 2>"$tmp/e2"
check "--manifest with --doc-type: status 2" grep -q "give no --doc-type" "$tmp/e2"
printf 'path,doc_type\n' > "$tmp/bad.csv"
$L enqueue --manifest "$tmp/bad.csv" >/dev/null 2>"$tmp/e3"
check "a manifest without its columns: status 2 ($?)" grep -q 'has no column "district"' "$tmp/e3"

# The pages, processed, export with their delivery; the report counts the contractors.
$L worker --drain --no-derivatives --lease 30 --poll 1 >/dev/null 2>"$tmp/w.err"
check "worker drains with 0 ($?)" [ $? -eq 0 ]
$L export --format jsonl --batch D1 > "$tmp/pages.jsonl"
check "three pages exported" [ "$(grep -c . "$tmp/pages.jsonl")" = 3 ]
check "every page carries its delivery" python3 - "$tmp/pages.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["source"].rsplit("/", 1)[1]: r["delivery"] for r in rows}
assert by["a.tif"]["contractor"] == "Hangil Scan, Ltd." and by["a.tif"]["district"] == "1111010100", by
assert by["a.tif"]["sheet"] == "17" and by["a.tif"]["scan_date"] == "2026-03-02" and by["a.tif"]["line"] == 2, by
assert by["b.tif"]["contractor"] == "Seoul Imaging Co." and by["b.tif"]["doc_type"] == "forest_ledger", by
assert all(r["delivery"]["batch"] == "D1" for r in rows)
PY
if [ -x "${LR_SOURCE_ROOT:-.}/../shared/tools/check-export" ]; then
    check "the export keeps its contract" "$LR_SOURCE_ROOT/../shared/tools/check-export" pages < "$tmp/pages.jsonl"
fi
year=$(date -u +%Y)
$L report --year "$year" >"$tmp/report.txt" 2>&1
check "the report names the contractor with its pages" grep -Eq 'Seoul Imaging Co\. +1 +2 +0 +2026-03-03' "$tmp/report.txt"
check "and the other" grep -Eq 'Hangil Scan, Ltd\. +1 +1 +0' "$tmp/report.txt"
finish
