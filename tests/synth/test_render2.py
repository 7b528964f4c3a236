"""synth-render2: render2 writes 2 sheets of each preset (every form among them); the PNGs open
at A4 300 dpi in the colour the truth names; each truth is landrec-synth/1 with every field
score_sheets reads, values in the contract's shapes, every field one of the lines with its
box, the text the lines joined; the same seed gives the same bytes, another seed does not;
--frame single changes the rulings, not the truth.
Usage: test_render2.py RENDER2.PY WORK_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys

from PIL import Image

render2, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
failed = checks = 0


def check(what, ok):
    global failed, checks
    checks += 1
    if not ok:
        failed += 1
        print("check failed:", what, file=sys.stderr)


def run(out, seed, preset, types, more=()):
    r = subprocess.run(["/usr/bin/python3", "-B", render2, "--out", out, "--count", "2",
                        "--seed", str(seed), "--preset", preset, "--types", types, *more],
                       capture_output=True, text=True)
    check("render2 %s exits 0 (%s)" % (preset, r.stderr.strip()[-300:]), r.returncode == 0)


VALUE = {  # the shapes of normalised values (docs/synthetic.md, "Normalised values")
    "date": r"(18|19)\d\d-\d\d-\d\d", "area": r"\d+\.\d\d", "category": r"\d\d",
    "grade": r"\d{1,2}", "lot": r"(산)?\d+(-\d+)?",
    "event": r"assessment|split|merge|category_change|new_registration|conversion|correction|"
             r"transfer|preservation|inheritance|address_change|name_change|other",
}
PAGE_W, PAGE_H = 2480, 3508  # A4 at 300 dpi
runs = {"printed": "movement,land", "hand": "forest,movement", "degraded": "land,forest"}
seen_types = set()
for preset, types in runs.items():
    out = os.path.join(work, preset)
    run(out, 5, preset, types)
    for i in (1, 2):
        name = os.path.join(out, "sheet-%04d" % i)
        try:
            t = json.load(open(name + ".json", encoding="utf-8"))
        except (OSError, ValueError) as e:
            check("%s.json parses (%s)" % (name, e), False)
            continue
        with Image.open(name + ".png") as im:
            check("%s: A4 at 300 dpi" % name, im.size == (PAGE_W, PAGE_H)
                  and round(im.info.get("dpi", (0, 0))[0]) == 300)
            check("%s: mode as the truth's colour" % name,
                  im.mode == {"bitonal": "1", "grey": "L"}.get(t.get("colour")))
            im.load()
        check("%s: format" % name, t.get("format") == "landrec-synth/1")
        check("%s: image, page, size" % name, t.get("image") == "sheet-%04d.png" % i and
              t.get("page") == 1 and t.get("width") == PAGE_W and t.get("height") == PAGE_H)
        check("%s: hand" % name, t.get("hand") == ("printed" if preset == "printed"
                                                      else "handwritten"))
        check("%s: skew only when degraded" % name, (t.get("skew") != 0) == (preset == "degraded"))
        doc = t.get("doc_type")
        seen_types.add(doc)
        check("%s: doc_type" % name, doc in ("land_ledger", "forest_ledger",
                                             "movement_resolution"))
        lines = t.get("lines", [])
        check("%s: text is the lines joined" % name,
              t.get("text") == "\n".join(ln["text"] for ln in lines))
        boxes = {(ln["text"], tuple(ln["box"])) for ln in lines}
        f = t.get("fields", {})

        def field(path, v, key, required):
            if v is None:
                check("%s %s present" % (name, path), not required)
                return
            check("%s %s keys" % (name, path), set(v) == {"raw", "value", "box", "label"})
            check("%s %s value %r" % (name, path, v.get("value")),
                  re.fullmatch(VALUE.get(key, r".+"), v.get("value") or "") is not None)
            b = v.get("box", [0, 0, 0, 0])
            check("%s %s box on the page" % (name, path),
                  0 <= b[0] < b[2] <= PAGE_W and 0 <= b[1] < b[3] <= PAGE_H)
            check("%s %s is a line" % (name, path), (v.get("raw"), tuple(b)) in boxes)
            # A glyph a face lacks must come from the next face: Hangul drawn as decomposed
            # jamo by a Hanja face is about two ems a character.
            n = len(v["raw"].replace(" ", ""))
            check("%s %s not wider than its characters (%r)" % (name, path, b),
                  b[2] - b[0] <= 1.5 * (b[3] - b[1]) * n + 10)

        resolution = doc == "movement_resolution"
        for k in ("location", "lot", "category", "area", "grade"):
            field(k, f.get(k), k, k in ("location", "lot") or (resolution and k != "grade"))
        land, owners = f.get("land_history"), f.get("owner_history")
        check("%s: histories are lists" % name, isinstance(land, list) and isinstance(owners, list))
        check("%s: a land history" % name, len(land or []) >= 1)
        check("%s: owners on ledgers only" % name, (len(owners or []) >= 1) != resolution)
        for r, row in enumerate(land or []):
            for k in ("date", "event", "category", "area", "grade"):
                field("land[%d].%s" % (r, k), row.get(k), k, k != "grade")
        for r, row in enumerate(owners or []):
            for k in ("date", "event", "address", "name"):
                field("owner[%d].%s" % (r, k), row.get(k), k, True)
        if not resolution:
            check("%s: first rows are the assessment, land and owner the same day" % name,
                  land[0]["event"]["value"] == "assessment" and owners[0]["event"]["value"]
                  == "assessment" and land[0]["date"]["value"] == owners[0]["date"]["value"])
check("every form made", seen_types == {"land_ledger", "forest_ledger", "movement_resolution"})


def files(d):
    return {n: open(os.path.join(d, n), "rb").read() for n in sorted(os.listdir(d))}


for preset, types in runs.items():
    again = os.path.join(work, preset + "-again")
    run(again, 5, preset, types)
    check("%s: same seed, same bytes" % preset, files(os.path.join(work, preset)) == files(again))
other = os.path.join(work, "other-seed")
run(other, 6, "hand", runs["hand"])
check("another seed, other pixels", files(other)["sheet-0001.png"] !=
      files(os.path.join(work, "hand"))["sheet-0001.png"])
single = os.path.join(work, "single-frame")
run(single, 5, "hand", runs["hand"], ["--frame", "single"])
check("--frame single: the same truth", files(single)["sheet-0002.json"] ==
      files(os.path.join(work, "hand"))["sheet-0002.json"])
check("--frame single: other rulings", files(single)["sheet-0002.png"] !=
      files(os.path.join(work, "hand"))["sheet-0002.png"])
print("%d passed, %d failed" % (checks - failed, failed))
sys.exit(1 if failed else 0)
