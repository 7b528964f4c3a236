/* unitmark.h — ㎡ written after an area, which the models cannot write (internal, not
 * installed). kor and chi_tra have no ㎡: they read 1668㎡ as 16680 or 240.7㎡ as 240.7mr. The
 * ink says what they cannot: an m on the line and a small ² raised at its right. */
#ifndef LANDREC_EXTRACT_UNITMARK_H
#define LANDREC_EXTRACT_UNITMARK_H

#include <stdbool.h>
#include <stddef.h>

struct Pix;

/* Whether the ink in the box (x, y, w, h) of a 1-bpp page ends with ㎡ drawn as m and a raised
 * ²: the number of characters written before the m (ink pieces side by side, a decimal point
 * one of them), or -1 when it does not. */
int lr_unitmark_m2_before(struct Pix *binary, int x, int y, int w, int h);

/* A reading of an area whose ink ends with ㎡ after `before` characters, with what the models
 * made of ㎡ replaced by ㎡ (UTF-8): a trailing m, mr, m2 or m², or one character read past
 * those `before` (16680 for 1668㎡), or nothing read for it. Into out (size bytes); false,
 * with out untouched, when the reading does not fit (other characters, another count). */
bool lr_unitmark_fix_m2(const char *raw, int before, char *out, size_t size);

#endif
