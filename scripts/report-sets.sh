#!/usr/bin/env bash
# The report sets (docs/evaluation.md, "Report sets: a second renderer"): sheets that the
# extractor was never tuned on, scored with score_sheets. Three sets from render2 (an
# independent renderer: seeds 101 printed, 102 hand, 103 degraded) and three from landrec-synth
# with seeds no tuning corpus uses (41 clean printed, 42 clean handwritten, 43 degraded), all of
# land ledgers, forest ledgers and movement resolutions in turn. Prints one table.
#
#   scripts/report-sets.sh BUILD_DIR OUT_DIR [COUNT]      (COUNT sheets a set, default 20)
#
# Each set's scored fields go to OUT_DIR/SET.calib (scripts/calibrate.py --report, --svg).
#
# Report on these sets; never tune on them.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 BUILD_DIR OUT_DIR [COUNT]" >&2
    exit 2
fi
build=$1 out=$2 count=${3:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
score=$build/tests/extract/score_sheets
synth=$build/tools/synth/landrec-synth
for x in "$score" "$synth"; do
    [ -x "$x" ] || { echo "$0: $x is not built" >&2; exit 2; }
done
[ -x /usr/bin/python3 ] || { echo "$0: needs Debian's /usr/bin/python3 with python3-pil" >&2; exit 2; }
types=land,forest,movement
sets=(render2-printed render2-hand render2-degraded synth-printed synth-hand synth-degraded)
declare -A make=(
    [render2-printed]="r2 101 printed"
    [render2-hand]="r2 102 hand"
    [render2-degraded]="r2 103 degraded"
    [synth-printed]="synth 41 --preset clean --hand printed"
    [synth-hand]="synth 42 --preset clean --hand handwritten"
    [synth-degraded]="synth 43 --preset degraded"
)
mkdir -p "$out"
printf '| set | sheets | fields | right %% | not flagged %% | unflagged right %% | extract share %% |\n'
printf '|---|---|---|---|---|---|---|\n'
for s in "${sets[@]}"; do
    dir=$out/$s
    rm -rf "$dir"
    read -r tool seed rest <<<"${make[$s]}"
    if [ "$tool" = r2 ]; then
        /usr/bin/python3 "$root/tools/render2/render2.py" --out "$dir" --count "$count" \
            --seed "$seed" --preset "$rest" --types "$types" 2>/dev/null
    else
        # shellcheck disable=SC2086
        "$synth" --out "$dir" --count "$count" --seed "$seed" --types "$types" $rest >/dev/null 2>&1
    fi
    line=$(OMP_THREAD_LIMIT=1 "$score" --summary --calib "$dir.calib" "$dir" >"$dir.score" 2>"$dir.score.err"; grep '^summary ' "$dir.score" || true)
    if [ -z "$line" ]; then
        printf '| %s | failed (see %s.score.err) | | | | | |\n' "$s" "$dir"
        continue
    fi
    read -r _ sheets fields right unfl unfl_right ex_ms page_ms <<<"$line"
    awk -v s="$s" -v n="$sheets" -v f="$fields" -v r="$right" -v u="$unfl" -v ur="$unfl_right" \
        -v e="$ex_ms" -v p="$page_ms" 'function pct(a, b) { return b > 0 ? 100 * a / b : 0 }
        BEGIN { printf "| %s | %d | %d | %.1f | %.1f | %.1f | %.2f |\n", s, n, f, pct(r, f),
                pct(u, f), pct(ur, u), pct(e, p) }'
done
