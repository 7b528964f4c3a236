/* Places decoded against the gazetteer (data/gazetteer.tsv): exact names kept, one or two
 * wrong glyphs restored, Hangul readings of Hanja names matched, a unit under the wrong
 * parent refused, junk and over-long text unmatched and quick; and the PNU of a resolved
 * location. */
#include "landrec/clock.h"
#include "landrec/gazetteer.h"
#include "landrec/tsv.h"
#include "norm_test.h"

static const lr_gazetteer *G;

static lr_gaz_match decode(const char *s)
{
    lr_gaz_match m;
    lr_error err;
    int rc = lr_gazetteer_decode(G, s, strlen(s), &m, &err);
    CHECKF(rc == LR_OK, "\"%s\": rc %d", s, rc);
    return m;
}

/* s decodes to value (place and the rest) with at most max_cost edits. */
static void decodes(const char *s, const char *value, double max_cost, int line)
{
    lr_gaz_match m = decode(s);
    CHECKF(m.matched && strcmp(m.value, value) == 0 && m.cost <= max_cost + 1e-9,
           "line %d: \"%s\": got \"%s\" (matched %d, cost %.1f, margin %.1f), want \"%s\" "
           "(cost <= %.1f)",
           line, s, m.value, m.matched, m.cost, m.margin, value, max_cost);
}

#define DECODES(s, value, cost) decodes(s, value, cost, __LINE__)

static void code_is(const char *s, const char *code, int line)
{
    lr_gaz_match m = decode(s);
    CHECKF(strcmp(m.legal_dong, code) == 0, "line %d: \"%s\": code \"%s\", want \"%s\"", line, s,
           m.legal_dong, code);
}

/* The table's integrity, read as a file (not through the loader): ids unique, every parent
 * an id of the table, every code 10 digits, every row named. */
typedef struct integrity {
    int ids[8192], parents[8192];
    int n;
    int bad_code, unnamed, bad_level;
    int coded;
} integrity;

static int integrity_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    (void)err;
    integrity *in = ctx;
    if (in->n >= 8192)
        return LR_ERR_TOO_LARGE;
    in->ids[in->n] = atoi(lr_tsv_cell(r, 0));
    in->parents[in->n++] = *lr_tsv_cell(r, 1) ? atoi(lr_tsv_cell(r, 1)) : 0;
    const char *code = lr_tsv_cell(r, 3);
    if (*code) {
        in->coded++;
        bool ok = strlen(code) == 10;
        for (const char *c = code; ok && *c; c++)
            ok = *c >= '0' && *c <= '9';
        in->bad_code += !ok;
    }
    in->unnamed += !*lr_tsv_cell(r, 4) && !*lr_tsv_cell(r, 5);
    static const char *const levels[] = {"do", "bu", "si", "gun", "gu", "myeon",
                                         "ri", "dong", "jeong", "ga"};
    bool known = false;
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        known |= strcmp(lr_tsv_cell(r, 2), levels[i]) == 0;
    in->bad_level += !known;
    return LR_OK;
}

static void check_integrity(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/gazetteer.tsv", nt_data_dir());
    lr_tsv tsv;
    lr_error err;
    static integrity in;
    static const char *const cols[] = {"id", "parent", "level", "legal_dong", "hanja", "hangul"};
    CHECK(lr_tsv_load(path, NULL, &tsv, &err) == LR_OK &&
          lr_tsv_each_row(&tsv, cols, 6, integrity_row, &in, &err) == LR_OK);
    lr_tsv_free(&tsv);
    CHECK(in.n > 1000);
    int dup = 0, orphans = 0;
    for (int i = 0; i < in.n; i++) {
        bool found = in.parents[i] == 0;
        for (int j = 0; j < in.n; j++) {
            dup += j != i && in.ids[j] == in.ids[i];
            found |= in.ids[j] == in.parents[i];
        }
        orphans += !found;
    }
    CHECKF(dup == 0 && orphans == 0 && in.bad_code == 0 && in.unnamed == 0 &&
               in.bad_level == 0 && in.coded > 0,
           "%d duplicate ids, %d without their parent, %d bad codes, %d unnamed, %d bad levels, "
           "%d coded",
           dup, orphans, in.bad_code, in.unnamed, in.bad_level, in.coded);
}

