/* test_thresholds.c — the review threshold of each field kind (src/extract/thresholds.c): a
 * table read, a missing one (every kind at the run's threshold), bad rows refused naming the
 * file and line; and the shipped data/thresholds.tsv reads. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/extract/thresholds.h"
#include "../lr_test.h"

static void write_table(const char *dir, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/thresholds.tsv", dir);
    lr_test_write_file(path, text, strlen(text));
}

int main(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/lr-thresholds-%d", lr_test_tmp_dir(), (int)getpid());
    mkdir(dir, 0700);
    lr_thresholds t;
    lr_error err;

    CHECK(lr_thresholds_load(dir, &t, &err) == LR_OK);
    CHECKF(t.of[LR_FIELD_LOT] < 0 && t.digest[0] == '\0', "no table: no kind listed");

    write_table(dir, "# comment\nfield\tthreshold\nlot\t89\ndate\t81.5\n");
    CHECK(lr_thresholds_load(dir, &t, &err) == LR_OK);
    CHECKF(t.of[LR_FIELD_LOT] == 89 && t.of[LR_FIELD_DATE] == 81.5f && t.of[LR_FIELD_NAME] < 0,
           "lot %g, date %g, name %g", (double)t.of[LR_FIELD_LOT], (double)t.of[LR_FIELD_DATE],
           (double)t.of[LR_FIELD_NAME]);
    CHECKF(strlen(t.digest) == 16, "digest \"%s\"", t.digest);

    write_table(dir, "field\tthreshold\nlot\t89\nowner\t50\n");
    CHECKF(lr_thresholds_load(dir, &t, &err) == LR_ERR_FORMAT &&
               strstr(err.message, "thresholds.tsv:3") && strstr(err.message, "owner"),
           "an unknown field: %s", err.message);
    CHECKF(t.of[LR_FIELD_LOT] < 0, "a bad table lists nothing");
    write_table(dir, "field\tthreshold\nlot\t150\n");
    CHECKF(lr_thresholds_load(dir, &t, &err) == LR_ERR_FORMAT, "150 refused: %s", err.message);
    write_table(dir, "field\tthreshold\nlot\t\n");
    CHECKF(lr_thresholds_load(dir, &t, &err) == LR_ERR_FORMAT, "empty refused: %s", err.message);
    write_table(dir, "field\nlot\n");
    CHECKF(lr_thresholds_load(dir, &t, &err) == LR_ERR_FORMAT, "no threshold column: %s",
           err.message);

    CHECKF(lr_thresholds_load(NULL, &t, &err) == LR_OK, "the shipped table reads: %s",
           err.message);

    char path[4200];
    snprintf(path, sizeof path, "%s/thresholds.tsv", dir);
    unlink(path);
    rmdir(dir);
    return lr_test_finish("test_thresholds");
}
