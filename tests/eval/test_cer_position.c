/* test_cer_position.c — pins lr_metrics_cer_by_position and lr_metrics_line_of_box
 * (metrics.h) to small pages counted by hand: lines read in another order cost nothing by
 * position (and do in reading order), a word on no line is inserted, a line without words is
 * deleted, a word across two lines goes to the larger overlap, the margin around a line, and
 * the class each edit is charged to. */
#include <string.h>

#include "landrec/metrics.h"
#include "cer_classes.h"
#include "lr_test.h"

/* Expected outcome, as in test_cer.c, plus order-free edits and words placed on no line. */
typedef struct want {
    size_t ref_len, hyp_len, edits, sub, del, ins, order_free, unplaced;
    size_t cref[LR_CHAR_NCLASSES], cedit[LR_CHAR_NCLASSES];
} want;

static void expect(const char *what, const lr_text_box *lines, size_t nlines,
                   const lr_text_box *words, size_t nwords, want w)
{
    lr_cer c;
    lr_error err;
    size_t unplaced = 99;
    int rc = lr_metrics_cer_by_position(lines, nlines, words, nwords, &c, &unplaced, &err);
    CHECKF(rc == 0, "%s: rc %d (%s)", what, rc, err.message);
    CHECKF(c.ref_len == w.ref_len && c.hyp_len == w.hyp_len && c.edits == w.edits,
           "%s: %zu edits over %zu (hyp %zu), want %zu over %zu (hyp %zu)", what, c.edits,
           c.ref_len, c.hyp_len, w.edits, w.ref_len, w.hyp_len);
    CHECKF(c.substitutions == w.sub && c.deletions == w.del && c.insertions == w.ins,
           "%s: S/D/I %zu/%zu/%zu, want %zu/%zu/%zu", what, c.substitutions, c.deletions,
           c.insertions, w.sub, w.del, w.ins);
    CHECKF(c.order_free_edits == w.order_free && unplaced == w.unplaced,
           "%s: order-free %zu, unplaced %zu; want %zu, %zu", what, c.order_free_edits, unplaced,
           w.order_free, w.unplaced);
    check_cer_classes(&c, w.cref, w.cedit, what);
}

