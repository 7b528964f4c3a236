/* norm_test.h — what the normalize tests share: the committed tables (data/ of the source
 * tree, whatever LR_DATA_DIR or an installed copy says) and short helpers. */
#ifndef NORM_TEST_H
#define NORM_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/normalize.h"
#include "lr_test.h"

static inline const char *nt_data_dir(void)
{
    static char dir[4096];
    const char *root = getenv("LR_SOURCE_ROOT");
    snprintf(dir, sizeof dir, "%s/data", root && *root ? root : ".");
    return dir;
}

/* The committed tables; exits 99 (a hard error in the test) when they do not load. */
static inline lr_norm_tables *nt_load(void)
{
    lr_norm_tables *t = NULL;
    lr_error err;
    if (lr_norm_tables_load(nt_data_dir(), &t, &err) != LR_OK) {
        fprintf(stderr, "cannot load the tables from %s: %s (%s)\n", nt_data_dir(), err.message,
                err.detail);
        exit(99);
    }
    return t;
}

/* text and its length, for the (text, len) arguments */
#define S(x) (x), strlen(x)

#endif
