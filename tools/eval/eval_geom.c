/* eval_geom.c — boxes from the enhanced page into the truth's page (see eval_geom.h). Points
 * are pixel centres: pixel (x, y) is the point (x, y), so a box [x0, x1) has its centre at
 * (x0 + x1 − 1) / 2. */
#include "eval_geom.h"

#include <math.h>
#include <stdbool.h>

/* (x, y) turned with its w × h image clockwise by deg (0, 90, 180, 270), as pixRotateOrth
 * turns the image: the image becomes h × w for 90 and 270. */
static void turn_point(int deg, int w, int h, double *x, double *y)
{
    double px = *x, py = *y;
    switch (deg) {
    case 90:
        *x = h - 1 - py;
        *y = px;
        break;
    case 180:
        *x = w - 1 - px;
        *y = h - 1 - py;
        break;
    case 270:
        *x = py;
        *y = w - 1 - px;
        break;
    default:
        break;
    }
}

static bool quarter(int deg)
{
    return deg == 90 || deg == 270;
}

/* The enhanced page's point (x, y) on the truth's page. */
static void map_point(const eval_frame *f, double *x, double *y)
{
    int sw = f->stored_w, sh = f->stored_h;
    /* 1. Undo the deskew: lr_enhance_page turned clockwise by deskew_deg about the centre
     *    (w / 2, h / 2), in integers, of the page it had turned upright (enhance/deskew.c,
     *    enh_page_mapping). */
    int ew = quarter(f->found_orient) ? sh : sw, eh = quarter(f->found_orient) ? sw : sh;
    double r = f->deskew_deg * M_PI / 180.0, c = cos(r), s = sin(r);
    double xc = (double)(ew / 2), yc = (double)(eh / 2); /* integer halves, as deskew.c */
    double ux = xc + (*x - xc) * c + (*y - yc) * s;
    double uy = yc + (*y - yc) * c - (*x - xc) * s;
    /* 2. Undo the detected turn: back onto the decoded page. */
    turn_point((360 - f->found_orient) % 360, ew, eh, &ux, &uy);
    /* 3. The true turn: the truth's page, still skewed. */
    turn_point(f->true_orient, sw, sh, &ux, &uy);
    /* 4. Undo the true skew: landrec-synth turned the content about ((w − 1) / 2, (h − 1) / 2)
     *    so that a skewed pixel (x, y) shows the upright one at centre + R(skew)·(p − centre)
     *    (tools/synth/degrade.c, rotate_plane). */
    int tw = quarter(f->true_orient) ? sh : sw, th = quarter(f->true_orient) ? sw : sh;
    double t = f->true_skew * M_PI / 180.0, ct = cos(t), st = sin(t);
    double cx = (tw - 1) / 2.0, cy = (th - 1) / 2.0;
    *x = cx + (ux - cx) * ct - (uy - cy) * st;
    *y = cy + (ux - cx) * st + (uy - cy) * ct;
}

void eval_map_box(const eval_frame *f, lr_text_box *b)
{
    double x = (b->x0 + b->x1 - 1) / 2.0, y = (b->y0 + b->y1 - 1) / 2.0;
    int w = b->x1 - b->x0, h = b->y1 - b->y0;
    map_point(f, &x, &y);
    if (quarter(((f->true_orient - f->found_orient) % 360 + 360) % 360)) {
        int t = w;
        w = h;
        h = t;
    }
    b->x0 = (int)lround(x - (w - 1) / 2.0);
    b->y0 = (int)lround(y - (h - 1) / 2.0);
    b->x1 = b->x0 + w;
    b->y1 = b->y0 + h;
}
