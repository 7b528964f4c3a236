/* test_tiff.c — every class of TIFF page the ingest reads (bit depths, colour models,
 * compressions, strips/tiles, contiguous/separate planes, alpha, palette, CMYK, orientation,
 * resolution tags), and the kinds it refuses. Each file is written at run time with libtiff;
 * the decoded pixels are compared with the picture that was drawn. */
#include "image_util.h"
#include "landrec/log.h"

typedef struct tcase {
    const char *name;
    tiff_spec spec;
    int depth;               /* expected PIX depth */
    const char *colour;      /* expected info.colour */
    const char *compression; /* expected info.compression */
    const char *warning;     /* substring expected in info.warning, or NULL for none */
    int tol;                 /* per-sample tolerance; > 0 for lossy compression */
} tcase;

#define PMW PHOTOMETRIC_MINISWHITE
#define PMB PHOTOMETRIC_MINISBLACK
#define PRGB PHOTOMETRIC_RGB
#define PPAL PHOTOMETRIC_PALETTE
#define PSEP PHOTOMETRIC_SEPARATED
#define C_NONE COMPRESSION_NONE
#define C_G3 COMPRESSION_CCITTFAX3
#define C_G4 COMPRESSION_CCITTFAX4
#define C_LZW COMPRESSION_LZW
#define C_ZIP COMPRESSION_ADOBE_DEFLATE
#define C_PB COMPRESSION_PACKBITS
#define C_JPEG COMPRESSION_JPEG
#define SEP PLANARCONFIG_SEPARATE

/* 300 dpi on every case, so that the only warnings are those of the conversion. */
#define RES .xres = 300, .yres = 300

