#!/usr/bin/env bash
# Reprocessing: pages selected by their latest run (batch, confidence, failure, run ids) are
# queued again under other settings as page jobs, beside the old runs; the same settings queue
# nothing; workers make the new runs; "compare" sets the two settings side by side (text and
# JSON lines), and refuses a prefix that is not one settings hash; "choose" makes a run stand
# for its page in the exports instead of the latest.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/reprocess.XXXXXX")
trap 'rm -rf "$tmp"; psql -d postgres -Atqc "drop database if exists $TEST_DB with (force)" >/dev/null 2>&1' EXIT
check "db init" $L db init >/dev/null
fast=(--no-records --no-orientation)
w=(--drain --no-derivatives --poll 1)
in="$tmp/in"; mkdir -p "$in"
cp "$T/pages/ledger-a-bitonal-g4.tif" "$in/a.tif"
cp "$T/pages/two-pages-deflate.tif" "$in/b.tif"

# 1. Batch R1: three pages, done.
$L enqueue -q -q --batch R1 "${fast[@]}" "$in/a.tif" "$in/b.tif"
check "enqueue R1 exits 0" [ $? -eq 0 ]
$L worker "${w[@]}" >/dev/null 2>"$tmp/w1.err"
check "worker R1 exits 0" [ $? -eq 0 ]
check "three runs done" [ "$(q "select count(*) from page_run where status = 'done'")" = 3 ]
hash_a=$(q "select distinct settings_hash from page_run")

# 2. Again with Otsu: three page jobs under new settings, the old runs untouched.
$L reprocess --from-batch R1 --binarize otsu "${fast[@]}" --batch R2 >"$tmp/r2.out" 2>&1
check "reprocess exits 0" [ $? -eq 0 ]
cat "$tmp/r2.out"
check "reprocess: 3 selected" grep -q 'selected: 3 pages' "$tmp/r2.out"
check "reprocess: 3 queued, 3 added" grep -q 'queued: *3 pages (0 whole files never read); jobs: 3 added' "$tmp/r2.out"
check "R2: three page jobs with checksums" [ "$(q "select count(*) from job where batch = 'R2' and state = 'queued' and page >= 1 and sha256 is not null")" = 3 ]
check "R2: Otsu in the jobs' options" [ "$(q "select count(*) from job where batch = 'R2' and options->>'binarize' = 'otsu'")" = 3 ]
check "R2: another settings hash" [ "$(q "select count(distinct settings_hash) from job")" = 2 ]
check "R2: the paths' bytes as R1's" [ "$(q "select count(*) from job a join job b on b.path_raw = a.path_raw and b.page = a.page where a.batch = 'R1' and b.batch = 'R2'")" = 3 ]

# 3. The settings the pages have already: nothing to reprocess.
$L reprocess --from-batch R1 "${fast[@]}" >"$tmp/same.out" 2>&1
check "same settings exits 0" [ $? -eq 0 ]
check "same settings: said so" grep -q '3 pages already have these settings .*nothing to reprocess' "$tmp/same.out"
check "same settings: no job added" [ "$(q "select count(*) from job")" = 6 ]

# 4. The workers make the new runs beside the old.
$L worker "${w[@]}" >/dev/null 2>"$tmp/w2.err"
check "worker R2 exits 0" [ $? -eq 0 ]
check "each page has two done runs" [ "$(q "select count(*) from (select 1 from page_run where status = 'done' group by file_key, page having count(*) = 2) x")" = 3 ]
hash_b=$(q "select settings_hash from job where batch = 'R2' limit 1")
check "two hashes" [ "${#hash_a}" = 64 -a "${#hash_b}" = 64 -a "$hash_a" != "$hash_b" ]

