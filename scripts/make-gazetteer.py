#!/usr/bin/env python3
"""Writes data/gazetteer.tsv (the administrative units of Seoul and of the Gyeonggi counties
that became Seoul, 1914-1975) and data/hanja_readings.tsv (the Hangul readings of the Hanja
of Korean print), the authority lists places are decoded against (docs/gazetteer.md).

    scripts/make-gazetteer.py LIST.csv

LIST.csv: the full 법정동코드 list as "Korean legal administration code.csv" of GitHub
brainer3220/Korean-legal-administration-code (commit 2065e5f), a UTF-8 copy of 행정안전부
"법정동코드 전체자료" (법정동코드,법정동명,폐지여부). Also read: data/legal_dong.tsv (Seoul's
rows of that list), data/places.tsv (the Hanja of provinces, counties and townships) and the
Debian package unicode-data (Unihan kHangul: the readings). Codes come from the list only:
a unit is given the code of the list's row of the same name under the same parent, nothing
is guessed from a similar name.
"""
import bz2
import csv
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
UNIHAN = "/usr/share/unicode/Unihan_Readings.txt.bz2"

# The six counties of 京畿道 that became (parts of) Seoul (domain.md §5.4).
COUNTIES = ["高陽郡", "始興郡", "廣州郡", "楊州郡", "金浦郡", "富川郡"]

# Hanja names the code list (Hangul only) cannot give, each with where it is written:
# domain.md §5.4 and §6 (the 1946 renaming: 본정 → 충무로, 황금정 → 을지로, 명치정 → 명동) and
# the places the generator's sheets are written with (tools/synth/content.c, which takes
# them from the same section). (parent path, name, kind of unit, valid from, valid to).
KEIJO = [  # 京城府's 町, 通 and 洞 (1914-1946)
    "本町", "黃金町", "明治町", "旭町", "竹添町", "南米倉町", "長谷川町", "太平通", "鍾路",
    "寬勳洞", "嘉會洞", "社稷洞", "安國洞", "仁寺洞",
]
VILLAGES = [  # 里 of the counties' 面 before their annexation
    ("高陽郡", "延禧面", "新村里"), ("高陽郡", "崇仁面", "敦岩里"), ("高陽郡", "漢芝面", "往十里"),
    ("高陽郡", "恩平面", "佛光里"), ("高陽郡", "恩平面", "津寬里"), ("高陽郡", "崇仁面", "牛耳里"),
    ("高陽郡", "延禧面", "弘濟外里"), ("始興郡", "東面", "奉天里"), ("始興郡", "東面", "新林里"),
    ("始興郡", "北面", "永登浦里"), ("廣州郡", "彦州面", "驛三里"), ("廣州郡", "大旺面", "水西里"),
    ("廣州郡", "大旺面", "細谷里"), ("楊州郡", "蘆海面", "倉洞里"), ("楊州郡", "蘆海面", "上溪里"),
    ("楊州郡", "蘆海面", "道峰里"), ("金浦郡", "陽西面", "傍花里"),
]
# 서울特別市's 區 and 洞/街 as the 1950s sheets write them (tools/synth/content.c), joined to
# the list's Hangul rows by their reading.
SEOUL_HANJA = [
    ("中區", "忠武路二街"), ("中區", "乙支路三街"), ("中區", "明洞二街"), ("鍾路區", "寬勳洞"),
    ("鍾路區", "嘉會洞"), ("城東區", "往十里洞"), ("西大門區", "新村洞"),
    ("龍山區", "漢江路一街"), ("城北區", "敦岩洞"), ("永登浦區", "堂山洞"),
]


def readings():
    """Hanja -> its Hangul readings (kHangul), for the Hanja of KS X 1001 (Korean print)."""
    out = {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkHangul\t" not in line:
                continue
            cp, _, value = line.rstrip("\n").split("\t")
            ch = chr(int(cp[2:], 16))
            try:
                ch.encode("euc-kr")
            except UnicodeEncodeError:
                continue
            out[ch] = [r.split(":")[0] for r in value.split()]
    return out


def initial_forms(syl):
    """The syllable and its forms at the start of a word (두음법칙: 리 → 이, 로 → 노, 녀 → 여)."""
    forms = [syl]
    s = ord(syl) - 0xAC00
    if not 0 <= s < 11172:
        return forms
    lead, rest = divmod(s, 588)
    vowel = rest // 28
    iy = vowel in (2, 3, 6, 7, 12, 17, 20)  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ
    if lead == 5:  # ㄹ
        forms.append(chr(0xAC00 + (11 if iy else 2) * 588 + rest))
    elif lead == 2 and iy:  # ㄴ
        forms.append(chr(0xAC00 + 11 * 588 + rest))
    return forms


DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
          "八": "8", "九": "9"}