static const tcase cases[] = {
    /* bitonal: both photometrics under every compression */
    {"bw-none-miw", {.bps = 1, .photometric = PMW, RES}, 1, "bitonal", "none", NULL, 0},
    {"bw-none-mib", {.bps = 1, .photometric = PMB, RES}, 1, "bitonal", "none", NULL, 0},
    {"bw-g4-miw", {.bps = 1, .photometric = PMW, .compression = C_G4, RES}, 1, "bitonal", "g4",
     NULL, 0},
    {"bw-g4-mib", {.bps = 1, .photometric = PMB, .compression = C_G4, RES}, 1, "bitonal", "g4",
     NULL, 0},
    {"bw-g3", {.bps = 1, .photometric = PMW, .compression = C_G3, RES}, 1, "bitonal", "g3", NULL,
     0},
    {"bw-lzw-mib", {.bps = 1, .photometric = PMB, .compression = C_LZW, RES}, 1, "bitonal", "lzw",
     NULL, 0},
    {"bw-deflate", {.bps = 1, .photometric = PMW, .compression = C_ZIP, RES}, 1, "bitonal",
     "deflate", NULL, 0},
    {"bw-packbits", {.bps = 1, .photometric = PMW, .compression = C_PB, RES}, 1, "bitonal",
     "packbits", NULL, 0},
    {"bw-odd-width", {.width = 101, .height = 77, .bps = 1, .photometric = PMB, RES}, 1,
     "bitonal", "none", NULL, 0},
    {"bw-tiled-g4", {.bps = 1, .photometric = PMW, .compression = C_G4, .tile = 32, RES}, 1,
     "bitonal", "g4", NULL, 0},
    /* 2- and 4-bit grey */
    {"grey2", {.bps = 2, .photometric = PMB, RES}, 8, "grey", "none", NULL, 0},
    {"grey4-miw-lzw", {.bps = 4, .photometric = PMW, .compression = C_LZW, RES}, 8, "grey", "lzw",
     NULL, 0},
    /* 8-bit grey */
    {"grey8-none", {.photometric = PMB, RES}, 8, "grey", "none", NULL, 0},
    {"grey8-miw", {.photometric = PMW, RES}, 8, "grey", "none", NULL, 0},
    {"grey8-lzw", {.photometric = PMB, .compression = C_LZW, RES}, 8, "grey", "lzw", NULL, 0},
    {"grey8-deflate", {.photometric = PMB, .compression = C_ZIP, RES}, 8, "grey", "deflate", NULL,
     0},
    {"grey8-packbits", {.photometric = PMB, .compression = C_PB, RES}, 8, "grey", "packbits",
     NULL, 0},
    {"grey8-jpeg", {.photometric = PMB, .compression = C_JPEG, .jpeg_quality = 90, RES}, 8,
     "grey", "jpeg", NULL, 40},
    {"grey8-tiled-lzw", {.photometric = PMB, .compression = C_LZW, .tile = 32, RES}, 8, "grey",
     "lzw", NULL, 0},
    {"grey8-alpha", {.photometric = PMB, .extra = EXTRASAMPLE_UNASSALPHA, RES}, 8, "grey", "none",
     "alpha channel removed", 0},
    {"grey8-one-strip", {.photometric = PMB, .compression = C_LZW, .rows_per_strip = 96, RES}, 8,
     "grey", "lzw", NULL, 0},
    /* 16-bit */
    {"grey16-deflate", {.bps = 16, .photometric = PMB, .compression = C_ZIP, RES}, 8, "grey",
     "deflate", "16-bit samples reduced", 0},
    {"grey16-alpha", {.bps = 16, .photometric = PMB, .extra = EXTRASAMPLE_ASSOCALPHA, RES}, 8,
     "grey", "none", "16-bit", 0},
    {"rgb16-lzw", {.bps = 16, .photometric = PRGB, .compression = C_LZW, RES}, 32, "rgb", "lzw",
     "16-bit samples reduced", 0},
    /* 24-bit colour */
    {"rgb-none", {.photometric = PRGB, RES}, 32, "rgb", "none", NULL, 0},
    {"rgb-lzw", {.photometric = PRGB, .compression = C_LZW, RES}, 32, "rgb", "lzw", NULL, 0},
    {"rgb-deflate", {.photometric = PRGB, .compression = C_ZIP, RES}, 32, "rgb", "deflate", NULL,
     0},
    {"rgb-packbits", {.photometric = PRGB, .compression = C_PB, RES}, 32, "rgb", "packbits", NULL,
     0},
    {"rgb-jpeg", {.photometric = PRGB, .compression = C_JPEG, .jpeg_quality = 90, RES}, 32, "rgb",
     "jpeg", NULL, 48},
    {"ycbcr-jpeg",
     {.photometric = PHOTOMETRIC_YCBCR, .compression = C_JPEG, .jpeg_quality = 90, RES}, 32,
     "rgb", "jpeg", NULL, 48},
    {"rgb-separate-lzw", {.photometric = PRGB, .compression = C_LZW, .planar = SEP, RES}, 32,
     "rgb", "lzw", NULL, 0},
    {"rgb-tiled-deflate", {.photometric = PRGB, .compression = C_ZIP, .tile = 48, RES}, 32, "rgb",
     "deflate", NULL, 0},
    {"rgb-tiled-separate", {.photometric = PRGB, .planar = SEP, .tile = 32, RES}, 32, "rgb",
     "none", NULL, 0},
    {"rgba-unassoc", {.photometric = PRGB, .extra = EXTRASAMPLE_UNASSALPHA, RES}, 32, "rgb",
     "none", "alpha channel removed", 0},
    {"rgba-assoc-lzw",
     {.photometric = PRGB, .compression = C_LZW, .extra = EXTRASAMPLE_ASSOCALPHA, RES}, 32, "rgb",
     "lzw", "alpha channel removed", 0},
    {"rgb-extra-unspecified", {.photometric = PRGB, .extra_unspecified = true, RES}, 32,
     "rgb", "none", "extra sample(s) ignored", 0},
    /* palette */
    {"palette8-lzw", {.photometric = PPAL, .compression = C_LZW, RES}, 32, "rgb", "lzw",
     "palette converted to rgb", 0},
    {"palette4", {.bps = 4, .photometric = PPAL, RES}, 32, "rgb", "none",
     "palette converted to rgb", 0},
    {"palette1-grey", {.bps = 1, .photometric = PPAL, RES}, 8, "grey", "none",
     "palette converted to grey", 0},
    /* CMYK */
    {"cmyk", {.photometric = PSEP, RES}, 32, "rgb", "none", "cmyk converted to rgb", 0},
    {"cmyk-separate-lzw", {.photometric = PSEP, .compression = C_LZW, .planar = SEP, RES}, 32,
     "rgb", "lzw", "cmyk", 0},
    {"cmyk16", {.bps = 16, .photometric = PSEP, RES}, 32, "rgb", "none", "cmyk", 0},
};

