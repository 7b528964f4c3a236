#!/usr/bin/python3
"""render2 — a second, independent renderer of ledger sheets, for reporting only (never for
tuning): colonial land ledgers (土地臺帳), forest ledgers (林野臺帳) and land-movement
resolutions (토지이동정리결의서) as 300-dpi PNG with the truth JSON in the "landrec-synth/1"
format (docs/synthetic.md, docs/evaluation.md "Report sets: a second renderer").

    /usr/bin/python3 tools/render2/render2.py --out DIR [--count N] [--seed S]
                                              [--preset printed|hand|degraded] [--types LIST]
                                              [--frame double|single]

Needs Debian's python3-pil and the fonts of scripts/install-deps.sh. The same seed gives the
same bytes."""
import argparse
import json
import math
import os
import random
import sys
import unicodedata

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import content  # noqa: E402

GENERATOR = "render2 0.1"
DPI = 300
PAGE_MM = (210.0, 297.0)
PX_PER_MM = DPI / 25.4

FONT_FILES = {
    "ipaex": "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "hanamin": "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "uming": "/usr/share/fonts/truetype/arphic/uming.ttc",
    "unbatang": "/usr/share/fonts/truetype/unfonts-core/UnBatang.ttf",
    "baekmuk": "/usr/share/fonts/truetype/baekmuk/batang.ttf",
    "barunpen": "/usr/share/fonts/truetype/nanum/NanumBarunpenR.ttf",
    "brush": "/usr/share/fonts/truetype/nanum/NanumBrush.ttf",
}
# Faces by role, first covering face wins (a character missing from one is taken from the next).
CHAINS = {
    "label_hanja": ["ipaex", "hanamin", "uming"],
    "label_hangul": ["unbatang", "baekmuk"],
    "printed_hanja": ["hanamin", "uming", "ipaex"],
    "printed_hangul": ["unbatang", "baekmuk"],
    "hand_hanja": ["uming", "hanamin"],
    "hand_hangul": ["barunpen", "brush", "unbatang"],
}


def mm(v):
    return v * PX_PER_MM


class Fonts:
    """Faces by (name, size), and which face of a chain draws a character."""

    def __init__(self):
        missing = [p for p in FONT_FILES.values() if not os.path.exists(p)]
        if missing:
            raise SystemExit("render2: missing fonts %s (scripts/install-deps.sh installs them)"
                             % ", ".join(missing))
        self.faces = {}
        self.covers = {}

    def face(self, name, size):
        key = (name, size)
        if key not in self.faces:
            self.faces[key] = ImageFont.truetype(FONT_FILES[name], size)
        return self.faces[key]

    def has(self, name, ch):
        key = (name, ch)
        if key not in self.covers:
            f = self.face(name, 48)
            # Missing glyphs draw nothing (the Nanum faces' Hanja), the face's .notdef (the
            # pixels of an unassigned code point) or, for a Hangul syllable a face lacks,
            # decomposed jamo two ems wide (HanaMin).
            probe = f.getmask(ch)
            notdef = f.getmask("\u0378")
            self.covers[key] = ch == " " or (
                probe.getbbox() is not None and probe.size[0] < 1.6 * 48 and
                not (probe.size == notdef.size and bytes(probe) == bytes(notdef)))
        return self.covers[key]

    def pick(self, chain, ch):
        for name in CHAINS[chain]:
            if self.has(name, ch):
                return name
        return CHAINS[chain][0]


def script_of(text):
    """hangul / hanja / digits when only that class occurs, else mixed (truth format)."""
    hangul = hanja = digits = False
    for ch in text:
        c = ord(ch)
        if 0xAC00 <= c <= 0xD7A3 or 0x1100 <= c <= 0x11FF or 0x3130 <= c <= 0x318F:
            hangul = True
        elif (0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0xF900 <= c <= 0xFAFF
              or c in (0x3007, 0x3003, 0x3005)):
            hanja = True
        elif "0" <= ch <= "9":
            digits = True
    if hangul + hanja + digits != 1:
        return "mixed"
    return "hangul" if hangul else "hanja" if hanja else "digits"


def is_hangul_text(text):
    return any(0xAC00 <= ord(c) <= 0xD7A3 for c in text)


