#!/usr/bin/env bash
# "landrec report": one ledger page and one file that is no image loaded as batch B1, a second
# run under an HTML-hostile batch name; the year's report names the batch with its counts, the
# failure's reason and the target with its share, as text and as a well-formed HTML file with
# charts and every value escaped. Runs moved to last year leave this year's report and appear
# in last year's. A year with nothing loaded is zeros; bad options exit 2.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/report.XXXXXX")
trap 'rm -rf "$tmp"; psql -d postgres -Atqc "drop database if exists $TEST_DB with (force)" >/dev/null 2>&1' EXIT
in="$tmp/in"; mkdir -p "$in"
cp "$T/ledger/land-01.png" "$in/a.png"
echo "this is not an image" > "$in/bad.png"
hostile='<b>&"'

check "db init" $L db init
$L run --batch B1 --no-derivatives --no-progress "$in" >"$tmp/run1" 2>&1
check "run B1 exits 1: one file failed" [ $? -eq 1 ]
$L run --batch "$hostile" --no-derivatives --no-progress "$in" >"$tmp/run2" 2>&1
check "the hostile batch's run exits 1 (the bad file again)" [ $? -eq 1 ]
check "the bad file's failure is recorded once" [ "$(q "select count(*) from page_run where status = 'failed'")" = 1 ]

# The database's clock decides the year a page was loaded in.
year=$(q "select extract(year from now())::int")
q "insert into quota_target values ($year, 4, false)
   on conflict (year) do update set records = excluded.records"
sheets=$(q "select count(*) from record_sheet")
share=$(q "select to_char(100.0 * $sheets / 4, 'FM990.0')")
reason=$(q "select error_code from page_run where status = 'failed' limit 1")
check "a failure with a reason was recorded ($reason)" [ -n "$reason" ]

$L report --year "$year" --html "$tmp/out.html" >"$tmp/out" 2>"$tmp/err"
check "report exits 0 (got $?)" [ $? -eq 0 ]
has() { grep -qE -- "$2" "$1" || { echo "not in $1: $2" >&2; cat "$1" >&2; false; }; }
check "the text names the year" has "$tmp/out" "^landrec report for $year "
check "the year's sheets, pages and share of the target of 4" \
    has "$tmp/out" "^  $year: sheets $sheets, pages 1; $share % of the target of 4\$"
check "the cumulative target of 2030" has "$tmp/out" "^  By the end of $year: $sheets of 2,000,000 records by 2030"
check "the years' table row" has "$tmp/out" "^  $year +1 +$sheets +4 +$share %\$"
check "batch B1: 1 page, $sheets sheets, 1 failed" has "$tmp/out" "^  B1 +1 +$sheets +1  "
check "the hostile batch, as it is (text)" grep -qF "  $hostile " "$tmp/out"
check "pages a day: the month's row" has "$tmp/out" "^  $(q "select to_char(now(), 'Mon')") +1 +1 +1\.0\$"
sed -n '/^Failures by reason/,/^$/p' "$tmp/out" >"$tmp/failures"
check "the failure's reason under Failures" has "$tmp/failures" "^  $reason +1\$"
check "no deliveries with a manifest" has "$tmp/out" "no deliveries with a manifest"
# The acceptance checks of the year's batches, as "landrec qa" finds them: the file that is
# no image is unreadable.
check "acceptance checks of B1: the unreadable file" has "$tmp/out" "^  B1 +2 +[0-9]+ +(.*, )?unreadable 1(,|\$)"
check "fields flagged with a share" has "$tmp/out" "^  fields flagged +[0-9]+ of [0-9]+ \([0-9.]+ %\)\$"
check "open review items" has "$tmp/out" "^  open review items +$(q "select count(*) from review_item where state = 'open'")\$"
check "nothing on stderr" [ ! -s "$tmp/err" ]

