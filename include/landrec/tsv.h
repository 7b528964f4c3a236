/* tsv.h — the one reader of tab-separated tables (data/ *.tsv).
 *
 * Owns: the format. A file is UTF-8 text (a byte-order mark left by a spreadsheet is passed
 * over; a caller may allow CP949, which the public 법정동코드 list comes in). Lines end in
 * "\n" or "\r\n"; blank lines and lines beginning with '#' are comments. The first other line
 * is the header, naming the columns: a caller asks for columns by name, so a records officer
 * may reorder them or add a column of notes. Every later line is a row of fields separated by
 * tabs, each trimmed of the spaces editors leave around tabs. Messages name the file and the
 * line ("data/eras.tsv:12: …").
 * Borrows: the UTF-8 decoder (utf8.h), iconv for CP949.
 */
#ifndef LANDREC_TSV_H
#define LANDREC_TSV_H

#include <stdbool.h>
#include <stddef.h>

#include "landrec/error.h"

/* Most fields a line may hold. */
#define LR_TSV_MAX_COLS 16

/* Largest file read: the largest table (the list of legal dongs) is far below it. */
#define LR_TSV_MAX_BYTES (64L * 1024 * 1024)

/* A table read into memory. */
typedef struct lr_tsv {
    char *path;  /* as given to lr_tsv_load, for messages */
    char *data;  /* the whole file, NUL-terminated UTF-8 (converted when it was CP949);
                    lr_tsv_each_row splits it into fields in place */
    size_t size; /* bytes in data before that */
} lr_tsv;

/* The hint of a table of data/ that cannot be opened. */
#define LR_TSV_HINT_DATA_DIR "set LR_DATA_DIR to the directory of the data tables"

typedef struct lr_tsv_options {
    bool cp949;       /* a file that is not UTF-8 (and holds no NUL) is converted from CP949 */
    const char *hint; /* the error's hint when the file cannot be opened; NULL: none */
} lr_tsv_options;

/* Reads the file at path into *out (opts NULL: UTF-8 only, no hint). Returns LR_OK;
 * LR_ERR_IO (cannot be opened or read, or larger than LR_TSV_MAX_BYTES), LR_ERR_FORMAT (not
 * UTF-8, nor CP949 where allowed) or LR_ERR_NOMEM, with *out empty. Free with lr_tsv_free. */
int lr_tsv_load(const char *path, const lr_tsv_options *opts, lr_tsv *out, lr_error *err);

/* Frees what lr_tsv_load read and empties *t (may be empty already). */
void lr_tsv_free(lr_tsv *t);

/* One row, during lr_tsv_each_row. */
typedef struct lr_tsv_row {
    const lr_tsv *file;
    int line; /* in the file, from 1 */
    char *f[LR_TSV_MAX_COLS];
    int nf;
    const int *col; /* the field of each wanted column */
} lr_tsv_row;

/* The field of wanted column k (an index into lr_tsv_each_row's cols); "" when the row is
 * shorter. */
const char *lr_tsv_cell(const lr_tsv_row *r, int k);

/* Called with each row; anything but LR_OK stops the reading and is returned. */
typedef int (*lr_tsv_row_fn)(void *ctx, const lr_tsv_row *r, lr_error *err);

/* Calls fn for each row of t, after the header, in order. cols names the ncols (at most
 * LR_TSV_MAX_COLS) columns wanted, each of which the header must have. Splits t->data in place,
 * so a table is read through once. Returns LR_OK, fn's first failure, or LR_ERR_FORMAT (no
 * header, a wanted column missing, a line of more than LR_TSV_MAX_COLS fields). */
int lr_tsv_each_row(lr_tsv *t, const char *const *cols, int ncols, lr_tsv_row_fn fn, void *ctx,
                    lr_error *err);

/* Sets err to "FILE:LINE: bad WHAT \"VALUE\"" (LR_ERR_FORMAT) and returns LR_ERR_FORMAT. */
int lr_tsv_bad(const lr_tsv_row *r, const char *what, const char *value, lr_error *err);

#endif
