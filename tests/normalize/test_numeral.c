/* Hanja and Arabic numerals (domain.md §4.2): every glyph of the table, both styles, the
 * Korean reading, look-alikes and what must be refused. */
#include "norm_test.h"

static const lr_norm_tables *T;

static int64_t num(const char *s, lr_norm_status *st)
{
    lr_norm_number r;
    int rc = lr_norm_parse_numeral(T, S(s), &r, NULL);
    CHECKF(rc == LR_OK, "%s: rc %d", s, rc);
    if (st)
        *st = r.note.status;
    return r.note.status == LR_NORM_UNPARSEABLE ? -1 : r.value;
}

#define NUM(s, v)                                                                                  \
    do {                                                                                           \
        lr_norm_status st_;                                                                        \
        int64_t got_ = num(s, &st_);                                                               \
        CHECKF(st_ == LR_NORM_OK && got_ == (v), "%s: got %lld (%s), want %lld", s,                \
               (long long)got_, lr_norm_status_name(st_), (long long)(v));                         \
    } while (0)

#define BAD(s)                                                                                     \
    do {                                                                                           \
        lr_norm_status st_;                                                                        \
        int64_t got_ = num(s, &st_);                                                               \
        CHECKF(st_ == LR_NORM_UNPARSEABLE && got_ == -1, "%s: read %lld, want unparseable", s,     \
               (long long)got_);                                                                   \
    } while (0)

static void every_glyph(void)
{
    /* §4.2: ordinary, formal and variant forms of each value */
    static const struct {
        const char *glyphs;
        int value;
    } table[] = {
        {"〇,○,零", 0},   {"一,壹,壱", 1}, {"二,貳,弐,弍", 2}, {"三,參,参,叁", 3},
        {"四,肆", 4},     {"五,伍", 5},    {"六,陸", 6},       {"七,柒,漆", 7},
        {"八,捌", 8},     {"九,玖", 9},    {"十,拾,什", 10},   {"廿,卄,念", 20},
        {"卅,丗", 30},    {"卌", 40},      {"百,佰,陌", 100},  {"千,仟,阡", 1000},
        {"万,萬", 10000},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", table[i].glyphs);
        for (char *save = NULL, *g = strtok_r(buf, ",", &save); g; g = strtok_r(NULL, ",", &save))
            NUM(g, table[i].value);
    }
    /* the digits inside larger numbers, as coefficients and as ones */
    NUM("肆百陸拾柒", 467);
    NUM("捌仟玖佰", 8900);
    NUM("陸萬", 60000);
    NUM("弐拾壱", 21);
    NUM("叁拾", 30);
    NUM("阡陌什", 1110);
    NUM("千百十", 1110);
}

static void styles(void)
{
    /* positional (§4.2 [I]) */
    NUM("一二三", 123);
    NUM("一〇五", 105);
    NUM("一○五", 105);
    NUM("四二九〇", 4290);
    NUM("〇五", 5);
    NUM("一九六五", 1965);
    /* multiplicative, Korean reading */
    NUM("百二十三", 123);
    NUM("壹百貳拾參", 123);
    NUM("千九百", 1900);
    NUM("一萬二", 10002);
    NUM("十二", 12);
    NUM("二十", 20);
    NUM("拾", 10);
    NUM("十", 10);
    NUM("百", 100);
    NUM("廿五", 25);
    NUM("卅一", 31);
    NUM("百廿", 120);
    NUM("二百五", 205);
    NUM("一百〇五", 105);
    NUM("一百零五", 105);
    NUM("一萬〇五", 10005);
    NUM("十二萬", 120000);
    NUM("三千二百萬", 32000000);
    NUM("萬", 10000);
    NUM("九千九百九十九萬九千九百九十九", 99999999);
    /* 元 alone is 1 (元年) */
    NUM("元", 1);
    /* Arabic, full width, grouped; mixed with Hanja */
    NUM("0", 0);
    NUM("1937", 1937);
    NUM("１９３７", 1937);
    NUM("1,234", 1234);
    NUM("1,234,567", 1234567);
    NUM(" 12 ", 12);
    NUM("3千5百", 3500);
    NUM("12萬3456", 123456);
    NUM("百23", 123);
    NUM("1二3", 123);

    lr_norm_number r;
    lr_norm_parse_numeral(T, S("壹百貳拾參"), &r, NULL);
    CHECK(r.formal && r.style == LR_NUMERAL_MULTIPLICATIVE && !r.mixed && r.note.score == 1.0f);
    lr_norm_parse_numeral(T, S("一二三"), &r, NULL);
    CHECK(!r.formal && r.style == LR_NUMERAL_POSITIONAL);
    lr_norm_parse_numeral(T, S("1937"), &r, NULL);
    CHECK(r.style == LR_NUMERAL_ARABIC && r.note.distance == 0);
    lr_norm_parse_numeral(T, S("1二3"), &r, NULL);
    CHECK(r.mixed && r.style == LR_NUMERAL_POSITIONAL && strstr(r.note.reason, "mixed"));
}

static void refused(void)
{
    BAD("");
    BAD("   ");
    BAD("abc");
    BAD("十百"); /* out of order */
    BAD("百百");
    BAD("二十三十");
    BAD("百二三"); /* several Hanja digits after a unit: 123 or 1023? */
    BAD("二三百");
    BAD("元年");
    BAD("元百");
    BAD("萬萬");
    BAD("12百"); /* coefficient 1-9 */
    BAD("二廿");
    BAD("十廿");
    BAD("1,23");
    BAD("12,34");
    BAD(",123");
    BAD("1234,567");
    BAD("一二三ノ四");
    BAD("9999999999999999"); /* beyond 10^15 */
    BAD("九千九百九十九萬九千九百九十九萬");
    NUM("1000000000000000", 1000000000000000);
}

