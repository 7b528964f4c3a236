/* extract.c — cells to fields: reuse the page's words, re-read what needs it, normalise,
 * check, flag for review (extract.h). */
#include "landrec/extract.h"

#include <errno.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks.h"
#include "current.h"
#include "fielddecode.h"
#include "thresholds.h"
#include "fieldnorm.h"
#include "ink.h"
#include "landrec/clock.h"
#include "landrec/gazetteer.h"
#include "landrec/log.h"
#include "landrec/marks.h"
#include "landrec/text.h"
#include "unitmark.h"

/* A re-read's fixed cost in characters: a call to Tesseract on a small crop takes about as
 * long as reading this many characters more (4–6 ms a call on an empty cell). */
#define REREAD_CALL_CHARS 2.0
/* The least budget a page with a table gets, in characters: a small page's decoding and
 * enhancing cost as much as a large one's, so its share would stay small (two or three short
 * cells). */
#define REREAD_MIN_CHARS 8.0
/* Free text is trusted at the usual threshold only when each word of it was read at least
 * this sure: names (a misread 趙 is 趟, at 86), and places (addresses, locations, whose
 * first unit is repaired from places.tsv and whose numbers have a grammar). */
#define NAME_WORD_MIN 80.0f
#define PLACE_WORD_MIN 70.0f
/* Free text with a word read less sure than that, or read again alone (where no word's
 * confidence is known), goes to review below a threshold this much higher, up to
 * FREE_TEXT_MAX: a wrong address or name has a word at 57 or less, a right one rarely, and a
 * wrong address read alone scores 80–92. */
#define FREE_TEXT_RAISE 25.0f
#define FREE_TEXT_MAX 95.0f
/* Characters the models cannot write (compose.tsv) are read as their two parts. Each part
 * is stretched to a square of this side: a part of a character is squat (水 over 田 gives
 * two halves twice as wide as high) and, read so, is taken for something else. 24 to 32
 * pixels read the printed 畓 and 垈 of the generated sheets right; 48 and more read a
 * stretched 土 as 鞋 (docs/records.md). */
#define COMPOSE_SIDE 32
/* The parts are read as at this resolution, whatever the page's: they are COMPOSE_SIDE
 * pixels. */
#define COMPOSE_DPI 300
/* Most pieces of ink a character read as its parts may have (more is not one character). */
#define COMPOSE_PIECES_MAX 32
/* The parts are Hanja, read by the Hanja model alone: beside kor, a squat 土 stretched is
 * read as 고. */
#define COMPOSE_LANG "chi_tra"
/* A one-character read, in re-read characters (one character and a call), and the two a
 * character read as its parts takes. */
#define COMPOSE_PART_CHARS (1.0 + REREAD_CALL_CHARS)
#define COMPOSE_COST_CHARS (2 * COMPOSE_PART_CHARS)

/* The model a field with a grammar is read again with when its grammar refuses its reading:
 * the Hanja model alone (beside it, kor takes a degraded Hanja line whole as Hangul junk;
 * docs/decoding.md). */
#define DECODE_REREAD_LANG "chi_tra"

/* The largest field config file read. */
#define CONFIG_MAX_BYTES 65536

struct lr_extractor {
    lr_extract_options opts;
    char *lang, *datapath, *config_path;
    lr_form config;         /* "ocr" lines of the config file */
    lr_norm_tables *tables; /* the normalisers' data, loaded once */
    lr_decode_tables *grammars; /* the decoder's (events, categories, grades, dates, areas) */
    double decode_ms;       /* time spent decoding, for the log */
    lr_vocab *vocab;        /* the fields' whitelists (data/whitelists.tsv) */
    lr_ocr *ocr;            /* reads cells only: a handle per language, loaded on first use */
    bool compose;           /* compose.tsv has rows and its parts' model loaded */
    lr_thresholds review;   /* each kind's review threshold (data/thresholds.tsv) */
};

void lr_extract_options_default(lr_extract_options *out_opts)
{
    memset(out_opts, 0, sizeof *out_opts);
    out_opts->threshold = 70;
    out_opts->reuse_conf = 80;
    out_opts->budget_pct = 4;
    out_opts->max_rereads = 8;
}

void lr_extract_destroy(lr_extractor **pex)
{
    if (!pex || !*pex)
        return;
    lr_extractor *ex = *pex;
    lr_ocr_destroy(&ex->ocr);
    lr_form_clear(&ex->config);
    lr_norm_tables_destroy(&ex->tables);
    lr_decode_tables_destroy(&ex->grammars);
    lr_vocab_destroy(&ex->vocab);
    free(ex->lang);
    free(ex->datapath);
    free(ex->config_path);
    free(ex);
    *pex = NULL;
}

/* The extractor's own OCR handle: no page models, orientation or character forms, only the
 * cells' models, in the extractor's languages and tessdata directory. */
static int new_cell_reader(lr_extractor *ex, lr_error *err)
{
    lr_ocr_options o;
    lr_ocr_options_default(&o);
    o.lang = ex->lang;
    o.datapath = ex->datapath;
    o.orientation = false;
    o.forms = "";
    o.pages = false;
    return lr_ocr_new(&o, &ex->ocr, err);
}

int lr_extract_new(const lr_extract_options *opts, lr_extractor **out, lr_error *err)
{
    *out = NULL;
    int rc = LR_OK;
    char *text = NULL;
    lr_extractor *ex = calloc(1, sizeof *ex);
    if (!ex)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    if (opts)
        ex->opts = *opts;
    else
        lr_extract_options_default(&ex->opts);
    ex->lang = strdup(ex->opts.lang ? ex->opts.lang : LR_OCR_DEFAULT_LANG);
    const char *dp = ex->opts.datapath ? ex->opts.datapath : getenv("TESSDATA_PREFIX");
    ex->datapath = strdup(dp && *dp ? dp : LR_OCR_DEFAULT_TESSDATA);
    if (!ex->lang || !ex->datapath) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (ex->opts.threshold < 0 || ex->opts.threshold > 100 || ex->opts.reuse_conf < 0 ||
        ex->opts.reuse_conf > 100 || ex->opts.budget_pct < 0 || ex->opts.max_rereads < 0) {
        rc = lr_error_set(err, LR_ERR_ARG, "extraction thresholds must be 0-100");
        goto done;
    }
    if (ex->opts.config_path) {
        if (!(ex->config_path = strdup(ex->opts.config_path))) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            goto done;
        }
        FILE *f = fopen(ex->config_path, "rb");
        if (!f) {
            rc = lr_error_set(err, LR_ERR_IO, "could not read the field config \"%s\": %s",
                              ex->config_path, strerror(errno));
            goto done;
        }
        text = calloc(1, CONFIG_MAX_BYTES);
        size_t n = text ? fread(text, 1, CONFIG_MAX_BYTES - 1, f) : 0;
        fclose(f);
        if (!text) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            goto done;
        }
        text[n] = '\0';
        if ((rc = lr_form_parse(text, ex->config_path, &ex->config, err)) < 0)
            goto done;
    }
    if ((rc = lr_norm_tables_load(ex->opts.data_dir, &ex->tables, err)) < 0 ||
        (rc = lr_vocab_load(ex->opts.data_dir, &ex->vocab, err)) < 0 ||
        (rc = lr_thresholds_load(ex->opts.data_dir, &ex->review, err)) < 0 ||
        (rc = lr_decode_tables_load(lr_norm_tables_dir(ex->tables), &ex->grammars, err)) < 0)
        goto done;
    ex->opts.lang = ex->lang;
    ex->opts.datapath = ex->datapath;
    ex->opts.config_path = ex->config_path;
    ex->opts.data_dir = NULL; /* not kept: the tables know where they came from */
    if ((rc = new_cell_reader(ex, err)) < 0)
        goto done;
    /* Loaded now rather than on the first page that needs it: a worker's first page should
     * not pay for the models (and the page timing would show it as extraction). */
    if ((rc = lr_ocr_load_lattice_models(ex->ocr, ex->lang, err)) < 0 ||
        (rc = lr_ocr_load_lattice_models(ex->ocr, DECODE_REREAD_LANG, err)) < 0 ||
        (rc = lr_ocr_load_cell_models(ex->ocr, ex->lang, err)) < 0)
        goto done;
    if (lr_norm_compose_count(ex->tables)) {
        lr_error soft;
        memset(&soft, 0, sizeof soft);
        ex->compose = lr_ocr_load_cell_models(ex->ocr, COMPOSE_LANG, &soft) == LR_OK;
        if (!ex->compose)
            lr_log_warning("the %s model is missing: characters no model can write (畓, 垈, "
                           "仝) are not read as their parts",
                           COMPOSE_LANG);
    }
    *out = ex;
    ex = NULL;
done:
    free(text);
    lr_extract_destroy(&ex);
    return rc;
}

int lr_extract_preload(lr_extractor *ex, const lr_forms *forms, lr_error *err)
{
    for (size_t i = 0; forms && i < forms->nforms; i++)
        for (int k = 0; k < LR_FIELD_COUNT; k++) {
            const lr_form *f = &forms->forms[i];
            int rc = f->has_ocr[k] && f->ocr[k].lang[0]
                         ? lr_ocr_load_cell_models(ex->ocr, f->ocr[k].lang, err)
                         : LR_OK;
            if (rc < 0)
                return rc;
        }
    return LR_OK;
}

