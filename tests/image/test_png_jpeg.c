/* test_png_jpeg.c — PNG and JPEG sources, written at run time with Leptonica's writers:
 * bitonal, grey (2/4/8/16-bit), RGB, RGBA, palette; resolution present, absurd or missing;
 * truncated files; a header declaring a huge size; a grey PNG with a tRNS colour key. A CMYK
 * JPEG is made with ImageMagick when it is installed (Leptonica cannot write one). */
#include "image_util.h"
#include "landrec/log.h"

/* The picture at depth d (1, 2, 4, 8, 16 or 32); colour adds the red square (32 bpp or a
 * colormap), alpha adds the transparent patch (32 bpp, spp 4). */
static PIX *make_picture(int d, bool colour, bool alpha, bool cmap)
{
    const int w = 128, h = 96;
    PIX *pix = pixCreate(w, h, d);
    PIXCMAP *cm = NULL;
    if (cmap) {
        cm = pixcmapCreate(d);
        pixcmapAddColor(cm, 255, 255, 255);
        pixcmapAddColor(cm, 0, 0, 0);
        if (colour)
            pixcmapAddColor(cm, 255, 0, 0);
        pixSetColormap(pix, cm);
    }
    if (alpha)
        pixSetSpp(pix, 4);
    l_uint32 maxv = d == 32 ? 0 : (l_uint32)((1ull << d) - 1);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            visual v = picture_at((uint32_t)x, (uint32_t)y, colour, alpha);
            l_uint32 val;
            if (cmap)
                val = v == V_BLACK || v == V_CLEAR ? 1 : v == V_RED ? 2 : 0;
            else if (d == 1)
                val = v == V_BLACK || v == V_CLEAR ? 1 : 0;
            else if (d < 32)
                val = v == V_BLACK || v == V_CLEAR ? 0 : maxv;
            else {
                l_uint32 a = v == V_CLEAR ? 0 : 255;
                l_int32 r = v == V_WHITE || v == V_RED ? 255 : 0;
                l_int32 gb = v == V_WHITE ? 255 : 0;
                composeRGBAPixel(r, gb, gb, (l_int32)a, &val);
            }
            pixSetPixel(pix, x, y, val);
        }
    return pix;
}

typedef struct pcase {
    const char *name;
    int d;
    bool colour, alpha, cmap;
    int res;           /* written resolution, 0 for none */
    bool jpeg;
    int depth;         /* expected */
    const char *colour_name;
    const char *warning; /* substring expected (besides any dpi warning), or NULL */
    int dpi;
    bool assumed;
    int tol;
} pcase;

static const pcase cases[] = {
    {"png-1bit", 1, false, false, false, 300, false, 1, "bitonal", NULL, 300, false, 0},
    {"png-grey2", 2, false, false, false, 300, false, 8, "grey", NULL, 300, false, 0},
    {"png-grey4", 4, false, false, false, 300, false, 8, "grey", NULL, 300, false, 0},
    {"png-grey8", 8, false, false, false, 400, false, 8, "grey", NULL, 400, false, 0},
    {"png-grey16", 16, false, false, false, 300, false, 8, "grey", "16-bit samples reduced", 300,
     false, 0},
    {"png-rgb", 32, true, false, false, 600, false, 32, "rgb", NULL, 600, false, 0},
    {"png-rgba", 32, true, true, false, 300, false, 32, "rgb", "alpha channel removed", 300,
     false, 0},
    {"png-palette", 8, true, false, true, 300, false, 32, "rgb", "palette converted to rgb", 300,
     false, 0},
    {"png-palette-grey", 2, false, false, true, 300, false, 8, "grey",
     "palette converted to grey", 300, false, 0},
    {"png-no-res", 8, false, false, false, 0, false, 8, "grey", "no resolution", 300, true, 0},
    {"png-absurd-res", 8, false, false, false, 5000, false, 8, "grey", "absurd resolution", 300,
     true, 0},
    {"jpeg-grey", 8, false, false, false, 300, true, 8, "grey", NULL, 300, false, 24},
    {"jpeg-rgb", 32, true, false, false, 200, true, 32, "rgb", NULL, 200, false, 48},
    {"jpeg-no-res", 8, false, false, false, 0, true, 8, "grey", "no resolution", 300, true, 24},
};

