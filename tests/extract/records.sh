#!/usr/bin/env bash
# Parcel records end to end: landrec run on the ruled test sheets loads sheets, history rows
# and field values in the page's transaction; export --records passes check-export and
# matches the truth; --doc-type overrides the classification; review export writes cell
# images and a CSV, and review import adds attributed versions that the export then shows;
# review export --training writes one image and ground-truth text per reviewed cell.
set -u
. "$(dirname "$0")/../cli/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/records.XXXXXX")
mkdir -p "$tmp/in"
cp "$T/ledger/land-01.png" "$T/ledger/land-02.png" "$tmp/in/"

check "db init" $L db init >/dev/null
$L run -j 2 --batch r1 --out "$tmp/out" --no-progress --no-orientation "$tmp/in" >"$tmp/run.out" 2>&1
check "run exits 0" [ $? -eq 0 ] || cat "$tmp/run.out"
check "two sheets recorded" [ "$(q "select count(*) from record_sheet where doc_type = 'land_ledger'")" = 2 ]
check "extract time recorded" [ "$(q "select count(*) from page_run where extract_ms > 0")" = 2 ]
check "land history rows" [ "$(q "select count(*) from land_history")" = 3 ]
check "owner history rows" [ "$(q "select count(*) from owner_history")" = 3 ]
check "values keep raw text and boxes" [ "$(q "select count(*) from field_value where raw is null or x1 <= x0")" = 0 ]
check "review items match flagged fields" [ "$(q "select count(*) from review_item")" = "$(q "select count(*) from field_value where review")" ]
# Lineage edges come only from lot numbers written in a split, merge or conversion entry. The
# two sheets' splits (分割, 분할) name no other lot, so an edge here would be read out of text
# that names none.
check "a split naming no lot adds no lineage" [ "$(q "select count(*) from parcel_lineage")" = 0 ]

$L export --format jsonl --records --batch r1 > "$tmp/rec.jsonl"
check "export --records exits 0" [ $? -eq 0 ]
checker="${LR_SOURCE_ROOT:-.}/../shared/tools/check-export"
if [ -x "$checker" ]; then
    check "records pass check-export" bash -c "'$checker' records < '$tmp/rec.jsonl' >/dev/null"
fi
check "records match the truth" python3 - "$tmp/rec.jsonl" "$T/ledger" <<'PY'
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2, len(recs)
right = total = 0
for r in recs:
    t = json.load(open(os.path.join(sys.argv[2], os.path.basename(r['source'])[:-4] + '.json')))
    assert r['doc_type'] == 'land_ledger'
    f = t['fields']
    pairs = [(f[k], r[k]) for k in ('location', 'lot', 'category', 'area', 'grade') if f[k]]
    for hist in ('land_history', 'owner_history'):
        assert len(r[hist]) == len(f[hist]), (hist, len(r[hist]))
        for tr, rr in zip(f[hist], r[hist]):
            pairs += [(tr[k], rr[k]) for k in tr]
    for tf, rf in pairs:
        total += 1
        right += rf is not None and (rf['value'] or '').replace(' ', '') == tf['value'].replace(' ', '')
    # the parcel's identifiers: present, null or 10 digits and its PNU
    assert 'legal_dong' in r and 'pnu' in r, r.keys()
    if r['pnu'] is not None:
        assert len(r['pnu']) == 19 and r['pnu'].startswith(r['legal_dong']), r['pnu']
print(f'{right}/{total} fields right', file=sys.stderr)
assert right >= 0.9 * total
PY

# The parcel as it stands: the test sheets' form has no box for the area or the grade, so they
# come from the last land-history row that holds one, which the export names.
check "current state from the row in force" python3 - "$tmp/rec.jsonl" "$T/ledger" <<'PY'
import json, os, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    t = json.load(open(os.path.join(sys.argv[2], os.path.basename(r['source'])[:-4] + '.json')))
    f = t['fields']
    assert 'current_lot' in r and r['current_lot'] is None, r.get('current_lot')
    for k in ('area', 'grade'):
        if f[k] is not None:
            continue
        rows = [i for i, row in enumerate(f['land_history']) if row.get(k)]
        assert rows, k
        got = r[k]
        assert got is not None and got['from'] == {'land_history': rows[-1]}, (k, got)
        assert got['value'] == r['land_history'][rows[-1]][k]['value'], (k, got)
PY
check "no row of the clean test sheets taken for struck" [ "$(q "select count(*) from land_history where struck")" = 0 ]

