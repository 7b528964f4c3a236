#!/usr/bin/env bash
# Which files "landrec run" takes from a tree with symbolic links (two links to the tree
# itself, a link to a parent, a link to a sibling), and the checks of options made before
# connecting. These need no database: the run stops at an unreachable one (status 2) after
# collecting its files. The last part (the summary: files counted once, the export hint quoted
# for the shell) needs the test server and is left out without one.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/walk.XXXXXX")
nodb="host=$tmp/nowhere dbname=x connect_timeout=2"
t="$tmp/tree"
mkdir -p "$t/sub" "$t/other"
: > "$t/a.tif"; : > "$t/sub/b.png"; : > "$t/other/c.jpg"
ln -s . "$t/dot1"; ln -s . "$t/dot2"; ln -s .. "$t/sub/up"; ln -s ../other "$t/sub/side"
plain="$tmp/plain"; mkdir -p "$plain"; : > "$plain/x.tif"   # no links: for the option checks

# The walk ends (the links back into the tree must not make it run until memory is out); the
# run then stops at the database.
timeout 30 $L run --db "$nodb" "$t" >"$tmp/o1" 2>"$tmp/e1"
st=$?
check "walk ends without following links (status $st)" [ $st -eq 2 ]
check "walk reached the database" grep -qi 'could not connect\|connection' "$tmp/e1"
check "links to directories not followed, said once" \
    [ "$(grep -c 'symbolic link(s) to directories not followed' "$tmp/e1")" = 1 ]
check "no loop warning when not following" bash -c "! grep -q 'directory loop' '$tmp/e1'"
timeout 30 $L run --follow-symlinks --db "$nodb" "$t" >"$tmp/o2" 2>"$tmp/e2"
st=$?
check "walk ends following links (status $st)" [ $st -eq 2 ]
check "walk following links reached the database" grep -qi 'could not connect\|connection' "$tmp/e2"
check "three loops, each warned once" [ "$(grep -c 'directory loop' "$tmp/e2")" = 3 ]

# A bad option value names the option, however it was written.
for a in "--jobs 0" "--jobs=0" "-j 0" "-j0"; do
    # shellcheck disable=SC2086
    timeout 30 $L run $a --db "$nodb" "$plain" >/dev/null 2>"$tmp/e"
    st=$?
    want=--jobs; case $a in -j*) want=-j ;; esac
    check "run $a exits 2" [ $st -eq 2 ]
    check "run $a names $want" grep -qx "landrec: run: invalid value \"0\" for $want" "$tmp/e"
done
$L run --max-megapixels=0 x >/dev/null 2>"$tmp/e"
check "run --max-megapixels=0 names the option" grep -q 'for --max-megapixels$' "$tmp/e"
$L enhance -p 0 a.tif b.png >/dev/null 2>"$tmp/e"
check "enhance -p 0 names -p" grep -q 'invalid value "0" for -p$' "$tmp/e"
$L enhance --sauvola-k=2 a.tif b.png >/dev/null 2>"$tmp/e"
check "enhance --sauvola-k=2 names the option" grep -q 'invalid value "2" for --sauvola-k$' "$tmp/e"
$L eval --limit 0 >/dev/null 2>"$tmp/e"
check "eval --limit 0 names the option" grep -q 'invalid value "0" for --limit$' "$tmp/e"

# The batch name's limit (200 bytes) is checked before connecting.
long=$(head -c 3000 /dev/zero | tr '\0' b)
timeout 30 $L run --batch "$long" --db "$nodb" "$plain" >/dev/null 2>"$tmp/e"
st=$?
check "a 3000-byte --batch exits 2" [ $st -eq 2 ]
check "the message names --batch and the limit" \
    grep -q -- '--batch name is too long (3000 bytes; at most 200)' "$tmp/e"
check "no connection attempted" bash -c "! grep -qi 'connect' '$tmp/e'"
timeout 30 $L run --batch "$(head -c 200 /dev/zero | tr '\0' b)" --db "$nodb" "$plain" \
    >/dev/null 2>"$tmp/e"
check "a 200-byte --batch is accepted" grep -qi 'could not connect\|connection' "$tmp/e"

if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1 && [ "${LR_TEST_REQUIRE_DB:-0}" != 1 ]; then
    echo "note: no PostgreSQL server: the summary checks are left out" >&2
    rm -rf "$tmp"
    finish
    exit
fi
fresh_db
$L db init >/dev/null

# Following links, each file is taken once (the empty files fail, cheaply, at open).
timeout 120 $L run -j 1 --no-progress --no-derivatives --follow-symlinks "$t" >"$tmp/o3" 2>"$tmp/e3"
st=$?
cat "$tmp/o3"
check "run over the tree exits 1 (its files are empty)" [ $st -eq 1 ]
check "three files, each once" grep -q '^  files: *3$' "$tmp/o3"
check "three failures listed" [ "$(grep -c ': empty file' "$tmp/o3")" = 3 ]

# The summary's export hint is a command the shell can run as printed.
name="it's a batch"
timeout 120 $L run -j 1 --no-progress --no-derivatives --batch "$name" "$plain" \
    >"$tmp/o4" 2>/dev/null
line=$(sed -n 's/^  export: *//p' "$tmp/o4")
check "export hint quoted for the shell" \
    [ "$line" = "landrec export --format jsonl --batch 'it'\\''s a batch'" ]
eval "set -- ${line#landrec }"
check "the hint's words give the batch name back" [ "${5:-}" = "$name" ]
$L "$@" >"$tmp/x.jsonl"
check "the hint runs" [ $? -eq 0 ]
check "the hint's export has the batch's page" [ "$(wc -l < "$tmp/x.jsonl")" = 1 ]
timeout 120 $L run -j 1 --no-progress --no-derivatives --batch plain-1.0_x/y "$plain" \
    >"$tmp/o5" 2>/dev/null
check "a plain name is not quoted" \
    grep -q '^  export: *landrec export --format jsonl --batch plain-1.0_x/y$' "$tmp/o5"
rm -rf "$tmp"
finish