static void check_case(const pcase *c)
{
    char file[64];
    snprintf(file, sizeof file, "%s.%s", c->name, c->jpeg ? "jpg" : "png");
    const char *path = tmp(file);
    PIX *pix0 = make_picture(c->d, c->colour, c->alpha, c->cmap);
    pixSetResolution(pix0, c->res, c->res);
    int wrc = c->jpeg ? pixWriteJpeg(path, pix0, 95, 0) : pixWritePng(path, pix0, 0.0);
    pixDestroy(&pix0);
    if (wrc) {
        CHECKF(0, "%s: could not write", c->name);
        return;
    }
    lr_source *src = NULL;
    lr_error err;
    char sha[LR_SHA256_HEX_LEN + 1], want[LR_SHA256_HEX_LEN + 1];
    int rc = lr_image_open(path, NULL, &src, sha, &err);
    CHECKF(rc == 0, "%s: open: %s: %s", c->name, err.message, err.detail);
    if (rc)
        return;
    CHECK(lr_digest_file(path, want, NULL, NULL) == 0 && strcmp(sha, want) == 0);
    CHECK(lr_source_page_count(src) == 1 && lr_image_count_pages(path) == 1);
    CHECK(strcmp(lr_source_format(src), c->jpeg ? "jpeg" : "png") == 0);
    PIX *pix = NULL;
    lr_page_info info;
    rc = lr_image_read_page(src, 1, &pix, &info, &err);
    CHECKF(lr_source_pixels(src) == (int64_t)info.width * info.height, "%s: %lld pixels",
           c->name, (long long)lr_source_pixels(src));
    CHECKF(rc == 0 && pix, "%s: read: %s: %s", c->name, err.message, err.detail);
    if (pix) {
        CHECKF(pixGetDepth(pix) == c->depth && info.depth == c->depth, "%s: depth %d",
               c->name, pixGetDepth(pix));
        CHECK(pixGetColormap(pix) == NULL);
        CHECK(pixGetDepth(pix) != 32 || pixGetSpp(pix) == 3);
        CHECKF(strcmp(info.colour, c->colour_name) == 0, "%s: colour %s", c->name, info.colour);
        CHECK(strcmp(info.compression, c->jpeg ? "jpeg" : "png") == 0);
        CHECK(info.width == 128 && info.height == 96 && info.page == 1);
        CHECKF(info.dpi_x == c->dpi && info.dpi_y == c->dpi && info.dpi_assumed == c->assumed,
               "%s: dpi %d assumed %d", c->name, info.dpi_x, info.dpi_assumed);
        CHECK(pixGetXRes(pix) == c->dpi);
        if (c->warning)
            CHECKF(strstr(info.warning, c->warning) != NULL, "%s: warning \"%s\"", c->name,
                   info.warning);
        else
            CHECKF(info.warning[0] == '\0', "%s: warning \"%s\"", c->name, info.warning);
        CHECKF(is_black(pix, (SQ_X0 + SQ_X1) / 2, (SQ_Y0 + SQ_Y1) / 2, c->tol),
               "%s: square not black", c->name);
        CHECKF(is_white(pix, 120, 90, c->tol), "%s: background not white", c->name);
        if (c->colour)
            CHECKF(is_red(pix, (RED_X0 + RED_X1) / 2, (RED_Y0 + RED_Y1) / 2, c->tol),
                   "%s: red square not red", c->name);
        if (c->alpha)
            CHECKF(is_white(pix, (CLEAR_X0 + CLEAR_X1) / 2, (CLEAR_Y0 + CLEAR_Y1) / 2, 0),
                   "%s: transparent patch not white", c->name);
        if (c->tol == 0) {
            long wrong = count_wrong(pix, c->colour, c->alpha, 0);
            CHECKF(wrong == 0, "%s: %ld pixels differ", c->name, wrong);
        }
    }
    pixDestroy(&pix);
    lr_image_close(&src);
}

