#!/usr/bin/env bash
# Benchmark (not a test): landrec run against OCRmyPDF on the same pages, same languages,
# OCRmyPDF's deskew and page rotation on, both using every core; peak memory of one worker on a
# 400-dpi A3 colour page; time per stage from the database. Prints the figures and adds them,
# dated, to docs/benchmarks.md (newest first, after the "bench.sh results" marker).
#
#   scripts/bench.sh [--pages N] [--input DIR] [--no-write]
# N: how many sample pages (the committed samples repeated with distinct bytes; default 12).
# --input DIR: benchmark on the single-page .tif files in DIR instead (e.g. a landrec-synth
# corpus), the first N of them when --pages is given too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
npages=12; write=1; input=""; pages_set=0
while [ $# -gt 0 ]; do
    case "$1" in
    --pages) npages=$2; pages_set=1; shift 2 ;;
    --input) input=$(cd "$2" && pwd); shift 2 ;;
    --no-write) write=0; shift ;;
    *) echo "usage: $0 [--pages N] [--input DIR] [--no-write]" >&2; exit 2 ;;
    esac
done
scripts/install-deps.sh ocrmypdf time bc imagemagick fonts-noto-cjk
[ -d build-bench ] || meson setup build-bench --buildtype=release -Dtests=false >/dev/null
ninja -C build-bench >/dev/null
L="$root/build-bench/landrec"
jobs=$(nproc)
work=$(mktemp -d /tmp/landrec-bench.XXXXXX)
cleanup() { scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
scripts/pg-cluster.sh start "$work/pg"
eval "$(scripts/pg-cluster.sh env "$work/pg")"
$L db init >/dev/null

# Single-page inputs (OCRmyPDF takes one file per call): the samples, each page its own file,
# made distinct by a trailing byte so landrec does not skip repeats.
mkdir -p "$work/in"
if [ -n "$input" ]; then
    files=$(ls "$input"/*.tif | sort)
    [ $pages_set -eq 1 ] && files=$(echo "$files" | head -n "$npages")
    for f in $files; do cp "$f" "$work/in/"; done
    npages=$(ls "$work/in" | wc -l)
    [ "$npages" -gt 0 ] || { echo "bench: no .tif files in $input" >&2; exit 2; }
    what="$npages pages from $input"
else
    what="$npages pages (300-dpi A5 samples: bitonal G4, grey LZW, colour JPEG turned 90°)"
fi
i=0
while [ -z "$input" ] && [ $i -lt "$npages" ]; do
    for f in testdata/pages/ledger-a-bitonal-g4.tif testdata/pages/ledger-b-grey-lzw.tif \
             testdata/pages/ledger-a-colour-jpeg-rot90.tif; do
        [ $i -lt "$npages" ] || break
        out="$work/in/page-$(printf %03d $i).tif"
        cp "$f" "$out"; printf '%d' $i >> "$out"
        i=$((i + 1))
    done
done
echo "bench: $what, $jobs cores"

# landrec: one worker per core.
t0=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$work/landrec.rss" $L run -j "$jobs" --batch bench --out "$work/out" \
    --no-progress -q "$work/in" >/dev/null
t1=$(date +%s.%N)
lr_s=$(echo "$t1 - $t0" | bc -l)

# OCRmyPDF: one process per core over the files, one job each (its fastest arrangement for
# single pages); deskew and page rotation on, plain PDF output (no PDF/A conversion).
mkdir -p "$work/ocrmypdf"
t0=$(date +%s.%N)
ls "$work/in"/*.tif | xargs -P "$jobs" -I{} sh -c \
    'ocrmypdf -q -j 1 -l kor+chi_tra --deskew --rotate-pages --output-type pdf --image-dpi 300 "$1" "$2/$(basename "$1" .tif).pdf"' \
    _ {} "$work/ocrmypdf"
t1=$(date +%s.%N)
om_s=$(echo "$t1 - $t0" | bc -l)

lr_ppm=$(echo "$npages / $lr_s * 60" | bc -l)
om_ppm=$(echo "$npages / $om_s * 60" | bc -l)
ratio=$(echo "$lr_ppm / $om_ppm" | bc -l)

# Time per stage, from what each page recorded.
stages=$(psql -Atqc "select round(avg(decode_ms)), round(avg(orient_ms)), round(avg(enhance_ms)),
    round(avg(ocr_ms)), round(avg(coalesce(extract_ms, 0))), round(avg(write_ms)),
    round(avg(load_ms)), count(*)
    from page_run where status = 'done'")
IFS='|' read -r s_dec s_ori s_enh s_ocr s_ext s_wri s_load s_n <<< "$stages"
total=$((s_dec + s_ori + s_enh + s_ocr + s_ext + s_wri + s_load))
other_pct=$(echo "100 * ($s_dec + $s_enh + $s_wri + $s_load) / $total" | bc -l)
ext_pct=$(echo "100 * $s_ext / $total" | bc -l)

# Memory: one worker on a 400-dpi A3 colour page (4678 x 6622), made from sample A.
convert testdata/pages/ledger-a-colour-jpeg-rot90.tif -resize 6622x4678! -rotate -90 \
    -compress JPEG -quality 90 -density 400 -units PixelsPerInch "$work/a3-400dpi.tif"
/usr/bin/time -f '%M' -o "$work/a3.rss" $L run -j 1 --batch a3 --out "$work/out" --no-progress -q \
    "$work/a3-400dpi.tif" >/dev/null
a3_mb=$(( $(cat "$work/a3.rss") / 1024 ))
run_mb=$(( $(cat "$work/landrec.rss") / 1024 ))
a3_ms=$(psql -Atqc "select round(decode_ms + orient_ms + enhance_ms + ocr_ms + coalesce(extract_ms, 0) + write_ms + load_ms)
    from page_run p join invocation_page ip on ip.page_run_id = p.id
    join invocation i on i.id = ip.invocation_id where i.batch = 'a3'")

report=$(cat <<MD
### $(date -u +%Y-%m-%d) — $what, $jobs cores, $(uname -m)

| measure | landrec | OCRmyPDF $(ocrmypdf --version) |
|---|---|---|
| wall time | $(printf %.1f "$lr_s") s | $(printf %.1f "$om_s") s |
| pages per minute | $(printf %.1f "$lr_ppm") | $(printf %.1f "$om_ppm") |
| **throughput ratio** | **$(printf %.2f "$ratio")×** | 1× |

Time per page by stage (landrec, mean over $s_n pages, ms): decode $s_dec · orientation (OSD) $s_ori ·
enhance $s_enh · OCR $s_ocr · extract (layout, cell re-reads, normalisation) $s_ext ·
write derivatives $s_wri · load $s_load.
Pipeline work other than Tesseract (decode, enhance, write, load): **$(printf %.1f "$other_pct") %**
of page time; extraction $(printf %.1f "$ext_pct") %.

Peak memory: a 400-dpi A3 colour page (4678×6622) with one worker: **$a3_mb MB** (largest
process, GNU time; $a3_ms ms for the page); the $npages-page run above: $run_mb MB.

Command: \`scripts/bench.sh $( [ -n "$input" ] && [ $pages_set -eq 0 ] && echo "--input $input" || echo "--pages $npages${input:+ --input $input}")\`. Same input files for both; languages
kor+chi_tra; OCRmyPDF with \`-j 1 --deskew --rotate-pages --output-type pdf\`, $jobs files at a time.
MD
)
echo "$report"
if [ $write -eq 1 ]; then
    python3 - "$report" <<'PY'
import sys, re
path = 'docs/benchmarks.md'
text = open(path).read()
marker = '<!-- bench.sh results: newest first -->'
new = sys.argv[1].strip() + '\n\n'
text = text.replace(marker, marker + '\n\n' + new, 1) if marker in text else text + '\n' + marker + '\n\n' + new
open(path, 'w').write(text)
PY
fi