static void check_case(const tcase *c)
{
    char file[128];
    snprintf(file, sizeof file, "%s.tif", c->name);
    const char *path = tmp(file);
    if (write_tiff(path, c->spec) != 0) {
        CHECKF(0, "%s: could not write the test file", c->name);
        return;
    }
    tiff_spec s = c->spec;
    spec_defaults(&s);
    lr_error err;
    lr_source *src = NULL;
    char sha[LR_SHA256_HEX_LEN + 1], want[LR_SHA256_HEX_LEN + 1];
    int rc = lr_image_open(path, NULL, &src, sha, &err);
    CHECKF(rc == 0, "%s: open: %s: %s", c->name, err.message, err.detail);
    if (rc)
        return;
    CHECK(lr_digest_file(path, want, NULL, NULL) == 0 && strcmp(sha, want) == 0);
    CHECK(strcmp(lr_source_sha256(src), want) == 0);
    CHECKF(lr_source_page_count(src) == 1, "%s", c->name);
    CHECK(strcmp(lr_source_format(src), "tiff") == 0);

    PIX *pix = NULL;
    lr_page_info info;
    rc = lr_image_read_page(src, 1, &pix, &info, &err);
    CHECKF(rc == 0 && pix, "%s: read: %s: %s", c->name, err.message, err.detail);
    if (rc == 0 && pix) {
        CHECKF(pixGetDepth(pix) == c->depth, "%s: depth %d", c->name, pixGetDepth(pix));
        CHECK(info.depth == c->depth);
        CHECK(pixGetColormap(pix) == NULL);
        CHECKF(strcmp(info.colour, c->colour) == 0, "%s: colour %s", c->name, info.colour);
        CHECKF(strcmp(info.compression, c->compression) == 0, "%s: compression %s", c->name,
               info.compression);
        CHECK(info.page == 1);
        CHECK(info.width == (int)s.width && info.height == (int)s.height);
        CHECK(pixGetWidth(pix) == (int)s.width && pixGetHeight(pix) == (int)s.height);
        CHECK(info.bits_per_sample == s.bps);
        CHECK(info.samples_per_pixel ==
              spec_colour_samples(&s) + (s.extra || s.extra_unspecified ? 1 : 0));
        CHECK(info.dpi_x == 300 && info.dpi_y == 300 && !info.dpi_assumed);
        CHECK(pixGetXRes(pix) == 300 && pixGetYRes(pix) == 300);
        if (c->warning)
            CHECKF(strstr(info.warning, c->warning) != NULL, "%s: warning \"%s\"", c->name,
                   info.warning);
        else
            CHECKF(info.warning[0] == '\0', "%s: unexpected warning \"%s\"", c->name,
                   info.warning);
        bool colour = spec_is_colour(&s);
        int x = (SQ_X0 + SQ_X1) / 2, y = (SQ_Y0 + SQ_Y1) / 2;
        CHECKF(is_black(pix, x, y, c->tol), "%s: square not black", c->name);
        CHECKF(is_white(pix, (int)s.width - 1, (int)s.height - 1, c->tol),
               "%s: background not white", c->name);
        CHECKF(is_white(pix, SQ_X0 - 3, y, c->tol), "%s: left of square not white", c->name);
        if (colour)
            CHECKF(is_red(pix, (RED_X0 + RED_X1) / 2, (RED_Y0 + RED_Y1) / 2, c->tol),
                   "%s: red square not red", c->name);
        if (s.extra == EXTRASAMPLE_ASSOCALPHA || s.extra == EXTRASAMPLE_UNASSALPHA)
            CHECKF(is_white(pix, (CLEAR_X0 + CLEAR_X1) / 2, (CLEAR_Y0 + CLEAR_Y1) / 2, 0),
                   "%s: transparent patch not composited over white", c->name);
        if (c->tol == 0) {
            long wrong = count_wrong(pix, colour,
                                     s.extra == EXTRASAMPLE_ASSOCALPHA ||
                                         s.extra == EXTRASAMPLE_UNASSALPHA,
                                     0);
            CHECKF(wrong == 0, "%s: %ld pixels differ from the picture", c->name, wrong);
        }
        if (c->depth == 1) { /* pad bits must be clear for Leptonica's counters */
            l_int32 count = 0;
            pixCountPixels(pix, &count, NULL);
            CHECKF(count == (SQ_X1 - SQ_X0) * (SQ_Y1 - SQ_Y0), "%s: %d black pixels", c->name,
                   count);
        }
    }
    pixDestroy(&pix);
    lr_image_close(&src);
    CHECK(src == NULL);
}