# The parcel's identifiers go out as the sheet holds them; a malformed PNU is refused.
check "a sheet's legal_dong and pnu are stored" q "update record_sheet set legal_dong = '1111010100', pnu = '1111010100101230004' where page_run_id = (select min(page_run_id) from record_sheet)"
check "a malformed pnu is refused" bash -c "! psql -Atqc \"update record_sheet set pnu = '11110101003' where page_run_id = (select min(page_run_id) from record_sheet)\" 2>/dev/null"
$L export --format jsonl --records --batch r1 > "$tmp/rec2.jsonl"
check "export --records carries legal_dong and pnu" python3 -c "
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert sum(r['pnu'] == '1111010100101230004' and r['legal_dong'] == '1111010100' for r in recs) == 1
" "$tmp/rec2.jsonl"
if [ -x "$checker" ]; then
    check "records with a pnu pass check-export" bash -c "'$checker' records < '$tmp/rec2.jsonl' >/dev/null"
fi

# The type is the caller's when given (a new run: other settings).
$L run --batch r2 --doc-type forest_ledger --no-derivatives --no-progress --no-orientation \
    "$tmp/in/land-02.png" >/dev/null 2>&1
check "--doc-type overrides" [ "$(q "select count(*) from record_sheet where doc_type = 'forest_ledger' and doc_type_forced")" = 1 ]
check "bad --doc-type refused" bash -c "! $L run --doc-type atlas '$tmp/in' 2>/dev/null"

# Review: export, fill one correction in, import, see it in the export.
$L review export --batch r1 --out "$tmp/review" >/dev/null
check "review export exits 0" [ $? -eq 0 ]
check "review csv has a header" grep -q '"correct"' "$tmp/review/review.csv"
python3 - "$tmp/review/review.csv" "$tmp/fixed.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
out = csv.DictWriter(open(sys.argv[2], 'w', newline='', encoding='utf-8'), fieldnames=list(rows[0].keys()) if rows else ['item','run_id','section','row','field','correct'])
out.writeheader()
for r in rows[:1]:
    r['correct'] = '垈' if r['field'] == 'category' else (r['value'] or r['raw'] or 'x')
    out.writerow(r)
PY
nitems=$(($(wc -l < "$tmp/review/review.csv") - 1))
if [ "$nitems" -gt 0 ]; then
    check "cell images written" [ "$(ls "$tmp/review"/item-*.png | wc -l)" -ge 1 ]
    check "review import" bash -c "$L review import '$tmp/fixed.csv' --reviewer tester | grep -q '1 reviewed'"
    check "version attributed" [ "$(q "select count(*) from value_version where reviewer = 'tester' and version = 2")" = 1 ]
    check "machine reading kept" [ "$(q "select count(*) from field_value")" -gt 0 ]
    check "item resolved" [ "$(q "select count(*) from review_item where state = 'resolved'")" = 1 ]
    $L export --format jsonl --records --batch r1 > "$tmp/rec2.jsonl"
    check "reviewed value exported unflagged" python3 -c "
import json,sys
n=sum(1 for l in open('$tmp/rec2.jsonl') for v in [json.loads(l)] for f in [v[k] for k in ('location','lot','category','area','grade')]+[x for h in ('land_history','owner_history') for r in v[h] for x in r.values()] if f and f['review'])
m=sum(1 for l in open('$tmp/rec.jsonl') for v in [json.loads(l)] for f in [v[k] for k in ('location','lot','category','area','grade')]+[x for h in ('land_history','owner_history') for r in v[h] for x in r.values()] if f and f['review'])
sys.exit(0 if n == m - 1 else 1)"

    # Training pairs. A second review: the first field again (its newest version is the one
    # written; 垈地 is normalised to 08, and the text as typed is what a pair holds) and, when
    # there is one, a second field, its correction with a space kept as typed. expect.tsv:
    # run, section, row, field and the text each pair must hold.
    python3 - "$tmp/review/review.csv" "$tmp/fixed2.csv" "$tmp/expect.tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
out = csv.DictWriter(open(sys.argv[2], 'w', newline='', encoding='utf-8'), fieldnames=list(rows[0].keys()))
out.writeheader()
fixes = [(rows[0], '垈地' if rows[0]['field'] == 'category' else '本 町 2')] + [(r, '本 町 1') for r in rows[1:2]]
with open(sys.argv[3], 'w', encoding='utf-8') as e:
    for r, text in fixes:
        r['correct'] = text
        out.writerow(r)
        e.write('\t'.join((r['run_id'], r['section'], r['row'], r['field'], text)) + '\n')
