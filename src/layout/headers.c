/* headers.c — the fields of the cells: the heads of the history tables and the cells under
 * them, the tables of parcels of a movement resolution, the key–value labels, and the heads
 * the OCR misread, inferred from where the heads found place them. */
#include "layout_internal.h"

#include "landrec/log.h"

/* Below every cell's top: "no label below it in its column". */
#define NO_STOP (1 << 30)
/* Most heads in one band of a history table, and of a table of parcels. */
#define BAND_MAX_HEADS 64
#define PARCEL_BAND_MAX_HEADS 16

/* The columns of the history tables, in the order every known form prints them. */
static const lr_field_kind owner_heads[] = {LR_FIELD_DATE, LR_FIELD_EVENT, LR_FIELD_ADDRESS,
                                            LR_FIELD_NAME};
static const lr_field_kind land_heads[] = {LR_FIELD_DATE, LR_FIELD_EVENT, LR_FIELD_CATEGORY,
                                           LR_FIELD_AREA, LR_FIELD_GRADE};

/* A history table's date head misread (年月日 read 쑤 겨): every known form prints the date
 * first and the event right of it. An event head with no date head in its band, in a band
 * whose other heads say which table it is (住所 or 氏名: the owners'; 地目, 地積 or 等級: the
 * land's), takes the cell just left of it, in its row and no label, for the date head; the
 * table's other heads then follow from it (layout_infer_missing_heads). */
void layout_infer_date_heads(lr_layout *out, layout_text *texts)
{
    size_t n = out->ncells;
    for (size_t i = 0; i < n; i++) {
        const lr_cell *ev = &out->cells[i];
        if (!ev->is_label || ev->row != LR_FIELD_EVENT)
            continue;
        bool have[LR_FIELD_COUNT];
        layout_heads_beside(out, ev, false, have);
        bool owner = have[LR_FIELD_ADDRESS] || have[LR_FIELD_NAME];
        bool land = have[LR_FIELD_CATEGORY] || have[LR_FIELD_AREA] || have[LR_FIELD_GRADE];
        if (have[LR_FIELD_DATE] || owner == land)
            continue;
        /* the nearest cell left of the event head in its row */
        size_t left = n;
        for (size_t k = 0; k < n; k++) {
            const lr_cell *c = &out->cells[k];
            if (k != i && layout_same_row(c, ev) && c->x1 <= ev->x0 + LAYOUT_EDGE_SLACK_PX &&
                (left == n || c->x1 > out->cells[left].x1))
                left = k;
        }
        if (left == n || out->cells[left].is_label)
            continue;
        lr_cell *c = &out->cells[left];
        lr_log_debug("layout: cell %zu \"%s\" taken as the date head: left of the event's", left,
                     texts[left]);
        layout_set_label(out, c, LR_FIELD_DATE, owner ? LR_SECTION_OWNER : LR_SECTION_LAND);
        c->inferred = true;
    }
}

/* A header cell the OCR misread even when read again (氏名 as 조호) loses its whole column.
 * In the band of a history table's date label, when all its heads but one are found and
 * exactly one cell where the missing one belongs is no label — between the found heads, or
 * right of them when the last is missing — that cell is the missing head: the one field the
 * table still lacks goes to its one unlabelled column. */
