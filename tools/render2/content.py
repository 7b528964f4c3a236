"""What render2 writes on a sheet: parcels, their histories and owners, as raw text with the
normalised values of the "landrec-synth/1" truth (docs/synthetic.md). Written from
docs/domain.md (eras and switch days, Hanja numerals, 坪合勺 and 町段畝步, 지목 codes, events),
not from landrec-synth's generator."""
import datetime
import decimal
from fractions import Fraction

D = datetime.date

# ---- numerals (domain.md §4.2) -------------------------------------------------------------

DIGITS = "〇一二三四五六七八九"
FORMAL = {1: "壹", 2: "貳", 3: "參", 10: "拾"}


def positional(n):
    """一二三 = 123, 一〇五 = 105."""
    return "".join(DIGITS[int(c)] for c in str(n))


def additive(n, formal=False, lead_one=False):
    """百二十三, 壹百貳拾參 (formal: only 壹貳參拾 are formal, as in practice)."""
    if n == 0:
        return "〇"

    def dig(d):
        return FORMAL.get(d, DIGITS[d]) if formal else DIGITS[d]

    ten = "拾" if formal else "十"
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, ten)):
        q, n = divmod(n, value)
        if q:
            if q > 1 or (formal and value >= 100) or lead_one:
                out += dig(q)
            out += unit
    if n:
        out += dig(n)
    return out


def number(rng, n, style):
    """One of the written styles: positional, additive, formal, arabic."""
    if style == "positional":
        return positional(n)
    if style == "formal":
        return additive(n, formal=True)
    if style == "arabic":
        return str(n)
    return additive(n)


def day_or_year(rng, n, style):
    """Days and years; 廿 and 卅 now and then (domain.md §4.2)."""
    if style != "positional" and 20 <= n < 40 and rng.random() < 0.2:
        head = "廿" if n < 30 else "卅"
        return head + (number(rng, n % 10, style) if n % 10 else "")
    if style == "positional":
        return additive(n)  # years and days are not written positionally in era dates
    return number(rng, n, style)


# ---- eras (domain.md §4.1) -----------------------------------------------------------------

ERAS = [  # name, first day, last day, offset
    ("明治", D(1868, 1, 25), D(1912, 7, 30), 1867),
    ("大正", D(1912, 7, 30), D(1926, 12, 25), 1911),
    ("昭和", D(1926, 12, 25), D(1945, 8, 15), 1925),
]


def eras_of(day):
    """Every era a day may be written in: both on a switch day."""
    return [e for e in ERAS if e[1] <= day <= e[2]]


def era_date(rng, day, style):
    name, _, _, off = rng.choice(eras_of(day))
    y = day.year - off
    year = "元" if y == 1 else day_or_year(rng, y, style)
    return "%s%s年%s月%s日" % (name, year, day_or_year(rng, day.month, style),
                              day_or_year(rng, day.day, style))


def random_day(rng, lo, hi):
    return lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))


# ---- areas (domain.md §3) ------------------------------------------------------------------

M2_PER_TSUBO = Fraction(400, 121)


def m2(tsubo):
    """Square metres, two decimals, half up at the end only."""
    v = decimal.Decimal(tsubo.numerator * 400) / decimal.Decimal(tsubo.denominator * 121)
    return str(v.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))


def tsubo_text(rng, shaku, style):
    """坪合勺 from a count of 勺 (1 坪 = 100 勺)."""
    t, rest = divmod(shaku, 100)
    g, s = divmod(rest, 10)
    out = (number(rng, t, style) + "坪") if t else ""
    if g:
        out += number(rng, g, style if style != "positional" else "additive") + "合"
    if s:
        out += number(rng, s, style if style != "positional" else "additive") + "勺"
    return out


def cho_text(rng, bu, style):
    """町段畝步 from a count of 步; a trailing 步 when it ends on 町, 段 or 畝."""
    cho, r = divmod(bu, 3000)
    tan, r = divmod(r, 300)
    se, b = divmod(r, 30)
    out = ""
    for n, unit in ((cho, "町"), (tan, "段"), (se, "畝")):
        if n:
            out += number(rng, n, style) + unit
    out += (number(rng, b, style) + "步") if b else "步"
    return out


# ---- categories (domain.md §2.1, §2.5; §2.4 for the Hangul of the resolutions) ---------------

LAND_CATS = [("田", "01", 30), ("畓", "02", 30), ("垈", "08", 30), ("雜種地", "28", 4),
             ("池沼", "19", 2), ("林野", "05", 3), ("墳墓地", "27", 2), ("社寺地", "25", 1),
             ("公園地", "22", 1), ("鐵道用地", "15", 1), ("水道用地", "21", 1)]
