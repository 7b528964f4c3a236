/* test_truth.c — the truth contract of landrec-synth (docs/synthetic.md), checked on a
 * generated corpus with parsers written here, independently of the generator:
 *   every key with the right type and format (regexes on the normalised values);
 *   each value recomputed from its raw text: Hanja numerals (positional, additive, formal,
 *   廿/卅, 元), era dates (switch days, 檀紀, 西紀, dotted forms), lots (ノ, 의, -, 산),
 *   areas (坪合勺 and 町段畝步 to m² by 400/121, ㎡), categories (domain.md §2.5 table and the
 *   categories valid in each era), events, grades; ditto marks resolve to the row above;
 *   dates exist and ascend down each block; names and addresses are NFC;
 *   boxes lie on the upright page, every field is one of the lines with the same box, the
 *   full text is the lines joined, marks point at fields that carry them;
 *   the corpus holds the hard cases (元年, a switch day, formal numerals, 廿/卅, ditto, red
 *   ink, struck entries, 乃至/내지, 산 lots, vertical lines);
 *   and the committed samples in testdata/synth/ follow the contract too. */
#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <utf8proc.h>

#include "synth_test.h"

static const char *exe;

/* ------------------------------------------------------------------------------------------ */
/* UTF-8                                                                                      */

/* Code points of s into cp (at most max); returns their number. */
static int decode(const char *s, uint32_t *cp, int max)
{
    int n = 0;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (len > 0 && n < max) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, len, &c);
        if (k <= 0)
            return -1;
        cp[n++] = (uint32_t)c;
        p += k;
        len -= k;
    }
    return n;
}

static bool is_nfc(const char *s)
{
    utf8proc_uint8_t *n = utf8proc_NFC((const utf8proc_uint8_t *)s);
    bool same = n && strcmp((const char *)n, s) == 0;
    free(n);
    return same;
}

/* ------------------------------------------------------------------------------------------ */
/* Numerals (domain.md §4.2)                                                                  */

static int digit_of(uint32_t c)
{
    switch (c) {
    case 0x3007: case 0x25cb: case 0x96f6: return 0;               /* 〇 ○ 零 */
    case 0x4e00: case 0x58f9: case 0x58f1: return 1;               /* 一 壹 壱 */
    case 0x4e8c: case 0x8cb3: case 0x5f10: return 2;               /* 二 貳 弐 */
    case 0x4e09: case 0x53c3: case 0x53c2: return 3;               /* 三 參 参 */
    case 0x56db: case 0x8086: return 4;                            /* 四 肆 */
    case 0x4e94: case 0x4f0d: return 5;                            /* 五 伍 */
    case 0x516d: case 0x9678: return 6;                            /* 六 陸 */
    case 0x4e03: case 0x67d2: case 0x6f06: return 7;               /* 七 柒 漆 */
    case 0x516b: case 0x634c: return 8;                            /* 八 捌 */
    case 0x4e5d: case 0x7396: return 9;                            /* 九 玖 */
    default: return c >= '0' && c <= '9' ? (int)(c - '0') : -1;
    }
}

static int unit_of(uint32_t c)
{
    switch (c) {
    case 0x5341: case 0x62fe: case 0x4ec0: return 10;   /* 十 拾 什 */
    case 0x767e: case 0x4f70: return 100;               /* 百 佰 */
    case 0x5343: case 0x4edf: return 1000;              /* 千 仟 */
    case 0x842c: case 0x4e07: return 10000;             /* 萬 万 */
    default: return 0;
    }
}

/* Value of cp[0 … n-1] as a number in any of the written styles; -1 if it is not one. */
static long numeral(const uint32_t *cp, int n)
{
    if (n <= 0)
        return -1;
    if (n == 1 && cp[0] == 0x5143) /* 元 (元年) */
        return 1;
    bool positional = true;
    for (int i = 0; i < n; i++)
        if (digit_of(cp[i]) < 0)
            positional = false;
    if (positional) {
        long v = 0;
        for (int i = 0; i < n; i++)
            v = v * 10 + digit_of(cp[i]);
        return v;
    }
    long total = 0, cur = -1;
    for (int i = 0; i < n; i++) {
        int d = digit_of(cp[i]), u = unit_of(cp[i]);
        if (cp[i] == 0x5eff || cp[i] == 0x5345) { /* 廿 卅 */
            if (cur >= 0)
                return -1;
            total += cp[i] == 0x5eff ? 20 : 30;
        } else if (d >= 0) {
            if (cur >= 0)
                return -1;
            cur = d;
        } else if (u) {
            total += (cur < 0 ? 1 : cur) * u;
            cur = -1;
        } else {
            return -1;
        }
    }
    return total + (cur < 0 ? 0 : cur);
}

static long numeral_str(const char *s)
{
    uint32_t cp[64];
    return numeral(cp, decode(s, cp, 64));
}

