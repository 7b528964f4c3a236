/* test_text.c — the edit distance (lr_text_edit_distance, lr_text_distance), and the marks
 * table: each subset is exactly the list its callers dropped or recognised before there was
 * one table, over every code point, so that sharing the table changed no result. */
#include <stdint.h>

#include "landrec/marks.h"
#include "landrec/text.h"
#include "lr_test.h"

/* The distance of two UTF-8 strings. */
static size_t dist(const char *a, const char *b)
{
    uint32_t ca[256], cb[256];
    size_t na = lr_text_decode(a, ca, 256), nb = lr_text_decode(b, cb, 256), d = 999;
    CHECK(lr_text_edit_distance(ca, na, cb, nb, NULL, &d) == LR_OK);
    return d;
}

static void distances(void)
{
    CHECK(dist("kitten", "sitting") == 3);
    CHECK(dist("", "") == 0);
    CHECK(dist("", "林野臺帳") == 4);
    CHECK(dist("林野臺帳", "") == 4);
    CHECK(dist("林野臺帳", "林野臺峠") == 1);
    CHECK(dist("土地臺帳", "林野臺帳") == 2);
    CHECK(dist("ab", "ba") == 2);
    /* Longer than the stack's rows: the same answer from rows on the heap. */
    char a[201], b[201];
    memset(a, 'x', 200);
    memcpy(b, a, 200);
    a[200] = b[200] = '\0';
    b[10] = 'y';
    b[150] = 'y';
    b[199] = 'y';
    CHECK(dist(a, b) == 3);
    CHECK(dist(a, a + 100) == 100);
}

/* lr_text_distance compares the first LR_TEXT_DISTANCE_MAX code points only. */
static void cut(void)
{
    uint32_t a[LR_TEXT_DISTANCE_MAX + 2], b[LR_TEXT_DISTANCE_MAX + 2];
    for (size_t i = 0; i < LR_TEXT_DISTANCE_MAX + 2; i++)
        a[i] = b[i] = 0xAC00 + (uint32_t)i;
    b[LR_TEXT_DISTANCE_MAX] = 'x';
    b[LR_TEXT_DISTANCE_MAX + 1] = 'y';
    size_t whole = 0;
    CHECK(lr_text_distance(a, LR_TEXT_DISTANCE_MAX + 2, b, LR_TEXT_DISTANCE_MAX + 2) == 0);
    CHECK(lr_text_edit_distance(a, LR_TEXT_DISTANCE_MAX + 2, b, LR_TEXT_DISTANCE_MAX + 2, NULL,
                                &whole) == LR_OK &&
          whole == 2);
    b[3] = 'z';
    CHECK(lr_text_distance(a, LR_TEXT_DISTANCE_MAX + 2, b, LR_TEXT_DISTANCE_MAX + 2) == 1);
}

/* The steps: "a1" against "1a" is two substitutions or a deletion and an insertion; ties go
 * to the diagonal, so the trace back finds two substitutions. */
static void steps(void)
{
    uint32_t a[] = {'a', '1'}, b[] = {'1', 'a'};
    uint8_t st[9];
    size_t d = 0;
    CHECK(lr_text_edit_distance(a, 2, b, 2, st, &d) == LR_OK && d == 2);
    CHECK(st[2 * 3 + 2] == LR_TEXT_STEP_DIAG && st[1 * 3 + 1] == LR_TEXT_STEP_DIAG);
    CHECK(st[0 * 3 + 1] == LR_TEXT_STEP_INS && st[1 * 3 + 0] == LR_TEXT_STEP_DEL);
    /* "ab" against "b": b kept last, a deleted before it. */
    uint32_t ab[] = {'a', 'b'}, bb[] = {'b'};
    uint8_t st2[6];
    CHECK(lr_text_edit_distance(ab, 2, bb, 1, st2, &d) == LR_OK && d == 1);
    CHECK(st2[2 * 2 + 1] == LR_TEXT_STEP_DIAG && st2[1 * 2 + 0] == LR_TEXT_STEP_DEL);
}

