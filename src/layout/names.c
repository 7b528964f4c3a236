/* names.c — the names of document types, fields and sections, and their parsing (layout.h). */
#include "landrec/layout.h"

#include <string.h>

static const char *const doc_names[] = {
    "unknown",       "land_ledger", "forest_ledger", "movement_resolution",
    "cadastral_map", "forest_map",  "survey_map"};

const char *lr_doc_type_name(lr_doc_type t)
{
    if (t == LR_DOC_AUTO)
        return "auto";
    if (t < 0 || (size_t)t >= sizeof doc_names / sizeof *doc_names)
        return "unknown";
    return doc_names[t];
}

int lr_doc_type_parse(const char *name, lr_doc_type *out_type)
{
    *out_type = LR_DOC_UNKNOWN;
    if (!name)
        return LR_ERR_ARG;
    if (strcmp(name, "auto") == 0) {
        *out_type = LR_DOC_AUTO;
        return LR_OK;
    }
    for (size_t i = 0; i < sizeof doc_names / sizeof *doc_names; i++)
        if (strcmp(name, doc_names[i]) == 0) {
            *out_type = (lr_doc_type)i;
            return LR_OK;
        }
    return LR_ERR_ARG;
}

bool lr_doc_type_is_ledger(lr_doc_type t)
{
    return t == LR_DOC_LAND_LEDGER || t == LR_DOC_FOREST_LEDGER;
}

bool lr_doc_type_has_records(lr_doc_type t)
{
    return lr_doc_type_is_ledger(t) || t == LR_DOC_MOVEMENT_RESOLUTION;
}

static const char *const field_names[] = {"",      "location", "lot",   "category", "area",
                                          "grade", "date",     "event", "address",  "name"};

const char *lr_field_kind_name(lr_field_kind k)
{
    return (k >= 0 && k < LR_FIELD_COUNT) ? field_names[k] : "";
}

int lr_field_kind_parse(const char *name, lr_field_kind *out_kind)
{
    *out_kind = LR_FIELD_NONE;
    for (int i = 1; name && i < LR_FIELD_COUNT; i++)
        if (strcmp(name, field_names[i]) == 0) {
            *out_kind = (lr_field_kind)i;
            return LR_OK;
        }
    return LR_ERR_ARG;
}

const char *lr_section_name(lr_section s)
{
    return s == LR_SECTION_LAND ? "land" : s == LR_SECTION_OWNER ? "owner" : "sheet";
}
