/* ink.h — the pieces of ink in a box of a 1-bpp page (internal, not installed): what the
 * extractor looks at where the OCR's text cannot tell (㎡ after an area, a character left
 * unread). */
#ifndef LANDREC_EXTRACT_INK_H
#define LANDREC_EXTRACT_INK_H

struct Pix;

typedef struct lr_ink_piece {
    int x0, y0, x1, y1; /* in the box's pixels; x1, y1 exclusive */
} lr_ink_piece;

/* The 8-connected pieces of ink in pix (1 bpp, a cell's inside cropped), left out those cut
 * by its edge (what is left of ruling lines): up to max of them into out, in no order.
 * Returns how many there are (more than max: only max were written), -1 when out of memory. */
int lr_ink_pieces(struct Pix *pix, lr_ink_piece *out, int max);

#endif
