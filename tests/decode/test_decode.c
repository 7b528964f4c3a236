/* test_decode.c — the grammars of decode.h on plain readings and the decoder on hand-made
 * lattices: a misread glyph restored from its alternatives, a dropped glyph inserted, an
 * extra one deleted, the margin, and junk. Reads the committed data/ tables. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/decode.h"
#include "landrec/text.h"
#include "lr_test.h"

static lr_decode_tables *tables;

/* Decodes text (one glyph a position, no alternatives) as grammar g. */
static lr_decode_result decode_text(lr_decode_ctx ctx, const char *text)
{
    lr_lattice l;
    lr_decode_result r;
    lr_error err;
    if (lr_lattice_from_text(text, &l, &err) != LR_OK || lr_decode(tables, &ctx, &l, &r, &err) != LR_OK)
        exit(99);
    lr_lattice_clear(&l);
    return r;
}

static bool decodes_to(lr_decode_ctx ctx, const char *text, const char *value)
{
    lr_decode_result r = decode_text(ctx, text);
    if (!r.found || strcmp(r.value, value) != 0)
        fprintf(stderr, "  %s → %s (%s, cost %.2f)\n", text, r.found ? r.value : "(refused)",
                r.text, r.cost);
    return r.found && strcmp(r.value, value) == 0;
}

static bool exact(lr_decode_ctx ctx, const char *text, const char *value)
{
    lr_decode_result r = decode_text(ctx, text);
    return decodes_to(ctx, text, value) && r.exact;
}

/* A lattice from a list of positions, each "GLYPH:COST GLYPH:COST …" (UTF-8). */
static void lattice_of(lr_lattice *l, const char *const *pos, int n)
{
    memset(l, 0, sizeof *l);
    for (int i = 0; i < n; i++) {
        lr_lattice_column *c = lr_lattice_add_column(l);
        char buf[256];
        snprintf(buf, sizeof buf, "%s", pos[i]);
        for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok;
             tok = strtok_r(NULL, " ", &save)) {
            char *colon = strrchr(tok, ':');
            *colon = '\0';
            uint32_t cp;
            lr_text_decode(tok, &cp, 1);
            lr_lattice_add_choice(c, cp, strtof(colon + 1, NULL));
        }
    }
}

static lr_decode_result decode_lattice(lr_decode_ctx ctx, const char *const *pos, int n)
{
    lr_lattice l;
    lattice_of(&l, pos, n);
    lr_decode_result r;
    lr_error err;
    if (lr_decode(tables, &ctx, &l, &r, &err) != LR_OK)
        exit(99);
    lr_lattice_clear(&l);
    return r;
}

static void test_numerals(void)
{
    lr_decode_ctx grade = {.grammar = LR_GRAMMAR_GRADE};
    CHECK(exact(grade, "二十九", "29"));
    CHECK(exact(grade, "29", "29"));
    CHECK(exact(grade, "十五", "15"));
    CHECK(exact(grade, "百五", "105"));
    CHECK(exact(grade, "一百五", "105"));
    /* formal: 壹貳參拾, 拾 taking no 壹 before the tens alone, 廿 */
    CHECK(exact(grade, "貳拾九", "29"));
    CHECK(exact(grade, "拾貳", "12"));
    CHECK(exact(grade, "壹百壹拾", "110"));
    CHECK(exact(grade, "參拾", "30"));
    CHECK(exact(grade, "廿九", "29"));
    /* 二二九 is positional, which no grade is written in: not accepted as read, and the
     * decoder takes the nearest grade, 二十九 with one glyph replaced */
    lr_decode_result r = decode_text(grade, "二二九");
    CHECK(!r.exact);
    CHECKF(r.found && strcmp(r.value, "29") == 0 && strcmp(r.text, "二十九") == 0, "%s %s",
           r.value, r.text);
    /* the numerals of lot numbers and years take it */
    lr_decode_ctx num = {.grammar = LR_GRAMMAR_NUMERAL};
    CHECK(exact(num, "二二九", "229"));
    CHECK(exact(num, "一九二〇", "1920"));
    CHECK(exact(num, "二千三百十五", "2315"));
    CHECK(exact(num, "壹百八拾參", "183"));
}