void lr_extract_describe(const lr_extractor *ex, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    if (!ex)
        return;
    int n = snprintf(buf, size,
                     "extract/3 lang=%s threshold=%g reuse=%g tables=%s variants=%s review=%s",
                     ex->lang, (double)ex->opts.threshold, (double)ex->opts.reuse_conf,
                     lr_norm_tables_digest(ex->tables), lr_decode_tables_digest(ex->grammars),
                     ex->review.digest);
    for (int f = 1; f < LR_FIELD_COUNT && n > 0 && (size_t)n < size; f++) {
        if (!ex->config.has_ocr[f])
            continue;
        const lr_field_ocr *o = &ex->config.ocr[f];
        n += snprintf(buf + n, size - (size_t)n, " %s:%s:%s:%d:%d:%g", lr_field_kind_name(f),
                      o->lang, o->whitelist, o->psm, (int)o->vertical, (double)o->threshold);
    }
}

/* ---- fields --------------------------------------------------------------------------- */

static void field_clear(lr_field *f)
{
    free(f->raw);
    free(f->value);
    memset(f, 0, sizeof *f);
}

void lr_sheet_clear(lr_sheet *s)
{
    if (!s)
        return;
    lr_field *top[] = {&s->location, &s->lot, &s->category, &s->area, &s->grade};
    for (size_t i = 0; i < 5; i++)
        field_clear(top[i]);
    for (size_t r = 0; r < s->nland; r++) {
        lr_land_row *l = &s->land[r];
        field_clear(&l->date);
        field_clear(&l->event);
        field_clear(&l->category);
        field_clear(&l->area);
        field_clear(&l->grade);
    }
    for (size_t r = 0; r < s->nowners; r++) {
        lr_owner_row *o = &s->owners[r];
        field_clear(&o->date);
        field_clear(&o->event);
        field_clear(&o->address);
        field_clear(&o->name);
    }
    free(s->land);
    free(s->owners);
    free(s->lineage);
    memset(s, 0, sizeof *s);
}

lr_field *lr_sheet_field(lr_sheet *s, lr_section section, size_t row, lr_field_kind kind)
{
    if (!s)
        return NULL;
    if (section == LR_SECTION_SHEET) {
        switch (kind) {
        case LR_FIELD_LOCATION:
            return &s->location;
        case LR_FIELD_LOT:
            return &s->lot;
        case LR_FIELD_CATEGORY:
            return &s->category;
        case LR_FIELD_AREA:
            return &s->area;
        case LR_FIELD_GRADE:
            return &s->grade;
        default:
            return NULL;
        }
    }
    if (section == LR_SECTION_LAND && row < s->nland) {
        lr_land_row *l = &s->land[row];
        switch (kind) {
        case LR_FIELD_DATE:
            return &l->date;
        case LR_FIELD_EVENT:
            return &l->event;
        case LR_FIELD_CATEGORY:
            return &l->category;
        case LR_FIELD_AREA:
            return &l->area;
        case LR_FIELD_GRADE:
            return &l->grade;
        default:
            return NULL;
        }
    }
    if (section == LR_SECTION_OWNER && row < s->nowners) {
        lr_owner_row *o = &s->owners[row];
        switch (kind) {
        case LR_FIELD_DATE:
            return &o->date;
        case LR_FIELD_EVENT:
            return &o->event;
        case LR_FIELD_ADDRESS:
            return &o->address;
        case LR_FIELD_NAME:
            return &o->name;
        default:
            return NULL;
        }
    }
    return NULL;
}

int lr_extract_review_describe(const char *data_dir, char *buf, size_t size, lr_error *err)
{
    lr_thresholds t;
    int rc = lr_thresholds_load(data_dir, &t, err);
    if (size)
        snprintf(buf, size, "review=%s", rc == LR_OK ? t.digest : "");
    return rc;
}

const lr_norm_tables *lr_extract_tables(const lr_extractor *ex)
{
    return ex ? ex->tables : NULL;
}

int lr_extract_normalize(const lr_norm_tables *tables, lr_field_kind kind, lr_section section,
                         const char *raw, lr_doc_type doc_type, const char *date, char **out_value,
                         float *out_score, lr_alternative *alts, int *out_nalt, lr_error *err)
{
    *out_value = NULL;
    *out_score = 0;
    if (out_nalt)
        *out_nalt = 0;
    if (!tables || !raw || kind <= LR_FIELD_NONE || kind >= LR_FIELD_COUNT)
        return lr_error_set(err, LR_ERR_ARG, "nothing to normalise");
    lr_fieldnorm_ctx ctx = {kind, section, doc_type, date, false};
    lr_fieldnorm n;
    lr_fieldnorm_run(tables, &ctx, raw, &n);
    if (n.value[0] && !(*out_value = strdup(n.value)))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    *out_score = n.score;
    if (alts && out_nalt) {
        memcpy(alts, n.alt, sizeof n.alt);
        *out_nalt = n.nalt;
    }
    return LR_OK;
}

/* ---- cell OCR ------------------------------------------------------------------------- */

/* The settings for a field: the form's, else the config file's, else these defaults (the
 * whitelist: data/whitelists.tsv). */
static lr_field_ocr field_settings(const lr_extractor *ex, const lr_cell *c)
{
    lr_field_ocr o;
    memset(&o, 0, sizeof o);
    snprintf(o.whitelist, sizeof o.whitelist, "%s", lr_vocab_whitelist(ex->vocab, c->field));
    const lr_field_ocr *src = c->ocr;
    if (!src && ex->config.has_ocr[c->field])
        src = &ex->config.ocr[c->field];
    if (src) {
        if (src->lang[0])
            snprintf(o.lang, sizeof o.lang, "%s", src->lang);
        if (src->whitelist[0])
            snprintf(o.whitelist, sizeof o.whitelist, "%s", src->whitelist);
        o.psm = src->psm;
        o.vertical = src->vertical;
        o.threshold = src->threshold;
    }
    if (c->vertical && !src)
        o.vertical = true;
    if (o.vertical && !o.lang[0])
        snprintf(o.lang, sizeof o.lang, "kor_vert");
    if (!o.psm)
        o.psm = o.vertical ? 5 : (c->field == LR_FIELD_ADDRESS ? 6 : 7);
    if (!o.lang[0])
        snprintf(o.lang, sizeof o.lang, "%s", ex->lang);
    return o;
}

/* Lengths on the page, in pixels at dpi: each a share of an inch and a few pixels (its value
 * at 300 dpi in brackets). */

/* The white frame round a crop given to Tesseract, which reads a line best with air (14). */
static int crop_frame_px(int dpi)
{
    return dpi / 30 + 4;
}

/* How far a page word's box is grown before the ink it covers counts as read (6). */
static int word_margin_px(int dpi)
{
    return dpi / 60 + 1;
}

/* A crop (or a character's ink) narrower or lower than this many pixels is not read: a guard
 * against degenerate boxes rather than a length on the page, so the same at every
 * resolution. */
#define MIN_CROP_PX 4

/* How a field's cells are read again, as its settings say. */
static lr_ocr_cell_opts cell_opts(const lr_field_ocr *o)
{
    lr_ocr_cell_opts co = {o->lang, o->psm, o->whitelist};
    return co;
}

/* OCR of the rectangle [x0,x1)×[y0,y1) of binary: *out_text (caller frees) and its mean
 * confidence, and its lattice into lat when not NULL (decode.h; caller clears). */
static int read_rect(lr_extractor *ex, PIX *binary, int dpi, int x0, int y0, int x1, int y1,
                     const lr_ocr_cell_opts *o, char **out_text, float *out_conf, lr_lattice *lat,
                     lr_error *err)
{
    *out_text = NULL;
    *out_conf = 0;
    int w = x1 - x0, h = y1 - y0;
    if (w < MIN_CROP_PX || h < MIN_CROP_PX)
        return LR_OK;
    BOX *b = boxCreate(x0, y0, w, h);
    PIX *crop = b ? pixClipRectangle(binary, b, NULL) : NULL;
    boxDestroy(&b);
    PIX *framed = crop ? pixAddBorder(crop, crop_frame_px(dpi), 0) : NULL;
    int rc = !framed ? lr_error_set(err, LR_ERR_NOMEM, "could not crop a cell")
             : lat   ? lr_ocr_read_cell_lattice(ex->ocr, framed, dpi, o, out_text, out_conf, lat,
                                                err)
                     : lr_ocr_read_cell(ex->ocr, framed, dpi, o, out_text, out_conf, err);
    pixDestroy(&crop);
    pixDestroy(&framed);
    return rc;
}

/* A cell's inside, in from its ruling lines by what OCR reads of a cell (layout.h): *w or *h 0
 * or less when nothing is left. */
static void cell_inside(int dpi, const lr_cell *c, int *x, int *y, int *w, int *h)
{
    int in = LR_LAYOUT_CELL_INSET(dpi);
    *x = c->x0 + in;
    *y = c->y0 + in;
    *w = c->x1 - c->x0 - 2 * in;
    *h = c->y1 - c->y0 - 2 * in;
}

/* OCR of one cell, in from its ruling lines (read_rect adds a white margin: Tesseract reads
 * a line best with air). */
