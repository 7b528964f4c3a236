/* Garbage into every normaliser: random bytes, random strings over the characters the
 * grammars know (so the parsers go deep), invalid UTF-8 and overlong input. Nothing may
 * crash, every verdict must be well formed, and every value given must keep the export's
 * grammar. Deterministic (a fixed seed), so a failure repeats. */
#include "norm_test.h"

static const lr_norm_tables *T;
static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static const char *const pieces[] = {
    "一", "二",   "三",   "〇",   "十",   "百", "千",   "萬",   "廿", "卅",   "壹",       "貳",
    "參", "拾",   "元",   "0",    "1",    "5",  "9",    "年",   "月", "日",   "년",       "월",
    "일", "昭和", "大正", "明治", "檀紀", "正", "坪",   "合",   "勺", "町",   "段",       "畝",
    "步", "㎡",   "ノ",   "의",   "-",    "산", "내지", "番地", ",",  ".",    " ",        "(",
    ")",  "分割", "相續", "田",   "垈",   "사", "土",   "曰",   "ー", "\xFF", "\xE3\x80",
};
#define NPIECES (sizeof pieces / sizeof pieces[0])

/* NUL-terminated within size and valid UTF-8 (lead and continuation bytes) before it. */
static bool valid_text(const char *s, size_t size)
{
    size_t n = strnlen(s, size);
    if (n == size)
        return false;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] & 0xC0) != 0x80)
                return false;
        i += k;
    }
    return true;
}

static void check_note(const lr_norm_note *n)
{
    CHECK(n->status == LR_NORM_OK || n->status == LR_NORM_FLAGGED ||
          n->status == LR_NORM_UNPARSEABLE);
    CHECK(valid_text(n->reason, sizeof n->reason));
    CHECK(n->score >= 0.0f && n->score <= 1.0f && n->distance >= 0);
}

static void one(const char *s, size_t len)
{
    lr_norm_number num;
    CHECK(lr_norm_parse_numeral(T, s, len, &num, NULL) == LR_OK);
    check_note(&num.note);
    CHECK(num.note.status != LR_NORM_UNPARSEABLE || num.value == 0);
    CHECK(num.value >= 0 && num.value <= LR_NORM_NUMERAL_MAX);

    lr_norm_date d;
    CHECK(lr_norm_parse_date(T, s, len, NULL, &d, NULL) == LR_OK);
    check_note(&d.note);
    size_t n = strlen(d.iso);
    CHECK(n == 0 || n == 4 || n == 7 || n == 10);
    CHECK((n == 10) == (d.precision == LR_DATE_DAY));
    if (n == 10)
        CHECK(d.iso[4] == '-' && d.iso[7] == '-' && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
              d.day <= 31);

    lr_norm_area a;
    CHECK(lr_norm_parse_area(T, s, len, NULL, &a, NULL) == LR_OK);
    check_note(&a.note);
    CHECK(a.den > 0 && valid_text(a.as_written, sizeof a.as_written));
    if (a.note.status != LR_NORM_UNPARSEABLE) {
        char again[32];
        CHECK(lr_norm_format_m2(a.num, a.den, again, sizeof again) == LR_OK &&
              strcmp(again, a.m2) == 0);
    } else {
        CHECK(a.m2[0] == '\0');
    }

    lr_norm_lots l;
    CHECK(lr_norm_parse_lots(T, s, len, NULL, &l, NULL) == LR_OK);
    check_note(&l.note);
    CHECK(l.nitems >= 0 && l.nitems <= LR_NORM_LOTS_MAX && l.count >= 0);
    for (int i = 0; i < l.nitems; i++) {
        char buf[LR_NORM_LOT_SIZE];
        const lr_norm_lot *lot = &l.items[i].lot;
        if (lot->main >= 1 && lot->main <= 9999 && lot->sub >= 0 && lot->sub <= 9999)
            CHECK(lr_norm_format_lot(lot, buf, sizeof buf) == LR_OK && buf[0]);
    }

    lr_norm_category c;
    CHECK(lr_norm_match_category(T, s, len, (next() & 1) ? "1930" : NULL, &c, NULL) == LR_OK);
    check_note(&c.note);
    CHECK(c.code[0] == '\0' || (strlen(c.code) == 2 && c.note.status != LR_NORM_UNPARSEABLE));

    lr_norm_event e;
    CHECK(lr_norm_match_event(T, s, len, (lr_norm_side)(next() % 3), &e, NULL) == LR_OK);
    check_note(&e.note);
    lr_norm_event_kind k;
    CHECK(e.token && lr_norm_event_kind_of(e.token, &k) == LR_OK && k == e.kind);

    lr_norm_dong g;
    CHECK(lr_norm_resolve_dong(T, s, len, &g, NULL) == LR_OK);
    check_note(&g.note);

    lr_norm_place p;
    CHECK(lr_norm_place_fix(T, s, len, &p, NULL) == LR_OK);
    CHECK(memchr(p.value, '\0', sizeof p.value) && (p.place[0] || p.edits == 0));
}

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;
    one("", 0);
    one(NULL, 0);
    one("\xFF\xFE\xFD\xFC", 4);
    one("\xC0\xAF", 2);         /* overlong '/' */
    one("\xED\xA0\x80", 3);     /* a surrogate */
    one("\xF4\x90\x80\x80", 4); /* beyond U+10FFFF */
    one("1\0002", 3);
    char buf[LR_NORM_INPUT_MAX + 64];
    for (int round = 0; round < 1500; round++) {
        size_t len = 0;
        if (round % 3 == 0) {
            len = next() % 48;
            for (size_t i = 0; i < len; i++)
                buf[i] = (char)(next() & 0xFF);
        } else {
            int k = (int)(next() % 12) + 1;
            for (int i = 0; i < k; i++) {
                const char *p = pieces[next() % NPIECES];
                size_t pl = strlen(p);
                memcpy(buf + len, p, pl);
                len += pl;
            }
        }
        one(buf, len);
    }
    /* very long: refused quickly, not read */
    memset(buf, '1', sizeof buf);
    one(buf, sizeof buf);
    for (size_t i = 0; i + 3 <= LR_NORM_INPUT_MAX; i += 3)
        memcpy(buf + i, "十", 3);
    one(buf, LR_NORM_INPUT_MAX - LR_NORM_INPUT_MAX % 3);
    lr_norm_tables_destroy(&t);
    return lr_test_finish("normalize-garbage");
}
