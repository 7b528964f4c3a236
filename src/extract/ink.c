/* ink.c — the pieces of ink in a box (ink.h). */
#include "ink.h"

#include <leptonica/allheaders.h>

int lr_ink_pieces(PIX *pix, lr_ink_piece *out, int max)
{
    BOXA *boxa = pix ? pixConnCompBB(pix, 8) : NULL;
    if (!boxa)
        return -1;
    int w = pixGetWidth(pix), h = pixGetHeight(pix), n = 0;
    for (int i = 0; i < boxaGetCount(boxa); i++) {
        l_int32 bx, by, bw, bh;
        boxaGetBoxGeometry(boxa, i, &bx, &by, &bw, &bh);
        if (bx == 0 || by == 0 || bx + bw >= w || by + bh >= h)
            continue;
        if (n < max)
            out[n] = (lr_ink_piece){bx, by, bx + bw, by + bh};
        n++;
    }
    boxaDestroy(&boxa);
    return n;
}
