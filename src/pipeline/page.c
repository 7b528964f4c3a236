/* page.c — one page through the stages, in order (see page.h). */
#include "landrec/page.h"

#include <leptonica/allheaders.h>
#include <string.h>

#include "landrec/clock.h"
#include "landrec/log.h"
#include "landrec/pageread.h"
#include "landrec/utf8.h"

void lr_page_options_default(lr_page_options *out_opts)
{
    memset(out_opts, 0, sizeof *out_opts);
    out_opts->last = LR_PAGE_STAGE_EXTRACT;
    out_opts->detect_orientation = true;
    out_opts->doc_type = LR_DOC_AUTO;
}

int lr_page_decode(lr_source *src, int page, lr_page *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->page = page;
    out->dpi = LR_IMAGE_FALLBACK_DPI;
    double t = lr_clock_ms();
    int rc = lr_image_read_page(src, page, &out->decoded, &out->info, err);
    out->times.decode_ms = lr_clock_ms() - t;
    if (rc < 0)
        return rc;
    if (out->info.dpi_x > 0)
        out->dpi = out->info.dpi_x;
    out->done = LR_PAGE_STAGE_DECODE;
    return LR_OK;
}

typedef int (*stage_fn)(const lr_page_tools *tools, const lr_page_options *o, lr_page *pg,
                        lr_error *err);

/* The ruled table, OSD when the table does not tell, and the text-line fallback when OSD is
 * unsure (orient.h); found.source says which decided. */
static int orient_stage(const lr_page_tools *tools, const lr_page_options *o, lr_page *pg,
                        lr_error *err)
{
    if (!o->detect_orientation)
        return LR_OK;
    lr_orientation found;
    int rc = lr_orient_detect(tools->ocr, pg->decoded, pg->dpi, NULL, &found, err);
    if (rc < 0)
        return rc;
    pg->orientation = found;
    char shown[1024];
    if (o->name && found.source == LR_ORIENT_RULING)
        lr_log_debug("%s page %d: orientation %d by the ruled table (%d:%d full lines, labels "
                     "%.2f:%.2f, title %.4f:%.4f, %.0f ms)",
                     lr_utf8_path_show(o->name, shown, sizeof shown), pg->page, found.deg,
                     found.rows_full, found.cols_full, (double)found.label_first,
                     (double)found.label_second, (double)found.title_first,
                     (double)found.title_second, found.ruling_ms);
    else if (o->name && found.fallback_ran)
        lr_log_debug("%s page %d: orientation %d by %s (OSD %.2f; lines %d:%d, evidence %.2f, "
                     "%.0f ms)",
                     lr_utf8_path_show(o->name, shown, sizeof shown), pg->page, found.deg,
                     lr_orient_source_name(found.source), (double)found.osd_conf, found.votes_first,
                     found.votes_second, (double)found.evidence, found.fallback_ms);
    return LR_OK;
}

static int enhance_stage(const lr_page_tools *tools, const lr_page_options *o, lr_page *pg,
                         lr_error *err)
{
    (void)tools;
    int rc =
        lr_enhance_page(pg->decoded, pg->orientation.deg, pg->dpi, o->enhance, &pg->enhanced, err);
    if (!o->keep_decoded)
        pixDestroy(&pg->decoded);
    if (rc < 0)
        lr_enhanced_clear(&pg->enhanced);
    return rc;
}

/* Ruled tables are read cell by cell (pageread.h): the OCR reads ocr_binary (without the
 * vertical ruling lines when the enhance options ask for it), the lines are found on
 * binary. The table found is kept for the layout. */
static int read_stage(const lr_page_tools *tools, const lr_page_options *o, lr_page *pg,
                      lr_error *err)
{
    int rc = lr_read_page_table(tools->ocr, pg->enhanced.binary, pg->enhanced.ocr_binary, pg->dpi,
                                o->whole_page, &pg->read, NULL, &pg->table, err);
    if (rc < 0) {
        lr_ocr_result_clear(&pg->read);
        lr_table_clear(&pg->table);
    }
    return rc;
}

/* The layout of the page, then the fields of a ledger. A page of a type without records
 * gets a sheet without fields, so that its document type is still known. */
