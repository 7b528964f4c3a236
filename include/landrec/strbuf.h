/* strbuf.h — a growing string: COPY data, hOCR, reports built piece by piece.
 *
 * Owns: the buffer's memory until it is taken or freed. Borrows: nothing.
 *
 * An allocation that fails marks the buffer failed and every later append is ignored, so a
 * caller appends without checking and looks at `failed` once at the end.
 */
#ifndef LANDREC_STRBUF_H
#define LANDREC_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct lr_strbuf {
    char *data; /* NUL-terminated once anything was appended; NULL before */
    size_t len, cap;
    bool failed; /* an allocation failed; later appends are ignored */
} lr_strbuf;

/* An empty buffer, for an automatic variable; a zeroed lr_strbuf is one too. */
#define LR_STRBUF_INIT ((lr_strbuf){NULL, 0, 0, false})

/* Appends the n bytes at s. */
void lr_strbuf_put(lr_strbuf *b, const char *s, size_t n);

/* Appends the string s (NULL: nothing). */
void lr_strbuf_puts(lr_strbuf *b, const char *s);

/* Appends one byte. */
void lr_strbuf_putc(lr_strbuf *b, char c);

/* Appends the formatted text, whatever its length. */
void lr_strbuf_printf(lr_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lr_strbuf_vprintf(lr_strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* The text, which the caller now frees with free(): "" when nothing was appended; NULL when
 * the buffer failed (its memory is freed then) or that "" could not be allocated. The buffer
 * is left empty. */
char *lr_strbuf_take(lr_strbuf *b);

/* Frees the text and leaves the buffer empty (and no longer failed). */
void lr_strbuf_free(lr_strbuf *b);

#endif
