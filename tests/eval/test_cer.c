/* test_cer.c — pins lr_metrics_cer (metrics.h) to small cases counted by hand: whole-text
 * edits, the kind of each edit and the class it is charged to, multibyte and malformed UTF-8,
 * whitespace, empty and identical texts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/metrics.h"
#include "cer_classes.h"
#include "lr_test.h"

#define O LR_CHAR_OTHER
#define K LR_CHAR_HANGUL
#define H LR_CHAR_HANJA
#define D LR_CHAR_DIGIT

/* Expected outcome: totals, then per class (other, Hangul, Hanja, digits) reference length
 * and edits charged. */
typedef struct want {
    size_t ref_len, edits, sub, del, ins;
    size_t cref[LR_CHAR_NCLASSES], cedit[LR_CHAR_NCLASSES];
} want;

static void expect(const char *what, const char *ref, const char *hyp, want w)
{
    lr_cer c;
    lr_error err;
    int rc = lr_metrics_cer(ref, hyp, &c, &err);
    CHECKF(rc == 0, "%s: rc %d (%s)", what, rc, err.message);
    CHECKF(c.ref_len == w.ref_len && c.edits == w.edits,
           "%s: %zu edits over %zu, want %zu over %zu", what, c.edits, c.ref_len, w.edits,
           w.ref_len);
    CHECKF(c.substitutions == w.sub && c.deletions == w.del && c.insertions == w.ins,
           "%s: S/D/I %zu/%zu/%zu, want %zu/%zu/%zu", what, c.substitutions, c.deletions,
           c.insertions, w.sub, w.del, w.ins);
    CHECKF(c.edits == c.substitutions + c.deletions + c.insertions, "%s: kinds do not add up",
           what);
    check_cer_classes(&c, w.cref, w.cedit, what);
}