FOREST_CATS = [("林野", "05", 90), ("墳墓地", "27", 6), ("雜種地", "28", 4)]
MODERN_CATS = [("전", "01"), ("답", "02"), ("과수원", "03"), ("임야", "05"), ("대", "08"),
               ("공장용지", "09"), ("학교용지", "10"), ("도로", "14"), ("잡종지", "28"),
               ("묘지", "27"), ("유지", "19"), ("종교용지", "25")]


def weighted(rng, items):
    total = sum(i[-1] for i in items)
    x = rng.random() * total
    for i in items:
        x -= i[-1]
        if x < 0:
            return i
    return items[-1]


# ---- places and people ---------------------------------------------------------------------

SEOUL_TOWNS = ["本町", "明治町", "黃金町", "旭町", "南大門通", "鍾路", "太平通", "若草町",
               "竹添町", "長谷川町", "光熙町", "櫻井町"]
SEOUL_DONG = ["仁寺洞", "安國洞", "嘉會洞", "桂洞", "齋洞", "苑西洞", "孝子洞", "清進洞", "體府洞"]
GYEONGGI = [("高陽郡", "崇仁面", ["敦岩里", "牛耳里", "彌阿里", "水踰里"]),
            ("始興郡", "東面", ["奉天里", "新林里", "始興里"]),
            ("廣州郡", "彦州面", ["驛三里", "論峴里", "新沙里", "狎鷗亭里"]),
            ("楊州郡", "蘆海面", ["倉洞里", "上溪里", "中溪里"]),
            ("金浦郡", "陽東面", ["加陽里", "登村里", "塩倉里"])]
SURNAMES = "金李朴崔鄭姜趙尹張林韓申吳徐權黃宋洪"
GIVEN = "永順德明成英在正東錫泰基萬福吉壽相鎭炳龍玉淑貞"
JAPANESE = ["山田太郎", "佐藤一郎", "鈴木正雄", "田中清", "中村茂", "高木久吉", "松井義男"]
COMPANIES = ["東洋拓殖株式會社", "朝鮮殖産銀行", "京城金融組合"]
SEOUL_GU = ["종로구", "중구", "성북구", "동대문구", "마포구", "영등포구", "강남구", "도봉구"]
SEOUL_DONG_H = ["돈암동", "미아동", "신림동", "역삼동", "논현동", "상계동", "수유동", "창동"]


def location(rng, forest):
    if forest or rng.random() < 0.45:
        gun, myeon, ris = rng.choice(GYEONGGI)
        return "京畿道 %s %s %s" % (gun, myeon, rng.choice(ris))
    town = rng.choice(SEOUL_TOWNS + SEOUL_DONG)
    if town.endswith("町") and rng.random() < 0.6:
        return "京城府 %s %s丁目" % (town, DIGITS[rng.randint(1, 4)])
    return "京城府 " + town


def address(rng, here):
    """An owner's address: often the parcel's own village, else another place."""
    base = here if rng.random() < 0.5 else location(rng, False)
    return "%s %s番地" % (base, number(rng, rng.randint(1, 899),
                                       rng.choice(["positional", "additive"])))


def person(rng, year):
    if year >= 1940 and rng.random() < 0.25:  # 創氏改名 names
        return rng.choice(JAPANESE)
    if rng.random() < 0.08:
        return rng.choice(JAPANESE)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2, 2])))


def heir(rng, name):
    """Inheritance keeps the surname."""
    if name in JAPANESE or name in COMPANIES:
        return name[:2] + rng.choice(["一郎", "正雄", "清", "茂"])
    return name[0] + "".join(rng.choice(GIVEN) for _ in range(2))


# ---- fields --------------------------------------------------------------------------------


def field(raw, value, label):
    return {"raw": raw, "value": value, "label": label, "flags": set()}


def lot_text(rng, main, sub):
    style = rng.choice(["positional", "positional", "additive"])
    out = number(rng, main, style)
    if sub:
        out += "ノ" + number(rng, sub, style)
    return out