/* Orientation tags: the picture is stored as written and must come back turned. */
static void check_orientation(void)
{
    static const struct {
        uint16_t tag;
        const char *name;
    } o[] = {{ORIENTATION_TOPRIGHT, "flip-lr"},  {ORIENTATION_BOTRIGHT, "rot180"},
             {ORIENTATION_BOTLEFT, "flip-tb"},   {ORIENTATION_LEFTTOP, "transpose"},
             {ORIENTATION_RIGHTTOP, "rot90cw"},  {ORIENTATION_RIGHTBOT, "transverse"},
             {ORIENTATION_LEFTBOT, "rot90ccw"}};
    const int w = 128, h = 96;
    /* stored (x, y) of the square's centre */
    const int sx = (SQ_X0 + SQ_X1) / 2, sy = (SQ_Y0 + SQ_Y1) / 2;
    for (size_t i = 0; i < sizeof o / sizeof o[0]; i++) {
        char file[64];
        snprintf(file, sizeof file, "orient-%s.tif", o[i].name);
        const char *path = tmp(file);
        tiff_spec s = {.bps = 1, .photometric = PMW, .compression = C_G4, .orientation = o[i].tag,
                       .xres = 300, .yres = 200};
        if (write_tiff(path, s)) {
            CHECK(0);
            continue;
        }
        lr_source *src = NULL;
        lr_error err;
        PIX *pix = NULL;
        lr_page_info info;
        CHECK(lr_image_open(path, NULL, &src, NULL, &err) == 0);
        CHECKF(lr_image_read_page(src, 1, &pix, &info, &err) == 0, "%s: %s", o[i].name,
               err.message);
        if (pix) {
            /* expected visual position: the row-0/col-0 sides named by the tag */
            int vx = sx, vy = sy;
            bool swap = o[i].tag >= ORIENTATION_LEFTTOP;
            switch (o[i].tag) {
            case ORIENTATION_TOPRIGHT: vx = w - 1 - sx; break;
            case ORIENTATION_BOTRIGHT: vx = w - 1 - sx; vy = h - 1 - sy; break;
            case ORIENTATION_BOTLEFT: vy = h - 1 - sy; break;
            case ORIENTATION_LEFTTOP: vx = sy; vy = sx; break;
            case ORIENTATION_RIGHTTOP: vx = h - 1 - sy; vy = sx; break;
            case ORIENTATION_RIGHTBOT: vx = h - 1 - sy; vy = w - 1 - sx; break;
            case ORIENTATION_LEFTBOT: vx = sy; vy = w - 1 - sx; break;
            }
            CHECKF(pixGetWidth(pix) == (swap ? h : w) && pixGetHeight(pix) == (swap ? w : h),
                   "%s: %dx%d", o[i].name, pixGetWidth(pix), pixGetHeight(pix));
            CHECKF(is_black(pix, vx, vy, 0), "%s: square not at (%d, %d)", o[i].name, vx, vy);
            l_int32 count = 0;
            pixCountPixels(pix, &count, NULL);
            CHECK(count == (SQ_X1 - SQ_X0) * (SQ_Y1 - SQ_Y0));
            /* declared size stays as declared; the dpi follow the axes */
            CHECK(info.width == w && info.height == h);
            CHECKF(info.dpi_x == (swap ? 200 : 300) && info.dpi_y == (swap ? 300 : 200),
                   "%s: dpi %d %d", o[i].name, info.dpi_x, info.dpi_y);
            CHECK(pixGetXRes(pix) == info.dpi_x && pixGetYRes(pix) == info.dpi_y);
        }
        pixDestroy(&pix);
        lr_image_close(&src);
    }
}

