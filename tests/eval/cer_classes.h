/* cer_classes.h — the per-class check shared by the CER tests: each class's reference length
 * and edits as counted by hand, and the classes adding up to the totals. */
#ifndef LANDREC_TEST_CER_CLASSES_H
#define LANDREC_TEST_CER_CLASSES_H

#include "landrec/metrics.h"
#include "lr_test.h"

static inline void check_cer_classes(const lr_cer *c, const size_t *cref, const size_t *cedit,
                                     const char *what)
{
    size_t sum_ref = 0, sum_edit = 0;
    for (int k = 0; k < LR_CHAR_NCLASSES; k++) {
        CHECKF(c->class_ref_len[k] == cref[k] && c->class_edits[k] == cedit[k],
               "%s: class %d: %zu edits over %zu, want %zu over %zu", what, k, c->class_edits[k],
               c->class_ref_len[k], cedit[k], cref[k]);
        sum_ref += c->class_ref_len[k];
        sum_edit += c->class_edits[k];
    }
    CHECKF(sum_ref == c->ref_len && sum_edit == c->edits, "%s: classes do not add up", what);
}

#endif
