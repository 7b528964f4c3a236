#!/usr/bin/env bash
# Are two builds' readings the same, sheet by sheet? Runs score_sheets --dump (every field's
# raw text, value, confidence, review flag, reason and alternatives, and each sheet's type,
# form, orientation and counts) of each build over the same landrec-synth corpora and compares
# the dumps line by line. For a change meant to leave behaviour alone (a refactoring, a
# dependency bump). Exits 0 when every dump is identical, 1 when one differs.
#
#   scripts/compare-builds.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR [WORK_DIR]
#
# The corpora are docs/records.md's three (30 sheets each: clean printed, clean, degraded),
# made with the after build's landrec-synth in WORK_DIR (default: a temporary directory) when
# not there yet. About a minute of CPU per corpus and build.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 BEFORE_BUILD_DIR AFTER_BUILD_DIR [WORK_DIR]" >&2
    exit 2
fi
before=$1 after=$2
work=${3:-$(mktemp -d)}
for b in "$before" "$after"; do
    [ -x "$b/tests/extract/score_sheets" ] || { echo "$0: no $b/tests/extract/score_sheets" >&2; exit 2; }
done
synth=$after/tools/synth/landrec-synth
declare -A args=(
    [printed]="--seed 7 --preset clean --hand printed"
    [clean]="--seed 7 --preset clean"
    [degraded]="--seed 8 --preset degraded"
)
status=0
printf '| corpus | sheets | lines dumped | lines that differ |\n|---|---|---|---|\n'
for c in printed clean degraded; do
    dir=$work/$c
    # shellcheck disable=SC2086
    [ -f "$dir/manifest.jsonl" ] || "$synth" --out "$dir" --count 30 ${args[$c]} >/dev/null
    for side in before after; do
        b=$before
        [ $side = after ] && b=$after
        OMP_THREAD_LIMIT=1 "$b/tests/extract/score_sheets" --dump "$work/$c.$side.txt" "$dir" \
            >"$work/$c.$side.score" 2>&1
    done
    n=$(wc -l <"$work/$c.before.txt")
    d=$(diff "$work/$c.before.txt" "$work/$c.after.txt" | grep -c '^[<>]' || true)
    sheets=$(ls "$dir"/*.json | wc -l)
    printf '| %s | %s | %s | %s |\n' "$c" "$sheets" "$n" "$d"
    [ "$d" -eq 0 ] || status=1
done
echo "dumps and scores in $work"
exit $status
