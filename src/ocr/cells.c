/* cells.c — cells read alone (include/landrec/ocr.h, lr_ocr_read_cell): a handle per language
 * string, loaded on first use, and the parameters a cell's read sets on it. */
#include <leptonica/allheaders.h>
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

/* The handle for lang, loaded when it is the first cell of that language string. */
static TessBaseAPI *cell_api(lr_ocr *ocr, const char *lang, lr_error *err)
{
    for (int i = 0; i < ocr->ncells; i++)
        if (strcmp(ocr->cells[i].lang, lang) == 0)
            return ocr->cells[i].api;
    if (ocr->ncells == OCR_CELL_LANGS_MAX) {
        lr_error_set(err, LR_ERR_ARG, "too many OCR languages for fields (at most %d)",
                     OCR_CELL_LANGS_MAX);
        return NULL;
    }
    TessBaseAPI *api = NULL;
    /* The engine the model's own configuration chooses (the page models are LSTM only). */
    if (ocr_init_api(ocr->datapath, lang, OEM_DEFAULT, &api, err) != LR_OK)
        return NULL;
    snprintf(ocr->cells[ocr->ncells].lang, sizeof ocr->cells[0].lang, "%s", lang);
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
    if (cell_api(ocr, cell_lang(ocr, lang), err))
        return LR_OK;
    return err && err->code ? err->code : LR_ERR_OCR;
}

int lr_ocr_read_cell(lr_ocr *ocr, struct Pix *pix, int dpi, const lr_ocr_cell_opts *opts,
                     char **out_text, float *out_conf, lr_error *err)
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
    TessBaseAPI *api = cell_api(ocr, cell_lang(ocr, opts->lang), err);
    if (!api)
        return err && err->code ? err->code : LR_ERR_OCR;
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
done:
    TessBaseAPIClear(api);
    return rc;
}
