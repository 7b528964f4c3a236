/* unruled.c — a location printed beside its label on one line, in no cell of its own (a map
 * sheet's head), made a cell from the page OCR's words. */
#include "layout_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most words a label printed with its characters spaced out (所 在) is read as. */
#define LABEL_WORDS_MAX 3
/* A label stands apart from its value (3–4 line heights on the maps), words of the value
 * close together: the value's first word begins within this many line heights of the label,
 * each next one within UNRULED_NEXT_GAP_LINES of the last. */
#define UNRULED_FIRST_GAP_LINES 5
#define UNRULED_NEXT_GAP_LINES 2
/* The value's cell reaches a third of its words' height past them, and 2 pixels more: the
 * cell is read again inside its edges. */
#define UNRULED_MARGIN_SHARE 3
#define UNRULED_MARGIN_PX 2
/* The ink the value's cell is given: it holds the words found. */
#define UNRULED_INK 0.05f

/* Whether w's centre lies in a label's cell. */
static bool word_in_label_cell(const lr_layout *l, const lr_word *w)
{
    int cx = (w->x0 + w->x1) / 2, cy = (w->y0 + w->y1) / 2;
    for (size_t i = 0; i < l->ncells; i++) {
        const lr_cell *c = &l->cells[i];
        if (c->is_label && cx >= c->x0 && cx < c->x1 && cy >= c->y0 && cy < c->y1)
            return true;
    }
    return false;
}

/* The word after `after` on ref's line (overlapping it by half the lower height): the one
 * beginning nearest to its right, by position (the page's text around a table is read in
 * pieces, each its own block; neighbours' boxes may overlap, 陽 over 郡); NULL when none. */
static const lr_word *next_on_line(const lr_word *words, size_t nwords, const lr_word *ref,
                                   const lr_word *after)
{
    int lh = ref->y1 - ref->y0;
    const lr_word *next = NULL;
    for (size_t k = 0; k < nwords; k++) {
        const lr_word *w = &words[k];
        int wh = w->y1 - w->y0, m = wh < lh ? wh : lh;
        if (w->text && m > 0 && layout_overlap(w->y0, w->y1, ref->y0, ref->y1) * 2 >= m &&
            w->x0 > after->x0 && (!next || w->x0 < next->x0))
            next = w;
    }
    return next;
}

/* Whether the label words[i] begins is one of a location (its characters may be separate
 * words, each within a line height of the last); *out_last: its last word. */
static bool location_label_at(const lr_layout *out, const lr_vocab *v, const lr_word *words,
                              size_t nwords, size_t i, const lr_word **out_last)
{
    const lr_word *lab = &words[i], *last = lab;
    if (!lab->text || word_in_label_cell(out, lab))
        return false;
    char text[256];
    snprintf(text, sizeof text, "%s", lab->text);
    for (int k = 1;; k++) {
        lr_field_kind f;
        lr_section sec;
        if (layout_find_label(v, out->form, text, &f, &sec)) {
            *out_last = last;
            return f == LR_FIELD_LOCATION;
        }
        const lr_word *next = k < LABEL_WORDS_MAX ? next_on_line(words, nwords, lab, last) : NULL;
        if (!next || next->x0 - last->x1 > lab->y1 - lab->y0 ||
            strlen(text) + strlen(next->text) >= sizeof text)
            return false;
        strcat(text, next->text);
        last = next;
    }
}

/* The box of the words right of the location label whose last word is last, on its line
 * (followed word by word: a value's characters ride higher or lower than its label's, 陽 below
 * 所在), up to the next label or a gap too wide; empty (x1 < x0) when there is none. */
static lr_cell value_words(const lr_layout *out, const lr_vocab *v, const lr_word *words,
                           size_t nwords, const lr_word *lab, const lr_word *last)
{
    int right = last->x1;
    int lh = lab->y1 - lab->y0;
    lr_cell c = {.x0 = INT_MAX, .y0 = INT_MAX, .x1 = INT_MIN, .y1 = INT_MIN};
    for (;;) {
        const lr_word *next = next_on_line(words, nwords, last, last);
        int most = c.x1 < c.x0 ? UNRULED_FIRST_GAP_LINES * lh : UNRULED_NEXT_GAP_LINES * lh;
        lr_field_kind f;
        lr_section sec;
        if (!next || next->x0 - right > most ||
            layout_find_label(v, out->form, next->text, &f, &sec))
            break;
        c.x0 = next->x0 < c.x0 ? next->x0 : c.x0;
        c.y0 = next->y0 < c.y0 ? next->y0 : c.y0;
        c.x1 = next->x1 > c.x1 ? next->x1 : c.x1;
        c.y1 = next->y1 > c.y1 ? next->y1 : c.y1;
        right = next->x1 > right ? next->x1 : right;
        last = next;
    }
    return c;
}

/* A location printed beside its label on one line, not in cells of their own (a map sheet's
 * head: 지적도  소재 서울특별시 성동구 행당동  축척 1/1200): when no cell holds the location,
 * the words right of a location label on its line (value_words) become a cell of their own,
 * with a margin. */
int layout_add_unruled_location(lr_layout *out, const lr_vocab *v, const lr_word *words,
                                size_t nwords, lr_error *err)
{
    for (size_t i = 0; i < out->ncells; i++)
        if (out->cells[i].field == LR_FIELD_LOCATION)
            return LR_OK;
    for (size_t i = 0; i < nwords; i++) {
        const lr_word *last;
        if (!location_label_at(out, v, words, nwords, i, &last))
            continue;
        lr_cell c = value_words(out, v, words, nwords, &words[i], last);
        if (c.x1 <= c.x0)
            continue;
        lr_cell *grown = realloc(out->cells, (out->ncells + 1) * sizeof *grown);
        if (!grown)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        out->cells = grown;
        int m = (c.y1 - c.y0) / UNRULED_MARGIN_SHARE + UNRULED_MARGIN_PX;
        c.x0 = c.x0 > m ? c.x0 - m : 0;
        c.y0 = c.y0 > m ? c.y0 - m : 0;
        c.x1 += m;
        c.y1 += m;
        c.field = LR_FIELD_LOCATION;
        c.section = LR_SECTION_SHEET;
        c.ink = UNRULED_INK;
        out->cells[out->ncells++] = c;
        return LR_OK;
    }
    return LR_OK;
}
