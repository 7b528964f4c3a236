/* Areas (domain.md §3): each unit's exact size in m², the examples of §3.2, the trailing 步
 * convention, rounding at output only, and what is flagged or refused. Expected fractions
 * were worked out independently (Python fractions), not with the code under test. */
#include "norm_test.h"

static const lr_norm_tables *T;

static void area_is(const char *s, const char *def, lr_norm_status st, long long num, long long den,
                    const char *m2, const char *why, int line)
{
    lr_norm_area a;
    int rc = lr_norm_parse_area(T, S(s), def, &a, NULL);
    CHECKF(rc == LR_OK && a.note.status == st && a.num == num && a.den == den &&
               strcmp(a.m2, m2) == 0 && (!why || strstr(a.note.reason, why)),
           "line %d: %s: got %s %lld/%lld \"%s\" [%s], want %s %lld/%lld \"%s\" [%s]", line, s,
           lr_norm_status_name(a.note.status), (long long)a.num, (long long)a.den, a.m2,
           a.note.reason, lr_norm_status_name(st), num, den, m2, why ? why : "");
}

#define OK(s, n, d, m2) area_is(s, NULL, LR_NORM_OK, n, d, m2, NULL, __LINE__)
#define FLAG(s, n, d, m2, why) area_is(s, NULL, LR_NORM_FLAGGED, n, d, m2, why, __LINE__)
#define BAD(s, why) area_is(s, NULL, LR_NORM_UNPARSEABLE, 0, 1, "", why, __LINE__)

static void units(void)
{
    /* §3.1: 1 坪 = 1 步 = 400/121 m², 勺 4/121, 合 40/121, 畝 12000/121, 段 120000/121,
       町 1200000/121 */
    OK("1勺", 4, 121, "0.03");
    OK("1合", 40, 121, "0.33");
    OK("1坪", 400, 121, "3.31");
    OK("1步", 400, 121, "3.31");
    OK("1畝", 12000, 121, "99.17");
    OK("1段", 120000, 121, "991.74");
    OK("1反", 120000, 121, "991.74");
    OK("1町", 1200000, 121, "9917.36");
    OK("1㎡", 1, 1, "1.00");
    /* the Hangul and variant names */
    OK("1작", 4, 121, "0.03");
    OK("1합", 40, 121, "0.33");
    OK("1홉", 40, 121, "0.33");
    OK("1평", 400, 121, "3.31");
    OK("1보", 400, 121, "3.31");
    OK("1歩", 400, 121, "3.31");
    OK("1무", 12000, 121, "99.17");
    OK("1畆", 12000, 121, "99.17");
    OK("1단", 120000, 121, "991.74");
    OK("1단보", 120000, 121, "991.74");
    OK("1정", 1200000, 121, "9917.36");
    OK("1정보", 1200000, 121, "9917.36");
    OK("1m2", 1, 1, "1.00");
    OK("1 m²", 1, 1, "1.00");
    OK("1평방미터", 1, 1, "1.00");
    OK("1제곱미터", 1, 1, "1.00");
    /* 121 坪 is exactly 400 m² */
    OK("121坪", 400, 1, "400.00");
    OK("百坪", 40000, 121, "330.58");
}

static void examples(void)
{
    /* §1.6, §3.2 */
    OK("壹百貳拾參坪五合", 49400, 121, "408.26");
    OK("123坪5合", 49400, 121, "408.26");
    OK("123.5坪", 49400, 121, "408.26");
    OK("一二三.五坪", 49400, 121, "408.26");
    OK("參町貳段五畝拾步", 3904000, 121, "32264.46");
    OK("1坪2合3勺", 492, 121, "4.07");
    OK("一坪 二合 三勺", 492, 121, "4.07");
    OK("1町1段1畝1步", 1332400, 121, "11011.57");
    OK("408.26㎡", 20413, 50, "408.26");
    OK("1,234.5㎡", 2469, 2, "1234.50");
    OK("0.5坪", 200, 121, "1.65");
    /* as written and the parts */
    lr_norm_area a;
    lr_norm_parse_area(T, S(" 壹百貳拾參坪　五合 "), NULL, &a, NULL);
    CHECK(strcmp(a.as_written, "壹百貳拾參坪 五合") == 0);
    CHECK(a.nparts == 2 && strcmp(a.parts[0].unit, "坪") == 0 && a.parts[0].num == 123 &&
          a.parts[0].den == 1 && strcmp(a.parts[1].unit, "合") == 0 && a.parts[1].num == 5);
    CHECK(strcmp(a.system, "tsubo") == 0);
    lr_norm_parse_area(T, S("參町貳段五畝拾步"), NULL, &a, NULL);
    CHECK(strcmp(a.system, "cho") == 0 && a.nparts == 4 && strcmp(a.parts[3].unit, "步") == 0 &&
          a.parts[3].num == 10);
    lr_norm_parse_area(T, S("408.26㎡"), NULL, &a, NULL);
    CHECK(strcmp(a.system, "metric") == 0 && a.parts[0].num == 40826 && a.parts[0].den == 100);
}

