/* runs.h — Leptonica's openings and closings by a line (a 1×len or len×1 brick) of a 1 bpp
 * image, computed from the runs of ink along the line's axis.
 *
 * Owns: nothing. Borrows: Leptonica's PIX.
 *
 * Leptonica computes them from len shifted copies of the image (a composite brick from about
 * 2√len), which on a ruled page costs more than the rest of the page's analysis; the runs give
 * the same pixels in one pass. Each function equals its Leptonica namesake pixel for pixel,
 * edges included (tests/image/test_runs.c), so that a caller can swap one for the other without
 * a change in what it finds. Each returns a new image of pix's size, or NULL when pix is not
 * 1 bpp, len < 1 or memory runs out; down means a vertical line (the brick 1 wide, len tall).
 */
#ifndef LANDREC_RUNS_H
#define LANDREC_RUNS_H

#include <stdbool.h>

struct Pix;

/* pixOpenBrick: the runs of ink at least len long along the axis. */
struct Pix *lr_pix_open_line(struct Pix *pix, int len, bool down);

/* pixOpenCompBrick: the same with the length Leptonica's composite brick for len has (the
 * product of the two factors selectComposableSizes gives, len or close to it). */
struct Pix *lr_pix_open_line_comp(struct Pix *pix, int len, bool down);

/* pixCloseSafeBrick: every gap shorter than len between two runs of ink along the axis
 * filled. */
struct Pix *lr_pix_close_line_safe(struct Pix *pix, int len, bool down);

/* pixCloseBrick: the same, and the bands at both ends of the axis where the line cannot lie
 * whole inside the image (len / 2 before, len - 1 - len / 2 after) cleared. */
struct Pix *lr_pix_close_line(struct Pix *pix, int len, bool down);

#endif
