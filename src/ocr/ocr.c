/* ocr.c — Tesseract through its C API (see include/landrec/ocr.h). */
#include "landrec/ocr.h"

#include <errno.h>
#include <leptonica/allheaders.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>
#include <unistd.h>

#include "handle.h"
#include "landrec/digest.h"
#include "landrec/log.h"
#include "landrec/normalize.h"
#include "landrec/strbuf.h"
#include "landrec/tsv.h"
#include "landrec/utf8.h"

/* Longest language name accepted ("chi_tra_vert" is 12); longer means a typo or garbage. */
#define LANG_NAME_MAX 64
#define MODEL_HEX_PREFIX 16

void lr_ocr_options_default(lr_ocr_options *out_opts)
{
    if (!out_opts)
        return;
    memset(out_opts, 0, sizeof *out_opts);
    out_opts->lang = LR_OCR_DEFAULT_LANG;
    out_opts->datapath = NULL;
    /* One column of text of variable sizes: on the sample ledger pages (ruled frame, stamps)
     * mean CER 0.105 against 0.305 for fully automatic layout (docs/ocr.md). */
    out_opts->psm = PSM_SINGLE_COLUMN;
    out_opts->orientation = true;
    out_opts->forms = NULL;
    out_opts->pages = true;
}

/* --- character forms -------------------------------------------------------------------- */

#define FORMS_FILE "hanja_forms.tsv"

/* The table's path: opts->forms, or the data directory's; NULL when there is none. */
static const char *forms_path(const lr_ocr_options *opts, char *buf, size_t size)
{
    if (opts->forms)
        return opts->forms[0] ? opts->forms : NULL;
    snprintf(buf, size, "%s/%s", lr_norm_default_data_dir(), FORMS_FILE);
    return buf;
}

/* The one character of a table field, when it is one three-byte character (the CJK blocks all
 * are, so that a word is rewritten in place); else 0. */
static uint32_t form_char(const char *field)
{
    size_t len = strlen(field);
    uint32_t c = 0;
    return len == 3 && lr_utf8_next(field, len, &c) == 3 ? c : 0;
}

static int cmp_form(const void *a, const void *b)
{
    uint32_t x = ((const form_pair *)a)->seen, y = ((const form_pair *)b)->seen;
    return (x > y) - (x < y);
}

typedef struct forms_read {
    lr_ocr *ocr;
    size_t cap;
} forms_read;

static int form_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    forms_read *fr = ctx;
    lr_ocr *ocr = fr->ocr;
    const char *seen = lr_tsv_cell(r, 0), *written = lr_tsv_cell(r, 1);
    uint32_t a = form_char(seen), b = form_char(written);
    if (!a)
        return lr_tsv_bad(r, "seen (one character of U+0800 to U+FFFF)", seen, err);
    if (!b)
        return lr_tsv_bad(r, "written (one character of U+0800 to U+FFFF)", written, err);
    if (ocr->nforms == fr->cap) {
        size_t cap = fr->cap ? 2 * fr->cap : 256;
        form_pair *grown = realloc(ocr->forms, cap * sizeof *grown);
        if (!grown)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        ocr->forms = grown;
        fr->cap = cap;
    }
    ocr->forms[ocr->nforms++] = (form_pair){a, b};
    return LR_OK;
}

/* Reads the table (tsv.h): columns seen and written (and a note), each field one character
 * of the three-byte range; a character is seen at most once. */
static int load_forms(const char *path, lr_ocr *ocr, lr_error *err)
{
    static const char *const cols[] = {"seen", "written"};
    lr_tsv_options opts = {false, LR_TSV_HINT_DATA_DIR};
    lr_tsv t;
    int rc = lr_tsv_load(path, &opts, &t, err);
    if (rc < 0)
        return rc;
    forms_read fr = {ocr, 0};
    rc = lr_tsv_each_row(&t, cols, 2, form_row, &fr, err);
    lr_tsv_free(&t);
    if (rc == LR_OK && ocr->nforms) {
        qsort(ocr->forms, ocr->nforms, sizeof *ocr->forms, cmp_form);
        for (size_t i = 1; i < ocr->nforms; i++)
            if (ocr->forms[i].seen == ocr->forms[i - 1].seen)
                return lr_error_set(err, LR_ERR_FORMAT, "%s: U+%04X is listed twice", path,
                                    (unsigned)ocr->forms[i].seen);
    }
    return rc;
}