class Page:
    """The upright page in grey, and the lines written on it (text and ink box)."""

    def __init__(self, fonts, rng, preset, frame="double"):
        self.double = frame == "double"
        self.w, self.h = round(mm(PAGE_MM[0])), round(mm(PAGE_MM[1]))
        self.img = Image.new("L", (self.w, self.h), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.fonts = fonts
        self.rng = rng
        self.preset = preset
        self.lines = []

    # -- rulings --
    def rule(self, x0, y0, x1, y1, w_mm, ink=30):
        self.draw.line([(mm(x0), mm(y0)), (mm(x1), mm(y1))], fill=ink,
                       width=max(1, round(mm(w_mm))))

    def box(self, x0, y0, x1, y1, w_mm, ink=30):
        for a in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
            self.rule(*a, w_mm, ink)

    # -- text --
    def glyph(self, chain, ch, size, jitter):
        """The character's ink as an L mask (255 = ink), its pen offset and advance."""
        face = self.fonts.face(self.fonts.pick(chain, ch), max(4, int(size)))
        adv = face.getlength(ch)
        pad = int(size)
        canvas = Image.new("L", (int(adv) + 2 * pad + 2, 2 * pad + int(size) + 2), 0)
        ImageDraw.Draw(canvas).text((pad, pad + size), ch, font=face, fill=255, anchor="ls")
        if jitter:
            angle, scale = jitter
            if scale != 1.0:
                canvas = canvas.resize((max(1, round(canvas.width * scale)),
                                        max(1, round(canvas.height * scale))), Image.BICUBIC)
                pad *= scale
                adv *= scale
            if angle:
                canvas = canvas.rotate(angle, resample=Image.BICUBIC,
                                       center=(pad + adv / 2, pad + size * 0.62 * scale))
        return canvas, pad, adv

    def text(self, s, x, y, size, chain, vertical=False, hand=False, ink=20, tracking=0.0):
        """Writes s with its left baseline (or, vertical, top centre) at x, y in pixels;
        returns the ink box [x0, y0, x1, y1)."""
        rng = self.rng
        heavy = hand and rng.random() < 0.5  # a broader nib for the whole entry
        box = [10 ** 9, 10 ** 9, -1, -1]
        pen_x, pen_y = x, y
        for ch in s:
            if ch == " ":
                pen_x += size * 0.35
                continue
            jitter = None
            dx = dy = 0.0
            shade = ink
            if hand:
                jitter = (rng.uniform(-4.0, 4.0), rng.uniform(0.9, 1.1))
                dx, dy = rng.uniform(-0.05, 0.05) * size, rng.uniform(-0.07, 0.07) * size
                shade = max(0, min(100, ink + rng.randint(-10, 25)))
            mask, pad, adv = self.glyph(chain, ch, size, jitter)
            if heavy:
                mask = mask.filter(ImageFilter.MaxFilter(3))  # a heavier stroke
            if vertical:
                ox, oy = pen_x - adv / 2 - pad + dx, pen_y + size * 0.88 - pad - size + dy
            else:
                ox, oy = pen_x - pad + dx, pen_y - pad - size + dy
            ox, oy = int(round(ox)), int(round(oy))
            bb = mask.getbbox()
            if bb:
                dark = Image.new("L", mask.size, shade)
                region = (ox, oy, ox + mask.width, oy + mask.height)
                under = self.img.crop(region)
                ink_img = Image.composite(dark, Image.new("L", mask.size, 255), mask)
                self.img.paste(ImageChops.darker(under, ink_img), region)
                box = [min(box[0], max(0, ox + bb[0])), min(box[1], max(0, oy + bb[1])),
                       max(box[2], min(self.w, ox + bb[2])), max(box[3], min(self.h, oy + bb[3]))]
            if vertical:
                pen_y += size * (1.0 + tracking)
            else:
                pen_x += adv + size * tracking
        return box

    def extent(self, s, size, chain, tracking=0.0):
        w = 0.0
        for ch in s:
            if ch == " ":
                w += size * 0.35
                continue
            face = self.fonts.face(self.fonts.pick(chain, ch), max(4, int(size)))
            w += face.getlength(ch) + size * tracking
        return w

    def add_line(self, text, box):
        self.lines.append({"text": unicodedata.normalize("NFC", text), "box": box,
                           "script": script_of(text)})

    def label(self, s, x0, y0, x1, y1, size_mm, vertical=False, tracking=0.25):
        chain = "label_hangul" if is_hangul_text(s) else "label_hanja"
        size = mm(size_mm)
        if vertical:
            ext = len(s) * size * (1 + tracking)
            avail = mm(y1 - y0) * 0.85
            if ext > avail:
                size *= avail / ext
                ext = avail
            b = self.text(s, mm(x0 + x1) / 2, mm(y0 + y1) / 2 - ext / 2, size, chain,
                          vertical=True, tracking=tracking)
        else:
            ext = self.extent(s, size, chain, tracking)
            avail = mm(x1 - x0) * 0.86
            if ext > avail:
                size *= avail / ext
                ext = self.extent(s, size, chain, tracking)
            b = self.text(s, mm(x0 + x1) / 2 - ext / 2, mm(y0 + y1) / 2 + size * 0.38, size,
                          chain, tracking=tracking)
        self.add_line(s, b)
        return b

    def entry(self, s, x0, y0, x1, y1, size_mm=None, centre=False):
        """A written entry in its cell: a clerk's hand (jittered, in a pen or Ming face) on the
        hand and degraded presets, type on the printed one."""
        hand = self.preset != "printed"
        if hand:
            chain = "hand_hangul" if is_hangul_text(s) or all(
                c.isascii() for c in s) else "hand_hanja"
        else:
            chain = "printed_hangul" if is_hangul_text(s) else "printed_hanja"
        size = mm(size_mm or 4.6)
        pad = mm(1.6)
        avail = mm(x1 - x0) - 2 * pad
        ext = self.extent(s, size, chain, 0.04)
        if ext > avail:
            size *= avail / ext
            ext = self.extent(s, size, chain, 0.04)
        size = min(size, mm(y1 - y0) * 0.72)
        ext = self.extent(s, size, chain, 0.04)
        slack = max(0.0, avail - ext)
        start = slack / 2 if centre else slack * self.rng.uniform(0.0, 0.3)
        base = mm(y0 + y1) / 2 + size * 0.36
        if hand:
            base += self.rng.uniform(-0.1, 0.1) * size
        ink = 25 if self.preset == "printed" else self.rng.randint(10, 45)
        b = self.text(s, mm(x0) + pad + start, base, size, chain, hand=hand, ink=ink,
                      tracking=0.04)
        self.add_line(s, b)
        return b


# ---- forms ---------------------------------------------------------------------------------
# render2's own geometry (mm on A4): a double outer frame, 16 mm side margins, its own column
# proportions; the printed labels are those data/labels.tsv knows.

X0, X1 = 16.0, 194.0
SECTION_W = 9.0


def put(page, f, x0, y0, x1, y1, **kw):
    if f is None or not f["raw"]:
        return
    f["box"] = page.entry(f["raw"], x0, y0, x1, y1, centre="ditto" in f["flags"], **kw)


def draw_ledger(page, sheet):
    forest = sheet["doc_type"] == "forest_ledger"
    page.label(sheet["title"], 50, 11, 160, 27, 9.5, tracking=0.6)
    top, bottom = 31.0, 284.0
    if page.double:
        page.box(X0 - 1.6, top - 1.6, X1 + 1.6, bottom + 1.6, 0.8)  # double outer frame
    page.box(X0, top, X1, bottom, 0.3)
    # Header: 所在 | location | 地番 | lot.
    hy = top + 13
    xs = [X0, X0 + 18, X0 + 112, X0 + 130, X1]
    for x in xs[1:4]:
        page.rule(x, top, x, hy, 0.3)
    page.label("所在", xs[0], top, xs[1], hy, 3.6)
    put(page, sheet["location"], xs[1], top, xs[2], hy)
    page.label("地番", xs[2], top, xs[3], hy, 3.6)
    put(page, sheet["lot"], xs[3], top, xs[4], hy, size_mm=5.0)
    page.rule(X0, hy, X1, hy, 0.6)

    def block(y0, head_h, row_h, nrows, section, cols, rows, keys):
        y1 = y0 + head_h + nrows * row_h
        page.rule(X0 + SECTION_W, y0, X0 + SECTION_W, y1, 0.3)
        page.label(section, X0, y0, X0 + SECTION_W, y1, 4.2, vertical=True, tracking=0.7)
        x = X0 + SECTION_W
        bounds = [x]
        for _, w in cols:
            x = x + w if w else X1
            bounds.append(x)
        for x in bounds[1:-1]:
            page.rule(x, y0, x, y1, 0.25)
        for c, (name, _) in enumerate(cols):
            page.label(name, bounds[c], y0, bounds[c + 1], y0 + head_h, 3.4)
        page.rule(X0 + SECTION_W, y0 + head_h, X1, y0 + head_h, 0.4)
        for r in range(nrows):
            ry0 = y0 + head_h + r * row_h
            if r + 1 < nrows:
                page.rule(X0 + SECTION_W, ry0 + row_h, X1, ry0 + row_h, 0.18)
            if r < len(rows):
                for c, k in enumerate(keys):
                    if k:
                        put(page, rows[r][k], bounds[c], ry0, bounds[c + 1], ry0 + row_h)
        page.rule(X0, y1, X1, y1, 0.6)
        return y1

    if forest:
        land_cols = [("年月日", 37), ("事故", 38), ("地目", 20), ("地積", 55), ("等級", 0)]
        land_keys = ["date", "event", "category", "area", "grade"]
    else:
        land_cols = [("年月日", 37), ("事故", 35), ("地目", 18), ("地積", 44), ("等級", 15),
                     ("賃貸價格", 0)]
        land_keys = ["date", "event", "category", "area", "grade", None]
    y = block(hy, 8.5, 12.5, 7, "土地表示", land_cols, sheet["land"], land_keys)
    owner_cols = [("年月日", 37), ("事故", 31), ("住所", 68), ("氏名", 0)]
    y = block(y, 8.5, 13.0, 8, "所有者", owner_cols, sheet["owner"],
              ["date", "event", "address", "name"])
    page.rule(X0 + 17, y, X0 + 17, bottom, 0.25)
    page.label("備考", X0, y, X0 + 17, bottom, 3.4)


def draw_movement(page, sheet):
    page.label(sheet["title"], 28, 10, 182, 26, 7.5, tracking=0.3)
    # Approval boxes (printed form) with a stamp in some.
    for i, role in enumerate(["담당", "계장", "과장"]):
        x0 = 136 + i * 19
        page.box(x0, 32, x0 + 19, 54, 0.3)
        page.rule(x0, 38, x0 + 19, 38, 0.25)
        page.label(role, x0, 32, x0 + 19, 38, 3.0)
        if page.rng.random() < 0.7:
            cx, cy, r = mm(x0 + 9.5), mm(46), mm(4.2)
            page.draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=150,
                              width=max(1, round(mm(0.35))))
    page.label("번호", 16, 34, 30, 44, 3.4)
    b = page.entry(sheet["number"], 30, 34, 80, 44)
    top = 60.0
    rh = 12.5
    if page.double:
        page.box(X0 - 1.4, top - 1.4, X1 + 1.4, top + 3 * rh + 1.4, 0.7)
    page.box(X0, top, X1, top + 3 * rh, 0.3)
    page.rule(X0 + 30, top, X0 + 30, top + 3 * rh, 0.3)
    for i in (1, 2):
        page.rule(X0, top + i * rh, X1, top + i * rh, 0.25)
    page.label("결의일자", X0, top, X0 + 30, top + rh, 3.4)
    put(page, sheet["date"], X0 + 30, top, X1, top + rh)
    page.label("소재", X0, top + rh, X0 + 30, top + 2 * rh, 3.4)
    put(page, sheet["location"], X0 + 30, top + rh, X1, top + 2 * rh)
    page.label("이동사유", X0, top + 2 * rh, X0 + 30, top + 3 * rh, 3.4)
    put(page, sheet["event"], X0 + 30, top + 2 * rh, X1, top + 3 * rh)
    cx = [X0 + 11, X0 + 66, X0 + 114, X1]
    for t, (name, nrows, ty0) in enumerate([("이동전", 3, 108.0), ("이동후", 5, 162.0)]):
        ty1 = ty0 + 9 + nrows * rh
        if page.double:
            page.box(X0 - 1.4, ty0 - 1.4, X1 + 1.4, ty1 + 1.4, 0.7)
        page.box(X0, ty0, X1, ty1, 0.3)
        page.rule(cx[0], ty0, cx[0], ty1, 0.3)
        page.label(name, X0, ty0, cx[0], ty1, 3.8, vertical=True, tracking=0.5)
        for c in (1, 2):
            page.rule(cx[c], ty0, cx[c], ty1, 0.25)
        for c, head in enumerate(["지번", "지목", "면적(㎡)"]):
            page.label(head, cx[c], ty0, cx[c + 1], ty0 + 9, 3.4)
        page.rule(cx[0], ty0 + 9, X1, ty0 + 9, 0.4)
        for r in range(nrows):
            ry0 = ty0 + 9 + r * rh
            if r + 1 < nrows:
                page.rule(cx[0], ry0 + rh, X1, ry0 + rh, 0.18)
            if t == 0 and r < len(sheet["before"]):
                if r == 0:
                    put(page, sheet["lot"], cx[0], ry0, cx[1], ry0 + rh)
                    put(page, sheet["category"], cx[1], ry0, cx[2], ry0 + rh)
                    put(page, sheet["area"], cx[2], ry0, cx[3], ry0 + rh)
                else:
                    lot, cat, area = sheet["before"][r]
                    page.entry(lot, cx[0], ry0, cx[1], ry0 + rh)
                    page.entry(cat[0], cx[1], ry0, cx[2], ry0 + rh)
                    page.entry(str(area), cx[2], ry0, cx[3], ry0 + rh)
            elif t == 1 and r < len(sheet["land"]):
                row = sheet["land"][r]
                page.entry(row["lot_text"], cx[0], ry0, cx[1], ry0 + rh)
                put(page, row["category"], cx[1], ry0, cx[2], ry0 + rh)
                put(page, row["area"], cx[2], ry0, cx[3], ry0 + rh)
    page.box(X0, 240, X1, 268, 0.4)
    page.rule(X0 + 18, 240, X0 + 18, 268, 0.25)
    page.label("비고", X0, 240, X0 + 18, 268, 3.4)
    if sheet["note"]:
        page.entry(sheet["note"], X0 + 18, 240, X1, 254)
    del b


