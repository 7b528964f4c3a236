#!/usr/bin/env bash
# Makes the committed sample sheets in testdata/synth/ with landrec-synth (docs/synthetic.md):
#   bitonal/  land, forest and map sheets: degraded, bitonal (G4), 200 dpi, turned at random,
#             2–3 pages per file;
#   colour/   1950s ledger, 1975 card and land-movement resolution: degraded, colour (JPEG,
#             red ink in red), 200 dpi, turned at random.
# Each directory holds the TIFFs, one truth JSON per page and manifest.jsonl. Re-run it only
# to change the samples (same build, same bytes); the full corpus is never committed: make
# it in a build directory (see docs/synthetic.md).
# Usage: scripts/make-synth-samples.sh [BUILD_DIR]   (default: build; built when missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
synth=$build/tools/synth/landrec-synth
if [ ! -x "$synth" ]; then
    [ -f "$build/build.ninja" ] || meson setup "$build" "$root" >/dev/null
    ninja -C "$build" tools/synth/landrec-synth >/dev/null
fi
out=$root/testdata/synth
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$synth" --out "$tmp/bitonal" --count 3 --seed 2026 --types land,forest,map \
    --preset degraded --colour bitonal --dpi 200 --orient --multipage --jobs 2
"$synth" --out "$tmp/colour" --count 3 --seed 2026 --types land1950,card1975,movement \
    --preset degraded --colour rgb --dpi 200 --orient --degrade jpeg_quality=45,noise=3 --jobs 2
total=$(du -cb "$tmp"/bitonal/* "$tmp"/colour/* | tail -1 | cut -f1)
if [ "$total" -gt 1500000 ]; then
    echo "make-synth-samples: $total bytes, more than the 1.5 MB allowed" >&2
    exit 1
fi
mkdir -p "$out"
rm -rf "$out/bitonal" "$out/colour"
cp -r "$tmp/bitonal" "$tmp/colour" "$out/"
echo "make-synth-samples: $total bytes in $out/bitonal and $out/colour"
