/* text.h — text as code points: decoding, squeezing for comparison, the edit distance,
 * scripts, NFC.
 *
 * Owns: the one edit distance (lr_text_edit_distance). Borrows: the UTF-8 decoder (utf8.h),
 * the marks squeezing drops (marks.h), Unicode normalisation (utf8proc).
 */
#ifndef LANDREC_TEXT_H
#define LANDREC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/error.h"

/* Decodes up to max code points of s into cps (invalid bytes become U+FFFD); returns how many. */
size_t lr_text_decode(const char *s, uint32_t *cps, size_t max);
/* Appends code point c as UTF-8 to buf (size bytes, always terminated); false when full. */
bool lr_text_put(char *buf, size_t size, uint32_t c);
/* Code points of s without white space and the punctuation OCR sprinkles (marks.h,
 * LR_MARKS_SQUEEZE), into cps; returns how many. */
size_t lr_text_squeeze(const char *s, uint32_t *cps, size_t max);
/* Whether c is a Hanja (CJK unified ideographs, extension A, compatibility ideographs). */
bool lr_text_is_hanja(uint32_t c);
/* Whether c is a precomposed Hangul syllable. */
bool lr_text_is_hangul(uint32_t c);
/* How many Hanja and how many Hangul syllables s holds (its first 256 characters). */
void lr_text_scripts(const char *s, int *hanja, int *hangul);

/* How long a string lr_text_distance compares, and lr_text_edit_distance without memory. */
#define LR_TEXT_DISTANCE_MAX 64

/* The step taken into each cell of an edit distance's table, for tracing an alignment back. */
enum { LR_TEXT_STEP_DIAG = 0, LR_TEXT_STEP_DEL = 1, LR_TEXT_STEP_INS = 2 };

/* The Levenshtein distance between code point strings a and b (any lengths) into
 * *out_distance. With steps (room for (na + 1) * (nb + 1)), also the step of each cell
 * (steps[i * (nb + 1) + j]: a[0..i) against b[0..j)) on a cheapest path, ties going to the
 * diagonal, then to deleting from a; the first row inserts, the first column deletes.
 * Returns LR_OK, or LR_ERR_NOMEM (only when b is longer than LR_TEXT_DISTANCE_MAX). */
int lr_text_edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                          uint8_t *steps, size_t *out_distance);

/* lr_text_edit_distance of a and b each cut to LR_TEXT_DISTANCE_MAX code points: for labels
 * and titles, which are short; never fails. */
int lr_text_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* Whether needle (n code points) occurs in hay. */
bool lr_text_contains(const uint32_t *hay, size_t nh, const uint32_t *needle, size_t n);
/* Copy of s in Unicode NFC with runs of white space made one space and trimmed. Caller frees
 * with free(); NULL when out of memory. */
char *lr_text_nfc(const char *s);

#endif
