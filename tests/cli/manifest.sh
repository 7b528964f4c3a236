#!/usr/bin/env bash
# "landrec manifest check": a delivery whose manifest has one line of each kind of fault, each
# rejected with its reason and line, the good lines accepted; the manifest-wide faults (no
# header, an unknown column) stop the check with status 2. Needs no database.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
D=${LR_TESTDATA:?}
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/manifest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root="$tmp/delivery"
mkdir -p "$root/vol1" "$tmp/outside"
cp "$D/ledger/land-01.png" "$root/vol1/a.png"
cp "$D/ledger/land-02.png" "$root/vol1/b.png"
cp "$D/ledger/land-01.png" "$root/vol1/a-again.png"          # the same content as a.png
cp "$D/ledger/land-02.png" "$tmp/outside/c.png"
ln -s ../../outside/c.png "$root/vol1/link.png"               # a link out of the root
cp "$D/pages/ledger-b-grey-lzw.tif" "$root/vol1/quoted, name.png"
m="$root/manifest.csv"
{
    printf '\xEF\xBB\xBFpath,doc_type,district,volume,sheet,contractor,scan_date,operator\r\n'
    printf 'vol1/a.png,land_ledger,11110,1,1,Hangil Scan,2026-03-02,kim\r\n'                 # 2 good
    printf '"vol1/quoted, name.png",forest_ledger,1111010100,1,"2",Hangil Scan,2026-03-02,\r\n' # 3 good
    printf 'vol1/missing.png,land_ledger,11110,1,3,Hangil Scan,2026-03-02,kim\r\n'           # 4 missing
    printf 'vol1/a.png,land_ledger,11110,1,4,Hangil Scan,2026-03-02,kim\r\n'                 # 5 duplicate path
    printf 'vol1/a-again.png,land_ledger,11110,1,5,Hangil Scan,2026-03-02,kim\r\n'           # 6 same SHA-256
    printf '../outside/c.png,land_ledger,11110,1,6,Hangil Scan,2026-03-02,kim\r\n'           # 7 leaves root
    printf 'vol1/link.png,land_ledger,11110,1,7,Hangil Scan,2026-03-02,kim\r\n'              # 8 leaves root
    printf 'vol1/b.png,ledger,11110,1,8,Hangil Scan,2026-03-02,kim\r\n'                      # 9 doc type
    printf 'vol1/b.png,land_ledger,99999,1,9,Hangil Scan,2026-03-02,kim\r\n'                 # 10 district
    printf 'vol1/b.png,land_ledger,11110,1,10,Hangil Scan,2026-02-30,kim\r\n'                # 11 bad date
    printf 'vol1/b.png,land_ledger,11110,1,11,Hangil Scan,02/03/2026,kim\r\n'                # 12 bad date
    printf 'vol1/b.png,land_ledger,11110,1,12,\xB1\xE8 Scan,2026-03-02,kim\r\n'              # 13 encoding
    printf 'vol1/b.png,land_ledger,11110,1,13,Hangil Scan,2026-03-02\r\n'                    # 14 fields
    printf 'vol1/b.png,land_ledger,11110,1,14,Hangil Scan,2026-03-02,kim\r\n'                # 15 good
} > "$m"
$L manifest check "$m" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "status 1 when lines are rejected (got $rc)" [ "$rc" -eq 1 ]
has() { grep -qF -- "$1" "$tmp/out" || { echo "not in the output: $1" >&2; cat "$tmp/out" >&2; false; }; }
check "missing file" has "manifest.csv:4: vol1/missing.png: missing file"
check "duplicate path" has "manifest.csv:5: vol1/a.png: duplicate path: the file of line 2"
check "same content" has "manifest.csv:6: vol1/a-again.png: the same file (SHA-256) as line 2, vol1/a.png"
check "path out of the root" has "manifest.csv:7: ../outside/c.png: the path leaves the delivery's root"
check "link out of the root" has "manifest.csv:8: vol1/link.png: the path leaves the delivery's root"
check "unknown document type" has 'manifest.csv:9: vol1/b.png: unknown document type "ledger"'
check "unknown district" has 'manifest.csv:10: vol1/b.png: unknown district code "99999"'
check "a day that does not exist" has 'manifest.csv:11: vol1/b.png: bad scan date "2026-02-30"'
check "a date not ISO" has 'manifest.csv:12: vol1/b.png: bad scan date "02/03/2026"'
check "not UTF-8" has "manifest.csv:13: -: field 6 is not UTF-8"
check "too few fields" has "manifest.csv:14: vol1/b.png: 7 fields where the header has 8"
check "three lines accepted, eleven rejected" has "3 lines accepted, 11 rejected"
check "the good lines are not rejected" bash -c "! grep -qE 'manifest.csv:(2|3|15):' '$tmp/out'"

# Paths are read against --root when it is given.
mkdir -p "$tmp/elsewhere"
printf 'path,doc_type,district,volume,sheet,contractor,scan_date,operator\nvol1/a.png,land_ledger,11110,,,Hangil Scan,2026-03-02,\n' > "$tmp/elsewhere/m.csv"
$L manifest check --root "$root" "$tmp/elsewhere/m.csv" >"$tmp/out" 2>&1
check "--root: accepted, status 0 (got $?)" has "1 line accepted, 0 rejected"

# Faults of the whole manifest: status 2, the reason on stderr.
printf 'path,doc_type,district,volume,sheet,contractor,scan_date,operater\n' > "$tmp/m2.csv"
$L manifest check "$tmp/m2.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "unknown column: status 2 (got $rc)" [ "$rc" -eq 2 ]
check "unknown column named" grep -qF 'unknown column "operater"' "$tmp/err"
: > "$tmp/m3.csv"
$L manifest check "$tmp/m3.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "empty manifest: status 2 (got $rc)" [ "$rc" -eq 2 ]
check "empty manifest named" grep -qF 'no header' "$tmp/err"
$L manifest check "$tmp/nothing.csv" >"$tmp/out" 2>"$tmp/err"
check "no such manifest: status 2 (got $?)" grep -qF 'nothing.csv: cannot open' "$tmp/err"
finish