int main(void)
{
    /* A page header: a title and, beside it, the office's name. No order is defined between
     * them; the reader finds the office first. */
    const lr_text_box header[] = {
        {"토지대장", 0, 0, 400, 50},
        {"京城府", 500, 0, 800, 50},
    };
    const lr_text_box office_first[] = {
        {"京城府", 505, 2, 795, 48},
        {"토지대장", 3, 1, 398, 49},
    };
    expect("two lines read in the other order", header, 2, office_first, 2,
           (want){7, 7, 0, 0, 0, 0, 0, 0, {0, 4, 3, 0}, {0}});
    /* The same in reading order costs edits: the scorer this one is beside. */
    lr_cer ro;
    CHECK(lr_metrics_cer("토지대장\n京城府", "京城府 토지대장", &ro, NULL) == 0);
    CHECKF(ro.edits > 0 && ro.order_free_edits == 0, "reading order: %zu edits, %zu order-free",
           ro.edits, ro.order_free_edits);

    /* A word placed on no line: its characters are insertions, charged to their class. */
    const lr_text_box with_stray[] = {
        {"토지대장", 3, 1, 398, 49},
        {"12", 0, 300, 60, 340},
        {"京城府", 505, 2, 795, 48},
    };
    expect("a stray word", header, 2, with_stray, 3,
           (want){7, 9, 2, 0, 0, 2, 2, 1, {0, 4, 3, 0}, {0, 0, 0, 2}});

    /* A line no word was placed on: its characters are deletions. */
    expect("a line missed", header, 2, office_first + 1, 1,
           (want){7, 4, 3, 0, 3, 0, 3, 0, {0, 4, 3, 0}, {0, 0, 3, 0}});
    expect("nothing read", header, 2, NULL, 0,
           (want){7, 0, 7, 0, 7, 0, 7, 0, {0, 4, 3, 0}, {0, 4, 3, 0}});
    expect("no lines", NULL, 0, with_stray + 1, 1,
           (want){0, 2, 2, 0, 0, 2, 2, 1, {0}, {0, 0, 0, 2}});
    expect("empty page", NULL, 0, NULL, 0, (want){0, 0, 0, 0, 0, 0, 0, 0, {0}, {0}});

    /* A line's words in recognition order; within a line the order still counts, and
     * whitespace does not. */
    const lr_text_box address[] = {{"京城府 明治町", 0, 0, 600, 40}};
    const lr_text_box halves_swapped[] = {{"明治町", 300, 0, 600, 40}, {"京城府", 0, 0, 290, 40}};
    const lr_text_box halves[] = {{"京城", 0, 0, 190, 40}, {"府明 治町", 200, 0, 600, 40}};
    expect("words of a line joined", address, 1, halves, 2,
           (want){6, 6, 0, 0, 0, 0, 0, 0, {0, 0, 6, 0}, {0}});
    expect("order within a line counts", address, 1, halves_swapped, 2,
           (want){6, 6, 6, 6, 0, 0, 0, 0, {0, 0, 6, 0}, {0, 0, 6, 0}});

    /* A word across two lines goes to the one it overlaps most; on a tie, to the first. */
    const lr_text_box rows[] = {{"ab", 0, 0, 100, 20}, {"cd", 0, 20, 100, 40}};
    CHECK(lr_metrics_line_of_box(rows, 2, 0, 15, 100, 40) == 1); /* 5 rows against 20 */
    CHECK(lr_metrics_line_of_box(rows, 2, 0, 0, 100, 25) == 0);  /* 20 against 5 */
    CHECK(lr_metrics_line_of_box(rows, 2, 0, 10, 100, 30) == 0); /* 10 and 10 */
    CHECK(lr_metrics_line_of_box(rows, 2, 40, 10, 60, 25) == 0); /* 200 against 100 */
    const lr_text_box across[] = {{"cd", 0, 15, 100, 40}};
    expect("a word across two lines", rows, 2, across, 1,
           (want){4, 2, 2, 0, 2, 0, 2, 0, {4, 0, 0, 0}, {2, 0, 0, 0}});

    /* Off every line: a margin of a quarter of the line's thickness (50 / 4 = 12 px here;
     * the width for a line written down) catches a word a little off, not one further. */
    CHECK(lr_metrics_line_of_box(header, 2, 0, 55, 100, 70) == 0);     /* 5 px below */
    CHECK(lr_metrics_line_of_box(header, 2, 0, 62, 100, 70) == -1);    /* 12 px below */
    CHECK(lr_metrics_line_of_box(header, 2, 405, 10, 420, 40) == 0);   /* 5 px right of it */
    CHECK(lr_metrics_line_of_box(header, 2, 488, 10, 495, 40) == 1);   /* 5 px left of 京城府 */
    const lr_text_box column[] = {{"土地ノ表示", 100, 500, 130, 800}}; /* written down */
    CHECK(lr_metrics_line_of_box(column, 1, 133, 600, 150, 640) == 0); /* 3 px: within 7 */
    CHECK(lr_metrics_line_of_box(column, 1, 138, 600, 150, 640) == -1);
    CHECK(lr_metrics_line_of_box(NULL, 0, 0, 0, 10, 10) == -1);
    CHECK(lr_metrics_line_of_box(header, 2, 10, 10, 10, 40) == -1); /* an empty box */
    const lr_text_box near[] = {{"토지대장", 0, 55, 400, 70}};
    expect("a word a little off its line", header, 2, near, 1,
           (want){7, 4, 3, 0, 3, 0, 3, 0, {0, 4, 3, 0}, {0, 0, 3, 0}});

    /* Classes: a substitution to the reference character's class (Hangul read as Hanja costs
     * Hangul), an insertion on a line or on no line to the inserted character's, a deletion
     * to the deleted one's. */
    const lr_text_box mixed[] = {
        {"토지", 0, 0, 100, 30},
        {"大正", 0, 100, 100, 130},
        {"123", 0, 200, 100, 230},
    };
    const lr_text_box read[] = {
        {"土지", 0, 0, 100, 30},
        {"大正1", 0, 100, 100, 130},
        {"ㄱ", 0, 400, 20, 430},
    };
    expect("class accounting", mixed, 3, read, 3,
           (want){7, 6, 6, 1, 3, 2, 6, 1, {0, 2, 2, 3}, {0, 2, 0, 4}});

    /* Sums, as for the reading-order scorer. */
    lr_cer a, acc;
    memset(&acc, 0, sizeof acc);
    CHECK(lr_metrics_cer_by_position(header, 2, office_first, 2, &a, NULL, NULL) == 0);
    lr_metrics_cer_add(&acc, &a);
    CHECK(lr_metrics_cer_by_position(mixed, 3, read, 3, &a, NULL, NULL) == 0);
    lr_metrics_cer_add(&acc, &a);
    CHECK(acc.ref_len == 14 && acc.edits == 6 && acc.order_free_edits == 6);

    /* Arguments. */
    lr_error err;
    CHECK(lr_metrics_cer_by_position(header, 2, NULL, 1, &a, NULL, &err) == LR_ERR_ARG);
    CHECK(lr_metrics_cer_by_position(NULL, 1, NULL, 0, &a, NULL, &err) == LR_ERR_ARG);
    CHECK(lr_metrics_cer_by_position(header, 2, NULL, 0, NULL, NULL, &err) == LR_ERR_ARG);
    return lr_test_finish("eval-cer-position");
}