static void check_damaged(void)
{
    /* a PNG and a JPEG cut short: corrupt, found at open before any decoder runs (libpng and
     * libjpeg would print to stderr) */
    PIX *pix0 = make_picture(32, true, false, false);
    pixSetResolution(pix0, 300, 300);
    /* noise, so that the files are long enough to cut */
    for (int y = 0; y < 96; y += 2)
        for (int x = 0; x < 128; x += 3)
            pixSetPixel(pix0, x, y, (l_uint32)(x * 2654435761u ^ y * 40503u) & 0xffffff00u);
    const char *png = tmp("truncated.png"), *jpg = tmp("truncated.jpg");
    CHECK(pixWritePng(png, pix0, 0.0) == 0 && pixWriteJpeg(jpg, pix0, 90, 0) == 0);
    pixDestroy(&pix0);
    const char *paths[2] = {png, jpg};
    const char *names[2] = {"png", "jpeg"};
    for (int i = 0; i < 2; i++) {
        struct stat st;
        stat(paths[i], &st);
        CHECK(truncate(paths[i], st.st_size * 2 / 3) == 0);
        lr_source *src = NULL;
        lr_error err;
        char sha[LR_SHA256_HEX_LEN + 1], want[LR_SHA256_HEX_LEN + 1];
        int rc = lr_image_open(paths[i], NULL, &src, sha, &err);
        CHECKF(rc == LR_ERR_CORRUPT, "%s: rc %d", names[i], rc);
        CHECKF(strstr(err.message, "ends early") != NULL, "%s: \"%s\"", names[i], err.message);
        CHECKF(strstr(err.detail, "bytes") != NULL, "%s: detail \"%s\"", names[i], err.detail);
        CHECK(src == NULL);
        lr_digest_file(paths[i], want, NULL, NULL);
        CHECK(strcmp(sha, want) == 0);
    }

    /* a PNG header declaring 200000 × 200000 (the IHDR checksum is not even consulted) */
    const char *huge = tmp("huge.png");
    pix0 = make_picture(1, false, false, false);
    CHECK(pixWritePng(huge, pix0, 0.0) == 0);
    pixDestroy(&pix0);
    size_t n;
    unsigned char *b = read_all(huge, &n);
    if (b && n > 24) {
        const unsigned char big[4] = {0x00, 0x03, 0x0d, 0x40}; /* 200000 */
        memcpy(b + 16, big, 4);
        memcpy(b + 20, big, 4);
        write_bytes(huge, b, n);
    }
    free(b);
    lr_source *src = NULL;
    lr_error err;
    PIX *pix = NULL;
    lr_page_info info;
    CHECK(lr_image_open(huge, NULL, &src, NULL, &err) == 0);
    CHECK(lr_image_read_page(src, 1, &pix, &info, &err) == LR_ERR_TOO_LARGE && pix == NULL);
    CHECKF(strstr(err.detail, "200000 × 200000") != NULL, "detail \"%s\"", err.detail);
    CHECK(info.width == 200000 && info.height == 200000);
    lr_image_close(&src);

    /* lowered limits on a JPEG */
    lr_image_limits lim = {.max_pixels = 100, .max_side = 1000, .max_file_bytes = 1 << 30};
    const char *small = tmp("jpeg-grey.jpg");
    CHECK(lr_image_open(small, &lim, &src, NULL, &err) == 0);
    CHECK(lr_image_read_page(src, 1, &pix, &info, &err) == LR_ERR_TOO_LARGE);
    lr_image_close(&src);
}

