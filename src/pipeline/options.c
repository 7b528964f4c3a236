/* options.c — the pipeline options of a queued job, to JSON and back (pipeline.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/pipeline.h"

int lr_pipeline_options_to_json(const lr_pipeline_options *o, char **out_json, lr_error *err)
{
    *out_json = NULL;
    json_t *root =
        json_pack("{s:s*, s:i, s:b, s:s, s:s*, s:b, s:b, s:b, s:b, s:s, s:f, s:b, s:I}", "lang",
                  o->ocr.lang, "psm", o->ocr.psm, "whole_page", (int)o->whole_page, "doc_type",
                  lr_doc_type_name(o->doc_type), "forms", o->forms_dir, "records", (int)o->records,
                  "orientation", (int)o->detect_orientation, "deskew", (int)o->enhance.deskew,
                  "background", (int)o->enhance.normalize_background, "binarize",
                  o->enhance.binarize == LR_BINARIZE_OTSU ? "otsu" : "sauvola", "sauvola_k",
                  (double)o->enhance.sauvola_k, "remove_lines", (int)o->enhance.remove_lines,
                  "max_pixels", (json_int_t)o->limits.max_pixels);
    if (root)
        *out_json = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(root);
    if (!*out_json)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory describing the options");
    return LR_OK;
}

int lr_pipeline_options_from_json(const char *json, lr_pipeline_options *o, char **out_storage,
                                  lr_error *err)
{
    lr_pipeline_options_default(o);
    *out_storage = NULL;
    json_error_t jerr;
    json_t *root = json_loads(json ? json : "", 0, &jerr);
    const char *lang = NULL, *forms = NULL, *doc_type = "auto", *binarize = "sauvola";
    int whole = 0, records = 1, orient = 1, deskew = 1, background = 1, lines = 0;
    int psm = o->ocr.psm;
    double k = o->enhance.sauvola_k;
    json_int_t max_pixels = o->limits.max_pixels;
    if (!root ||
        json_unpack_ex(root, &jerr, 0,
                       "{s?s, s?i, s?b, s?s, s?s, s?b, s?b, s?b, s?b, s?s, s?F, s?b, s?I}", "lang",
                       &lang, "psm", &psm, "whole_page", &whole, "doc_type", &doc_type, "forms",
                       &forms, "records", &records, "orientation", &orient, "deskew", &deskew,
                       "background", &background, "binarize", &binarize, "sauvola_k", &k,
                       "remove_lines", &lines, "max_pixels", &max_pixels) != 0) {
        json_decref(root);
        int rc = lr_error_set(err, LR_ERR_ARG, "the job's pipeline options do not read");
        lr_error_detail(err, "%s", jerr.text);
        return rc;
    }
    int rc = LR_OK;
    size_t nl = lang ? strlen(lang) + 1 : 0, nf = forms ? strlen(forms) + 1 : 0;
    char *storage = malloc(nl + nf + 1);
    if (!storage) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (lang)
        o->ocr.lang = memcpy(storage, lang, nl);
    if (forms)
        o->forms_dir = memcpy(storage + nl, forms, nf);
    o->ocr.psm = psm;
    o->whole_page = whole;
    o->records = records;
    o->detect_orientation = orient;
    o->enhance.deskew = deskew;
    o->enhance.normalize_background = background;
    o->enhance.remove_lines = lines;
    o->enhance.sauvola_k = (float)k;
    o->enhance.binarize = strcmp(binarize, "otsu") == 0 ? LR_BINARIZE_OTSU : LR_BINARIZE_SAUVOLA;
    o->limits.max_pixels = (int64_t)max_pixels;
    if (lr_doc_type_parse(doc_type, &o->doc_type) < 0)
        rc = lr_error_set(err, LR_ERR_ARG, "unknown document type \"%s\" in the job's options",
                          doc_type);
done:
    json_decref(root);
    if (rc < 0) {
        free(storage);
        o->ocr.lang = NULL;
        o->forms_dir = NULL;
    } else {
        *out_storage = storage;
    }
    return rc;
}