/* Rewrites s in place by the table. */
static void apply_forms(const lr_ocr *ocr, char *s)
{
    if (!s || !ocr->nforms)
        return;
    for (char *p = s; *p;) {
        uint32_t c = 0;
        size_t n = lr_utf8_next(p, SIZE_MAX, &c);
        if (n == 3) {
            form_pair key = {c, 0};
            const form_pair *f = bsearch(&key, ocr->forms, ocr->nforms, sizeof key, cmp_form);
            if (f) {
                unsigned char *u = (unsigned char *)p;
                u[0] = (unsigned char)(0xE0 | (f->written >> 12));
                u[1] = (unsigned char)(0x80 | ((f->written >> 6) & 0x3F));
                u[2] = (unsigned char)(0x80 | (f->written & 0x3F));
            }
        }
        p += n ? n : 1;
    }
}

static pthread_once_t version_once = PTHREAD_ONCE_INIT;
static char version_text[64];

static void version_init(void)
{
    snprintf(version_text, sizeof version_text, "tesseract %s", TessVersion());
}

const char *lr_ocr_engine_version(void)
{
    pthread_once(&version_once, version_init);
    return version_text;
}

/* The directory Tesseract itself will search, resolved the way its CCUtil::main_setup does:
 * an explicit datapath, else TESSDATA_PREFIX (the tessdata directory itself in 4.x/5.x),
 * else the compiled-in default. */
static const char *resolve_datapath(const char *datapath)
{
    if (datapath && datapath[0])
        return datapath;
    const char *env = getenv("TESSDATA_PREFIX");
    if (env && env[0])
        return env;
    return LR_OCR_DEFAULT_TESSDATA;
}

typedef int (*lang_fn)(const char *name, const char *dir, void *ctx, lr_error *err);

/* Tesseract's names are [a-z_] plus a few with capitals, digits or '-', and the script
 * models "script/Hangul" …; anything else ('.', other '/', spaces) is refused so a language
 * string cannot name a file outside the tessdata directory. */