/* ------------------------------------------------------------------------------------------ */
/* Dates (domain.md §4.1)                                                                     */

typedef struct ymd {
    int y, m, d;
} ymd;

static bool date_exists(ymd t)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (t.m < 1 || t.m > 12 || t.d < 1)
        return false;
    bool leap = (t.y % 4 == 0 && t.y % 100 != 0) || t.y % 400 == 0;
    return t.d <= md[t.m - 1] + (t.m == 2 && leap);
}

static long ord(ymd t)
{
    return t.y * 10000L + t.m * 100 + t.d;
}

static const struct {
    uint32_t a, b; /* the era's two characters */
    int offset;
    ymd from, to; /* both ends inclusive: switch days belong to both eras */
} eras[] = {
    {0x660e, 0x6cbb, 1867, {1868, 1, 25}, {1912, 7, 30}},   /* 明治 */
    {0x5927, 0x6b63, 1911, {1912, 7, 30}, {1926, 12, 25}},  /* 大正 */
    {0x662d, 0x548c, 1925, {1926, 12, 25}, {1945, 8, 15}},  /* 昭和 */
    {0x6a80, 0x7d00, -2333, {1948, 9, 25}, {1961, 12, 31}}, /* 檀紀 */
    {0x897f, 0x7d00, 0, {1945, 8, 15}, {2100, 1, 1}},       /* 西紀 */
};

/* Splits "…年…月…日" / "…년 …월 …일" into three numbers. */
static bool ymd_words(const uint32_t *cp, int n, long *y, long *m, long *d)
{
    int parts[3] = {-1, -1, -1}, k = 0;
    for (int i = 0; i < n && k < 3; i++)
        if (cp[i] == 0x5e74 || cp[i] == 0xb144 || cp[i] == 0x6708 || cp[i] == 0xc6d4 ||
            cp[i] == 0x65e5 || cp[i] == 0xc77c)
            parts[k++] = i;
    if (k != 3 || parts[2] != n - 1)
        return false;
    uint32_t buf[64];
    int b = 0;
    long *out[3] = {y, m, d};
    int start = 0;
    for (int j = 0; j < 3; j++) {
        b = 0;
        for (int i = start; i < parts[j]; i++)
            if (cp[i] != ' ')
                buf[b++] = cp[i];
        *out[j] = numeral(buf, b);
        start = parts[j] + 1;
    }
    return *y >= 0 && *m >= 0 && *d >= 0;
}

