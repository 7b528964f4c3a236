/* text.h — UTF-8 helpers the layout and extract modules share (internal, not installed). */
#ifndef LANDREC_EXTRACT_TEXT_H
#define LANDREC_EXTRACT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes up to max code points of s into cps (invalid bytes become U+FFFD); returns how many. */
size_t lr_text_decode(const char *s, uint32_t *cps, size_t max);
/* Appends code point c as UTF-8 to buf (size bytes, always terminated); false when full. */
bool lr_text_put(char *buf, size_t size, uint32_t c);
/* Code points of s without white space and the punctuation OCR sprinkles (.,:;'"|_()[]·),
 * into cps; returns how many. */
size_t lr_text_squeeze(const char *s, uint32_t *cps, size_t max);
/* Whether c is a Hanja (CJK unified ideographs, extension A, compatibility ideographs). */
bool lr_text_is_hanja(uint32_t c);
/* Whether c is a precomposed Hangul syllable. */
bool lr_text_is_hangul(uint32_t c);
/* How many Hanja and how many Hangul syllables s holds (its first 256 characters). */
void lr_text_scripts(const char *s, int *hanja, int *hangul);
/* Levenshtein distance between two code point strings (each at most 64 long; longer ones are
 * cut). */
int lr_text_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);
/* Whether needle (n code points) occurs in hay. */
bool lr_text_contains(const uint32_t *hay, size_t nh, const uint32_t *needle, size_t n);
/* Copy of s in Unicode NFC with runs of white space made one space and trimmed. Caller frees
 * with free(); NULL when out of memory. */
char *lr_text_nfc(const char *s);

#endif
