#!/usr/bin/env bash
# Renders the sample scans in testdata/ from the text files in testdata/src/ with ImageMagick
# and the Noto Serif CJK KR font (Debian: imagemagick, fonts-noto-cjk), then degrades them by
# known amounts (skew, orientation, yellowed paper, noise). The committed images were made by
# this script; re-run it only to change them (their truth is in testdata/pages/truth.csv).
set -euo pipefail
cd "$(dirname "$0")/../testdata"
font=$(fc-list ':lang=ko' file | grep -m1 'NotoSerifCJK-Regular' | cut -d: -f1)
[ -n "$font" ] || { echo "make-testdata: Noto Serif CJK not found (apt-get install fonts-noto-cjk)" >&2; exit 1; }
mkdir -p pages ocr
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# render TEXTFILE OUT.png: an A5 page at 300 dpi (1748 x 2480), one line per text line.
render() {
    local args=() y=260 n=0
    while IFS= read -r line; do
        local size=44; [ $n -eq 0 ] && size=72
        args+=(-pointsize "$size" -annotate "+170+$y" "$line")
        y=$((y + (n == 0 ? 200 : 150))); n=$((n + 1))
    done < "$1"
    convert -size 1748x2480 xc:white -font "$font" -fill black "${args[@]}" \
        -stroke black -strokewidth 3 -fill none -draw 'rectangle 120,150 1628,2330' \
        -density 300 -units PixelsPerInch "$2"
}
render src/ledger-a.txt "$tmp/a.png"
render src/ledger-b.txt "$tmp/b.png"

# Rotating by +θ in ImageMagick turns the content clockwise; landrec reports counter-clockwise
# skew as positive, so a page made with -rotate -1.5 has skew +1.5.
convert "$tmp/a.png" -background white -rotate -1.5 +repage -gravity center -extent 1748x2480 \
    -threshold 55% -type bilevel -compress Group4 -density 300 -units PixelsPerInch \
    pages/ledger-a-bitonal-g4.tif
convert "$tmp/b.png" -background white -rotate 2 +repage -gravity center -extent 1748x2480 \
    \( +clone -fill '#e8d9a8' -colorize 100 \) -compose multiply -composite \
    -seed 1 -attenuate 0.15 +noise Gaussian -blur 0x0.6 -colorspace Gray -depth 8 -alpha off \
    -compress LZW \
    -density 300 -units PixelsPerInch pages/ledger-b-grey-lzw.tif
# Colour, JPEG-compressed, yellowed, with a red-ink stamp, turned 90° clockwise
# (so it must be turned 270° clockwise to read upright).
convert "$tmp/a.png" -background white -rotate 0.8 +repage -gravity center -extent 1748x2480 \
    \( +clone -fill '#efe2b8' -colorize 100 \) -compose multiply -composite \
    -fill none -stroke '#c02020' -strokewidth 6 -draw 'circle 1400,420 1400,520' \
    -rotate 90 -alpha off -compress JPEG -quality 85 -density 300 -units PixelsPerInch \
    pages/ledger-a-colour-jpeg-rot90.tif
# Two pages, Deflate: page 1 upright, page 2 upside down; an absurd 1-dpi resolution tag (300 assumed).
convert "$tmp/b.png" -threshold 50% -type bilevel -depth 1 "$tmp/p1.png"
convert "$tmp/a.png" -rotate 180 -threshold 50% -type bilevel -depth 1 "$tmp/p2.png"
convert "$tmp/p1.png" "$tmp/p2.png" -depth 1 -compress Zip -units PixelsPerInch -density 1 \
    pages/two-pages-deflate.tif
# A small crop for the OCR test: four lines of Hanja and Hangul, clean, 300 dpi.
convert "$tmp/a.png" -crop 1500x620+120+1120 +repage -colorspace Gray -depth 8 \
    -define png:exclude-chunks=date,time -density 300 -units PixelsPerInch ocr/ko-hanja-lines.png
sed -n '7,10p' src/ledger-a.txt > ocr/ko-hanja-lines.txt
ls -l pages ocr

# Two field cells as a ledger prints them, for the lattice read of a real model
# (tests/ocr/test_lattice.c): a date and an event whose 倂 chi_tra lacks.
cell() {
    convert -size "$1"x110 xc:white -font "$font" -pointsize 48 -fill black -annotate +20+78 "$2" \
        -threshold 50% -type bilevel -depth 1 -density 300 -units PixelsPerInch "$3"
}
cell 470 "大正四年三月二日" ocr/cell-date.png
cell 170 "合倂" ocr/cell-event.png
