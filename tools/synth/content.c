/* content.c — the record of a synthetic sheet: what is written in each cell (raw) and what
 * it means (value), following ../shared/docs/domain.md. Everything drawn here is valid for
 * its era: dates exist in the era they are written in and ascend down each block, the
 * categories are those of the era's law, areas are in the era's units. The hard cases are
 * drawn on purpose: 元年, the switch days 1912-07-30 and 1926-12-25 (either era), formal
 * numerals (壹貳參拾), 廿/卅, ditto marks, red-ink pledge rows, struck entries.
 * What domain.md marks as inferred and we follow is listed in docs/synthetic.md. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "landrec/utf8.h"
#include "synth.h"

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------------------------------------------ */
/* Strings                                                                                    */

static void sappend(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 >= size)
        return;
    snprintf(buf + n, size - n, "%s", s);
}

static void sset(char *buf, size_t size, const char *s)
{
    snprintf(buf, size, "%s", s);
}

static void field_set(lr_synth_field *f, const char *label, const char *raw, const char *value)
{
    memset(f, 0, sizeof *f);
    f->present = true;
    sset(f->label, sizeof f->label, label);
    sset(f->raw, sizeof f->raw, raw);
    if (value) {
        f->has_value = true;
        sset(f->value, sizeof f->value, value);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Document types                                                                             */

static const char *const doc_cli[LR_SYNTH_NDOC] = {"land",     "forest",   "land1950",
                                                   "card1975", "movement", "map"};
static const char *const doc_truth[LR_SYNTH_NDOC] = {
    "land_ledger", "forest_ledger",       "land_ledger_1950",
    "card_1975",   "movement_resolution", "map_fragment"};

const char *lr_synth_doc_cli_name(lr_synth_doc doc)
{
    return doc >= 0 && doc < LR_SYNTH_NDOC ? doc_cli[doc] : "?";
}

const char *lr_synth_doc_truth_name(lr_synth_doc doc)
{
    return doc >= 0 && doc < LR_SYNTH_NDOC ? doc_truth[doc] : "?";
}

lr_synth_doc lr_synth_doc_from_cli(const char *name)
{
    for (int i = 0; i < LR_SYNTH_NDOC; i++)
        if (name && strcmp(name, doc_cli[i]) == 0)
            return (lr_synth_doc)i;
    return LR_SYNTH_NDOC;
}

/* ------------------------------------------------------------------------------------------ */
/* Numerals (domain.md §4.2)                                                                  */

static const char *const digit_ord[10] = {"〇", "一", "二", "三", "四",
                                          "五", "六", "七", "八", "九"};
/* Formal forms in practice: 壹 貳 參 拾; 4–9 stay ordinary (domain.md §4.2). */
static const char *const digit_formal[10] = {"〇", "壹", "貳", "參", "四",
                                             "五", "六", "七", "八", "九"};

void lr_synth_numeral(int n, lr_synth_numstyle style, bool nian, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    if (n < 0)
        n = 0;
    if (n > 99999)
        n = 99999;
    if (style == LR_SYNTH_NUM_ARABIC) {
        snprintf(buf, size, "%d", n);
        return;
    }
    if (style == LR_SYNTH_NUM_POSITIONAL) {
        char digits[16];
        snprintf(digits, sizeof digits, "%d", n);
        for (const char *p = digits; *p; p++)
            sappend(buf, size, digit_ord[*p - '0']);
        return;
    }
    bool formal = style == LR_SYNTH_NUM_FORMAL;
    const char *const *d = formal ? digit_formal : digit_ord;
    if (n == 0) {
        sappend(buf, size, "〇");
        return;
    }
    if (nian && n >= 20 && n < 40) {
        sappend(buf, size, n < 30 ? "廿" : "卅");
        if (n % 10)
            sappend(buf, size, d[n % 10]);
        return;
    }
    int man = n / 10000, th = (n / 1000) % 10, hu = (n / 100) % 10, te = (n / 10) % 10,
        un = n % 10;
    if (man) {
        if (man > 1 || formal)
            sappend(buf, size, d[man]);
        sappend(buf, size, "萬");
    }
    if (th) {
        if (th > 1 || formal)
            sappend(buf, size, d[th]);
        sappend(buf, size, "千");
    }
    if (hu) {
        if (hu > 1 || formal)
            sappend(buf, size, d[hu]);
        sappend(buf, size, "百");
    }
    if (te) {
        /* 拾貳 = 12, but 壹百壹拾 = 110: a leading 拾 takes no 壹. */
        if (te > 1 || (formal && n >= 100))
            sappend(buf, size, d[te]);
        sappend(buf, size, formal ? "拾" : "十");
    }
    if (un)
        sappend(buf, size, d[un]);
}

/* ------------------------------------------------------------------------------------------ */
/* Units (domain.md §3): 1 坪 = 1 步 = 400/121 m², 1 坪 = 100 勺, 1 町 = 3000 步.              */

int64_t lr_synth_shaku_to_cm2(int64_t shaku)
{
    /* m² × 100 = shaku × 4/121 × 100; half up: floor((2·num + den) / (2·den)). */
    int64_t num = shaku * 400, den = 121;
    return (2 * num + den) / (2 * den);
}

int64_t lr_synth_bu_to_cm2(int64_t bu)
{
    int64_t num = bu * 40000, den = 121;
    return (2 * num + den) / (2 * den);
}

static void cm2_value(int64_t cm2, char *buf, size_t size)
{
    snprintf(buf, size, "%lld.%02lld", (long long)(cm2 / 100), (long long)(cm2 % 100));
}

/* ------------------------------------------------------------------------------------------ */
/* Dates (domain.md §4)                                                                       */

typedef struct ymd {
    int y, m, d;
} ymd;

/* Days since 1970-01-01 (Hinnant's days_from_civil). */
static long day_no(ymd t)
{
    int y = t.y - (t.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (t.m + (t.m > 2 ? -3 : 9)) + 2) / 5 + t.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static ymd from_day_no(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    ymd t;
    t.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    t.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    t.y = (int)(y + (t.m <= 2));
    return t;
}

static ymd date_between(lr_synth_rng *r, ymd lo, ymd hi)
{
    long a = day_no(lo), b = day_no(hi);
    if (b < a)
        b = a;
    return from_day_no(a + (long)lr_synth_rng_int(r, 0, (int)(b - a)));
}

static int date_cmp(ymd a, ymd b)
{
    long x = day_no(a), y = day_no(b);
    return x < y ? -1 : x > y;
}

static ymd date_add_days(ymd t, long days)
{
    return from_day_no(day_no(t) + days);
}

static void date_value(ymd t, char *buf, size_t size)
{
    snprintf(buf, size, "%04d-%02d-%02d", t.y, t.m, t.d);
}

typedef enum era {
    ERA_MEIJI = 0,
    ERA_TAISHO,
    ERA_SHOWA,
    ERA_DANGI,
    ERA_SEOGI,
} era;

/* Eras in use in Korea (domain.md §4.1). The switch days belong to both neighbours. */
static const struct {
    const char *name;
    int offset; /* Gregorian year = era year + offset */
    ymd from, to;
} eras[] = {
    [ERA_MEIJI] = {"明治", 1867, {1868, 1, 25}, {1912, 7, 30}},
    [ERA_TAISHO] = {"大正", 1911, {1912, 7, 30}, {1926, 12, 25}},
    [ERA_SHOWA] = {"昭和", 1925, {1926, 12, 25}, {1945, 8, 15}},
    [ERA_DANGI] = {"檀紀", -2333, {1948, 9, 25}, {1961, 12, 31}},
    [ERA_SEOGI] = {"西紀", 0, {1962, 1, 1}, {9999, 12, 31}},
};

/* The colonial era a date is written in; on a switch day either one. */
static era colonial_era(lr_synth_rng *r, ymd t)
{
    era cands[2];
    int n = 0;
    for (int e = ERA_MEIJI; e <= ERA_SHOWA; e++)
        if (date_cmp(t, eras[e].from) >= 0 && date_cmp(t, eras[e].to) <= 0)
            cands[n++] = (era)e;
    if (n == 0)
        return ERA_SHOWA;
    return cands[n == 2 ? lr_synth_rng_int(r, 0, 1) : 0];
}

/* Numeral habits of one clerk (per sheet). */
typedef struct hand {
    lr_synth_numstyle num; /* dates, grades */
    lr_synth_numstyle area_num;
    lr_synth_numstyle lot_num;
    double nian;   /* chance of 廿/卅 */
    int date_form; /* era-specific variant, see write_1950_date and write_modern_date */
} hand;

static void write_era_date(lr_synth_rng *r, const hand *h, era e, ymd t, char *buf, size_t size)
{
    char n[48];
    int year = t.y - eras[e].offset;
    buf[0] = '\0';
    sappend(buf, size, eras[e].name);
    if (year == 1)
        sappend(buf, size, "元");
    else {
        lr_synth_numeral(year, h->num, lr_synth_rng_chance(r, h->nian * 0.5), n, sizeof n);
        sappend(buf, size, n);
    }
    sappend(buf, size, "年");
    lr_synth_numeral(t.m, h->num, false, n, sizeof n);
    sappend(buf, size, n);
    sappend(buf, size, "月");
    lr_synth_numeral(t.d, h->num, lr_synth_rng_chance(r, h->nian), n, sizeof n);
    sappend(buf, size, n);
    sappend(buf, size, "日");
}

/* Date as a colonial clerk writes it: 大正五年八月拾日, 昭和拾貳年參月五日, 大正元年… */
static void write_colonial_date(lr_synth_rng *r, const hand *h, ymd t, char *buf, size_t size)
{
    write_era_date(r, h, colonial_era(r, t), t, buf, size);
}

/* 1950s ledger: 檀紀 until 1961-12-31, 西紀 from 1962 (domain.md §4.1, §4.3). */
static void write_1950_date(lr_synth_rng *r, const hand *h, ymd t, char *buf, size_t size)
{
    char y[32], m[16], d[16];
    bool dangi = date_cmp(t, eras[ERA_DANGI].to) <= 0;
    int year = dangi ? t.y + 2333 : t.y;
    int form = h->date_form;
    if (lr_synth_rng_chance(r, 0.2))
        form = lr_synth_rng_int(r, 0, 3); /* clerks vary within a sheet */
    switch (form) {
    case 0: /* 檀紀四二八九年五月三日 */
        lr_synth_numeral(year, LR_SYNTH_NUM_POSITIONAL, false, y, sizeof y);
        lr_synth_numeral(t.m, LR_SYNTH_NUM_ADDITIVE, false, m, sizeof m);
        lr_synth_numeral(t.d, LR_SYNTH_NUM_ADDITIVE, lr_synth_rng_chance(r, h->nian), d,
                         sizeof d);
        snprintf(buf, size, "%s%s年%s月%s日", dangi ? "檀紀" : "西紀", y, m, d);
        break;
    case 1: /* 檀紀4289年5月3日 */
        snprintf(buf, size, "%s%d年%d月%d日", dangi ? "檀紀" : "西紀", year, t.m, t.d);
        break;
    case 2: /* 4289.5.3 */
        snprintf(buf, size, "%d.%d.%d", year, t.m, t.d);
        break;
    default: /* 檀4289.5.3 */
        snprintf(buf, size, "%s%d.%d.%d", dangi ? "檀" : "", year, t.m, t.d);
        break;
    }
}

/* Cards and resolutions: 1976. 3. 2. / 1976.3.2 / 1976년 3월 2일 / 76.3.2 */
static void write_modern_date(lr_synth_rng *r, const hand *h, ymd t, char *buf, size_t size)
{
    int form = h->date_form;
    if (lr_synth_rng_chance(r, 0.1))
        form = lr_synth_rng_int(r, 0, 3);
    switch (form) {
    case 0: snprintf(buf, size, "%d. %d. %d.", t.y, t.m, t.d); break;
    case 1: snprintf(buf, size, "%d.%d.%d", t.y, t.m, t.d); break;
    case 2: snprintf(buf, size, "%d년 %d월 %d일", t.y, t.m, t.d); break;
    default: snprintf(buf, size, "%02d.%d.%d", t.y % 100, t.m, t.d); break;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Land categories (domain.md §2)                                                             */

/* Historical categories as written on colonial and 1950s ledgers, with the modern code
 * (domain.md §2.5). group: 1, 2, 3 as in 토지조사령 제2조; group 3 land is not entered in
 * the colonial 土地臺帳 (토지대장규칙 1914). from1950: added by the 1950 지적법. */
static const struct hist_cat {
    const char *hanja;
    const char *code;
    int group;
    bool from1950;
    double w_ledger; /* weight on a ledger sheet */
} hist_cats[] = {
    {"田", "01", 1, false, 20},       {"畓", "02", 1, false, 20},
    {"垈", "08", 1, false, 40},       {"池沼", "19", 1, false, 1.5},
    {"林野", "05", 1, false, 4},      {"雜種地", "28", 1, false, 4},
    {"社寺地", "25", 2, false, 1},    {"墳墓地", "27", 2, false, 1.5},
    {"公園地", "22", 2, false, 0.5},  {"鐵道用地", "15", 2, false, 0.5},
    {"水道用地", "21", 2, false, 0.5}, {"道路", "14", 3, false, 1},
    {"河川", "17", 3, false, 0.5},    {"溝渠", "18", 3, false, 0.7},
    {"堤防", "16", 3, false, 0.5},    {"城堞", "26", 3, false, 0.2},
    {"鐵道線路", "15", 3, false, 0.3}, {"水道線路", "21", 3, false, 0.3},
    {"鹽田", "07", 1, true, 0.3},     {"鑛泉地", "06", 1, true, 0.2},
    {"溜池", "19", 3, true, 0.8},
};
#define HIST_FOREST 4 /* 林野 */

/* Categories from 1976 (24; domain.md §2.3, codes §2.4). 운동장 → 23 (체육용지) is the
 * later rename (inferred). */
static const struct modern_cat {
    const char *hangul;
    const char *code;
    double w;
} modern_cats[] = {
    {"전", "01", 15},       {"답", "02", 15},       {"과수원", "03", 2},   {"목장용지", "04", 1},
    {"임야", "05", 6},      {"광천지", "06", 0.2},  {"염전", "07", 0.3},   {"대", "08", 40},
    {"공장용지", "09", 3},  {"학교용지", "10", 1},  {"도로", "14", 4},     {"철도용지", "15", 0.5},
    {"제방", "16", 0.4},    {"하천", "17", 0.7},    {"구거", "18", 1},     {"유지", "19", 0.8},
    {"수도용지", "21", 0.3}, {"공원", "22", 0.6},   {"운동장", "23", 0.3}, {"유원지", "24", 0.3},
    {"종교용지", "25", 0.8}, {"사적지", "26", 0.2}, {"묘지", "27", 1},     {"잡종지", "28", 3},
};

/* Whether hist_cats[i] is valid on a ledger of that kind: colonial (18 categories, group 3
 * not registered) or 1950 (21 categories). */
static bool hist_valid(int i, bool y1950)
{
    if (hist_cats[i].from1950 && !y1950)
        return false;
    if (!y1950 && hist_cats[i].group == 3)
        return false;
    return true;
}

static int hist_pick(lr_synth_rng *r, bool y1950, int other_than)
{
    double w[N_ELEMS(hist_cats)];
    for (int i = 0; i < N_ELEMS(hist_cats); i++)
        w[i] = hist_valid(i, y1950) && i != other_than ? hist_cats[i].w_ledger : 0;
    return lr_synth_rng_weighted(r, w, N_ELEMS(hist_cats));
}

static int modern_pick(lr_synth_rng *r, int other_than)
{
    double w[N_ELEMS(modern_cats)];
    for (int i = 0; i < N_ELEMS(modern_cats); i++)
        w[i] = i != other_than ? modern_cats[i].w : 0;
    return lr_synth_rng_weighted(r, w, N_ELEMS(modern_cats));
}

/* Map labels: one-character 부호 (domain.md §2.4; on colonial maps the Hanja initial, [I]). */
static const struct map_cat {
    const char *hanja, *hangul, *code;
    double w_urban, w_farm;
} map_cats[] = {
    {"垈", "대", "08", 70, 12}, {"田", "전", "01", 6, 35}, {"畓", "답", "02", 3, 35},
    {"林", "임", "05", 2, 8},   {"雜", "잡", "28", 4, 2},  {"池", "유", "19", 0.5, 2},
    {"墳", "묘", "27", 0.5, 3}, {"社", "종", "25", 1, 0.5},
};

int lr_synth_map_category_count(void)
{
    return N_ELEMS(map_cats);
}

/* ------------------------------------------------------------------------------------------ */
/* Lots (domain.md §5.1)                                                                      */

typedef struct lot {
    int main, sub;
    bool san;
} lot;

static void lot_value(lot l, char *buf, size_t size)
{
    if (l.sub)
        snprintf(buf, size, "%s%d-%d", l.san ? "산" : "", l.main, l.sub);
    else
        snprintf(buf, size, "%s%d", l.san ? "산" : "", l.main);
}

/* Colonial: 一二三ノ四 (本番ノ枝番), sometimes 百二十三ノ四 or 123ノ4. */
static void lot_colonial(lr_synth_rng *r, lot l, char *buf, size_t size)
{
    char a[48], b[48];
    double x = lr_synth_rng_uniform(r);
    lr_synth_numstyle st = x < 0.7    ? LR_SYNTH_NUM_POSITIONAL
                           : x < 0.85 ? LR_SYNTH_NUM_ADDITIVE
                                      : LR_SYNTH_NUM_ARABIC;
    lr_synth_numeral(l.main, st, false, a, sizeof a);
    lr_synth_numeral(l.sub, st, false, b, sizeof b);
    buf[0] = '\0';
    sappend(buf, size, a);
    if (l.sub) {
        sappend(buf, size, "ノ");
        sappend(buf, size, b);
    }
}

/* 1950s: 一二三의四 or 123의4, sometimes the colonial ノ kept. */
static void lot_1950(lr_synth_rng *r, lot l, char *buf, size_t size)
{
    char a[48], b[48];
    if (lr_synth_rng_chance(r, 0.2)) {
        lot_colonial(r, l, buf, size);
        return;
    }
    lr_synth_numstyle st =
        lr_synth_rng_chance(r, 0.5) ? LR_SYNTH_NUM_POSITIONAL : LR_SYNTH_NUM_ARABIC;
    lr_synth_numeral(l.main, st, false, a, sizeof a);
    lr_synth_numeral(l.sub, st, false, b, sizeof b);
    buf[0] = '\0';
    sappend(buf, size, a);
    if (l.sub) {
        sappend(buf, size, "의");
        sappend(buf, size, b);
    }
}

static lot lot_random(lr_synth_rng *r, int base)
{
    lot l = {base > 0 ? base : lr_synth_rng_int(r, 1, 999), 0, false};
    if (lr_synth_rng_chance(r, 0.55))
        l.sub = lr_synth_rng_int(r, 1, lr_synth_rng_chance(r, 0.8) ? 9 : 40);
    return l;
}

/* ------------------------------------------------------------------------------------------ */
/* Areas (domain.md §3)                                                                       */

/* 壹百貳拾參坪五合, 百二十三坪五合, 一二三坪五合 (坪合勺). */
static void area_tsubo_raw(int64_t shaku, lr_synth_numstyle st, char *buf, size_t size)
{
    char n[64];
    int64_t tsubo = shaku / 100, go = (shaku / 10) % 10, sh = shaku % 10;
    buf[0] = '\0';
    if (tsubo) {
        lr_synth_numeral((int)tsubo, st, false, n, sizeof n);
        sappend(buf, size, n);
        sappend(buf, size, "坪");
    }
    if (go) {
        lr_synth_numeral((int)go, st == LR_SYNTH_NUM_POSITIONAL ? LR_SYNTH_NUM_ADDITIVE : st,
                         false, n, sizeof n);
        sappend(buf, size, n);
        sappend(buf, size, "合");
    }
    if (sh) {
        lr_synth_numeral((int)sh, st == LR_SYNTH_NUM_POSITIONAL ? LR_SYNTH_NUM_ADDITIVE : st,
                         false, n, sizeof n);
        sappend(buf, size, n);
        sappend(buf, size, "勺");
    }
}

/* 參町貳段五畝拾步; an area ending on 町, 段 or 畝 takes a trailing 步 (町步, 段步). */
static void area_bu_raw(lr_synth_rng *r, int64_t bu, lr_synth_numstyle st, double nian,
                        char *buf, size_t size)
{
    char n[64];
    if (st == LR_SYNTH_NUM_POSITIONAL)
        st = LR_SYNTH_NUM_ADDITIVE;
    int64_t cho = bu / 3000, tan = (bu % 3000) / 300, se = (bu % 300) / 30, b = bu % 30;
    buf[0] = '\0';
    const struct {
        int64_t v;
        const char *unit;
    } parts[3] = {{cho, "町"}, {tan, "段"}, {se, "畝"}};
    for (int i = 0; i < 3; i++) {
        if (!parts[i].v)
            continue;
        lr_synth_numeral((int)parts[i].v, st, false, n, sizeof n);
        sappend(buf, size, n);
        sappend(buf, size, parts[i].unit);
    }
    if (b) {
        lr_synth_numeral((int)b, st, lr_synth_rng_chance(r, nian), n, sizeof n);
        sappend(buf, size, n);
    }
    sappend(buf, size, "步");
}

static void area_field_tsubo(lr_synth_field *f, const char *label, int64_t shaku,
                             lr_synth_numstyle st)
{
    char raw[LR_SYNTH_TEXT_MAX], value[32];
    area_tsubo_raw(shaku, st, raw, sizeof raw);
    cm2_value(lr_synth_shaku_to_cm2(shaku), value, sizeof value);
    field_set(f, label, raw, value);
}

static void area_field_bu(lr_synth_rng *r, lr_synth_field *f, const char *label, int64_t bu,
                          lr_synth_numstyle st, double nian)
{
    char raw[LR_SYNTH_TEXT_MAX], value[32];
    area_bu_raw(r, bu, st, nian, raw, sizeof raw);
    cm2_value(lr_synth_bu_to_cm2(bu), value, sizeof value);
    field_set(f, label, raw, value);
}

/* ㎡ in tenths: whole ㎡ in general, one decimal on 1/600 sheets (domain.md §3.3). */
static void area_field_m2(lr_synth_rng *r, lr_synth_field *f, const char *label, int64_t tenths)
{
    char raw[64], value[32];
    if (tenths % 10)
        snprintf(raw, sizeof raw, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
    else
        snprintf(raw, sizeof raw, "%lld", (long long)(tenths / 10));
    if (r && lr_synth_rng_chance(r, 0.2))
        sappend(raw, sizeof raw, "㎡");
    cm2_value(tenths * 10, value, sizeof value);
    field_set(f, label, raw, value);
}

/* Initial area in 勺 for a category (rough sizes of Seoul parcels). */
static int64_t tsubo_area(lr_synth_rng *r, int cat, bool whole)
{
    int64_t tsubo;
    const char *h = hist_cats[cat].hanja;
    if (strcmp(h, "垈") == 0)
        tsubo = lr_synth_rng_int(r, 15, 420);
    else if (strcmp(h, "田") == 0 || strcmp(h, "畓") == 0)
        tsubo = lr_synth_rng_int(r, 150, 2800);
    else if (cat == HIST_FOREST)
        tsubo = lr_synth_rng_int(r, 300, 9000);
    else
        tsubo = lr_synth_rng_int(r, 12, 900);
    int64_t shaku = tsubo * 100;
    if (!whole && lr_synth_rng_chance(r, strcmp(h, "垈") == 0 ? 0.6 : 0.2)) {
        shaku += lr_synth_rng_int(r, 1, 9) * 10;
        if (lr_synth_rng_chance(r, 0.4))
            shaku += lr_synth_rng_int(r, 1, 9);
    }
    return shaku;
}

/* ------------------------------------------------------------------------------------------ */
/* People and places                                                                          */

static const char *const sur_hanja[] = {"金", "李", "朴", "崔", "鄭", "姜", "趙", "尹", "張", "林",
                                        "韓", "吳", "徐", "申", "權", "黃", "安", "宋", "柳", "洪",
                                        "全", "高", "文", "梁", "孫", "白", "許", "南", "沈", "盧",
                                        "河", "丁", "成", "車", "閔", "元", "玄", "嚴", "禹", "具"};
static const double sur_w[] = {21, 15, 8, 5, 4, 2, 2, 2, 2, 2, 1.5, 1.5, 1.5, 1.5,
                               1.3, 1.3, 1.3, 1.3, 1,  1,  1, 1, 1, 1, 1, 1, 1, 1,
                               1,   1,   1,   1,   1,  1,  1, 1, 1, 1, 1, 1};
static const char *const given_hanja[] = {
    "永", "在", "聖", "鎭", "錫", "東", "明", "基", "泰", "俊", "相", "大", "漢", "容", "昌",
    "奎", "浩", "秉", "炳", "弘", "善", "順", "英", "玉", "福", "貞", "淑", "壽", "吉", "萬",
    "鍾", "根", "洙", "植", "煥", "德", "興", "春", "用", "仁", "義", "禮", "熙", "石", "鳳",
    "龍", "淳", "夏", "元", "珍", "泳", "周", "允", "致", "學", "珠", "雲", "光", "喆", "載"};
static const char *const sur_hangul[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임",
                                         "한", "오", "서", "신", "권", "황", "안", "송", "류", "홍",
                                         "전", "고", "문", "양", "손", "백", "허", "남", "심", "노",
                                         "하", "정", "성", "차", "민", "원", "현", "엄", "우", "구"};
static const char *const given_hangul[] = {
    "영", "재", "성", "진", "석", "동", "명", "기", "태", "준", "상", "대", "한", "용", "창",
    "규", "호", "병", "홍", "선", "순", "옥", "복", "정", "숙", "수", "길", "만", "원", "종",
    "근", "현", "희", "경", "미", "자", "철", "민", "식", "환", "덕", "흥", "춘", "인", "의",
    "연", "봉", "룡", "순", "하", "원", "진", "영", "주", "윤", "치", "학", "주", "운", "광"};
static const char *const sur_japanese[] = {"山田", "田中", "中村", "松本", "佐藤", "鈴木",
                                           "高橋", "伊藤", "渡邊", "小林", "吉田", "山本",
                                           "井上", "木村", "清水", "森"};
static const char *const given_japanese[] = {"太郎", "一郎", "正雄", "英夫", "清",  "茂",
                                             "實",   "義雄", "秀夫", "勝",   "武",  "博",
                                             "次郎", "三郎", "光男", "榮吉"};
/* Surnames taken at the 1940 創氏改名, keyed loosely by the old surname. */
static const char *const sur_soshi[] = {"金本", "金山", "金田", "松山", "平沼", "新井", "岩本", "大山",
                                        "宮本", "西原", "國本", "安田", "吉川", "松原", "木下", "江原"};
static const char *const corporations[] = {"東洋拓殖株式會社", "朝鮮總督府", "京城府", "國"};
static const char *const lenders[] = {"朝鮮殖産銀行", "漢城銀行", "朝鮮商業銀行", "京城金融組合",
                                      "朝鮮信託株式會社"};

static const char *pick(lr_synth_rng *r, const char *const *a, int n)
{
    return a[lr_synth_rng_int(r, 0, n - 1)];
}
#define PICK(r, a) pick((r), (a), N_ELEMS(a))

static void name_korean_hanja(lr_synth_rng *r, const char *surname, char *buf, size_t size)
{
    const char *s = surname ? surname : sur_hanja[lr_synth_rng_weighted(r, sur_w, N_ELEMS(sur_w))];
    const char *g1 = PICK(r, given_hanja), *g2;
    do
        g2 = PICK(r, given_hanja);
    while (strcmp(g1, g2) == 0);
    if (lr_synth_rng_chance(r, 0.08))
        snprintf(buf, size, "%s%s", s, g1); /* one-character given name */
    else
        snprintf(buf, size, "%s%s%s", s, g1, g2);
}

static void name_korean_hangul(lr_synth_rng *r, const char *surname, char *buf, size_t size)
{
    const char *s =
        surname ? surname : sur_hangul[lr_synth_rng_weighted(r, sur_w, N_ELEMS(sur_w))];
    const char *g1 = PICK(r, given_hangul), *g2;
    do
        g2 = PICK(r, given_hangul);
    while (strcmp(g1, g2) == 0);
    snprintf(buf, size, "%s%s%s", s, g1, g2);
}

static void name_japanese(lr_synth_rng *r, const char *const *surnames, int n, char *buf,
                          size_t size)
{
    /* One draw per statement: the order of a call's arguments is unspecified, and the same
     * seed must give the same sheet whatever the compiler. */
    const char *surname = pick(r, surnames, n);
    const char *given = PICK(r, given_japanese);
    snprintf(buf, size, "%s%s", surname, given);
}

/* The surname of a Korean Hanja name (its first character). */
static void first_char(const char *s, char *buf, size_t size)
{
    size_t n = s[0] ? lr_utf8_next(s, SIZE_MAX, NULL) : 0;
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

/* Colonial Seoul (1914–1946) town names and villages of the surrounding 郡 (domain.md §5.4). */
static const struct colonial_place {
    const char *name; /* as written in the 所在 of a sheet */
    int max_chome;    /* 丁目 (or 通 丁目) count, 0 none */
    bool town;        /* inside 京城府 */
} colonial_places[] = {
    {"京城府 本町", 5, true},        {"京城府 黃金町", 7, true},      {"京城府 明治町", 2, true},
    {"京城府 旭町", 3, true},        {"京城府 竹添町", 3, true},      {"京城府 南米倉町", 0, true},
    {"京城府 長谷川町", 0, true},    {"京城府 太平通", 2, true},      {"京城府 鍾路", 6, true},
    {"京城府 寬勳洞", 0, true},      {"京城府 嘉會洞", 0, true},      {"京城府 社稷洞", 0, true},
    {"京城府 安國洞", 0, true},      {"京城府 仁寺洞", 0, true},      {"京畿道 高陽郡 延禧面 新村里", 0, false},
    {"京畿道 高陽郡 崇仁面 敦岩里", 0, false}, {"京畿道 高陽郡 漢芝面 往十里", 0, false},
    {"京畿道 高陽郡 恩平面 佛光里", 0, false}, {"京畿道 始興郡 東面 奉天里", 0, false},
    {"京畿道 始興郡 北面 永登浦里", 0, false}, {"京畿道 廣州郡 彦州面 驛三里", 0, false},
    {"京畿道 廣州郡 大旺面 水西里", 0, false}, {"京畿道 楊州郡 蘆海面 倉洞里", 0, false},
    {"京畿道 金浦郡 陽西面 傍花里", 0, false},
};

/* Forest land lay outside the town: villages only. */
static const char *const forest_places[] = {
    "京畿道 高陽郡 恩平面 津寬里", "京畿道 高陽郡 崇仁面 牛耳里", "京畿道 始興郡 東面 奉天里",
    "京畿道 楊州郡 蘆海面 上溪里", "京畿道 廣州郡 大旺面 細谷里", "京畿道 始興郡 東面 新林里",
    "京畿道 高陽郡 延禧面 弘濟外里", "京畿道 楊州郡 蘆海面 道峰里",
};

/* After the 1946-10-01 renaming (domain.md §5.4): 서울特別市 (1949) 區 洞/街, and the
 * 경기도 villages annexed only in 1963. */
static const char *const places_1950[] = {
    "서울特別市 中區 忠武路二街", "서울特別市 中區 乙支路三街", "서울特別市 中區 明洞二街",
    "서울特別市 鍾路區 寬勳洞",   "서울特別市 鍾路區 嘉會洞",   "서울特別市 城東區 往十里洞",
    "서울特別市 西大門區 新村洞", "서울特別市 龍山區 漢江路一街", "서울特別市 城北區 敦岩洞",
    "서울特別市 永登浦區 堂山洞", "京畿道 廣州郡 彦州面 驛三里", "京畿道 始興郡 東面 奉天里",
    "京畿道 楊州郡 蘆海面 倉洞里",
};

/* Card era (1976 on); 구 that existed by 1976. */
static const char *const places_modern[] = {
    "서울특별시 종로구 청운동",     "서울특별시 종로구 사직동",   "서울특별시 중구 충무로2가",
    "서울특별시 중구 을지로3가",    "서울특별시 용산구 한강로1가", "서울특별시 성동구 행당동",
    "서울특별시 동대문구 제기동",   "서울특별시 성북구 돈암동",   "서울특별시 서대문구 연희동",
    "서울특별시 마포구 공덕동",     "서울특별시 영등포구 당산동", "서울특별시 강남구 역삼동",
    "서울특별시 도봉구 쌍문동",     "서울특별시 관악구 봉천동",
};

/* A colonial 所在 with its 丁目, e.g. 京城府 黃金町 三丁目. */
static void colonial_location_full(lr_synth_rng *r, int place, char *buf, size_t size)
{
    const struct colonial_place *p = &colonial_places[place % N_ELEMS(colonial_places)];
    snprintf(buf, size, "%s", p->name);
    if (p->max_chome) {
        char n[16];
        lr_synth_numeral(lr_synth_rng_int(r, 1, p->max_chome), LR_SYNTH_NUM_ADDITIVE, false, n,
                         sizeof n);
        sappend(buf, size, " ");
        sappend(buf, size, n);
        sappend(buf, size, "丁目");
    }
}

/* An owner's address in colonial times: 京城府 黃金町 三丁目 二五八番地. */
static void colonial_address(lr_synth_rng *r, const hand *h, char *buf, size_t size)
{
    char n[48];
    colonial_location_full(r, lr_synth_rng_int(r, 0, N_ELEMS(colonial_places) - 1), buf, size);
    lr_synth_numeral(lr_synth_rng_int(r, 1, 600), h->lot_num, false, n, sizeof n);
    sappend(buf, size, " ");
    sappend(buf, size, n);
    sappend(buf, size, "番地");
}

static void address_1950(lr_synth_rng *r, char *buf, size_t size)
{
    char n[48];
    snprintf(buf, size, "%s ", PICK(r, places_1950));
    int number = lr_synth_rng_int(r, 1, 700);
    lr_synth_numstyle st =
        lr_synth_rng_chance(r, 0.5) ? LR_SYNTH_NUM_POSITIONAL : LR_SYNTH_NUM_ARABIC;
    lr_synth_numeral(number, st, false, n, sizeof n);
    sappend(buf, size, n);
    sappend(buf, size, lr_synth_rng_chance(r, 0.5) ? "番地" : "");
}

static void address_modern(lr_synth_rng *r, char *buf, size_t size)
{
    lot l = lot_random(r, 0);
    char n[32];
    lot_value(l, n, sizeof n);
    snprintf(buf, size, "%s %s", PICK(r, places_modern), n);
}

/* ------------------------------------------------------------------------------------------ */
/* Events (domain.md §6)                                                                      */

typedef struct ev {
    const char *raw, *value;
} ev;

static const ev ev_col_assess = {"査定", "assessment"};
static const ev ev_col_split[] = {{"分割", "split"}, {"分筆", "split"}};
static const ev ev_col_merge[] = {{"合倂", "merge"}, {"合筆", "merge"}};
static const ev ev_col_catchg[] = {{"地目變更", "category_change"}, {"地目變換", "category_change"}};
static const ev ev_col_correct[] = {{"地積訂正", "correction"}, {"訂正", "correction"}};
static const ev ev_col_transfer[] = {{"所有權移轉", "transfer"}, {"賣買", "transfer"}};
static const ev ev_col_inherit[] = {{"相續", "inheritance"}, {"家督相續", "inheritance"}};
static const ev ev_col_addr = {"住所變更", "address_change"};
static const ev ev_col_name[] = {{"氏名變更", "name_change"}, {"改名", "name_change"}};
static const ev ev_col_pledge = {"質權設定", "other"};
static const ev ev_col_preserve = {"所有權保存", "preservation"};
static const ev ev_col_newreg = {"新規登錄", "new_registration"};
static const ev ev_col_convert = {"登錄轉換", "conversion"};
static const ev ev_col_vest = {"歸屬", "other"};
static const ev ev_col_distribute = {"分配", "other"};

static const char *const code_land_split = "20", *const code_land_merge = "30",
                  *const code_land_catchg = "40";

static void event_field(lr_synth_field *f, const char *label, const char *raw, const char *value)
{
    field_set(f, label, raw, value);
}

/* ------------------------------------------------------------------------------------------ */
/* Ledger sheets                                                                              */

typedef struct labels {
    const char *location, *lot, *date, *event, *category, *area, *grade, *odate, *oevent,
        *address, *name;
} labels;

static const labels hanja_labels = {"所在", "地番", "年月日", "事故", "地目", "地積",
                                    "等級", "年月日", "事故", "住所", "氏名"};
static const labels card_labels = {"토지소재", "지번",   "연월일", "사유",   "지목", "면적(㎡)",
                                   "등급",     "변동일자", "변동원인", "주소", "성명"};

/* The state of the parcel while its land rows are written. */
typedef struct parcel_state {
    int cat;        /* hist_cats or modern_cats index */
    int64_t amount; /* 勺, 步 or tenths of ㎡ */
    int grade;
} parcel_state;

static void grade_field(lr_synth_rng *r, const hand *h, lr_synth_field *f, const char *label,
                        int grade)
{
    char raw[48], value[16];
    lr_synth_numeral(grade, h->num, lr_synth_rng_chance(r, h->nian), raw, sizeof raw);
    snprintf(value, sizeof value, "%d", grade);
    field_set(f, label, raw, value);
}

static void ditto_field(lr_synth_rng *r, lr_synth_field *f, const char *label,
                        const lr_synth_field *above)
{
    static const char *const marks[] = {"〃", "〃", "仝", "同"};
    field_set(f, label, PICK(r, marks), above->has_value ? above->value : NULL);
    f->flags |= LR_SYNTH_DITTO;
}

/* 賃貸價格 from area and grade: 壹圓貳拾錢 (written, not a truth field). */
static void rent_text(lr_synth_rng *r, const hand *h, int64_t shaku, int grade, char *buf,
                      size_t size)
{
    char a[48], b[48];
    long sen = (long)(shaku / 100) * (60 - grade) / 9 + lr_synth_rng_int(r, 0, 40);
    if (sen < 5)
        sen = 5;
    buf[0] = '\0';
    if (sen >= 100) {
        lr_synth_numeral((int)(sen / 100), h->num, false, a, sizeof a);
        sappend(buf, size, a);
        sappend(buf, size, "圓");
    }
    if (sen % 100) {
        lr_synth_numeral((int)(sen % 100), h->num, false, b, sizeof b);
        sappend(buf, size, b);
        sappend(buf, size, "錢");
    }
}

typedef struct ctx {
    lr_synth_rng *r;
    lr_synth_sheet *s;
    hand h;
    const labels *lb;
    bool forest, y1950;
    ymd land_dates[LR_SYNTH_MAX_ROWS]; /* of the rows written so far */
} ctx;

/* Writes the land row's category/area/grade for state st, with ditto marks where a clerk
 * would use them (unchanged from the row above). */
static void land_row_state(ctx *c, lr_synth_land_row *row, const lr_synth_land_row *above,
                           parcel_state st, bool cat_changed, bool area_changed,
                           bool grade_changed)
{
    lr_synth_rng *r = c->r;
    const labels *lb = c->lb;
    if (above && !cat_changed && lr_synth_rng_chance(r, 0.45))
        ditto_field(r, &row->category, lb->category, &above->category);
    else
        field_set(&row->category, lb->category, hist_cats[st.cat].hanja, hist_cats[st.cat].code);
    if (above && !area_changed && lr_synth_rng_chance(r, 0.35))
        ditto_field(r, &row->area, lb->area, &above->area);
    else if (c->forest)
        area_field_bu(r, &row->area, lb->area, st.amount, c->h.area_num, c->h.nian);
    else
        area_field_tsubo(&row->area, lb->area, st.amount, c->h.area_num);
    if (above && !grade_changed && lr_synth_rng_chance(r, 0.5))
        ditto_field(r, &row->grade, lb->grade, &above->grade);
    else
        grade_field(r, &c->h, &row->grade, lb->grade, st.grade);
    if (!c->forest && !c->y1950)
        rent_text(r, &c->h, st.amount, st.grade, row->extra, sizeof row->extra);
}

static void date_field(ctx *c, lr_synth_field *f, const char *label, ymd t, era force)
{
    char raw[LR_SYNTH_TEXT_MAX], value[16];
    date_value(t, value, sizeof value);
    if (force <= ERA_SHOWA && (int)force >= 0) {
        write_era_date(c->r, &c->h, force, t, raw, sizeof raw);
    } else if (c->s->doc == LR_SYNTH_LAND1950) {
        if (date_cmp(t, eras[ERA_DANGI].from) < 0)
            write_colonial_date(c->r, &c->h, t, raw, sizeof raw); /* copied as written */
        else
            write_1950_date(c->r, &c->h, t, raw, sizeof raw);
    } else if (c->s->modern) {
        write_modern_date(c->r, &c->h, t, raw, sizeof raw);
    } else {
        write_colonial_date(c->r, &c->h, t, raw, sizeof raw);
    }
    field_set(f, label, raw, value);
}

static void date_field_or_ditto(ctx *c, lr_synth_field *f, const char *label, ymd t,
                                const lr_synth_field *above, ymd above_t)
{
    if (above && date_cmp(t, above_t) == 0 && lr_synth_rng_chance(c->r, 0.7))
        ditto_field(c->r, f, label, above);
    else
        date_field(c, f, label, t, (era)-1);
}

/* Dates of n events after start, ascending (ties allowed: two entries of one day), none
 * after end. */
static void event_dates(lr_synth_rng *r, ymd start, ymd end, int n, ymd *out)
{
    long a = day_no(start), b = day_no(end);
    for (int i = 0; i < n; i++) {
        long left = b - a;
        long step = left <= 0 ? 0 : (long)(lr_synth_rng_uniform(r) * (double)left * 0.6 / (n - i));
        if (i > 0 && lr_synth_rng_chance(r, 0.12))
            step = 0;
        else if (step < 1 && left > 0)
            step = 1;
        a += step;
        out[i] = from_day_no(a);
    }
}

/* The hard cases of dates: the switch days and 元年, drawn on purpose for some sheets. */
static ymd colonial_first_date(lr_synth_rng *r, ymd lo, ymd hi, era *out_force)
{
    *out_force = (era)-1;
    double x = lr_synth_rng_uniform(r);
    ymd switch1 = {1912, 7, 30}, switch2 = {1926, 12, 25};
    if (x < 0.08 && date_cmp(switch1, lo) >= 0 && date_cmp(switch1, hi) <= 0) {
        *out_force = lr_synth_rng_chance(r, 0.5) ? ERA_MEIJI : ERA_TAISHO;
        return switch1;
    }
    if (x < 0.2 && date_cmp((ymd){1912, 12, 31}, lo) >= 0 &&
        date_cmp((ymd){1912, 7, 31}, hi) <= 0)
        return date_between(r, (ymd){1912, 7, 31}, (ymd){1912, 12, 31}); /* 大正元年 */
    if (x < 0.26 && date_cmp(switch2, lo) >= 0 && date_cmp(switch2, hi) <= 0) {
        *out_force = lr_synth_rng_chance(r, 0.5) ? ERA_TAISHO : ERA_SHOWA;
        return switch2;
    }
    return date_between(r, lo, hi);
}

static void hand_colonial(lr_synth_rng *r, hand *h)
{
    double x = lr_synth_rng_uniform(r);
    h->num = x < 0.5 ? LR_SYNTH_NUM_ADDITIVE : LR_SYNTH_NUM_FORMAL;
    x = lr_synth_rng_uniform(r);
    h->area_num = x < 0.45 ? LR_SYNTH_NUM_FORMAL
                  : x < 0.8 ? LR_SYNTH_NUM_ADDITIVE
                            : LR_SYNTH_NUM_POSITIONAL;
    h->lot_num = lr_synth_rng_chance(r, 0.7) ? LR_SYNTH_NUM_POSITIONAL : LR_SYNTH_NUM_ADDITIVE;
    h->nian = lr_synth_rng_chance(r, 0.4) ? 0.6 : 0.0;
    h->date_form = 0;
}

/* Land rows at dates[0 … n-1] (ascending). When first_ev is set, the first of them opens
 * the sheet with that event; otherwise every row is an ordinary movement. */
static void land_rows(ctx *c, const ymd *dates, era first_force, int n, parcel_state *pst,
                      const ev *first_ev, lot self)
{
    lr_synth_rng *r = c->r;
    lr_synth_sheet *s = c->s;
    const labels *lb = c->lb;
    parcel_state st = *pst;
    bool closed = false;
    for (int i = 0; i < n && !closed && s->n_land < LR_SYNTH_MAX_ROWS; i++) {
        lr_synth_land_row *row = &s->land[s->n_land];
        const lr_synth_land_row *above = s->n_land ? &s->land[s->n_land - 1] : NULL;
        memset(row, 0, sizeof *row);
        bool cat_ch = false, area_ch = false, grade_ch = false;
        char raw[LR_SYNTH_TEXT_MAX];
        bool y1950 = c->y1950 && date_cmp(dates[i], (ymd){1950, 12, 1}) >= 0;
        if (i == 0 && first_ev) {
            date_field(c, &row->date, lb->date, dates[0], first_force);
            event_field(&row->event, lb->event, first_ev->raw, first_ev->value);
        } else {
            if (above)
                date_field_or_ditto(c, &row->date, lb->date, dates[i], &above->date,
                                    c->land_dates[s->n_land - 1]);
            else
                date_field(c, &row->date, lb->date, dates[i], (era)-1);
            double x = lr_synth_rng_uniform(r);
            int64_t unit = c->forest ? 30 : (c->y1950 ? 100 : 10);
            if (c->forest && i == n - 1 && i >= 2 && x < 0.3) {
                /* 登錄轉換: the parcel moves to the land ledger and this sheet closes. */
                event_field(&row->event, lb->event, ev_col_convert.raw, ev_col_convert.value);
                closed = true;
            } else if (x < 0.4) {
                const ev *e = &ev_col_split[lr_synth_rng_int(r, 0, 1)];
                int64_t part = st.amount * lr_synth_rng_int(r, 10, 60) / 100 / unit * unit;
                if (part < unit)
                    part = unit;
                if (part >= st.amount)
                    part = st.amount / 2 / unit * unit;
                if (part > 0 && st.amount - part > 0) {
                    st.amount -= part;
                    area_ch = true;
                }
                if (lr_synth_rng_chance(r, 0.3)) {
                    /* 分割 ノ五乃至ノ七: the new 枝番 written beside the event (domain.md §5.1). */
                    char a[32], b[32];
                    int first_sub = self.sub + lr_synth_rng_int(r, 1, 5);
                    lr_synth_numeral(first_sub, LR_SYNTH_NUM_POSITIONAL, false, a, sizeof a);
                    lr_synth_numeral(first_sub + lr_synth_rng_int(r, 1, 3),
                                     LR_SYNTH_NUM_POSITIONAL, false, b, sizeof b);
                    snprintf(raw, sizeof raw, "%s ノ%s乃至ノ%s", e->raw, a, b);
                    event_field(&row->event, lb->event, raw, e->value);
                } else {
                    event_field(&row->event, lb->event, e->raw, e->value);
                }
            } else if (x < 0.6) {
                const ev *e = &ev_col_merge[lr_synth_rng_int(r, 0, 1)];
                int64_t munit = c->forest ? 30 : 100;
                st.amount += st.amount * lr_synth_rng_int(r, 10, 80) / 100 / munit * munit;
                area_ch = true;
                if (lr_synth_rng_chance(r, 0.4)) {
                    char a[32];
                    lr_synth_numeral(self.main + lr_synth_rng_int(r, 1, 4),
                                     LR_SYNTH_NUM_POSITIONAL, false, a, sizeof a);
                    snprintf(raw, sizeof raw, "%s番ト%s", a, e->raw);
                    event_field(&row->event, lb->event, raw, e->value);
                } else {
                    event_field(&row->event, lb->event, e->raw, e->value);
                }
            } else if (x < 0.85) {
                const ev *e = &ev_col_catchg[lr_synth_rng_int(r, 0, 1)];
                st.cat = c->forest ? (lr_synth_rng_chance(r, 0.7) ? 0 : 5)
                                   : hist_pick(r, y1950, st.cat);
                cat_ch = true;
                st.grade = lr_synth_rng_int(r, 1, 60);
                grade_ch = true;
                event_field(&row->event, lb->event, e->raw, e->value);
            } else {
                const ev *e = &ev_col_correct[lr_synth_rng_int(r, 0, 1)];
                int64_t cunit = c->forest ? 1 : (c->y1950 ? 100 : 10);
                int64_t delta = (st.amount / 40 / cunit + 1) * cunit;
                st.amount += lr_synth_rng_chance(r, 0.5) && st.amount > 2 * delta ? -delta : delta;
                area_ch = true;
                event_field(&row->event, lb->event, e->raw, e->value);
            }
        }
        land_row_state(c, row, above, st, cat_ch, area_ch, grade_ch);
        c->land_dates[s->n_land] = dates[i];
        s->n_land++;
    }
    *pst = st;
}

/* Owner kinds for the colonial owner block. */
typedef enum owner_kind {
    OWNER_KOREAN = 0,
    OWNER_JAPANESE,
    OWNER_CORP,
} owner_kind;

typedef struct owner_state {
    owner_kind kind;
    char name[64];
    char address[LR_SYNTH_TEXT_MAX];
} owner_state;

static void new_owner(ctx *c, owner_state *o, bool allow_japanese)
{
    lr_synth_rng *r = c->r;
    double x = lr_synth_rng_uniform(r);
    if (allow_japanese && x < 0.15) {
        o->kind = OWNER_JAPANESE;
        name_japanese(r, sur_japanese, N_ELEMS(sur_japanese), o->name, sizeof o->name);
    } else if (allow_japanese && x < 0.2) {
        o->kind = OWNER_CORP;
        sset(o->name, sizeof o->name, PICK(r, corporations));
    } else {
        o->kind = OWNER_KOREAN;
        name_korean_hanja(r, NULL, o->name, sizeof o->name);
    }
    if (c->y1950)
        address_1950(r, o->address, sizeof o->address);
    else
        colonial_address(r, &c->h, o->address, sizeof o->address);
}

/* One owner row; ditto marks for an address or name repeated from the row above (never
 * above a red pledge row or a struck row: the clerk repeats the owner). */
static void owner_row(ctx *c, ymd t, ymd above_t, const ev *e, const owner_state *o,
                      bool addr_same, bool name_same, unsigned flags)
{
    lr_synth_rng *r = c->r;
    lr_synth_sheet *s = c->s;
    const labels *lb = c->lb;
    lr_synth_owner_row *row = &s->owner[s->n_owner];
    const lr_synth_owner_row *above = s->n_owner ? &s->owner[s->n_owner - 1] : NULL;
    bool can_ditto = above && !(above->name.flags & (LR_SYNTH_RED | LR_SYNTH_STRUCK)) &&
                     !(flags & (LR_SYNTH_RED | LR_SYNTH_STRUCK));
    memset(row, 0, sizeof *row);
    if (can_ditto)
        date_field_or_ditto(c, &row->date, lb->odate, t, &above->date, above_t);
    else
        date_field(c, &row->date, lb->odate, t, (era)-1);
    event_field(&row->event, lb->oevent, e->raw, e->value);
    if (can_ditto && addr_same && lr_synth_rng_chance(r, 0.75))
        ditto_field(r, &row->address, lb->address, &above->address);
    else
        field_set(&row->address, lb->address, o->address, o->address);
    if (can_ditto && name_same && lr_synth_rng_chance(r, 0.75))
        ditto_field(r, &row->name, lb->name, &above->name);
    else
        field_set(&row->name, lb->name, o->name, o->name);
    lr_synth_field *fs[4] = {&row->date, &row->event, &row->address, &row->name};
    for (int i = 0; i < 4; i++)
        fs[i]->flags |= flags;
    if (s->vertical_names)
        row->name.flags |= LR_SYNTH_VERTICAL;
    s->n_owner++;
}

/* Owner block of a colonial, forest or 1950s ledger. */
static void owner_rows(ctx *c, ymd first, era first_force, const ev *first_ev, ymd later,
                       ymd end, int n, bool farmland)
{
    lr_synth_rng *r = c->r;
    lr_synth_sheet *s = c->s;
    owner_state o;
    ymd dates[LR_SYNTH_MAX_ROWS];
    dates[0] = first;
    if (date_cmp(later, date_add_days(first, 60)) < 0)
        later = date_add_days(first, 60);
    event_dates(r, later, end, n - 1, dates + 1);
    new_owner(c, &o, !c->y1950 || date_cmp(first, (ymd){1945, 8, 15}) < 0);
    if (c->forest && lr_synth_rng_chance(r, 0.25)) {
        o.kind = OWNER_CORP;
        sset(o.name, sizeof o.name, "國");
    }
    /* First row: the era may be forced for the switch-day case. */
    {
        lr_synth_owner_row *row = &s->owner[0];
        memset(row, 0, sizeof *row);
        date_field(c, &row->date, c->lb->odate, first, first_force);
        event_field(&row->event, c->lb->oevent, first_ev->raw, first_ev->value);
        field_set(&row->address, c->lb->address, o.address, o.address);
        field_set(&row->name, c->lb->name, o.name, o.name);
        if (s->vertical_names)
            row->name.flags |= LR_SYNTH_VERTICAL;
        s->n_owner = 1;
    }
    bool pledged = false;
    for (int i = 1; i < n && s->n_owner < LR_SYNTH_MAX_ROWS - 1; i++) {
        ymd t = dates[i], above_t = dates[i - 1];
        bool colonial_time = date_cmp(t, (ymd){1945, 8, 15}) < 0;
        double x = lr_synth_rng_uniform(r);
        /* A struck entry: written, then superseded by the right one on the same day. */
        if (s->n_owner < LR_SYNTH_MAX_ROWS - 2 && i > 1 && lr_synth_rng_chance(r, 0.12)) {
            owner_state wrong = o;
            new_owner(c, &wrong, colonial_time);
            owner_row(c, t, above_t, &ev_col_transfer[0], &wrong, false, false, LR_SYNTH_STRUCK);
            above_t = t;
        }
        if (!pledged && x < 0.12 && s->n_owner < LR_SYNTH_MAX_ROWS - 2) {
            /* 質權 holders in red ink (domain.md §1.2). */
            owner_state lender;
            lender.kind = OWNER_CORP;
            sset(lender.name, sizeof lender.name, PICK(r, lenders));
            if (c->y1950)
                address_1950(r, lender.address, sizeof lender.address);
            else
                colonial_address(r, &c->h, lender.address, sizeof lender.address);
            owner_row(c, t, above_t, &ev_col_pledge, &lender, false, false, LR_SYNTH_RED);
            pledged = true;
            continue;
        }
        ymd soshi_from = {1940, 2, 11}, soshi_to = {1941, 8, 10};
        if (o.kind == OWNER_KOREAN && date_cmp(t, soshi_from) >= 0 &&
            date_cmp(t, soshi_to) <= 0 && x < 0.7) {
            /* 創氏改名 (1940): a Japanese-style name, same person, same address. */
            name_japanese(r, sur_soshi, N_ELEMS(sur_soshi), o.name, sizeof o.name);
            owner_row(c, t, above_t, &ev_col_name[lr_synth_rng_int(r, 0, 1)], &o, true, false, 0);
            continue;
        }
        if (c->y1950 && o.kind != OWNER_KOREAN && !colonial_time &&
            strcmp(o.name, "國") != 0 && date_cmp(t, (ymd){1948, 9, 25}) >= 0) {
            /* Japanese property vested in the state after 1945 (歸屬). */
            sset(o.name, sizeof o.name, "國");
            o.kind = OWNER_CORP;
            owner_row(c, t, above_t, &ev_col_vest, &o, true, false, 0);
            continue;
        }
        if (c->y1950 && farmland && date_cmp(t, (ymd){1950, 3, 10}) >= 0 &&
            date_cmp(t, (ymd){1957, 12, 31}) <= 0 && x < 0.35) {
            /* 농지개혁 (1950): distributed to the tiller. */
            new_owner(c, &o, false);
            owner_row(c, t, above_t, &ev_col_distribute, &o, false, false, 0);
            continue;
        }
        if (x < 0.5) {
            new_owner(c, &o, colonial_time);
            owner_row(c, t, above_t, &ev_col_transfer[lr_synth_rng_int(r, 0, 1)], &o, false,
                      false, 0);
        } else if (x < 0.7 && o.kind == OWNER_KOREAN) {
            char surname[8];
            first_char(o.name, surname, sizeof surname);
            name_korean_hanja(r, surname, o.name, sizeof o.name);
            owner_row(c, t, above_t, &ev_col_inherit[lr_synth_rng_int(r, 0, 1)], &o, true, false,
                      0);
        } else if (o.kind != OWNER_CORP || x < 0.85) {
            if (c->y1950)
                address_1950(r, o.address, sizeof o.address);
            else
                colonial_address(r, &c->h, o.address, sizeof o.address);
            owner_row(c, t, above_t, &ev_col_addr, &o, false, true, 0);
        } else {
            new_owner(c, &o, colonial_time);
            owner_row(c, t, above_t, &ev_col_transfer[0], &o, false, false, 0);
        }
    }
}

static void make_colonial(ctx *c, const lr_synth_volume *vol, int page)
{
    lr_synth_rng *r = c->r;
    lr_synth_sheet *s = c->s;
    char buf[LR_SYNTH_TEXT_MAX];
    hand_colonial(r, &c->h);
    s->vertical_names = lr_synth_rng_chance(r, 0.3);
    lot self = lot_random(r, vol->base_lot + page - 1);
    self.san = c->forest;
    if (c->forest) {
        snprintf(buf, sizeof buf, "%s", forest_places[vol->place % N_ELEMS(forest_places)]);
    } else {
        lr_synth_rng vr;
        lr_synth_rng_seed(&vr, (uint64_t)vol->place, 0, 0, 99); /* same 丁目 for the volume */
        colonial_location_full(&vr, vol->place, buf, sizeof buf);
    }
    field_set(&s->location, c->lb->location, buf, buf);
    char lraw[64], lval[32];
    lot_colonial(r, self, lraw, sizeof lraw);
    lot_value(self, lval, sizeof lval);
    field_set(&s->lot, c->lb->lot, lraw, lval);
    sset(s->title, sizeof s->title, c->forest ? "林野臺帳" : "土地臺帳");
    sset(s->office, sizeof s->office, c->forest ? "" : "京畿道");

    /* 査定: 1912–1918 for land (토지조사사업), 1917–1926 for forest (임야조사사업). */
    era force;
    ymd first = c->forest ? colonial_first_date(r, (ymd){1917, 1, 10}, (ymd){1926, 12, 28}, &force)
                          : colonial_first_date(r, (ymd){1912, 3, 1}, (ymd){1918, 10, 31}, &force);
    ymd end = {1945, 8, 14};
    parcel_state st;
    if (c->forest) {
        st.cat = lr_synth_rng_chance(r, 0.92) ? HIST_FOREST : (lr_synth_rng_chance(r, 0.5) ? 7 : 5);
        int64_t bu = (int64_t)lr_synth_rng_int(r, 300, 90000);
        if (lr_synth_rng_chance(r, 0.3))
            bu = bu / 30 * 30; /* ends on 畝: 町步/段步 */
        st.amount = bu;
        st.grade = lr_synth_rng_int(r, 1, 20);
    } else {
        st.cat = hist_pick(r, false, -1);
        st.amount = tsubo_area(r, st.cat, false);
        st.grade = lr_synth_rng_int(r, 1, 60);
    }
    int n_land = lr_synth_rng_int(r, 1, 6);
    ymd dates[LR_SYNTH_MAX_ROWS];
    dates[0] = first;
    event_dates(r, date_add_days(first, 30), end, n_land - 1, dates + 1);
    land_rows(c, dates, force, n_land, &st, &ev_col_assess, self);
    owner_rows(c, first, force, &ev_col_assess, first, end, lr_synth_rng_int(r, 1, 7),
               st.cat == 0 || st.cat == 1);
}

static void make_1950(ctx *c, const lr_synth_volume *vol, int page)
{
    lr_synth_rng *r = c->r;
    lr_synth_sheet *s = c->s;
    c->y1950 = true;
    hand_colonial(r, &c->h);
    c->h.date_form = lr_synth_rng_int(r, 0, 3);
    if (lr_synth_rng_chance(r, 0.4))
        c->h.area_num = LR_SYNTH_NUM_ARABIC;
    s->vertical_names = lr_synth_rng_chance(r, 0.15);
    lot self = lot_random(r, vol->base_lot + page - 1);
    const char *place = places_1950[vol->place % N_ELEMS(places_1950)];
    field_set(&s->location, c->lb->location, place, place);
    char lraw[64], lval[32];
    lot_1950(r, self, lraw, sizeof lraw);
    lot_value(self, lval, sizeof lval);
    field_set(&s->lot, c->lb->lot, lraw, lval);
    sset(s->title, sizeof s->title, "土地臺帳");
    sset(s->office, sizeof s->office,
         strstr(place, "京畿道") ? "京畿道 廣州稅務署" : "서울 中部稅務署");

    /* Either the colonial head copied in its original era, or a sheet opened after the 1950
     * 지적법 (from 1950-12-01). Later rows: 檀紀 until 1961, 西紀 to 1975. */
    bool copied = lr_synth_rng_chance(r, 0.4);
    era force = (era)-1;
    ymd first = copied ? colonial_first_date(r, (ymd){1912, 3, 1}, (ymd){1918, 10, 31}, &force)
                       : date_between(r, (ymd){1950, 12, 1}, (ymd){1958, 12, 31});
    ymd later = {1950, 12, 1};
    ymd end = lr_synth_rng_chance(r, 0.6) ? (ymd){1961, 12, 31} : (ymd){1974, 12, 31};
    parcel_state st;
    st.cat = hist_pick(r, !copied, -1);
    st.amount = tsubo_area(r, st.cat, true);
    if (strcmp(hist_cats[st.cat].hanja, "垈") == 0 && lr_synth_rng_chance(r, 0.4))
        st.amount += lr_synth_rng_int(r, 1, 9) * 10; /* 제7조 ⑤: 合 kept for town 垈 [I] */
    st.grade = lr_synth_rng_int(r, 1, 60);
    const ev *first_ev = copied ? &ev_col_assess
                                : (lr_synth_rng_chance(r, 0.6) ? &ev_col_split[0] : &ev_col_newreg);
    int n_land = lr_synth_rng_int(r, 1, 6);
    ymd dates[LR_SYNTH_MAX_ROWS];
    dates[0] = first;
    /* A copied head is followed by rows written under the 1950 law only: what happened
     * between was not carried over. */
    ymd next = copied ? later : date_add_days(first, 30);
    event_dates(r, next, end, n_land - 1, dates + 1);
    land_rows(c, dates, force, n_land, &st, first_ev, self);
    const ev *owner_first = copied ? &ev_col_assess : &ev_col_preserve;
    ymd ofirst = copied ? first : date_add_days(first, lr_synth_rng_int(r, 0, 40));
    owner_rows(c, ofirst, copied ? force : (era)-1, owner_first, later, end,
               lr_synth_rng_int(r, 1, 7), st.cat == 0 || st.cat == 1);
}

/* Card ledger (1976 on): Hangul, ㎡, 西紀. */
static void make_card(ctx *c, const lr_synth_volume *vol, int page)
{
    lr_synth_rng *r = c->r;
    lr_synth_sheet *s = c->s;
    const labels *lb = c->lb;
    c->h.num = LR_SYNTH_NUM_ARABIC;
    c->h.date_form = lr_synth_rng_int(r, 0, 3);
    c->h.nian = 0;
    lot self = lot_random(r, vol->base_lot + page - 1);
    const char *place = places_modern[vol->place % N_ELEMS(places_modern)];
    field_set(&s->location, lb->location, place, place);
    char lval[32];
    lot_value(self, lval, sizeof lval);
    field_set(&s->lot, lb->lot, lval, lval);
    sset(s->title, sizeof s->title, "토지대장");
    snprintf(s->scale, sizeof s->scale, "1/%d", lr_synth_rng_chance(r, 0.7) ? 1200 : 600);
    snprintf(s->sheet_no, sizeof s->sheet_no, "%d", lr_synth_rng_int(r, 1, 60));
    bool decimals = strcmp(s->scale, "1/600") == 0;

    ymd first = date_between(r, (ymd){1976, 1, 1}, (ymd){1981, 12, 31});
    ymd end = {1989, 12, 31};
    int n = lr_synth_rng_int(r, 1, 6);
    ymd dates[LR_SYNTH_MAX_ROWS];
    dates[0] = first;
    event_dates(r, date_add_days(first, 30), end, n - 1, dates + 1);
    int cat = modern_pick(r, -1);
    int64_t tenths = (int64_t)lr_synth_rng_int(r, 30, 3000) * 10;
    if (decimals)
        tenths += lr_synth_rng_int(r, 0, 9);
    int grade = lr_synth_rng_int(r, 1, 280);
    int next_sub = self.sub + lr_synth_rng_int(r, 1, 6);
    for (int i = 0; i < n; i++) {
        lr_synth_land_row *row = &s->land[s->n_land];
        const lr_synth_land_row *above = i ? &s->land[i - 1] : NULL;
        memset(row, 0, sizeof *row);
        char raw[LR_SYNTH_TEXT_MAX];
        bool area_ch = i == 0, cat_ch = i == 0;
        if (above)
            date_field_or_ditto(c, &row->date, lb->date, dates[i], &above->date, dates[i - 1]);
        else
            date_field(c, &row->date, lb->date, dates[i], (era)-1);
        double x = lr_synth_rng_uniform(r);
        const char *code = NULL, *text, *value;
        if (i == 0) {
            static const ev firsts[] = {{"분할", "split"},        {"신규등록", "new_registration"},
                                        {"등록전환", "conversion"}, {"지목변경", "category_change"}};
            const ev *e = &firsts[lr_synth_rng_int(r, 0, 3)];
            text = e->raw;
            value = e->value;
        } else if (x < 0.45) {
            /* "분할되어 본번에 -5를 부함", ranges with 내지 (domain.md §5.1, §6.3). */
            int k = lr_synth_rng_chance(r, 0.35) ? lr_synth_rng_int(r, 1, 4) : 0;
            int last = next_sub + k;
            /* Korean reading of the last number: consonant ending → 을, vowel → 를. */
            static const bool consonant[10] = {true, true, false, true, false,
                                               false, true, true, true, false};
            bool cons = last % 10 ? consonant[last % 10] : true;
            if (k)
                snprintf(raw, sizeof raw, "분할되어 본번에 -%d내지 -%d%s 부함", next_sub, last,
                         cons ? "을" : "를");
            else
                snprintf(raw, sizeof raw, "분할되어 본번에 -%d%s 부함", next_sub,
                         cons ? "을" : "를");
            next_sub = last + 1;
            text = raw;
            value = "split";
            code = code_land_split;
            int64_t part = tenths * lr_synth_rng_int(r, 10, 60) / 100 / 10 * 10;
            if (part > 0 && tenths - part > 0)
                tenths -= part;
            area_ch = true;
        } else if (x < 0.6) {
            snprintf(raw, sizeof raw, "%d번과 합병", self.main + lr_synth_rng_int(r, 1, 5));
            text = raw;
            value = "merge";
            code = code_land_merge;
            tenths += tenths * lr_synth_rng_int(r, 10, 80) / 100 / 10 * 10;
            area_ch = true;
        } else if (x < 0.85) {
            text = "지목변경";
            value = "category_change";
            code = code_land_catchg;
            cat = modern_pick(r, cat);
            cat_ch = true;
        } else {
            text = "면적정정";
            value = "correction";
            tenths += (tenths / 50 / 10 + 1) * 10;
            area_ch = true;
        }
        if (code && lr_synth_rng_chance(r, 0.3)) {
            char coded[LR_SYNTH_TEXT_MAX] = "(";
            sappend(coded, sizeof coded, code);
            sappend(coded, sizeof coded, ") ");
            sappend(coded, sizeof coded, text);
            event_field(&row->event, lb->event, coded, value);
        } else {
            event_field(&row->event, lb->event, text, value);
        }
        if (above && !cat_ch && lr_synth_rng_chance(r, 0.2))
            ditto_field(r, &row->category, lb->category, &above->category);
        else
            field_set(&row->category, lb->category, modern_cats[cat].hangul, modern_cats[cat].code);
        if (above && !area_ch && lr_synth_rng_chance(r, 0.2))
            ditto_field(r, &row->area, lb->area, &above->area);
        else
            area_field_m2(r, &row->area, lb->area, tenths);
        if (i == 0 || lr_synth_rng_chance(r, 0.5)) {
            if (i) {
                int g = grade + lr_synth_rng_int(r, -10, 20);
                grade = g < 1 ? 1 : g;
            }
            char g[16];
            snprintf(g, sizeof g, "%d", grade);
            field_set(&row->grade, lb->grade, g, g);
        }
        s->n_land++;
    }

    /* Owners: 소유권보존 or 소유권이전 first; names in Hangul, sometimes still in Hanja. */
    int no = lr_synth_rng_int(r, 1, 6);
    ymd od[LR_SYNTH_MAX_ROWS];
    od[0] = date_between(r, (ymd){1976, 1, 1}, (ymd){1982, 12, 31});
    event_dates(r, date_add_days(od[0], 30), end, no - 1, od + 1);
    bool hanja_names = lr_synth_rng_chance(r, 0.3);
    char name[64], addr[LR_SYNTH_TEXT_MAX];
    if (hanja_names)
        name_korean_hanja(r, NULL, name, sizeof name);
    else
        name_korean_hangul(r, NULL, name, sizeof name);
    address_modern(r, addr, sizeof addr);
    for (int i = 0; i < no; i++) {
        lr_synth_owner_row *row = &s->owner[s->n_owner];
        const lr_synth_owner_row *above = i ? &s->owner[i - 1] : NULL;
        memset(row, 0, sizeof *row);
        const char *text, *value;
        bool addr_same = false, name_same = false;
        const char *code = NULL;
        double x = lr_synth_rng_uniform(r);
        if (i == 0) {
            bool pres = lr_synth_rng_chance(r, 0.5);
            text = pres ? "소유권보존" : "소유권이전";
            value = pres ? "preservation" : "transfer";
            code = pres ? "01" : "03";
        } else if (x < 0.55) {
            text = "소유권이전";
            value = "transfer";
            code = "03";
            if (hanja_names)
                name_korean_hanja(r, NULL, name, sizeof name);
            else
                name_korean_hangul(r, NULL, name, sizeof name);
            address_modern(r, addr, sizeof addr);
        } else if (x < 0.75) {
            text = "상속";
            value = "inheritance";
            char surname[8];
            first_char(name, surname, sizeof surname);
            if (hanja_names)
                name_korean_hanja(r, surname, name, sizeof name);
            else
                name_korean_hangul(r, surname, name, sizeof name);
            addr_same = true;
        } else if (x < 0.92) {
            text = "주소변경";
            value = "address_change";
            code = "11";
            address_modern(r, addr, sizeof addr);
            name_same = true;
        } else {
            text = "성명정정";
            value = "name_change";
            if (hanja_names)
                name_korean_hanja(r, NULL, name, sizeof name);
            else
                name_korean_hangul(r, NULL, name, sizeof name);
            addr_same = true;
        }
        if (above)
            date_field_or_ditto(c, &row->date, lb->odate, od[i], &above->date, od[i - 1]);
        else
            date_field(c, &row->date, lb->odate, od[i], (era)-1);
        if (code && lr_synth_rng_chance(r, 0.3)) {
            char coded[64];
            snprintf(coded, sizeof coded, "(%s) %s", code, text);
            event_field(&row->event, lb->oevent, coded, value);
        } else {
            event_field(&row->event, lb->oevent, text, value);
        }
        if (above && addr_same && lr_synth_rng_chance(r, 0.5))
            ditto_field(r, &row->address, lb->address, &above->address);
        else
            field_set(&row->address, lb->address, addr, addr);
        if (above && name_same && lr_synth_rng_chance(r, 0.5))
            ditto_field(r, &row->name, lb->name, &above->name);
        else
            field_set(&row->name, lb->name, name, name);
        /* 등록번호: birth date and a serial (synthetic, not a real person's number). */
        int yy = lr_synth_rng_int(r, 10, 55), mm = lr_synth_rng_int(r, 1, 12);
        int dd = lr_synth_rng_int(r, 1, 28), sex = lr_synth_rng_int(r, 1, 2);
        int serial = lr_synth_rng_int(r, 0, 999999);
        snprintf(row->extra, sizeof row->extra, "%02d%02d%02d-%d%06d", yy, mm, dd, sex, serial);
        s->n_owner++;
    }
}

/* 토지이동정리결의서 (1976–1993): one movement, the parcels before and after. */
static void make_movement(ctx *c, const lr_synth_volume *vol, int page)
{
    lr_synth_rng *r = c->r;
    lr_synth_sheet *s = c->s;
    c->h.date_form = lr_synth_rng_chance(r, 0.5) ? 2 : 0;
    const char *place = places_modern[vol->place % N_ELEMS(places_modern)];
    field_set(&s->location, "소재", place, place);
    sset(s->title, sizeof s->title, "토지이동정리결의서");
    lot self = lot_random(r, vol->base_lot + page - 1);
    char lval[32];
    lot_value(self, lval, sizeof lval);
    field_set(&s->lot, "지번", lval, lval);
    int cat = modern_pick(r, -1);
    int64_t tenths = (int64_t)lr_synth_rng_int(r, 60, 4000) * 10;
    area_field_m2(NULL, &s->area, "면적(㎡)", tenths);
    field_set(&s->category, "지목", modern_cats[cat].hangul, modern_cats[cat].code);
    snprintf(s->sheet_no, sizeof s->sheet_no, "제%d호", lr_synth_rng_int(r, 1, 2400));

    ymd t = date_between(r, (ymd){1976, 1, 5}, (ymd){1993, 12, 28});
    lr_synth_field date, event;
    date_field(c, &date, "결의일자", t, (era)-1);
    double x = lr_synth_rng_uniform(r);
    int n_after = 1;
    int64_t after_area[LR_SYNTH_MAX_ROWS];
    int after_cat[LR_SYNTH_MAX_ROWS];
    s->n_before = 1;
    if (x < 0.55) {
        field_set(&event, "이동사유", "분할", "split");
        n_after = lr_synth_rng_int(r, 2, 5);
        int64_t left = tenths;
        int sub = self.sub ? self.sub : 0;
        int next = sub + lr_synth_rng_int(r, 1, 8);
        for (int i = 0; i < n_after; i++) {
            int64_t a = i == n_after - 1 ? left : (left / (n_after - i)) / 10 * 10;
            if (i < n_after - 1 && a > 20)
                a = a * lr_synth_rng_int(r, 60, 140) / 100 / 10 * 10;
            if (a <= 0 || a >= left)
                a = i == n_after - 1 ? left : 10;
            after_area[i] = a;
            left -= a;
            after_cat[i] = cat;
            lot l = self;
            if (i > 0)
                l.sub = next++;
            lot_value(l, s->after_lot[i], sizeof s->after_lot[i]);
        }
    } else if (x < 0.7) {
        field_set(&event, "이동사유", "합병", "merge");
        int n_before = lr_synth_rng_int(r, 2, 3);
        int64_t total = tenths;
        for (int i = 1; i < n_before; i++) {
            lot l = {self.main, self.sub + i, false};
            int64_t a = (int64_t)lr_synth_rng_int(r, 30, 800) * 10;
            total += a;
            lot_value(l, s->before_lot[i], sizeof s->before_lot[i]);
            sset(s->before_cat[i], sizeof s->before_cat[i], modern_cats[cat].hangul);
            snprintf(s->before_area[i], sizeof s->before_area[i], "%lld", (long long)(a / 10));
        }
        s->n_before = n_before;
        after_area[0] = total;
        after_cat[0] = cat;
        sset(s->after_lot[0], sizeof s->after_lot[0], lval);
    } else if (x < 0.9) {
        field_set(&event, "이동사유", "지목변경", "category_change");
        after_area[0] = tenths;
        after_cat[0] = modern_pick(r, cat);
        sset(s->after_lot[0], sizeof s->after_lot[0], lval);
    } else {
        field_set(&event, "이동사유", "면적정정", "correction");
        after_area[0] = tenths + (tenths / 30 / 10 + 1) * 10 * (lr_synth_rng_chance(r, 0.5) ? 1 : -1);
        after_cat[0] = cat;
        sset(s->after_lot[0], sizeof s->after_lot[0], lval);
    }
    s->n_after = n_after;
    for (int i = 0; i < n_after; i++) {
        lr_synth_land_row *row = &s->land[i];
        memset(row, 0, sizeof *row);
        row->date = date;
        row->event = event;
        field_set(&row->category, "지목", modern_cats[after_cat[i]].hangul,
                  modern_cats[after_cat[i]].code);
        area_field_m2(NULL, &row->area, "면적(㎡)", after_area[i]);
    }
    s->n_land = n_after;
}

static void make_map(ctx *c, const lr_synth_volume *vol, int page)
{
    lr_synth_rng *r = c->r;
    lr_synth_sheet *s = c->s;
    s->modern = vol->modern;
    char buf[LR_SYNTH_TEXT_MAX];
    if (s->modern) {
        snprintf(buf, sizeof buf, "%s", places_modern[vol->place % N_ELEMS(places_modern)]);
        field_set(&s->location, "소재", buf, buf);
        sset(s->title, sizeof s->title, "지적도");
        snprintf(s->scale, sizeof s->scale, "1/%d", lr_synth_rng_chance(r, 0.7) ? 1200 : 600);
        snprintf(s->sheet_no, sizeof s->sheet_no, "%d", lr_synth_rng_int(r, 1, 40) + page - 1);
    } else {
        lr_synth_rng vr;
        lr_synth_rng_seed(&vr, (uint64_t)vol->place, 0, 0, 99);
        colonial_location_full(&vr, vol->place, buf, sizeof buf);
        field_set(&s->location, "所在", buf, buf);
        sset(s->title, sizeof s->title, "地籍圖");
        sset(s->scale, sizeof s->scale, lr_synth_rng_chance(r, 0.7) ? "千二百分之一" : "六百分之一");
        char n[16];
        lr_synth_numeral(lr_synth_rng_int(r, 1, 40) + page - 1, LR_SYNTH_NUM_ADDITIVE, false, n,
                         sizeof n);
        snprintf(s->sheet_no, sizeof s->sheet_no, "第%s號", n);
    }
    s->map_base_lot = vol->base_lot + (page - 1) * 40;
    s->map_category_bias = colonial_places[vol->place % N_ELEMS(colonial_places)].town ? 0 : 1;
}

void lr_synth_map_label(const lr_synth_sheet *sheet, int lot_main, int lot_sub, int cat,
                        lr_synth_parcel *out_parcel)
{
    if (!out_parcel)
        return;
    memset(out_parcel, 0, sizeof *out_parcel);
    if (!sheet || cat < 0 || cat >= N_ELEMS(map_cats))
        return;
    lot l = {lot_main, lot_sub, false};
    char v[32];
    lot_value(l, v, sizeof v);
    /* Labels on maps are Arabic with the category initial: "123-4垈" / "5-1대" [I]. */
    field_set(&out_parcel->lot, "", v, v);
    field_set(&out_parcel->category, "", sheet->modern ? map_cats[cat].hangul : map_cats[cat].hanja,
              map_cats[cat].code);
}

int lr_synth_map_pick_category(const lr_synth_sheet *sheet, lr_synth_rng *r)
{
    double w[N_ELEMS(map_cats)];
    for (int i = 0; i < N_ELEMS(map_cats); i++)
        w[i] = sheet->map_category_bias ? map_cats[i].w_farm : map_cats[i].w_urban;
    return lr_synth_rng_weighted(r, w, N_ELEMS(map_cats));
}

void lr_synth_volume_make(lr_synth_doc doc, lr_synth_rng *rng, lr_synth_volume *out_vol)
{
    if (!out_vol)
        return;
    memset(out_vol, 0, sizeof *out_vol);
    out_vol->place = lr_synth_rng_int(rng, 0, 1000);
    out_vol->base_lot = lr_synth_rng_int(rng, 1, doc == LR_SYNTH_FOREST ? 300 : 900);
    out_vol->modern = lr_synth_rng_chance(rng, 0.5);
}

void lr_synth_content_make(lr_synth_doc doc, const lr_synth_volume *vol, int page,
                           lr_synth_rng *rng, lr_synth_sheet *out_sheet)
{
    if (!out_sheet)
        return;
    memset(out_sheet, 0, sizeof *out_sheet);
    if (!vol || !rng || doc < 0 || doc >= LR_SYNTH_NDOC)
        return;
    ctx c;
    memset(&c, 0, sizeof c);
    c.r = rng;
    c.s = out_sheet;
    c.lb = &hanja_labels;
    out_sheet->doc = doc;
    switch (doc) {
    case LR_SYNTH_LAND: make_colonial(&c, vol, page); break;
    case LR_SYNTH_FOREST:
        c.forest = true;
        make_colonial(&c, vol, page);
        break;
    case LR_SYNTH_LAND1950: make_1950(&c, vol, page); break;
    case LR_SYNTH_CARD1975:
        out_sheet->modern = true;
        c.lb = &card_labels;
        make_card(&c, vol, page);
        break;
    case LR_SYNTH_MOVEMENT:
        out_sheet->modern = true;
        make_movement(&c, vol, page);
        break;
    case LR_SYNTH_MAP: make_map(&c, vol, page); break;
    default: break;
    }
}