static bool valid_lang_name(const char *p, size_t n)
{
    if (n == 0 || n > LANG_NAME_MAX)
        return false;
    if (n > 7 && strncmp(p, "script/", 7) == 0) {
        p += 7;
        n -= 7;
    }
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* Splits lang at '+' and calls fn for each name. Returns the first non-zero fn result, or
 * LR_ERR_ARG for an empty or malformed name. */
static int for_each_lang(const char *lang, const char *dir, lang_fn fn, void *ctx, lr_error *err)
{
    const char *p = lang;
    for (;;) {
        const char *end = strchr(p, '+');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char name[LANG_NAME_MAX + 1];
        bool ok = valid_lang_name(p, n);
        if (!ok) {
            lr_error_set(err, LR_ERR_ARG, "invalid OCR language string \"%s\"", lang);
            lr_error_hint(err, "Give Tesseract language names joined by '+', e.g. \"%s\".",
                          LR_OCR_DEFAULT_LANG);
            return LR_ERR_ARG;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        int rc = fn(name, dir, ctx, err);
        if (rc)
            return rc;
        if (!end)
            return LR_OK;
        p = end + 1;
    }
}

static int model_path(const char *name, const char *dir, char *buf, size_t size)
{
    size_t len = strlen(dir);
    const char *sep = (len > 0 && dir[len - 1] == '/') ? "" : "/";
    int n = snprintf(buf, size, "%s%s%s.traineddata", dir, sep, name);
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

static int check_model(const char *name, const char *dir, void *ctx, lr_error *err)
{
    (void)ctx;
    char path[4096];
    if (model_path(name, dir, path, sizeof path) != 0)
        return lr_error_set(err, LR_ERR_ARG, "tessdata path too long");
    if (access(path, R_OK) == 0)
        return LR_OK;
    int e = errno;
    if (e == ENOENT)
        lr_error_set(err, LR_ERR_OCR, "OCR language \"%s\" is not installed", name);
    else
        lr_error_set(err, LR_ERR_OCR, "OCR language \"%s\" cannot be read", name);
    lr_error_detail(err, "%s: %s (searched %s)", path, strerror(e), dir);
    if (strncmp(name, "script/", 7) == 0) {
        lr_error_hint(err, "Install the Debian package tesseract-ocr-script-* that holds it, "
                           "or point the tessdata directory (TESSDATA_PREFIX) at one that does.");
        return LR_ERR_OCR;
    }
    /* Debian spells the package with '-' where Tesseract has '_' (chi_tra → chi-tra). */
    char pkg[LANG_NAME_MAX + 1];
    snprintf(pkg, sizeof pkg, "%s", name);
    for (char *c = pkg; *c; c++)
        if (*c == '_')
            *c = '-';
    lr_error_hint(err,
                  "Install the Debian package tesseract-ocr-%s, or point the tessdata "
                  "directory (TESSDATA_PREFIX) at one holding %s.traineddata.",
                  pkg, name);
    return LR_ERR_OCR;
}

/* Silences Tesseract once per process: debug_file is one global for all handles, and
 * tprintf opens it on first use and keeps it, so it is decided once. */
static pthread_mutex_t debug_file_lock = PTHREAD_MUTEX_INITIALIZER;
static bool debug_file_set;

static void route_chatter(TessBaseAPI *api)
{
    pthread_mutex_lock(&debug_file_lock);
    if (!debug_file_set) {
        if (lr_log_get_level() < LR_LOG_DEBUG)
            TessBaseAPISetVariable(api, "debug_file", "/dev/null");
        debug_file_set = true;
    }
    pthread_mutex_unlock(&debug_file_lock);
}

int ocr_init_api(const char *dir, const char *lang, TessOcrEngineMode oem, bool choices,
                 TessBaseAPI **out_api, lr_error *err)
{
    *out_api = NULL;
    TessBaseAPI *api = TessBaseAPICreate();
    if (!api)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory creating Tesseract");
    route_chatter(api);
    /* Variables reach every language of "kor+chi_tra" only when given to Init4; set after
     * Init they reach the first (docs/decoding.md). A line is read again inverted only below
     * LR_OCR_INVERT_THRESHOLD. A rating coefficient of 0.01 keeps the alternatives' confidences
     * from clipping at 0, so that their ratings can be recovered (OCR_CHOICE_RATING_COEF). */
    char *names[] = {"invert_threshold", "lstm_choice_mode", "lstm_rating_coefficient"};
    char *values[] = {LR_OCR_INVERT_THRESHOLD, "2", OCR_CHOICE_RATING_COEF_STR};
    int failed = TessBaseAPIInit4(api, dir, lang, oem, NULL, 0, names, values, choices ? 3 : 1, 0);
    if (failed != 0) {
        TessBaseAPIDelete(api);
        lr_error_set(err, LR_ERR_OCR, "Tesseract could not load the models for \"%s\"", lang);
        lr_error_detail(err, "tessdata directory %s", dir);
        return LR_ERR_OCR;
    }
    *out_api = api;
    return LR_OK;
}

/* ocr_init_api for lr_ocr_new, whose models were all found: one Tesseract refuses is
 * damaged or of another version. */
static int init_checked_api(const char *dir, const char *lang, TessOcrEngineMode oem,
                            TessBaseAPI **out_api, lr_error *err)
{
    int rc = ocr_init_api(dir, lang, oem, false, out_api, err);
    if (rc == LR_ERR_OCR)
        lr_error_hint(err, "Check that the .traineddata files are complete and match "
                           "Tesseract 4 or newer.");
    return rc;
}

int lr_ocr_new(const lr_ocr_options *opts, lr_ocr **out_ocr, lr_error *err)
{
    if (out_ocr)
        *out_ocr = NULL;
    if (!out_ocr)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_new: out_ocr is NULL");
    lr_ocr_options defaults;
    lr_ocr_options_default(&defaults);
    if (!opts)
        opts = &defaults;
    const char *lang = opts->lang && opts->lang[0] ? opts->lang : LR_OCR_DEFAULT_LANG;
    if (opts->psm < 0 || opts->psm >= PSM_COUNT || opts->psm == PSM_OSD_ONLY ||
        opts->psm == PSM_AUTO_ONLY) {
        lr_error_set(err, LR_ERR_ARG, "invalid page segmentation mode %d", opts->psm);
        lr_error_hint(err, "Use 1 or 3 to 13; 0 and 2 recognise no text.");
        return LR_ERR_ARG;
    }

    int rc = LR_OK;
    lr_ocr *ocr = calloc(1, sizeof *ocr);
    if (!ocr)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    const char *dir = resolve_datapath(opts->datapath);
    ocr->lang = strdup(lang);
    ocr->datapath = strdup(dir);
    ocr->psm = opts->psm;
    if (!ocr->lang || !ocr->datapath) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* Tesseract loads "kor+xyz" without xyz and says so only on its debug channel, so every
     * model is checked here first to name the one that is missing. */
    if (opts->pages)
        rc = for_each_lang(lang, dir, check_model, NULL, err);
    if (rc == LR_OK && opts->orientation)
        rc = check_model("osd", dir, NULL, err);
    if (rc)
        goto done;

    char fbuf[4200];
    const char *fpath = forms_path(opts, fbuf, sizeof fbuf);
    if (fpath && (rc = load_forms(fpath, ocr, err)) < 0)
        goto done;

    if (opts->pages) {
        /* LSTM only: the Debian models are the "fast" integer LSTM ones without legacy
         * data. */
        rc = init_checked_api(dir, lang, OEM_LSTM_ONLY, &ocr->text, err);
        if (rc)
            goto done;
        TessBaseAPISetPageSegMode(ocr->text, (TessPageSegMode)opts->psm);
    }
    if (opts->orientation) {
        /* osd.traineddata holds only the legacy engine's data. */
        rc = init_checked_api(dir, "osd", OEM_TESSERACT_ONLY, &ocr->osd, err);
        if (rc)
            goto done;
    }
    if (opts->pages)
        lr_log_debug("ocr: loaded %s%s from %s (%s)", lang, opts->orientation ? "+osd" : "",
                     dir, lr_ocr_engine_version());

done:
    if (rc)
        lr_ocr_destroy(&ocr);
    *out_ocr = ocr;
    return rc;
}

void lr_ocr_destroy(lr_ocr **pocr)
{
    if (!pocr || !*pocr)
        return;
    lr_ocr *ocr = *pocr;
    if (ocr->text)
        TessBaseAPIDelete(ocr->text); /* also Ends it */
    if (ocr->osd)
        TessBaseAPIDelete(ocr->osd);
    ocr_cells_destroy(ocr);
    free(ocr->lang);
    free(ocr->datapath);
    free(ocr->forms);
    free(ocr);
    *pocr = NULL;
}

/* --- models_describe ------------------------------------------------------------------ */

typedef struct describe_ctx {
    char *buf;
    size_t len, cap;
} describe_ctx;

static int describe_add(describe_ctx *ctx, const char *name, const char *hex, lr_error *err);

static int describe_model(const char *name, const char *dir, void *vctx, lr_error *err)
{
    describe_ctx *ctx = vctx;
    char path[4096];
    if (model_path(name, dir, path, sizeof path) != 0)
        return lr_error_set(err, LR_ERR_ARG, "tessdata path too long");
    char hex[LR_SHA256_HEX_LEN + 1];
    if (lr_digest_file(path, hex, NULL, NULL) != LR_OK)
        return check_model(name, dir, NULL, err); /* names the missing language */
    return describe_add(ctx, name, hex, err);
}

/* Appends ",name:<16 hex digits>". */
static int describe_add(describe_ctx *ctx, const char *name, const char *hex, lr_error *err)
{
    size_t need = strlen(name) + 1 + MODEL_HEX_PREFIX + 2;
    if (ctx->len + need > ctx->cap) {
        size_t cap = (ctx->cap + need) * 2;
        char *b = realloc(ctx->buf, cap);
        if (!b)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        ctx->buf = b;
        ctx->cap = cap;
    }
    int n = snprintf(ctx->buf + ctx->len, ctx->cap - ctx->len, "%s%s:%.*s", ctx->len ? "," : "",
                     name, MODEL_HEX_PREFIX, hex);
    ctx->len += (size_t)n;
    return LR_OK;
}

/* Adds "name:<sha256-prefix>" of a data file other than a model. */
static int describe_file(const char *name, const char *path, describe_ctx *ctx, lr_error *err)
{
    char hex[LR_SHA256_HEX_LEN + 1];
    if (lr_digest_file(path, hex, NULL, NULL) != LR_OK)
        return lr_error_set(err, LR_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    return describe_add(ctx, name, hex, err);
}

char *lr_ocr_models_describe(const lr_ocr_options *opts, lr_error *err)
{
    lr_ocr_options defaults;
    lr_ocr_options_default(&defaults);
    if (!opts)
        opts = &defaults;
    const char *lang = opts->lang && opts->lang[0] ? opts->lang : LR_OCR_DEFAULT_LANG;
    const char *dir = resolve_datapath(opts->datapath);
    describe_ctx ctx = {0};
    int rc = for_each_lang(lang, dir, describe_model, &ctx, err);
    if (rc == LR_OK && opts->orientation)
        rc = describe_model("osd", dir, &ctx, err);
    char fbuf[4200];
    const char *fpath = forms_path(opts, fbuf, sizeof fbuf);
    if (rc == LR_OK && fpath)
        rc = describe_file("forms", fpath, &ctx, err);
    if (rc == LR_OK && !ctx.buf)
        rc = lr_error_set(err, LR_ERR_INTERNAL, "no OCR models described");
    if (rc) {
        free(ctx.buf);
        return NULL;
    }
    return ctx.buf;
}

/* --- orientation ---------------------------------------------------------------------- */

int lr_ocr_detect_orientation(lr_ocr *ocr, struct Pix *pix, int dpi, int *out_deg, float *out_conf,
                              lr_error *err)
{
    if (out_deg)
        *out_deg = 0;
    if (out_conf)
        *out_conf = 0.0f;
    if (!ocr || !pix || !out_deg || !out_conf)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_detect_orientation: NULL argument");
    if (!ocr->osd) {
        lr_error_set(err, LR_ERR_ARG, "orientation detection is not enabled");
        lr_error_hint(err, "Create the OCR handle with options.orientation set.");
        return LR_ERR_ARG;
    }
    if (dpi <= 0)
        return lr_error_set(err, LR_ERR_ARG, "invalid resolution %d dpi", dpi);

    int deg = 0;
    float conf = 0.0f;
    const char *script = NULL; /* points into Tesseract's unicharset: not to be freed */
    float script_conf = 0.0f;
    TessBaseAPISetImage2(ocr->osd, pix);
    TessBaseAPISetSourceResolution(ocr->osd, dpi);
    BOOL ok = TessBaseAPIDetectOrientationScript(ocr->osd, &deg, &conf, &script, &script_conf);
    TessBaseAPIClear(ocr->osd);
    if (!ok) {
        lr_log_debug("ocr: orientation not detected (too little text)");
        return LR_OK;
    }
    /* Tesseract gives the counter-clockwise turn that makes the page upright (a page turned
     * 90° clockwise reports 90); landrec's convention is the clockwise turn. Verified on
     * pages of known rotation in tests/ocr/test_orientation.c. */
    int cw = (360 - deg) % 360;
    *out_conf = conf < 0.0f ? 0.0f : conf;
    /* A guess this unsure is as often wrong as right (pages without text score like this):
     * leaving the page as it is costs less than turning it wrongly. */
    *out_deg = *out_conf >= LR_OCR_MIN_ORIENT_CONF ? cw : 0;
    lr_log_debug("ocr: orientation %d%s (tesseract %d, conf %.2f), script %s (%.2f)", cw,
                 *out_deg == cw ? "" : " not trusted", deg, conf, script ? script : "?",
                 script_conf);
    return LR_OK;
}

/* --- recognition ---------------------------------------------------------------------- */

static const char hocr_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n"
    "    \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n"
    " <head>\n"
    "  <title></title>\n"
    "  <meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>\n"
    "  <meta name='ocr-system' content='%s' />\n"
    "  <meta name='ocr-capabilities' content='ocr_page ocr_carea ocr_par ocr_line ocrx_word "
    "ocrp_wconf ocrp_lang ocrp_dir'/>\n"
    " </head>\n"
    " <body>\n";
static const char hocr_tail[] = " </body>\n</html>\n";

/* Tesseract's hOCR page fragment wrapped into a document, as its hOCR renderer does. */
static char *wrap_hocr(const char *page)
{
    size_t cap = sizeof hocr_head + 64 + strlen(page) + sizeof hocr_tail;
    char *doc = malloc(cap);
    if (!doc)
        return NULL;
    int n = snprintf(doc, cap, hocr_head, lr_ocr_engine_version());
    if (n < 0 || (size_t)n >= cap) {
        free(doc);
        return NULL;
    }
    size_t len = (size_t)n;
    size_t plen = strlen(page);
    memcpy(doc + len, page, plen);
    len += plen;
    memcpy(doc + len, hocr_tail, sizeof hocr_tail); /* with the NUL */
    return doc;
}

/* A copy of a Tesseract string, which is freed at once. NULL in gives "" out. */
static char *take_text(char *tess)
{
    char *copy = strdup(tess ? tess : "");
    if (tess)
        TessDeleteText(tess);
    return copy;
}

lr_word *lr_ocr_result_add_word(lr_ocr_result *r)
{
    if (!r)
        return NULL;
    /* Capacity is 64, then the power of two at or above nwords: grown when nwords reaches
     * it. */
    size_t n = r->nwords;
    if (n == 0 || (n >= 64 && (n & (n - 1)) == 0)) {
        lr_word *grown = realloc(r->words, (n == 0 ? 64 : 2 * n) * sizeof *grown);
        if (!grown)
            return NULL;
        r->words = grown;
    }
    lr_word *w = &r->words[r->nwords++];
    memset(w, 0, sizeof *w);
    return w;
}

/* Appends the recognised words to out, boxes moved by (dx, dy), blocks numbered from
 * block0. */
static int collect_words(const lr_ocr *ocr, TessBaseAPI *api, int dx, int dy, int block0,
                         lr_ocr_result *out,
                         lr_error *err)
{
    int rc = LR_OK;
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    if (!ri)
        return LR_OK; /* nothing recognised */
    const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(ri);
    int block = block0 - 1, par = -1, line = -1;
    double conf_sum = 0.0;
    do {
        /* The levels cascade: the start of a block is also the start of a paragraph and a
         * line. Indices are nested, so each resets the ones below it. */
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_BLOCK)) {
            block++;
            par = line = -1;
        }
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_PARA)) {
            par++;
            line = -1;
        }
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE))
            line++;
        int l, t, r, b;
        if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b))
            continue; /* an empty position (no word), e.g. a page without text */
        char *tess = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
        if (!tess)
            continue;
        if (!tess[0]) {
            TessDeleteText(tess);
            continue;
        }
        lr_word *w = lr_ocr_result_add_word(out);
        if (!w) {
            TessDeleteText(tess);
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory collecting words");
            goto done;
        }
        w->text = take_text(tess);
        apply_forms(ocr, w->text);
        if (!w->text) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory collecting words");
            goto done;
        }
        float conf = TessResultIteratorConfidence(ri, RIL_WORD);
        w->conf = conf < 0.0f ? 0.0f : conf > 100.0f ? 100.0f : conf;
        w->x0 = l + dx;
        w->y0 = t + dy;
        w->x1 = r + dx;
        w->y1 = b + dy;
        w->block = block < 0 ? 0 : block;
        w->par = par < 0 ? 0 : par;
        w->line = line < 0 ? 0 : line;
        conf_sum += w->conf;
    } while (TessResultIteratorNext(ri, RIL_WORD));
    out->mean_conf = out->nwords ? (float)(conf_sum / (double)out->nwords) : 0.0f;