# ---- degradation ---------------------------------------------------------------------------

def gaussian_lut(sigma):
    """Maps a uniform byte to a Gaussian offset of standard deviation sigma (inverse CDF),
    centred on 128."""
    out = []
    for u in range(256):
        p = (u + 0.5) / 256
        # Acklam-free approximation of the normal quantile (Abramowitz–Stegun 26.2.23).
        q = p if p < 0.5 else 1 - p
        t = math.sqrt(-2 * math.log(q))
        z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (
            1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t ** 3)
        z = -z if p < 0.5 else z
        out.append(max(0, min(255, int(round(128 + sigma * z)))))
    return out


def degrade(img, rng):
    """Uneven ink and light, speckle, blur, noise and a slight skew; returns the image, the
    skew and the recorded parameters."""
    w, h = img.size
    params = {"yellow": 0.0, "uneven_light": round(rng.uniform(0.1, 0.45), 2), "stains": 0,
              "bleed": 0.0, "blur": round(rng.uniform(0.5, 1.2), 2),
              "noise": round(rng.uniform(4.0, 11.0), 2), "jpeg_quality": None,
              "contrast": round(rng.uniform(0.7, 0.95), 2)}
    # Uneven ink: the ink fades where a smooth random field is high.
    field = Image.frombytes("L", (6, 8), rng.randbytes(48)).resize((w, h), Image.BICUBIC)
    fade = field.point(lambda v: int(v * 0.45))
    img = ImageChops.lighter(img, ImageChops.multiply(ImageChops.invert(img).point(
        lambda v: 255 if v > 40 else 0), fade))
    # Uneven light: darkening towards one side.
    k = params["uneven_light"]
    side = rng.choice(["l", "r", "t", "b"])
    grad = Image.linear_gradient("L")
    grad = grad.rotate({"l": 270, "r": 90, "t": 180, "b": 0}[side]).resize((w, h))
    shade = grad.point(lambda v: int(255 - v * 0.45 * k))
    img = ImageChops.multiply(img, shade)
    # Contrast: every value pulled towards grey 180.
    c = params["contrast"]
    img = img.point(lambda v: int(round(180 + (v - 180) * c)))
    # Speckle: dark dots and white drop-outs.
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(300, 1500)):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.uniform(0.8, 3.0)
        d.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice([40, 70, 250]))
    img = img.filter(ImageFilter.GaussianBlur(params["blur"]))
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h)).point(gaussian_lut(params["noise"]))
    img = ImageChops.add(img, noise, scale=1.0, offset=-128)
    skew = round(rng.uniform(-1.5, 1.5), 2)
    img = img.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
    return img, skew, params