static void lookalikes(void)
{
    /* repaired only where the grammar has no place for the character */
    NUM("百土", 110);
    NUM("士二", 12);
    NUM("二干", 2000);
    NUM("白二十", 120);
    NUM("州", 30);
    NUM("廾五", 25);
    NUM("壺百", 100);
    NUM("入", 8);
    BAD("一〇ロ"); /* katakana ロ is in no table */

    lr_norm_number r;
    lr_norm_parse_numeral(T, S("百土"), &r, NULL);
    CHECK(r.value == 110 && r.note.distance == 1 && r.note.score < 1.0f &&
          strstr(r.note.reason, "look-alike"));
    lr_norm_parse_numeral(T, S("ー二三"), &r, NULL);
    CHECK(r.note.status == LR_NORM_OK && r.value == 123 && r.note.distance == 1);
    lr_norm_parse_numeral(T, S("1O5"), &r, NULL);
    CHECK(r.note.status == LR_NORM_OK && r.value == 105 && r.note.distance == 1);
    lr_norm_parse_numeral(T, S("l2"), &r, NULL);
    CHECK(r.note.status == LR_NORM_OK && r.value == 12);
    lr_norm_parse_numeral(T, S("一口五"), &r, NULL);
    CHECK(r.note.status == LR_NORM_OK && r.value == 105);
    /* without tables nothing is repaired */
    lr_norm_parse_numeral(NULL, S("百土"), &r, NULL);
    CHECK(r.note.status == LR_NORM_UNPARSEABLE && r.value == 0);
    lr_norm_parse_numeral(NULL, S("壹百貳拾參"), &r, NULL);
    CHECK(r.note.status == LR_NORM_OK && r.value == 123);
    /* 二/三 are both digits: never changed */
    lr_norm_parse_numeral(T, S("二"), &r, NULL);
    CHECK(r.value == 2 && r.note.distance == 0);
    /* compatibility ideographs fold to the unified ones (NFKC) */
    lr_norm_parse_numeral(T, S("\xEF\xA6\xB2"), &r, NULL); /* U+F9B2 零 */
    CHECK(r.note.status == LR_NORM_OK && r.value == 0);
    lr_norm_parse_numeral(T, S("\xE2\xBC\x97\xE2\xBC\x80"), &r, NULL); /* Kangxi ⼗⼀ */
    CHECK(r.note.status == LR_NORM_OK && r.value == 11);
}

static void garbage(void)
{
    lr_norm_number r;
    CHECK(lr_norm_parse_numeral(T, "\xFF\xFE", 2, &r, NULL) == LR_OK);
    CHECK(r.note.status == LR_NORM_UNPARSEABLE && strstr(r.note.reason, "UTF-8"));
    CHECK(lr_norm_parse_numeral(T, "1\0002", 3, &r, NULL) == LR_OK);
    CHECK(r.note.status == LR_NORM_UNPARSEABLE);
    char *big = malloc(LR_NORM_INPUT_MAX + 2);
    memset(big, '1', LR_NORM_INPUT_MAX + 1);
    CHECK(lr_norm_parse_numeral(T, big, LR_NORM_INPUT_MAX + 1, &r, NULL) == LR_OK);
    CHECK(r.note.status == LR_NORM_UNPARSEABLE && strstr(r.note.reason, "too long"));
    CHECK(lr_norm_parse_numeral(T, big, 200, &r, NULL) == LR_OK);
    CHECK(r.note.status == LR_NORM_UNPARSEABLE && strstr(r.note.reason, "too large"));
    free(big);
    lr_error err;
    CHECK(lr_norm_parse_numeral(T, NULL, 3, &r, &err) == LR_ERR_ARG && err.code == LR_ERR_ARG);
    CHECK(r.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_parse_numeral(T, NULL, 0, &r, NULL) == LR_OK);
    CHECK(r.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_parse_numeral(T, "1", 1, NULL, NULL) == LR_ERR_ARG);
}

static void clean_text(void)
{
    char *s = NULL;
    /* decomposed Hangul (U+1100 U+1161 U+11A8 = 각) composes; spaces collapse; controls go */
    CHECK(lr_norm_clean_text(S("  \xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8\t\x01 金　太郞 "), &s,
                             NULL) == LR_OK);
    CHECK(s && strcmp(s, "각 金 太郞") == 0);
    free(s);
    /* NFC keeps what NFKC would change: full-width digits, compatibility ideographs go to
       their canonical form only */
    CHECK(lr_norm_clean_text(S("１２\xEF\xA6\xB2"), &s, NULL) == LR_OK);
    CHECK(s && strcmp(s, "１２零") == 0);
    free(s);
    CHECK(lr_norm_clean_text("a\xFF"
                             "b",
                             3, &s, NULL) == LR_OK);
    CHECK(s && strcmp(s, "a\xEF\xBF\xBD"
                         "b") == 0);
    free(s);
    CHECK(lr_norm_clean_text("", 0, &s, NULL) == LR_OK && s && s[0] == '\0');
    free(s);
    CHECK(lr_norm_clean_text(NULL, 1, &s, NULL) == LR_ERR_ARG && s == NULL);
    CHECK(strcmp(lr_norm_status_name(LR_NORM_FLAGGED), "flagged") == 0);
}

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;
    every_glyph();
    styles();
    refused();
    lookalikes();
    garbage();
    clean_text();
    lr_norm_tables_destroy(&t);
    CHECK(t == NULL);
    return lr_test_finish("normalize-numeral");
}
