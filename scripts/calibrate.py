#!/usr/bin/env python3
"""Review thresholds from scored fields (docs/evaluation.md, "Calibration: flags to trust").

Reads the files `score_sheets --calib FILE` writes (one line per scored field: doc type, kind,
confidence, right 0/1, held 0/1 — held: flagged for another reason than its confidence, or not
read, so flagged at any threshold — and flagged 0/1 in the run that wrote it) and:

  calibrate.py --fit KINDS TUNING.calib... > data/thresholds.tsv
      for each kind of KINDS (comma-separated), the lowest threshold at which the fields of
      that kind left unflagged on the tuning sets are right at least --target of the time
      (default 0.995), counting at least --min-fields fields (default 20) above it;
      a kind with too few fields is not written (it keeps the run's threshold)
  calibrate.py --report THRESHOLDS.tsv NAME=FILE.calib...
      per set: fields, right %, not flagged %, unflagged right %, unflagged wrong, simulated
      with those thresholds (a kind not listed flagged as it was in the run; in a file
      without that column, at --default, 70)
  calibrate.py --svg OUT.svg NAME=FILE.calib...
      the reliability diagram: confidence (bins of 10) against the share right, per set

Standard library only. The simulation leaves out what a threshold changes further down (the
checks across fields that look at which fields stand); a run of score_sheets with the
thresholds gives the real figures.
"""
import argparse
import sys


def read_calib(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            p = line.rstrip('\n').split('\t')
            if len(p) not in (5, 6):
                raise SystemExit(f'{path}:{n}: want 5 or 6 tab-separated fields, got {len(p)}')
            flagged = None if len(p) == 5 else p[5] == '1'
            rows.append((p[0], p[1], float(p[2]), p[3] == '1', p[4] == '1', flagged))
    return rows


def read_thresholds(path):
    th = {}
    with open(path, encoding='utf-8') as f:
        header = None
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            p = [x.strip() for x in line.rstrip('\n').split('\t')]
            if header is None:
                header = p
                continue
            row = dict(zip(header, p))
            th[row['field']] = float(row['threshold'])
    return th


def fit(rows, kind, target, min_fields):
    """The lowest threshold (0-100, whole numbers) meeting target with min_fields above it."""
    cand = [(c, ok) for (_, k, c, ok, held, _) in rows if k == kind and not held]
    for t in range(0, 101):
        above = [ok for c, ok in cand if c >= t]
        if len(above) < min_fields:
            return None
        if sum(above) >= target * len(above):
            return t
    return None


def stands(k, c, held, flagged, th, default):
    if k in th:
        return not held and c >= th[k]
    if flagged is not None:
        return not flagged
    return not held and c >= default


def simulate(rows, th, default):
    n = len(rows)
    right = sum(r[3] for r in rows)
    unflagged = [ok for (_, k, c, ok, held, fl) in rows if stands(k, c, held, fl, th, default)]
    return n, right, len(unflagged), sum(unflagged)


def named(args):
    out = []
    for a in args:
        name, _, path = a.partition('=')
        if not path:
            raise SystemExit(f'want NAME=FILE, got {a!r}')
        out.append((name, read_calib(path)))
    return out


def svg(sets, path):
    w, h, m = 560, 400, 50
    colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf']
    def x(c):
        return m + (w - 2 * m) * c / 100
    def y(a):
        return h - m - (h - 2 * m) * a
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h + 20 * len(sets)}"'
             f' font-family="sans-serif" font-size="11">',
             f'<rect x="0" y="0" width="{w}" height="{h + 20 * len(sets)}" fill="white"/>',
             f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(100)}" y2="{y(1)}" stroke="#999"'
             ' stroke-dasharray="4 3"/>',
             f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(100)}" y2="{y(0)}" stroke="black"/>',
             f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(0)}" y2="{y(1)}" stroke="black"/>']
    for t in range(0, 101, 20):
        parts.append(f'<text x="{x(t)}" y="{y(0) + 15}" text-anchor="middle">{t}</text>')
    for a in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<text x="{x(0) - 6}" y="{y(a) + 4}" text-anchor="end">{a:.2f}</text>')
    parts.append(f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">field confidence'
                 ' (bins of 10)</text>')
    parts.append(f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})"'
                 ' text-anchor="middle">share right</text>')
    for i, (name, rows) in enumerate(sets):
        col = colours[i % len(colours)]
        pts = []
        for b in range(10):
            lo, hi = 10 * b, 10 * b + 10
            inbin = [ok for (_, _, c, ok, held, _) in rows
                     if not (held and c == 0) and (lo <= c < hi or (b == 9 and c == 100))]
            if not inbin:
                continue
            acc = sum(inbin) / len(inbin)
            pts.append((x(lo + 5), y(acc), len(inbin)))
        if pts:
            parts.append('<polyline fill="none" stroke="%s" points="%s"/>' % (
                col, ' '.join(f'{px:.1f},{py:.1f}' for px, py, _ in pts)))
        for px, py, n in pts:
            r = 2 + min(6, n ** 0.5 / 3)
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r:.1f}" fill="{col}"/>')
        ly = h + 20 * i + 5
        parts.append(f'<rect x="{m}" y="{ly}" width="12" height="8" fill="{col}"/>')
        parts.append(f'<text x="{m + 18}" y="{ly + 8}">{name} ({len(rows)} fields)</text>')
    parts.append('</svg>')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(parts) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument('--fit', metavar='KINDS')
    g.add_argument('--report', metavar='THRESHOLDS')
    g.add_argument('--svg', metavar='OUT')
    ap.add_argument('--target', type=float, default=0.995)
    ap.add_argument('--min-fields', type=int, default=20)
    ap.add_argument('--default', type=float, default=70)
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    if a.fit:
        rows = [r for f in a.files for r in read_calib(f)]
        print('# The review threshold of each field kind (src/extract/thresholds.c): a field')
        print('# below it goes to review. Fitted by scripts/calibrate.py --fit on the tuning')
        print('# sets (docs/evaluation.md, "Calibration: flags to trust"); kinds not listed')
        print('# keep the run\'s threshold (70) and the free-text rule.')
        print('field\tthreshold')
        for kind in a.fit.split(','):
            t = fit(rows, kind, a.target, a.min_fields)
            if t is None:
                print(f'calibrate: {kind}: too few fields to fit, not listed', file=sys.stderr)
                continue
            print(f'{kind}\t{t}')
        return
    if a.report:
        th = read_thresholds(a.report)
        print(f'{"set":24} {"fields":>6} {"right %":>8} {"not flagged %":>14}'
              f' {"unflagged right %":>18} {"unflagged wrong":>16}')
        for name, rows in named(a.files):
            n, right, nu, ur = simulate(rows, th, a.default)
            print(f'{name:24} {n:6d} {100 * right / max(n, 1):8.1f} {100 * nu / max(n, 1):14.1f}'
                  f' {100 * ur / max(nu, 1):18.1f} {nu - ur:16d}')
        return
    svg(named(a.files), a.svg)


if __name__ == '__main__':
    main()