done:
    TessResultIteratorDelete(ri);
    return rc;
}

/* The refusal of a page read by an lr_ocr made without options.pages. */
static int no_page_models(lr_error *err)
{
    lr_error_set(err, LR_ERR_ARG, "this OCR handle was made to read cells only");
    lr_error_hint(err, "Create it with options.pages set.");
    return LR_ERR_ARG;
}

/* pix recognised by api at dpi: LR_ERR_OCR, "Tesseract failed to recognise WHAT" with the
 * image described, when Tesseract fails. */
static int recognize_with(const lr_ocr *ocr, TessBaseAPI *api, PIX *pix, int dpi, const char *what,
                          lr_error *err)
{
    TessBaseAPISetImage2(api, pix);
    TessBaseAPISetSourceResolution(api, dpi);
    if (TessBaseAPIRecognize(api, NULL) == 0)
        return LR_OK;
    lr_error_set(err, LR_ERR_OCR, "Tesseract failed to recognise %s", what);
    lr_error_detail(err, "%dx%d, %d bpp, %d dpi, language %s", pixGetWidth(pix), pixGetHeight(pix),
                    pixGetDepth(pix), dpi, ocr->lang);
    return LR_ERR_OCR;
}

int lr_ocr_recognize(lr_ocr *ocr, struct Pix *pix, int dpi, lr_ocr_result *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!ocr || !pix || !out)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_recognize: NULL argument");
    if (!ocr->text)
        return no_page_models(err);
    int depth = pixGetDepth(pix);
    if (depth != 1 && depth != 8 && depth != 32) {
        lr_error_set(err, LR_ERR_ARG, "cannot OCR an image of depth %d", depth);
        lr_error_hint(err, "Pass a 1, 8 or 32 bpp page.");
        return LR_ERR_ARG;
    }
    if (dpi <= 0)
        return lr_error_set(err, LR_ERR_ARG, "invalid resolution %d dpi", dpi);

    TessBaseAPI *api = ocr->text;
    int rc = recognize_with(ocr, api, pix, dpi, "the page", err);
    if (rc != LR_OK)
        goto done;
    out->text = take_text(TessBaseAPIGetUTF8Text(api));
    apply_forms(ocr, out->text);
    char *page = take_text(TessBaseAPIGetHOCRText(api, 0));
    apply_forms(ocr, page);
    if (page) {
        out->hocr = wrap_hocr(page);
        free(page);
    }
    if (!out->text || !out->hocr) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory copying OCR results");
        goto done;
    }
    rc = collect_words(ocr, api, 0, 0, 0, out, err);