# ---- sheets --------------------------------------------------------------------------------

TYPES = {"land": "land", "forest": "forest", "movement": "movement"}


def make_sheet(fonts, seed, index, preset, kind, frame):
    def stream(purpose):
        return random.Random("render2:%d:%d:%s" % (seed, index, purpose))

    crng = stream("content")
    if kind == "movement":
        sheet = content.movement(crng)
    else:
        sheet = content.ledger(crng, kind == "forest")
    page = Page(fonts, stream("hand"), preset, frame)
    if kind == "movement":
        draw_movement(page, sheet)
    else:
        draw_ledger(page, sheet)
    img, skew = page.img, 0.0
    params = {"yellow": 0.0, "uneven_light": 0.0, "stains": 0, "bleed": 0.0, "blur": 0.0,
              "noise": 0.0, "jpeg_quality": None, "contrast": 1.0}
    if preset == "degraded":
        img, skew, params = degrade(img, stream("degrade"))
    colour = "bitonal" if preset == "printed" else "grey"
    if colour == "bitonal":
        img = img.point(lambda v: 255 if v > 150 else 0).convert("1")
    return sheet, page, img, skew, params, colour


def field_json(f):
    if f is None:
        return None
    return {"raw": unicodedata.normalize("NFC", f["raw"]), "value": f["value"],
            "box": f.get("box", [0, 0, 0, 0]), "label": f["label"]}


