/* font.c — fonts and text for landrec-synth: finds the Debian CJK fonts, draws UTF-8 text
 * with FreeType straight onto a Leptonica page at the output resolution, printed or
 * handwriting-like (per-character jitter of position, size and angle, thicker strokes, a
 * drifting baseline), horizontal or top to bottom. */
#include <dirent.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "landrec/utf8.h"
#include "synth.h"

/* Where Debian puts each face (file name, family to pick inside a collection). */
static const struct face_spec {
    const char *file;
    const char *family; /* NULL: face 0 */
    const char *dir;    /* Debian's directory, tried first */
    const char *package;
} face_specs[LR_SYNTH_NFACES] = {
    [LR_SYNTH_FACE_SERIF_KR] = {"NotoSerifCJK-Regular.ttc", "Noto Serif CJK KR",
                                "/usr/share/fonts/opentype/noto", "fonts-noto-cjk"},
    [LR_SYNTH_FACE_SERIF_TC] = {"NotoSerifCJK-Regular.ttc", "Noto Serif CJK TC",
                                "/usr/share/fonts/opentype/noto", "fonts-noto-cjk"},
    [LR_SYNTH_FACE_MYEONGJO] = {"NanumMyeongjo.ttf", NULL, "/usr/share/fonts/truetype/nanum",
                                "fonts-nanum"},
    [LR_SYNTH_FACE_KAI] = {"ukai.ttc", "AR PL UKai TW", "/usr/share/fonts/truetype/arphic",
                           "fonts-arphic-ukai"},
    [LR_SYNTH_FACE_PEN] = {"NanumPen.ttf", NULL, "/usr/share/fonts/truetype/nanum",
                           "fonts-nanum-extra"},
    [LR_SYNTH_FACE_BRUSH] = {"NanumBrush.ttf", NULL, "/usr/share/fonts/truetype/nanum",
                             "fonts-nanum-extra"},
};

/* What stands in for a missing face, best first. */
static const lr_synth_face face_fallback[LR_SYNTH_NFACES][3] = {
    [LR_SYNTH_FACE_SERIF_KR] = {LR_SYNTH_FACE_SERIF_TC, LR_SYNTH_FACE_MYEONGJO, LR_SYNTH_FACE_KAI},
    [LR_SYNTH_FACE_SERIF_TC] = {LR_SYNTH_FACE_SERIF_KR, LR_SYNTH_FACE_MYEONGJO, LR_SYNTH_FACE_KAI},
    [LR_SYNTH_FACE_MYEONGJO] = {LR_SYNTH_FACE_SERIF_KR, LR_SYNTH_FACE_SERIF_TC, LR_SYNTH_FACE_PEN},
    [LR_SYNTH_FACE_KAI] = {LR_SYNTH_FACE_SERIF_TC, LR_SYNTH_FACE_SERIF_KR, LR_SYNTH_FACE_MYEONGJO},
    [LR_SYNTH_FACE_PEN] = {LR_SYNTH_FACE_BRUSH, LR_SYNTH_FACE_MYEONGJO, LR_SYNTH_FACE_SERIF_KR},
    [LR_SYNTH_FACE_BRUSH] = {LR_SYNTH_FACE_PEN, LR_SYNTH_FACE_MYEONGJO, LR_SYNTH_FACE_SERIF_KR},
};

/* Characters a face lacks are taken from these, in order (Noto covers all we write). */
static const lr_synth_face glyph_fallback[] = {LR_SYNTH_FACE_SERIF_KR, LR_SYNTH_FACE_SERIF_TC,
                                               LR_SYNTH_FACE_MYEONGJO, LR_SYNTH_FACE_KAI};

struct lr_synth_fonts {
    FT_Library lib;
    FT_Face own[LR_SYNTH_NFACES]; /* opened here; NULL when missing */
    FT_Face face[LR_SYNTH_NFACES]; /* own or a fallback */
    char file[LR_SYNTH_NFACES][1100];
    int cur_size[LR_SYNTH_NFACES]; /* pixel size last set on own[i] */
};

/* Searches dir recursively (depth-limited) for a file called name; true with its path. */
static bool find_file(const char *dir, const char *name, int depth, char *out, size_t size)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        size_t n = strlen(path);
        if (n >= size)
            return false;
        memcpy(out, path, n + 1);
        return true;
    }
    if (depth <= 0)
        return false;
    DIR *d = opendir(dir);
    if (!d)
        return false;
    /* Subdirectories in name order, so the result does not depend on readdir's order. */
    char **subs = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(subs, (size_t)cap * sizeof *subs);
            if (!grown)
                break;
            subs = grown;
        }
        subs[n++] = strdup(path);
    }
    closedir(d);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (subs[i] && subs[j] && strcmp(subs[i], subs[j]) > 0) {
                char *t = subs[i];
                subs[i] = subs[j];
                subs[j] = t;
            }
    bool found = false;
    for (int i = 0; i < n; i++) {
        if (!found && subs[i] && find_file(subs[i], name, depth - 1, out, size))
            found = true;
        free(subs[i]);
    }
    free(subs);
    return found;
}