/* CMYK JPEG: Leptonica converts it (Adobe-inverted or not); needs ImageMagick to make one. */
static void check_cmyk_jpeg(void)
{
    const char *path = tmp("cmyk.jpg");
    char cmd[1600];
    snprintf(cmd, sizeof cmd,
             "convert -size 128x96 xc:white -fill black -draw 'rectangle 16,8 47,39' "
             "-fill red -draw 'rectangle 64,8 95,39' -colorspace CMYK -density 300 "
             "-units PixelsPerInch '%s' 2>/dev/null",
             path);
    if (system(cmd) != 0) {
        printf("ImageMagick's convert is not available: the CMYK JPEG check is skipped\n");
        return;
    }
    lr_source *src = NULL;
    lr_error err;
    PIX *pix = NULL;
    lr_page_info info;
    CHECK(lr_image_open(path, NULL, &src, NULL, &err) == 0);
    int rc = lr_image_read_page(src, 1, &pix, &info, &err);
    CHECKF(rc == 0 && pix, "cmyk jpeg: %s: %s", err.message, err.detail);
    if (pix) {
        CHECK(pixGetDepth(pix) == 32 && strcmp(info.colour, "rgb") == 0);
        CHECK(strcmp(info.photometric, "cmyk") == 0 && info.samples_per_pixel == 4);
        CHECKF(strstr(info.warning, "cmyk converted to rgb") != NULL, "warning \"%s\"",
               info.warning);
        CHECK(is_black(pix, 32, 24, 40));
        CHECK(is_red(pix, 80, 24, 40));
        CHECK(is_white(pix, 120, 90, 24));
    }
    pixDestroy(&pix);
    lr_image_close(&src);
}

static uint32_t png_crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

/* A grey PNG with a tRNS colour key (black transparent): the key is ignored and the page read
 * as it is, not turned into a transparent, then white, page. */
static void check_grey_colour_key(void)
{
    PIX *pix0 = make_picture(8, false, false, false);
    char path[1200];
    snprintf(path, sizeof path, "%s", tmp("grey-trns.png"));
    CHECK(pixWritePng(path, pix0, 0.0) == 0);
    pixDestroy(&pix0);
    size_t n;
    unsigned char *b = read_all(path, &n);
    CHECK(b && n > 33);
    if (!b || n <= 33)
        return;
    /* after the signature (8) and IHDR (25): tRNS with grey value 0 */
    unsigned char chunk[14] = {0, 0, 0, 2, 't', 'R', 'N', 'S', 0, 0};
    uint32_t crc = png_crc(chunk + 4, 6);
    chunk[10] = (unsigned char)(crc >> 24);
    chunk[11] = (unsigned char)(crc >> 16);
    chunk[12] = (unsigned char)(crc >> 8);
    chunk[13] = (unsigned char)crc;
    unsigned char *out = malloc(n + sizeof chunk);
    memcpy(out, b, 33);
    memcpy(out + 33, chunk, sizeof chunk);
    memcpy(out + 33 + sizeof chunk, b + 33, n - 33);
    write_bytes(path, out, n + sizeof chunk);
    free(out);
    free(b);
    lr_source *src = NULL;
    lr_error err;
    PIX *pix = NULL;
    lr_page_info info;
    int rc = lr_image_open(path, NULL, &src, NULL, &err);
    if (rc == 0)
        rc = lr_image_read_page(src, 1, &pix, &info, &err);
    CHECKF(rc == 0 && pix, "grey tRNS: %s: %s", err.message, err.detail);
    if (pix) {
        CHECKF(pixGetDepth(pix) == 8 && strcmp(info.colour, "grey") == 0, "depth %d, %s",
               pixGetDepth(pix), info.colour);
        CHECK(is_black(pix, 32, 24, 0));
        CHECK(is_white(pix, 120, 90, 0));
        CHECKF(count_wrong(pix, false, false, 0) == 0, "%ld pixels wrong",
               count_wrong(pix, false, false, 0));
    }
    pixDestroy(&pix);
    lr_image_close(&src);
}

int main(void)
{
    lr_log_route_leptonica();
    util_init("image-png-jpeg");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
    check_damaged();
    check_cmyk_jpeg();
    check_grey_colour_key();
    return lr_test_finish("test_png_jpeg");
}
