#!/usr/bin/env bash
# landrec qa against the real test cluster: a small delivery of one good page and bad copies
# of it (tests/qa/make_delivery.c) loaded by "landrec run --batch", then each expected finding
# for the right file, none for the good page, the HTML report, the thresholds as options, the
# exit statuses, and the same findings for pages loaded without QA measures (measured from
# their files).
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
MAKE_DELIVERY=${1:?usage: qa.sh MAKE_DELIVERY}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/qa.XXXXXX")
in="$tmp/in"; mkdir -p "$in"

cp "$T/pages/ledger-b-grey-lzw.tif" "$in/a-good.tif"
cp "$T/pages/ledger-b-grey-lzw.tif" "$in/z-copy.tif"              # the same bytes again
head -c 20000 "$T/pages/ledger-b-grey-lzw.tif" > "$in/truncated.tif" # cannot be loaded
check "bad pages made" "$MAKE_DELIVERY" "$T/pages/ledger-b-grey-lzw.tif" "$in"

check "db init" $L db init
# Page text only, no derivatives: the fastest run that still loads (and measures) each page.
$L run -j 2 --batch B --no-records --no-derivatives --no-progress "$in" >"$tmp/run.out" 2>&1
check "run loads the pages (1: the truncated file fails)" [ $? -eq 1 ]
check "every loaded page has its QA measures" \
    [ "$(q "select count(*) from page_run pr join page_qa q on q.page_run_id = pr.id")" = 6 ]
check "both paths of the same file are recorded" \
    [ "$(q "select count(distinct path) from invocation_file where path like '%-copy.tif' or path like '%-good.tif'")" = 2 ]

$L qa B --csv "$tmp/b.csv" --html "$tmp/b.html" 2>"$tmp/qa.err"
check "qa exits 1: findings" [ $? -eq 1 ]
cat "$tmp/b.csv"

# has FILE CHECK [CSV]: a finding of CHECK for the file named FILE.
has() {
    python3 - "${3:-$tmp/b.csv}" "$1" "$2" <<'PY'
import csv, os, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
sys.exit(0 if any(os.path.basename(r['path']) == sys.argv[2] and r['check'] == sys.argv[3]
                  for r in rows) else 1)
PY
}
check "CSV header" [ "$(head -1 "$tmp/b.csv" | tr -d '\r')" = "page,path,check,value,threshold,reason" ]
check "150-dpi copy: dpi" has low-dpi.tif dpi
check "1-bit copy: depth" has bitonal.tif depth
check "blank page: blank" has blank.tif blank
check "same bytes under another name: duplicate" has z-copy.tif duplicate
check "150-dpi copy: near duplicate" has low-dpi.tif near-duplicate
check "1-bit copy: near duplicate" has bitonal.tif near-duplicate
check "page turned beyond the deskew: skew" has rotated.tif skew
check "page turned beyond the deskew: orientation unsure" has rotated.tif orientation
check "page cut at its left edge: edge-cut" has cut.tif edge-cut
check "truncated file: unreadable" has truncated.tif unreadable
check "the good page has no finding" bash -c "! grep -q 'a-good.tif,' '$tmp/b.csv'"
check "a blank page is only blank" [ "$(grep -c 'blank.tif' "$tmp/b.csv")" = 1 ]
# (The good page's run carries the path of whichever of its two names a worker stored first.)
check "the near duplicate names the page it looks like" \
    grep -Eq 'low-dpi.tif,near-duplicate,.*looks like .*(a-good|z-copy).tif page 1' "$tmp/b.csv"
check "the skew is measured" grep -Eq 'rotated.tif,skew,-1[5-8]\.[0-9]+ deg,1.00 deg' "$tmp/b.csv"
check "the summary on stderr" grep -q 'batch "B": 7 page(s)' "$tmp/qa.err"

# The HTML page: valid, one thumbnail per page with findings, one "no image" for the file
# that cannot be read.
if command -v xmllint >/dev/null; then
    check "HTML is valid" xmllint --html --noout "$tmp/b.html"
else
    echo "note: xmllint absent (Debian package libxml2-utils): HTML not validated" >&2
fi
pages=$(tail -n +2 "$tmp/b.csv" | cut -d, -f1,2 | sort -u | wc -l)
check "a thumbnail per page with findings but the unreadable one" \
    [ "$(grep -o 'src="data:image/jpeg;base64,' "$tmp/b.html" | wc -l)" = $((pages - 1)) ]
check "the unreadable file has no thumbnail" grep -q 'could not be read' "$tmp/b.html"
check "HTML has a row per finding" \
    [ "$(grep -c '^<tr>' "$tmp/b.html")" = "$(($(wc -l < "$tmp/b.csv") - 1))" ]

# Thresholds as options: each lifts its own finding and no other.
$L qa B --min-dpi 150 --max-skew 20 --csv "$tmp/loose.csv" 2>/dev/null
check "looser thresholds: still findings" [ $? -eq 1 ]
check "--min-dpi 150 accepts the 150-dpi copy" bash -c "! grep -q ',dpi,' '$tmp/loose.csv'"
check "--max-skew 20 accepts the turned page" bash -c "! grep -q ',skew,' '$tmp/loose.csv'"
check "the other findings stay" [ "$(wc -l < "$tmp/loose.csv")" = $(($(wc -l < "$tmp/b.csv") - 2)) ]
$L qa B --phash-distance -1 --csv "$tmp/nophash.csv" 2>/dev/null
check "--phash-distance -1: no near duplicates" bash -c "! grep -q near-duplicate '$tmp/nophash.csv'"

# Exit statuses: 0 for a batch without findings, 2 when qa cannot run.
$L run --batch G --no-records --no-derivatives --no-progress "$in/a-good.tif" >/dev/null 2>&1
$L qa G > "$tmp/g.csv" 2>/dev/null
check "a good batch: exit 0" [ $? -eq 0 ]
check "a good batch: the header alone on stdout" [ "$(wc -l < "$tmp/g.csv")" = 1 ]
$L qa no-such-batch >/dev/null 2>"$tmp/nobatch.err"
check "an unknown batch: exit 2" [ $? -eq 2 ]
check "an unknown batch is named" grep -q 'no run has the batch name "no-such-batch"' "$tmp/nobatch.err"
$L qa B --max-skew abc >/dev/null 2>&1
check "a bad option value: exit 2" [ $? -eq 2 ]
$L qa B --csv "$tmp/no/such/dir.csv" >/dev/null 2>&1
check "a report that cannot be written: exit 2" [ $? -eq 2 ]

# Pages loaded without QA measures (before 012): measured again from their files, the same
# findings.
q "delete from page_qa" >/dev/null
$L qa B --csv "$tmp/files.csv" 2>/dev/null
check "measured from the files: exit 1" [ $? -eq 1 ]
keys() { tail -n +2 "$1" | python3 -c '
import csv, sys
print("\n".join(sorted("%s %s %s" % (r[0], r[1], r[2]) for r in csv.reader(sys.stdin))))'; }
check "measured from the files: the same findings" [ "$(keys "$tmp/b.csv")" = "$(keys "$tmp/files.csv")" ]

rm -rf "$tmp"
finish