h="$tmp/out.html"
check "the HTML is well-formed XML" xmllint --noout "$h"
# libxml2's HTML parser knows HTML 4: it names the HTML5 and SVG elements, and must find
# nothing else.
xmllint --html --noout "$h" 2>"$tmp/lint"
check "xmllint --html: no error but unknown HTML5/SVG tags" \
    bash -c "! grep 'error' '$tmp/lint' | grep -qv 'Tag \(section\|svg\|g\|rect\|line\|text\|title\) invalid'"
check "the HTML has charts" grep -q '<svg' "$h"
check "the hostile batch escaped" grep -qF '<td>&lt;b&gt;&amp;&quot;</td>' "$h"
check "never raw" bash -c "! grep -qF '$hostile' '$h'"
check "no links: the file is not served" bash -c "! grep -q 'href=' '$h'"
check "the month chart" grep -qF "Pages loaded each month of $year" "$h"
check "the year's last 60 days" grep -qF "the last 60 days of $year" "$h"
check "the target in the HTML" grep -qF "$share % of the target of 4" "$h"
check "the reason in the HTML" grep -qF "<td>$reason</td>" "$h"
check "no deliveries with a manifest, in the HTML" grep -qF "no deliveries with a manifest" "$h"

# Runs of last year leave this year's report (batches, failures) and appear in last year's.
q "update invocation set started_at = started_at - interval '1 year' where batch = '<b>&\"'"
q "update page_run set created_at = created_at - interval '1 year' where status = 'failed'"
$L report --year "$year" >"$tmp/now" 2>&1
check "this year: exits 0" [ $? -eq 0 ]
check "this year: the hostile batch is gone" bash -c "! grep -qF '$hostile' '$tmp/now'"
sed -n '/^Failures by reason/,/^$/p' "$tmp/now" >"$tmp/failures"
check "this year: no failed pages" has "$tmp/failures" "^  no failed pages\$"
$L report --year $((year - 1)) >"$tmp/last" 2>&1
check "last year: exits 0" [ $? -eq 0 ]
check "last year: the hostile batch" grep -qF "  $hostile " "$tmp/last"
sed -n '/^Failures by reason/,/^$/p' "$tmp/last" >"$tmp/failures"
check "last year: its failure" has "$tmp/failures" "^  $reason +1\$"
check "last year: no pages loaded" has "$tmp/last" "^  $((year - 1)): sheets 0, pages 0; "

# A year with nothing loaded reports zeros.
$L report --year 1901 --html "$tmp/empty.html" >"$tmp/empty" 2>&1
check "an empty year exits 0" [ $? -eq 0 ]
check "an empty year: zeros, no target" has "$tmp/empty" "^  1901: sheets 0, pages 0; no target for the year\$"
check "an empty year: no batches" has "$tmp/empty" "^  no batches\$"
check "an empty year: no failed pages" has "$tmp/empty" "^  no failed pages\$"
check "an empty year: its HTML well-formed" xmllint --noout "$tmp/empty.html"

# Bad options and an unreachable database: status 2, and no file written.
for args in "" "--year abc" "--year 1899" "--year 2101" "--year 2026x" "--year $year extra" \
            "--html $tmp/x.html"; do
    $L report $args >/dev/null 2>&1
    check "report $args exits 2" [ $? -eq 2 ]
done
$L report --year "$year" --db "host=$tmp/nowhere dbname=x connect_timeout=2" \
    --html "$tmp/never.html" >"$tmp/out" 2>"$tmp/err"
check "unreachable database exits 2" [ $? -eq 2 ]
check "and says so" grep -qi 'could not connect' "$tmp/err"
check "and writes no file" [ ! -e "$tmp/never.html" ]
$L report --year "$year" --html "$tmp/no/such/dir/r.html" >/dev/null 2>"$tmp/err"
check "an unwritable --html exits 2" [ $? -eq 2 ]
check "and names the file" grep -qF "$tmp/no/such/dir/r.html" "$tmp/err"
check "--help exits 0" bash -c "$L report --help | grep -q 'usage: landrec report --year YEAR'"
finish