# 5. compare: three pages, both confidences, a CER; JSON lines parse.
$L compare "${hash_a:0:10}" "${hash_b:0:12}" >"$tmp/cmp.txt" 2>"$tmp/cmp.err"
check "compare exits 0" [ $? -eq 0 ]
cat "$tmp/cmp.txt"
check "compare: A is the reference" grep -q "^A $hash_a (the reference)" "$tmp/cmp.txt"
check "compare: three page rows with two confidences and a CER" [ "$(grep -Ec '^ +[12] +[0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]\.[0-9]{4} +0 +0  /' "$tmp/cmp.txt")" = 3 ]
check "compare: totals" grep -q '^totals: 3 pages compared; 0 fields compared, 0 changed' "$tmp/cmp.txt"
check "compare: mean confidences" grep -Eq '^  mean confidence: A [0-9]+\.[0-9], B [0-9]+\.[0-9]$' "$tmp/cmp.txt"
$L compare --format jsonl "$hash_a" "$hash_b" >"$tmp/cmp.jsonl"
check "compare --format jsonl exits 0" [ $? -eq 0 ]
check "jsonl: three objects with confidences and a CER" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 3, rows
for r in rows:
    assert r["run_a"] != r["run_b"], r
    assert 0 <= r["conf_a"] <= 100 and 0 <= r["conf_b"] <= 100, r
    assert r["chars_a"] > 0 and isinstance(r["cer"], float) and r["cer"] >= 0, r
    assert r["edits"] >= 0 and r["changed"] == [] and r["fields"] == 0, r
assert sorted((r["path"].rsplit("/", 1)[1], r["page"]) for r in rows) == [("a.tif", 1), ("b.tif", 1), ("b.tif", 2)]
' "$tmp/cmp.jsonl"
$L compare --batch R2 "$hash_a" "$hash_b" | grep -q '^totals: 3 pages'
check "compare --batch R2: three pages" [ $? -eq 0 ]
$L compare --batch nosuch "$hash_a" "$hash_b" >/dev/null 2>"$tmp/none.err"
check "compare of no page in common exits 0" [ $? -eq 0 ]
check "and says so" grep -q 'no page has a done run under both' "$tmp/none.err"

# Known texts and fields on a.tif's two runs: what compare must find in them.
ra=$(q "select id from page_run where source_path like '%/a.tif' and settings_hash = '$hash_a'")
rb=$(q "select id from page_run where source_path like '%/a.tif' and settings_hash = '$hash_b'")
q "update page_run set text = 'abcd efgh' where id = $ra; update page_run set text = 'abXd efgh ij' where id = $rb" >/dev/null
q "insert into record_sheet (page_run_id, doc_type, cells, cells_reread, nreview) values ($ra, 'land_ledger', 3, 0, 0), ($rb, 'forest_ledger', 3, 0, 0);
   insert into field_value (page_run_id, section, row_no, field, raw, value, conf, review, reread) values
     ($ra, 'sheet', 0, 'lot', '12', '12', 90, false, false), ($rb, 'sheet', 0, 'lot', '12', '12', 90, false, false),
     ($ra, 'land', 1, 'area', '33', '33', 90, false, false), ($rb, 'land', 1, 'area', '38', '38', 90, false, false),
     ($ra, 'owner', 2, 'name', 'x', 'x', 90, false, false)" >/dev/null
