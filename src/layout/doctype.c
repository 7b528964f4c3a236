/* doctype.c — a page's document type and form: the printed title (the vocabulary's titles,
 * the forms' match lines), else what its table shows, and the form whose title is written in
 * the script of the page's labels. */
#include "layout_internal.h"

#include <stdio.h>
#include <string.h>

#include "landrec/text.h"

/* A title of this many characters or more, alone on its line, matches with one character
 * misread (林野臺帳 read 林野臺峠): the forest and land ledgers' titles differ in two. */
#define TITLE_MISREAD_MIN_CHARS 4
/* Below every form's priority: a form whose title a line holds is taken when its priority is
 * higher than this. */
#define FORM_PRIORITY_NONE (-1000000)
/* A page without a closed table but with this many straight lines or more is a map: its
 * frame and its parcels' edges. */
#define MAP_MIN_LINES 12
/* A ledger is a forest ledger when at least this many of its areas are written in 町段畝步,
 * and more than FOREST_OVER_LAND times as many as in 坪合勺. */
#define FOREST_MIN_AREAS 2
#define FOREST_OVER_LAND 2

/* The words of the OCR line words[i] begins, joined without spaces (titles are printed with
 * spaces between their characters), into line; returns the index past the line. */
static size_t line_text(const lr_word *words, size_t nwords, size_t i, char *line, size_t size)
{
    size_t j = i;
    size_t len = 0;
    line[0] = '\0';
    while (j < nwords && words[j].block == words[i].block && words[j].par == words[i].par &&
           words[j].line == words[i].line) {
        int n = snprintf(line + len, size - len, "%s", words[j].text ? words[j].text : "");
        if (n > 0 && (size_t)n < size - len)
            len += (size_t)n;
        j++;
    }
    return j;
}

/* Whether a line (squeezed code points) holds the title: anywhere in it, or alone on it with
 * one character misread. */
static bool title_hit(const uint32_t *t, size_t nt, const char *title)
{
    uint32_t k[64];
    size_t nk = lr_text_squeeze(title, k, 64);
    return lr_text_contains(t, nt, k, nk) || (nk >= TITLE_MISREAD_MIN_CHARS && nt + 1 >= nk &&
                                              nt <= nk + 1 && lr_text_distance(t, nt, k, nk) <= 1);
}

lr_doc_type layout_title_type(const lr_vocab *v, const lr_word *words, size_t nwords,
                              const lr_forms *forms, const lr_form **out_form)
{
    *out_form = NULL;
    lr_doc_type best = LR_DOC_UNKNOWN;
    int best_y = -1, best_prio = FORM_PRIORITY_NONE;
    size_t i = 0;
    while (i < nwords) {
        char line[1024];
        size_t j = line_text(words, nwords, i, line, sizeof line);
        int y = words[i].y0;
        uint32_t t[256];
        size_t nt = lr_text_squeeze(line, t, 256);
        for (size_t f = 0; forms && f < forms->nforms; f++) {
            const lr_form *fm = &forms->forms[f];
            for (size_t m = 0; m < fm->nmatch; m++)
                if (title_hit(t, nt, fm->match[m]) && fm->priority > best_prio) {
                    best_prio = fm->priority;
                    *out_form = fm;
                }
        }
        for (size_t d = 0; d < v->ntitles; d++)
            if (title_hit(t, nt, v->titles[d].text) && (best_y < 0 || y < best_y)) {
                best_y = y;
                best = v->titles[d].type;
            }
        i = j;
    }
    if (*out_form)
        return (*out_form)->doc_type;
    return best;
}

/* A ledger's type from its cells: forest parcels carry 산 (山) before the lot number, and
 * forest areas are in 町段畝步 where land's are in 坪合勺 (domain.md §3). */
static lr_doc_type ledger_type(const lr_layout *out, layout_text *texts)
{
    lr_doc_type type = LR_DOC_LAND_LEDGER;
    int forest_units = 0, land_units = 0;
    for (size_t i = 0; i < out->ncells; i++) {
        if (out->cells[i].field == LR_FIELD_LOT &&
            (strncmp(texts[i], "산", 3) == 0 || strncmp(texts[i], "山", 3) == 0))
            type = LR_DOC_FOREST_LEDGER;
        if (out->cells[i].field == LR_FIELD_AREA) {
            forest_units += strstr(texts[i], "町") || strstr(texts[i], "段") ||
                            strstr(texts[i], "畝") || strstr(texts[i], "步");
            land_units +=
                strstr(texts[i], "坪") || strstr(texts[i], "合") || strstr(texts[i], "勺");
        }
    }
    if (forest_units >= FOREST_MIN_AREAS && forest_units > FOREST_OVER_LAND * land_units)
        type = LR_DOC_FOREST_LEDGER;
    return type;
}

void layout_decide_doc_type(lr_layout *out, layout_text *texts, const grid *g, lr_doc_type doc_type,
                            lr_doc_type titled)
{
    if (doc_type != LR_DOC_AUTO) {
        out->doc_type = doc_type;
        out->doc_type_forced = true;
    } else if (titled != LR_DOC_UNKNOWN) {
        out->doc_type = titled;
    } else if (out->nland_rows > 0 || out->nowner_rows > 0) {
        out->doc_type = ledger_type(out, texts);
    } else if ((!g->table && g->nh + g->nv >= MAP_MIN_LINES) ||
               (out->ncells >= LR_LAYOUT_MAP_MIN_REGIONS && !g->tiled)) {
        /* Straight lines but no closed table, or lines enclosing regions that overlap: a map
         * sheet's frame and parcel edges. */
        out->doc_type = LR_DOC_CADASTRAL_MAP;
    }
}

/* The form of doc type t whose first title leans the way lean does (highest priority), or
 * NULL. */
static const lr_form *form_by_script(const lr_forms *forms, lr_doc_type t, int lean)
{
    const lr_form *best = NULL;
    if (lean == 0)
        return NULL;
    for (size_t f = 0; f < forms->nforms; f++) {
        const lr_form *fm = &forms->forms[f];
        if (fm->doc_type != t || fm->nmatch == 0)
            continue;
        int l = fm->title_lean;
        if ((l > 0) == (lean > 0) && l != 0 && (!best || fm->priority > best->priority))
            best = fm;
    }
    return best;
}

void layout_form_by_labels(lr_layout *out, layout_text *texts, const lr_forms *forms)
{
    if (out->form || !forms)
        return;
    int lean = 0;
    for (size_t i = 0; i < out->ncells; i++)
        if (out->cells[i].is_label)
            lean += layout_script_lean(texts[i]);
    out->form = form_by_script(forms, out->doc_type, lean);
}