static int read_cell(lr_extractor *ex, PIX *binary, int dpi, const lr_cell *c,
                     const lr_ocr_cell_opts *o, char **out_text, float *out_conf, lr_lattice *lat,
                     lr_error *err)
{
    int x, y, w, h;
    cell_inside(dpi, c, &x, &y, &w, &h);
    return read_rect(ex, binary, dpi, x, y, x + w, y + h, o, out_text, out_conf, lat, err);
}

/* A cell's inside (cell_inside) cut out of binary, its top-left corner on the page in *x, *y
 * and its size in *w, *h; NULL when it is empty (or out of memory). */
static PIX *crop_inside(PIX *binary, int dpi, const lr_cell *c, int *x, int *y, int *w, int *h)
{
    cell_inside(dpi, c, x, y, w, h);
    if (*w <= 0 || *h <= 0)
        return NULL;
    BOX *b = boxCreate(*x, *y, *w, *h);
    PIX *crop = b ? pixClipRectangle(binary, b, NULL) : NULL;
    boxDestroy(&b);
    return crop;
}

/* ---- characters the models lack (compose.tsv) ------------------------------------------ */

/* One part of a character (above: 1, below: 0): the pieces of ink whose centre lies above
 * or below split, cropped and stretched to a square, framed in white; NULL if none. */
static PIX *compose_part(PIX *ink, BOXA *boxes, PIXA *pieces, double split, int above)
{
    PIX *part = pixCreateTemplate(ink), *tight = NULL, *out = NULL;
    if (!part)
        return NULL;
    for (int i = 0; i < boxaGetCount(boxes); i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
        if ((y + h / 2.0 < split) != above)
            continue;
        PIX *p = pixaGetPix(pieces, i, L_CLONE);
        pixRasterop(part, x, y, w, h, PIX_SRC | PIX_DST, p, 0, 0);
        pixDestroy(&p);
    }
    if (pixClipToForeground(part, &tight, NULL) == 0 && tight) {
        PIX *sq = pixScale(tight, (l_float32)COMPOSE_SIDE / pixGetWidth(tight),
                           (l_float32)COMPOSE_SIDE / pixGetHeight(tight));
        out = sq ? pixAddBorder(sq, COMPOSE_SIDE / 4, 0) : NULL;
        pixDestroy(&sq);
    }
    pixDestroy(&tight);
    pixDestroy(&part);
    return out;
}

/* The height, between the pieces' centres, that best parts them into an upper and a lower
 * group (Otsu's criterion over their centres, weighted by their ink); -1 if no split leaves
 * ink on both sides. At most COMPOSE_PIECES_MAX pieces. */
static double compose_split(BOXA *boxes, PIXA *pieces)
{
    int n = boxaGetCount(boxes);
    double centre[COMPOSE_PIECES_MAX], ink[COMPOSE_PIECES_MAX];
    for (int i = 0; i < n && i < COMPOSE_PIECES_MAX; i++) {
        l_int32 y = 0, h = 0, count = 0;
        boxaGetBoxGeometry(boxes, i, NULL, &y, NULL, &h);
        PIX *p = pixaGetPix(pieces, i, L_CLONE);
        pixCountPixels(p, &count, NULL);
        pixDestroy(&p);
        centre[i] = y + h / 2.0;
        ink[i] = count;
    }
    double best = -1, split = -1;
    for (int t = 0; t < n && t < COMPOSE_PIECES_MAX; t++) {
        double cut = centre[t] + 0.5; /* just below piece t's centre */
        double w0 = 0, w1 = 0, s0 = 0, s1 = 0;
        for (int i = 0; i < n && i < COMPOSE_PIECES_MAX; i++) {
            if (centre[i] < cut) {
                w0 += ink[i];
                s0 += ink[i] * centre[i];
            } else {
                w1 += ink[i];
                s1 += ink[i] * centre[i];
            }
        }
        if (w0 <= 0 || w1 <= 0)
            continue;
        double d = s0 / w0 - s1 / w1, between = w0 * w1 * d * d;
        if (between > best) {
            best = between;
            split = cut;
        }
    }
    return split;
}

/* A cell holding one character that compose.tsv lists (ink_box: the ink inside its lines),
 * read as its two parts one above the other: *out_text (caller frees) that character, or
 * NULL when the ink is not one character of separate parts or the parts make none;
 * *out_conf the lower of the two parts' confidences; *out_calls the Tesseract calls made (0
 * when the ink is not one character of separate pieces). */
static int read_composed(lr_extractor *ex, PIX *binary, BOX *ink_box, char **out_text,
                         float *out_conf, int *out_calls, lr_error *err)
{
    *out_text = NULL;
    *out_conf = 0;
    *out_calls = 0;
    int rc = LR_OK;
    PIX *ink = ink_box ? pixClipRectangle(binary, ink_box, NULL) : NULL;
    PIX *parts[2] = {NULL, NULL};
    PIXA *pieces = NULL;
    BOXA *boxes = NULL;
    char *text[2] = {NULL, NULL};
    float conf[2] = {0, 0};
    if (!ink || pixGetWidth(ink) < MIN_CROP_PX || pixGetHeight(ink) < MIN_CROP_PX)
        goto done;
    /* one character: about as wide as high (a printed 畓 or 垈 is within 10 %; two
     * handwritten syllables are half as wide again) */
    int iw = pixGetWidth(ink), ih = pixGetHeight(ink);
    if (iw * 3 > ih * 4 || ih * 3 > iw * 4)
        goto done;
    boxes = pixConnComp(ink, &pieces, 8);
    int n = boxes ? boxaGetCount(boxes) : 0;
    if (n < 2 || n > COMPOSE_PIECES_MAX)
        goto done;
    double split = compose_split(boxes, pieces);
    if (split < 0)
        goto done;
    lr_field_ocr o;
    memset(&o, 0, sizeof o);
    snprintf(o.lang, sizeof o.lang, "%s", COMPOSE_LANG);
    o.psm = LR_OCR_PSM_CHAR;
    lr_ocr_cell_opts co = cell_opts(&o);
    for (int k = 0; k < 2; k++)
        if (!(parts[k] = compose_part(ink, boxes, pieces, split, k == 0))) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "could not cut a character in two");
            goto done;
        }
    for (int k = 0; k < 2; k++) {
        rc = lr_ocr_read_cell(ex->ocr, parts[k], COMPOSE_DPI, &co, &text[k], &conf[k], err);
        if (rc < 0)
            goto done;
        (*out_calls)++;
    }
    char ch[8];
    if (lr_norm_compose(ex->tables, text[0], text[1], ch)) {
        if (!(*out_text = strdup(ch))) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            goto done;
        }
        *out_conf = conf[0] < conf[1] ? conf[0] : conf[1];
    }
    lr_log_debug("composed read (%dx%d ink): \"%s\" (%.0f) over \"%s\" (%.0f): \"%s\"", iw, ih,
                 text[0] ? text[0] : "", (double)conf[0], text[1] ? text[1] : "", (double)conf[1],
                 *out_text ? *out_text : "");
done:
    free(text[0]);
    free(text[1]);
    pixDestroy(&parts[0]);
    pixDestroy(&parts[1]);
    pixaDestroy(&pieces);
    boxaDestroy(&boxes);
    pixDestroy(&ink);
    return rc;
}

/* The layout's reader: one line in the run's languages, any character. */
typedef struct label_reader {
    lr_extractor *ex;
    PIX *binary;
    int dpi;
} label_reader;

static int read_label(void *vctx, int x0, int y0, int x1, int y1, char *buf, size_t size,
                      lr_error *err)
{
    label_reader *r = vctx;
    lr_field_ocr o;
    memset(&o, 0, sizeof o);
    o.psm = LR_OCR_PSM_LINE;
    snprintf(o.lang, sizeof o.lang, "%s", r->ex->lang);
    lr_ocr_cell_opts co = cell_opts(&o);
    char *text = NULL;
    float conf = 0;
    int rc = read_rect(r->ex, r->binary, r->dpi, x0, y0, x1, y1, &co, &text, &conf, NULL, err);
    snprintf(buf, size, "%s", rc == LR_OK && text ? text : "");
    free(text);
    return rc;
}

int lr_extract_layout(lr_extractor *ex, struct Pix *binary, int dpi, const lr_ocr_result *page,
                      const lr_table *table, const lr_forms *forms, lr_doc_type doc_type,
                      lr_layout *out, lr_error *err)
{
    if (!ex || !page)
        return lr_error_set(err, LR_ERR_ARG, "layout needs the extractor and the page's OCR");
    label_reader ctx = {ex, binary, dpi};
    lr_layout_reader reader = {read_label, &ctx};
    return lr_layout_analyze(binary, dpi, page->words, page->nwords, table, forms, doc_type,
                             &reader, out, err);
}

/* ---- assembling ----------------------------------------------------------------------- */

/* Most cells one field may span (坪 | 合 | 勺): more are left out. */
#define JOB_CELLS_MAX 8