/* Parses a written date; *out_era_ok says whether it lies inside its era. */
static bool parse_date(const char *raw, ymd *out, bool *out_era_ok)
{
    uint32_t cp[64];
    int n = decode(raw, cp, 64);
    *out_era_ok = true;
    if (n < 3)
        return false;
    for (size_t e = 0; e < sizeof eras / sizeof eras[0]; e++) {
        if (cp[0] == eras[e].a && cp[1] == eras[e].b) {
            long y, m, d;
            if (ymd_words(cp + 2, n - 2, &y, &m, &d))
                *out = (ymd){(int)y + eras[e].offset, (int)m, (int)d};
            else { /* 檀紀4289.5.3 does not occur; dotted only with 檀 */
                return false;
            }
            *out_era_ok = ord(*out) >= ord(eras[e].from) && ord(*out) <= ord(eras[e].to);
            return true;
        }
    }
    /* 檀4289.5.3, 4289.5.3, 1976. 3. 2., 76.3.2, 1976년 3월 2일, 一九六五年三月二日 */
    bool dangi = cp[0] == 0x6a80;
    int start = dangi ? 1 : 0;
    long y, m, d;
    if (ymd_words(cp + start, n - start, &y, &m, &d)) {
        /* 1976년 3월 2일 or positional Hanja years */
    } else {
        long v[3] = {0, 0, 0};
        int k = 0;
        bool digit = false;
        for (int i = start; i < n; i++) {
            if (cp[i] >= '0' && cp[i] <= '9') {
                if (k > 2)
                    return false;
                v[k] = v[k] * 10 + (long)(cp[i] - '0');
                digit = true;
            } else if (cp[i] == '.') {
                if (digit)
                    k++;
                digit = false;
            } else if (cp[i] != ' ') {
                return false;
            }
        }
        if (digit)
            k++;
        if (k != 3)
            return false;
        y = v[0], m = v[1], d = v[2];
        if (y < 100)
            y += 1900;
    }
    if (y > 4000) { /* a 檀紀 year (law 775 부칙: minus 2333) */
        y -= 2333;
        *out = (ymd){(int)y, (int)m, (int)d};
        *out_era_ok = ord(*out) >= ord(eras[3].from) && ord(*out) <= ord(eras[3].to);
    } else {
        *out = (ymd){(int)y, (int)m, (int)d};
        *out_era_ok = !dangi && y >= 1945;
    }
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Lots, areas, categories, events                                                            */

/* Expected value of a written lot: 一二三ノ四 / 123의4 / 123-4 / 산123-4. */
static bool lot_value(const char *raw, bool forest, char *out, size_t size)
{
    uint32_t cp[64];
    int n = decode(raw, cp, 64);
    if (n <= 0)
        return false;
    int start = 0;
    bool san = forest;
    if (cp[0] == 0xc0b0 || cp[0] == 0x5c71) { /* 산 山 */
        san = true;
        start = 1;
    }
    int sep = -1;
    for (int i = start; i < n; i++)
        if (cp[i] == 0x30ce || cp[i] == 0xc758 || cp[i] == '-')
            sep = i;
    long main_no = numeral(cp + start, (sep < 0 ? n : sep) - start);
    long sub = sep < 0 ? 0 : numeral(cp + sep + 1, n - sep - 1);
    if (main_no <= 0 || sub < 0)
        return false;
    if (sub)
        snprintf(out, size, "%s%ld-%ld", san ? "산" : "", main_no, sub);
    else
        snprintf(out, size, "%s%ld", san ? "산" : "", main_no);
    return true;
}

/* m² with two decimals from a written area, by double arithmetic (not the generator's
 * integer rounding): 坪合勺 and 町段畝步 at 400/121 m² per 坪/步, or ㎡ as written. */
static bool area_value(const char *raw, char *out, size_t size)
{
    uint32_t cp[64];
    int n = decode(raw, cp, 64);
    if (n <= 0)
        return false;
    double tsubo = 0;
    bool units = false, metric = true;
    int start = 0;
    for (int i = 0; i < n; i++) {
        double mult = 0;
        switch (cp[i]) {
        case 0x576a: mult = 1; break;     /* 坪 */
        case 0x5408: mult = 0.1; break;   /* 合 */
        case 0x52fa: mult = 0.01; break;  /* 勺 */
        case 0x753a: mult = 3000; break;  /* 町 */
        case 0x6bb5: mult = 300; break;   /* 段 */
        case 0x755d: mult = 30; break;    /* 畝 */
        case 0x6b65: mult = 1; break;     /* 步 */
        default: break;
        }
        if (mult == 0)
            continue;
        units = true;
        metric = false;
        long v = i > start ? numeral(cp + start, i - start) : 0; /* trailing 步: exact */
        if (v < 0)
            return false;
        tsubo += v * mult;
        start = i + 1;
    }
    if (units) {
        if (start != n)
            return false;
        snprintf(out, size, "%.2f", tsubo * 400.0 / 121.0);
        return true;
    }
    if (metric) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", raw);
        char *unit = strstr(buf, "㎡");
        if (unit)
            *unit = '\0';
        char *end = NULL;
        double v = strtod(buf, &end);
        if (!end || *end || end == buf)
            return false;
        snprintf(out, size, "%.2f", v);
        return true;
    }
    return false;
}

/* Historical (as written) and modern categories with their codes (domain.md §2.5, §2.4). */
static const struct cat {
    const char *name, *code;
    int era; /* 0 colonial and later, 3 group 3 (not in the colonial ledger), 50 from 1950, 76 card */
} cats[] = {
    {"田", "01", 0},      {"畓", "02", 0},      {"垈", "08", 0},      {"池沼", "19", 0},
    {"林野", "05", 0},    {"雜種地", "28", 0},  {"社寺地", "25", 0},  {"墳墓地", "27", 0},
    {"公園地", "22", 0},  {"鐵道用地", "15", 0}, {"水道用地", "21", 0}, {"道路", "14", 3},
    {"河川", "17", 3},    {"溝渠", "18", 3},    {"堤防", "16", 3},    {"城堞", "26", 3},
    {"鐵道線路", "15", 3}, {"水道線路", "21", 3}, {"鹽田", "07", 50},   {"鑛泉地", "06", 50},
    {"溜池", "19", 50},   {"전", "01", 76},     {"답", "02", 76},     {"과수원", "03", 76},
    {"목장용지", "04", 76}, {"임야", "05", 76},  {"광천지", "06", 76},  {"염전", "07", 76},
    {"대", "08", 76},     {"공장용지", "09", 76}, {"학교용지", "10", 76}, {"도로", "14", 76},
    {"철도용지", "15", 76}, {"제방", "16", 76},  {"하천", "17", 76},   {"구거", "18", 76},
    {"유지", "19", 76},   {"수도용지", "21", 76}, {"공원", "22", 76},   {"운동장", "23", 76},
    {"유원지", "24", 76}, {"종교용지", "25", 76}, {"사적지", "26", 76}, {"묘지", "27", 76},
    {"잡종지", "28", 76},
};

