/* utf8.h — the one UTF-8 decoder, and bytes that must become valid UTF-8 before they reach
 * the database, JSON, the log or the terminal: file names (any bytes but NUL on POSIX;
 * CP949/EUC-KR names from Korean systems are common) and messages that quote them.
 *
 * Owns: what "valid UTF-8" means (lr_utf8_next; every module that reads UTF-8 byte by byte
 * decodes through it), the display form of a path and scrubbed text, and the hex digits of
 * escapes (lr_utf8_hex_byte). Borrows: nothing.
 *
 * "Valid" is RFC 3629's definition, which is also PostgreSQL's (pg_utf8_islegal): shortest
 * form, no surrogates, nothing above U+10FFFF.
 *
 * Two transformations:
 *
 * - The *display form* of a path (lr_utf8_path_display) is valid UTF-8 and injective: two
 *   distinct paths never share a display form, and lr_utf8_path_raw gives the bytes back.
 *   Rule, applied byte by byte from the start:
 *     a backslash                                  → "\\"
 *     a control byte 0x01–0x1f or 0x7f             → "\xHH" (two lower-case hex digits)
 *     a whole, valid UTF-8 sequence of any other character → itself
 *     any other byte (it does not begin a valid sequence)  → "\xHH"
 *   So a UTF-8 path without backslashes or control characters is its own display form.
 *
 * - *Scrubbing* (lr_utf8_scrub) only replaces the bytes that are not valid UTF-8 by "\xHH";
 *   everything else, backslashes included, stays. For messages and log lines, which need to
 *   be valid but not reversible.
 */
#ifndef LANDREC_UTF8_H
#define LANDREC_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the character at s, of which len bytes may be read: its code point into *out_cp
 * (may be NULL) and its length in bytes, 1 to 4. Returns 0, and leaves *out_cp alone, when
 * len is 0 or s does not begin a valid sequence: the caller decides what a bad byte becomes
 * (U+FFFD, an escape) and steps over one byte. A NUL byte is U+0000, length 1. For a
 * NUL-terminated s, len may be SIZE_MAX: the bytes are read in order and the first that does
 * not continue the sequence ends it, so nothing past the NUL is read. */
size_t lr_utf8_next(const char *s, size_t len, uint32_t *out_cp);

/* The byte that the two hex digits (either case) at s stand for, 0 to 255: an escape's "\xHH",
 * a URI's "%HH". -1 when s does not begin with two hex digits (s[1] is read only when s[0] is
 * one). */
int lr_utf8_hex_byte(const char *s);

/* Whether the len bytes at s are valid UTF-8 (as PostgreSQL's UTF8 encoding accepts it; a
 * NUL byte is not). */
bool lr_utf8_valid(const char *s, size_t len);

/* Copies s into buf (size > 0) with each byte that is not part of a valid UTF-8 sequence
 * written as "\xHH"; stops before a character or escape that would not fit, so buf is always
 * valid UTF-8 and NUL-terminated. Returns the length written. s NULL: "". */
size_t lr_utf8_scrub(const char *s, char *buf, size_t size);

/* lr_utf8_scrub into a new string of the needed size. Caller frees with free(); NULL when out
 * of memory or s is NULL. */
char *lr_utf8_scrub_dup(const char *s);

/* The display form of path (see above). Caller frees with free(); NULL when out of memory or
 * path is NULL. */
char *lr_utf8_path_display(const char *path);

/* The display form of path written into buf (size > 0), cut before an escape or character
 * that would not fit: for log lines, which may shorten a very long path. Returns buf. */
const char *lr_utf8_path_show(const char *path, char *buf, size_t size);

/* The path a display form stands for: "\\" and "\xHH" (either case, HH not 00) are decoded;
 * a backslash followed by anything else is kept as it is (text that was never escaped).
 * lr_utf8_path_raw(lr_utf8_path_display(p)) is p for every p. Caller frees with free(); NULL
 * when out of memory or display is NULL. */
char *lr_utf8_path_raw(const char *display);

#endif