static void test_dates(void)
{
    lr_decode_ctx date = {.grammar = LR_GRAMMAR_DATE};
    CHECK(exact(date, "大正四年三月二日", "1915-03-02"));
    CHECK(exact(date, "大正元年八月拾日", "1912-08-10"));
    CHECK(exact(date, "昭和拾貳年參月五日", "1937-03-05"));
    CHECK(exact(date, "檀紀四二八九年五月三日", "1956-05-03"));
    CHECK(exact(date, "明治四十三年十月一日", "1910-10-01"));
    CHECK(exact(date, "昭和二年二月廿八日", "1927-02-28"));
    /* 2月30日 exists in no year: refused as read */
    lr_decode_result r = decode_text(date, "大正四年二月三十日");
    CHECKF(!r.exact && !(r.found && strcmp(r.value, "1915-02-30") == 0), "%s", r.value);
    /* 大正 began on 1912-07-30: 大正元年七月一日 is 明治's; its nearest reading is another */
    r = decode_text(date, "大正元年七月一日");
    CHECKF(!r.exact && !(r.found && strcmp(r.value, "1912-07-01") == 0), "%s", r.value);
    /* 明治 ended after 45 years: 明治五十年 is refused */
    r = decode_text(date, "明治五十年一月一日");
    CHECK(!r.exact);
    /* the switch day belongs to both eras */
    CHECK(exact(date, "大正元年七月三十日", "1912-07-30"));
    CHECK(exact(date, "明治四十五年七月三十日", "1912-07-30"));
    /* a glyph lost: 日 dropped at the end, inserted */
    lr_decode_result d = decode_text(date, "大正四年三月二");
    CHECK(d.found && strcmp(d.value, "1915-03-02") == 0 && !d.exact);
}

static void test_words(void)
{
    lr_decode_ctx ev = {.grammar = LR_GRAMMAR_EVENT, .side = LR_DECODE_SIDE_LAND};
    CHECK(exact(ev, "分割", "split"));
    CHECK(exact(ev, "合倂", "merge"));
    /* the model's form of a character it lacks (variants.tsv): 併 for 倂, 查 for 査 */
    CHECK(exact(ev, "合併", "merge"));
    CHECK(exact(ev, "查定", "assessment"));
    CHECK(exact(ev, "지목변경", "category_change"));
    /* the owner column's vocabulary is not the land column's */
    lr_decode_ctx owner = {.grammar = LR_GRAMMAR_EVENT, .side = LR_DECODE_SIDE_OWNER};
    CHECK(exact(owner, "移轉", "transfer"));
    lr_decode_result r = decode_text(ev, "移轉");
    CHECK(!r.found || strcmp(r.value, "transfer") != 0);
    /* a Hanja sheet's vocabulary has no Hangul forms */
    lr_decode_ctx hanja = {.grammar = LR_GRAMMAR_EVENT, .script = LR_SCRIPT_HANJA};
    r = decode_text(hanja, "분할");
    CHECK(!r.exact);
    /* categories of the row's era: 果樹園 from 1976, 池沼 to 1975 */
    lr_decode_ctx cat = {.grammar = LR_GRAMMAR_CATEGORY, .date = "1980-05-01"};
    CHECK(exact(cat, "果樹園", "03"));
    CHECK(exact(cat, "垈", "08"));
    cat.date = "1930-05-01";
    r = decode_text(cat, "果樹園");
    CHECK(!r.exact && !(r.found && strcmp(r.value, "03") == 0));
    CHECK(exact(cat, "池沼", "19"));
    cat.date = "1980-05-01";
    r = decode_text(cat, "池沼");
    CHECK(!r.exact);
    /* the whitelist drawn from the grammar has the ledger's and the model's forms */
    char ws[1024];
    lr_decode_charset(tables, &(lr_decode_ctx){.grammar = LR_GRAMMAR_EVENT}, ws, sizeof ws);
    CHECK(strstr(ws, "倂") && strstr(ws, "併") && strstr(ws, "査") && strstr(ws, "查"));
    lr_decode_charset(tables, &(lr_decode_ctx){.grammar = LR_GRAMMAR_DATE}, ws, sizeof ws);
    CHECK(strstr(ws, "年") && strstr(ws, "壹") && strstr(ws, "廿") && !strstr(ws, "分"));
}