static void trailing_bu(void)
{
    /* §3.2: 步 after an area that ends on 町, 段 or 畝 means "exactly", not 0 步 */
    OK("3町步", 3600000, 121, "29752.07");
    OK("3町", 3600000, 121, "29752.07");
    OK("6反8畝步", 816000, 121, "6743.80");
    OK("6段8畝步", 816000, 121, "6743.80");
    OK("2段步", 240000, 121, "1983.47");
    OK("5畝步", 60000, 121, "495.87");
    OK("3정보", 3600000, 121, "29752.07");
    OK("3町步5畝", 3660000, 121, "30247.93");
    lr_norm_area a;
    lr_norm_parse_area(T, S("6反8畝步"), NULL, &a, NULL);
    CHECK(a.nparts == 2 && strstr(a.note.reason, "closing 步"));
    /* a number after the closing 步, or 步 twice, is not an area */
    BAD("6反8畝步5", "number without a unit");
    BAD("6反8畝步步", "without a number");
    BAD("步", "步 without a number");
    /* 步 closing a 坪 area is no convention */
    BAD("3坪步", "步 without a number");
}

static void rounding(void)
{
    char buf[32];
    /* half up at the hundredths, only at output */
    CHECK(lr_norm_format_m2(1, 200, buf, sizeof buf) == LR_OK && strcmp(buf, "0.01") == 0);
    CHECK(lr_norm_format_m2(1, 201, buf, sizeof buf) == LR_OK && strcmp(buf, "0.00") == 0);
    CHECK(lr_norm_format_m2(5, 1000, buf, sizeof buf) == LR_OK && strcmp(buf, "0.01") == 0);
    CHECK(lr_norm_format_m2(4999, 1000000, buf, sizeof buf) == LR_OK && strcmp(buf, "0.00") == 0);
    CHECK(lr_norm_format_m2(25, 10, buf, sizeof buf) == LR_OK && strcmp(buf, "2.50") == 0);
    CHECK(lr_norm_format_m2(2245, 1000, buf, sizeof buf) == LR_OK && strcmp(buf, "2.25") == 0);
    CHECK(lr_norm_format_m2(0, 1, buf, sizeof buf) == LR_OK && strcmp(buf, "0.00") == 0);
    CHECK(lr_norm_format_m2(-1, 200, buf, sizeof buf) == LR_OK && strcmp(buf, "-0.01") == 0);
    CHECK(lr_norm_format_m2(INT64_MAX, 1, buf, sizeof buf) == LR_OK &&
          strcmp(buf, "9223372036854775807.00") == 0);
    CHECK(lr_norm_format_m2(1, 0, buf, sizeof buf) == LR_ERR_ARG && buf[0] == '\0');
    CHECK(lr_norm_format_m2(1, 1, buf, 4) == LR_ERR_ARG && buf[0] == '\0');
    /* the sum is exact: 1 勺 + 1 勺 … is not 0.03 + 0.03 */
    OK("2勺", 8, 121, "0.07");
    OK("1坪1勺", 404, 121, "3.34");
}