def truth_json(sheet, page, seed, image, skew, params, colour, preset):
    fields = {k: field_json(sheet.get(k)) for k in ("location", "lot", "category", "area",
                                                     "grade")}
    marks = []
    land = []
    for i, r in enumerate(sheet["land"]):
        row = {k: field_json(r.get(k)) for k in ("date", "event", "category", "area", "grade")}
        land.append(row)
        for k, f in r.items():
            if isinstance(f, dict) and "ditto" in f.get("flags", ()):
                marks.append({"kind": "ditto", "field": "land_history[%d].%s" % (i, k),
                              "box": f["box"]})
    owners = []
    for i, r in enumerate(sheet["owner"]):
        owners.append({k: field_json(r[k]) for k in ("date", "event", "address", "name")})
        for k, f in r.items():
            if "ditto" in f["flags"]:
                marks.append({"kind": "ditto", "field": "owner_history[%d].%s" % (i, k),
                              "box": f["box"]})
    fields["land_history"] = land
    fields["owner_history"] = owners
    return {"format": "landrec-synth/1", "generator": GENERATOR, "seed": seed,
            "image": image, "page": 1, "pages": 1, "doc_type": sheet["doc_type"],
            "width": page.w, "height": page.h, "dpi": DPI, "colour": colour,
            "orientation": 0, "hand": "printed" if preset == "printed" else "handwritten",
            "skew": skew, "degradations": params,
            "text": "\n".join(ln["text"] for ln in page.lines), "lines": page.lines,
            "fields": fields, "marks": marks}


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="render2", description="Independent ledger-sheet renderer for report sets "
        "(landrec-synth/1 truth). Report on its sheets; never tune on them.")
    ap.add_argument("-o", "--out", required=True, help="output directory")
    ap.add_argument("-n", "--count", type=int, default=10)
    ap.add_argument("-s", "--seed", type=int, default=1)
    ap.add_argument("-p", "--preset", choices=["printed", "hand", "degraded"], default="hand")
    ap.add_argument("-t", "--types", default="land,forest,movement",
                    help="comma-separated, taken in turn: land, forest, movement")
    ap.add_argument("--frame", choices=["double", "single"], default="double",
                    help="outer frames of the ledger and the resolution's tables: double "
                    "(render2's look) or single (to tell what the double frame costs)")
    a = ap.parse_args(argv)
    kinds = [t for t in a.types.split(",") if t]
    if not kinds or any(t not in TYPES for t in kinds) or a.count < 0 or a.seed < 0:
        ap.error("bad --types, --count or --seed")
    os.makedirs(a.out, exist_ok=True)
    fonts = Fonts()
    manifest = []
    for i in range(1, a.count + 1):
        kind = kinds[(i - 1) % len(kinds)]
        sheet, page, img, skew, params, colour = make_sheet(fonts, a.seed, i, a.preset, kind,
                                                                a.frame)
        name = "sheet-%04d" % i
        import io
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(DPI, DPI), optimize=False)
        write_atomic(os.path.join(a.out, name + ".png"), buf.getvalue())
        truth = truth_json(sheet, page, a.seed, name + ".png", skew, params, colour, a.preset)
        write_atomic(os.path.join(a.out, name + ".json"),
                     (json.dumps(truth, ensure_ascii=False, indent=1) + "\n").encode())
        manifest.append(json.dumps({"image": name + ".png", "truth": name + ".json", "page": 1,
                                    "pages": 1, "doc_type": sheet["doc_type"], "dpi": DPI,
                                    "colour": colour, "seed": a.seed}, ensure_ascii=False))
    write_atomic(os.path.join(a.out, "manifest.jsonl"),
                 ("\n".join(manifest) + ("\n" if manifest else "")).encode())
    print("render2: %d sheets (%s) in %s" % (a.count, a.preset, a.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
