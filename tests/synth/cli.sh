#!/usr/bin/env bash
# synth-cli: landrec-synth's command line. Usage: cli.sh LANDREC-SYNTH
#   --help and --version; bad options exit 2 with a message; no fonts exit 2 naming the
#   packages; the same seed gives byte-identical files whatever --jobs is, another seed does
#   not; the manifest lists every truth file; --types is taken in turn.
set -u
synth=$1
tmp=${LR_TEST_TMP:-/tmp}/synth-cli
rm -rf "$tmp"
mkdir -p "$tmp"
failed=0 checks=0
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    checks=$((checks + 1))
    if ! "$@"; then
        echo "check failed: $what" >&2
        failed=$((failed + 1))
    fi
}
status() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

check "--help exits 0" test "$(status "$synth" --help)" = 0
check "--help names every option" bash -c "for o in --out --count --seed --types --preset --dpi --colour --skew-max --orient --multipage --jobs --degrade; do grep -q -- \"\$o\" '$tmp/out' || exit 1; done"
check "--version" test "$(status "$synth" --version)" = 0
check "--version text" grep -q '^landrec-synth [0-9]' "$tmp/out"
for bad in "" "--out" "--out $tmp/x --count 0" "--out $tmp/x --types land,bogus" \
    "--out $tmp/x --preset dirty" "--out $tmp/x --dpi 20" "--out $tmp/x --colour cmyk" \
    "--out $tmp/x --skew-max 45" "--out $tmp/x --degrade noise=-1" \
    "--out $tmp/x --degrade sparkle=1" "--out $tmp/x --jobs 0" "--out $tmp/x extra"; do
    # shellcheck disable=SC2086
    check "bad options \"$bad\" exit 2" test "$(status "$synth" $bad)" = 2
    check "bad options \"$bad\" say why" test -s "$tmp/err"
done
mkdir -p "$tmp/nofonts"
check "no fonts exits 2" test "$(LANDREC_SYNTH_FONT_DIR=$tmp/nofonts status "$synth" --out "$tmp/x")" = 2
check "no fonts names the packages" grep -q 'fonts-noto-cjk' "$tmp/err"
check "no fonts writes nothing" test ! -e "$tmp/x/manifest.jsonl"

# Determinism: every type, degraded pages, orientation and multi-page files.
args=(--count 7 --seed 17 --preset mixed --dpi 100 --orient --multipage)
check "run a" test "$(status "$synth" --out "$tmp/a" "${args[@]}" --jobs 1)" = 0
check "run b" test "$(status "$synth" --out "$tmp/b" "${args[@]}" --jobs 2)" = 0
check "run c" test "$(status "$synth" --out "$tmp/c" "${args[@]}" --seed 18 --jobs 2)" = 0
check "same seed, same files" diff -r "$tmp/a" "$tmp/b"
check "another seed, other images" bash -c "! cmp -s '$tmp/a/sheet-0001.tif' '$tmp/c/sheet-0001.tif'"
n_truth=$(ls "$tmp/a"/sheet-*.json | wc -l)
check "manifest lists every truth file" test "$(wc -l <"$tmp/a/manifest.jsonl")" = "$n_truth"
check "7 images" test "$(ls "$tmp/a"/sheet-*.tif | wc -l)" = 7
check "types in turn" bash -c "grep -o '\"doc_type\":\"[a-z_0-9]*\"' '$tmp/a/manifest.jsonl' | uniq | head -7 | tr '\n' ' ' | grep -q 'land_ledger.*forest_ledger.*land_ledger_1950.*card_1975.*movement_resolution.*map_fragment.*land_ledger'"
check "no temporary files left" bash -c "! ls '$tmp/a' | grep -q tmp"
check "--types restricts" test "$(status "$synth" --out "$tmp/d" --count 3 --types map --dpi 100)" = 0
check "only maps" test "$(grep -c '"map_fragment"' "$tmp/d/manifest.jsonl")" = 3

echo "synth-cli: $checks checks, $failed failed"
[ "$failed" -eq 0 ]
