#!/usr/bin/env python3
"""scripts/calibrate.py on hand-made calibration files: the fitted threshold is the lowest at
which the unflagged fields of a kind are right often enough, a kind with too few fields is
left out, fields held for another reason never count as unflagged, and the diagram is SVG."""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

script = os.path.join(sys.argv[1], 'scripts', 'calibrate.py')
failed = 0


def check(cond, what):
    global failed
    if not cond:
        failed += 1
        print(f'FAIL: {what}')


def run(*args):
    r = subprocess.run([sys.executable, script, *args], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


with tempfile.TemporaryDirectory() as tmp:
    calib = os.path.join(tmp, 'tune.calib')
    lines = []
    # lot: 40 right at 95, 10 at 80 of which 3 wrong, 10 wrong at 50
    lines += ['land_ledger\tlot\t95.0\t1\t0'] * 40
    lines += ['land_ledger\tlot\t80.0\t1\t0'] * 7 + ['land_ledger\tlot\t80.0\t0\t0'] * 3
    lines += ['land_ledger\tlot\t50.0\t0\t0'] * 10
    # a wrong date held for another reason at 99 does not stop a low threshold
    lines += ['land_ledger\tdate\t90.0\t1\t0'] * 30 + ['land_ledger\tdate\t99.0\t0\t1']
    # grade: too few
    lines += ['land_ledger\tgrade\t90.0\t1\t0'] * 5
    open(calib, 'w').write('\n'.join(lines) + '\n')
    rc, out, err = run('--fit', 'lot,date,grade', calib)
    check(rc == 0, f'fit exits 0 ({err})')
    th = dict(l.split('\t') for l in out.splitlines() if l and not l.startswith('#'))
    check(th.get('lot') == '81', f'lot: the lowest threshold above the 80s: {th.get("lot")}')
    check(th.get('date') == '0', f'date: the held wrong one does not count: {th.get("date")}')
    check('grade' not in th and 'too few' in err, 'grade: too few fields, not listed')

    tsv = os.path.join(tmp, 'th.tsv')
    open(tsv, 'w').write(out)
    rc, out, err = run('--report', tsv, f'tune={calib}')
    row = [l for l in out.splitlines() if l.startswith('tune')][0].split()
    # 96 fields; unflagged: 40 lots + 30 dates + 5 grades (at 70) = 75, all right
    check(row[1] == '96', f'fields: {row[1]}')
    check(row[4] == '100.0' and row[5] == '0', f'unflagged right / wrong: {row[4]} {row[5]}')
    check(abs(float(row[3]) - 100 * 75 / 96) < 0.06, f'not flagged %: {row[3]}')

    svg = os.path.join(tmp, 'c.svg')
    rc, out, err = run('--svg', svg, f'tune={calib}', f'again={calib}')
    root = ET.parse(svg).getroot()
    circles = [e for e in root.iter() if e.tag.endswith('circle')]
    check(rc == 0 and len(circles) == 2 * 3, f'one point per non-empty bin and set: {len(circles)}')

    # with the run's flags: a kind the table does not list is flagged as it was
    ran = os.path.join(tmp, 'ran.calib')
    open(ran, 'w').write('land_ledger\tname\t90.0\t1\t0\t1\nland_ledger\tname\t90.0\t0\t0\t0\n'
                         'land_ledger\tlot\t95.0\t1\t0\t1\n')
    rc, out, err = run('--report', tsv, f'ran={ran}')
    row = [l for l in out.splitlines() if l.startswith('ran')][0].split()
    check(row[3] == '66.7' and row[5] == '1', f'name as flagged, lot by the table: {row}')

    bad = os.path.join(tmp, 'bad.calib')
    open(bad, 'w').write('land_ledger\tlot\t95.0\n')
    rc, out, err = run('--fit', 'lot', bad)
    check(rc != 0 and 'bad.calib:1' in err, f'a short line is refused, naming it: {err.strip()}')

print('test_calibrate:', 'ok' if not failed else f'{failed} failed')
sys.exit(1 if failed else 0)
