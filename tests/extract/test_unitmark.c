/* test_unitmark.c — ㎡ after an area seen in the ink (src/extract/unitmark.c), and the models'
 * readings of it replaced. The crops in testdata/extract are area cells of generated 1975
 * cards (landrec-synth, seed 7, preset clean, hand printed; 336 × 124, 1 bpp, 300 dpi):
 * 1668㎡ (read 16680 by kor), 240.7㎡ (read 240.7mr), and 801 with no unit. */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <string.h>

#include "../lr_test.h"
#include "../../src/extract/unitmark.h"

static PIX *load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/extract/%s", lr_test_data_dir(), name);
    PIX *pix = pixRead(path);
    CHECKF(pix && pixGetDepth(pix) == 1, "cannot read %s as 1 bpp", path);
    return pix;
}

static int before(PIX *pix)
{
    return lr_unitmark_m2_before(pix, 0, 0, pixGetWidth(pix), pixGetHeight(pix));
}

static void fixes(const char *raw, int n, const char *want)
{
    char out[64] = "untouched";
    bool ok = lr_unitmark_fix_m2(raw, n, out, sizeof out);
    if (want)
        CHECKF(ok && strcmp(out, want) == 0, "\"%s\" (%d before ㎡): \"%s\", want \"%s\"", raw, n,
               ok ? out : "(refused)", want);
    else
        CHECKF(!ok && strcmp(out, "untouched") == 0, "\"%s\" (%d before ㎡) fixed as \"%s\"",
               raw, n, out);
}

int main(void)
{
    PIX *m2 = load("area-m2.png"), *point = load("area-m2-point.png");
    PIX *plain = load("area-plain.png");
    if (!m2 || !point || !plain)
        return lr_test_finish("test_unitmark");
    CHECKF(before(m2) == 4, "1668㎡: %d characters before ㎡", before(m2));
    CHECKF(before(point) == 5, "240.7㎡: %d characters before ㎡", before(point));
    CHECKF(before(plain) == -1, "801: %d", before(plain));

    /* The ² taken away (its box in the crop: 183,27 9 × 13): an m alone is not ㎡. */
    PIX *bare = pixCopy(NULL, m2);
    pixRasterop(bare, 180, 20, 20, 22, PIX_CLR, NULL, 0, 0);
    CHECKF(before(bare) == -1, "1668m, no ²: %d", before(bare));
    /* Specks of a degraded scan do not count as characters. */
    PIX *specked = pixCopy(NULL, m2);
    for (int i = 0; i < 12; i++)
        pixSetPixel(specked, 20 + 25 * i, 20 + (i % 3) * 30, 1);
    CHECKF(before(specked) == 4, "1668㎡ with specks: %d", before(specked));
    /* Only part of the cell: the box is honoured (the m and ² cut off: none). */
    CHECKF(lr_unitmark_m2_before(m2, 0, 0, 150, pixGetHeight(m2)) == -1, "cut before the m");

    /* What the models make of ㎡, replaced when the count agrees. */
    fixes("16680", 4, "1668㎡");
    fixes("1668", 4, "1668㎡");
    fixes("240.7mr", 5, "240.7㎡");
    fixes("240.7 m", 5, "240.7㎡");
    fixes("240.7m²", 5, "240.7㎡");
    fixes("2773m2", 4, "2773㎡");
    fixes("166800", 4, NULL);  /* two characters past the count */
    fixes("166", 4, NULL);     /* one short: a digit lost, not ㎡ */
    fixes("16a80", 4, NULL);   /* not a number */
    fixes("一六六八", 4, NULL); /* not Arabic digits */
    fixes("", 4, NULL);
    fixes("1668", 0, NULL);

    pixDestroy(&bare);
    pixDestroy(&specked);
    pixDestroy(&m2);
    pixDestroy(&point);
    pixDestroy(&plain);
    return lr_test_finish("test_unitmark");
}
