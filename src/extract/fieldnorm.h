/* fieldnorm.h — one small function per field type between extraction and the normalisers.
 *
 * The normalisers proper (include/landrec/normalize.h, src/normalize/) are being written
 * alongside; until that header lands these functions carry a minimal stand-in (Arabic and
 * Hanja numerals, the common eras, units, categories and events), and when it lands each
 * body becomes a call to the matching lr_normalize_* function. Callers see only this header.
 */
#ifndef LANDREC_EXTRACT_FIELDNORM_H
#define LANDREC_EXTRACT_FIELDNORM_H

#include "landrec/extract.h"

typedef struct lr_fieldnorm {
    char value[128];  /* "" when the text could not be normalised */
    float score;      /* 0–100: how well the text fits (1 = a clean parse or exact term) */
    lr_alternative alt[LR_EXTRACT_MAX_ALT];
    int nalt;
    int year;         /* dates: the Gregorian year; 0 otherwise */
    bool out_of_range; /* dates: an era year past the era's end */
} lr_fieldnorm;

void lr_fieldnorm_lot(const char *raw, lr_fieldnorm *out);
void lr_fieldnorm_area(const char *raw, lr_doc_type doc, int year, lr_fieldnorm *out);
void lr_fieldnorm_date(const char *raw, lr_fieldnorm *out);
void lr_fieldnorm_category(const char *raw, lr_fieldnorm *out);
void lr_fieldnorm_event(const char *raw, lr_fieldnorm *out);
void lr_fieldnorm_grade(const char *raw, lr_fieldnorm *out);
void lr_fieldnorm_text(const char *raw, lr_fieldnorm *out); /* names, addresses, location: NFC */

/* First year a modern category code (01–28) could be written on a ledger (validity check). */
int lr_fieldnorm_category_since(const char *code);

#endif
