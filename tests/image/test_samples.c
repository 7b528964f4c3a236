/* test_samples.c — the committed sample scans (testdata/pages, see testdata/README.md): page
 * counts, header fields, the dpi fallback on two-pages-deflate.tif (1-dpi tags), checksums,
 * and the decoded pixels compared with Leptonica's own pixReadTiff as an independent reader
 * (the samples have no alpha channel: OCRmyPDF, the benchmark's peer, refuses one). */

#include "image_util.h"
#include "landrec/clock.h"
#include "landrec/log.h"

typedef struct sample {
    const char *file;
    int pages;
    int width, height, bps, spp;
    const char *photometric, *compression, *colour;
    int depth;
    bool dpi_assumed;
    const char *warning; /* substring, or NULL for none */
} sample;

static const sample samples[] = {
    {"ledger-a-bitonal-g4.tif", 1, 1748, 2480, 1, 1, "min-is-white", "g4", "bitonal", 1, false,
     NULL},
    {"ledger-b-grey-lzw.tif", 1, 1748, 2480, 8, 1, "min-is-black", "lzw", "grey", 8, false,
     NULL},
    {"ledger-a-colour-jpeg-rot90.tif", 1, 2480, 1748, 8, 3, "rgb", "jpeg", "rgb", 32, false,
     NULL},
    {"two-pages-deflate.tif", 2, 1748, 2480, 1, 1, "min-is-black", "deflate", "bitonal", 1, true,
     "absurd resolution 1 × 1 dpi: 300 dpi assumed"},
};

/* Leptonica's reading of the page brought to our normal form, for comparison. */
static PIX *reference(const char *path, int page, int depth)
{
    PIX *ref = pixReadTiff(path, page - 1);
    if (!ref)
        return NULL;
    PIX *out = NULL;
    if (depth == 8 && pixGetDepth(ref) == 32) /* grey+alpha comes back as RGBA */
        out = pixGetRGBComponent(ref, COLOR_RED);
    else if (depth == 32) {
        out = pixCopy(NULL, ref);
        pixSetSpp(out, 3);
    } else
        out = pixClone(ref);
    pixDestroy(&ref);
    return out;
}

static void check_sample(const sample *s)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/pages/%s", lr_test_data_dir(), s->file);
    if (access(path, R_OK) != 0) {
        CHECKF(0, "%s: sample missing", path);
        return;
    }
    CHECK(lr_image_count_pages(path) == s->pages);
    lr_source *src = NULL;
    lr_error err;
    char sha[LR_SHA256_HEX_LEN + 1], want[LR_SHA256_HEX_LEN + 1];
    int rc = lr_image_open(path, NULL, &src, sha, &err);
    CHECKF(rc == 0, "%s: %s: %s", s->file, err.message, err.detail);
    if (rc)
        return;
    int64_t size = 0;
    CHECK(lr_digest_file(path, want, &size, NULL) == 0 && strcmp(sha, want) == 0);
    CHECK(lr_source_size(src) == size && strcmp(lr_source_format(src), "tiff") == 0);
    CHECKF(lr_source_page_count(src) == s->pages, "%s: %d pages", s->file,
           lr_source_page_count(src));
    CHECK(lr_source_warning(src)[0] == '\0');

    for (int p = 1; p <= s->pages; p++) {
        PIX *pix = NULL;
        lr_page_info info;
        double t0 = lr_clock_ms();
        rc = lr_image_read_page(src, p, &pix, &info, &err);
        double ms = lr_clock_ms() - t0;
        CHECKF(rc == 0 && pix, "%s p%d: %s: %s", s->file, p, err.message, err.detail);
        if (!pix)
            continue;
        if (p == 1)
            CHECKF(lr_source_pixels(src) == (int64_t)info.width * info.height * s->pages,
                   "%s: %lld pixels declared", s->file, (long long)lr_source_pixels(src));
        printf("%s page %d: %d × %d %s, decoded in %.1f ms\n", s->file, p, info.width,
               info.height, info.colour, ms);
        CHECK(info.page == p);
        CHECK(info.width == s->width && info.height == s->height);
        CHECK(pixGetWidth(pix) == s->width && pixGetHeight(pix) == s->height);
        CHECK(info.bits_per_sample == s->bps && info.samples_per_pixel == s->spp);
        CHECKF(strcmp(info.photometric, s->photometric) == 0, "%s: %s", s->file,
               info.photometric);
        CHECK(strcmp(info.compression, s->compression) == 0);
        CHECK(strcmp(info.colour, s->colour) == 0);
        CHECK(info.depth == s->depth && pixGetDepth(pix) == s->depth);
        CHECK(info.dpi_x == 300 && info.dpi_y == 300 && info.dpi_assumed == s->dpi_assumed);
        CHECK(pixGetXRes(pix) == 300 && pixGetYRes(pix) == 300);
        if (s->warning)
            CHECKF(strstr(info.warning, s->warning) != NULL, "%s: warning \"%s\"", s->file,
                   info.warning);
        else
            CHECKF(info.warning[0] == '\0', "%s: warning \"%s\"", s->file, info.warning);

        PIX *ref = reference(path, p, s->depth);
        l_int32 same = 0;
        CHECK(ref && pixEqual(pix, ref, &same) == 0);
        CHECKF(same, "%s page %d differs from Leptonica's reading", s->file, p);
        pixDestroy(&ref);

        if (s->depth == 1) {
            /* text on paper: a little black on much white (an inverted min-is-black page
             * would be mostly black) */
            l_int32 black = 0;
            pixCountPixels(pix, &black, NULL);
            double frac = (double)black / ((double)s->width * s->height);
            CHECKF(frac > 0.005 && frac < 0.3, "%s p%d: %.3f black", s->file, p, frac);
        } else if (s->depth == 32) {
            /* the red stamp */
            long red = 0;
            for (int y = 0; y < s->height; y += 2)
                for (int x = 0; x < s->width; x += 2) {
                    int r, g, b;
                    probe(pix, x, y, &r, &g, &b);
                    if (r > 150 && g < 110 && b < 110)
                        red++;
                }
            CHECKF(red > 100, "%s: %ld red pixels", s->file, red);
        } else {
            l_float32 mean = 0;
            pixGetAverageMasked(pix, NULL, 0, 0, 1, L_MEAN_ABSVAL, &mean);
            CHECKF(mean > 150, "%s: mean grey %.1f", s->file, (double)mean);
        }
        pixDestroy(&pix);
    }
    lr_image_close(&src);
}

int main(void)
{
    lr_log_route_leptonica();
    util_init("image-samples");
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        check_sample(&samples[i]);
    return lr_test_finish("test_samples");
}
