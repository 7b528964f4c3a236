/* test_unread_ink.c — a lot whose ノ the page OCR dropped (二四六ノ五 read 二 四 六 五, a lot of
 * four digits that parses) goes to review: ink in its cell that none of the words read covers
 * (extract.c, unread_ink), or, when a word's box takes in the ノ's ink, by the ink's width: more
 * than 1.5 line heights a character read (ink_width). A drawn table with a 地番 label and a lot
 * cell, its characters as blocks of ink under hand-placed words; no OCR (the words are read sure:
 * nothing is read again). */
#include <leptonica/allheaders.h>
#include <string.h>

#include "../lr_test.h"
#include "landrec/extract.h"
#include "landrec/layout.h"

/* The sheet read from a one-row table 地番 | lot, whose lot cell holds the four digits (36
 * pixels square, every 56: a line height of 40 and a little more between them), and a stroke
 * of the given height (0: none) between the third and the fourth, in a gap of the given
 * width, that no word covers, or, cover: inside the third's word box, grown over it. */
static void read_lot(lr_extractor *ex, int stroke, int gap, bool cover, lr_sheet *out)
{
    PIX *pix = pixCreate(1400, 400, 1);
    const int xs[] = {100, 400, 1300}, y0 = 100, y1 = 220;
    for (int c = 0; c < 3; c++)
        pixRenderLine(pix, xs[c], y0, xs[c], y1, 4, L_SET_PIXELS);
    pixRenderLine(pix, xs[0], y0, xs[2], y0, 4, L_SET_PIXELS);
    pixRenderLine(pix, xs[0], y1, xs[2], y1, 4, L_SET_PIXELS);
    static char *digits[] = {"二", "四", "六", "五"};
    lr_word words[5];
    words[0] = (lr_word){"地番", 180, 140, 320, 180, 95.0f, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        int x = 500 + 56 * i + (i >= 3 ? gap : 0);
        pixRasterop(pix, x + 2, 142, 36, 36, PIX_SET, NULL, 0, 0);
        words[i + 1] = (lr_word){digits[i], x, 140, x + 40, 180, 95.0f, 1, 0, 0};
    }
    int mid = 500 + 56 * 2 + 40 + (16 + gap) / 2; /* between the third and the fourth */
    if (stroke)
        pixRenderLine(pix, mid + 6, 160 - stroke / 2, mid - 6, 160 + stroke / 2, 3, L_SET_PIXELS);
    if (cover)
        words[3].x1 = mid + 12;
    lr_ocr_result page = {.words = words, .nwords = 5, .mean_conf = 95.0f};
    lr_layout l;
    lr_error err;
    CHECKF(lr_layout_analyze(pix, 300, words, 5, NULL, NULL, LR_DOC_LAND_LEDGER, NULL, &l, &err) ==
               LR_OK,
           "%s", err.message);
    CHECKF(lr_extract_sheet(ex, pix, 300, &l, &page, out, &err) == LR_OK, "%s", err.message);
    lr_layout_clear(&l);
    pixDestroy(&pix);
}

int main(void)
{
    lr_extractor *ex = NULL;
    lr_error err;
    CHECKF(lr_extract_new(NULL, &ex, &err) == LR_OK, "%s", err.message);
    if (!ex)
        return lr_test_finish("test_unread_ink");
    lr_sheet s;
    read_lot(ex, 0, 0, false, &s);
    CHECKF(s.lot.value && strcmp(s.lot.value, "2465") == 0, "lot %s", s.lot.value);
    CHECKF(!s.lot.review, "no ink left unread: not flagged (%s)", s.lot.reason);
    lr_sheet_clear(&s);

    read_lot(ex, 0, 56, false, &s); /* written spaced out, the gap empty: 6.5 line heights */
    CHECKF(s.lot.review && strcmp(s.lot.reason, "unread-ink") == 0,
           "four characters over 1.5 line heights each: %s",
           s.lot.review ? s.lot.reason : "not flagged");
    lr_sheet_clear(&s);

    read_lot(ex, 30, 56, true, &s); /* the ノ inside 六's box: only the width tells */
    CHECKF(s.lot.value && strcmp(s.lot.value, "2465") == 0, "lot %s", s.lot.value);
    CHECKF(s.lot.review && strcmp(s.lot.reason, "unread-ink") == 0, "the ノ in a box: %s",
           s.lot.review ? s.lot.reason : "not flagged");
    lr_sheet_clear(&s);

    read_lot(ex, 30, 24, false, &s); /* the ノ, three quarters of the characters' height */
    CHECKF(s.lot.value && strcmp(s.lot.value, "2465") == 0, "lot %s", s.lot.value);
    CHECKF(s.lot.review && strcmp(s.lot.reason, "unread-ink") == 0, "the ノ unread: %s",
           s.lot.review ? s.lot.reason : "not flagged");
    lr_sheet_clear(&s);

    read_lot(ex, 12, 24, false, &s); /* a speck: under half the line's height */
    CHECKF(!s.lot.review, "a speck: not flagged (%s)", s.lot.reason);
    lr_sheet_clear(&s);
    lr_extract_destroy(&ex);
    return lr_test_finish("test_unread_ink");
}