PY
    nfix=$(wc -l < "$tmp/expect.tsv")
    check "second review import" bash -c "$L review import '$tmp/fixed2.csv' --reviewer tester2 | grep -q '$nfix reviewed'"
    check "a typed correction differs from its value" [ "$(q "select count(*) from value_version where raw <> value")" -ge 1 ]
    check "reviewed cells as expected" [ "$(q "select count(distinct (page_run_id, section, row_no, field)) from value_version")" = "$nfix" ]
    $L review export --batch r1 --training "$tmp/train" >"$tmp/train.out" 2>&1
    check "review export --training exits 0" [ $? -eq 0 ] || cat "$tmp/train.out"
    check "training: counts printed" grep -q "^$nfix reviewed cells written to $tmp/train" "$tmp/train.out"
    check "training: one png per reviewed cell" [ "$(ls "$tmp/train"/*.png | wc -l)" = "$nfix" ]
    check "training: one gt.txt per reviewed cell" [ "$(ls "$tmp/train"/*.gt.txt | wc -l)" = "$nfix" ]
    check "training: no review csv beside the pairs" [ ! -e "$tmp/train/review.csv" ]
    # Each pair: the newest correction as typed on one line, the name of a reviewed field (no
    # other field), and the PNG (opened by ImageMagick) the cell's size less the inset inside
    # its ruling (LR_LAYOUT_CELL_INSET: dpi/100 + 2 on each side; no cell here is at the page's
    # edge, where the crop would be clipped).
    check "training: pairs hold the corrections and the cells" python3 - "$tmp/train" "$tmp/expect.tsv" <<'PY'
import glob, os, subprocess, sys
d = sys.argv[1]
expect = {}
for line in open(sys.argv[2], encoding='utf-8'):
    run, sec, row, field, text = line.rstrip('\n').split('\t')
    expect[(run, sec, row, field)] = text
seen = set()
for gt in sorted(glob.glob(os.path.join(d, '*.gt.txt'))):
    name = os.path.basename(gt)[:-len('.gt.txt')]
    sha, page, run, sec, row, field = name.split('-')
    key = (run[1:], sec, row, field)
    assert key in expect, f'{name}: not a reviewed field'
    body = open(gt, encoding='utf-8').read()
    assert body == expect[key] + '\n', (name, body, expect[key])
    seen.add(key)
    png = os.path.join(d, name + '.png')
    w, h = map(int, subprocess.check_output(['identify', '-format', '%w %h', png]).split())
    box = subprocess.check_output(['psql', '-Atqc',
        "select f.x0, f.y0, f.x1, f.y1, coalesce(nullif(pr.dpi_x, 0), 300), left(pr.sha256, 16),"
        " pr.page from field_value f join page_run pr on pr.id = f.page_run_id"
        f" where f.page_run_id = {int(key[0])} and f.section = '{sec}' and f.row_no = {int(row)}"
        f" and f.field = '{field}'"], text=True).strip().split('|')
    x0, y0, x1, y1, dpi = map(int, box[:5])
    assert (sha, page) == (box[5], 'p' + box[6]), (name, box)
    inset = dpi // 100 + 2
    assert (w, h) == (x1 - x0 - 2 * inset, y1 - y0 - 2 * inset), (name, w, h, box)
assert seen == set(expect), (seen, expect)
PY
    $L review export --batch r1 --training "$tmp/train2" >/dev/null 2>&1
    check "training: the same names and bytes twice" diff -r "$tmp/train" "$tmp/train2"
    $L review export --batch r1 --out "$tmp/both" --training "$tmp/both-train" >/dev/null 2>&1
    check "--out and --training together write both" bash -c \
        "[ -s '$tmp/both/review.csv' ] && [ \$(ls '$tmp/both-train'/*.gt.txt | wc -l) = $nfix ]"
    $L review export --training "$tmp/fixed.csv" >/dev/null 2>"$tmp/baddir.err"
    check "training into a file: exit 2" [ $? -eq 2 ]
    check "training into a file: says so" grep -q 'is not a directory' "$tmp/baddir.err"
    # A run whose view image is gone: its cells are skipped and counted, the others written.
    run1=$(cut -f1 "$tmp/expect.tsv" | head -1)
    nrun1=$(cut -f1 "$tmp/expect.tsv" | grep -cx "$run1")
    view1=$(q "select path from derivative where page_run_id = $run1 and kind = 'view'")
    mv "$view1" "$view1.away"
    $L review export --batch r1 --training "$tmp/train3" >"$tmp/train3.out" 2>&1
    check "training: a missing view is skipped and counted" grep -q "^$nrun1 skipped: view image missing" "$tmp/train3.out"
    check "training: the other runs' cells still written" [ "$(ls "$tmp/train3" | grep -c '\.gt\.txt$')" = $((nfix - nrun1)) ]
    mv "$view1.away" "$view1"
fi
check "import of a non-review file refused" bash -c "echo 'a,b' > '$tmp/bad.csv'; ! $L review import '$tmp/bad.csv' 2>/dev/null"
rm -rf "$tmp"
finish
