/* test_eval_geom.c — pins eval_map_box (tools/eval/eval_geom.h), which carries a recognised
 * word's box from the page the pipeline read (turned by the orientation it found, deskewed by
 * the skew it applied) onto the truth's upright, unskewed page, to cases worked by hand:
 * identity, a page turned and read turned, a page read sideways or upside down, and skew. */
#include <math.h>

#include "../../tools/eval/eval_geom.h"
#include "lr_test.h"

static void expect(const char *what, eval_frame f, lr_text_box in, int x0, int y0, int x1, int y1)
{
    lr_text_box b = in;
    eval_map_box(&f, &b);
    CHECKF(b.x0 == x0 && b.y0 == y0 && b.x1 == x1 && b.y1 == y1,
           "%s: [%d, %d, %d, %d] → [%d, %d, %d, %d], want [%d, %d, %d, %d]", what, in.x0, in.y0,
           in.x1, in.y1, b.x0, b.y0, b.x1, b.y1, x0, y0, x1, y1);
}

int main(void)
{
    const lr_text_box word = {"x", 10, 20, 30, 25}; /* pixels x 10…29, y 20…24 */

    /* Read as it lies: nothing moves, whatever the orientation, when the right one was found
     * and there is no skew. */
    expect("upright", (eval_frame){100, 200, 0, 0, 0, 0}, word, 10, 20, 30, 25);
    for (int o = 90; o < 360; o += 90)
        expect("turned and turned back", (eval_frame){100, 200, o, 0, o, 0}, word, 10, 20, 30, 25);

    /* Stored 100 × 200, upright it is 200 × 100 (turn 90° clockwise), but the pipeline left it
     * as it was: pixel (x, y) of what it read is (199 − y, x) upright, so x 10…29 → y 10…29
     * and y 20…24 → x 175…179; the box's width and height swap. */
    expect("read sideways", (eval_frame){100, 200, 0, 0, 90, 0}, word, 175, 10, 180, 30);
    /* Turned 270° where 90° was right: the page read is the upright one upside down,
     * (x, y) → (199 − x, 99 − y) on 200 × 100. */
    expect("read upside down", (eval_frame){100, 200, 270, 0, 90, 0}, word, 170, 75, 190, 80);
    /* And the other way round: upright pages read after a needless turn by 90°. */
    expect("turned needlessly", (eval_frame){200, 100, 90, 0, 0, 0}, word, 20, 70, 25, 90);

    /* Skewed 3° and not deskewed: the word's centre (900, 250) is 400 px right of the centre
     * (500, 250) of a 1001 × 501 page; the truth has it at centre + 400·(cos 3°, sin 3°) =
     * (899.45, 270.93) (landrec-synth turned the content counter-clockwise, so a point right
     * of the centre went up; the truth puts it back down). */
    const lr_text_box right = {"x", 890, 245, 911, 256};
    expect("skew not corrected", (eval_frame){1001, 501, 0, 0, 0, 3.0}, right, 889, 266, 910, 277);
    /* The centre of the page does not move. */
    expect("the centre", (eval_frame){1001, 501, 0, 0, 0, 3.0},
           (lr_text_box){"x", 490, 240, 511, 261}, 490, 240, 511, 261);
    /* Deskewed by the true angle: back where it was, to a pixel (the pipeline turns about
     * (w / 2, h / 2) in integers, the generator about ((w − 1) / 2, (h − 1) / 2)). */
    for (int o = 0; o < 360; o += 90) {
        lr_text_box b = right;
        eval_map_box(&(eval_frame){1001, 501, o, 3.0, o, 3.0}, &b);
        CHECKF(abs(b.x0 - right.x0) <= 1 && abs(b.y0 - right.y0) <= 1 &&
                   b.x1 - b.x0 == right.x1 - right.x0 && b.y1 - b.y0 == right.y1 - right.y0,
               "deskewed at %d°: [%d, %d, %d, %d]", o, b.x0, b.y0, b.x1, b.y1);
    }
    /* Deskewed by 2° of 3°: what is left is the 1° the pipeline missed, about 400·sin 1° =
     * 7 px at this distance from the centre. */
    lr_text_box b = right;
    eval_map_box(&(eval_frame){1001, 501, 0, 2.0, 0, 3.0}, &b);
    CHECKF(abs(b.x0 - right.x0) <= 1 && abs(b.y0 - (right.y0 + 7)) <= 1, "[%d, %d, %d, %d]", b.x0,
           b.y0, b.x1, b.y1);

    return lr_test_finish("eval-geom");
}
