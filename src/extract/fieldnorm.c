/* fieldnorm.c — the per-field normalisation functions (see fieldnorm.h: a stand-in for
 * normalize.h until it lands; keep it small). */
#include "fieldnorm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ---- numerals ------------------------------------------------------------------------- */

static int digit_of(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 0xFF10 && c <= 0xFF19) /* full-width digits */
        return (int)(c - 0xFF10);
    switch (c) {
    case 0x3007: case 0x25CB: case 0x96F6: return 0;                 /* 〇 ○ 零 */
    case 0x4E00: case 0x58F9: case 0x58F1: case 0x5143: return 1;    /* 一 壹 壱 元 */
    case 0x4E8C: case 0x8CB3: case 0x5F10: case 0x5F0D: return 2;    /* 二 貳 弐 弍 */
    case 0x4E09: case 0x53C3: case 0x53C2: case 0x53C1: return 3;    /* 三 參 参 叁 */
    case 0x56DB: case 0x8086: return 4;                              /* 四 肆 */
    case 0x4E94: case 0x4F0D: return 5;                              /* 五 伍 */
    case 0x516D: case 0x9678: return 6;                              /* 六 陸 */
    case 0x4E03: case 0x67D2: case 0x6F06: return 7;                 /* 七 柒 漆 */
    case 0x516B: case 0x634C: return 8;                              /* 八 捌 */
    case 0x4E5D: case 0x7396: return 9;                              /* 九 玖 */
    default: return -1;
    }
}

static int mult_of(uint32_t c)
{
    switch (c) {
    case 0x5341: case 0x62FE: case 0x4EC0: return 10;   /* 十 拾 什 */
    case 0x5EFF: case 0x5344: return 20;                /* 廿 卄 */
    case 0x5345: case 0x4E17: return 30;                /* 卅 丗 */
    case 0x767E: case 0x4F70: return 100;               /* 百 佰 */
    case 0x5343: case 0x4EDF: return 1000;              /* 千 仟 */
    default: return 0;
    }
}

static bool is_num(uint32_t c)
{
    return digit_of(c) >= 0 || mult_of(c) > 0;
}

/* Reads a number at cps[*i] (positional digits or 十/百/千 forms, and a decimal part of
 * Arabic digits); advances *i. Returns false when there is none. */
static bool read_number(const uint32_t *cps, size_t n, size_t *i, double *out)
{
    size_t j = *i;
    bool mult = false;
    while (j < n && is_num(cps[j])) {
        if (mult_of(cps[j]))
            mult = true;
        j++;
    }
    if (j == *i)
        return false;
    double v = 0;
    if (mult) {
        long total = 0, cur = -1;
        for (size_t k = *i; k < j; k++) {
            int m = mult_of(cps[k]);
            if (m == 20 || m == 30) {
                total += m;
                cur = -1;
            } else if (m) {
                total += (cur < 0 ? 1 : cur) * m;
                cur = -1;
            } else {
                cur = (cur < 0 ? 0 : cur * 10) + digit_of(cps[k]);
            }
        }
        v = (double)(total + (cur < 0 ? 0 : cur));
    } else {
        for (size_t k = *i; k < j; k++)
            v = v * 10 + digit_of(cps[k]);
    }
    if (j + 1 < n && cps[j] == '.' && digit_of(cps[j + 1]) >= 0 && cps[j + 1] < 128 && !mult) {
        double scale = 0.1;
        j++;
        while (j < n && cps[j] >= '0' && cps[j] <= '9') {
            v += scale * (cps[j] - '0');
            scale /= 10;
            j++;
        }
    }
    *i = j;
    *out = v;
    return true;
}

static size_t decode_clean(const char *raw, uint32_t *cps, size_t max)
{
    uint32_t tmp[256];
    size_t n = lr_text_decode(raw, tmp, 256), m = 0;
    for (size_t i = 0; i < n && m < max; i++)
        if (tmp[i] > ' ' && tmp[i] != 0x3000)
            cps[m++] = tmp[i];
    return m;
}

static void clear(lr_fieldnorm *out)
{
    memset(out, 0, sizeof *out);
}

/* ---- lot numbers ---------------------------------------------------------------------- */

