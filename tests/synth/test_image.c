/* test_image.c — the images of landrec-synth against their truth, read through landrec's own
 * ingest (lr_image_*), so the sheets are known to be readable by the pipeline:
 *   size, resolution, colour and page count as the truth says (multi-page files included,
 *   with one truth file per page listed in the manifest);
 *   the skew as recorded: measured with lr_enhance_find_skew on clean sheets within 0.2°;
 *   the orientation as recorded: each page turned back clockwise by its orientation is, pixel
 *   for pixel, the page made with the same seed without --orient (whose truth is otherwise
 *   identical);
 *   every degradation parameter changes the pixels, alone, and is recorded as given;
 *   the committed samples in testdata/synth/ match their truth. */
#include <leptonica/allheaders.h>
#include <math.h>

#include "landrec/enhance.h"
#include "landrec/image.h"
#include "synth_test.h"

static const char *exe;

static PIX *read_page(const char *dir, const char *image, int page, lr_page_info *info)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, image);
    lr_source *src = NULL;
    lr_error err;
    lr_error_clear(&err);
    PIX *pix = NULL;
    if (lr_image_open(path, NULL, &src, NULL, &err) < 0) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return NULL;
    }
    if (lr_image_read_page(src, page, &pix, info, &err) < 0)
        fprintf(stderr, "%s page %d: %s\n", path, page, err.message);
    lr_image_close(&src);
    return pix;
}

static int page_count(const char *dir, const char *image)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, image);
    lr_source *src = NULL;
    if (lr_image_open(path, NULL, &src, NULL, NULL) < 0)
        return -1;
    int n = lr_source_page_count(src);
    lr_image_close(&src);
    return n;
}

/* Size, dpi, colour and pages of every page of a corpus. */
static void check_pages(const char *dir)
{
    json_t *man = synth_manifest(dir);
    CHECKF(man && json_array_size(man) > 0, "%s: no manifest", dir);
    size_t i;
    json_t *line;
    int multi = 0;
    json_array_foreach(man, i, line) {
        json_t *t = synth_truth(dir, line);
        CHECK(t != NULL);
        if (!t)
            continue;
        const char *image = jstr(t, "image");
        int page = (int)json_integer_value(json_object_get(t, "page"));
        int pages = (int)json_integer_value(json_object_get(t, "pages"));
        CHECKF(page_count(dir, image) == pages, "%s: %d pages, truth says %d", image,
               page_count(dir, image), pages);
        if (pages > 1)
            multi++;
        lr_page_info info;
        memset(&info, 0, sizeof info);
        PIX *pix = read_page(dir, image, page, &info);
        CHECKF(pix != NULL, "%s page %d unreadable", image, page);
        if (pix) {
            CHECKF((int)pixGetWidth(pix) == json_integer_value(json_object_get(t, "width")) &&
                       (int)pixGetHeight(pix) == json_integer_value(json_object_get(t, "height")),
                   "%s page %d: size %dx%d", image, page, pixGetWidth(pix), pixGetHeight(pix));
            CHECKF(info.dpi_x == json_integer_value(json_object_get(t, "dpi")) && !info.dpi_assumed,
                   "%s page %d: %d dpi", image, page, info.dpi_x);
            CHECKF(strcmp(info.colour, jstr(t, "colour")) == 0, "%s page %d: colour %s, truth %s",
                   image, page, info.colour, jstr(t, "colour"));
        }
        pixDestroy(&pix);
        json_decref(t);
    }
    json_decref(man);
    (void)multi;
}

/* Multi-page files: 2 or 3 pages, a truth file per page, all in the manifest. */
static void multipage(void)
{
    char dir[4096];
    synth_scratch("synth-multi", dir, sizeof dir);
    CHECK(synth_run(exe, "--out", dir, "--count", "4", "--seed", "8", "--multipage", "--dpi",
                    "100", "--jobs", "2", NULL) == 0);
    json_t *man = synth_manifest(dir);
    CHECK(man != NULL);
    size_t n = json_array_size(man);
    CHECKF(n >= 8 && n <= 12, "%zu truth files for 4 multi-page sheets", n);
    size_t i;
    json_t *line;
    json_array_foreach(man, i, line) {
        json_int_t pages = json_integer_value(json_object_get(line, "pages"));
        CHECK(pages >= 2 && pages <= 3);
        json_int_t page = json_integer_value(json_object_get(line, "page"));
        char want[64];
        const char *image = jstr(line, "image");
        if (page == 1)
            snprintf(want, sizeof want, "%.*s.json", (int)(strlen(image) - 4), image);
        else
            snprintf(want, sizeof want, "%.*s-p%d.json", (int)(strlen(image) - 4), image,
                     (int)page);
        CHECKF(strcmp(jstr(line, "truth"), want) == 0, "truth file %s, expected %s",
               jstr(line, "truth"), want);
    }
    json_decref(man);
    check_pages(dir);
}