static bool locate(const struct face_spec *spec, char *out, size_t size)
{
    const char *env = getenv("LANDREC_SYNTH_FONT_DIR");
    if (env && *env)
        return find_file(env, spec->file, 4, out, size);
    if (find_file(spec->dir, spec->file, 0, out, size))
        return true;
    return find_file("/usr/share/fonts", spec->file, 4, out, size) ||
           find_file("/usr/local/share/fonts", spec->file, 4, out, size);
}

/* Opens the face of a collection whose family is spec->family (face 0 when NULL). */
static FT_Face open_face(FT_Library lib, const char *path, const char *family, int *out_index)
{
    FT_Face probe = NULL;
    *out_index = 0;
    if (FT_New_Face(lib, path, 0, &probe) != 0)
        return NULL;
    long n = probe->num_faces;
    if (!family) {
        return probe;
    }
    for (long i = 0; i < n; i++) {
        FT_Face f = probe;
        if (i > 0 && FT_New_Face(lib, path, i, &f) != 0)
            continue;
        if (f->family_name && strcmp(f->family_name, family) == 0) {
            if (f != probe)
                FT_Done_Face(probe);
            *out_index = (int)i;
            return f;
        }
        if (f != probe)
            FT_Done_Face(f);
    }
    FT_Done_Face(probe);
    return NULL;
}

int lr_synth_fonts_open(lr_synth_fonts **out_fonts, char *out_warning, size_t warning_size,
                        lr_error *err)
{
    if (out_fonts)
        *out_fonts = NULL;
    if (out_warning && warning_size)
        out_warning[0] = '\0';
    if (!out_fonts)
        return lr_error_set(err, LR_ERR_ARG, "no place for the fonts");
    int rc = LR_OK;
    lr_synth_fonts *f = calloc(1, sizeof *f);
    if (!f)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    if (FT_Init_FreeType(&f->lib) != 0) {
        rc = lr_error_set(err, LR_ERR_INTERNAL, "could not start FreeType");
        goto done;
    }
    for (int i = 0; i < LR_SYNTH_NFACES; i++) {
        char path[1024];
        int index = 0;
        if (!locate(&face_specs[i], path, sizeof path))
            continue;
        f->own[i] = open_face(f->lib, path, face_specs[i].family, &index);
        if (f->own[i])
            snprintf(f->file[i], sizeof f->file[i], "%s#%d", path, index);
    }
    /* Hangul and Hanja both need a face: Noto Serif CJK, else Nanum Myeongjo. */
    if (!f->own[LR_SYNTH_FACE_SERIF_KR] && !f->own[LR_SYNTH_FACE_SERIF_TC] &&
        !f->own[LR_SYNTH_FACE_MYEONGJO]) {
        const char *env = getenv("LANDREC_SYNTH_FONT_DIR");
        rc = lr_error_set(err, LR_ERR_IO, "no CJK font found");
        lr_error_detail(err, "looked for %s and %s in %s", face_specs[0].file,
                        face_specs[LR_SYNTH_FACE_MYEONGJO].file,
                        env && *env ? env : "/usr/share/fonts and /usr/local/share/fonts");
        lr_error_hint(err, "Install the Debian packages: apt-get install fonts-noto-cjk "
                           "fonts-nanum fonts-nanum-extra fonts-arphic-ukai");
        goto done;
    }
    for (int i = 0; i < LR_SYNTH_NFACES; i++) {
        f->face[i] = f->own[i];
        for (int k = 0; !f->face[i] && k < 3; k++) {
            lr_synth_face alt = face_fallback[i][k];
            if (f->own[alt]) {
                f->face[i] = f->own[alt];
                memmove(f->file[i], f->file[alt], sizeof f->file[i]);
            }
        }
        if (!f->own[i] && out_warning && warning_size) {
            size_t used = strlen(out_warning);
            snprintf(out_warning + used, warning_size - used, "%s%s (%s) missing",
                     used ? "; " : "", face_specs[i].file, face_specs[i].package);
        }
    }
done:
    if (rc < 0)
        lr_synth_fonts_close(&f);
    *out_fonts = f;
    return rc;
}

void lr_synth_fonts_close(lr_synth_fonts **pfonts)
{
    if (!pfonts || !*pfonts)
        return;
    lr_synth_fonts *f = *pfonts;
    for (int i = 0; i < LR_SYNTH_NFACES; i++)
        if (f->own[i])
            FT_Done_Face(f->own[i]);
    if (f->lib)
        FT_Done_FreeType(f->lib);
    free(f);
    *pfonts = NULL;
}