/* One-character map labels. */
static const struct cat map_cats[] = {
    {"垈", "08", 0}, {"田", "01", 0}, {"畓", "02", 0}, {"林", "05", 0}, {"雜", "28", 0},
    {"池", "19", 0}, {"墳", "27", 0}, {"社", "25", 0}, {"대", "08", 0}, {"전", "01", 0},
    {"답", "02", 0}, {"임", "05", 0}, {"잡", "28", 0}, {"유", "19", 0}, {"묘", "27", 0},
    {"종", "25", 0},
};

static const struct cat *find_cat(const struct cat *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}

static const char *const events[] = {
    "assessment", "split", "merge", "category_change", "new_registration", "conversion",
    "correction", "transfer", "preservation", "inheritance", "address_change", "name_change",
    "other"};

/* The event a written cause means, by its key words. */
static const char *event_of(const char *raw)
{
    static const struct {
        const char *word, *event;
    } words[] = {
        {"査定", "assessment"},        {"分割", "split"},          {"分筆", "split"},
        {"분할", "split"},             {"合倂", "merge"},          {"合筆", "merge"},
        {"합병", "merge"},             {"地目變", "category_change"}, {"지목변경", "category_change"},
        {"성명정정", "name_change"},   {"訂正", "correction"},     {"정정", "correction"},
        {"所有權移轉", "transfer"},    {"賣買", "transfer"},       {"소유권이전", "transfer"},
        {"相續", "inheritance"},       {"상속", "inheritance"},    {"住所變更", "address_change"},
        {"주소변경", "address_change"}, {"氏名變更", "name_change"}, {"改名", "name_change"},
        {"所有權保存", "preservation"}, {"소유권보존", "preservation"},
        {"新規登錄", "new_registration"}, {"신규등록", "new_registration"},
        {"登錄轉換", "conversion"},    {"등록전환", "conversion"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(raw, words[i].word))
            return words[i].event;
    return "other";
}

static bool is_ditto(const char *raw)
{
    return strcmp(raw, "〃") == 0 || strcmp(raw, "仝") == 0 || strcmp(raw, "同") == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Checks                                                                                     */

static regex_t re_lot, re_cat, re_area, re_date, re_int;

static bool match(regex_t *re, const char *s)
{
    return s && regexec(re, s, 0, NULL, 0) == 0;
}

typedef struct corpus_stats {
    int sheets, fields, gannen, switch_day, formal, nian, ditto, red, struck, range, san,
        parcels, vertical_lines;
} corpus_stats;

typedef struct sheet_ctx {
    const char *name;
    json_t *t;
    int up_w, up_h;
    const char *doc;
    corpus_stats *st;
} sheet_ctx;

static bool box_ok(const sheet_ctx *c, json_t *box)
{
    if (!json_is_array(box) || json_array_size(box) != 4)
        return false;
    long b[4];
    for (int i = 0; i < 4; i++) {
        if (!json_is_integer(json_array_get(box, i)))
            return false;
        b[i] = (long)json_integer_value(json_array_get(box, i));
    }
    return b[0] >= 0 && b[1] >= 0 && b[0] < b[2] && b[1] < b[3] && b[2] <= c->up_w &&
           b[3] <= c->up_h;
}

/* Whether a line with this text and box exists. */
static bool has_line(const sheet_ctx *c, const char *text, json_t *box)
{
    json_t *lines = json_object_get(c->t, "lines");
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) {
        if (strcmp(jstr(l, "text"), text) == 0 && json_equal(json_object_get(l, "box"), box))
            return true;
    }
    return false;
}

static bool has_mark(const sheet_ctx *c, const char *kind, const char *path)
{
    json_t *marks = json_object_get(c->t, "marks");
    size_t i;
    json_t *m;
    json_array_foreach(marks, i, m) {
        if (strcmp(jstr(m, "kind"), kind) == 0 && strcmp(jstr(m, "field"), path) == 0)
            return true;
    }
    return false;
}

typedef enum kind { K_LOCATION, K_LOT, K_CATEGORY, K_AREA, K_GRADE, K_DATE, K_EVENT, K_TEXT } kind;

/* One field F: shape, formats, and its value recomputed from raw. above: the same field in
 * the row above (for ditto marks), or NULL. with_line: the field must be one of the lines. */
static void check_field(sheet_ctx *c, json_t *f, const char *path, kind k, json_t *above,
                        bool with_line, ymd *out_date, bool *out_dated)
{
    if (out_dated)
        *out_dated = false;
    if (json_is_null(f))
        return;
    c->st->fields++;
    CHECKF(json_is_object(f), "%s %s: not an object or null", c->name, path);
    const char *raw = jstr(f, "raw");
    json_t *value = json_object_get(f, "value");
    json_t *label = json_object_get(f, "label");
    CHECKF(raw && *raw, "%s %s: raw missing", c->name, path);
    CHECKF(value && (json_is_string(value) || json_is_null(value)), "%s %s: value", c->name, path);
    CHECKF(label && (json_is_string(label) || json_is_null(label)), "%s %s: label", c->name, path);
    CHECKF(box_ok(c, json_object_get(f, "box")), "%s %s: box off the upright page", c->name,
           path);
    if (!raw || !value || !json_is_string(value))
        return;
    const char *v = json_string_value(value);
    CHECKF(is_nfc(raw) && is_nfc(v), "%s %s: not NFC", c->name, path);
    if (with_line)
        CHECKF(has_line(c, raw, json_object_get(f, "box")), "%s %s: no line \"%s\" with its box",
               c->name, path, raw);
    bool ditto = is_ditto(raw);
    CHECKF(ditto == has_mark(c, "ditto", path), "%s %s: ditto mark and raw \"%s\" disagree",
           c->name, path, raw);
    if (ditto) {
        c->st->ditto++;
        const char *prev = above && json_is_object(above) ? jstr(above, "value") : NULL;
        CHECKF(prev && strcmp(prev, v) == 0, "%s %s: ditto value %s is not the row above's %s",
               c->name, path, v, prev ? prev : "(none)");
    }
    char want[128];
    switch (k) {
    case K_LOT:
        CHECKF(match(&re_lot, v), "%s %s: lot value \"%s\"", c->name, path, v);
        CHECKF(lot_value(raw, strcmp(c->doc, "forest_ledger") == 0, want, sizeof want) &&
                   strcmp(want, v) == 0,
               "%s %s: lot \"%s\" is %s, truth says %s", c->name, path, raw, want, v);
        if (strncmp(v, "산", strlen("산")) == 0)
            c->st->san++;
        break;
    case K_AREA:
        CHECKF(match(&re_area, v), "%s %s: area value \"%s\"", c->name, path, v);
        if (!ditto)
            CHECKF(area_value(raw, want, sizeof want) && strcmp(want, v) == 0,
                   "%s %s: area \"%s\" is %s m², truth says %s", c->name, path, raw, want, v);
        break;
    case K_CATEGORY: {
        CHECKF(match(&re_cat, v), "%s %s: category value \"%s\"", c->name, path, v);
        if (ditto)
            break;
        const struct cat *ct = strcmp(c->doc, "map_fragment") == 0
                                   ? find_cat(map_cats, sizeof map_cats / sizeof map_cats[0], raw)
                                   : find_cat(cats, sizeof cats / sizeof cats[0], raw);
        CHECKF(ct && strcmp(ct->code, v) == 0, "%s %s: category \"%s\" → %s, truth says %s",
               c->name, path, raw, ct ? ct->code : "?", v);
        if (!ct)
            break;
        bool modern = strcmp(c->doc, "card_1975") == 0 || strcmp(c->doc, "movement_resolution") == 0;
        if (modern)
            CHECKF(ct->era == 76, "%s %s: %s is not a 1976 category", c->name, path, raw);
        else if (strcmp(c->doc, "land_ledger") == 0 || strcmp(c->doc, "forest_ledger") == 0)
            CHECKF(ct->era == 0, "%s %s: %s not in a colonial 土地臺帳", c->name, path, raw);
        else if (strcmp(c->doc, "land_ledger_1950") == 0)
            CHECKF(ct->era == 0 || ct->era == 3 || ct->era == 50, "%s %s: %s not of 1950",
                   c->name, path, raw);
        break;
    }
    case K_GRADE:
        CHECKF(match(&re_int, v), "%s %s: grade value \"%s\"", c->name, path, v);
        if (!ditto)
            CHECKF(numeral_str(raw) == atol(v), "%s %s: grade \"%s\" is %ld, truth says %s",
                   c->name, path, raw, numeral_str(raw), v);
        break;
    case K_DATE: {
        CHECKF(match(&re_date, v), "%s %s: date value \"%s\"", c->name, path, v);
        ymd t = {0, 0, 0};
        if (sscanf(v, "%d-%d-%d", &t.y, &t.m, &t.d) == 3) {
            CHECKF(date_exists(t), "%s %s: %s does not exist", c->name, path, v);
            if (out_date)
                *out_date = t, *out_dated = true;
        }
        if (ditto)
            break;
        ymd p;
        bool era_ok = false;
        bool parsed = parse_date(raw, &p, &era_ok);
        CHECKF(parsed, "%s %s: cannot read the date \"%s\"", c->name, path, raw);
        if (parsed) {
            snprintf(want, sizeof want, "%04d-%02d-%02d", p.y, p.m, p.d);
            CHECKF(strcmp(want, v) == 0, "%s %s: \"%s\" is %s, truth says %s", c->name, path,
                   raw, want, v);
            CHECKF(era_ok, "%s %s: \"%s\" outside its era", c->name, path, raw);
        }
        if (strstr(raw, "元年"))
            c->st->gannen++;
        if (strcmp(v, "1912-07-30") == 0 || strcmp(v, "1926-12-25") == 0)
            c->st->switch_day++;
        if (strstr(raw, "壹") || strstr(raw, "貳") || strstr(raw, "參") || strstr(raw, "拾"))
            c->st->formal++;
        if (strstr(raw, "廿") || strstr(raw, "卅"))
            c->st->nian++;
        break;
    }
    case K_EVENT: {
        bool known = false;
        for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
            if (strcmp(events[i], v) == 0)
                known = true;
        CHECKF(known, "%s %s: unknown event \"%s\"", c->name, path, v);
        CHECKF(strcmp(event_of(raw), v) == 0, "%s %s: \"%s\" means %s, truth says %s", c->name,
               path, raw, event_of(raw), v);
        if (strstr(raw, "乃至") || strstr(raw, "내지"))
            c->st->range++;
        break;
    }
    default:
        if (!ditto)
            CHECKF(strcmp(raw, v) == 0, "%s %s: value \"%s\" is not as written \"%s\"", c->name,
                   path, v, raw);
        break;
    }
}

/* Land and owner rows: every cell, dates ascending down the block. */
static void check_rows(sheet_ctx *c, const char *block, const char *const *cols, const kind *kinds,
                       int ncols, bool with_line)
{
    json_t *rows = json_object_get(json_object_get(c->t, "fields"), block);
    CHECKF(json_is_array(rows), "%s: %s is not an array", c->name, block);
    ymd last = {0, 0, 0};
    bool have_last = false;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *above = i ? json_array_get(rows, i - 1) : NULL;
        for (int k = 0; k < ncols; k++) {
            char path[96];
            snprintf(path, sizeof path, "%s[%zu].%s", block, i, cols[k]);
            CHECKF(json_object_get(row, cols[k]) != NULL, "%s: %s missing", c->name, path);
            ymd t;
            bool dated = false;
            check_field(c, json_object_get(row, cols[k]), path, kinds[k],
                        above ? json_object_get(above, cols[k]) : NULL, with_line, &t, &dated);
            if (dated) {
                CHECKF(!have_last || ord(t) >= ord(last), "%s %s: dates go backwards", c->name,
                       path);
                last = t;
                have_last = true;
            }
        }
    }
}

