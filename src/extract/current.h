/* current.h — the parcel as it stands (internal, not installed): which history rows are
 * struck out, and which land-history row in force gives the parcel's category, area, grade
 * and lot (docs/records.md, "The parcel's current state"). */
#ifndef LANDREC_EXTRACT_CURRENT_H
#define LANDREC_EXTRACT_CURRENT_H

#include "landrec/extract.h"
#include "landrec/normalize.h"

struct Pix;

/* Marks the land and owner rows of s that the strike mask (1 bpp, the page's size; may be
 * NULL: nothing struck) crosses over a quarter or more of the row's width. */
void lr_current_mark_struck(lr_sheet *s, struct Pix *struck);

/* Fills s->current from the rows not struck out: for each of category, area and grade the
 * sheet has no box for, the last such row that holds a value; and the lot a row's merge or
 * conversion event names as the one the parcel went into (the lot followed by a particle of
 * direction: ニ に へ ヘ 에 로 으로; ト 와 과 name a lot merged into this one). tables
 * normalise the lot. */
void lr_current_find(lr_sheet *s, const lr_norm_tables *tables);

#endif
