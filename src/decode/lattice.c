/* lattice.c — the positions of a reading and their costed glyphs (decode.h). */
#include <stdlib.h>
#include <string.h>

#include "landrec/decode.h"
#include "landrec/text.h"

lr_lattice_column *lr_lattice_add_column(lr_lattice *l)
{
    if (!l)
        return NULL;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        lr_lattice_column *c = realloc(l->col, cap * sizeof *c);
        if (!c)
            return NULL;
        l->col = c;
        l->cap = cap;
    }
    lr_lattice_column *c = &l->col[l->n++];
    memset(c, 0, sizeof *c);
    return c;
}

void lr_lattice_add_choice(lr_lattice_column *c, uint32_t cp, float cost)
{
    if (!c || cp == 0)
        return;
    if (cost < 0)
        cost = 0;
    for (int i = 0; i < c->n; i++)
        if (c->c[i].cp == cp) {
            if (cost >= c->c[i].cost)
                return;
            memmove(c->c + i, c->c + i + 1, (size_t)(c->n - i - 1) * sizeof *c->c);
            c->n--;
            break;
        }
    int at = c->n;
    while (at > 0 && c->c[at - 1].cost > cost)
        at--;
    if (at >= LR_LATTICE_CHOICES)
        return;
    int n = c->n < LR_LATTICE_CHOICES ? c->n : LR_LATTICE_CHOICES - 1;
    memmove(c->c + at + 1, c->c + at, (size_t)(n - at) * sizeof *c->c);
    c->c[at] = (lr_lattice_choice){cp, cost};
    c->n = n + 1;
}

int lr_lattice_from_text(const char *text, lr_lattice *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    uint32_t cps[256];
    size_t n = text ? lr_text_decode(text, cps, 256) : 0;
    for (size_t i = 0; i < n; i++) {
        if (cps[i] == ' ' || cps[i] == 0x3000 || cps[i] == '\n' || cps[i] == '\t')
            continue;
        lr_lattice_column *c = lr_lattice_add_column(out);
        if (!c) {
            lr_lattice_clear(out);
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        }
        lr_lattice_add_choice(c, cps[i], 0);
    }
    return LR_OK;
}

void lr_lattice_best_text(const lr_lattice *l, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; l && i < l->n; i++)
        if (l->col[i].n > 0)
            lr_text_put(buf, size, l->col[i].c[0].cp);
}

void lr_lattice_clear(lr_lattice *l)
{
    if (!l)
        return;
    free(l->col);
    memset(l, 0, sizeof *l);
}
