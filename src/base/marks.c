/* marks.c — the table of the marks OCR writes where a ledger holds no writing (see marks.h). */
#include "landrec/marks.h"

#include "landrec/utf8.h"

enum {
    SQ = LR_MARKS_SQUEEZE,
    FI = LR_MARKS_FIELD,
    DOT = LR_MARKS_DOT,
    DI = LR_MARKS_DITTO,
    ST = LR_MARKS_STRAY,
    DQ = LR_MARKS_DITTO_QUOTE,
};

typedef struct mark {
    uint32_t cp;
    unsigned sets;
} mark;

/* Sorted by code point (lr_marks_has searches it by halves).
 *
 * Two differences between the squeeze and field subsets carry no reason but the results
 * that depend on them: ¦ is dropped from fields and kept by squeezing, and ` the other way
 * round. Making them agree changes which labels are found and what fields read, so it waits
 * for an evaluation run that compares the two. */
static const mark marks[] = {
    {0x0021, SQ | FI},                /* ! a short vertical line and a speck */
    {0x0022, SQ | FI | DI | ST | DQ}, /* " */
    {0x0027, SQ | FI | DI},           /* ' */
    {0x0028, SQ},                     /* ( */
    {0x0029, SQ},                     /* ) */
    {0x002A, SQ},                     /* * */
    {0x002C, SQ},                     /* , */
    {0x002E, SQ | DOT},               /* . */
    {0x002F, DI},                     /* / the stroke of a ditto mark */
    {0x003A, SQ},                     /* : */
    {0x003B, SQ},                     /* ; */
    {0x0040, ST},                     /* @ a seal */
    {0x005B, SQ | FI},                /* [ the corner of a ruling line */
    {0x005D, SQ | FI},                /* ] */
    {0x005F, SQ | FI},                /* _ a horizontal ruling line */
    {0x0060, SQ | DI | ST},           /* ` */
    {0x007C, SQ | FI},                /* | a vertical ruling line */
    {0x007E, SQ},                     /* ~ */
    {0x00A6, FI},                     /* ¦ a broken vertical ruling line */
    {0x00A9, ST},                     /* © a seal */
    {0x00B7, SQ | DOT},               /* · */
    {0x02D9, DOT},                    /* ˙ */
    {0x2018, SQ | FI | DI},           /* ‘ */
    {0x2019, SQ | FI | DI},           /* ’ */
    {0x201C, SQ | FI | DI | ST | DQ}, /* “ */
    {0x201D, SQ | FI | DI | ST | DQ}, /* ” */
    {0x2022, DOT},                    /* • */
    {0x2027, DOT},                    /* ‧ */
    {0x2033, DI | DQ},                /* ″ */
    {0x3001, SQ},                     /* 、 */
    {0x3002, SQ | ST},                /* 。 */
    {0x3003, DI},                     /* 〃 the ditto mark itself */
    {0x30FB, SQ | DOT},               /* ・ */
    {0xFFFD, SQ | FI},                /* what a byte that is not UTF-8 decodes to */
};

bool lr_marks_has(unsigned sets, uint32_t c)
{
    size_t lo = 0, hi = sizeof marks / sizeof *marks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (marks[mid].cp == c)
            return (marks[mid].sets & sets) != 0;
        if (marks[mid].cp < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

size_t lr_marks_prefix(unsigned sets, const char *s, size_t len)
{
    uint32_t c;
    size_t n = lr_utf8_next(s, len, &c);
    return n && lr_marks_has(sets, c) ? n : 0;
}

size_t lr_marks_suffix(unsigned sets, const char *s, size_t len)
{
    /* The last character is the one sequence that ends exactly at len. */
    for (size_t n = 1; n <= 4 && n <= len; n++) {
        uint32_t c;
        if (lr_utf8_next(s + len - n, n, &c) == n)
            return lr_marks_has(sets, c) ? n : 0;
    }
    return 0;
}
