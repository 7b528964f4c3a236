/* fuzz_common.h — what the normalize fuzz targets share: the tables, loaded once from
 * $LR_DATA_DIR (or the default data directory), and invariant checks that stop the run. */
#ifndef LR_FUZZ_COMMON_H
#define LR_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which and crash, so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The tables, loaded on the first call and kept for the life of the process. */
static inline const lr_norm_tables *fuzz_tables(void)
{
    static lr_norm_tables *t;
    if (!t) {
        lr_error err;
        if (lr_norm_tables_load(NULL, &t, &err) != LR_OK) {
            fprintf(stderr, "fuzz: cannot load the data tables: %s\n", err.message);
            abort();
        }
    }
    return t;
}

/* NUL within size and valid UTF-8 before it. */
static inline int fuzz_valid_text(const char *s, size_t size)
{
    size_t n = strnlen(s, size);
    if (n == size)
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

static inline void fuzz_check_note(const lr_norm_note *note)
{
    FUZZ_CHECK(note->status == LR_NORM_OK || note->status == LR_NORM_FLAGGED ||
               note->status == LR_NORM_UNPARSEABLE);
    FUZZ_CHECK(fuzz_valid_text(note->reason, sizeof note->reason));
    FUZZ_CHECK(note->score >= 0.0f && note->score <= 1.0f);
    FUZZ_CHECK(note->distance >= 0);
    FUZZ_CHECK(note->status != LR_NORM_UNPARSEABLE || note->reason[0]);
}

static inline void fuzz_check_matches(const lr_norm_match *m, int n)
{
    FUZZ_CHECK(n >= 0 && n <= LR_NORM_ALT_MAX);
    for (int i = 0; i < n; i++) {
        FUZZ_CHECK(fuzz_valid_text(m[i].key, sizeof m[i].key));
        FUZZ_CHECK(fuzz_valid_text(m[i].label, sizeof m[i].label));
        FUZZ_CHECK(m[i].score >= 0.0f && m[i].score <= 1.0f);
        FUZZ_CHECK(m[i].distance >= 0);
    }
}

#endif