static int extract_stage(const lr_page_tools *tools, const lr_page_options *o, lr_page *pg,
                         lr_error *err)
{
    double t = lr_clock_ms();
    int rc = lr_extract_layout(tools->extractor, pg->enhanced.binary, pg->dpi, &pg->read,
                               o->whole_page ? NULL : &pg->table, tools->forms, o->doc_type,
                               &pg->layout, err);
    pg->times.layout_ms = lr_clock_ms() - t;
    if (rc == LR_OK && (o->fields_of_every_type || lr_doc_type_has_records(pg->layout.doc_type))) {
        rc = lr_extract_sheet(tools->extractor, pg->enhanced.binary, pg->dpi, &pg->layout,
                              &pg->read, &pg->sheet, err);
    } else if (rc == LR_OK) {
        memset(&pg->sheet, 0, sizeof pg->sheet);
        pg->sheet.doc_type = pg->layout.doc_type;
        pg->sheet.doc_type_forced = pg->layout.doc_type_forced;
    }
    if (rc < 0) {
        lr_layout_clear(&pg->layout);
        lr_sheet_clear(&pg->sheet);
    }
    return rc;
}

/* Runs one stage when opts ask for it, timed into *ms; pg->done names it when it succeeds. */
static int run_stage(stage_fn run, lr_page_stage stage, double *ms, const lr_page_tools *tools,
                     const lr_page_options *o, lr_page *pg, lr_error *err)
{
    if (stage > o->last || pg->done >= stage)
        return LR_OK;
    double t = lr_clock_ms();
    int rc = run(tools, o, pg, err);
    *ms = lr_clock_ms() - t;
    if (rc == LR_OK)
        pg->done = stage;
    return rc;
}

/* The handles the stages asked for need: LR_ERR_ARG naming the first one missing. */
static int check_tools(const lr_page_tools *tools, const lr_page_options *o, lr_error *err)
{
    bool ocr = o->last >= LR_PAGE_STAGE_READ || o->detect_orientation;
    if (ocr && (!tools || !tools->ocr))
        return lr_error_set(err, LR_ERR_ARG, "lr_page_process: no OCR handle");
    if (o->last >= LR_PAGE_STAGE_EXTRACT && !tools->extractor)
        return lr_error_set(err, LR_ERR_ARG, "lr_page_process: no extractor");
    return LR_OK;
}

int lr_page_process_decoded(const lr_page_tools *tools, const lr_page_options *opts, lr_page *pg,
                            lr_error *err)
{
    lr_page_options defaults;
    if (!opts) {
        lr_page_options_default(&defaults);
        opts = &defaults;
    }
    if (!pg || pg->done < LR_PAGE_STAGE_DECODE || (pg->done == LR_PAGE_STAGE_DECODE && !pg->decoded))
        return lr_error_set(err, LR_ERR_ARG, "lr_page_process: the page is not decoded");
    if (opts->last < LR_PAGE_STAGE_ORIENT || opts->last > LR_PAGE_STAGE_EXTRACT)
        return lr_error_set(err, LR_ERR_ARG, "lr_page_process: no such last stage %d",
                            (int)opts->last);
    int rc = check_tools(tools, opts, err);
    lr_page_times *t = &pg->times;
    if (rc == LR_OK)
        rc = run_stage(orient_stage, LR_PAGE_STAGE_ORIENT, &t->orient_ms, tools, opts, pg, err);
    if (rc == LR_OK)
        rc = run_stage(enhance_stage, LR_PAGE_STAGE_ENHANCE, &t->enhance_ms, tools, opts, pg, err);
    if (rc == LR_OK)
        rc = run_stage(read_stage, LR_PAGE_STAGE_READ, &t->read_ms, tools, opts, pg, err);
    if (rc == LR_OK)
        rc = run_stage(extract_stage, LR_PAGE_STAGE_EXTRACT, &t->extract_ms, tools, opts, pg, err);
    return rc;
}

int lr_page_process(const lr_page_tools *tools, const lr_page_options *opts, lr_source *src,
                    int page, lr_page *out, lr_error *err)
{
    int rc = lr_page_decode(src, page, out, err);
    if (rc == LR_OK)
        rc = lr_page_process_decoded(tools, opts, out, err);
    return rc;
}

void lr_page_clear(lr_page *pg)
{
    if (!pg)
        return;
    pixDestroy(&pg->decoded);
    lr_enhanced_clear(&pg->enhanced);
    lr_ocr_result_clear(&pg->read);
    lr_table_clear(&pg->table);
    lr_layout_clear(&pg->layout);
    lr_sheet_clear(&pg->sheet);
    memset(pg, 0, sizeof *pg);
}
