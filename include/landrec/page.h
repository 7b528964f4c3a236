/* page.h — one page through the stages, in order: decode, orientation, enhance, read (OCR),
 * then layout and fields. The one place that chains the stages: the batch worker
 * (pipeline.h), `landrec enhance`, the evaluation and the sheet scorer all call it, each
 * stopping after the stage it needs. No database: storing a page is the caller's business.
 *
 * Owns: the page's images and results in an lr_page, until lr_page_clear.
 * Borrows: the source it decodes from, and the OCR handle, extractor and form templates it
 * reads with (lr_page_tools), for the length of a call.
 */
#ifndef LANDREC_PAGE_H
#define LANDREC_PAGE_H

#include <stdbool.h>

#include "landrec/enhance.h"
#include "landrec/error.h"
#include "landrec/extract.h"
#include "landrec/image.h"
#include "landrec/layout.h"
#include "landrec/ocr.h"
#include "landrec/orient.h"

struct Pix;

/* The stages, in the order a page goes through them. */
typedef enum lr_page_stage {
    LR_PAGE_STAGE_NONE = 0, /* nothing done yet (the page could not be decoded) */
    LR_PAGE_STAGE_DECODE,   /* decoded: info, dpi, decoded */
    LR_PAGE_STAGE_ORIENT,   /* orientation found (or not asked for: 0) */
    LR_PAGE_STAGE_ENHANCE,  /* enhanced: turned upright, deskewed, binarized */
    LR_PAGE_STAGE_READ,     /* read: the page OCR's words and the table it found */
    LR_PAGE_STAGE_EXTRACT,  /* laid out, and the fields read into a sheet */
} lr_page_stage;

/* What a page is read with (all borrowed). */
typedef struct lr_page_tools {
    lr_ocr *ocr;             /* for the orientation (made with options.orientation) and the
                                read stages */
    lr_extractor *extractor; /* for the extract stage */
    const lr_forms *forms;   /* the form templates, for the extract stage (NULL: none) */
} lr_page_tools;

typedef struct lr_page_options {
    lr_page_stage last;                /* the last stage run: LR_PAGE_STAGE_ORIENT, _ENHANCE,
                                          _READ or _EXTRACT (default) */
    bool detect_orientation;           /* default true; false takes the page as upright */
    const lr_enhance_options *enhance; /* NULL: the defaults */
    bool whole_page;                   /* read the page whole, not a ruled table cell by cell
                                          (pageread.h), and lay it out without the table
                                          (default false) */
    lr_doc_type doc_type;              /* LR_DOC_AUTO (default): classify the page; otherwise
                                          it is taken to be this type */
    bool fields_of_every_type;         /* read the fields whatever the document type (the sheet
                                          scorer scores every sheet); default false: only of
                                          types with records (lr_doc_type_has_records), the
                                          others get a sheet without fields */
    bool keep_decoded;                 /* keep the decoded page in lr_page.decoded; default
                                          false: it is freed once enhanced, before the OCR,
                                          being the largest image */
    const char *name;                  /* the source's path for the log lines, or NULL: none */
} lr_page_options;

void lr_page_options_default(lr_page_options *out_opts);

/* Wall-clock milliseconds of each stage run (also of one that failed). */
typedef struct lr_page_times {
    double decode_ms, orient_ms, enhance_ms, read_ms;
    double extract_ms; /* layout and fields together */
    double layout_ms;  /* of which the layout */
} lr_page_times;

/* A page and what the stages made of it. Each member is filled by its stage; done names the
 * last stage that succeeded, and the members of the stages after it are zero. */
typedef struct lr_page {
    int page;            /* 1-based */
    lr_page_info info;   /* as the decoder found it (as far as it got, also on failure) */
    int dpi;             /* info.dpi_x, or LR_IMAGE_FALLBACK_DPI when the file has none */
    struct Pix *decoded; /* the decoded page; NULL after the enhance stage unless
                            keep_decoded */
    lr_orientation orientation;
    lr_enhanced enhanced;
    lr_ocr_result read; /* the page OCR's text and words, in enhanced's pixels */
    lr_table table;     /* the ruled table the read stage found (zero when read whole) */
    lr_layout layout;
    lr_sheet sheet; /* the fields; without fields (doc_type set) for a page of a
                       type without records, unless fields_of_every_type */
    lr_page_times times;
    lr_page_stage done;
} lr_page;

/* Decodes page (1-based) of src into *out (zeroed first; clear with lr_page_clear, also
 * after failure): the first stage alone, for a caller that looks at the page before going
 * on (lr_page_process_decoded). */
int lr_page_decode(lr_source *src, int page, lr_page *out, lr_error *err);

/* Runs the stages after the last one done (pg->done: at least decoded, by lr_page_decode) up
 * to opts->last (opts may be NULL for the defaults), so that a caller may stop after one stage
 * and go on later with the same options. On failure the page keeps what the stages before
 * the failing one made (pg->done). */
int lr_page_process_decoded(const lr_page_tools *tools, const lr_page_options *opts, lr_page *pg,
                            lr_error *err);

/* lr_page_decode, then lr_page_process_decoded. */
int lr_page_process(const lr_page_tools *tools, const lr_page_options *opts, lr_source *src,
                    int page, lr_page *out, lr_error *err);

/* Frees what the page holds and zeroes it (pg may be NULL). */
void lr_page_clear(lr_page *pg);

#endif
