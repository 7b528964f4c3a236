/* labels.c — which cells are printed labels: their text compared with the vocabulary's labels
 * and the form's, and the short texts beside labels read again on their own, which may be
 * labels the page OCR misread. */
#include "layout_internal.h"

#include <stdio.h>
#include <string.h>

#include "landrec/text.h"

/* Most code points a cell's text (spaces left out) has when it is a label. */
#define LABEL_MAX_CHARS 8
/* Labels this long or longer match with one character misread. */
#define LABEL_MISREAD_MIN_CHARS 3
/* Most code points of a text that may be a misread label. */
#define CANDIDATE_MAX_CHARS 4
/* An empty cell may hold a label the page OCR did not read when this share of it is ink. */
#define CANDIDATE_MIN_INK 0.01f

/* Whether a cell holding text (squeezed code points) is the label lt: the label alone (one
 * stray character allowed), so that an event like 地目變更 is not taken for the label 地目. */
static bool label_matches(const uint32_t *t, size_t nt, const char *lt)
{
    uint32_t l[64];
    size_t nl = lr_text_squeeze(lt, l, 64);
    if (nl == 0 || nt == 0)
        return false;
    if (nt <= nl + 1 && lr_text_contains(t, nt, l, nl))
        return true;
    /* Longer labels survive one misread character. */
    return nl >= LABEL_MISREAD_MIN_CHARS && nt + 1 >= nl && nt <= nl + 1 &&
           lr_text_distance(t, nt, l, nl) <= 1;
}

bool layout_find_label(const lr_vocab *v, const lr_form *form, const char *text,
                       lr_field_kind *field, lr_section *section)
{
    /* A unit printed after a label in brackets (面積(㎡)) is read in every way; the label is
     * what comes before it. */
    char head[256];
    snprintf(head, sizeof head, "%s", text);
    char *paren = strchr(head, '('), *wide = strstr(head, "（");
    if (!paren || (wide && wide < paren))
        paren = wide;
    if (paren && paren != head)
        *paren = '\0';
    uint32_t t[128];
    size_t nt = lr_text_squeeze(head, t, 128);
    if (nt == 0 || nt > LABEL_MAX_CHARS)
        return false;
    for (size_t i = 0; form && i < form->nlabels; i++)
        if (label_matches(t, nt, form->labels[i].text)) {
            *field = form->labels[i].field;
            *section = form->labels[i].section;
            return true;
        }
    /* The longest of the vocabulary's matches wins (氏名又ハ名稱 over 名稱). */
    size_t best = 0;
    bool found = false;
    for (size_t i = 0; i < v->nlabels; i++) {
        size_t len = strlen(v->labels[i].text);
        if (len > best && label_matches(t, nt, v->labels[i].text)) {
            best = len;
            *field = v->labels[i].field;
            *section = v->labels[i].section;
            found = true;
        }
    }
    return found;
}

void layout_mark_labels(lr_layout *out, const lr_vocab *v, layout_text *texts)
{
    for (size_t i = 0; i < out->ncells; i++) {
        lr_cell *c = &out->cells[i];
        lr_field_kind f;
        lr_section s;
        if (layout_find_label(v, out->form, texts[i], &f, &s))
            layout_set_label(out, c, f, s);
    }
}

/* A numeral, Hanja or Arabic, or a lot's separator: what a value is made of, no label. */
static bool value_char(uint32_t c)
{
    static const uint32_t hanja[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03,
                                     0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x30CE, '/',    '-'};
    if (c >= '0' && c <= '9')
        return true;
    for (size_t i = 0; i < sizeof hanja / sizeof *hanja; i++)
        if (c == hanja[i])
            return true;
    return false;
}

/* Whether a cell's text could be a misread label: short, not a value (all numerals or lot
 * separators: 二四八, 三七/五), no Arabic digit (label cells hold none; lot numbers and areas
 * do) but one beside two letters or more (토지소재 read 토 소 3), not a head read right that
 * no field is read from (the vocabulary's "other" labels); or empty over ink. */
static bool label_candidate(const lr_vocab *v, const lr_cell *c, const char *text)
{
    uint32_t t[16];
    size_t nt = lr_text_squeeze(text, t, 16);
    if (nt == 0)
        return c->ink >= CANDIDATE_MIN_INK;
    if (nt > CANDIDATE_MAX_CHARS)
        return false;
    size_t values = 0, digits = 0, letters = 0;
    for (size_t i = 0; i < nt; i++) {
        values += value_char(t[i]);
        digits += t[i] >= '0' && t[i] <= '9';
        letters += lr_text_is_hangul(t[i]) || lr_text_is_hanja(t[i]);
    }
    if (values == nt || (digits > 0 && !(digits == 1 && letters >= 2)))
        return false;
    for (size_t i = 0; i < v->nothers; i++) {
        uint32_t h[16];
        size_t nh = lr_text_squeeze(v->others[i], h, 16);
        if (nh == nt && memcmp(h, t, nt * sizeof *t) == 0)
            return false;
    }
    return true;
}

int layout_reread_labels(lr_layout *out, const lr_vocab *v, int dpi, const lr_layout_reader *reader,
                         layout_text *texts, lr_error *err)
{
    size_t n = out->ncells;
    /* Cells in a row of labels, top first. */
    for (size_t i = 0; reader && reader->read && i < n; i++) {
        lr_cell *c = &out->cells[i];
        if (c->is_label || out->label_rereads >= LR_LAYOUT_MAX_LABEL_REREADS ||
            !label_candidate(v, c, texts[i]))
            continue;
        bool beside = false;
        for (size_t k = 0; k < n && !beside; k++)
            beside = k != i && out->cells[k].is_label && layout_same_row(&out->cells[k], c);
        if (!beside)
            continue;
        char again[256] = "";
        int in = LR_LAYOUT_CELL_INSET(dpi);
        int rc = reader->read(reader->ctx, c->x0 + in, c->y0 + in, c->x1 - in, c->y1 - in, again,
                              sizeof again, err);
        if (rc < 0)
            return rc;
        out->label_rereads++;
        lr_field_kind f;
        lr_section s;
        if (layout_find_label(v, out->form, again, &f, &s)) {
            snprintf(texts[i], sizeof texts[i], "%s", again);
            layout_set_label(out, c, f, s);
        }
    }
    return LR_OK;
}

void layout_mark_noisy_heads(lr_layout *out, const lr_vocab *v, layout_text *texts)
{
    size_t n = out->ncells;
    for (size_t i = 0; i < n; i++) {
        lr_cell *c = &out->cells[i];
        if (c->is_label)
            continue;
        /* the text's first word */
        char first[VOCAB_TEXT_SIZE];
        const char *t = texts[i];
        while (*t == ' ')
            t++;
        size_t len = strcspn(t, " ");
        if (len == 0 || len >= sizeof first || !t[len])
            continue; /* one word: layout_find_label has seen it */
        memcpy(first, t, len);
        first[len] = '\0';
        /* a history table's row of heads: its date's and its event's beside */
        bool have[LR_FIELD_COUNT];
        layout_heads_beside(out, c, true, have);
        if (!have[LR_FIELD_DATE] || !have[LR_FIELD_EVENT])
            continue;
        lr_field_kind f;
        lr_section s;
        if (!layout_find_label(v, out->form, first, &f, &s) || f == LR_FIELD_NONE ||
            f == LR_FIELD_LOCATION || f == LR_FIELD_LOT)
            continue;
        layout_set_label(out, c, f, s);
    }
}