def ledger(rng, forest):
    """A colonial land or forest ledger sheet: location, lot and the two histories, assessment
    first (the land's and the owner's on the same day)."""
    style_pool = ["additive", "formal", "formal", "positional"]
    sheet_style = rng.choice(style_pool)
    here = location(rng, forest)
    main, sub = rng.randint(1, 999), (rng.randint(1, 12) if rng.random() < 0.4 else 0)
    lot_value = ("산" if forest else "") + str(main) + ("-%d" % sub if sub else "")
    sheet = {"doc_type": "forest_ledger" if forest else "land_ledger",
             "title": "林野臺帳" if forest else "土地臺帳",
             "location": field(here, here, "所在"),
             "lot": field(lot_text(rng, main, sub), lot_value, "地番"),
             "land": [], "owner": []}

    def style():
        return sheet_style if rng.random() < 0.75 else rng.choice(style_pool)

    if forest:
        assessed = random_day(rng, D(1917, 1, 1), D(1926, 12, 31))
        cat = weighted(rng, FOREST_CATS)
        size = rng.randint(300, 90000)  # 步
    else:
        assessed = random_day(rng, D(1912, 8, 1), D(1918, 10, 31))
        cat = weighted(rng, LAND_CATS)
        size = rng.randint(30, 3000) * 100 + (rng.choice([0, 0, 10, 50, 70, 75]) if cat[1] == "08" else 0)
    grade = rng.randint(1, 60)
    end = D(1945, 8, 14)

    def area_fields(units):
        if forest:
            return cho_text(rng, units, style()), m2(Fraction(units))
        return tsubo_text(rng, units, style()), m2(Fraction(units, 100))

    def land_row(day, event_raw, event, c, units, g):
        raw, value = area_fields(units)
        return {"date": field(era_date(rng, day, style()), day.isoformat(), "年月日"),
                "event": field(event_raw, event, "事故"),
                "category": field(c[0], c[1], "地目"),
                "area": field(raw, value, "地積"),
                "grade": field(number(rng, g, style()), str(g), "等級")}

    sheet["land"].append(land_row(assessed, "査定", "assessment", cat, size, grade))
    day = assessed
    for _ in range(rng.choice([0, 1, 1, 2, 3, 4, 5])):
        if day >= end - datetime.timedelta(days=400):
            break
        day = random_day(rng, day + datetime.timedelta(days=30),
                         min(end, day + datetime.timedelta(days=3650)))
        kind = rng.random()
        if kind < 0.45 and size > 200:
            size = size * rng.randint(30, 85) // 100
            if not forest:
                size = size // 10 * 10
            n = rng.randint(1, 3)
            first = rng.randint(1, 12)
            rng_text = ""
            if n > 1 and rng.random() < 0.6:
                rng_text = " ノ%s乃至ノ%s" % (positional(first), positional(first + n))
            sheet["land"].append(land_row(day, rng.choice(["分割", "分筆"]) + rng_text,
                                          "split", cat, size, grade))
        elif kind < 0.6:
            size = size * rng.randint(120, 190) // 100
            if not forest:
                size = size // 10 * 10
            other = positional(rng.randint(1, 999))
            raw = rng.choice(["合倂", "合筆", other + "番ト合倂"])
            sheet["land"].append(land_row(day, raw, "merge", cat, size, grade))
        elif kind < 0.8:
            pool = FOREST_CATS if forest else LAND_CATS
            new = weighted(rng, pool)
            if new[1] == cat[1]:
                continue
            cat = new
            grade = max(1, min(60, grade + rng.randint(-8, 8)))
            sheet["land"].append(land_row(day, rng.choice(["地目變更", "地目變換"]),
                                          "category_change", cat, size, grade))
        elif forest and kind < 0.9:
            sheet["land"].append(land_row(day, "登錄轉換", "conversion", cat, size, grade))
            break
        else:
            size = max(10, size + rng.randint(-size // 20 - 1, size // 20 + 1))
            if not forest:
                size = size // 10 * 10 or 10
            sheet["land"].append(land_row(day, rng.choice(["地積訂正", "訂正"]),
                                          "correction", cat, size, grade))
    sheet["land"] = sheet["land"][:7]

    # Owners.
    def owner_row(day, event_raw, event, addr, name):
        return {"date": field(era_date(rng, day, style()), day.isoformat(), "年月日"),
                "event": field(event_raw, event, "事故"),
                "address": field(addr, addr, "住所"),
                "name": field(name, name, "氏名")}

    name = person(rng, assessed.year)
    addr = address(rng, here)
    sheet["owner"].append(owner_row(assessed, "査定", "assessment", addr, name))
    day = assessed
    for _ in range(rng.choice([0, 1, 2, 2, 3, 4, 5, 6])):
        if day >= end - datetime.timedelta(days=200):
            break
        day = random_day(rng, day + datetime.timedelta(days=20),
                         min(end, day + datetime.timedelta(days=3000)))
        kind = rng.random()
        if kind < 0.5:
            name = person(rng, day.year)
            addr = address(rng, here)
            sheet["owner"].append(owner_row(day, rng.choice(["所有權移轉", "賣買"]), "transfer",
                                            addr, name))
        elif kind < 0.7:
            name = heir(rng, name)
            sheet["owner"].append(owner_row(day, rng.choice(["相續", "家督相續"]), "inheritance",
                                            addr, name))
        elif kind < 0.85:
            addr = address(rng, here)
            sheet["owner"].append(owner_row(day, "住所變更", "address_change", addr, name))
        elif kind < 0.93 and day.year >= 1939:
            name = rng.choice(JAPANESE)
            sheet["owner"].append(owner_row(day, "氏名變更", "name_change", addr, name))
        else:
            sheet["owner"].append(owner_row(day, "所有權保存", "preservation", addr, name))
    sheet["owner"] = sheet["owner"][:8]
    add_dittos(rng, sheet["land"], ["date", "category", "grade"])
    add_dittos(rng, sheet["owner"], ["date", "address"])
    return sheet


def add_dittos(rng, rows, keys):
    """A ditto mark (〃 仝 同) where a value repeats the row above; its value is the one above."""
    for i in range(1, len(rows)):
        for k in keys:
            if rows[i][k]["value"] == rows[i - 1][k]["value"] and rng.random() < 0.35:
                rows[i][k]["raw"] = rng.choice(["〃", "仝", "同"])
                rows[i][k]["flags"].add("ditto")


def movement(rng):
    """A 토지이동정리결의서 of 1976–1993: split, merge, 지목변경 or 면적정정 (domain.md §6.3)."""
    day = random_day(rng, D(1976, 1, 1), D(1993, 12, 31))
    here = "서울특별시 %s %s" % (rng.choice(SEOUL_GU), rng.choice(SEOUL_DONG_H))
    main = rng.randint(1, 1200)
    lot = str(main) + ("-%d" % rng.randint(1, 30) if rng.random() < 0.3 else "")
    cat = rng.choice(MODERN_CATS)
    area = rng.randint(120, 9000)
    date_raw = rng.choice(["%d. %d. %d.", "%d.%d.%d", "%d년 %d월 %d일"]) % (day.year, day.month,
                                                                        day.day)
    kind = rng.choice(["분할", "분할", "합병", "지목변경", "면적정정"])
    event = {"분할": "split", "합병": "merge", "지목변경": "category_change",
             "면적정정": "correction"}[kind]
    before = [(lot, cat, area)]
    after = []
    note = ""
    if kind == "분할":
        n = rng.randint(2, 4)
        cuts = sorted(rng.sample(range(1, area), n - 1))
        parts = [b - a for a, b in zip([0] + cuts, cuts + [area])]
        first = rng.randint(1, 20)
        lots = [lot] + ["%d-%d" % (main, first + k) for k in range(n - 1)]
        after = [(lots[k], cat, parts[k]) for k in range(n)]
        note = ("분할되어 본번에 -%d내지 -%d 부함" % (first, first + n - 2) if n > 2
                else "분할되어 본번에 -%d 부함" % first)
    elif kind == "합병":
        others = [(str(main + k + 1), cat, rng.randint(50, 3000)) for k in range(rng.randint(1, 2))]
        before += others
        after = [(lot, cat, sum(b[2] for b in before))]
        note = "%s번과 합병" % ", ".join(b[0] for b in others)
    elif kind == "지목변경":
        new = rng.choice([c for c in MODERN_CATS if c[1] != cat[1]])
        after = [(lot, new, area)]
    else:
        after = [(lot, cat, max(1, area + rng.randint(-40, 40)))]
    sheet = {"doc_type": "movement_resolution", "title": "토지이동정리결의서",
             "number": "제%d호" % rng.randint(1, 4999),
             "location": field(here, here, "소재"),
             "lot": field(lot, lot, "지번"),
             "category": field(cat[0], cat[1], "지목"),
             "area": field(str(area), "%d.00" % area, "면적(㎡)"),
             "date": field(date_raw, day.isoformat(), "결의일자"),
             "event": field(kind, event, "이동사유"),
             "before": before, "after": after, "note": note, "land": [], "owner": []}
    for a in after:
        sheet["land"].append({"date": sheet["date"], "event": sheet["event"],
                              "lot_text": a[0],
                              "category": field(a[1][0], a[1][1], "지목"),
                              "area": field(str(a[2]), "%d.00" % a[2], "면적(㎡)"),
                              "grade": None})
    return sheet
