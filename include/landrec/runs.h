/* runs.h — runs of ink along one axis of a 1 bpp image.
 *
 * Owns: nothing. Borrows: Leptonica's PIX.
 *
 * An opening by a 1×len or len×1 brick keeps exactly the runs of ON pixels at least len long
 * along the brick's axis. Leptonica computes it from len shifted copies of the image, which on
 * a ruled page's cells costs more than reading them; counting the runs costs one pass.
 */
#ifndef LANDREC_RUNS_H
#define LANDREC_RUNS_H

#include <stdbool.h>

struct Pix;

/* A new 1 bpp image of pix's size holding pix's runs of ON pixels at least len long, down the
 * columns when down, else along the rows: pixOpenBrick(NULL, pix, 1, len) (down) or
 * pixOpenBrick(NULL, pix, len, 1), pixel for pixel. NULL when pix is not 1 bpp, len < 1 or
 * memory runs out. */
struct Pix *lr_pix_long_runs(struct Pix *pix, int len, bool down);

#endif