void layout_infer_missing_heads(lr_layout *out, layout_text *texts)
{
    size_t n = out->ncells;
    for (size_t i = 0; i < n; i++) {
        const lr_cell *d = &out->cells[i];
        if (!d->is_label || d->row != LR_FIELD_DATE)
            continue;
        /* The heads of d's table: the band's labels from d up to the next date label. */
        int next_date = NO_STOP;
        for (size_t k = 0; k < n; k++) {
            const lr_cell *c = &out->cells[k];
            if (k != i && c->is_label && c->row == LR_FIELD_DATE && layout_same_band(c, d) &&
                c->x0 > d->x0 && c->x0 < next_date)
                next_date = c->x0;
        }
        bool have[LR_FIELD_COUNT] = {false};
        int right = d->x1;
        for (size_t k = 0; k < n; k++) {
            const lr_cell *c = &out->cells[k];
            if (c->is_label && layout_same_band(c, d) && c->x0 >= d->x0 && c->x0 < next_date &&
                c->row > 0 && c->row < LR_FIELD_COUNT) {
                have[c->row] = true;
                right = c->x1 > right ? c->x1 : right;
            }
        }
        bool owner = have[LR_FIELD_ADDRESS] || have[LR_FIELD_NAME];
        const lr_field_kind *heads = owner ? owner_heads : land_heads;
        size_t nheads = owner ? sizeof owner_heads / sizeof *owner_heads
                              : sizeof land_heads / sizeof *land_heads;
        int missing = -1, nmissing = 0;
        for (size_t h = 0; h < nheads; h++)
            if (!have[heads[h]]) {
                missing = (int)heads[h];
                nmissing++;
            }
        if (nmissing != 1 || missing == LR_FIELD_DATE)
            continue;
        bool last = missing == (int)heads[nheads - 1];
        size_t cand = n;
        int ncand = 0;
        for (size_t k = 0; k < n; k++) {
            const lr_cell *c = &out->cells[k];
            if (c->is_label || !layout_same_band(c, d) || c->x0 < d->x1 - LAYOUT_EDGE_SLACK_PX ||
                c->x0 >= next_date)
                continue;
            if (last ? c->x0 >= right - LAYOUT_EDGE_SLACK_PX
                     : c->x1 <= right + LAYOUT_EDGE_SLACK_PX) {
                cand = k;
                ncand++;
            }
        }
        if (ncand != 1)
            continue;
        lr_cell *c = &out->cells[cand];
        lr_log_debug("layout: cell %zu \"%s\" taken as the %s head: the one the table lacks", cand,
                     texts[cand], lr_field_kind_name((lr_field_kind)missing));
        layout_set_label(out, c, (lr_field_kind)missing,
                         owner ? LR_SECTION_OWNER : LR_SECTION_LAND);
    }
}

/* The lot's head misread (地番 read 8) on a sheet whose location head was read. The sheet's
 * head row reads the location's head, its value, the lot's head, its value (所在 | … | 地番 |
 * …; 토지소재 | … | 지번 | … on the cards): when no lot head was found, the second cell right
 * of the location's head, narrower than the cells on both sides of it and no label, is taken
 * for it. */
void layout_infer_lot_head(lr_layout *out, layout_text *texts)
{
    size_t n = out->ncells, loc = n;
    for (size_t i = 0; i < n; i++) {
        const lr_cell *c = &out->cells[i];
        if (c->is_label && c->row == LR_FIELD_LOT)
            return;
        if (c->is_label && c->row == LR_FIELD_LOCATION && loc == n)
            loc = i;
    }
    if (loc == n)
        return;
    const lr_cell *l = &out->cells[loc];
    size_t row[3];
    int nr = 0;
    for (size_t k = 0; k < n; k++) {
        const lr_cell *c = &out->cells[k];
        if (k == loc || !layout_same_row(c, l) || c->x0 < l->x1 - LAYOUT_EDGE_SLACK_PX)
            continue;
        /* the three nearest right of the head, left to right */
        int at = nr < 3 ? nr++ : 3;
        while (at > 0 && out->cells[row[at - 1]].x0 > c->x0) {
            if (at < 3)
                row[at] = row[at - 1];
            at--;
        }
        if (at < 3)
            row[at] = k;
    }
    if (nr < 3)
        return;
    lr_cell *v1 = &out->cells[row[0]], *h = &out->cells[row[1]], *v2 = &out->cells[row[2]];
    int wh = h->x1 - h->x0;
    if (v1->is_label || h->is_label || v2->is_label || wh >= v1->x1 - v1->x0 ||
        wh >= v2->x1 - v2->x0)
        return;
    lr_log_debug("layout: cell %zu \"%s\" taken as the lot's head: the one the sheet lacks", row[1],
                 texts[row[1]]);
    layout_set_label(out, h, LR_FIELD_LOT, LR_SECTION_SHEET);
}

/* The cells of a head's column begin below its bottom, or at most a quarter of its height
 * above it; the column stops at the next label in it (NO_STOP: none). */
static int column_tolerance(const lr_cell *head)
{
    return (head->y1 - head->y0) / 4;
}

static int column_stop(const lr_layout *out, size_t li)
{
    const lr_cell *lab = &out->cells[li];
    int tol = column_tolerance(lab), stop = NO_STOP;
    for (size_t k = 0; k < out->ncells; k++) {
        const lr_cell *c = &out->cells[k];
        if (k != li && c->is_label && c->y0 >= lab->y1 - tol && layout_same_column(c, lab) &&
            c->y0 < stop)
            stop = c->y0;
    }
    return stop;
}

/* Assigns the cells of the column under label li (its field in field) to (section, field),
 * each to the row of the anchor (a cell of the table's date column) it overlaps most, counted
 * from row0. */
