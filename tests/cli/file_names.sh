#!/usr/bin/env bash
# File names that are not UTF-8 (CP949/EUC-KR names from Korean systems, stray bytes): the
# file is processed like any other, its path is stored losslessly (raw bytes) beside an escaped
# display form, the batch goes on, a rerun skips what is done, and two distinct raw names never
# share a run key. Also an --out directory whose name is not UTF-8.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/names.XXXXXX")
in="$tmp/in"; mkdir -p "$in"
bad=$'b\xff\xfe'      # not UTF-8
kor=$'\xc5\xe4\xc1\xf6' # 토지 in EUC-KR
out="$tmp/out"$'\xff'
for n in a "$bad" "$kor" c; do
    cat "$T/pages/ledger-a-bitonal-g4.tif" > "$in/$n.tif"; printf '%s' "$n" >> "$in/$n.tif"
done
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

check "db init" $L db init >/dev/null

$L run -j 2 --batch n1 --out "$out" --no-progress "$in" >"$tmp/run1.out" 2>"$tmp/run1.err"
st=$?
cat "$tmp/run1.out" "$tmp/run1.err"
check "every file loads: exit 0" [ $st -eq 0 ]
check "summary: 4 loaded" grep -q 'pages: *4 loaded, 0 already done, 0 failed' "$tmp/run1.out"
check "a.tif loaded" [ "$(q "select count(*) from page_run where status = 'done' and source_path = '$in/a.tif'")" = 1 ]
check "c.tif loaded" [ "$(q "select count(*) from page_run where status = 'done' and source_path = '$in/c.tif'")" = 1 ]
# The display form escapes each byte that is not UTF-8 as \xHH (and a backslash as \\).
check "the bad name is loaded, shown escaped" \
    [ "$(q "select count(*) from page_run where status = 'done' and source_path = '$in/b\\xff\\xfe.tif'")" = 1 ]
check "the EUC-KR name is loaded, shown escaped" \
    [ "$(q "select count(*) from page_run where status = 'done' and source_path = '$in/\\xc5\\xe4\\xc1\\xf6.tif'")" = 1 ]
check "page_run keeps the raw bytes of the name" \
    [ "$(q "select encode(source_path_raw, 'hex') from page_run where source_path like '%/b\\\\xff%'")" = "$(hex "$in/$bad.tif")" ]
check "source_file keeps the raw bytes of the name" \
    [ "$(q "select count(*) from source_file where first_path_raw = decode('$(hex "$in/$bad.tif")', 'hex')")" = 1 ]
check "a plain name's raw bytes are its text" \
    [ "$(q "select count(*) from page_run where source_path_raw <> convert_to(source_path, 'UTF8') and source_path like '%/a.tif'")" = 0 ]
# Derivatives go under the raw --out directory; the database names them by display and bytes.
check "16 derivatives" [ "$(q "select count(*) from derivative")" = 16 ]
q "select encode(path_raw, 'hex') || ' ' || sha256 from derivative" > "$tmp/derivs"
check "derivative raw paths name the files written, with their checksums" python3 - "$tmp/derivs" <<'PY'
import hashlib, sys
ok = True
for line in open(sys.argv[1]):
    h, s = line.split()
    p = bytes.fromhex(h)
    try:
        d = hashlib.sha256(open(p, 'rb').read()).hexdigest()
    except OSError as e:
        print(e); ok = False; continue
    if d != s: print('checksum differs', p); ok = False
sys.exit(0 if ok else 1)
PY
check "derivative display paths are escaped" [ "$(q "select count(*) from derivative where path like '%out\\\\xff/%'")" = 16 ]
check "invocation args name the --out directory escaped" [ "$(q "select count(*) from invocation where args like '%out\\\\xff%'")" = 1 ]
check "summary shows the --out directory escaped" grep -qF 'derivatives: '"$tmp"'/out\xff/' "$tmp/run1.out"

$L export --format jsonl --batch n1 > "$tmp/n1.jsonl"
check "export exits 0" [ $? -eq 0 ]
checker="${LR_SOURCE_ROOT:-.}/../shared/tools/check-export"
if [ -x "$checker" ]; then
    check "export passes check-export" bash -c "'$checker' pages < '$tmp/n1.jsonl' >/dev/null"
fi
check "export: display names, raw bytes in hex, ordered" python3 - "$tmp/n1.jsonl" "$in" "$(hex "$in/$bad.tif")" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
d = sys.argv[2]
want = [d + '/' + n for n in ('\\xc5\\xe4\\xc1\\xf6.tif', 'a.tif', 'b\\xff\\xfe.tif', 'c.tif')]
ok = [r['source'] for r in rows] == want
if not ok: print('sources', [r['source'] for r in rows])
for r in rows:
    plain = '\\' not in r['source']
    if plain != (r.get('source_raw', 'absent') is None): ok = False; print('source_raw', r)
    for dv in r['derivatives']:
        if '\\xff' not in dv['path'] or not dv.get('path_raw'): ok = False; print('derivative', dv)
b = [r for r in rows if 'b\\xff' in r['source']]
if not b or b[0]['source_raw'] != sys.argv[3]: ok = False; print('raw of b', b)
sys.exit(0 if ok else 1)
PY

# A rerun does nothing new.
$L run -j 2 --batch n2 --out "$out" --no-progress "$in" >"$tmp/run2.out" 2>&1
st=$?
check "rerun exits 0" [ $st -eq 0 ]
check "rerun skips everything" grep -q 'pages: *0 loaded, 4 already done, 0 failed' "$tmp/run2.out"
check "rerun adds no runs" [ "$(q "select count(*) from page_run")" = 4 ]

# Files without a checksum are keyed by path: a raw name and the literal text of its display
# form must stay two runs. Dangling links cannot be read: each fails alone, by its own name.
in2="$tmp/in2"; mkdir -p "$in2"
ln -s "$tmp/nowhere" "$in2/e"$'\xff'".tif"
ln -s "$tmp/nowhere" "$in2/e\\xff.tif"
$L run -j 1 --batch n3 --no-derivatives --no-progress "$in2" >"$tmp/run3.out" 2>"$tmp/run3.err"
st=$?
cat "$tmp/run3.out"
check "unreadable files: exit 1" [ $st -eq 1 ]
check "summary: 2 failed" grep -q 'pages: *0 loaded, 0 already done, 2 failed' "$tmp/run3.out"
check "summary names the raw name escaped" grep -qF "$in2/e\\xff.tif: could not open" "$tmp/run3.out"
check "summary names the backslash name escaped" grep -qF "$in2/e\\\\xff.tif: could not open" "$tmp/run3.out"
check "two runs keyed by path" [ "$(q "select count(distinct file_key) from page_run where sha256 is null")" = 2 ]
check "two failures logged with raw bytes" [ "$(q "select count(distinct source_path_raw) from page_failure")" = 2 ]
$L run -j 1 --batch n4 --no-derivatives --no-progress "$in2" >/dev/null 2>&1
check "rerun retries each: attempts 2" [ "$(q "select count(*) from page_run where sha256 is null and attempts = 2")" = 2 ]
check "still two runs" [ "$(q "select count(*) from page_run where sha256 is null")" = 2 ]

rm -rf "$tmp"
finish