done:
    /* Drops the image and results but keeps the models: ready for the next page. */
    TessBaseAPIClear(api);
    return rc;
}

int lr_ocr_line_confidence(lr_ocr *ocr, struct Pix *pix, int dpi, float *out_conf, int *out_words,
                           lr_error *err)
{
    if (out_conf)
        *out_conf = 0.0f;
    if (out_words)
        *out_words = 0;
    if (!ocr || !pix || !out_conf)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_line_confidence: NULL argument");
    if (!ocr->text)
        return no_page_models(err);
    int depth = pixGetDepth(pix);
    if (depth != 1 && depth != 8 && depth != 32)
        return lr_error_set(err, LR_ERR_ARG, "cannot OCR an image of depth %d", depth);
    if (dpi <= 0)
        return lr_error_set(err, LR_ERR_ARG, "invalid resolution %d dpi", dpi);

    TessBaseAPI *api = ocr->text;
    TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
    int rc = recognize_with(ocr, api, pix, dpi, "a line", err);
    if (rc != LR_OK)
        goto done;
    /* The words as collect_words counts them: empty positions skipped, confidences clamped. */
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    if (ri) {
        const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(ri);
        double sum = 0.0;
        int n = 0;
        do {
            int l, t, r, b;
            if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &r, &b))
                continue;
            char *tess = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
            if (!tess)
                continue;
            bool empty = !tess[0];
            TessDeleteText(tess);
            if (empty)
                continue;
            float conf = TessResultIteratorConfidence(ri, RIL_WORD);
            sum += conf < 0.0f ? 0.0f : conf > 100.0f ? 100.0f : conf;
            n++;
        } while (TessResultIteratorNext(ri, RIL_WORD));
        TessResultIteratorDelete(ri);
        *out_conf = n ? (float)(sum / n) : 0.0f;
        if (out_words)
            *out_words = n;
    }

