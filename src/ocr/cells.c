/* cells.c — cells read alone (include/landrec/ocr.h, lr_ocr_read_cell): a handle per language
 * string, loaded on first use, and the parameters a cell's read sets on it. */
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "landrec/ocr.h"
#include "landrec/text.h"

_Static_assert(LR_OCR_PSM_VERTICAL_BLOCK == PSM_SINGLE_BLOCK_VERT_TEXT, "psm 5");
_Static_assert(LR_OCR_PSM_BLOCK == PSM_SINGLE_BLOCK, "psm 6");
_Static_assert(LR_OCR_PSM_LINE == PSM_SINGLE_LINE, "psm 7");
_Static_assert(LR_OCR_PSM_CHAR == PSM_SINGLE_CHAR, "psm 10");

/* The handle for lang (made for lattice reads when choices), loaded when it is the first
 * cell of that language string and kind. A plain read takes the lattice handle of its
 * language when there is one: the choices are kept beside the reading and change nothing of
 * it, and a handle of kor+chi_tra costs a worker a few tenths of a second to load. */
static TessBaseAPI *cell_api(lr_ocr *ocr, const char *lang, bool choices, lr_error *err)
{
    for (int i = 0; i < ocr->ncells; i++)
        if (strcmp(ocr->cells[i].lang, lang) == 0 && ocr->cells[i].choices == choices)
            return ocr->cells[i].api;
    for (int i = 0; i < ocr->ncells && !choices; i++)
        if (strcmp(ocr->cells[i].lang, lang) == 0)
            return ocr->cells[i].api;
    if (ocr->ncells == OCR_CELL_LANGS_MAX) {
        lr_error_set(err, LR_ERR_ARG, "too many OCR languages for fields (at most %d)",
                     OCR_CELL_LANGS_MAX);
        return NULL;
    }
    TessBaseAPI *api = NULL;
    /* The engine the model's own configuration chooses (the page models are LSTM only). */
    if (ocr_init_api(ocr->datapath, lang, OEM_DEFAULT, choices, &api, err) != LR_OK)
        return NULL;
    snprintf(ocr->cells[ocr->ncells].lang, sizeof ocr->cells[0].lang, "%s", lang);
    ocr->cells[ocr->ncells].choices = choices;
    ocr->cells[ocr->ncells++].api = api;
    return api;
}

void ocr_cells_destroy(lr_ocr *ocr)
{
    for (int i = 0; i < ocr->ncells; i++)
        TessBaseAPIDelete(ocr->cells[i].api);
    ocr->ncells = 0;
}

static const char *cell_lang(const lr_ocr *ocr, const char *lang)
{
    return lang && lang[0] ? lang : ocr->lang;
}

int lr_ocr_load_cell_models(lr_ocr *ocr, const char *lang, lr_error *err)
{
    if (!ocr)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_load_cell_models: NULL argument");
    if (cell_api(ocr, cell_lang(ocr, lang), false, err))
        return LR_OK;
    return err && err->code ? err->code : LR_ERR_OCR;
}

/* Rating → lattice cost: Tesseract's ratings are sums of −log p over a glyph's steps
 * (0.5–2 for a clean glyph, 10–120 for its alternatives); a tenth of them puts an alternative
 * at 1–12, the decoder's scale (decode.h). */
#define RATING_TO_COST 0.1f

/* The lattice of what api just recognised: per glyph, the recognised glyph and the choice
 * iterator's alternatives, costed relative to the position's cheapest (the first glyph of a
 * word carries its leading blank steps in every rating). The recognised glyph is not always
 * among the alternatives: it is added at the cheapest cost. */
static int collect_lattice(TessBaseAPI *api, lr_lattice *out, lr_error *err)
{
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    if (!it)
        return LR_OK;
    int rc = LR_OK;
    do {
        char *sym = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
        if (!sym)
            continue;
        char *nfc = lr_text_nfc(sym);
        TessDeleteText(sym);
        uint32_t cp = 0;
        if (nfc)
            lr_text_decode(nfc, &cp, 1);
        free(nfc);
        if (cp == 0 || cp == ' ')
            continue;
        lr_lattice_column *col = lr_lattice_add_column(out);
        if (!col) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            break;
        }
        float rating[LR_LATTICE_CHOICES];
        uint32_t cps[LR_LATTICE_CHOICES];
        int n = 0;
        float lo = INFINITY;
        TessChoiceIterator *ci = TessResultIteratorGetChoiceIterator(it);
        if (ci) {
            do {
                const char *t = TessChoiceIteratorGetUTF8Text(ci);
                uint32_t c = 0;
                if (!t || lr_text_decode(t, &c, 1) == 0 || c == 0 || n == LR_LATTICE_CHOICES)
                    continue;
                cps[n] = c;
                rating[n] = (100.0f - TessChoiceIteratorConfidence(ci)) / OCR_CHOICE_RATING_COEF;
                if (rating[n] < lo)
                    lo = rating[n];
                n++;
            } while (TessChoiceIteratorNext(ci));
            TessChoiceIteratorDelete(ci);
        }
        if (n == 0)
            lo = 0;
        lr_lattice_add_choice(col, cp, 0);
        for (int k = 0; k < n; k++)
            lr_lattice_add_choice(col, cps[k], (rating[k] - lo) * RATING_TO_COST);
    } while (TessResultIteratorNext(it, RIL_SYMBOL));
    TessResultIteratorDelete(it);
    return rc;
}