/* One field's reading before the decision to re-read. */
typedef struct job {
    lr_section section;
    int row;
    lr_field_kind kind;
    size_t cells[JOB_CELLS_MAX]; /* indices into the layout, left to right */
    int ncells;
    char raw[512];
    float ocr_conf;
    float weakest; /* the least sure of the page's words it took (0: none) */
    float ink;
    bool has_words;
    float priority; /* lower re-reads first */
    bool reread;
    int m2_before; /* areas: characters before a ㎡ seen in the ink (unitmark.h); -1: none */
    lr_fieldnorm norm;
    lr_lattice lat; /* the lattice raw was read with (a re-read of a field with a grammar);
                       empty: raw's glyphs alone */
} job;

static int cmp_job_priority(const void *a, const void *b)
{
    const job *x = *(job *const *)a, *y = *(job *const *)b;
    return x->priority < y->priority ? -1 : x->priority > y->priority;
}

/* A word without the marks OCR makes of ruling lines and specks ("|", quotes; marks.h,
 * LR_MARKS_FIELD): into buf. */
static void clean_word(const char *w, char *buf, size_t size)
{
    buf[0] = '\0';
    uint32_t cps[128];
    size_t n = lr_text_decode(w, cps, 128);
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cps[i];
        if (lr_marks_has(LR_MARKS_FIELD, c))
            continue;
        lr_text_put(buf, size, c);
    }
}

/* The page's words in a job's cells (centre inside), their text and confidence (the mean
 * over characters, so that one short speck does not decide it). */
static void gather_words(job *j, const lr_layout *l, const lr_ocr_result *page)
{
    size_t len = 0;
    double sum = 0, weight = 0;
    j->raw[0] = '\0';
    j->has_words = false;
    j->weakest = 0;
    for (int k = 0; k < j->ncells; k++) {
        const lr_cell *c = &l->cells[j->cells[k]];
        for (size_t i = 0; i < page->nwords; i++) {
            const lr_word *w = &page->words[i];
            int cx = (w->x0 + w->x1) / 2, cy = (w->y0 + w->y1) / 2;
            if (cx < c->x0 || cx >= c->x1 || cy < c->y0 || cy >= c->y1 || !w->text)
                continue;
            char clean[256];
            /* A ditto mark read as a quote (” ″) is kept whole: the marks dropped below
             * are what OCR makes of lines and specks, not of 〃. */
            if (lr_fieldnorm_is_ditto(w->text))
                snprintf(clean, sizeof clean, "%s", w->text);
            else
                clean_word(w->text, clean, sizeof clean);
            if (!clean[0])
                continue;
            int n = snprintf(j->raw + len, sizeof j->raw - len, "%s%s", len ? " " : "", clean);
            if (n > 0 && (size_t)n < sizeof j->raw - len)
                len += (size_t)n;
            uint32_t cps[128];
            double chars = (double)lr_text_decode(clean, cps, 128);
            sum += w->conf * chars;
            weight += chars;
            j->weakest = !j->has_words || w->conf < j->weakest ? w->conf : j->weakest;
            j->has_words = true;
        }
    }
    j->ocr_conf = weight > 0 ? (float)(sum / weight) : 0;
}

/* What a job's normaliser is told: its field, and its form. A form titled in Hanja (土地臺帳,
 * 林野臺帳) has its entries written in Hanja too. */
static lr_fieldnorm_ctx job_ctx(const job *j, const lr_layout *layout, const char *date)
{
    lr_fieldnorm_ctx ctx = {j->kind, j->section, layout->doc_type, date,
                            layout->form && layout->form->title_lean > 0};
    return ctx;
}

/* A job's text through its normaliser; date: the row's, when known. An area whose ink ends
 * with ㎡ has what the models made of it replaced first. */
static void job_normalize(lr_extractor *ex, const job *j, const char *raw, const lr_lattice *lat,
                          const lr_layout *layout, const char *date, lr_fieldnorm *out)
{
    lr_fieldnorm_ctx ctx = job_ctx(j, layout, date);
    char fixed[80];
    bool m2 = j->m2_before >= 0 && lr_unitmark_fix_m2(raw, j->m2_before, fixed, sizeof fixed);
    lr_fieldnorm_run(ex->tables, &ctx, m2 ? fixed : raw, out);
    if (lr_fielddecode_has_grammar(j->kind)) {
        double t0 = lr_clock_ms();
        /* an area whose ㎡ was put back is decoded as put back: the lattice is of the ink's
         * other reading */
        lr_fielddecode_merge(ex->grammars, ex->tables, &ctx, lat && lat->n && !m2 ? lat : NULL,
                             m2 ? fixed : raw, out, NULL);
        ex->decode_ms += lr_clock_ms() - t0;
    }
    if (m2) {
        size_t used = strlen(out->note);
        snprintf(out->note + used, sizeof out->note - used, "%s㎡ seen in the ink: \"%s\"",
                 used ? "; " : "", fixed);
    }
}

/* Whether raw, read in a job's cells, is a ditto mark. */
static bool job_ditto(const job *j, const lr_layout *layout, const char *raw)
{
    lr_fieldnorm_ctx ctx = job_ctx(j, layout, NULL);
    return lr_fieldnorm_is_ditto_in(&ctx, raw);
}

/* The date that applies to a job's row: its own, else the nearest row above with one (the
 * same period), else the first of the sheet (a card's or a resolution's header date). */
static const char *row_date(const job *jobs, size_t njobs, const job *j)
{
    const char *best = NULL, *first = NULL;
    int best_row = -1, first_row = 1 << 30;
    for (size_t d = 0; d < njobs; d++) {
        const job *k = &jobs[d];
        if (k->kind != LR_FIELD_DATE || !k->norm.year || k->norm.flag[0])
            continue;
        if (k->section == j->section && k->row <= j->row && k->row > best_row) {
            best = k->norm.value;
            best_row = k->row;
        }
        if (k->section != LR_SECTION_OWNER && k->row < first_row) {
            first = k->norm.value;
            first_row = k->row;
        }
    }
    return best ? best : first;
}

static bool typed(lr_field_kind k)
{
    return k == LR_FIELD_LOT || k == LR_FIELD_AREA || k == LR_FIELD_DATE ||
           k == LR_FIELD_CATEGORY || k == LR_FIELD_GRADE || k == LR_FIELD_EVENT;
}

static float combined(const job *j)
{
    return j->ocr_conf * j->norm.score / 100.0f;
}

/* Ink (share of a cell's inside, ruling lines excluded) below which a cell is empty, and
 * from which a cell the page read as empty is worth reading again. */
#define EMPTY_INK 0.001f
#define REREAD_MIN_INK 0.01f
/* The confidence of a cell read as empty: sure without ink; with some, something written
 * that could not be read. */
#define EMPTY_CELL_CONF 95.0f
#define INKED_EMPTY_CELL_CONF 20.0f

static int set_field(lr_field *f, const job *j, const lr_layout *l)
{
    f->present = true;
    f->raw = strdup(j->raw);
    f->value = j->norm.value[0] ? strdup(j->norm.value) : NULL;
    if (!f->raw || (j->norm.value[0] && !f->value))
        return LR_ERR_NOMEM;
    /* A ditto mark has no value of its own to score: it is as sure as it was read (the row
     * above's confidence joins it when it is resolved). */
    f->ditto = job_ditto(j, l, j->raw);
    lr_fieldnorm_ctx ctx = job_ctx(j, l, NULL);
    f->ditto_doubt = f->ditto && lr_fieldnorm_ditto_doubtful(&ctx, j->raw);
    f->conf = f->ditto ? j->ocr_conf : combined(j);
    f->reread = j->reread;
    f->weakest = j->reread ? 0 : j->weakest;
    memcpy(f->alt, j->norm.alt, sizeof f->alt);
    f->nalt = j->norm.nalt;
    const lr_cell *c0 = &l->cells[j->cells[0]];
    f->x0 = c0->x0;
    f->y0 = c0->y0;
    f->x1 = c0->x1;
    f->y1 = c0->y1;
    for (int k = 1; k < j->ncells; k++) {
        const lr_cell *c = &l->cells[j->cells[k]];
        f->x0 = c->x0 < f->x0 ? c->x0 : f->x0;
        f->y0 = c->y0 < f->y0 ? c->y0 : f->y0;
        f->x1 = c->x1 > f->x1 ? c->x1 : f->x1;
        f->y1 = c->y1 > f->y1 ? c->y1 : f->y1;
    }
    if (!j->raw[0]) {
        /* An empty cell: surely empty when there is no ink either. Any ink is something
         * written (a small 〃 is 0.3 % of a land ledger's area cell, the inside of an empty
         * cell holds none), even when too little to read again. */
        f->conf = j->ink < EMPTY_INK ? EMPTY_CELL_CONF : INKED_EMPTY_CELL_CONF;
        if (j->ink >= EMPTY_INK) {
            f->review = true;
            snprintf(f->reason, sizeof f->reason, "unreadable");
        }
    } else if (!f->value) {
        f->review = true;
        snprintf(f->reason, sizeof f->reason, "unreadable");
    } else if (j->norm.flag[0]) {
        f->review = true;
        snprintf(f->reason, sizeof f->reason, "%s", j->norm.flag);
    }
    return LR_OK;
}

static bool row_empty_land(const lr_land_row *r)
{
    const lr_field *fs[] = {&r->date, &r->event, &r->category, &r->area, &r->grade};
    for (size_t i = 0; i < 5; i++)
        if (fs[i]->present && (fs[i]->raw[0] || fs[i]->review))
            return false;
    return true;
}

