/* checks.h — checks across a sheet's fields (internal, not installed): what no one reading
 * can tell but two readings that must agree can. Pure: no OCR, no I/O. */
#ifndef LANDREC_EXTRACT_CHECKS_H
#define LANDREC_EXTRACT_CHECKS_H

#include "landrec/extract.h"

/* Flags f for review with reason, unless it is absent or flagged already (the first reason
 * found stays). */
void lr_field_flag(lr_field *f, const char *reason);

/* After the confidence threshold has flagged the fields it doubts: a movement resolution's
 * split areas against the area split (`area-sum`) and the land's and the owners' assessment
 * dates against each other (`assessment-date`) — flagging those that disagree, and giving a
 * field in doubt the value the ones that stand imply (docs/records.md, "Checks and review").
 * Returns LR_OK, or LR_ERR_NOMEM (the sheet is then as it was but for some flags). */
int lr_check_agreement(lr_sheet *s);

/* History rows run forward in time, in the land section and in the owners': a date earlier
 * than the dated row above it flags both (`date-order`), for no reading tells which of the
 * two is misread. */
void lr_check_date_order(lr_sheet *s);

/* A grade or area outside the form's range for it ("range" lines, docs/forms.md) is flagged
 * `range`: on the sheet and in every land-history row. form may be NULL (no ranges). */
void lr_check_ranges(lr_sheet *s, const lr_form *form);

#endif