def reads_as(hanja, hangul, rd):
    """Whether hangul is a reading of hanja, character by character (digits as themselves)."""
    if len(hanja) != len(hangul):
        return False
    for i, (h, k) in enumerate(zip(hanja, hangul)):
        if h == k or DIGITS.get(h) == k:
            continue
        forms = set()
        for r in rd.get(h, []):
            forms.update(initial_forms(r) if i == 0 else [r])
        if k not in forms:
            return False
    return True


def reading(hanja, rd):
    out = ""
    for i, h in enumerate(hanja):
        if h in DIGITS:
            out += DIGITS[h]
        elif h in rd:
            # Unihan lists 노 before 로 (路): within a name, the reading whose start-of-word
            # form the other is.
            rs = rd[h]
            r = next((x for x in rs if any(y != x and y in initial_forms(x) for y in rs)), rs[0])
            out += initial_forms(r)[-1] if i == 0 else r
        else:
            out += h
    return out


class Table:
    def __init__(self):
        self.rows = []
        self.by_key = {}

    def add(self, parent, level, hanja, hangul, start, end, code, state, source):
        key = (parent, hangul or hanja)
        if key in self.by_key:
            row = self.by_key[key]
            if hanja and not row["hanja"]:
                row["hanja"] = hanja
                row["source"] += "," + source
            return row["id"]
        rid = len(self.rows) + 1
        row = dict(id=rid, parent=parent or "", level=level, hanja=hanja, hangul=hangul,
                   start=start, end=end, code=code, state=state, source=source)
        self.rows.append(row)
        self.by_key[key] = row
        return rid

    def child(self, parent, name, rd):
        """The row under parent named name, in Hangul, or in Hanja by its reading."""
        for r in self.rows:
            if r["parent"] == parent and (r["hangul"] == name or r["hanja"] == name or
                                          (r["hangul"] and reads_as(name, r["hangul"], rd))):
                return r
        return None