void lr_fieldnorm_lot(const char *raw, lr_fieldnorm *out)
{
    clear(out);
    uint32_t c[128];
    size_t n = decode_clean(raw, c, 128), i = 0;
    int junk = 0;
    bool san = false;
    if (i < n && (c[i] == 0xC0B0 || c[i] == 0x5C71)) { /* 산 山 */
        san = true;
        i++;
    }
    while (i < n && !is_num(c[i])) {
        junk++;
        i++;
    }
    double main = 0, sub = 0;
    if (!read_number(c, n, &i, &main) || main < 1 || main > 99999)
        return;
    bool has_sub = false;
    if (i < n && (c[i] == '-' || c[i] == 0x30CE || c[i] == 0x306E || c[i] == 0xC758 ||
                  c[i] == 0x4E4B || c[i] == 0x2010 || c[i] == 0x2013 || c[i] == 0x2014 ||
                  c[i] == 0x30FC || c[i] == 0x2015 || c[i] == 0xFF0D)) {
        i++;
        has_sub = read_number(c, n, &i, &sub) && sub >= 1;
        if (!has_sub)
            junk++;
    }
    /* 番地 / 번지 / 番 after the number are part of the writing. */
    while (i < n) {
        if (c[i] != 0x756A && c[i] != 0x5730 && c[i] != 0xBC88 && c[i] != 0xC9C0)
            junk++;
        i++;
    }
    if (has_sub)
        snprintf(out->value, sizeof out->value, "%s%ld-%ld", san ? "산" : "", (long)main,
                 (long)sub);
    else
        snprintf(out->value, sizeof out->value, "%s%ld", san ? "산" : "", (long)main);
    out->score = junk == 0 ? 100.0f : junk == 1 ? 70.0f : 40.0f;
}

/* ---- areas ---------------------------------------------------------------------------- */

void lr_fieldnorm_area(const char *raw, lr_doc_type doc, int year, lr_fieldnorm *out)
{
    clear(out);
    uint32_t c[128];
    size_t n = decode_clean(raw, c, 128), i = 0;
    static const uint32_t metre[] = {0xBBF8, 0xD130}, sqm[] = {0x33A1}, m2[] = {'m', '2'};
    bool metres = lr_text_contains(c, n, metre, 2) || lr_text_contains(c, n, sqm, 1) ||
                  lr_text_contains(c, n, m2, 2);
    /* Land areas in 勺 (1/100 坪), forest areas in 步, modern ones in m². */
    double shaku = 0, bu = 0, sqmetres = 0;
    bool any = false, unitless = false;
    int junk = 0;
    double pending = -1;
    while (i < n) {
        double v;
        if (read_number(c, n, &i, &v)) {
            if (pending >= 0)
                junk++;
            pending = v;
            any = true;
            if (metres) {
                sqmetres = v;
                break;
            }
            continue;
        }
        uint32_t u = c[i++];
        double p = pending < 0 ? 0 : pending;
        switch (u) {
        case 0x576A: case 0xD3C9: shaku += p * 100; break;              /* 坪 평 */
        case 0x5408: case 0xD649: case 0xD569: shaku += p * 10; break;  /* 合 홉 합 */
        case 0x52FA: case 0xC791: shaku += p; break;                    /* 勺 작 */
        case 0x753A: case 0xC815: bu += p * 3000; break;                /* 町 정 */
        case 0x6BB5: case 0x53CD: case 0xB2E8: bu += p * 300; break;    /* 段 反 단 */
        case 0x755D: case 0xBB34: bu += p * 30; break;                  /* 畝 무 */
        case 0x6B65: case 0xBCF4: bu += p; break;                       /* 步 보 (町步: adds 0) */
        default: junk++; break;
        }
        pending = -1;
    }
    if (!metres && pending >= 0) {
        /* A bare number: the unit of the ledger and its time. */
        unitless = true;
        if (year >= 1976)
            sqmetres = pending;
        else if (doc == LR_DOC_FOREST_LEDGER)
            bu += pending;
        else
            shaku += pending * 100;
    }
    if (!any)
        return;
    /* Exact: 1 坪 = 1 步 = 400/121 m²; rounded once, at the end, to 0.01 m². */
    double x100 = shaku * 400.0 / 121.0 + bu * 40000.0 / 121.0 + sqmetres * 100.0;
    long cents = (long)(x100 + 0.5);
    if (cents <= 0)
        return;
    snprintf(out->value, sizeof out->value, "%ld.%02ld", cents / 100, cents % 100);
    out->score = junk ? 50.0f : unitless ? 85.0f : 100.0f;
}