static void check_dpi(void)
{
    static const struct {
        const char *name;
        float xres, yres;
        uint16_t unit;
        int dpi_x, dpi_y;
        bool assumed;
        const char *warning;
    } d[] = {
        {"none", 0, 0, 0, 300, 300, true, "no resolution"},
        {"absurd-1", 1, 1, RESUNIT_INCH, 300, 300, true, "absurd resolution"},
        {"absurd-huge", 100000, 100000, RESUNIT_INCH, 300, 300, true, "absurd"},
        {"absurd-low", 49, 49, RESUNIT_INCH, 300, 300, true, "absurd"},
        {"edge-low", 50, 50, RESUNIT_INCH, 50, 50, false, NULL},
        {"edge-high", 2400, 2400, RESUNIT_INCH, 2400, 2400, false, NULL},
        {"inch-400", 400, 400, RESUNIT_INCH, 400, 400, false, NULL},
        {"anisotropic", 200, 100, RESUNIT_INCH, 200, 100, false, NULL},
        {"cm", 118.11f, 118.11f, RESUNIT_CENTIMETER, 300, 300, false, NULL},
        {"unit-none", 1, 1, RESUNIT_NONE, 300, 300, true, "unit is \"none\""},
        {"x-only", 600, 0, RESUNIT_INCH, 600, 600, false, "vertical resolution missing"},
        {"y-absurd", 600, 3, RESUNIT_INCH, 600, 600, false, "vertical resolution"},
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        char file[64];
        snprintf(file, sizeof file, "dpi-%s.tif", d[i].name);
        const char *path = tmp(file);
        tiff_spec s = {.photometric = PMB, .compression = C_LZW, .xres = d[i].xres,
                       .yres = d[i].yres, .resunit = d[i].unit};
        if (write_tiff(path, s)) {
            CHECK(0);
            continue;
        }
        lr_source *src = NULL;
        lr_error err;
        PIX *pix = NULL;
        lr_page_info info;
        CHECK(lr_image_open(path, NULL, &src, NULL, &err) == 0);
        CHECK(lr_image_read_page(src, 1, &pix, &info, &err) == 0);
        CHECKF(info.dpi_x == d[i].dpi_x && info.dpi_y == d[i].dpi_y, "%s: %d × %d", d[i].name,
               info.dpi_x, info.dpi_y);
        CHECKF(info.dpi_assumed == d[i].assumed, "%s", d[i].name);
        if (d[i].warning)
            CHECKF(strstr(info.warning, d[i].warning) != NULL, "%s: warning \"%s\"", d[i].name,
                   info.warning);
        else
            CHECKF(info.warning[0] == '\0', "%s: warning \"%s\"", d[i].name, info.warning);
        CHECK(pix && pixGetXRes(pix) == d[i].dpi_x && pixGetYRes(pix) == d[i].dpi_y);
        pixDestroy(&pix);
        lr_image_close(&src);
    }
}

/* Valid TIFF of a kind we refuse: open succeeds (the file is fine), the page fails. */
static void check_unsupported(void)
{
    static const struct {
        const char *name;
        tiff_spec spec;
        const char *message;
    } u[] = {
        {"cielab", {.photometric = PHOTOMETRIC_CIELAB, .xres = 300, .yres = 300}, "cielab"},
        {"ycbcr-none", {.photometric = PHOTOMETRIC_YCBCR, .xres = 300, .yres = 300}, "ycbcr"},
        {"float", {.bps = 16, .photometric = PMB, .sampleformat = SAMPLEFORMAT_IEEEFP},
         "floating-point"},
        {"signed", {.photometric = PMB, .sampleformat = SAMPLEFORMAT_INT}, "signed"},
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        char file[64];
        snprintf(file, sizeof file, "unsupported-%s.tif", u[i].name);
        const char *path = tmp(file);
        if (write_tiff(path, u[i].spec)) {
            CHECKF(0, "%s: could not write", u[i].name);
            continue;
        }
        lr_source *src = NULL;
        lr_error err;
        PIX *pix = NULL;
        lr_page_info info;
        CHECK(lr_image_open(path, NULL, &src, NULL, &err) == 0);
        int rc = lr_image_read_page(src, 1, &pix, &info, &err);
        CHECKF(rc == LR_ERR_UNSUPPORTED, "%s: rc %d (%s)", u[i].name, rc, lr_status_name(rc));
        CHECK(err.code == LR_ERR_UNSUPPORTED && pix == NULL);
        CHECKF(strstr(err.message, u[i].message) != NULL, "%s: \"%s\"", u[i].name, err.message);
        CHECK(strcmp(lr_status_name(err.code), "unsupported") == 0);
        CHECK(info.width == 128 && info.height == 96); /* the header was read */
        lr_image_close(&src);
    }
}

int main(void)
{
    lr_log_route_leptonica();
    util_init("image-tiff");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
    check_orientation();
    check_dpi();
    check_unsupported();
    return lr_test_finish("test_tiff");
}
