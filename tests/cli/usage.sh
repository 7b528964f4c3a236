#!/usr/bin/env bash
# Options, help and exit statuses that need no database.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/usage.XXXXXX")

check "--help exits 0" $L --help
for c in run export enhance qa reprocess compare; do
    check "$c --help exits 0 and shows usage" bash -c "$L $c --help | grep -q 'usage: landrec $c'"
done
check "db --help" bash -c "$L db --help | grep -q 'landrec db init'"
check "db --help names the role options" bash -c "$L db --help | grep -q -- '--loader-role NAME'"
$L db status --no-roles >/dev/null 2>&1; check "db status --no-roles exits 2" [ $? -eq 2 ]
$L db init --no-roles --reader-role x >/dev/null 2>&1; check "--no-roles with a role name exits 2" [ $? -eq 2 ]
$L db init --loader-role x --reader-role x >/dev/null 2>"$tmp/same"
check "the same name for both roles exits 2" [ $? -eq 2 ]
check "and says so" grep -q 'must differ' "$tmp/same"
check "--version names tesseract" bash -c "$L --version | grep -q tesseract"
$L frobnicate >/dev/null 2>&1; check "unknown command exits 2" [ $? -eq 2 ]
$L run >/dev/null 2>&1; check "run without paths exits 2" [ $? -eq 2 ]
$L run --jobs zero x >/dev/null 2>&1; check "bad --jobs exits 2" [ $? -eq 2 ]
$L export --format csv >/dev/null 2>&1; check "unknown export format exits 2" [ $? -eq 2 ]
$L qa >/dev/null 2>&1; check "qa without a batch exits 2" [ $? -eq 2 ]
$L reprocess --binarize otsu >/dev/null 2>&1; check "reprocess without a selection exits 2" [ $? -eq 2 ]
$L reprocess --below-confidence 101 >/dev/null 2>&1; check "reprocess --below-confidence 101 exits 2" [ $? -eq 2 ]
$L reprocess --of-doc-type auto >/dev/null 2>&1; check "reprocess --of-doc-type auto exits 2" [ $? -eq 2 ]
printf '12\nx7\n' >"$tmp/sheets"
$L reprocess --sheets "$tmp/sheets" >/dev/null 2>"$tmp/sheets.err"; check "reprocess: a bad --sheets line exits 2" [ $? -eq 2 ]
check "and names the line" grep -q 'sheets:2: not a run id' "$tmp/sheets.err"
$L compare 0123456789abcdef >/dev/null 2>&1; check "compare with one hash exits 2" [ $? -eq 2 ]
$L compare a b --format csv >/dev/null 2>&1; check "compare --format csv exits 2" [ $? -eq 2 ]

# An unreachable database fails at start, clearly, with status 2, before any work.
$L run --db "host=$tmp/nowhere dbname=x connect_timeout=2" "$LR_TESTDATA/pages" >"$tmp/out" 2>"$tmp/err"
st=$?
check "unreachable database exits 2" [ $st -eq 2 ]
check "unreachable database message" grep -qi 'could not connect\|connection' "$tmp/err"
check "no summary when nothing ran" bash -c "! grep -q 'pages:' '$tmp/out'"

# enhance: orientation and skew printed, output written in the format of its extension.
$L enhance "$LR_TESTDATA/pages/ledger-a-colour-jpeg-rot90.tif" "$tmp/view.png" >"$tmp/enh" 2>&1
check "enhance exits 0" [ $? -eq 0 ]
check "enhance reports orientation 270" grep -q '^orientation: 270' "$tmp/enh"
check "enhance reports skew" grep -Eq '^skew: +-0\.[6-9]|^skew: +-1\.0' "$tmp/enh"
check "enhance wrote a PNG" bash -c "head -c 8 '$tmp/view.png' | grep -q PNG"
$L enhance --binarize "$LR_TESTDATA/pages/ledger-a-bitonal-g4.tif" "$tmp/bin.tif" >"$tmp/enh2" 2>&1
check "enhance --binarize exits 0" [ $? -eq 0 ]
check "binary output is 1-bit TIFF" bash -c "tiffinfo '$tmp/bin.tif' 2>/dev/null | grep -q 'Bits/Sample: 1'"
$L enhance "$LR_TESTDATA/pages/ledger-a-bitonal-g4.tif" "$tmp/out.xyz" >/dev/null 2>&1
check "unknown output extension exits 2" [ $? -eq 2 ]
printf 'not an image' > "$tmp/bad.tif"
$L enhance "$tmp/bad.tif" "$tmp/x.png" >/dev/null 2>"$tmp/enh3"
check "enhance of a non-image exits 1" [ $? -eq 1 ]
check "enhance names the file" grep -q 'bad.tif' "$tmp/enh3"
rm -rf "$tmp"
finish
