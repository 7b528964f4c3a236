/* records.h — parcel records in PostgreSQL (schemas/002_records.sql): the records export
 * (docs/records.md), the review round trip: flagged fields out as cell images and a CSV,
 * corrections back in as new, attributed value versions; and the reviewed cells out as OCR
 * training material. A sheet is loaded with its page, by
 * lr_store_save_page (store.h).
 *
 * Owns: nothing beyond each call (files it writes are the caller's). Borrows: the store's
 * connection (lr_store, store.h), the caller's output stream, extract.h's field kinds and
 * normalisation for imported corrections.
 */
#ifndef LANDREC_RECORDS_H
#define LANDREC_RECORDS_H

#include <stdbool.h>
#include <stdio.h>

#include "landrec/error.h"
#include "landrec/extract.h"
#include "landrec/store.h"

/* One JSON object per ledger sheet of each page's latest run (restricted to batch when
 * non-NULL), ordered by source and page; keys in docs/records.md. Reviewed values replace the
 * machine's. out is borrowed and flushed. *out_count may be NULL. */
int lr_records_export(lr_store *st, const char *batch, FILE *out, long *out_count,
                      lr_error *err);

/* Writes out_dir/review.csv and one PNG per open review item (the cell, with a margin, cut
 * from the run's view derivative; no image when the derivative is missing). *out_count (may be
 * NULL) gets the items written. */
int lr_records_review_export(lr_store *st, const char *batch, const char *out_dir,
                             long *out_count, lr_error *err);

/* Loads a filled-in review CSV (as written by lr_records_review_export): each row whose
 * "correct" column is not empty becomes a new value version by reviewer (may be NULL),
 * normalised like the machine's reading, and resolves its review item. One transaction: all
 * rows or none. *out_count (may be NULL) gets the versions added. */
int lr_records_review_import(lr_store *st, const char *csv_path, const char *reviewer,
                             long *out_count, lr_error *err);

/* What lr_records_training_export did with the reviewed cells. */
typedef struct lr_training_counts {
    long written; /* NAME.png + NAME.gt.txt pairs */
    long no_view; /* skipped: the run's view derivative is not recorded or cannot be read */
    long no_cell; /* skipped: no cell box, nothing inside its ruling, or an empty correction */
} lr_training_counts;

/* Writes, into out_dir (made when missing; an existing file that is no directory is
 * LR_ERR_IO), one pair per field with a reviewer's version in the runs of batch (every run
 * when NULL): NAME.png, the cell inside its ruling cut from the run's view derivative, and
 * NAME.gt.txt, the newest version's raw correction on one line (tesstrain's ground-truth
 * layout). NAME is the same on every export (docs/records.md); existing pairs are overwritten,
 * other files left. *out_counts (may be NULL) gets what was written and skipped. */
int lr_records_training_export(lr_store *st, const char *batch, const char *out_dir,
                               lr_training_counts *out_counts, lr_error *err);

#endif