int main(void)
{
    /* Plain Latin: every character is class "other". */
    expect("identical", "abc", "abc", (want){3, 0, 0, 0, 0, {3, 0, 0, 0}, {0}});
    expect("one substitution", "abc", "abd", (want){3, 1, 1, 0, 0, {3, 0, 0, 0}, {1, 0, 0, 0}});
    expect("one deletion", "abcd", "abd", (want){4, 1, 0, 1, 0, {4, 0, 0, 0}, {1, 0, 0, 0}});
    expect("one insertion", "abc", "abxc", (want){3, 1, 0, 0, 1, {3, 0, 0, 0}, {1, 0, 0, 0}});
    /* kitten → sitting: k→s, e→i, g inserted. */
    expect("kitten/sitting", "kitten", "sitting",
           (want){6, 3, 2, 0, 1, {6, 0, 0, 0}, {3, 0, 0, 0}});
    expect("transposition is two edits", "ab", "ba",
           (want){2, 2, 2, 0, 0, {2, 0, 0, 0}, {2, 0, 0, 0}});
    expect("empty hypothesis", "abc", "", (want){3, 3, 0, 3, 0, {3, 0, 0, 0}, {3, 0, 0, 0}});
    expect("empty reference", "", "ab", (want){0, 2, 0, 0, 2, {0}, {2, 0, 0, 0}});
    expect("both empty", "", "", (want){0, 0, 0, 0, 0, {0}, {0}});
    expect("NULL is empty", NULL, "a", (want){0, 1, 0, 0, 1, {0}, {1, 0, 0, 0}});

    /* Whitespace of every kind is removed from both sides. */
    expect("ASCII whitespace", "a b\tc\n", "abc", (want){3, 0, 0, 0, 0, {3, 0, 0, 0}, {0}});
    expect("ideographic space", "住所\xe3\x80\x80京城", "住所 京城",
           (want){4, 0, 0, 0, 0, {0, 0, 4, 0}, {0}});
    expect("only whitespace", " \n\t", "\xe2\x80\x8b", (want){0, 0, 0, 0, 0, {0}, {0}});

    /* Code points, not bytes: one syllable is one edit although it is 3 bytes in UTF-8. */
    expect("Hangul substitution", "토지대장", "토지대상",
           (want){4, 1, 1, 0, 0, {0, 4, 0, 0}, {0, 1, 0, 0}});
    expect("Hanja substitution", "金哲洙", "金哲泊",
           (want){3, 1, 1, 0, 0, {0, 0, 3, 0}, {0, 0, 1, 0}});
    expect("4-byte ideograph deleted",
           "\xf0\xa0\x80\x80"
           "a",
           "a", (want){2, 1, 0, 1, 0, {1, 0, 1, 0}, {0, 0, 1, 0}});
    expect("malformed byte is one inserted U+FFFD", "ab",
           "a\xff"
           "b",
           (want){2, 1, 0, 0, 1, {2, 0, 0, 0}, {1, 0, 0, 0}});
    expect("each byte of a truncated sequence is one U+FFFD", "a\xe3\x80", "a",
           (want){3, 2, 0, 2, 0, {3, 0, 0, 0}, {2, 0, 0, 0}});

    /* Mixed scripts: 地番 123 토지 — one error in each class. */
    expect("one error per class", "地番 123 토지", "地畓 128 도지",
           (want){7, 3, 3, 0, 0, {0, 2, 2, 3}, {0, 1, 1, 1}});
    expect("fullwidth digits are digits", "１２", "12",
           (want){2, 2, 2, 0, 0, {0, 0, 0, 2}, {0, 0, 0, 2}});
    /* A substitution is charged to the reference character's class: Hangul read as Hanja
     * costs Hangul, not Hanja. */
    expect("Hangul read as Hanja", "토지", "土지",
           (want){2, 1, 1, 0, 0, {0, 2, 0, 0}, {0, 1, 0, 0}});
    /* An insertion is charged to the inserted character's class. */
    expect("inserted digit", "대장", "대1장", (want){2, 1, 0, 0, 1, {0, 2, 0, 0}, {0, 0, 0, 1}});
    /* Tie: a1 → 1a is two substitutions or a deletion and an insertion; the trace back prefers
     * substitutions, so each class pays one. */
    expect("tie broken towards substitution", "a1", "1a",
           (want){2, 2, 2, 0, 0, {1, 0, 0, 1}, {1, 0, 0, 1}});

    /* Order-free edits: what is left when reading order does not count. */
    struct {
        const char *ref, *hyp;
        size_t edits, order_free;
    } of[] = {
        {"ab", "ba", 2, 0},             /* swapped: two edits, none order-free */
        {"abc", "abd", 1, 1},           /* a real misreading costs both */
        {"", "ab", 2, 2},               /* insertions */
        {"aab", "ab", 1, 1},            /* multiset: one a missing */
        {"지번 803", "803 지번", 4, 0}, /* two table cells read in the other order */
        {"토지대장", "대장토지", 4, 0},
        {"abcd", "dxba", 4, 1}, /* c→x; the rest only moved */
    };
    for (size_t i = 0; i < sizeof of / sizeof *of; i++) {
        lr_cer c;
        CHECK(lr_metrics_cer(of[i].ref, of[i].hyp, &c, NULL) == 0);
        CHECKF(c.edits == of[i].edits && c.order_free_edits == of[i].order_free,
               "%s/%s: %zu edits, %zu order-free; want %zu, %zu", of[i].ref, of[i].hyp, c.edits,
               c.order_free_edits, of[i].edits, of[i].order_free);
    }

    /* Rates. */
    CHECK(fabs(lr_metrics_rate(1, 4) - 0.25) < 1e-15);
    CHECK(lr_metrics_rate(0, 0) == 0.0);
    CHECK(isnan(lr_metrics_rate(2, 0)));

    /* Corpus totals are sums. */
    lr_cer a, b, acc;
    memset(&acc, 0, sizeof acc);
    CHECK(lr_metrics_cer("토지대장", "토지대상", &a, NULL) == 0);
    CHECK(lr_metrics_cer("123", "12", &b, NULL) == 0);
    lr_metrics_cer_add(&acc, &a);
    lr_metrics_cer_add(&acc, &b);
    CHECK(acc.order_free_edits == 2);
    CHECK(acc.ref_len == 7 && acc.edits == 2 && acc.class_ref_len[K] == 4 &&
          acc.class_edits[K] == 1 && acc.class_ref_len[D] == 3 && acc.class_edits[D] == 1);
    CHECK(fabs(lr_metrics_rate(acc.edits, acc.ref_len) - 2.0 / 7.0) < 1e-15);

    /* Classes at their edges. */
    CHECK(lr_metrics_char_class(0xac00) == K && lr_metrics_char_class(0xd7a3) == K);
    CHECK(lr_metrics_char_class(0xd7a4) == O);
    CHECK(lr_metrics_char_class(0x3131) == K); /* compatibility jamo ㄱ */
    CHECK(lr_metrics_char_class(0x3400) == H && lr_metrics_char_class(0xf900) == H);
    CHECK(lr_metrics_char_class(0x2f800) == H);
    CHECK(lr_metrics_char_class(0x3042) == O); /* hiragana あ */
    CHECK(lr_metrics_char_class('0') == D && lr_metrics_char_class(0xff19) == D);
    CHECK(lr_metrics_char_class(0x2460) == O); /* circled one is not a digit */

    /* Refuses to align texts too long for its matrix, before allocating it. */
    size_t n = 17000;
    char *big = malloc(n + 1);
    if (!big)
        return 99;
    memset(big, 'a', n);
    big[n] = '\0';
    lr_cer c;
    lr_error err;
    CHECK(lr_metrics_cer(big, big, &c, &err) == LR_ERR_TOO_LARGE);
    CHECK(c.edits == 0 && c.ref_len == n);
    free(big);
    CHECK(lr_metrics_cer("a", "b", NULL, &err) == LR_ERR_ARG);

    return lr_test_finish("eval-cer");
}