static void check_sheet(sheet_ctx *c)
{
    json_t *t = c->t;
    c->st->sheets++;
    static const char *const top[] = {"format", "generator", "seed",  "image",    "page",
                                      "pages",  "doc_type",  "width", "height",   "dpi",
                                      "colour", "orientation", "skew", "degradations", "text",
                                      "lines",  "fields",    "marks"};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
        CHECKF(json_object_get(t, top[i]) != NULL, "%s: key %s missing", c->name, top[i]);
    CHECK(strcmp(jstr(t, "format"), "landrec-synth/1") == 0);
    CHECK(strncmp(jstr(t, "generator"), "landrec-synth ", 14) == 0);
    static const char *const docs[] = {"land_ledger", "forest_ledger", "land_ledger_1950",
                                       "card_1975", "movement_resolution", "map_fragment"};
    bool doc_ok = false;
    for (size_t i = 0; i < 6; i++)
        doc_ok |= strcmp(c->doc, docs[i]) == 0;
    CHECKF(doc_ok, "%s: doc_type %s", c->name, c->doc);
    const char *colour = jstr(t, "colour");
    CHECK(colour && (strcmp(colour, "bitonal") == 0 || strcmp(colour, "grey") == 0 ||
                     strcmp(colour, "rgb") == 0));
    json_int_t orient = json_integer_value(json_object_get(t, "orientation"));
    CHECK(orient == 0 || orient == 90 || orient == 180 || orient == 270);
    CHECK(json_is_number(json_object_get(t, "skew")) &&
          fabs(json_number_value(json_object_get(t, "skew"))) <= 10);
    json_t *deg = json_object_get(t, "degradations");
    static const char *const dk[] = {"yellow", "uneven_light", "stains", "bleed",
                                     "blur",   "noise",        "contrast"};
    for (size_t i = 0; i < sizeof dk / sizeof dk[0]; i++)
        CHECKF(json_is_number(json_object_get(deg, dk[i])), "%s: degradations.%s", c->name, dk[i]);
    json_t *jq = json_object_get(deg, "jpeg_quality");
    CHECK(jq && (json_is_null(jq) || (json_is_integer(jq) && json_integer_value(jq) >= 1 &&
                                      json_integer_value(jq) <= 100)));
    CHECK(json_integer_value(json_object_get(t, "page")) >= 1 &&
          json_integer_value(json_object_get(t, "page")) <=
              json_integer_value(json_object_get(t, "pages")));

    /* Lines: text, box, script; the full text is the lines joined. */
    json_t *lines = json_object_get(t, "lines");
    size_t i;
    json_t *l;
    size_t len = 0;
    json_array_foreach(lines, i, l) len += strlen(jstr(l, "text")) + 1;
    char *joined = calloc(1, len + 1);
    json_array_foreach(lines, i, l) {
        const char *s = jstr(l, "text"), *sc = jstr(l, "script");
        if (i)
            strcat(joined, "\n");
        strcat(joined, s);
        CHECKF(box_ok(c, json_object_get(l, "box")), "%s: line %zu box", c->name, i);
        CHECK(sc && (strcmp(sc, "hangul") == 0 || strcmp(sc, "hanja") == 0 ||
                     strcmp(sc, "digits") == 0 || strcmp(sc, "mixed") == 0));
        CHECKF(is_nfc(s), "%s: line %zu not NFC", c->name, i);
        json_t *b = json_object_get(l, "box");
        long bw = (long)(json_integer_value(json_array_get(b, 2)) - json_integer_value(json_array_get(b, 0)));
        long bh = (long)(json_integer_value(json_array_get(b, 3)) - json_integer_value(json_array_get(b, 1)));
        if (bh > 3 * bw && strlen(s) >= 9)
            c->st->vertical_lines++;
    }
    CHECKF(strcmp(joined, jstr(t, "text")) == 0, "%s: text is not the lines joined", c->name);
    free(joined);

    /* Fields. */
    json_t *fields = json_object_get(t, "fields");
    static const char *const fk[] = {"location", "lot", "category", "area", "grade",
                                     "land_history", "owner_history"};
    for (size_t k = 0; k < sizeof fk / sizeof fk[0]; k++)
        CHECKF(json_object_get(fields, fk[k]) != NULL, "%s: fields.%s missing", c->name, fk[k]);
    bool movement = strcmp(c->doc, "movement_resolution") == 0;
    check_field(c, json_object_get(fields, "location"), "location", K_LOCATION, NULL, true, NULL, NULL);
    check_field(c, json_object_get(fields, "lot"), "lot", K_LOT, NULL, true, NULL, NULL);
    check_field(c, json_object_get(fields, "category"), "category", K_CATEGORY, NULL, true, NULL, NULL);
    check_field(c, json_object_get(fields, "area"), "area", K_AREA, NULL, true, NULL, NULL);
    check_field(c, json_object_get(fields, "grade"), "grade", K_GRADE, NULL, true, NULL, NULL);
    CHECKF(!json_is_null(json_object_get(fields, "location")), "%s: no location", c->name);
    static const char *const lcols[] = {"date", "event", "category", "area", "grade"};
    static const kind lkinds[] = {K_DATE, K_EVENT, K_CATEGORY, K_AREA, K_GRADE};
    check_rows(c, "land_history", lcols, lkinds, 5, !movement);
    static const char *const ocols[] = {"date", "event", "address", "name"};
    static const kind okinds[] = {K_DATE, K_EVENT, K_TEXT, K_TEXT};
    check_rows(c, "owner_history", ocols, okinds, 4, true);
    bool ledger = !movement && strcmp(c->doc, "map_fragment") != 0;
    if (ledger) {
        CHECKF(!json_is_null(json_object_get(fields, "lot")), "%s: ledger without lot", c->name);
        CHECKF(json_array_size(json_object_get(fields, "land_history")) >= 1 &&
                   json_array_size(json_object_get(fields, "owner_history")) >= 1,
               "%s: ledger without rows", c->name);
    }

    /* Marks point at fields that exist and carry them. */
    json_t *marks = json_object_get(t, "marks");
    json_t *m;
    json_array_foreach(marks, i, m) {
        const char *kind = jstr(m, "kind"), *path = jstr(m, "field");
        CHECK(kind && (strcmp(kind, "red_ink") == 0 || strcmp(kind, "ditto") == 0 ||
                       strcmp(kind, "struck") == 0));
        CHECKF(box_ok(c, json_object_get(m, "box")), "%s: mark %zu box", c->name, i);
        if (!kind || !path)
            continue;
        if (strcmp(kind, "red_ink") == 0)
            c->st->red++;
        if (strcmp(kind, "struck") == 0)
            c->st->struck++;
        char block[32], col[32];
        unsigned idx;
        json_t *target = NULL;
        if (sscanf(path, "%31[a-z_][%u].%31s", block, &idx, col) == 3)
            target = json_object_get(json_array_get(json_object_get(fields, block), idx), col);
        else
            target = json_object_get(fields, path);
        CHECKF(target && json_is_object(target), "%s: mark on missing field %s", c->name, path);
        if (target && json_is_object(target))
            CHECKF(json_equal(json_object_get(target, "box"), json_object_get(m, "box")),
                   "%s: mark box is not the box of %s", c->name, path);
    }

    /* Map fragments: the labelled parcels. */
    if (strcmp(c->doc, "map_fragment") == 0) {
        json_t *parcels = json_object_get(t, "parcels");
        CHECKF(json_array_size(parcels) >= 5, "%s: only %zu parcels", c->name,
               json_array_size(parcels));
        json_t *p;
        json_array_foreach(parcels, i, p) {
            char path[64];
            snprintf(path, sizeof path, "parcels[%zu].lot", i);
            check_field(c, json_object_get(p, "lot"), path, K_LOT, NULL, false, NULL, NULL);
            snprintf(path, sizeof path, "parcels[%zu].category", i);
            check_field(c, json_object_get(p, "category"), path, K_CATEGORY, NULL, false, NULL,
                        NULL);
            c->st->parcels++;
        }
    }
}