const char *lr_synth_fonts_file(const lr_synth_fonts *fonts, lr_synth_face f)
{
    if (!fonts || f < 0 || f >= LR_SYNTH_NFACES)
        return "";
    return fonts->file[f];
}

/* ------------------------------------------------------------------------------------------ */
/* Text                                                                                       */

/* Next code point of a UTF-8 string (a byte that begins no valid sequence gives U+FFFD);
 * advances *p. */
static uint32_t utf8_next(const char **p)
{
    uint32_t c;
    size_t n = lr_utf8_next(*p, SIZE_MAX, &c);
    *p += n ? n : 1;
    return n ? c : 0xfffd;
}

static bool is_hangul(uint32_t c)
{
    return (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) ||
           (c >= 0x3130 && c <= 0x318f);
}

/* The face a character is drawn with, and its glyph index there. */
static FT_Face face_for(lr_synth_fonts *f, const lr_synth_pen *pen, uint32_t c, FT_UInt *out_gi,
                        int *out_slot)
{
    lr_synth_face want;
    if (!pen->hand)
        want = pen->print;
    else if (is_hangul(c) || c < 0x80)
        want = pen->hangul;
    else
        want = pen->hanja;
    FT_Face face = f->face[want];
    FT_UInt gi = face ? FT_Get_Char_Index(face, c) : 0;
    if (gi) {
        *out_gi = gi;
        for (int i = 0; i < LR_SYNTH_NFACES; i++)
            if (f->own[i] == face)
                *out_slot = i;
        return face;
    }
    for (size_t k = 0; k < sizeof glyph_fallback / sizeof glyph_fallback[0]; k++) {
        FT_Face alt = f->own[glyph_fallback[k]];
        if (alt && (gi = FT_Get_Char_Index(alt, c))) {
            *out_gi = gi;
            *out_slot = (int)glyph_fallback[k];
            return alt;
        }
    }
    *out_gi = 0;
    return NULL;
}

static void set_size(lr_synth_fonts *f, int slot, FT_Face face, int px)
{
    if (px < 4)
        px = 4;
    if (f->cur_size[slot] != px) {
        FT_Set_Pixel_Sizes(face, 0, (FT_UInt)px);
        f->cur_size[slot] = px;
    }
}

/* Horizontal advance of one character at size px, unhinted and untransformed. */
static double char_advance(lr_synth_fonts *f, const lr_synth_pen *pen, uint32_t c, double px)
{
    FT_UInt gi;
    int slot = 0;
    FT_Face face = face_for(f, pen, c, &gi, &slot);
    if (c == ' ')
        return px * 0.4;
    if (!face)
        return px * 0.5;
    int ipx = (int)lround(px);
    set_size(f, slot, face, ipx);
    FT_Set_Transform(face, NULL, NULL);
    if (FT_Load_Glyph(face, gi, FT_LOAD_NO_BITMAP | FT_LOAD_NO_HINTING) != 0)
        return px * 0.5;
    /* linearHoriAdvance is 16.16 at the integer size; scale to the exact one. */
    return face->glyph->linearHoriAdvance / 65536.0 * px / ipx;
}