int main(void)
{
    check_integrity();

    lr_gazetteer *g = NULL;
    lr_error err;
    if (lr_gazetteer_load(nt_data_dir(), &g, &err) != LR_OK) {
        fprintf(stderr, "cannot load the gazetteer: %s (%s)\n", err.message, err.detail);
        return 99;
    }
    G = g;
    CHECK(lr_gazetteer_size(g) > 1000);
    CHECK(strlen(lr_gazetteer_digest(g)) == 64);

    /* Exact names, in Hanja and in Hangul, the rest of the text kept. */
    DECODES("京畿道 高陽郡 纛島面", "京畿道 高陽郡 纛島面", 0);
    DECODES("京畿道高陽郡延禧面新村里", "京畿道 高陽郡 延禧面 新村里", 0);
    DECODES("京城府 黃金町 三丁目 二五八番地", "京城府 黃金町 三丁目 二五八番地", 0);
    DECODES("서울특별시 종로구 청운동 123-4", "서울특별시 종로구 청운동 123-4", 0);
    DECODES("京畿道 楊州郡 蘆海面 倉洞里 五六ノ一", "京畿道 楊州郡 蘆海面 倉洞里 五六ノ一", 0);

    /* One or two wrong glyphs restored. */
    DECODES("京幾道 高陽郡 崇仁面", "京畿道 高陽郡 崇仁面", 1);
    DECODES("京鐘道 高陽都 鹿島面", "京畿道 高陽郡 纛島面", 3);
    DECODES("京畿道 高陽郵 延禧面 新村時", "京畿道 高陽郡 延禧面 新村里", 2);
    DECODES("京城府 黃金叮 六丁目", "京城府 黃金町 六丁目", 1);
    DECODES("京城府 旭上町 二丁目", "京城府 旭町 二丁目", 1); /* a glyph too many */
    DECODES("京畿道 廣州都 彦州面 驛三里", "京畿道 廣州郡 彦州面 驛三里", 1);
    /* a unit's kind read as another character (那 邵 部 for 郡, 座 for 府) */
    DECODES("京畿道 高 陽 那 崇仁 面", "京畿道 高陽郡 崇仁面", 1);
    DECODES("京畿道 高陽邵 崇仁面", "京畿道 高陽郡 崇仁面", 1);
    DECODES("京畿道 廣州部 彦州面", "京畿道 廣州郡 彦州面", 1);
    DECODES("京城座 鍾路 五丁目", "京城府 鍾路 五丁目", 1);
    /* a name misread as well as its kind: another place, not repaired to this one */
    lr_gaz_match far = decode("京畿道 高陰那 崇仁面");
    CHECKF(strncmp(far.place, "京畿道 高陽郡", strlen("京畿道 高陽郡")) != 0, "\"%s\"",
           far.place);

    /* A first unit half misread, confirmed by the unit after it read right; junk where a
     * unit was, the unit after it read right. */
    DECODES("媽合特別市 城東區 往十里洞 248", "서울特別市 城東區 往十里洞 248", 2.5);
    DECODES("京畿道 유재 東面新林里", "京畿道 始興郡 東面 新林里", 3);
    DECODES("그런 楊州郡 蘆海面", "京畿道 楊州郡 蘆海面", 2.5);
    lr_gaz_match lone = decode("서울시 종로구 청운동"); /* the short form is no misreading */
    CHECKF(!lone.matched || strncmp(lone.value, "서울시", strlen("서울시")) == 0, "\"%s\"",
           lone.value);
    lone = decode("媽合特別市");
    CHECKF(!lone.matched, "a first unit half misread alone: \"%s\"", lone.value);

    /* Hangul readings of Hanja names, and Hanja read for a Hangul name. */
    DECODES("경기도 고양군 숭인면", "경기도 고양군 숭인면", 0.5);
    DECODES("서울特別市 中區 明洞二街 209", "서울特別市 中區 明洞二街 209", 0.5);
    DECODES("서울特別市 城東區 往十里洞 437", "서울特別市 城東區 往十里洞 437", 0.5);
    DECODES("경성부 황금정", "경성부 황금정", 0.5);
    DECODES("京城府 황금정", "京城府 황금정", 0.5);

    /* The deepest unit's 법정동코드: Seoul's existing rows, the list's abolished 里. */
    code_is("서울특별시 종로구 청운동", "1111010100", __LINE__);
    code_is("서울特別市 中區 明洞二街", "1114012700", __LINE__);
    code_is("京畿道 廣州郡 彦州面 驛三里 一二", "4179006001", __LINE__);
    code_is("京城府 黃金町", "", __LINE__);

    /* The PNU of a resolved location and its lot: code, 1 (land) or 2 (산), 본번, 부번. */
    lr_norm_tables *t = nt_load();
    static const struct {
        const char *where, *lot, *pnu;
    } pnus[] = {
        {"서울특별시 종로구 청운동", "一二三ノ四", "1111010100101230004"},
        {"서울特別市 中區 明洞二街", "209", "1114012700102090000"},
        {"京畿道 廣州郡 彦州面 驛三里", "산12-3", "4179006001200120003"},
        {"京幾道 廣州都 彦州面 驛三里", "五六", "4179006001100560000"},
    };
    for (size_t i = 0; i < sizeof pnus / sizeof *pnus; i++) {
        lr_gaz_match pm = decode(pnus[i].where);
        lr_norm_lots lots;
        char pnu[LR_NORM_PNU_SIZE] = "";
        CHECK(lr_norm_parse_lots(t, S(pnus[i].lot), NULL, &lots, &err) == LR_OK &&
              lots.nitems == 1);
        int rc = lr_norm_build_pnu(NULL, pm.legal_dong, &lots.items[0].lot, pnu, &err);
        CHECKF(rc == LR_OK && strcmp(pnu, pnus[i].pnu) == 0, "%s %s: PNU \"%s\", want %s",
               pnus[i].where, pnus[i].lot, pnu, pnus[i].pnu);
    }
    lr_norm_tables_destroy(&t);

    /* A unit under the wrong parent is refused: 新村里 is 延禧面's, not 崇仁面's. */
    lr_gaz_match m = decode("京畿道 高陽郡 崇仁面 新村里");
    CHECKF(m.matched && strcmp(m.place, "京畿道 高陽郡 崇仁面") == 0, "wrong parent: \"%s\"",
           m.place);
    /* 청운동 is 종로구's, not 중구's: the path ends at 중구, and the code is 중구's */
    m = decode("서울특별시 중구 청운동");
    CHECKF(strcmp(m.place, "서울특별시 중구") == 0 && strcmp(m.legal_dong, "1114000000") == 0,
           "wrong parent: \"%s\" %s", m.place, m.legal_dong);

    /* Up to three candidates, best first, and a margin over the runner-up. */
    m = decode("京畿道 高陽郡 延禧面 新村里");
    CHECKF(m.ncand >= 1 && strcmp(m.cand[0], m.value) == 0 && m.margin > 0,
           "candidates %d \"%s\", margin %.1f", m.ncand, m.cand[0], m.margin);

    /* Junk, empty, over-long: no match, at once. */
    const char *junk[] = {"", " ", "!!!??", "12345", "abc def", "그런 제 풀 별", "\xff\xfe\xfd",
                          "ノノノノ"};
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
        m = decode(junk[i]);
        CHECKF(!m.matched && m.value[0] == '\0' && m.ncand == 0, "junk \"%s\": \"%s\"", junk[i],
               m.value);
    }
    size_t big = 100 * 1024;
    char *s = malloc(big + 1);
    for (size_t i = 0; i + 9 <= big; i += 9)
        memcpy(s + i, "京畿道", 9);
    s[big / 9 * 9] = '\0';
    double t0 = lr_clock_ms();
    CHECK(lr_gazetteer_decode(g, s, strlen(s), &m, &err) == LR_OK && !m.matched);
    /* junk of the longest length decoded: the worst case the extractor meets */
    char longest[LR_GAZ_INPUT_MAX + 1];
    memcpy(longest, s, LR_GAZ_INPUT_MAX / 3 * 3);
    longest[LR_GAZ_INPUT_MAX / 3 * 3] = '\0';
    CHECK(lr_gazetteer_decode(g, S(longest), &m, &err) == LR_OK);
    double ms = lr_clock_ms() - t0;
    /* a field's normalisation must not cost what its OCR does (tens of ms) */
    CHECKF(ms < 200, "over-long input took %.0f ms", ms);
    free(s);
    CHECK(lr_gazetteer_decode(NULL, S("京畿道"), &m, &err) == LR_ERR_ARG);
    CHECK(lr_gazetteer_decode(g, NULL, 3, &m, &err) == LR_ERR_ARG);
    CHECK(lr_gazetteer_decode(g, NULL, 0, &m, &err) == LR_OK && !m.matched);

    lr_gazetteer_destroy(&g);
    CHECK(g == NULL);
    return lr_test_finish("normalize-gazetteer");
}