static bool row_empty_owner(const lr_owner_row *r)
{
    const lr_field *fs[] = {&r->date, &r->event, &r->address, &r->name};
    for (size_t i = 0; i < 4; i++)
        if (fs[i]->present && (fs[i]->raw[0] || fs[i]->review))
            return false;
    return true;
}

/* A ditto mark (〃 仝 同) takes the value of the same field in the row above. */
static int resolve_ditto(lr_field *f, const lr_field *above)
{
    if (!f->present || !f->raw || !f->ditto)
        return LR_OK;
    free(f->value);
    f->value = NULL;
    f->nalt = 0;
    f->review = false;
    f->reason[0] = '\0';
    if (above && above->present && above->value) {
        if (!(f->value = strdup(above->value)))
            return LR_ERR_NOMEM;
        f->conf = f->conf < above->conf ? f->conf : above->conf;
        f->weakest = f->weakest < above->weakest ? f->weakest : above->weakest;
        /* a copy of a doubtful value is as doubtful */
        if (above->review) {
            f->review = true;
            snprintf(f->reason, sizeof f->reason, "%s", above->reason);
        } else if (f->ditto_doubt) {
            f->review = true;
            snprintf(f->reason, sizeof f->reason, "script");
        }
    } else {
        f->conf = 0;
        f->review = true;
        snprintf(f->reason, sizeof f->reason, "unreadable");
    }
    return LR_OK;
}

static int resolve_dittos(lr_sheet *s)
{
    for (size_t r = 0; r < s->nland; r++) {
        lr_land_row *l = &s->land[r], *up = r ? &s->land[r - 1] : NULL;
        if (resolve_ditto(&l->date, up ? &up->date : NULL) < 0 ||
            resolve_ditto(&l->event, up ? &up->event : NULL) < 0 ||
            resolve_ditto(&l->category, up ? &up->category : NULL) < 0 ||
            resolve_ditto(&l->area, up ? &up->area : NULL) < 0 ||
            resolve_ditto(&l->grade, up ? &up->grade : NULL) < 0)
            return LR_ERR_NOMEM;
    }
    for (size_t r = 0; r < s->nowners; r++) {
        lr_owner_row *o = &s->owners[r], *up = r ? &s->owners[r - 1] : NULL;
        if (resolve_ditto(&o->date, up ? &up->date : NULL) < 0 ||
            resolve_ditto(&o->event, up ? &up->event : NULL) < 0 ||
            resolve_ditto(&o->address, up ? &up->address : NULL) < 0 ||
            resolve_ditto(&o->name, up ? &up->name : NULL) < 0)
            return LR_ERR_NOMEM;
    }
    return LR_OK;
}

/* The parcel's 법정동코드 and PNU: the location's place in the gazetteer, when it ends at a
 * unit a code names a parcel by (a 里, 洞 or 街), and the lot when it is one lot. */
static void identify_parcel(lr_sheet *s, const lr_norm_tables *tables)
{
    s->legal_dong[0] = s->pnu[0] = '\0';
    const lr_gazetteer *g = lr_norm_tables_gazetteer(tables);
    const char *where = s->location.present ? s->location.value : NULL;
    lr_gaz_match m;
    if (!g || !where || lr_gazetteer_decode(g, where, strlen(where), &m, NULL) != LR_OK ||
        !m.matched || !m.legal_dong[0] ||
        !(strcmp(m.level, "ri") == 0 || strcmp(m.level, "dong") == 0 ||
          strcmp(m.level, "ga") == 0))
        return;
    snprintf(s->legal_dong, sizeof s->legal_dong, "%s", m.legal_dong);
    lr_norm_lots lots;
    const char *lot = s->lot.present ? s->lot.value : NULL;
    if (!lot || lr_norm_parse_lots(tables, lot, strlen(lot), NULL, &lots, NULL) != LR_OK ||
        lots.nitems != 1 || lots.items[0].range || lots.note.status == LR_NORM_UNPARSEABLE)
        return;
    lr_norm_build_pnu(NULL, s->legal_dong, &lots.items[0].lot, s->pnu, NULL);
}

/* Lot numbers named in split/merge/conversion events become lineage edges. */
static int add_lineage(lr_sheet *s, const lr_norm_tables *tables)
{
    for (size_t r = 0; r < s->nland; r++) {
        const lr_field *ev = &s->land[r].event;
        if (!ev->value || !s->lot.value)
            continue;
        const char *kind = ev->value;
        if (strcmp(kind, "split") && strcmp(kind, "merge") && strcmp(kind, "conversion"))
            continue;
        char buf[512];
        snprintf(buf, sizeof buf, "%s", ev->raw);
        char *save = NULL;
        for (char *t = strtok_r(buf, " ,、，", &save); t; t = strtok_r(NULL, " ,、，", &save)) {
            lr_fieldnorm n;
            lr_fieldnorm_ctx ctx = {LR_FIELD_LOT, LR_SECTION_LAND, s->doc_type, NULL, false};
            lr_fieldnorm_run(tables, &ctx, t, &n);
            if (!n.value[0] || n.score < 100 || n.flag[0] || strcmp(n.value, s->lot.value) == 0)
                continue;
            lr_lineage *e = realloc(s->lineage, (s->nlineage + 1) * sizeof *e);
            if (!e)
                return LR_ERR_NOMEM;
            s->lineage = e;
            e = &e[s->nlineage++];
            memset(e, 0, sizeof *e);
            snprintf(e->kind, sizeof e->kind, "%s", kind);
            /* a split names the lots made from this one; a merge or conversion the lot merged
             * into this one, unless the parcel went into it (lr_current_find) */
            bool into = strcmp(kind, "split") == 0 ||
                        (s->current.lot_row == (int)r && strcmp(n.value, s->current.lot) == 0);
            snprintf(e->from_lot, sizeof e->from_lot, "%.31s", into ? s->lot.value : n.value);
            snprintf(e->to_lot, sizeof e->to_lot, "%.31s", into ? n.value : s->lot.value);
            e->row = (int)r;
        }
    }
    return LR_OK;
}

/* Checks across fields: dates in order down the rows, grades and areas in the form's range,
 * the lot present; then the confidence threshold, then the agreements (checks.h). */
static int validate(lr_sheet *s, const lr_extractor *ex, const lr_layout *layout,
                    const float *thresholds)
{
    lr_check_date_order(s);
    lr_check_ranges(s, layout->form);
    if (!s->lot.present) {
        s->lot.present = true;
        s->lot.raw = strdup("");
        if (!s->lot.raw)
            return LR_ERR_NOMEM;
    }
    if (!s->lot.value)
        lr_field_flag(&s->lot, "missing");

    for (size_t sec = 0; sec < 3; sec++) {
        size_t rows = sec == 0 ? 1 : sec == 1 ? s->nland : s->nowners;
        for (size_t r = 0; r < rows; r++)
            for (int k = 1; k < LR_FIELD_COUNT; k++) {
                lr_field *f = lr_sheet_field(s, (lr_section)sec, r, (lr_field_kind)k);
                if (!f || !f->present)
                    continue;
                /* a table found from a head taken, not read, may have its rows or columns
                 * off */
                if (layout->heads_inferred[sec])
                    lr_field_flag(f, "head-inferred");
                /* the form's threshold=, else the calibrated one, else the run's */
                bool given = thresholds[k] > 0 || ex->review.of[k] >= 0;
                float th = thresholds[k] > 0        ? thresholds[k]
                           : ex->review.of[k] >= 0 ? ex->review.of[k]
                                                   : ex->opts.threshold;
                /* Free text has no grammar to catch a misread character: only the OCR's
                 * confidence speaks for it, and a mean hides one bad character. It stands
                 * at the usual threshold when every word the page OCR read in it was sure
                 * (NAME_WORD_MIN, PLACE_WORD_MIN), else higher (FREE_TEXT_RAISE). */
                if (!given &&
                    (k == LR_FIELD_LOCATION || k == LR_FIELD_ADDRESS || k == LR_FIELD_NAME) &&
                    f->weakest < (k == LR_FIELD_NAME ? NAME_WORD_MIN : PLACE_WORD_MIN))
                    th =
                        th + FREE_TEXT_RAISE > FREE_TEXT_MAX ? FREE_TEXT_MAX : th + FREE_TEXT_RAISE;
                if (f->raw && f->raw[0] && f->conf < th)
                    lr_field_flag(f, "low-confidence");
            }
    }
    /* after the confidence: which of the areas and dates stand depends on it */
    if (lr_check_agreement(s) < 0)
        return LR_ERR_NOMEM;
    for (size_t sec = 0; sec < 3; sec++) {
        size_t rows = sec == 0 ? 1 : sec == 1 ? s->nland : s->nowners;
        for (size_t r = 0; r < rows; r++)
            for (int k = 1; k < LR_FIELD_COUNT; k++) {
                lr_field *f = lr_sheet_field(s, (lr_section)sec, r, (lr_field_kind)k);
                s->nreview += f && f->present && f->review;
            }
    }
    return LR_OK;
}