double lr_synth_text_extent(lr_synth_fonts *fonts, const lr_synth_pen *pen, const char *utf8)
{
    if (!fonts || !pen || !utf8)
        return 0;
    double total = 0;
    int n = 0;
    for (const char *p = utf8; *p;) {
        uint32_t c = utf8_next(&p);
        total += pen->vertical ? (c == ' ' ? pen->size * 0.5 : pen->size)
                               : char_advance(fonts, pen, c, pen->size);
        n++;
    }
    if (n > 1)
        total += (n - 1) * pen->tracking * pen->size;
    return total;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Renders glyph gi of face at (pen_x, pen_y) (baseline origin, pixels, y down) with angle
 * (radians, counter-clockwise) and scale, blending it onto pix; grows box. */
static void draw_glyph(lr_synth_fonts *f, int slot, FT_Face face, FT_UInt gi, PIX *pix,
                       const lr_synth_pen *pen, double px, double pen_x, double pen_y,
                       double angle, double scale, double opacity, int box[4], bool *inked)
{
    set_size(f, slot, face, (int)lround(px));
    double s = scale * px / lround(px);
    FT_Matrix m;
    m.xx = (FT_Fixed)lround(cos(angle) * s * 65536.0);
    m.xy = (FT_Fixed)lround(-sin(angle) * s * 65536.0);
    m.yx = (FT_Fixed)lround(sin(angle) * s * 65536.0);
    m.yy = (FT_Fixed)lround(cos(angle) * s * 65536.0);
    double fx = floor(pen_x), fy = floor(pen_y);
    FT_Vector delta;
    delta.x = (FT_Pos)lround((pen_x - fx) * 64.0);
    delta.y = (FT_Pos)lround(-(pen_y - fy) * 64.0);
    FT_Set_Transform(face, &m, &delta);
    if (FT_Load_Glyph(face, gi, FT_LOAD_NO_BITMAP | FT_LOAD_NO_HINTING) != 0)
        return;
    FT_GlyphSlot g = face->glyph;
    if (pen->embolden > 0 && g->format == FT_GLYPH_FORMAT_OUTLINE)
        FT_Outline_Embolden(&g->outline, (FT_Pos)lround(pen->embolden * px * 64.0));
    if (FT_Render_Glyph(g, FT_RENDER_MODE_NORMAL) != 0)
        return;
    const FT_Bitmap *bm = &g->bitmap;
    int x0 = (int)fx + g->bitmap_left, y0 = (int)fy - g->bitmap_top;
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    int bx0 = w, by0 = h, bx1 = -1, by1 = -1;
    for (unsigned r = 0; r < bm->rows; r++) {
        int y = y0 + (int)r;
        if (y < 0 || y >= h)
            continue;
        const unsigned char *src = bm->buffer + (long)r * bm->pitch;
        for (unsigned cidx = 0; cidx < bm->width; cidx++) {
            unsigned char cov = src[cidx];
            int x = x0 + (int)cidx;
            if (!cov || x < 0 || x >= w)
                continue;
            lr_synth_blend(pix, x, y, pen->rgb, cov / 255.0 * opacity);
            if (x < bx0)
                bx0 = x;
            if (y < by0)
                by0 = y;
            if (x > bx1)
                bx1 = x;
            if (y > by1)
                by1 = y;
        }
    }
    if (bx1 < 0)
        return;
    if (!*inked) {
        box[0] = bx0, box[1] = by0, box[2] = bx1 + 1, box[3] = by1 + 1;
        *inked = true;
    } else {
        if (bx0 < box[0])
            box[0] = bx0;
        if (by0 < box[1])
            box[1] = by0;
        if (bx1 + 1 > box[2])
            box[2] = bx1 + 1;
        if (by1 + 1 > box[3])
            box[3] = by1 + 1;
    }
}

void lr_synth_text_draw(lr_synth_fonts *fonts, PIX *pix, const lr_synth_pen *pen,
                        const char *utf8, double x, double y, lr_synth_rng *rng, int out_box[4])
{
    int box[4] = {(int)x, (int)y, (int)x, (int)y};
    bool inked = false;
    if (!fonts || !pix || !pen || !utf8) {
        if (out_box)
            memcpy(out_box, box, sizeof box);
        return;
    }
    double j = pen->hand ? pen->jitter : 0;
    /* A hand drifts: the line slopes a little. */
    double slope = j > 0 && rng ? clampd(lr_synth_rng_normal(rng) * 0.006 * j, -0.015, 0.015) : 0;
    double pos = 0;
    for (const char *p = utf8; *p;) {
        uint32_t c = utf8_next(&p);
        double adv;
        if (pen->vertical)
            adv = c == ' ' ? pen->size * 0.5 : pen->size;
        else
            adv = char_advance(fonts, pen, c, pen->size);
        if (c != ' ') {
            double scale = 1, angle = 0, dx = 0, dy = 0, op = pen->opacity;
            if (j > 0 && rng) {
                scale = 1 + clampd(lr_synth_rng_normal(rng) * 0.05 * j, -0.12, 0.12);
                angle = clampd(lr_synth_rng_normal(rng) * 2.5 * j, -6, 6) * M_PI / 180;
                dx = clampd(lr_synth_rng_normal(rng) * 0.04 * j, -0.1, 0.1) * pen->size;
                dy = clampd(lr_synth_rng_normal(rng) * 0.05 * j, -0.12, 0.12) * pen->size;
                op *= 0.82 + 0.18 * lr_synth_rng_uniform(rng);
            }
            FT_UInt gi;
            int slot = 0;
            FT_Face face = face_for(fonts, pen, c, &gi, &slot);
            if (face) {
                double gx, gy;
                if (pen->vertical) {
                    /* Centred on the column; the em box's top at pos. */
                    double hadv = char_advance(fonts, pen, c, pen->size);
                    gx = x - hadv * 0.5 * scale;
                    gy = y + pos + pen->size * 0.88;
                } else {
                    gx = x + pos;
                    gy = y + pos * slope;
                }
                draw_glyph(fonts, slot, face, gi, pix, pen, pen->size, gx + dx, gy + dy, angle,
                           scale, op, box, &inked);
            }
        }
        double step = adv + pen->tracking * pen->size;
        if (j > 0 && rng)
            step *= 1 + clampd(lr_synth_rng_normal(rng) * 0.04 * j, -0.08, 0.1);
        pos += step;
    }
    if (out_box)
        memcpy(out_box, box, sizeof box);
}
