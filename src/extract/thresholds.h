/* thresholds.h — the review threshold of each field kind (data/thresholds.tsv), calibrated on
 * generated sheets (internal, not installed; docs/evaluation.md, "Calibration"). */
#ifndef LANDREC_EXTRACT_THRESHOLDS_H
#define LANDREC_EXTRACT_THRESHOLDS_H

#include "landrec/error.h"
#include "landrec/layout.h"

typedef struct lr_thresholds {
    float of[LR_FIELD_COUNT]; /* 0–100; < 0: the kind is not listed (the run's threshold) */
    char digest[17];          /* of the file read, for the settings ("" when none) */
} lr_thresholds;

/* Reads dir/thresholds.tsv (columns field, threshold; dir NULL or "": the default data
 * directory) into *out. A missing file lists no kind (every field at the run's threshold);
 * an unknown field or a threshold outside 0–100 is LR_ERR_FORMAT naming the file and line. */
int lr_thresholds_load(const char *dir, lr_thresholds *out, lr_error *err);

#endif