def level_of(name):
    last = name[-1]
    return {"道": "do", "도": "do", "府": "bu", "郡": "gun", "군": "gun", "面": "myeon",
            "면": "myeon", "里": "ri", "리": "ri", "區": "gu", "구": "gu", "洞": "dong",
            "동": "dong", "町": "jeong", "通": "jeong", "街": "ga", "가": "ga", "路": "jeong",
            "로": "dong", "시": "si", "市": "si"}.get(last, "dong")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rd = readings()
    places = []
    with open(os.path.join(ROOT, "data/places.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("name\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            places.append((cols[0], cols[4] if len(cols) > 4 else ""))
    hangul_of = {}  # a Hanja name of places.tsv -> its Hangul row (the next line, same reading)
    for i, (name, _) in enumerate(places):
        if i + 1 < len(places) and any(0x4E00 <= ord(c) <= 0x9FFF for c in name):
            nxt = places[i + 1][0]
            if all(0xAC00 <= ord(c) <= 0xD7A3 for c in nxt) and len(nxt) == len(name):
                hangul_of[name] = nxt

    t = Table()
    # Provinces (owners' addresses name them all) and 京城府.
    for name, within in places:
        if level_of(name) == "do" and not within and any(0x4E00 <= ord(c) <= 0x9FFF for c in name):
            t.add(None, "do", name, hangul_of.get(name, reading(name, rd)), "1914", "", "", "",
                  "places")
    keijo = t.add(None, "bu", "京城府", "경성부", "1914", "1946", "", "", "places")
    gg = t.by_key[(None, "경기도")]["id"]

    # Seoul from 1946: data/legal_dong.tsv, every existing row (시도, 구, 동).
    seoul = None
    with open(os.path.join(ROOT, "data/legal_dong.tsv"), encoding="utf-8") as f:
        for row in csv.reader((l for l in f if not l.startswith("#")), delimiter="\t"):
            if row[0] == "법정동코드" or row[2] != "존재":
                continue
            parts = row[1].split()
            if len(parts) == 1:
                seoul = t.add(None, "si", "서울特別市", "서울특별시", "1946", "", row[0], "존재",
                              "legal_dong")
            elif len(parts) == 2:
                t.add(seoul, "gu", "", parts[1], "", "", row[0], "존재", "legal_dong")
            elif len(parts) == 3:
                gu = t.by_key[(seoul, parts[1])]["id"]
                t.add(gu, level_of(parts[2]), "", parts[2], "", "", row[0], "존재",
                      "legal_dong")
    for gu_h, dong_h in SEOUL_HANJA:
        gu = t.child(seoul, gu_h, rd)
        dong = gu and t.child(gu["id"], dong_h, rd)
        if gu and not gu["hanja"]:
            gu["hanja"] = gu_h
            gu["source"] += ",synth"
        if dong and not dong["hanja"]:
            dong["hanja"] = dong_h
            dong["source"] += ",synth"

    # The counties, their 面 and 里: the code list's rows under 경기도 <county>.
    county_ids = {}
    for c in COUNTIES:
        county_ids[c] = t.add(gg, "gun", c, hangul_of.get(c, reading(c, rd)), "1914", "", "", "",
                              "places")
    with open(sys.argv[1], encoding="utf-8") as f:
        for row in csv.reader(f):
            if row[0] == "법정동코드":
                continue
            parts = row[1].split()
            if len(parts) < 2 or parts[0] != "경기도":
                continue
            cid = next((county_ids[c] for c in COUNTIES
                        if t.rows[county_ids[c] - 1]["hangul"] == parts[1]), None)
            if cid is None:
                continue
            if len(parts) == 2:
                county = t.rows[cid - 1]
                if row[0].endswith("00000") and not county["code"]:
                    county["code"], county["state"] = row[0], row[2]
                    county["source"] += ",list"
                continue
            myeon = t.child(cid, parts[2], rd)
            if len(parts) == 3:
                if myeon and not myeon["code"]:
                    myeon["code"], myeon["state"] = row[0], row[2]
                    myeon["source"] += ",list"
                elif not myeon:
                    t.add(cid, level_of(parts[2]), "", parts[2], "", "", row[0], row[2], "list")
                continue
            if myeon is None:
                continue
            t.add(myeon["id"], level_of(parts[3]), "", parts[3], "", "", row[0], row[2], "list")

    # The counties' 面 of places.tsv (Hanja), joined to the list's rows by their reading.
    for name, within in places:
        if level_of(name) != "myeon" or within not in county_ids:
            continue
        row = t.child(county_ids[within], name, rd)
        hangul = hangul_of.get(name, reading(name, rd))
        if row is None and hangul_of.get(name):
            row = t.child(county_ids[within], hangul, rd)
        if row is None:
            t.add(county_ids[within], "myeon", name, hangul, "1914", "", "", "", "places")
        elif not row["hanja"]:
            row["hanja"] = name
            row["source"] += ",places"
    for county, myeon_h, ri_h in VILLAGES:
        myeon = t.child(county_ids[county], myeon_h, rd)
        if myeon is None:
            continue
        ri = t.child(myeon["id"], ri_h, rd)
        if ri is None:
            t.add(myeon["id"], "ri", ri_h, reading(ri_h, rd), "1914", "", "", "", "synth")
        elif not ri["hanja"]:
            ri["hanja"] = ri_h
            ri["source"] += ",synth"
    for name in KEIJO:
        t.add(keijo, level_of(name), name, reading(name, rd), "1914", "1946", "", "", "synth")

    with open(os.path.join(ROOT, "data/gazetteer.tsv"), "w", encoding="utf-8") as out:
        out.write("id\tparent\tlevel\thanja\thangul\tfrom\tto\tlegal_dong\tstate\tsource\n")
        out.write("# Generated by scripts/make-gazetteer.py (docs/gazetteer.md): the administrative"
                  " units places are decoded against. parent: the id of the unit it lies in (empty:"
                  " none); level: do bu si gun gu myeon ri dong jeong ga; hanja, hangul: its name"
                  " (either may be empty); from, to: years it was valid, where a source gives them;"
                  " legal_dong: its 법정동코드 in the code list, state: that row's 폐지여부 (존재 or 폐지);"
                  " source: where the row comes from (legal_dong, list, places, synth).\n")
        for r in t.rows:
            out.write("\t".join(str(r[k]) for k in ("id", "parent", "level", "hanja", "hangul",
                                                   "start", "end", "code", "state", "source"))
                      + "\n")
    with open(os.path.join(ROOT, "data/hanja_readings.tsv"), "w", encoding="utf-8") as out:
        out.write("hanja\treadings\n")
        out.write("# Generated by scripts/make-gazetteer.py from Unihan kHangul (unicode-data):"
                  " the Hanja of KS X 1001 and their Hangul readings, space-separated, with the"
                  " forms a reading takes at the start of a name (두음법칙: 리 → 이, 로 → 노).\n")
        for ch in sorted(rd):
            forms = []
            for r in rd[ch]:
                for x in initial_forms(r):
                    if x not in forms:
                        forms.append(x)
            out.write(ch + "\t" + " ".join(forms) + "\n")


if __name__ == "__main__":
    main()