static void test_lattices(void)
{
    lr_decode_ctx ev = {.grammar = LR_GRAMMAR_EVENT, .side = LR_DECODE_SIDE_LAND,
                        .script = LR_SCRIPT_HANJA};
    /* one wrong glyph, the right one among its alternatives: 合位 with 倂 listed */
    const char *merge[] = {"合:0", "位:0 倂:1.2 億:2"};
    lr_decode_result r = decode_lattice(ev, merge, 2);
    CHECK(r.found && strcmp(r.value, "merge") == 0 && !r.exact);
    CHECKF(fabsf(r.cost - 1.2f) < 0.01f, "%f", r.cost);
    /* without it listed the nearest word is still 合倂 (one glyph replaced), with less margin */
    const char *merge2[] = {"合:0", "位:0"};
    lr_decode_result r2 = decode_lattice(ev, merge2, 2);
    CHECK(r2.found && strcmp(r2.value, "merge") == 0);
    CHECK(r2.conf < r.conf + 1e-3f);
    /* a dropped glyph: 分 alone of 分割 read; an extra glyph: a speck read 1 before 分割 */
    const char *drop[] = {"分:0"};
    r = decode_lattice(ev, drop, 1);
    CHECK(r.found && strcmp(r.value, "split") == 0);
    const char *extra[] = {"1:0", "分:0", "割:0"};
    r = decode_lattice(ev, extra, 3);
    CHECK(r.found && strcmp(r.value, "split") == 0 && fabsf(r.cost - 3.5f) < 0.01f);
    /* one glyph, misread and none of its alternatives a word: no word of one glyph is read */
    const char *one[] = {"春:0 才:1"};
    lr_decode_ctx cat = {.grammar = LR_GRAMMAR_CATEGORY, .script = LR_SCRIPT_HANJA};
    r = decode_lattice(cat, one, 1);
    CHECK(!r.found);
    const char *one_listed[] = {"春:0 畓:1.5"};
    r = decode_lattice(cat, one_listed, 1);
    CHECK(r.found && strcmp(r.value, "02") == 0);
    /* a grade 二十九 read 二二九 with 十 a close second at the middle position */
    lr_decode_ctx grade = {.grammar = LR_GRAMMAR_GRADE};
    const char *g29[] = {"二:0", "二:0 十:0.8", "九:0"};
    r = decode_lattice(grade, g29, 3);
    CHECK(r.found && strcmp(r.value, "29") == 0 && fabsf(r.cost - 0.8f) < 0.01f);
    /* two near values: 二十九 and 三十九 nearly as likely: little margin */
    const char *near[] = {"二:0 三:0.3", "十:0", "九:0"};
    r = decode_lattice(grade, near, 3);
    CHECK(r.found && strcmp(r.value, "29") == 0 && r.nalt >= 2 &&
          strcmp(r.alt[1].value, "39") == 0);
    const char *far[] = {"二:0 三:6", "十:0", "九:0"};
    lr_decode_result rf = decode_lattice(grade, far, 3);
    CHECKF(r.conf < 30 && rf.conf > r.conf + 40, "%f %f", r.conf, rf.conf);
    CHECK(fabsf(r.runner_up - r.cost - 0.3f) < 0.01f);
    /* a date with a glyph misread (壹 read 壺, not listed) and 日 read 晶 with 日 listed */
    lr_decode_ctx date = {.grammar = LR_GRAMMAR_DATE};
    const char *d[] = {"大:0", "正:0", "壺:0", "年:0", "壺:0", "月:0", "二:0",
                       "十:0", "晶:0 日:2"};
    r = decode_lattice(date, d, 9);
    CHECKF(r.found && strcmp(r.value, "1912-01-20") != 0, "%s", r.value); /* 大正元年 began 07-30 */
    const char *d2[] = {"大:0", "正:0", "壺:0", "年:0", "拾:0", "月:0", "二:0", "十:0",
                        "晶:0 日:2"};
    r = decode_lattice(date, d2, 9);
    CHECKF(r.found && strcmp(r.value, "1912-10-20") == 0, "%s %s", r.value, r.text);
}