/* Clean bitonal sheets with skew and orientation, and the same without orientation. */
static void geometry(void)
{
    char dir_o[4096], dir_u[4096];
    synth_scratch("synth-orient", dir_o, sizeof dir_o);
    synth_scratch("synth-upright", dir_u, sizeof dir_u);
    const char *common[] = {"--count", "12", "--seed", "31", "--preset", "clean", "--colour",
                            "bitonal", "--dpi", "150", "--skew-max", "4", "--jobs", "2"};
    CHECK(synth_run(exe, "--out", dir_o, common[0], common[1], common[2], common[3], common[4],
                    common[5], common[6], common[7], common[8], common[9], common[10], common[11],
                    common[12], common[13], "--orient", NULL) == 0);
    CHECK(synth_run(exe, "--out", dir_u, common[0], common[1], common[2], common[3], common[4],
                    common[5], common[6], common[7], common[8], common[9], common[10], common[11],
                    common[12], common[13], NULL) == 0);
    check_pages(dir_o);
    json_t *mo = synth_manifest(dir_o), *mu = synth_manifest(dir_u);
    CHECK(mo && mu && json_array_size(mo) == json_array_size(mu));
    int turned = 0, measured = 0;
    size_t i;
    json_t *line;
    json_array_foreach(mo, i, line) {
        json_t *to = synth_truth(dir_o, line), *tu = synth_truth(dir_u, json_array_get(mu, i));
        CHECK(to && tu);
        if (!to || !tu) {
            json_decref(to);
            json_decref(tu);
            continue;
        }
        const char *image = jstr(to, "image");
        int orient = (int)json_integer_value(json_object_get(to, "orientation"));
        double skew = json_number_value(json_object_get(to, "skew"));
        CHECK(json_integer_value(json_object_get(tu, "orientation")) == 0);
        /* Only the orientation (and so the stored size) may differ. */
        static const char *const same[] = {"fields", "lines", "text", "marks", "skew",
                                           "degradations", "doc_type"};
        for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
            CHECKF(json_equal(json_object_get(to, same[k]), json_object_get(tu, same[k])),
                   "%s: %s differs with --orient", image, same[k]);
        PIX *po = read_page(dir_o, image, 1, NULL), *pu = read_page(dir_u, image, 1, NULL);
        CHECK(po && pu);
        if (po && pu) {
            PIX *back = lr_enhance_rotate_orth(po, orient);
            l_int32 same_pix = 0;
            CHECK(back && pixEqual(back, pu, &same_pix) == 0);
            CHECKF(same_pix, "%s: turned back by %d° it is not the upright page", image, orient);
            if (orient)
                turned++;
            pixDestroy(&back);
            /* Skew measured on the upright page. */
            float deg = 0, conf = 0;
            bool found = false;
            lr_error err;
            lr_error_clear(&err);
            CHECK(lr_enhance_find_skew(pu, NULL, &deg, &conf, &found, &err) == 0);
            CHECKF(found && fabs(deg - skew) <= 0.2, "%s (%s): skew measured %.2f (conf %.1f), "
                   "truth %.2f", image, jstr(to, "doc_type"), deg, conf, skew);
            measured++;
        }
        pixDestroy(&po);
        pixDestroy(&pu);
        json_decref(to);
        json_decref(tu);
    }
    CHECKF(turned >= 6, "only %d of 12 pages turned", turned);
    CHECK(measured == 12);
    json_decref(mo);
    json_decref(mu);
}

/* Fraction of pixels that differ between two pages of the same size and depth; -1 if they
 * cannot be compared. */
static double diff_fraction(PIX *a, PIX *b)
{
    if (!a || !b || pixGetWidth(a) != pixGetWidth(b) || pixGetHeight(a) != pixGetHeight(b) ||
        pixGetDepth(a) != pixGetDepth(b))
        return -1;
    PIX *x = pixXor(NULL, a, b);
    if (!x)
        return -1;
    l_int32 nonzero = 0;
    double f = 0;
    if (pixGetDepth(x) == 1) {
        l_int32 count = 0;
        pixCountPixels(x, &count, NULL);
        f = (double)count / ((double)pixGetWidth(x) * pixGetHeight(x));
    } else {
        PIX *g = pixGetDepth(x) == 32 ? pixConvertRGBToGrayMinMax(x, L_CHOOSE_MAX) : pixClone(x);
        PIX *bin = g ? pixThresholdToBinary(g, 1) : NULL; /* 0 → 1: equal pixels */
        l_int32 count = 0;
        if (bin)
            pixCountPixels(bin, &count, NULL);
        f = 1.0 - (double)count / ((double)pixGetWidth(x) * pixGetHeight(x));
        pixDestroy(&g);
        pixDestroy(&bin);
    }
    (void)nonzero;
    pixDestroy(&x);
    return f;
}

