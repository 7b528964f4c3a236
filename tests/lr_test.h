/* lr_test.h — the few checks the unit tests share. Each test program returns 0 when every
 * check passed, 1 otherwise, 77 (meson's "skipped") only where a documented optional input is
 * absent, and 99 for a hard error in the test itself. */
#ifndef LR_TEST_H
#define LR_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lr_test_checks, lr_test_failed;

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        lr_test_checks++;                                                                      \
        if (!(cond)) {                                                                         \
            lr_test_failed++;                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                                      \
    } while (0)

#define CHECKF(cond, ...)                                                                      \
    do {                                                                                       \
        lr_test_checks++;                                                                      \
        if (!(cond)) {                                                                         \
            lr_test_failed++;                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
        }                                                                                      \
    } while (0)

/* Directory of the committed test data (set by tests/meson.build). */
static inline const char *lr_test_data_dir(void)
{
    const char *d = getenv("LR_TESTDATA");
    return d ? d : "testdata";
}

/* Writable scratch directory for this test (set by tests/meson.build). */
static inline const char *lr_test_tmp_dir(void)
{
    const char *d = getenv("LR_TEST_TMP");
    return d ? d : "/tmp";
}

/* Writes n bytes of data to path, or ends the test as the harness's failure (99). */
static inline void lr_test_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(99);
    }
}

/* Makes sheets with landrec-synth (the program synth) in the scratch directory name, emptied
 * first: `landrec-synth --out DIR -j 1 ARGS`. Its path goes to dir. 0 when the generator ran
 * and succeeded. */
static inline int lr_test_synth(const char *synth, const char *name, const char *args, char *dir,
                                size_t size)
{
    char cmd[8192];
    snprintf(dir, size, "%s/%s", lr_test_tmp_dir(), name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && '%s' --out '%s' -j 1 %s >/dev/null", dir, synth,
             dir, args);
    return system(cmd) == 0 ? 0 : -1;
}

static inline int lr_test_finish(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, lr_test_checks, lr_test_failed);
    return lr_test_failed ? 1 : 0;
}

#endif
