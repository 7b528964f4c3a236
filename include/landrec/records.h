/* records.h — parcel records in PostgreSQL (schemas/002_records.sql): loading an extracted
 * sheet inside the page's transaction (called by lr_store_save_page), the records export
 * (docs/records.md), and the review round trip: flagged fields out as cell images and a CSV,
 * corrections back in as new, attributed value versions.
 */
#ifndef LANDREC_RECORDS_H
#define LANDREC_RECORDS_H

#include <stdbool.h>
#include <stdio.h>

#include "landrec/error.h"
#include "landrec/extract.h"
#include "landrec/store.h"

struct pg_conn;

/* COPYs sheet (borrowed) for run run_id (decimal text) on conn, inside the caller's open
 * transaction: the sheet row, history rows, field values, lineage and review items. replace:
 * remove what an earlier attempt of the run left first. Errors leave the transaction for the
 * caller to roll back. */
int lr_records_save(struct pg_conn *conn, const char *run_id, const struct lr_sheet *sheet,
                    bool replace, lr_error *err);

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

#endif
