/* training.c — the reviewed cells as training material for an OCR model of the archive
 * (records.h): each cell cut from its run's view derivative, beside the reviewer's text, in
 * tesstrain's ground-truth layout (NAME.png + NAME.gt.txt; docs/ocr.md, "Training the
 * archive's own model"). */
#include <errno.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "landrec/image.h"
#include "landrec/layout.h"
#include "landrec/records.h"
#include "store_internal.h"

/* Every field with a reviewer's version, in the runs the batch covered (every run when $1 is
 * NULL): a review belongs to the run it was made on, and a later run of the page (a new model,
 * new settings) has none, so taking only the latest runs would lose the corrections. The text
 * is the newest version's raw correction, as typed. */
static const char *const training_sql =
    "SELECT pr.sha256, pr.page, pr.id, f.section, f.row_no, f.field, vv.raw,"
    "  f.x0, f.y0, f.x1, f.y1, pr.dpi_x, " STORE_VIEW_PATH_SQL("pr.id")
    " FROM page_run pr JOIN field_value f ON f.page_run_id = pr.id"
    " JOIN LATERAL (SELECT v.raw FROM value_version v WHERE v.page_run_id = f.page_run_id"
    "   AND v.section = f.section AND v.row_no = f.row_no AND v.field = f.field"
    "   ORDER BY v.version DESC LIMIT 1) vv ON true"
    " WHERE $1::text IS NULL OR EXISTS ("
    "   SELECT 1 FROM invocation_page ip JOIN invocation i ON i.id = ip.invocation_id"
    "   WHERE ip.page_run_id = pr.id AND i.batch = $1)"
    " ORDER BY pr.sha256, pr.page, pr.id, f.section, f.row_no, f.field";

enum {
    T_SHA,
    T_PAGE,
    T_RUN,
    T_SECTION,
    T_ROW,
    T_FIELD,
    T_TEXT,
    T_X0,
    T_Y0,
    T_X1,
    T_Y1,
    T_DPI,
    T_VIEW
};

/* The name of a row's pair: the source's checksum (its first 16 hex digits; the run id already
 * makes the name unique), page, run, section, row and field — the same every time it is
 * written, and nothing a shell or tesstrain's Makefile would read as special. */
static void pair_name(const PGresult *res, int row, char *buf, size_t size)
{
    snprintf(buf, size, "%.16s-p%s-r%s-%s-%s-%s", PQgetvalue(res, row, T_SHA),
             PQgetvalue(res, row, T_PAGE), PQgetvalue(res, row, T_RUN),
             PQgetvalue(res, row, T_SECTION), PQgetvalue(res, row, T_ROW),
             PQgetvalue(res, row, T_FIELD));
}

/* The cell inside its ruling (in from each line by LR_LAYOUT_CELL_INSET, what the extractor
 * reads of a cell), cut from view; NULL when the row has no box or nothing is left inside. */
static PIX *cell_crop(const PGresult *res, int row, PIX *view)
{
    for (int c = T_X0; c <= T_Y1; c++)
        if (PQgetisnull(res, row, c))
            return NULL;
    int dpi = PQgetisnull(res, row, T_DPI) ? 0 : atoi(PQgetvalue(res, row, T_DPI));
    if (dpi <= 0)
        dpi = LR_IMAGE_FALLBACK_DPI; /* as the page was read (page.h) */
    int in = LR_LAYOUT_CELL_INSET(dpi);
    int x0 = atoi(PQgetvalue(res, row, T_X0)) + in, y0 = atoi(PQgetvalue(res, row, T_Y0)) + in;
    int x1 = atoi(PQgetvalue(res, row, T_X1)) - in, y1 = atoi(PQgetvalue(res, row, T_Y1)) - in;
    if (x1 <= x0 || y1 <= y0)
        return NULL;
    BOX *b = boxCreate(x0, y0, x1 - x0, y1 - y0);
    PIX *crop = b ? pixClipRectangle(view, b, NULL) : NULL;
    boxDestroy(&b);
    return crop;
}

/* text on one line, as tesstrain reads a line's truth: a line break the CSV carried inside
 * quotes becomes a space; nothing else is changed. */
static int write_text(const char *path, const char *text, lr_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return lr_error_set(err, LR_ERR_IO, "could not write \"%s\": %s", path, strerror(errno));
    for (const char *p = text; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
    fputc('\n', f);
    if (fclose(f) != 0)
        return lr_error_set(err, LR_ERR_IO, "could not write \"%s\"", path);
    return LR_OK;
}

/* One row's pair in out_dir, or a count in *counts of why not. */
static int write_pair(const PGresult *res, int row, PIX *view, const char *out_dir,
                      lr_training_counts *counts, lr_error *err)
{
    if (!view) {
        counts->no_view++;
        return LR_OK;
    }
    const char *text = PQgetisnull(res, row, T_TEXT) ? "" : PQgetvalue(res, row, T_TEXT);
    PIX *crop = text[0] ? cell_crop(res, row, view) : NULL;
    if (!crop) {
        counts->no_cell++;
        return LR_OK;
    }
    char name[256], path[4400];
    pair_name(res, row, name, sizeof name);
    snprintf(path, sizeof path, "%s/%s.png", out_dir, name);
    int rc = pixWrite(path, crop, IFF_PNG) == 0
                 ? LR_OK
                 : lr_error_set(err, LR_ERR_IO, "could not write \"%s\"", path);
    pixDestroy(&crop);
    if (rc != LR_OK)
        return rc;
    snprintf(path, sizeof path, "%s/%s.gt.txt", out_dir, name);
    if ((rc = write_text(path, text, err)) == LR_OK)
        counts->written++;
    return rc;
}

/* training_sql's rows as pairs; the view is read once for the rows of a run. */
static int write_pairs(const PGresult *res, const char *out_dir, lr_training_counts *counts,
                       lr_error *err)
{
    PIX *view = NULL;
    char run[32] = "";
    int rc = LR_OK;
    for (int row = 0; row < PQntuples(res) && rc == LR_OK; row++) {
        if (strcmp(PQgetvalue(res, row, T_RUN), run) != 0) {
            snprintf(run, sizeof run, "%s", PQgetvalue(res, row, T_RUN));
            pixDestroy(&view);
            if (!PQgetisnull(res, row, T_VIEW))
                view = store_read_view(PQgetvalue(res, row, T_VIEW), "review training");
        }
        rc = write_pair(res, row, view, out_dir, counts, err);
    }
    pixDestroy(&view);
    return rc;
}

int lr_records_training_export(lr_store *st, const char *batch, const char *out_dir,
                               lr_training_counts *out_counts, lr_error *err)
{
    lr_training_counts counts = {0};
    if (out_counts)
        *out_counts = counts;
    if (!st || !out_dir)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output directory");
    struct stat sb;
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
        return lr_error_set(err, LR_ERR_IO, "could not create \"%s\": %s", out_dir,
                            strerror(errno));
    if (stat(out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        lr_error_set(err, LR_ERR_IO, "\"%s\" is not a directory", out_dir);
        lr_error_hint(err, "Give --training a directory, or a path where one can be made.");
        return LR_ERR_IO;
    }
    store_params p = {0};
    p_str(&p, batch);
    PGresult *res =
        store_exec(st, training_sql, &p, PGRES_TUPLES_OK, "list the reviewed cells", err);
    if (!res)
        return LR_ERR_DB;
    int rc = write_pairs(res, out_dir, &counts, err);
    PQclear(res);
    if (out_counts)
        *out_counts = counts;
    return rc;
}
