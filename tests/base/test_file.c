/* test_file.c — lr_file_read_all: every byte of a file, NUL inside and end of a file larger
 * than the first buffer included; a missing file told from one that cannot be read. */
#include <errno.h>

#include "landrec/file.h"
#include "lr_test.h"

/* Writes n bytes of text to a scratch file named name; returns its path (static). */
static const char *write_file(const char *name, const char *text, size_t n)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/base-file-%s", lr_test_tmp_dir(), name);
    lr_test_write_file(path, text, n);
    return path;
}

static void whole_file(void)
{
    char *text = NULL;
    size_t len = 0;
    bool opened = false;
    const char *p = write_file("small", "ab\0cd", 5);
    CHECK(lr_file_read_all(p, &text, &len, &opened) == LR_OK && opened);
    CHECK(text && len == 5 && memcmp(text, "ab\0cd", 6) == 0);
    free(text);

    /* Larger than the first buffer: the reading goes on to the end. */
    size_t big = 300000;
    char *data = malloc(big);
    CHECK(data != NULL);
    if (!data)
        return;
    for (size_t i = 0; i < big; i++)
        data[i] = (char)('a' + i % 26);
    p = write_file("big", data, big);
    CHECK(lr_file_read_all(p, &text, NULL, NULL) == LR_OK);
    CHECK(text && strlen(text) == big && memcmp(text, data, big) == 0);
    free(text);
    free(data);

    p = write_file("empty", "", 0);
    CHECK(lr_file_read_all(p, &text, &len, NULL) == LR_OK && len == 0 && text && !*text);
    free(text);
}

static void failures(void)
{
    char *text = (char *)"untouched";
    bool opened = true;
    char path[1024];
    snprintf(path, sizeof path, "%s/base-file-none", lr_test_tmp_dir());
    remove(path);
    CHECK(lr_file_read_all(path, &text, NULL, &opened) == LR_ERR_IO && !opened && !text &&
          errno == ENOENT);
    /* A directory opens but cannot be read. */
    CHECK(lr_file_read_all(lr_test_tmp_dir(), &text, NULL, &opened) == LR_ERR_IO && opened &&
          !text);
}

int main(void)
{
    whole_file();
    failures();
    return lr_test_finish("base-file");
}