static void flagged(void)
{
    FLAG("12合", 480, 121, "3.97", "12 合 is one 坪 or more");
    FLAG("10勺", 40, 121, "0.33", "10 勺 is one 合 or more");
    FLAG("10畝", 120000, 121, "991.74", "10 畝 is one 段 or more");
    FLAG("30步", 12000, 121, "99.17", "30 步 is one 畝 or more");
    FLAG("5合3坪", 1400, 121, "11.57", "units out of order");
    FLAG("3坪 2町", 2401200, 121, "19844.63", "mixes 坪 and 町");
    FLAG("0坪", 0, 1, "0.00", "zero area");
    FLAG("08㎡", 8, 1, "8.00", "a leading 0"); /* 68 read 08 */
    area_is("0.5㎡", NULL, LR_NORM_OK, 1, 2, "0.50", "", __LINE__);
    FLAG("1坪2㎡", 642, 121, "5.31", "mixes");
    /* A Hanja no unit is, where the units written leave one place (畝 misread as 競, 疝):
     * taken as that unit and flagged. */
    FLAG("一町九段二競十一步", 2308400, 121, "19077.69", "read as 畝");
    FLAG("四町六段八疝四步", 5617600, 121, "46426.45", "read as 畝");
    FLAG("四町六段八疝", 5616000, 121, "46413.22", "read as 畝");
    BAD("四町六段八疝胃步", "unexpected");   /* not before a number or the closing 步 */
    /* before the closing 步: 一町八段六畝步 (exactly), 畝 read as 并 */
    FLAG("一町八段六并步", 2232000, 121, "18446.28", "read as 畝");
    FLAG("二十六困九段三兌步", 32316000, 121, "267074.38", "read as 畝");
    BAD("四町六段八畝二疝步", "unexpected"); /* 步's place, before 步 itself */
    /* 廿 misread as 凹 (lookalikes.tsv), then 畝 misread before it */
    FLAG("四町六段八疝凹步", 5624000, 121, "46479.34", "read as 畝");
    BAD("八疝四步", "unexpected");           /* no unit before it to place it */
    FLAG("四町六段八畝二疝", 5616800, 121, "46419.83", "read as 步"); /* after 畝: 步's place */
    /* 叮 for 町 (lookalikes.tsv: area,address), repaired and said. */
    area_is("參叮貳段五畝拾步", NULL, LR_NORM_OK, 3904000, 121, "32264.46",
            "look-alike repaired", __LINE__);
    /* Formal numerals misread on degraded sheets (lookalikes.tsv: 膏 for 壹, 京 革 for 貳). */
    area_is("膏百八拾參坪參合", NULL, LR_NORM_OK, 73320, 121, "605.95", "look-alike repaired",
            __LINE__);
    area_is("五百七拾參坪京合", NULL, LR_NORM_OK, 229280, 121, "1894.88", "look-alike repaired",
            __LINE__);
    area_is("革百七拾九坪", NULL, LR_NORM_OK, 111600, 121, "922.31", "look-alike repaired",
            __LINE__);
    /* 困 for 町 likewise (OCR reads 八町七段 as 八困七段). */
    area_is("八困七段四畝廿七步", NULL, LR_NORM_OK, 26247*400, 121, "86766.94",
            "look-alike repaired", __LINE__);
}

static void refused(void)
{
    BAD("", "empty");
    BAD("坪", "without a number");
    BAD("123", "a number without a unit");
    BAD("1坪2坪", "坪 written twice");
    BAD("1坪x", "unexpected");
    BAD("1.2.3坪", "two decimal points");
    BAD(".5坪", "without a whole part");
    BAD("百.五坪", "after a multiplicative numeral");
    BAD("1.1234567坪", "7 digits");
    BAD("999999999999999坪", "too large");
    /* a default unit from the column head reads a bare number */
    area_is("123", "坪", LR_NORM_OK, 49200, 121, "406.61", "from the column", __LINE__);
    area_is("408.26", "㎡", LR_NORM_OK, 20413, 50, "408.26", NULL, __LINE__);
    lr_norm_area a;
    lr_error err;
    CHECK(lr_norm_parse_area(T, S("123"), "坪坪", &a, &err) == LR_ERR_ARG);
    CHECK(lr_norm_parse_area(T, S("123"), "furlong", &a, &err) == LR_ERR_ARG);
    CHECK(lr_norm_parse_area(NULL, S("1坪"), NULL, &a, &err) == LR_ERR_ARG);
    /* look-alikes of units */
    lr_norm_parse_area(T, S("1坪2台"), NULL, &a, NULL);
    CHECK(a.note.status == LR_NORM_OK && a.num == 480 && a.den == 121 && a.note.distance == 1);
    lr_norm_parse_area(T, S("3匀"), NULL, &a, NULL);
    CHECK(a.note.status == LR_NORM_OK && a.num == 12 && a.den == 121);
    lr_norm_parse_area(T, S("百土坪"), NULL, &a, NULL);
    CHECK(a.note.status == LR_NORM_OK && a.num == 4000 && a.den == 11);
    /* garbage */
    CHECK(lr_norm_parse_area(T, "1\xFF坪", 5, NULL, &a, NULL) == LR_OK);
    CHECK(a.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_parse_area(T, "1坪\xFF", 5, NULL, &a, NULL) == LR_OK);
    CHECK(a.note.status == LR_NORM_UNPARSEABLE && strstr(a.as_written, "\xEF\xBF\xBD"));
    char big[600];
    memset(big, '1', sizeof big);
    CHECK(lr_norm_parse_area(T, big, sizeof big, NULL, &a, NULL) == LR_OK);
    CHECK(a.note.status == LR_NORM_UNPARSEABLE && strstr(a.note.reason, "too long"));
}

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;
    units();
    examples();
    trailing_bu();
    rounding();
    flagged();
    refused();
    lr_norm_tables_destroy(&t);
    return lr_test_finish("normalize-area");
}