/* A cell read with api as opts say; its lattice into lattice when not NULL. */
static int read_with(TessBaseAPI *api, struct Pix *pix, int dpi, const lr_ocr_cell_opts *opts,
                     char **out_text, float *out_conf, lr_lattice *lattice, lr_error *err)
{
    /* Every parameter a read sets is set before each read: the handle serves every field
     * of its language, each with its own segmentation and whitelist. */
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)opts->psm);
    TessBaseAPISetVariable(api, "tessedit_char_whitelist", opts->whitelist ? opts->whitelist : "");
    TessBaseAPISetImage2(api, pix);
    TessBaseAPISetSourceResolution(api, dpi);
    ocr_tess_unboxed(api, true); /* a cell's inside: no box round its writing */
    int failed = TessBaseAPIRecognize(api, NULL) != 0;
    ocr_tess_unboxed(api, false);
    int rc = LR_OK;
    if (failed) {
        rc = lr_error_set(err, LR_ERR_OCR, "Tesseract could not read a cell");
        goto done;
    }
    char *t = TessBaseAPIGetUTF8Text(api);
    if (t) {
        *out_text = lr_text_nfc(t);
        TessDeleteText(t);
    }
    int conf = TessBaseAPIMeanTextConf(api);
    *out_conf = conf < 0 ? 0 : (float)conf;
    if (!*out_text)
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    if (rc == LR_OK && lattice)
        rc = collect_lattice(api, lattice, err);
done:
    TessBaseAPIClear(api);
    return rc;
}

static int read_cell_checked(lr_ocr *ocr, struct Pix *pix, int dpi, const lr_ocr_cell_opts *opts,
                             char **out_text, float *out_conf, lr_lattice *lattice, lr_error *err)
{
    if (out_text)
        *out_text = NULL;
    if (out_conf)
        *out_conf = 0;
    if (!ocr || !pix || !opts || !out_text || !out_conf)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_read_cell: NULL argument");
    if (dpi <= 0 || opts->psm < 0 || opts->psm >= PSM_COUNT)
        return lr_error_set(err, LR_ERR_ARG, "invalid resolution %d or segmentation mode %d", dpi,
                            opts->psm);
    TessBaseAPI *api = cell_api(ocr, cell_lang(ocr, opts->lang), lattice != NULL, err);
    if (!api)
        return err && err->code ? err->code : LR_ERR_OCR;
    return read_with(api, pix, dpi, opts, out_text, out_conf, lattice, err);
}

int lr_ocr_load_lattice_models(lr_ocr *ocr, const char *lang, lr_error *err)
{
    if (!ocr)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_load_lattice_models: NULL argument");
    if (cell_api(ocr, cell_lang(ocr, lang), true, err))
        return LR_OK;
    return err && err->code ? err->code : LR_ERR_OCR;
}

int lr_ocr_read_cell(lr_ocr *ocr, struct Pix *pix, int dpi, const lr_ocr_cell_opts *opts,
                     char **out_text, float *out_conf, lr_error *err)
{
    return read_cell_checked(ocr, pix, dpi, opts, out_text, out_conf, NULL, err);
}

int lr_ocr_read_cell_lattice(lr_ocr *ocr, struct Pix *pix, int dpi, const lr_ocr_cell_opts *opts,
                             char **out_text, float *out_conf, lr_lattice *out_lattice,
                             lr_error *err)
{
    if (out_lattice)
        memset(out_lattice, 0, sizeof *out_lattice);
    if (!out_lattice)
        return lr_error_set(err, LR_ERR_ARG, "lr_ocr_read_cell_lattice: NULL argument");
    int rc = read_cell_checked(ocr, pix, dpi, opts, out_text, out_conf, out_lattice, err);
    if (rc != LR_OK)
        lr_lattice_clear(out_lattice);
    return rc;
}
