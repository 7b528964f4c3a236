#!/usr/bin/env bash
# The accuracy evaluation (docs/evaluation.md): builds landrec, makes two synthetic corpora
# with landrec-synth when the generator is built (upright sheets; sheets turned by 0/90/180/270
# for orientation), and runs "landrec eval" on them and on the shared real data, adding a
# dated section to docs/benchmarks.md with plots in docs/img/.
#
#   scripts/eval.sh [--count N] [--preset NAME] [--no-write] [-- MORE EVAL OPTIONS]
# N sheets (default 40) of preset NAME (default mixed). LR_REALDATA names the real data
# (default ../shared/realdata).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
count=40; preset=mixed; write=1; more=()
while [ $# -gt 0 ]; do
    case "$1" in
    --count) count=$2; shift 2 ;;
    --preset) preset=$2; shift 2 ;;
    --no-write) write=0; shift ;;
    --) shift; more=("$@"); break ;;
    *) echo "usage: $0 [--count N] [--preset NAME] [--no-write] [-- MORE EVAL OPTIONS]" >&2; exit 2 ;;
    esac
done
build=build-eval-release
[ -d "$build" ] || meson setup "$build" --buildtype=release -Dtests=false >/dev/null
ninja -C "$build" >/dev/null

args=(--realdata "${LR_REALDATA:-../shared/realdata}")
synth="$build/tools/synth/landrec-synth"
if [ -x "$synth" ]; then
    # Upright sheets for every stage, and turned ones (another seed) for orientation alone, so
    # that orientation mistakes do not show up as OCR errors.
    corpus="$build/corpus" turned="$build/corpus-turned"
    rm -rf "$corpus" "$turned"
    "$synth" --out "$corpus" --count "$count" --preset "$preset" --hand mixed >/dev/null
    "$synth" --out "$turned" --count "$count" --preset "$preset" --orient --seed 2 >/dev/null
    args+=(--corpus "$corpus" --orientation-corpus "$turned"
           --note "Corpora: \`landrec-synth --out $corpus --count $count --preset $preset --hand mixed\` and \`landrec-synth --out $turned --count $count --preset $preset --orient --seed 2\`.")
else
    echo "eval: $synth is not built: real data only" >&2
fi
[ $write -eq 1 ] && args+=(--report docs/benchmarks.md)
exec "$build/landrec" eval "${args[@]}" "${more[@]}"