static void assign_column(lr_layout *out, size_t li, lr_section sec, const int *anchors,
                          int nanchors, int row0)
{
    const lr_cell *lab = &out->cells[li];
    int tol = column_tolerance(lab);
    int stop = column_stop(out, li);
    for (size_t k = 0; k < out->ncells; k++) {
        lr_cell *c = &out->cells[k];
        if (c->is_label || c->field != LR_FIELD_NONE || c->y0 < lab->y1 - tol || c->y0 >= stop ||
            !layout_same_column(c, lab))
            continue;
        int row = -1, best = 0;
        for (int r = 0; r < nanchors; r++) {
            const lr_cell *a = &out->cells[anchors[r]];
            int ov = layout_overlap(a->y0, a->y1, c->y0, c->y1);
            if (ov > best) {
                best = ov;
                row = r;
            }
        }
        if (row < 0)
            continue;
        c->field = lab->field;
        c->section = sec;
        c->row = row0 + row;
    }
}

/* Assigns the column under head li (its field kept in row) as assign_column does. */
static void assign_head(lr_layout *out, size_t li, lr_section sec, const int *anchors, int nanchors,
                        int row0)
{
    lr_cell *lab = &out->cells[li];
    lab->field = (lr_field_kind)lab->row;
    assign_column(out, li, sec, anchors, nanchors, row0);
    lab->field = LR_FIELD_NONE;
}

/* The value cells under label li down to the next label in its column: the rows of its
 * table, into anchors (room for every cell); returns how many. */
static int column_anchors(const lr_layout *out, size_t li, int *anchors)
{
    const lr_cell *al = &out->cells[li];
    int tol = column_tolerance(al), stop = column_stop(out, li), na = 0;
    for (size_t k = 0; k < out->ncells; k++) {
        const lr_cell *c = &out->cells[k];
        if (!c->is_label && c->y0 >= al->y1 - tol && c->y0 < stop && layout_same_column(c, al))
            anchors[na++] = (int)k;
    }
    return na;
}

/* Sorts the cell indices band[0 … nb) left to right. */
static void sort_by_x(const lr_layout *out, size_t *band, int nb)
{
    for (int a = 1; a < nb; a++)
        for (int b = a; b > 0 && out->cells[band[b]].x0 < out->cells[band[b - 1]].x0; b--) {
            size_t t = band[b];
            band[b] = band[b - 1];
            band[b - 1] = t;
        }
}

/* ---- history tables ---- */

/* One history table: the heads band[start … end), the first of them (or the one before the
 * first date label) its date. A table with an address or a name column is the owners'. */
static void assign_history(lr_layout *out, const size_t *band, int start, int end, bool *used,
                           int *anchors)
{
    lr_section sec = LR_SECTION_LAND;
    for (int k = start; k < end; k++) {
        int f = out->cells[band[k]].row;
        if (f == LR_FIELD_ADDRESS || f == LR_FIELD_NAME)
            sec = LR_SECTION_OWNER;
    }
    /* Row anchors: the cells under the table's date column (else its first). */
    size_t anchor_label = band[start];
    for (int k = start; k < end; k++)
        if (out->cells[band[k]].row == LR_FIELD_DATE)
            anchor_label = band[k];
    int na = column_anchors(out, anchor_label, anchors);
    for (int k = start; k < end; k++) {
        assign_head(out, band[k], sec, anchors, na, 0);
        /* A date without rows under it (a resolution's 결의일자) labels its neighbour,
         * below. */
        used[band[k]] = na > 0;
    }
    if (sec == LR_SECTION_LAND && na > out->nland_rows)
        out->nland_rows = na;
    if (sec == LR_SECTION_OWNER && na > out->nowner_rows)
        out->nowner_rows = na;
    if (na > 0 && out->cells[anchor_label].inferred)
        out->heads_inferred[sec] = true;
}

void layout_assign_histories(lr_layout *out, bool *used, int *anchors)
{
    size_t n = out->ncells;
    for (size_t i = 0; i < n; i++) {
        lr_cell *d = &out->cells[i];
        if (!d->is_label || d->row != LR_FIELD_DATE || used[i])
            continue;
        /* The band's column labels, left to right (cells are sorted by y then x: collect). */
        size_t band[BAND_MAX_HEADS];
        int nb = 0;
        for (size_t k = 0; k < n && nb < BAND_MAX_HEADS; k++) {
            lr_cell *c = &out->cells[k];
            if (c->is_label && c->row != LR_FIELD_NONE && c->row != LR_FIELD_LOCATION &&
                c->row != LR_FIELD_LOT && layout_same_band(c, d) && !used[k])
                band[nb++] = k;
        }
        sort_by_x(out, band, nb);
        /* A table begins at each date label; labels before the first belong to its table. */
        int start = 0;
        while (start < nb) {
            int end = start + 1;
            while (end < nb && out->cells[band[end]].row != LR_FIELD_DATE)
                end++;
            assign_history(out, band, start, end, used, anchors);
            start = end;
        }
    }
}