done:
    TessBaseAPIClear(api);
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)ocr->psm);
    return rc;
}

void lr_ocr_result_clear(lr_ocr_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nwords; i++)
        free(r->words[i].text);
    free(r->words);
    free(r->text);
    free(r->hocr);
    memset(r, 0, sizeof *r);
}

int lr_ocr_recognize_region(lr_ocr *ocr, struct Pix *crop, int dpi, int psm, int dx, int dy,
                            int block, lr_ocr_result *out, lr_error *err)
{
    if (!ocr || !crop || !out)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_recognize_region: NULL argument");
    if (!ocr->text)
        return no_page_models(err);
    if (dpi <= 0 || psm < 3 || psm >= PSM_COUNT)
        return lr_error_set(err, LR_ERR_ARG, "invalid resolution %d or segmentation mode %d",
                            dpi, psm);
    int rc = LR_OK;
    TessBaseAPI *api = ocr->text;
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
    TessBaseAPISetImage2(api, crop);
    TessBaseAPISetSourceResolution(api, dpi);
    if (TessBaseAPIRecognize(api, NULL) != 0) {
        rc = lr_error_set(err, LR_ERR_OCR, "Tesseract failed to recognise a region");
        lr_error_detail(err, "%dx%d at (%d, %d), psm %d", pixGetWidth(crop),
                        pixGetHeight(crop), dx, dy, psm);
    } else {
        rc = collect_words(ocr, api, dx, dy, block, out, err);
    }
    TessBaseAPIClear(api);
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)ocr->psm);
    return rc;
}