/* ---- dates ---------------------------------------------------------------------------- */

typedef struct era {
    const char *names[4];
    int offset, max_year;
} era;

static const era eras[] = {
    {{"明治", "명치", "明", NULL}, 1867, 45},
    {{"大正", "대정", "大", NULL}, 1911, 15},
    {{"昭和", "소화", "昭", NULL}, 1925, 20},
    {{"光武", "광무", NULL, NULL}, 1896, 11},
    {{"隆熙", "융희", NULL, NULL}, 1906, 4},
    {{"建陽", "건양", NULL, NULL}, 1895, 2},
    {{"檀紀", "단기", "檀", "단"}, -2333, 4400},
    {{"西紀", "서기", "西", NULL}, 0, 3000},
};

static bool valid_date(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1850 || y > 2100 || m < 1 || m > 12 || d < 1)
        return false;
    int dm = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= dm;
}

void lr_fieldnorm_date(const char *raw, lr_fieldnorm *out)
{
    clear(out);
    uint32_t c[128];
    size_t n = decode_clean(raw, c, 128), i = 0;
    int junk = 0;
    const era *e = NULL;
    /* Longest era name at the start (after stray marks). */
    for (size_t skip = 0; skip < 2 && !e && skip < n; skip++) {
        size_t bestlen = 0;
        for (size_t k = 0; k < sizeof eras / sizeof *eras; k++)
            for (int j = 0; j < 4 && eras[k].names[j]; j++) {
                uint32_t en[8];
                size_t ne = lr_text_decode(eras[k].names[j], en, 8);
                if (ne > bestlen && skip + ne <= n &&
                    memcmp(c + skip, en, ne * sizeof *en) == 0) {
                    bestlen = ne;
                    e = &eras[k];
                }
            }
        if (e) {
            i = skip + bestlen;
            junk += (int)skip;
        }
    }
    double parts[3] = {0, 0, 0};
    int np = 0;
    while (i < n && np < 3) {
        double v;
        if (read_number(c, n, &i, &v)) {
            parts[np++] = v;
            continue;
        }
        uint32_t u = c[i++];
        /* 年 月 日 년 월 일 . / - are separators; anything else is noise. */
        if (u != 0x5E74 && u != 0x6708 && u != 0x65E5 && u != 0xB144 && u != 0xC6D4 &&
            u != 0xC77C && u != '.' && u != '/' && u != '-' && u != 0x5143)
            junk++;
        if (u == 0x5143 && np == 0) /* 元年 */
            parts[np++] = 1;
    }
    if (np < 3)
        return;
    int y = (int)parts[0], m = (int)parts[1], d = (int)parts[2];
    if (e) {
        if (y > e->max_year && e->offset > 0)
            out->out_of_range = true;
        y += e->offset;
    } else if (y >= 4000) {
        y -= 2333; /* 檀紀 without its name */
    } else if (y < 100) {
        y += 1900; /* 65.3.2 */
        junk++;
    }
    if (!valid_date(y, m, d))
        return;
    snprintf(out->value, sizeof out->value, "%04d-%02d-%02d", y, m, d);
    out->year = y;
    out->score = junk == 0 ? 100.0f : junk == 1 ? 75.0f : 45.0f;
}

/* ---- vocabularies --------------------------------------------------------------------- */

typedef struct term {
    const char *text;
    const char *value;
} term;

