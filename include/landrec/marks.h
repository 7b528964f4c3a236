/* marks.h — the marks OCR writes where a ledger holds no writing: what the models make of
 * ruling lines, specks, seals and ditto marks, and the punctuation they sprinkle at the ends of
 * a cell's writing. One table (marks.c); each caller recognises or drops a named subset of it.
 *
 * Owns: the table of marks and its subsets. Borrows: the UTF-8 decoder (utf8.h).
 *
 * The subsets differ because their callers keep different things: a value holds '.', ',' and
 * '~' (1937.3.5, 1,2, 3~5), a label holds no punctuation at all, and a ditto mark is read as
 * slashes or quotes that elsewhere are dropped.
 */
#ifndef LANDREC_MARKS_H
#define LANDREC_MARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The subsets of the table, as bits: a mark belongs to each subset whose bit it has. */
typedef enum lr_mark_set {
    /* Dropped when a text is squeezed to be compared with a label or a title (lr_text_squeeze):
     * all the punctuation OCR writes, since no label or title holds any. */
    LR_MARKS_SQUEEZE = 1u << 0,
    /* Dropped from the words of a field's cells: what OCR makes of a ruling line or a speck
     * (| ¦ _ [ ] ! quotes). Not '.', ',', '(', '~', '·', '、': values are written with them. */
    LR_MARKS_FIELD = 1u << 1,
    /* A speck read as a dot of some kind (. · ‧ ・ ˙ •): alone between words it is no part of
     * an address. */
    LR_MARKS_DOT = 1u << 2,
    /* What the models make of a ditto mark (〃) alone in a cell: slashes and quotation marks
     * ("/", "//", "”", a small one as "`"), and 〃 itself. No cell holds those alone. */
    LR_MARKS_DITTO = 1u << 3,
    /* Written where a cell's writing begins or ends after white space (“分筆, 日“, a lone 。),
     * and what the models make of a seal beside a name (@ ©): no ledger entry holds them. */
    LR_MARKS_STRAY = 1u << 4,
    /* A quotation mark that, alone in a cell, is a small ditto mark (” “ " ″). */
    LR_MARKS_DITTO_QUOTE = 1u << 5,
} lr_mark_set;

/* Whether c is a mark of any of the subsets in sets (lr_mark_set bits). */
bool lr_marks_has(unsigned sets, uint32_t c);

/* The length in bytes of the mark of sets that the len bytes at s begin with, or 0. */
size_t lr_marks_prefix(unsigned sets, const char *s, size_t len);

/* The length in bytes of the mark of sets that the len bytes at s end with, or 0. */
size_t lr_marks_suffix(unsigned sets, const char *s, size_t len);

#endif