$L compare "$hash_a" "$hash_b" >"$tmp/cmp2.txt" 2>&1
cat "$tmp/cmp2.txt"
check "compare: a.tif's CER 3 edits over 8 characters, words 2 and 3" grep -Eq '^ +1 +[0-9.]+ +[0-9.]+ +8 +10 +2 +3 +0\.3750 +3 +2  .*/a\.tif$' "$tmp/cmp2.txt"
check "compare: the changed value, A -> B" grep -q '^      land 1 area: "33" -> "38"$' "$tmp/cmp2.txt"
check "compare: a field B lacks" grep -q '^      owner 2 name: "x" -> (none)$' "$tmp/cmp2.txt"
check "compare: the unchanged field not listed" bash -c "! grep -q 'sheet 0 lot' '$tmp/cmp2.txt'"
check "compare: field totals" grep -q '^totals: 3 pages compared; 3 fields compared, 2 changed' "$tmp/cmp2.txt"
$L compare --format jsonl "$hash_a" "$hash_b" | python3 -c '
import json, sys
rows = {(r["path"].rsplit("/", 1)[1], r["page"]): r for r in map(json.loads, sys.stdin)}
r = rows[("a.tif", 1)]
assert r["edits"] == 3 and r["cer"] == 0.375 and r["fields"] == 3, r
assert r["changed"] == [{"section": "land", "row_no": 1, "field": "area", "a": "33", "b": "38"},
                        {"section": "owner", "row_no": 2, "field": "name", "a": "x", "b": None}], r["changed"]
'
check "jsonl: the same edits and fields" [ $? -eq 0 ]
$L reprocess --of-doc-type forest_ledger --binarize otsu --no-records >"$tmp/doc.out" 2>&1
check "--of-doc-type forest_ledger: the latest run of a.tif only" grep -q 'selected: 1 page$' "$tmp/doc.out"
$L reprocess --of-doc-type land_ledger --no-records >"$tmp/doc2.out" 2>&1
check "--of-doc-type land_ledger: an older run's type does not count" grep -q 'selected: 0 pages' "$tmp/doc2.out"
q "delete from job where state = 'queued'" >/dev/null

# 6. Bad, unknown and ambiguous prefixes: 2.
$L compare "${hash_a:0:7}" "$hash_b" >/dev/null 2>&1
check "a 7-digit prefix exits 2" [ $? -eq 2 ]
$L compare "zz${hash_a:2:10}" "$hash_b" >/dev/null 2>&1
check "a prefix not hex exits 2" [ $? -eq 2 ]
q "insert into settings (hash, description) values ('deadbeef' || repeat('0', 56), '{}'), ('deadbeef' || repeat('1', 56), '{}')" >/dev/null
$L compare deadbeef "$hash_b" >/dev/null 2>"$tmp/amb.err"
check "an ambiguous prefix exits 2" [ $? -eq 2 ]
check "and names it ambiguous" grep -q 'deadbeef is ambiguous' "$tmp/amb.err"
$L compare deadbeef00000001 "$hash_b" >/dev/null 2>&1
check "an unknown prefix exits 2" [ $? -eq 2 ]

# 7. Selections: the latest run decides, the criteria combine with AND.
$L reprocess --from-batch R1 --binarize otsu "${fast[@]}" >"$tmp/r1.out" 2>&1
check "R1 is no page's latest run now: exit 0" [ $? -eq 0 ]
check "and none selected" grep -q 'selected: 0 pages' "$tmp/r1.out"
$L reprocess --below-confidence 0 "${fast[@]}" >"$tmp/below0.out" 2>&1
check "--below-confidence 0 exits 0" [ $? -eq 0 ]
check "--below-confidence 0 selects none" grep -q 'selected: 0 pages' "$tmp/below0.out"
$L reprocess --from-batch R2 --below-confidence 100 "${fast[@]}" >"$tmp/back.out" 2>&1
check "back to R1's settings: 3 selected" grep -q 'selected: 3 pages' "$tmp/back.out"
check "whose jobs are done already" grep -q '0 added, 0 queued again, 3 already queued or done' "$tmp/back.out"
echo "$(q "select id from page_run where source_path like '%/a.tif' and settings_hash = '$hash_a'")" >"$tmp/sheets"
$L reprocess --sheets "$tmp/sheets" --remove-lines "${fast[@]}" >"$tmp/sheets.out" 2>&1
check "--sheets: an old run's page selected" grep -q 'selected: 1 page$' "$tmp/sheets.out"
check "--sheets: one job of a.tif" [ "$(q "select count(*) from job where path like '%/a.tif' and options->>'remove_lines' = 'true'")" = 1 ]
q "delete from job where state = 'queued'" >/dev/null