/* As written (Hanja, Hangul, one-character abbreviations) → modern code (domain.md §2.5). */
static const term categories[] = {
    {"田", "01"}, {"전", "01"}, {"畓", "02"}, {"답", "02"}, {"果樹園", "03"}, {"과수원", "03"},
    {"牧場用地", "04"}, {"목장용지", "04"}, {"林野", "05"}, {"임야", "05"}, {"林", "05"},
    {"鑛泉地", "06"}, {"광천지", "06"}, {"鹽田", "07"}, {"염전", "07"}, {"垈", "08"},
    {"垈地", "08"}, {"대", "08"}, {"대지", "08"}, {"工場用地", "09"}, {"공장용지", "09"},
    {"學校用地", "10"}, {"학교용지", "10"}, {"駐車場", "11"}, {"주차장", "11"},
    {"注油所用地", "12"}, {"주유소용지", "12"}, {"倉庫用地", "13"}, {"창고용지", "13"},
    {"道路", "14"}, {"도로", "14"}, {"道", "14"}, {"鐵道用地", "15"}, {"鐵道線路", "15"},
    {"철도용지", "15"}, {"철도선로", "15"}, {"堤防", "16"}, {"제방", "16"}, {"堤", "16"},
    {"河川", "17"}, {"하천", "17"}, {"川", "17"}, {"溝渠", "18"}, {"구거", "18"}, {"溝", "18"},
    {"溜池", "19"}, {"池沼", "19"}, {"유지", "19"}, {"지소", "19"}, {"池", "19"},
    {"養魚場", "20"}, {"양어장", "20"}, {"水道用地", "21"}, {"水道線路", "21"},
    {"수도용지", "21"}, {"수도선로", "21"}, {"公園", "22"}, {"公園地", "22"}, {"공원", "22"},
    {"공원지", "22"}, {"體育用地", "23"}, {"체육용지", "23"}, {"遊園地", "24"}, {"유원지", "24"},
    {"宗敎用地", "25"}, {"社寺地", "25"}, {"종교용지", "25"}, {"사사지", "25"}, {"社", "25"},
    {"史蹟地", "26"}, {"城堞", "26"}, {"사적지", "26"}, {"성첩", "26"}, {"墓地", "27"},
    {"墳墓地", "27"}, {"묘지", "27"}, {"분묘지", "27"}, {"墳", "27"}, {"雜種地", "28"},
    {"잡종지", "28"}, {"雜", "28"},
    /* OCR look-alikes of 垈, which neither kor nor chi_tra knows well (measured on Noto Serif
     * CJK); scored as fuzzy matches (look-alikes belong in data/lookalikes.tsv once the
     * normalisers land). */
    {"쏘~", "08"}, {"쇼~", "08"}, {"爸~", "08"}, {"岱~", "08"}, {"袋~", "08"},
};

static const term events[] = {
    {"査定", "assessment"}, {"查定", "assessment"}, {"사정", "assessment"}, {"分割", "split"}, {"分筆", "split"},
    {"분할", "split"}, {"合倂", "merge"}, {"合併", "merge"}, {"合筆", "merge"}, {"합병", "merge"},
    {"地目變更", "category_change"}, {"地目變換", "category_change"}, {"지목변경", "category_change"},
    {"新規登錄", "new_registration"}, {"신규등록", "new_registration"},
    {"登錄轉換", "conversion"}, {"등록전환", "conversion"}, {"訂正", "correction"},
    {"更正", "correction"}, {"정정", "correction"}, {"경정", "correction"},
    {"所有權移轉", "transfer"}, {"所有權移轉登記", "transfer"}, {"소유권이전", "transfer"},
    {"移轉", "transfer"}, {"이전", "transfer"}, {"賣買", "transfer"}, {"매매", "transfer"},
    {"保存", "preservation"}, {"所有權保存", "preservation"}, {"보존", "preservation"},
    {"소유권보존", "preservation"}, {"相續", "inheritance"}, {"상속", "inheritance"},
    {"家督相續", "inheritance"}, {"住所變更", "address_change"}, {"주소변경", "address_change"},
    {"改名", "name_change"}, {"氏名變更", "name_change"}, {"성명변경", "name_change"},
    {"개명", "name_change"},
};

/* Best terms for the text: containment of a term scores by how much of the text it covers,
 * otherwise by edit distance. */