/* Tesseract's defaults, and what an image without boxes needs: an outline never taken for a
 * box (its enclosed area can not exceed its bounding box), and a complexity limit that 國
 * (53: three children and fifty of their own) stays under. */
#define BOXAREA_DEFAULT "0.875"
#define BOXAREA_UNBOXED "1.1"
#define CHILDREN_LIMIT_DEFAULT "45"
#define CHILDREN_LIMIT_UNBOXED "100"

void ocr_tess_unboxed(TessBaseAPI *api, bool unboxed)
{
    if (!api)
        return;
    TessBaseAPISetVariable(api, "edges_boxarea", unboxed ? BOXAREA_UNBOXED : BOXAREA_DEFAULT);
    TessBaseAPISetVariable(api, "edges_children_count_limit",
                           unboxed ? CHILDREN_LIMIT_UNBOXED : CHILDREN_LIMIT_DEFAULT);
}

void lr_ocr_set_unboxed(lr_ocr *ocr, bool unboxed)
{
    if (ocr)
        ocr_tess_unboxed(ocr->text, unboxed);
}

/* ---- text and hOCR from words ---------------------------------------------------------- */

/* t with the characters HTML gives meaning to written as entities. */
static void put_escaped(lr_strbuf *b, const char *t)
{
    static const char special[] = "&<>\"'";
    static const char *const entity[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    for (; *t; t++) {
        const char *s = strchr(special, *t);
        if (s)
            lr_strbuf_puts(b, entity[s - special]);
        else
            lr_strbuf_putc(b, *t);
    }
}

/* The box around words [from, to). */
static void words_box(const lr_word *w, size_t from, size_t to, int box[4])
{
    box[0] = box[1] = 1 << 30;
    box[2] = box[3] = 0;
    for (size_t i = from; i < to; i++) {
        box[0] = w[i].x0 < box[0] ? w[i].x0 : box[0];
        box[1] = w[i].y0 < box[1] ? w[i].y0 : box[1];
        box[2] = w[i].x1 > box[2] ? w[i].x1 : box[2];
        box[3] = w[i].y1 > box[3] ? w[i].y1 : box[3];
    }
}

static size_t run_end(const lr_word *w, size_t n, size_t i, int level)
{
    size_t j = i + 1;
    while (j < n && w[j].block == w[i].block && (level < 1 || w[j].par == w[i].par) &&
           (level < 2 || w[j].line == w[i].line))
        j++;
    return j;
}

/* The opening tag of each level of hOCR (block, paragraph, line): its number and box. */
static const char *const level_open[] = {
    "   <div class='ocr_carea' id='block_1_%d' title=\"bbox %d %d %d %d\">\n",
    "    <p class='ocr_par' id='par_1_%d' title=\"bbox %d %d %d %d\">\n",
    "     <span class='ocr_line' id='line_1_%d' title=\"bbox %d %d %d %d\">",
};

/* Opens element number id of level around the words from i to the end of its run; returns
 * that end. */
static size_t open_level(lr_strbuf *hocr, const lr_word *w, size_t n, size_t i, int level, int id)
{
    size_t end = run_end(w, n, i, level);
    int box[4];
    words_box(w, i, end, box);
    lr_strbuf_printf(hocr, level_open[level], id, box[0], box[1], box[2], box[3]);
    return end;
}

int lr_ocr_result_compose(lr_ocr_result *r, int width, int height, lr_error *err)
{
    if (!r)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_result_compose: NULL argument");
    lr_strbuf text = LR_STRBUF_INIT, hocr = LR_STRBUF_INIT;
    const lr_word *w = r->words;
    size_t n = r->nwords;
    double conf = 0;
    lr_strbuf_printf(&hocr, hocr_head, lr_ocr_engine_version());
    lr_strbuf_printf(&hocr,
                     "  <div class='ocr_page' id='page_1' title='image \"\"; bbox 0 0 %d %d; "
                     "ppageno 0'>\n",
                     width, height);
    int nb = 0, np = 0, nl = 0, nw = 0;
    for (size_t b = 0; b < n;) {
        size_t be = open_level(&hocr, w, n, b, 0, ++nb);
        for (size_t p = b; p < be;) {
            size_t pe = open_level(&hocr, w, n, p, 1, ++np);
            for (size_t l = p; l < pe;) {
                size_t le = open_level(&hocr, w, n, l, 2, ++nl);
                for (size_t i = l; i < le; i++) {
                    lr_strbuf_printf(&hocr,
                                     "<span class='ocrx_word' id='word_1_%d' "
                                     "title='bbox %d %d %d %d; x_wconf %d'>",
                                     ++nw, w[i].x0, w[i].y0, w[i].x1, w[i].y1,
                                     (int)(w[i].conf + 0.5f));
                    put_escaped(&hocr, w[i].text ? w[i].text : "");
                    lr_strbuf_printf(&hocr, "</span>%s", i + 1 < le ? " " : "");
                    lr_strbuf_printf(&text, "%s%s", w[i].text ? w[i].text : "",
                                     i + 1 < le ? " " : "\n");
                    conf += w[i].conf;
                }
                lr_strbuf_puts(&hocr, "\n     </span>\n");
                l = le;
            }
            lr_strbuf_puts(&hocr, "    </p>\n");
            lr_strbuf_putc(&text, '\n');
            p = pe;
        }
        lr_strbuf_puts(&hocr, "   </div>\n");
        b = be;
    }
    lr_strbuf_printf(&hocr, "  </div>\n%s", hocr_tail);
    char *t = lr_strbuf_take(&text), *h = lr_strbuf_take(&hocr);
    if (!t || !h) {
        free(t);
        free(h);
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory composing the page's text");
    }
    free(r->text);
    free(r->hocr);
    r->text = t;
    r->hocr = h;
    r->mean_conf = n ? (float)(conf / (double)n) : 0.0f;
    return LR_OK;
}