/* The height of the page's lines of writing: the median height of its words (0: none). */
static int words_line_height(const lr_ocr_result *page)
{
    NUMA *hs = numaCreate((l_int32)page->nwords);
    for (size_t i = 0; hs && i < page->nwords; i++)
        if (page->words[i].y1 > page->words[i].y0)
            numaAddNumber(hs, (l_float32)(page->words[i].y1 - page->words[i].y0));
    l_float32 h = 0;
    if (!hs || numaGetCount(hs) == 0 || numaGetMedian(hs, &h) != 0)
        h = 0;
    numaDestroy(&hs);
    return (int)h;
}

/* How many characters the page OCR read: its words' widths in line heights (CJK characters
 * are about square). */
static double page_chars(const lr_ocr_result *page, int line_h)
{
    if (line_h <= 0)
        return 0;
    double chars = 0;
    for (size_t i = 0; i < page->nwords; i++)
        if (page->words[i].x1 > page->words[i].x0)
            chars += (double)(page->words[i].x1 - page->words[i].x0) / line_h;
    return chars;
}

/* Whether the page read a cell as at most one character, or as two where one was written
 * that the models lack (垈 read 人金); two Hangul syllables are two characters. */
static bool lone_character(const char *raw)
{
    uint32_t cps[4];
    int hanja = 0, hangul = 0;
    lr_text_scripts(raw, &hanja, &hangul);
    return lr_text_squeeze(raw, cps, 4) <= 2 && hangul <= 1;
}

/* A re-read's text replaces the job's when it is better: a value beats none, one the
 * normaliser stands behind beats one it flags (a lot of five digits: ノ read as 7), else the
 * surer reading wins. */
static void take_if_better(lr_extractor *ex, job *j, const char *text, float conf,
                           lr_lattice *lat, const lr_layout *layout)
{
    if (!text || !text[0])
        return;
    lr_fieldnorm n;
    job_normalize(ex, j, text, lat, layout, NULL, &n);
    float before = combined(j), after = conf * n.score / 100.0f;
    bool had = j->norm.value[0], has = n.value[0];
    bool was_flagged = had && j->norm.flag[0], is_flagged = has && n.flag[0];
    /* a ditto mark (仝 read as its parts) beats a reading that gives nothing; a ditto mark
     * read (its value is the row above's) yields only to a value the normaliser stands
     * behind, read surer (a 〃 re-read as 77 at confidence 7 is no grade) */
    bool was_ditto = job_ditto(j, layout, j->raw);
    bool ditto = !had && job_ditto(j, layout, text) && !was_ditto;
    bool better = was_ditto ? has && !is_flagged && after > j->ocr_conf
                            : (has && !had) || (has && was_flagged && !is_flagged) || ditto ||
                                  (has == had && was_flagged == is_flagged && after > before);
    if (better) {
        snprintf(j->raw, sizeof j->raw, "%s", text);
        j->ocr_conf = conf;
        j->norm = n;
        j->reread = true;
        j->has_words = true;
        /* the reading's lattice goes with it (the category is decoded again with its date) */
        lr_lattice_clear(&j->lat);
        if (lat) {
            j->lat = *lat;
            memset(lat, 0, sizeof *lat);
        }
    }
}

/* Line heights of ink a Hanja character of a lot may span before one is taken as unread:
 * lots read whole span 1.06–1.39 a character, those missing their ノ 1.63–1.71 (the three
 * corpora of docs/records.md). */
#define LOT_WIDTH_PER_CHAR 1.5

/* Ink that no page word covers, at least a line height divided by this high, is a character
 * the page OCR left out. */
#define UNREAD_PER_LINE 2

/* Most pieces of ink left unread in a cell that are looked at (a lot's cell holds a few). */
#define UNREAD_PIECES_MAX 64

/* A piece of ink lower and narrower than a line height divided by this is a speck, not
 * writing. */
#define SPECK_PER_LINE 5

/* The height of the tallest piece of ink inside a job's cells that none of the page's words
 * in them covers (their boxes grown by word_margin_px): a character the page OCR left out; 0
 * when none. Pieces cut by the cell's inside edge (ruling lines) do not count. */
static int unread_ink(PIX *binary, int dpi, const job *j, const lr_layout *l,
                      const lr_ocr_result *page)
{
    int tallest = 0;
    for (int k = 0; k < j->ncells; k++) {
        const lr_cell *c = &l->cells[j->cells[k]];
        int x, y, w, h;
        PIX *crop = crop_inside(binary, dpi, c, &x, &y, &w, &h);
        if (!crop)
            continue;
        int m = word_margin_px(dpi);
        for (size_t i = 0; i < page->nwords; i++) {
            const lr_word *wd = &page->words[i];
            int cx = (wd->x0 + wd->x1) / 2, cy = (wd->y0 + wd->y1) / 2;
            if (cx < c->x0 || cx >= c->x1 || cy < c->y0 || cy >= c->y1 || !wd->text)
                continue;
            pixRasterop(crop, wd->x0 - m - x, wd->y0 - m - y, wd->x1 - wd->x0 + 2 * m,
                        wd->y1 - wd->y0 + 2 * m, PIX_CLR, NULL, 0, 0);
        }
        lr_ink_piece p[UNREAD_PIECES_MAX];
        int np = lr_ink_pieces(crop, p, UNREAD_PIECES_MAX);
        for (int i = 0; i < np && i < UNREAD_PIECES_MAX; i++)
            tallest = p[i].y1 - p[i].y0 > tallest ? p[i].y1 - p[i].y0 : tallest;
        pixDestroy(&crop);
    }
    return tallest;
}

/* The width, in line heights, the ink in a job's first cell spans, specks (SPECK_PER_LINE)
 * left out; 0 when none. */
static double ink_width(PIX *binary, int dpi, const job *j, const lr_layout *l, int line_h)
{
    int x, y, w, h;
    PIX *crop =
        line_h > 0 ? crop_inside(binary, dpi, &l->cells[j->cells[0]], &x, &y, &w, &h) : NULL;
    if (!crop)
        return 0;
    lr_ink_piece p[UNREAD_PIECES_MAX];
    int np = lr_ink_pieces(crop, p, UNREAD_PIECES_MAX), x0 = w, x1 = 0;
    for (int i = 0; i < np && i < UNREAD_PIECES_MAX; i++) {
        if (p[i].y1 - p[i].y0 < line_h / SPECK_PER_LINE &&
            p[i].x1 - p[i].x0 < line_h / SPECK_PER_LINE)
            continue;
        x0 = p[i].x0 < x0 ? p[i].x0 : x0;
        x1 = p[i].x1 > x1 ? p[i].x1 : x1;
    }
    pixDestroy(&crop);
    return x1 > x0 ? (double)(x1 - x0) / line_h : 0;
}

/* How many characters raw holds when they are all Hanja or ノ (each about a line height
 * wide); 0 otherwise. */
static size_t square_characters(const char *raw)
{
    uint32_t cps[64];
    size_t n = lr_text_squeeze(raw, cps, 64);
    for (size_t i = 0; i < n; i++)
        if (!lr_text_is_hanja(cps[i]) && cps[i] != 0x30CE /* ノ */)
            return 0;
    return n;
}

/* What re-reading a cell costs, in characters: those its ink spans (width over the line
 * height, times its lines) and a call's overhead (REREAD_CALL_CHARS). */
static double reread_cost(BOX *ink, int line_h)
{
    double chars = 0;
    if (ink && line_h > 0) {
        l_int32 iw = 0, ih = 0;
        boxGetGeometry(ink, NULL, NULL, &iw, &ih);
        int lines = (ih + line_h / 2) / line_h;
        chars = (double)iw / line_h * (lines > 1 ? lines : 1);
    }
    return chars + REREAD_CALL_CHARS;
}

/* The box of the ink inside a cell's lines; NULL when there is none. */
static BOX *cell_ink(PIX *binary, int dpi, const lr_cell *c)
{
    int x, y, w, h;
    cell_inside(dpi, c, &x, &y, &w, &h);
    BOX *inside = w > 0 && h > 0 ? boxCreate(x, y, w, h) : NULL, *ink = NULL;
    if (inside && pixClipBoxToForeground(binary, inside, NULL, &ink) != 0)
        boxDestroy(&ink);
    boxDestroy(&inside);
    return ink;
}

/* ---- a sheet, step by step ----------------------------------------------------------- */

/* A lot is re-read before the other fields unless they are this much (combined confidence,
 * 0–100) less sure than it: the lot names the parcel, and a sheet without one is flagged
 * "missing". */
#define LOT_REREAD_LEAD 50.0f

/* The jobs of a layout into jobs (room for one per cell): one per (section, row, field), a
 * field split over several cells (坪 | 合 | 勺) read from them left to right as one; and into
 * thresholds, the confidence threshold each field kind's settings give (0: the extractor's).
 * Returns how many jobs there are. */
