#!/usr/bin/env python3
"""Renders the small ruled ledger sheets in testdata/ledger/ (ImageMagick and the Noto Serif
CJK font, Debian: imagemagick fonts-noto-cjk) with their truth in the landrec-synth/1 JSON
format (docs/synthetic.md), for the layout/extract tests until the synthetic generator's
sheets exist. The committed files were made by this script; re-run it only to change them.

usage: scripts/make-ledger-testdata.py [OUTDIR]   (default testdata/ledger)"""
import json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'testdata', 'ledger')
FONT = subprocess.run(['fc-list', ':lang=ko', 'file'], capture_output=True, text=True).stdout
FONT = next(l.split(':')[0] for l in FONT.splitlines() if 'NotoSerifCJK-Regular' in l)

W, H, DPI = 2000, 1400, 300
X0, X1 = 80, 1920


def F(raw, value, box, label=None):
    return {'raw': raw, 'value': value, 'box': box, 'label': label}


def sheet(name, title, doc_type, header, land_cols, owner_cols, land_rows, owner_rows):
    """header: [(label, field, raw, value)]; *_cols: [(label, field, width)]; rows: [[(raw,
    value)]] in column order."""
    draw, fields = [], {'land_history': [], 'owner_history': []}
    lines = []

    def text(x, y, s, size=34):
        draw.extend(['-pointsize', str(size), '-annotate', f'+{x}+{y}', s])

    def rect(x0, y0, x1, y1):
        lines.append(f'rectangle {x0},{y0} {x1},{y1}')

    text(X0 + 700, 110, title, 64)
    # Header row: label | value pairs across the width.
    y0, y1 = 170, 260
    n = len(header)
    widths = []
    for lab, field, raw, value in header:
        widths += [150, (X1 - X0) // n - 150]
    x = X0
    for i, (lab, field, raw, value) in enumerate(header):
        lw, vw = widths[2 * i], widths[2 * i + 1]
        rect(x, y0, x + lw, y1)
        text(x + 20, y1 - 28, lab)
        rect(x + lw, y0, x + lw + vw, y1)
        text(x + lw + 15, y1 - 28, raw)
        fields[field] = F(raw, value, [x + lw, y0, x + lw + vw, y1], lab)
        x += lw + vw
    # History: the land block on the left, the owner block on the right.
    top, rh = 300, 90
    for cols, rows, key, xs in ((land_cols, land_rows, 'land_history', X0),
                                (owner_cols, owner_rows, 'owner_history', X0 + 900)):
        x = xs
        for lab, field, w in cols:
            rect(x, top, x + w, top + rh)
            text(x + 12, top + rh - 28, lab, 30)
            x += w
        for r in range(5):
            ry0 = top + rh * (r + 1)
            x = xs
            row = {}
            for c, (lab, field, w) in enumerate(cols):
                rect(x, ry0, x + w, ry0 + rh)
                if r < len(rows):
                    raw, value = rows[r][c]
                    if raw:
                        text(x + 10, ry0 + rh - 30, raw, 30)
                    row[field] = F(raw, value, [x, ry0, x + w, ry0 + rh])
                x += w
            if r < len(rows):
                fields[key].append(row)
    for k in ('location', 'lot', 'category', 'area', 'grade'):
        fields.setdefault(k, None)
    os.makedirs(OUT, exist_ok=True)
    png = os.path.join(OUT, name + '.png')
    subprocess.run(['convert', '-size', f'{W}x{H}', 'xc:white', '-font', FONT, '-fill', 'black',
                    *draw, '-stroke', 'black', '-strokewidth', '3', '-fill', 'none',
                    *sum((['-draw', l] for l in lines), []),
                    '-colorspace', 'Gray', '-alpha', 'off', '-density', str(DPI), '-units', 'PixelsPerInch',
                    png], check=True)
    truth = {'format': 'landrec-synth/1', 'image': name + '.png', 'page': 1, 'pages': 1,
             'doc_type': doc_type, 'width': W, 'height': H, 'dpi': DPI, 'colour': 'grey',
             'orientation': 0, 'skew': 0, 'degradations': {}, 'text': '', 'lines': [],
             'fields': fields, 'marks': []}
    with open(os.path.join(OUT, name + '.json'), 'w', encoding='utf-8') as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write('\n')


LAND = [('年月日', 'date', 260), ('事故', 'event', 170), ('地目', 'category', 110),
        ('地積', 'area', 170), ('等級', 'grade', 110)]
OWNER = [('年月日', 'date', 260), ('事故', 'event', 170), ('住所', 'address', 320),
         ('氏名', 'name', 190)]
sheet('land-01', '土地臺帳', 'land_ledger',
      [('所在', 'location', '京城府本町', '京城府本町'), ('地番', 'lot', '123-4', '123-4'),
       ('地目', 'category', '垈', '08')],
      LAND, OWNER,
      [[('大正5年8月10日', '1916-08-10'), ('査定', 'assessment'), ('垈', '08'),
        ('50坪', '165.29'), ('15', '15')],
       [('昭和12年3月5日', '1937-03-05'), ('分割', 'split'), ('垈', '08'), ('30坪5合', '100.83'),
        ('15', '15')]],
      [[('大正5年8月10日', '1916-08-10'), ('査定', 'assessment'), ('京城府本町', '京城府本町'),
        ('金永壽', '金永壽')],
       [('昭和3年4月1日', '1928-04-01'), ('相續', 'inheritance'), ('京城府本町', '京城府本町'),
        ('金正植', '金正植')]])
sheet('land-02', '토지대장', 'land_ledger',
      [('소재', 'location', '서울시 종로구 청운동', '서울시 종로구 청운동'),
       ('지번', 'lot', '45', '45'), ('지목', 'category', '답', '02')],
      [('연월일', 'date', 260), ('사유', 'event', 170), ('지목', 'category', 110),
       ('면적', 'area', 170), ('등급', 'grade', 110)],
      [('연월일', 'date', 260), ('사유', 'event', 170), ('주소', 'address', 320),
       ('성명', 'name', 190)],
      [[('1955년 3월 2일', '1955-03-02'), ('분할', 'split'), ('답', '02'), ('120평', '396.69'),
        ('8', '8')]],
      [[('1955년 3월 2일', '1955-03-02'), ('매매', 'transfer'), ('종로구 청운동', '종로구 청운동'),
        ('이철수', '이철수')]])