static void test_areas(void)
{
    lr_decode_ctx tsubo = {.grammar = LR_GRAMMAR_AREA, .area = LR_AREA_TSUBO};
    lr_decode_ctx cho = {.grammar = LR_GRAMMAR_AREA, .area = LR_AREA_CHO};
    lr_decode_ctx metric = {.grammar = LR_GRAMMAR_AREA, .area = LR_AREA_METRIC};
    /* right readings, each unit optional, in every notation the numerals take */
    CHECK(exact(tsubo, "五百七拾參坪貳合", "573坪2合"));
    CHECK(exact(tsubo, "壹百貳拾參坪五合", "123坪5合"));
    CHECK(exact(tsubo, "百二十三坪五合六勺", "123坪5合6勺"));
    CHECK(exact(tsubo, "一二三坪", "123坪"));
    CHECK(exact(tsubo, "573坪", "573坪"));
    CHECK(exact(tsubo, "五合", "5合"));
    CHECK(exact(tsubo, "三坪七勺", "3坪7勺"));
    CHECK(exact(cho, "八畝廿步", "8畝20步"));
    CHECK(exact(cho, "參町貳段五畝拾步", "3町2段5畝10步"));
    CHECK(exact(cho, "1町2段3畝4步", "1町2段3畝4步"));
    CHECK(exact(cho, "四畝廿七步", "4畝27步"));
    /* 步 closing an area that ends on a larger unit adds nothing */
    CHECK(exact(cho, "參町步", "3町"));
    CHECK(exact(cho, "六段八畝步", "6段8畝"));
    CHECK(exact(metric, "408.26㎡", "408.26㎡"));
    CHECK(exact(metric, "408.3", "408.3㎡"));
    CHECK(exact(metric, "1250", "1250㎡"));
    /* each unit holds less than the next larger one: 拾合 is no area as read */
    lr_decode_result r = decode_text(tsubo, "五坪拾合");
    CHECK(!r.exact);
    r = decode_text(cho, "八畝卅步");
    CHECK(!r.exact);
    /* units out of order or of the other system are no exact reading */
    r = decode_text(tsubo, "五合三坪");
    CHECK(!r.exact);
    r = decode_text(tsubo, "三町");
    CHECK(!r.exact);
    /* a closing 步 with nothing before it is no area as read */
    r = decode_text(cho, "步");
    CHECK(!r.exact);

    /* one wrong glyph restored from the lattice's alternatives: 貳 read 京, listed second */
    const char *two[] = {"五:0", "百:0", "七:0", "拾:0", "參:0", "坪:0", "京:0 貳:1.5 三:4",
                         "合:0"};
    r = decode_lattice(tsubo, two, 8);
    CHECKF(r.found && strcmp(r.value, "573坪2合") == 0 && !r.exact, "%s", r.value);
    CHECKF(fabsf(r.cost - 1.5f) < 0.01f, "%f", r.cost);
    CHECK(r.nalt >= 2 && strcmp(r.alt[1].value, "573坪2合") != 0);
    CHECKF(r.conf > 50, "%f", r.conf); /* the next value misses a glyph: a margin of 1.5 */
    /* 廿 read 凹 with 廿 listed */
    const char *nian[] = {"八:0", "畝:0", "凹:0 廿:2", "步:0"};
    r = decode_lattice(cho, nian, 4);
    CHECKF(r.found && strcmp(r.value, "8畝20步") == 0, "%s", r.value);
    /* a unit's glyph dropped: 三坪五合七勺 read without 合, which only 合 fits (57勺 is no
     * quantity of 勺, 合 has one) */
    const char *drop[] = {"三:0", "坪:0", "五:0", "七:0", "勺:0"};
    r = decode_lattice(tsubo, drop, 5);
    CHECKF(r.found && strcmp(r.value, "3坪5合7勺") == 0 && fabsf(r.cost - 3.0f) < 0.01f,
           "%s %f", r.value, r.cost);
    /* where a digit replaced by the unit reads as well (五百七拾參貳合: 573坪2合 with 坪 put
     * back, 570坪2合 with 參 read as 坪), the two cost the same: no margin, for review */
    const char *tie[] = {"五:0", "百:0", "七:0", "拾:0", "參:0", "貳:0", "合:0"};
    r = decode_lattice(tsubo, tie, 7);
    CHECKF(r.found && r.conf < 1, "%s %f", r.value, r.conf);
    /* a unit's glyph misread, not listed, where the order of units leaves one unit for it:
     * look-alike entries (匀 台 抨) the grammar alone restores there */
    CHECK(decodes_to(tsubo, "三坪五合七匀", "3坪5合7勺"));
    CHECK(decodes_to(tsubo, "三坪五台七勺", "3坪5合7勺"));
    CHECK(decodes_to(tsubo, "五百七拾參抨貳合", "573坪2合"));
    /* where several units fit it, a tie: no margin (五抨: 坪, 合 or 勺) */
    r = decode_text(tsubo, "五抨");
    CHECKF(r.found && r.conf < 1, "%s %f", r.value, r.conf);

    /* junk, empty, over-long */
    r = decode_text(tsubo, "유즈 >");
    CHECK(!r.found);
    r = decode_text(cho, "스 비 쥬 봉 크");
    CHECK(!r.found);
    r = decode_text(tsubo, "");
    CHECK(!r.found && r.nalt == 0);
    char longer[LR_LATTICE_MAX * 3 + 8] = "";
    for (int i = 0; i <= LR_LATTICE_MAX; i++)
        strcat(longer, i % 2 ? "坪" : "五");
    r = decode_text(tsubo, longer);
    CHECK(!r.found);

    /* the whitelist of an area: every system's characters */
    char cs[2048];
    lr_decode_ctx hanja = tsubo;
    hanja.script = LR_SCRIPT_HANJA;
    lr_decode_charset(tables, &hanja, cs, sizeof cs);
    CHECK(strstr(cs, "坪") && strstr(cs, "勺") && strstr(cs, "町") && strstr(cs, "畝") &&
          strstr(cs, "廿") && strstr(cs, ".") && strstr(cs, "㎡") && !strstr(cs, "평"));
}