static size_t make_jobs(const lr_extractor *ex, const lr_layout *layout, job *jobs,
                        float *thresholds)
{
    size_t njobs = 0;
    for (size_t i = 0; i < layout->ncells; i++) {
        const lr_cell *c = &layout->cells[i];
        if (c->is_label || c->field == LR_FIELD_NONE)
            continue;
        size_t k = 0;
        while (k < njobs && !(jobs[k].section == c->section && jobs[k].row == c->row &&
                              jobs[k].kind == c->field))
            k++;
        if (k == njobs) {
            jobs[k].section = c->section;
            jobs[k].row = c->row;
            jobs[k].kind = c->field;
            njobs++;
        }
        job *j = &jobs[k];
        if (j->ncells < JOB_CELLS_MAX) {
            int at = j->ncells++;
            while (at > 0 && layout->cells[j->cells[at - 1]].x0 > c->x0) {
                j->cells[at] = j->cells[at - 1];
                at--;
            }
            j->cells[at] = i;
        }
        if (c->ink > j->ink)
            j->ink = c->ink;
        lr_field_ocr o = field_settings(ex, c);
        if (o.threshold > 0)
            thresholds[c->field] = o.threshold;
    }
    return njobs;
}

/* Whether a job read from the page's words is to be read again: a cell the page read as
 * empty that holds ink, a reading less sure than reuse_conf, or one of a typed field the
 * normaliser does not fully stand behind. */
static bool needs_reread(const lr_extractor *ex, const job *j, const lr_layout *layout)
{
    if (!j->has_words)
        return j->ink >= REREAD_MIN_INK;
    if (job_ditto(j, layout, j->raw) && j->ocr_conf >= ex->opts.reuse_conf)
        return false; /* 〃 read sure: the row above gives the value */
    if (j->ocr_conf < ex->opts.reuse_conf)
        return true;
    return typed(j->kind) && (!j->norm.value[0] || j->norm.score < 100 || j->norm.flag[0]);
}

/* Each job read from the page's words and normalised; those to be read again into order,
 * least sure first. Returns how many. */
static size_t plan_rereads(lr_extractor *ex, PIX *binary, int dpi, const lr_layout *layout,
                           const lr_ocr_result *page, job *jobs, size_t njobs, job **order)
{
    size_t norder = 0;
    for (size_t k = 0; k < njobs; k++) {
        job *j = &jobs[k];
        gather_words(j, layout, page);
        j->m2_before = -1;
        if (j->kind == LR_FIELD_AREA && j->ncells == 1) {
            int x, y, w, h;
            cell_inside(dpi, &layout->cells[j->cells[0]], &x, &y, &w, &h);
            j->m2_before = lr_unitmark_m2_before(binary, x, y, w, h);
        }
        job_normalize(ex, j, j->raw, NULL, layout, NULL, &j->norm);
        if (needs_reread(ex, j, layout)) {
            j->priority = combined(j) - (j->kind == LR_FIELD_LOT ? LOT_REREAD_LEAD : 0.0f);
            order[norder++] = j;
        }
    }
    qsort(order, norder, sizeof *order, cmp_job_priority);
    return norder;
}

/* The page's re-reading budget, in characters rather than milliseconds so that a page reads
 * the same on a loaded machine as on an idle one: budget_pct of the characters the page OCR
 * read, and at least REREAD_MIN_CHARS when there is a budget at all. */
static double reread_budget(const lr_extractor *ex, const lr_ocr_result *page, int line_h)
{
    double budget = ex->opts.budget_pct / 100.0 * page_chars(page, line_h);
    if (ex->opts.budget_pct > 0 && budget < REREAD_MIN_CHARS)
        budget = REREAD_MIN_CHARS;
    return budget;
}

/* The box round a job's cells, with its first cell's field and settings: one crop per job. */
static lr_cell job_box(const job *j, const lr_layout *layout)
{
    lr_cell whole = layout->cells[j->cells[0]];
    for (int k = 1; k < j->ncells; k++) {
        const lr_cell *c = &layout->cells[j->cells[k]];
        whole.x1 = c->x1 > whole.x1 ? c->x1 : whole.x1;
        whole.y1 = c->y1 > whole.y1 ? c->y1 : whole.y1;
    }
    return whole;
}

/* Whether a job may hold a character the models cannot write (畓, 垈, 仝), which the cell's
 * own re-read cannot give: not in names, lots and locations, where a lone character is
 * another (國) or none. */
static bool may_compose(const lr_extractor *ex, const job *j)
{
    return ex->compose && j->kind != LR_FIELD_NAME && j->kind != LR_FIELD_LOT &&
           j->kind != LR_FIELD_LOCATION && lone_character(j->raw);
}

/* A job's ink (ink: its box) read as the two parts of a character (read_composed), the
 * reading taken when better and the calls' cost added to *spent. *out_settled: the job now
 * has a value the normaliser stands behind, and its cells need no other re-read. */
static int reread_composed(lr_extractor *ex, PIX *binary, BOX *ink, job *j, const lr_layout *layout,
                           double *spent, lr_sheet *out, bool *out_settled, lr_error *err)
{
    char *text = NULL;
    float conf = 0;
    int calls = 0;
    *out_settled = false;
    int rc = read_composed(ex, binary, ink, &text, &conf, &calls, err);
    if (rc < 0) {
        free(text);
        return rc;
    }
    *spent += calls * COMPOSE_PART_CHARS;
    if (calls)
        out->cells_reread++;
    take_if_better(ex, j, text, conf, NULL, layout);
    free(text);
    *out_settled = j->norm.value[0] && !j->norm.flag[0];
    return LR_OK;
}

/* A job's cells (whole: their box) read as co says, the reading (with its lattice for a
 * field with a grammar) taken when better. cost and budget, in characters, are for the log. */
static int reread_with(lr_extractor *ex, PIX *binary, int dpi, job *j, const lr_cell *whole,
                       const lr_ocr_cell_opts *co, const lr_layout *layout, double cost,
                       double budget, lr_error *err)
{
    char *text = NULL;
    float conf = 0;
    lr_lattice lat = {0};
    bool grammar = lr_fielddecode_has_grammar(j->kind);
    int rc = read_cell(ex, binary, dpi, whole, co, &text, &conf, grammar ? &lat : NULL, err);
    if (rc < 0) {
        free(text);
        lr_lattice_clear(&lat);
        return rc;
    }
    lr_log_debug("re-read %s row %d %s with %s (cost %.1f of %.1f chars): \"%s\" (%.0f) for "
                 "\"%s\" (%.0f)",
                 lr_section_name(j->section), j->row, lr_field_kind_name(j->kind),
                 co->lang ? co->lang : "", cost, budget, text ? text : "", (double)conf, j->raw,
                 (double)j->ocr_conf);
    take_if_better(ex, j, text, conf, grammar ? &lat : NULL, layout);
    lr_lattice_clear(&lat);
    free(text);
    return LR_OK;
}

/* Whether a job's reading is one its grammar takes as read (the normaliser and the decoder
 * stand behind it). */
static bool job_accepted(const job *j)
{
    return j->norm.value[0] && j->norm.score >= 100.0f && !j->norm.flag[0];
}

/* A job's cells (whole: their box) read again alone as the field's settings say, the
 * reading taken when better; a field with a grammar whose reading the grammar still refuses
 * is read once more by DECODE_REREAD_LANG alone with the grammar's characters as whitelist
 * (docs/decoding.md, decision 2), when the budget has room. cost, budget and *spent are in
 * characters. */
static int reread_cell(lr_extractor *ex, PIX *binary, int dpi, job *j, const lr_cell *whole,
                       const lr_layout *layout, double cost, double budget, double *spent,
                       lr_sheet *out, lr_error *err)
{
    lr_field_ocr o = field_settings(ex, whole);
    lr_ocr_cell_opts co = cell_opts(&o);
    int rc = reread_with(ex, binary, dpi, j, whole, &co, layout, cost, budget, err);
    if (rc < 0)
        return rc;
    out->cells_reread++;
    if (!lr_fielddecode_has_grammar(j->kind) || job_accepted(j) || *spent + cost > budget)
        return LR_OK;
    lr_fieldnorm_ctx ctx = job_ctx(j, layout, NULL);
    lr_decode_ctx dctx = lr_fielddecode_ctx(&ctx);
    char whitelist[2048];
    lr_decode_charset(ex->grammars, &dctx, whitelist, sizeof whitelist);
    lr_ocr_cell_opts hanja = {DECODE_REREAD_LANG, co.psm, whitelist};
    *spent += cost;
    return reread_with(ex, binary, dpi, j, whole, &hanja, layout, cost, budget, err);
}

/* The jobs in order read again while the budget (characters) lasts, at most max_rereads
 * cells: first as the two parts of a character when the job may hold one, then its cells
 * alone, each re-read costing the characters its ink spans and a call's overhead. */
static int reread_jobs(lr_extractor *ex, PIX *binary, int dpi, const lr_layout *layout, job **order,
                       size_t norder, double budget, int line_h, lr_sheet *out, lr_error *err)
{
    double spent = 0;
    for (size_t q = 0; q < norder; q++) {
        /* every re-read costs at least a call: none fits once less than that is left */
        if (out->cells_reread >= ex->opts.max_rereads || budget - spent < REREAD_CALL_CHARS)
            break;
        job *j = order[q];
        lr_cell whole = job_box(j, layout);
        BOX *ink = cell_ink(binary, dpi, &whole);
        if (may_compose(ex, j) && spent + COMPOSE_COST_CHARS <= budget) {
            bool settled = false;
            int rc = reread_composed(ex, binary, ink, j, layout, &spent, out, &settled, err);
            if (rc < 0 || settled) {
                boxDestroy(&ink);
                if (rc < 0)
                    return rc;
                continue;
            }
        }
        /* A dearer cell waits for the cheaper ones behind it (a lone 垈 costs little). */
        double cost = reread_cost(ink, line_h);
        boxDestroy(&ink);
        if (spent + cost > budget)
            continue;
        spent += cost;
        int rc = reread_cell(ex, binary, dpi, j, &whole, layout, cost, budget, &spent, out, err);
        if (rc < 0)
            return rc;
    }
    return LR_OK;
}