static void check_corpus(const char *dir, corpus_stats *st)
{
    json_t *man = synth_manifest(dir);
    CHECKF(man && json_array_size(man) > 0, "%s: no manifest", dir);
    if (!man)
        return;
    size_t i;
    json_t *line;
    json_array_foreach(man, i, line) {
        json_t *t = synth_truth(dir, line);
        CHECKF(t != NULL, "%s: truth %s does not parse", dir, jstr(line, "truth"));
        if (!t)
            continue;
        sheet_ctx c;
        c.name = jstr(line, "truth");
        c.t = t;
        c.doc = jstr(t, "doc_type") ? jstr(t, "doc_type") : "";
        c.st = st;
        int w = (int)json_integer_value(json_object_get(t, "width"));
        int h = (int)json_integer_value(json_object_get(t, "height"));
        json_int_t o = json_integer_value(json_object_get(t, "orientation"));
        c.up_w = o == 90 || o == 270 ? h : w;
        c.up_h = o == 90 || o == 270 ? w : h;
        CHECKF(strcmp(jstr(line, "image"), jstr(t, "image")) == 0, "%s: manifest image", c.name);
        CHECKF(strcmp(jstr(line, "doc_type"), c.doc) == 0, "%s: manifest doc_type", c.name);
        check_sheet(&c);
        json_decref(t);
    }
    json_decref(man);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_truth LANDREC-SYNTH\n");
        return 99;
    }
    exe = argv[1];
    if (regcomp(&re_lot, "^(산)?[1-9][0-9]*(-[1-9][0-9]*)?$", REG_EXTENDED | REG_NOSUB) ||
        regcomp(&re_cat, "^[0-9]{2}$", REG_EXTENDED | REG_NOSUB) ||
        regcomp(&re_area, "^[0-9]+\\.[0-9]{2}$", REG_EXTENDED | REG_NOSUB) ||
        regcomp(&re_date, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", REG_EXTENDED | REG_NOSUB) ||
        regcomp(&re_int, "^[1-9][0-9]*$", REG_EXTENDED | REG_NOSUB))
        return 99;
    char dir[4096];
    corpus_stats st;
    memset(&st, 0, sizeof st);
    /* Content does not depend on resolution or degradations: many small clean sheets. */
    synth_scratch("synth-truth", dir, sizeof dir);
    CHECK(synth_run(exe, "--out", dir, "--count", "60", "--seed", "17", "--preset", "clean",
                    "--dpi", "100", "--jobs", "2", NULL) == 0);
    check_corpus(dir, &st);
    /* And a few degraded, turned, multi-page ones for the page-level keys. */
    synth_scratch("synth-truth-mixed", dir, sizeof dir);
    CHECK(synth_run(exe, "--out", dir, "--count", "6", "--seed", "4", "--preset", "degraded",
                    "--dpi", "100", "--orient", "--multipage", "--jobs", "2", NULL) == 0);
    check_corpus(dir, &st);

    /* The committed samples (scripts/make-synth-samples.sh) still follow the contract. */
    const char *sets[2] = {"bitonal", "colour"};
    for (int i = 0; i < 2; i++) {
        snprintf(dir, sizeof dir, "%s/synth/%s", lr_test_data_dir(), sets[i]);
        check_corpus(dir, &st);
    }

    printf("%d sheets, %d fields; 元年 %d, switch days %d, formal %d, 廿/卅 %d, ditto %d, red %d, "
           "struck %d, ranges %d, 산 %d, parcels %d, vertical %d\n",
           st.sheets, st.fields, st.gannen, st.switch_day, st.formal, st.nian, st.ditto, st.red,
           st.struck, st.range, st.san, st.parcels, st.vertical_lines);
    CHECK(st.sheets >= 66 + 11);
    CHECK(st.gannen > 0);
    CHECK(st.switch_day > 0);
    CHECK(st.formal > 0);
    CHECK(st.nian > 0);
    CHECK(st.ditto > 0);
    CHECK(st.red > 0);
    CHECK(st.struck > 0);
    CHECK(st.range > 0);
    CHECK(st.san > 0);
    CHECK(st.parcels > 0);
    CHECK(st.vertical_lines > 0);
    regfree(&re_lot);
    regfree(&re_cat);
    regfree(&re_area);
    regfree(&re_date);
    regfree(&re_int);
    return lr_test_finish("synth-truth");
}