/* The lists as their callers had them, one a subset. */
static const uint32_t squeeze[] = {
    '.', ',', ':', ';',  '\'',   '"',    '|',    '_',    '(',    ')',    '[',    ']',   '`',
    '~', '!', '*', 0xB7, 0x30FB, 0x2018, 0x2019, 0x201C, 0x201D, 0x3001, 0x3002, 0xFFFD};
static const uint32_t field[] = {'|',    0xA6,   '"',    '\'',   '_', '[',   ']',
                                 0x201C, 0x201D, 0x2018, 0x2019, '!', 0xFFFD};
static const uint32_t dot[] = {'.', 0xB7, 0x2027, 0x30FB, 0x2D9, 0x2022};
static const uint32_t ditto[] = {'/',    '"',    '\'',   '`',    0x201C,
                                 0x201D, 0x2018, 0x2019, 0x2033, 0x3003};
static const uint32_t stray[] = {0x201C, 0x201D, 0x3002, '"', '`', '@', 0xA9};
static const uint32_t ditto_quote[] = {0x201D, 0x201C, '"', 0x2033};

static bool in(const uint32_t *list, size_t n, uint32_t c)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == c)
            return true;
    return false;
}

#define SUBSET(set, list) check_subset(#set, set, list, sizeof list / sizeof *list)

static void check_subset(const char *name, unsigned set, const uint32_t *list, size_t n)
{
    size_t wrong = 0;
    for (uint32_t c = 0; c <= 0x10FFFF; c++)
        if (lr_marks_has(set, c) != in(list, n, c) && wrong++ < 5)
            fprintf(stderr, "%s: U+%04X\n", name, (unsigned)c);
    CHECKF(wrong == 0, "%s differs from its list in %zu code points", name, wrong);
}

static void marks(void)
{
    SUBSET(LR_MARKS_SQUEEZE, squeeze);
    SUBSET(LR_MARKS_FIELD, field);
    SUBSET(LR_MARKS_DOT, dot);
    SUBSET(LR_MARKS_DITTO, ditto);
    SUBSET(LR_MARKS_STRAY, stray);
    SUBSET(LR_MARKS_DITTO_QUOTE, ditto_quote);
    CHECK(lr_marks_has(LR_MARKS_DOT | LR_MARKS_STRAY, '@'));

    const char *s = "\u201C分筆\u3002";
    size_t n = strlen(s);
    CHECK(lr_marks_prefix(LR_MARKS_STRAY, s, n) == 3 && lr_marks_suffix(LR_MARKS_STRAY, s, n) == 3);
    CHECK(lr_marks_prefix(LR_MARKS_DITTO, s, n) == 3 && lr_marks_suffix(LR_MARKS_DITTO, s, n) == 0);
    CHECK(lr_marks_prefix(LR_MARKS_STRAY, "@x", 2) == 1 &&
          lr_marks_suffix(LR_MARKS_STRAY, "x@", 2) == 1);
    /* Only whole characters: the last bytes of ” after a byte that is no lead are no mark. */
    CHECK(lr_marks_suffix(LR_MARKS_STRAY, "x\x80\x9d", 3) == 0);
    CHECK(lr_marks_prefix(LR_MARKS_STRAY, "\xe2\x80", 2) == 0);
    CHECK(lr_marks_prefix(LR_MARKS_STRAY, "", 0) == 0 &&
          lr_marks_suffix(LR_MARKS_STRAY, "", 0) == 0);
}

static void squeezing(void)
{
    uint32_t c[16];
    size_t n = lr_text_squeeze(" 地\u3000目.「」 ", c, 16);
    /* 「 」 are no marks of the table: they stay. */
    CHECK(n == 4 && c[0] == 0x5730 && c[1] == 0x76EE && c[2] == 0x300C && c[3] == 0x300D);
    CHECK(lr_text_squeeze("|_(\u00b7)\xff", c, 16) == 0);
}

int main(void)
{
    distances();
    cut();
    steps();
    marks();
    squeezing();
    return lr_test_finish("base-text");
}