/* ---- a movement resolution's tables of parcels ---- */

/* A label heading a column of parcels: lot, category or area (kept in row until assignment). */
static bool is_parcel_head(const lr_cell *c)
{
    return c->is_label &&
           (c->row == LR_FIELD_LOT || c->row == LR_FIELD_CATEGORY || c->row == LR_FIELD_AREA);
}

/* Whether the heads band[0 … nb) (left to right, in h's band) stand side by side with no
 * value between them (else they are a key–value row). */
static bool heads_side_by_side(const lr_layout *out, const lr_cell *h, const size_t *band, int nb)
{
    bool heads = nb >= 2;
    for (size_t k = 0; k < out->ncells && heads; k++) {
        const lr_cell *c = &out->cells[k];
        heads = c->is_label || !layout_same_band(c, h) || c->x1 <= out->cells[band[0]].x0 ||
                c->x0 >= out->cells[band[nb - 1]].x1;
    }
    return heads;
}

void layout_assign_parcel_tables(lr_layout *out, bool *used, int *anchors)
{
    size_t n = out->ncells;
    int ntables = 0;
    for (size_t i = 0; i < n; i++) {
        const lr_cell *h = &out->cells[i];
        if (!is_parcel_head(h) || used[i])
            continue;
        size_t band[PARCEL_BAND_MAX_HEADS];
        int nb = 0;
        for (size_t k = 0; k < n && nb < PARCEL_BAND_MAX_HEADS; k++)
            if (!used[k] && is_parcel_head(&out->cells[k]) && layout_same_band(&out->cells[k], h))
                band[nb++] = k;
        sort_by_x(out, band, nb);
        if (!heads_side_by_side(out, h, band, nb))
            continue;
        /* The first table, the parcel before the movement, gives the sheet's fields from its
         * first row; each later one, the parcels after it, land-history rows. */
        int na = column_anchors(out, band[0], anchors);
        lr_section sec = ntables++ == 0 ? LR_SECTION_SHEET : LR_SECTION_LAND;
        if (sec == LR_SECTION_SHEET && na > 1)
            na = 1;
        for (int k = 0; k < nb; k++) {
            assign_head(out, band[k], sec, anchors, na,
                        sec == LR_SECTION_LAND ? out->nland_rows : 0);
            used[band[k]] = true;
        }
        if (sec == LR_SECTION_LAND)
            out->nland_rows += na;
    }
}

/* ---- key–value labels ---- */

/* The value cell of label lab: the next cell right of it in its band, else the first below
 * it in its column; n when none. */
static size_t value_of(const lr_layout *out, const lr_cell *lab)
{
    size_t n = out->ncells, best = n;
    for (size_t k = 0; k < n; k++) {
        const lr_cell *c = &out->cells[k];
        if (c->is_label || c->field != LR_FIELD_NONE || !layout_same_band(c, lab) ||
            c->x0 < lab->x1 - LAYOUT_EDGE_SLACK_PX)
            continue;
        if (best == n || c->x0 < out->cells[best].x0)
            best = k;
    }
    if (best == n)
        for (size_t k = 0; k < n; k++) {
            const lr_cell *c = &out->cells[k];
            if (c->is_label || c->field != LR_FIELD_NONE || !layout_same_column(c, lab) ||
                c->y0 < lab->y1 - LAYOUT_EDGE_SLACK_PX)
                continue;
            if (best == n || c->y0 < out->cells[best].y0)
                best = k;
        }
    return best;
}

void layout_assign_key_values(lr_layout *out, const bool *used)
{
    for (size_t i = 0; i < out->ncells; i++) {
        const lr_cell *lab = &out->cells[i];
        if (!lab->is_label || used[i] || lab->row == LR_FIELD_NONE)
            continue;
        size_t best = value_of(out, lab);
        if (best < out->ncells) {
            out->cells[best].field = (lr_field_kind)lab->row;
            out->cells[best].section = LR_SECTION_SHEET;
            out->cells[best].row = 0;
        }
    }
}