/* Each parameter alone changes the image and is recorded as given. */
static void degradations(void)
{
    static const struct {
        const char *spec, *key;
        double value;
        const char *colour;
    } cases[] = {
        {"yellow=0.6", "yellow", 0.6, "grey"},
        {"uneven_light=0.5", "uneven_light", 0.5, "grey"},
        {"stains=3", "stains", 3, "rgb"},
        {"bleed=0.3", "bleed", 0.3, "grey"},
        {"blur=1.2", "blur", 1.2, "grey"},
        {"noise=8", "noise", 8, "grey"},
        {"jpeg_quality=40", "jpeg_quality", 40, "rgb"},
        {"jpeg_quality=30", "jpeg_quality", 30, "bitonal"},
        {"contrast=0.5", "contrast", 0.5, "grey"},
    };
    char base[4096], dir[4096];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        synth_scratch("synth-deg-base", base, sizeof base);
        synth_scratch("synth-deg", dir, sizeof dir);
        CHECK(synth_run(exe, "--out", base, "--count", "1", "--seed", "5", "--types", "land",
                        "--preset", "clean", "--dpi", "100", "--colour", cases[i].colour,
                        "--jobs", "1", NULL) == 0);
        CHECK(synth_run(exe, "--out", dir, "--count", "1", "--seed", "5", "--types", "land",
                        "--preset", "clean", "--dpi", "100", "--colour", cases[i].colour,
                        "--degrade", cases[i].spec, "--jobs", "1", NULL) == 0);
        PIX *a = read_page(base, "sheet-0001.tif", 1, NULL);
        PIX *b = read_page(dir, "sheet-0001.tif", 1, NULL);
        double f = diff_fraction(a, b);
        CHECKF(f > 0, "%s (%s) did not change the image (%.6f of pixels differ)", cases[i].spec,
               cases[i].colour, f);
        pixDestroy(&a);
        pixDestroy(&b);
        json_t *man = synth_manifest(dir);
        json_t *t = man ? synth_truth(dir, json_array_get(man, 0)) : NULL;
        json_t *deg = t ? json_object_get(t, "degradations") : NULL;
        CHECKF(deg && fabs(json_number_value(json_object_get(deg, cases[i].key)) - cases[i].value) < 1e-9,
               "%s not recorded", cases[i].spec);
        /* The others stay untouched. */
        static const char *const zero[] = {"yellow", "uneven_light", "stains", "bleed", "blur",
                                           "noise"};
        for (size_t k = 0; deg && k < sizeof zero / sizeof zero[0]; k++)
            if (strcmp(zero[k], cases[i].key) != 0)
                CHECKF(json_number_value(json_object_get(deg, zero[k])) == 0, "%s: %s is set",
                       cases[i].spec, zero[k]);
        json_decref(t);
        json_decref(man);
    }
    /* The degraded preset applies them, and its pages differ from the clean ones. */
    synth_scratch("synth-deg", dir, sizeof dir);
    CHECK(synth_run(exe, "--out", dir, "--count", "2", "--seed", "5", "--preset", "degraded",
                    "--dpi", "100", "--jobs", "1", NULL) == 0);
    json_t *man = synth_manifest(dir);
    json_t *t = man ? synth_truth(dir, json_array_get(man, 0)) : NULL;
    json_t *deg = t ? json_object_get(t, "degradations") : NULL;
    CHECK(deg && json_number_value(json_object_get(deg, "yellow")) > 0 &&
          json_number_value(json_object_get(deg, "blur")) > 0 &&
          json_number_value(json_object_get(deg, "noise")) > 0);
    CHECK(t && fabs(json_number_value(json_object_get(t, "skew"))) > 0);
    json_decref(t);
    json_decref(man);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_image LANDREC-SYNTH\n");
        return 99;
    }
    exe = argv[1];
    setMsgSeverity(L_SEVERITY_ERROR);
    multipage();
    /* The committed samples are readable and match their truth. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/synth/bitonal", lr_test_data_dir());
    check_pages(dir);
    snprintf(dir, sizeof dir, "%s/synth/colour", lr_test_data_dir());
    check_pages(dir);
    geometry();
    degradations();
    return lr_test_finish("synth-image");
}
