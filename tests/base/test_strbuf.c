/* test_strbuf.c — lr_strbuf: what is appended is what comes out, across the growths of the
 * buffer, and a failed buffer gives nothing back. */
#include <stdint.h>

#include "landrec/strbuf.h"
#include "lr_test.h"

static void empty(void)
{
    lr_strbuf b = LR_STRBUF_INIT;
    char *s = lr_strbuf_take(&b);
    CHECK(s && s[0] == '\0');
    free(s);
    lr_strbuf_puts(&b, NULL);
    CHECK(b.len == 0 && !b.failed);
    lr_strbuf_free(&b);
}

/* The same text appended piece by piece in every way and written whole with snprintf: long
 * enough that the buffer grows several times, with printf pieces that straddle its end. */
static void pieces(void)
{
    lr_strbuf b = LR_STRBUF_INIT;
    static char want[1 << 20];
    size_t w = 0;
    char word[3000];
    for (int i = 0; i < 200; i++) {
        size_t n = (size_t)(i * 37 % 2999);
        memset(word, 'a' + i % 26, n);
        word[n] = '\0';
        switch (i % 4) {
        case 0:
            lr_strbuf_put(&b, word, n);
            break;
        case 1:
            lr_strbuf_puts(&b, word);
            break;
        case 2:
            lr_strbuf_printf(&b, "%d:%s;", i, word);
            break;
        default:
            for (size_t k = 0; k < n; k++)
                lr_strbuf_putc(&b, word[k]);
        }
        int k = i % 4 == 2 ? snprintf(want + w, sizeof want - w, "%d:%s;", i, word)
                           : snprintf(want + w, sizeof want - w, "%s", word);
        w += (size_t)k;
    }
    CHECK(!b.failed);
    CHECKF(b.len == w, "%zu bytes, want %zu", b.len, w);
    CHECK(b.data && strlen(b.data) == b.len && memcmp(b.data, want, w) == 0);
    char *s = lr_strbuf_take(&b);
    CHECK(s && strcmp(s, want) == 0);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
    free(s);
}

/* Bytes after a NUL are kept by put (COPY data holds none, but a buffer of bytes may). */
static void bytes(void)
{
    lr_strbuf b = LR_STRBUF_INIT;
    lr_strbuf_put(&b, "a\0b", 3);
    CHECK(b.len == 3 && memcmp(b.data, "a\0b", 4) == 0);
    lr_strbuf_free(&b);
}

static void failed(void)
{
    lr_strbuf b = LR_STRBUF_INIT;
    lr_strbuf_puts(&b, "kept");
    b.failed = true; /* as after an allocation that failed */
    lr_strbuf_puts(&b, "lost");
    lr_strbuf_printf(&b, "%s", "lost");
    CHECK(strcmp(b.data, "kept") == 0);
    CHECK(lr_strbuf_take(&b) == NULL);
    CHECK(!b.failed && b.data == NULL);
    /* A size that cannot be had fails the buffer without touching memory beyond it. */
    lr_strbuf_put(&b, "x", SIZE_MAX - 1);
    CHECK(b.failed);
    lr_strbuf_free(&b);
    CHECK(!b.failed);
}

int main(void)
{
    empty();
    pieces();
    bytes();
    failed();
    return lr_test_finish("base-strbuf");
}