static void match_vocab(const char *raw, const term *terms, size_t nterms, bool allow_contains,
                        lr_fieldnorm *out)
{
    clear(out);
    uint32_t t[128];
    size_t nt = lr_text_squeeze(raw, t, 128);
    if (nt == 0)
        return;
    for (size_t k = 0; k < nterms; k++) {
        uint32_t v[32];
        size_t nv = lr_text_decode(terms[k].text, v, 32);
        float score;
        bool lookalike = nv > 1 && v[nv - 1] == '~';
        if (lookalike)
            nv--;
        if (nv == nt && memcmp(v, t, nt * sizeof *t) == 0)
            score = lookalike ? 75.0f : 100.0f;
        else if (allow_contains && nv >= 2 && lr_text_contains(t, nt, v, nv))
            score = 90.0f + 10.0f * (float)nv / (float)nt;
        else {
            int d = lr_text_distance(t, nt, v, nv);
            size_t mx = nt > nv ? nt : nv;
            score = 100.0f * (1.0f - (float)d / (float)mx);
            if (nv == 1 || nt == 1)
                score = d == 0 ? 100 : 0; /* one character cannot be half right */
        }
        if (score > 100)
            score = 100;
        if (score <= 0)
            continue;
        /* Keep the best per value, best first. */
        int pos = -1;
        for (int a = 0; a < out->nalt; a++)
            if (strcmp(out->alt[a].value, terms[k].value) == 0)
                pos = a;
        if (pos >= 0) {
            if (out->alt[pos].score >= score)
                continue;
            for (int a = pos; a + 1 < out->nalt; a++)
                out->alt[a] = out->alt[a + 1];
            out->nalt--;
        }
        int at = out->nalt;
        while (at > 0 && out->alt[at - 1].score < score)
            at--;
        if (at >= LR_EXTRACT_MAX_ALT)
            continue;
        int last = out->nalt < LR_EXTRACT_MAX_ALT ? out->nalt : LR_EXTRACT_MAX_ALT - 1;
        for (int a = last; a > at; a--)
            out->alt[a] = out->alt[a - 1];
        snprintf(out->alt[at].value, sizeof out->alt[at].value, "%s", terms[k].value);
        out->alt[at].score = score;
        if (out->nalt < LR_EXTRACT_MAX_ALT)
            out->nalt++;
    }
    if (out->nalt && out->alt[0].score >= 50) {
        snprintf(out->value, sizeof out->value, "%s", out->alt[0].value);
        out->score = out->alt[0].score;
        /* A close second makes the first less certain. */
        if (out->nalt > 1 && out->alt[1].score > out->score - 15)
            out->score -= 15;
    }
}

void lr_fieldnorm_category(const char *raw, lr_fieldnorm *out)
{
    match_vocab(raw, categories, sizeof categories / sizeof *categories, false, out);
}

void lr_fieldnorm_event(const char *raw, lr_fieldnorm *out)
{
    match_vocab(raw, events, sizeof events / sizeof *events, true, out);
    uint32_t t[8];
    if (!out->value[0] && lr_text_squeeze(raw, t, 8) > 0) {
        /* Text that is no known event is kept as "other", for a person to look at. */
        snprintf(out->value, sizeof out->value, "other");
        out->score = 40;
    }
}

int lr_fieldnorm_category_since(const char *code)
{
    static const struct {
        const char *code;
        int since;
    } since[] = {{"03", 1976}, {"04", 1976}, {"06", 1950}, {"07", 1950}, {"09", 1976},
                 {"10", 1976}, {"11", 2002}, {"12", 2002}, {"13", 2002}, {"20", 2002},
                 {"23", 1976}, {"24", 1976}};
    for (size_t i = 0; code && i < sizeof since / sizeof *since; i++)
        if (strcmp(code, since[i].code) == 0)
            return since[i].since;
    return 0;
}

void lr_fieldnorm_grade(const char *raw, lr_fieldnorm *out)
{
    clear(out);
    uint32_t c[64];
    size_t n = decode_clean(raw, c, 64), i = 0;
    int junk = 0;
    while (i < n && !is_num(c[i])) {
        junk++;
        i++;
    }
    double v;
    if (!read_number(c, n, &i, &v) || v < 1 || v > 999)
        return;
    /* 等 / 級 / 등 / 급 after the number belong to it. */
    for (; i < n; i++)
        if (c[i] != 0x7B49 && c[i] != 0x7D1A && c[i] != 0xB4F1 && c[i] != 0xAE09)
            junk++;
    snprintf(out->value, sizeof out->value, "%ld", (long)v);
    out->score = junk ? 60.0f : 100.0f;
}

static bool is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}

void lr_fieldnorm_text(const char *raw, lr_fieldnorm *out)
{
    clear(out);
    char *nfc = lr_text_nfc(raw);
    if (nfc && nfc[0]) {
        /* OCR puts a space between Hanja it reads one by one; Hanja names and addresses are
         * written without them (Hangul keeps its spaces: they part words). */
        uint32_t c[256];
        size_t n = lr_text_decode(nfc, c, 256);
        for (size_t i = 0; i < n; i++) {
            if (c[i] == ' ' && i > 0 && i + 1 < n && is_han(c[i - 1]) && is_han(c[i + 1]))
                continue;
            lr_text_put(out->value, sizeof out->value, c[i]);
        }
        out->score = 100;
    }
    free(nfc);
}