/* What were entries of lookalikes.tsv: one glyph misread in a word or a date, restored by the
 * grammar alone (no alternatives listed). */
static void test_former_lookalikes(void)
{
    lr_decode_ctx date = {.grammar = LR_GRAMMAR_DATE};
    CHECK(decodes_to(date, "昭和拾貳年參月五曰", "1937-03-05")); /* 曰 for 日 */
    CHECK(decodes_to(date, "大正五午八月十日", "1916-08-10"));   /* 午 for 年 */
    CHECK(decodes_to(date, "照和十二年三月五日", "1937-03-05")); /* 照 for 昭 */
    CHECK(decodes_to(date, "大止五年八月十日", "1916-08-10"));   /* 止 for 正 */
    CHECK(decodes_to(date, "大正五年八冃十日", "1916-08-10"));   /* 冃 for 月 */
    lr_decode_ctx cat = {.grammar = LR_GRAMMAR_CATEGORY};
    CHECK(decodes_to(cat, "地沼", "19")); /* 地 for 池 */
    lr_decode_ctx owner = {.grammar = LR_GRAMMAR_EVENT, .side = LR_DECODE_SIDE_OWNER};
    CHECK(decodes_to(owner, "相績", "inheritance"));   /* 績 for 續 */
    CHECK(decodes_to(owner, "所有權移傳", "transfer")); /* 傳 for 轉 */
    lr_decode_ctx ev = {.grammar = LR_GRAMMAR_EVENT};
    CHECK(decodes_to(ev, "得定", "assessment")); /* 得 for 査 */
}

static void test_junk(void)
{
    lr_decode_ctx ev = {.grammar = LR_GRAMMAR_EVENT};
    lr_decode_ctx date = {.grammar = LR_GRAMMAR_DATE};
    lr_decode_result r = decode_text(ev, "");
    CHECK(!r.found && r.nalt == 0);
    r = decode_text(date, "소푸즈뚜8");
    CHECK(!r.found);
    r = decode_text(ev, "@#%&*!~");
    CHECK(!r.found);
    /* longer than any field: refused without a search */
    char longer[LR_LATTICE_MAX * 3 + 8] = "";
    for (int i = 0; i <= LR_LATTICE_MAX; i++)
        strcat(longer, "分");
    r = decode_text(ev, longer);
    CHECK(!r.found);
    lr_error err;
    lr_lattice l = {0};
    CHECK(lr_decode(NULL, &ev, &l, &r, &err) == LR_ERR_ARG);
    CHECK(lr_decode(tables, &ev, &l, &r, &err) == LR_OK && !r.found);
}

int main(void)
{
    char dir[4200];
    const char *root = getenv("LR_SOURCE_ROOT");
    snprintf(dir, sizeof dir, "%s/data", root ? root : ".");
    lr_error err;
    if (lr_decode_tables_load(dir, &tables, &err) != LR_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 99;
    }
    test_numerals();
    test_dates();
    test_words();
    test_lattices();
    test_former_lookalikes();
    test_areas();
    test_junk();
    lr_decode_tables_destroy(&tables);
    printf("%d checks, %d failed\n", lr_test_checks, lr_test_failed);
    return lr_test_failed ? 1 : 0;
}