# 8. --failed: a corrupt file's failed run is selected, and queued whole.
head -c 3000 "$T/pages/ledger-a-bitonal-g4.tif" >"$in/corrupt.tif"
$L enqueue -q -q --batch R3 "${fast[@]}" "$in/corrupt.tif" 2>/dev/null
$L worker "${w[@]}" >/dev/null 2>&1
check "the corrupt file failed" [ "$(q "select count(*) from page_run where status = 'failed'")" = 1 ]
$L reprocess --failed --binarize otsu "${fast[@]}" >"$tmp/failed.out" 2>&1
check "--failed exits 0" [ $? -eq 0 ]
cat "$tmp/failed.out"
check "--failed: one selected" grep -q 'selected: 1 page$' "$tmp/failed.out"
check "--failed: its job queued" [ "$(q "select count(*) from job where path like '%/corrupt.tif' and state = 'queued' and settings_hash = '$hash_b'")" = 1 ]
$L reprocess --failed --from-batch R1 "${fast[@]}" >"$tmp/failed2.out" 2>&1
check "--failed AND --from-batch R1: none" grep -q 'selected: 0 pages' "$tmp/failed2.out"

# 9. choose: the older run of a.tif stands; export gives it, not the latest; choices are kept.
export_a() { $L export --format jsonl | python3 -c '
import json, sys
print([r["run_id"] for r in map(json.loads, sys.stdin) if r["source"].endswith("/a.tif") and r["page"] == 1][0])'; }
check "before: export gives a.tif's latest run" [ "$(export_a)" = "$rb" ]
$L choose "$ra" --by kim --why "Sauvola reads the stamps" >"$tmp/choose.out" 2>&1
check "choose exits 0" [ $? -eq 0 ]
check "choose says which run it replaced" grep -q "run $ra stands for its page (instead of run $rb), chosen by kim" "$tmp/choose.out"
check "after: export gives the chosen run" [ "$(export_a)" = "$ra" ]
check "the records export too" [ "$($L export --format jsonl --records | python3 -c '
import json, sys
print([r["run_id"] for r in map(json.loads, sys.stdin) if r["source"].endswith("/a.tif")])')" = "[$ra]" ]
check "the choice recorded with who and why" [ "$(q "select chosen_by || '|' || why from run_choice where page_run_id = $ra")" = "kim|Sauvola reads the stamps" ]
check "other pages keep their latest run" [ "$($L export --format jsonl | python3 -c '
import json, sys
print(sorted({r["settings_hash"] for r in map(json.loads, sys.stdin) if r["source"].endswith("/b.tif")}))')" = "['$hash_b']" ]
$L choose "$rb" --by lee >/dev/null 2>&1
check "a newer choice stands" [ "$(export_a)" = "$rb" ]
check "both choices kept" [ "$(q "select count(*) from run_choice")" = 2 ]
$L choose "$ra" >/dev/null 2>&1
check "choose without --by exits 2" [ $? -eq 2 ]
$L choose 999999 --by kim >/dev/null 2>"$tmp/nosuch.err"
check "choose of no such run exits 2" [ $? -eq 2 ]
check "and says so" grep -q 'there is no run 999999' "$tmp/nosuch.err"
rf=$(q "select id from page_run where status = 'failed' limit 1")
$L choose "$rf" --by kim >/dev/null 2>"$tmp/failedrun.err"
check "choose of a failed run exits 2" [ $? -eq 2 ]
check "and says only a done run can stand" grep -q 'only a done run can stand' "$tmp/failedrun.err"
check "no choice recorded by the refusals" [ "$(q "select count(*) from run_choice")" = 2 ]

$L reprocess --help >/dev/null && $L compare --help >/dev/null && $L choose --help >/dev/null
check "--help of the three" [ $? -eq 0 ]
finish
