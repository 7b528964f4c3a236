/* test_layout_unruled.c — a map's location, printed beside its label on the head line in no
 * cell of its own (src/layout/unruled.c), with the head read as the maps' OCR reads it: the
 * label's characters as separate words (所 在), the value's characters riding higher
 * or lower than the label, neighbours' boxes overlapping (陽 over 郡). Hand-placed words on a
 * blank page, no OCR. */
#include <leptonica/allheaders.h>
#include <string.h>

#include "../lr_test.h"
#include "landrec/layout.h"

typedef struct placed {
    const char *text;
    int x0, y0, x1, y1;
} placed;

/* The layout of a blank page holding the words w; the location cell, or NULL. */
static const lr_cell *location(const placed *w, size_t n, lr_layout *out)
{
    lr_word words[32];
    for (size_t i = 0; i < n; i++)
        words[i] = (lr_word){(char *)w[i].text, w[i].x0, w[i].y0, w[i].x1, w[i].y1, 90.0f, 0, 0,
                             (int)i};
    PIX *pix = pixCreate(2480, 1200, 1);
    lr_error err;
    CHECKF(lr_layout_analyze(pix, 300, words, n, NULL, NULL, LR_DOC_AUTO, NULL, out, &err) ==
               LR_OK,
           "%s", err.message);
    pixDestroy(&pix);
    for (size_t i = 0; i < out->ncells; i++)
        if (out->cells[i].field == LR_FIELD_LOCATION)
            return &out->cells[i];
    return NULL;
}

/* Whether the cell holds the word's centre. */
static bool holds(const lr_cell *c, const placed *w)
{
    int cx = (w->x0 + w->x1) / 2, cy = (w->y0 + w->y1) / 2;
    return c && cx >= c->x0 && cx < c->x1 && cy >= c->y0 && cy < c->y1;
}

int main(void)
{
    /* A degraded map's head (sheet 8 of the degraded corpus, seed 8): 所 在, then the county
     * and the village, 陽 lower than the label and overlapped by 那, then 縮 尺 far right. */
    const placed head[] = {
        {"地", 243, 211, 314, 279}, {"籍", 343, 211, 413, 282}, {"所", 647, 230, 682, 265},
        {"在", 689, 230, 723, 265}, {"구", 809, 242, 848, 286}, {"올레", 871, 244, 948, 288},
        {"高", 1005, 243, 1021, 288}, {"陽", 1031, 249, 1124, 297}, {"那", 1105, 216, 1145, 305},
        {"恩", 1177, 243, 1200, 288}, {"平面", 1227, 216, 1317, 305},
        {"佛光", 1326, 243, 1468, 293}, {"里", 1433, 216, 1473, 305},
        {"縮", 1686, 230, 1763, 265}, {"尺", 1772, 230, 1800, 265},
    };
    size_t n = sizeof head / sizeof *head;
    lr_layout l;
    const lr_cell *c = location(head, n, &l);
    CHECKF(c != NULL, "a location after 所 在 read as two words");
    for (size_t i = 4; c && i < 13; i++)
        CHECKF(holds(c, &head[i]), "the location holds \"%s\"", head[i].text);
    CHECKF(!holds(c, &head[13]) && !holds(c, &head[2]), "the location stops at its words");
    lr_layout_clear(&l);

    /* The label's characters a line height or more apart are not a label: no location. */
    placed apart[sizeof head / sizeof *head];
    memcpy(apart, head, sizeof head);
    apart[3].x0 += 60;
    apart[3].x1 += 60;
    CHECK(location(apart, n, &l) == NULL);
    lr_layout_clear(&l);

    /* 소재 read as one word, the value's words one above the other's baseline (서울 high):
     * the value is followed word by word. */
    const placed hangul[] = {
        {"소재", 650, 231, 719, 265},     {"서", 825, 210, 860, 253},
        {"울", 859, 195, 883, 257},       {"특별시", 876, 209, 956, 253},
        {"용산구", 977, 211, 1047, 249},  {"한", 1072, 214, 1096, 245},
        {"강", 1103, 215, 1128, 247},     {"로", 1134, 215, 1166, 243},
        {"가", 1175, 219, 1188, 240},     {"축척", 1687, 230, 1757, 266},
    };
    c = location(hangul, sizeof hangul / sizeof *hangul, &l);
    CHECKF(c != NULL, "a location after 소재");
    for (size_t i = 1; c && i < 9; i++)
        CHECKF(holds(c, &hangul[i]), "the location holds \"%s\"", hangul[i].text);
    CHECKF(!holds(c, &hangul[9]), "the location stops before 축척");
    lr_layout_clear(&l);
    return lr_test_finish("test_layout_unruled");
}