/* The sheet's rows: as many as the layout's sections have (the empty ones are dropped once
 * filled). LR_ERR_NOMEM when out of memory. */
static int make_rows(lr_sheet *out, const job *jobs, size_t njobs)
{
    int nland = 0, nown = 0;
    for (size_t k = 0; k < njobs; k++) {
        if (jobs[k].section == LR_SECTION_LAND && jobs[k].row + 1 > nland)
            nland = jobs[k].row + 1;
        if (jobs[k].section == LR_SECTION_OWNER && jobs[k].row + 1 > nown)
            nown = jobs[k].row + 1;
    }
    if ((nland && !(out->land = calloc((size_t)nland, sizeof *out->land))) ||
        (nown && !(out->owners = calloc((size_t)nown, sizeof *out->owners))))
        return LR_ERR_NOMEM;
    out->nland = (size_t)nland;
    out->nowners = (size_t)nown;
    return LR_OK;
}

/* Areas (m² from 1976) and categories (their periods) depend on the row's date: a job of
 * either normalised again with it (j is one of jobs). */
static void renormalize_with_date(lr_extractor *ex, const job *jobs, size_t njobs, job *j,
                                  const lr_layout *layout)
{
    if (j->kind != LR_FIELD_AREA && j->kind != LR_FIELD_CATEGORY)
        return;
    const char *date = row_date(jobs, njobs, j);
    if (date) {
        lr_fieldnorm n;
        job_normalize(ex, j, j->raw, &j->lat, layout, date, &n);
        if (n.value[0] || !j->norm.value[0])
            j->norm = n;
    } else if (j->kind == LR_FIELD_AREA && j->norm.unit_assumed && !j->norm.flag[0] &&
               layout->doc_type != LR_DOC_MOVEMENT_RESOLUTION) {
        /* A bare number with no date known: 坪 or ㎡ (from 1976) is a guess. */
        snprintf(j->norm.flag, sizeof j->norm.flag, "normalize");
        snprintf(j->norm.note, sizeof j->norm.note, "no unit written and no date known");
    }
}

/* A lot's field f flagged "unread-ink" when its ink shows a character its reading lacks. */
static void flag_unread_lot(PIX *binary, int dpi, const job *j, const lr_layout *layout,
                            const lr_ocr_result *page, int line_h, lr_field *f)
{
    if (j->kind != LR_FIELD_LOT)
        return;
    /* A lot's ノ the page OCR dropped (二四六五 for 二四六ノ五) leaves a lot of other digits:
     * only the ink it did not read tells (lots only: there the page's word boxes fit the
     * characters; in longer cells they may not). */
    if (!j->reread && j->has_words && line_h > 0 &&
        UNREAD_PER_LINE * unread_ink(binary, dpi, j, layout, page) >= line_h)
        lr_field_flag(f, "unread-ink");
    /* Nor do the boxes always show it: the ノ's ink inside its neighbour's box. A lot read in
     * Hanja whose ink spans wider than LOT_WIDTH_PER_CHAR a character is one short. */
    size_t nsquare = line_h > 0 ? square_characters(j->raw) : 0;
    if (nsquare && ink_width(binary, dpi, j, layout, line_h) > LOT_WIDTH_PER_CHAR * nsquare)
        lr_field_flag(f, "unread-ink");
}

/* Each job's field on the sheet, from its reading. LR_ERR_NOMEM when out of memory. */
static int fill_fields(lr_extractor *ex, PIX *binary, int dpi, const lr_layout *layout,
                       const lr_ocr_result *page, job *jobs, size_t njobs, int line_h,
                       lr_sheet *out)
{
    for (size_t k = 0; k < njobs; k++) {
        job *j = &jobs[k];
        renormalize_with_date(ex, jobs, njobs, j, layout);
        lr_field *f = lr_sheet_field(out, j->section, (size_t)j->row, j->kind);
        if (!f || f->present)
            continue;
        if (set_field(f, j, layout) < 0)
            return LR_ERR_NOMEM;
        flag_unread_lot(binary, dpi, j, layout, page, line_h, f);
    }
    return LR_OK;
}

/* The empty rows dropped (cleared, the rest moved up). */
static void drop_empty_rows(lr_sheet *out)
{
    size_t w = 0;
    for (size_t r = 0; r < out->nland; r++) {
        if (row_empty_land(&out->land[r])) {
            lr_land_row *l = &out->land[r];
            field_clear(&l->date);
            field_clear(&l->event);
            field_clear(&l->category);
            field_clear(&l->area);
            field_clear(&l->grade);
            continue;
        }
        out->land[w++] = out->land[r];
    }
    out->nland = w;
    w = 0;
    for (size_t r = 0; r < out->nowners; r++) {
        if (row_empty_owner(&out->owners[r])) {
            lr_owner_row *o = &out->owners[r];
            field_clear(&o->date);
            field_clear(&o->event);
            field_clear(&o->address);
            field_clear(&o->name);
            continue;
        }
        out->owners[w++] = out->owners[r];
    }
    out->nowners = w;
}

/* A resolution's rows are its parcels after the movement: their date and event are the
 * resolution's own (결의일자, 이동사유), read once in the header. LR_ERR_NOMEM when out of
 * memory. */
static int fill_resolution_rows(lr_sheet *out, const job *jobs, size_t njobs,
                                const lr_layout *layout)
{
    if (layout->doc_type != LR_DOC_MOVEMENT_RESOLUTION)
        return LR_OK;
    const job *jd = NULL, *je = NULL;
    for (size_t k = 0; k < njobs; k++) {
        if (jobs[k].section == LR_SECTION_SHEET && jobs[k].kind == LR_FIELD_DATE)
            jd = &jobs[k];
        if (jobs[k].section == LR_SECTION_SHEET && jobs[k].kind == LR_FIELD_EVENT)
            je = &jobs[k];
    }
    for (size_t r = 0; r < out->nland; r++) {
        lr_land_row *l = &out->land[r];
        if ((jd && !l->date.present && set_field(&l->date, jd, layout) < 0) ||
            (je && !l->event.present && set_field(&l->event, je, layout) < 0))
            return LR_ERR_NOMEM;
    }
    return LR_OK;
}

int lr_extract_sheet(lr_extractor *ex, struct Pix *binary, int dpi, const lr_layout *layout,
                     const lr_ocr_result *page, lr_sheet *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = LR_OK;
    job *jobs = NULL, **order = NULL;
    if (!ex || !binary || !layout || !page || dpi <= 0)
        return lr_error_set(err, LR_ERR_ARG, "extraction needs a page, its layout and its OCR");
    out->doc_type = layout->doc_type;
    out->doc_type_forced = layout->doc_type_forced;
    if (layout->form)
        snprintf(out->form, sizeof out->form, "%s", layout->form->name);
    /* A struck entry is read without its strike, as the page OCR read it. */
    PIX *unstruck = layout->struck ? pixSubtract(NULL, binary, layout->struck) : NULL;
    if (layout->struck && !unstruck)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    if (unstruck)
        binary = unstruck;

    jobs = calloc(layout->ncells ? layout->ncells : 1, sizeof *jobs);
    order = calloc(layout->ncells ? layout->ncells : 1, sizeof *order);
    if (!jobs || !order) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    float thresholds[LR_FIELD_COUNT] = {0};
    size_t njobs = make_jobs(ex, layout, jobs, thresholds);
    out->cells = (int)njobs;

    /* The page's words first; the rest is re-read within the budget, least sure first. */
    size_t norder = plan_rereads(ex, binary, dpi, layout, page, jobs, njobs, order);
    int line_h = words_line_height(page);
    double budget = reread_budget(ex, page, line_h), t0 = lr_clock_ms();
    if ((rc = reread_jobs(ex, binary, dpi, layout, order, norder, budget, line_h, out, err)) < 0)
        goto done;
    out->reread_ms = lr_clock_ms() - t0;

    if (make_rows(out, jobs, njobs) < 0 ||
        fill_fields(ex, binary, dpi, layout, page, jobs, njobs, line_h, out) < 0) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    drop_empty_rows(out);
    if (fill_resolution_rows(out, jobs, njobs, layout) < 0 || resolve_dittos(out) < 0) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    lr_current_mark_struck(out, layout->struck);
    if (validate(out, ex, layout, thresholds) < 0) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    lr_current_find(out, ex->tables);
    if (add_lineage(out, ex->tables) < 0) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    identify_parcel(out, ex->tables);
    lr_log_debug("extract: re-reads %.1f ms, decoding %.1f ms", out->reread_ms, ex->decode_ms);
    ex->decode_ms = 0;
done:
    for (size_t k = 0; jobs && k < layout->ncells; k++)
        lr_lattice_clear(&jobs[k].lat);
    free(jobs);
    free(order);
    pixDestroy(&unstruck);
    if (rc < 0)
        lr_sheet_clear(out);
    return rc;
}
