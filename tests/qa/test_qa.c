/* test_qa.c — the acceptance checks of qa.h on synthetic Leptonica pages and the committed
 * scans, without a database: the perceptual hash (the same page, a noised and rescaled copy,
 * another page), blank pages, content cut at an edge, the bit-depth rule, the single-page
 * rules against their thresholds, duplicates, and the CSV and HTML reports. */
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdint.h>

#include "landrec/enhance.h"
#include "landrec/ocr.h"
#include "landrec/qa.h"
#include "lr_test.h"

#define W 1240
#define H 1754
#define DPI 150

/* A synthetic page at DPI: white paper (230), lines of "words" (dark boxes) laid out by seed,
 * and a ruled frame when framed. */
static PIX *make_page(unsigned seed, bool framed)
{
    PIX *p = pixCreate(W, H, 8);
    pixSetAllArbitrary(p, 230);
    srand(seed);
    int top = 150 + rand() % 100, gap = 40 + rand() % 30;
    for (int y = top; y < H - 200; y += gap) {
        int x = 120 + rand() % 60;
        while (x < W - 200) {
            int ww = 30 + rand() % 120;
            pixRasterop(p, x, y, ww, 18, PIX_CLR, NULL, 0, 0);
            x += ww + 15 + rand() % 25;
        }
        if (rand() % 5 == 0)
            y += 120; /* a paragraph break */
    }
    if (framed)
        for (int k = 0; k < 4; k++) {
            BOX *b = boxCreate(80 + k, 80 + k, W - 160 - 2 * k, H - 160 - 2 * k);
            pixRenderBox(p, b, 2, L_SET_PIXELS);
            boxDestroy(&b);
        }
    pixSetResolution(p, DPI, DPI);
    return p;
}

/* p with a fraction of its pixels replaced by random grey: scanner noise. */
static void add_noise(PIX *p, double fraction, unsigned seed)
{
    srand(seed);
    long n = (long)(fraction * pixGetWidth(p) * pixGetHeight(p));
    for (long i = 0; i < n; i++)
        pixSetPixel(p, rand() % pixGetWidth(p), rand() % pixGetHeight(p), rand() % 256);
}

static lr_qa_hash hash_of(PIX *p)
{
    lr_qa_hash h = {{0}};
    CHECK(lr_qa_phash(p, &h, NULL) == LR_OK);
    return h;
}

static int dist(PIX *a, PIX *b)
{
    lr_qa_hash ha = hash_of(a), hb = hash_of(b);
    return lr_qa_hamming(&ha, &hb);
}

static void test_phash(void)
{
    PIX *a = make_page(1, true), *b = make_page(2, true), *c = pixCopy(NULL, a);
    CHECK(dist(a, a) == 0);
    CHECK(dist(a, c) == 0);

    /* A copy rescanned: 2 % noisy pixels and 60 % of the size; it must stay a near
     * duplicate under the default threshold. */
    add_noise(c, 0.02, 7);
    PIX *small = pixScale(c, 0.6f, 0.6f);
    int d_noised = dist(a, small);
    CHECKF(d_noised <= LR_QA_PHASH_DISTANCE, "noised, rescaled copy: %d bits", d_noised);

    /* The same page as a 1-bit scan and in colour: the hash sees no difference in depth. */
    PIX *bit = pixConvertTo1(a, 128), *rgb = pixConvert8To32(a);
    int d_bit = dist(a, bit), d_rgb = dist(a, rgb);
    CHECKF(d_bit <= LR_QA_PHASH_DISTANCE, "1-bit copy: %d bits", d_bit);
    CHECKF(d_rgb <= 1, "colour copy: %d bits", d_rgb);

    /* Another sheet of the same form (same frame, other lines of writing) is no duplicate:
     * the margin protects the near-duplicate check from flagging every sheet of a form. */
    int d_other = dist(a, b);
    CHECKF(d_other > 2 * LR_QA_PHASH_DISTANCE, "another page: %d bits", d_other);

    lr_qa_hash h0 = {{1, 2, 3, 4}}, h1;
    CHECK(lr_qa_phash(NULL, &h0, NULL) == LR_ERR_ARG && h0.w[0] == 0 && h0.w[3] == 0);
    memset(&h1, 0xff, sizeof h1);
    CHECK(lr_qa_hamming(&h0, &h1) == LR_QA_PHASH_BITS);
    /* The stored form and back. */
    lr_qa_hash ha = hash_of(a), back;
    char hex[LR_QA_PHASH_BITS / 4 + 1];
    lr_qa_hash_hex(&ha, hex);
    CHECK(strlen(hex) == LR_QA_PHASH_BITS / 4 && lr_qa_hash_parse(hex, &back) &&
          lr_qa_hamming(&ha, &back) == 0);
    CHECK(!lr_qa_hash_parse("12", &back) && !lr_qa_hash_parse(NULL, &back));
    pixDestroy(&a), pixDestroy(&b), pixDestroy(&c), pixDestroy(&small);
    pixDestroy(&bit), pixDestroy(&rgb);
}

/* The hash of a page as the pipeline takes it: of its enhanced binary page. */
static lr_qa_hash pipeline_hash(PIX *pix, int dpi)
{
    lr_qa_hash h = {{0}};
    lr_enhanced e = {0};
    pixSetResolution(pix, dpi, dpi);
    CHECK(lr_enhance_page(pix, 0, dpi, NULL, &e, NULL) == LR_OK);
    CHECK(e.binary && lr_qa_phash(e.binary, &h, NULL) == LR_OK);
    lr_enhanced_clear(&e);
    return h;
}

static PIX *read_data(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", lr_test_data_dir(), name);
    PIX *p = pixRead(path);
    CHECKF(p != NULL, "%s", path);
    return p;
}

/* The committed scans through the enhancement: the same sheet at half the resolution and as
 * a 1-bit scan stays within the default distance; another sheet, and another sheet of the
 * same printed form, are beyond it. */
static void test_phash_scans(void)
{
    PIX *a = read_data("pages/ledger-a-bitonal-g4.tif"),
        *b = read_data("pages/ledger-b-grey-lzw.tif");
    PIX *f1 = read_data("ledger/land-01.png"), *f2 = read_data("ledger/land-02.png");
    if (!a || !b || !f1 || !f2)
        return;
    PIX *b_half = pixScaleAreaMap(b, 0.5f, 0.5f), *b_bit = pixConvertTo1(b, 160);
    lr_qa_hash ha = pipeline_hash(a, 300), hb = pipeline_hash(b, 300);
    lr_qa_hash hb_half = pipeline_hash(b_half, 150), hb_bit = pipeline_hash(b_bit, 300);
    lr_qa_hash hf1 = pipeline_hash(f1, 300), hf2 = pipeline_hash(f2, 300);
    int d_half = lr_qa_hamming(&hb, &hb_half), d_bit = lr_qa_hamming(&hb, &hb_bit);
    int d_ab = lr_qa_hamming(&ha, &hb), d_form = lr_qa_hamming(&hf1, &hf2);
    CHECKF(d_half <= LR_QA_PHASH_DISTANCE, "ledger b at 150 dpi: %d bits", d_half);
    CHECKF(d_bit <= LR_QA_PHASH_DISTANCE, "ledger b in 1 bit: %d bits", d_bit);
    CHECKF(d_ab > 2 * LR_QA_PHASH_DISTANCE, "ledger a and b: %d bits", d_ab);
    CHECKF(d_form > LR_QA_PHASH_DISTANCE, "two sheets of one form: %d bits", d_form);
    pixDestroy(&a), pixDestroy(&b), pixDestroy(&f1), pixDestroy(&f2);
    pixDestroy(&b_half), pixDestroy(&b_bit);
}

static void test_blank_and_edges(void)
{
    PIX *page = make_page(3, false);
    PIX *bin = pixThresholdToBinary(page, 128);
    float ink = lr_qa_ink(bin);
    CHECKF(ink > 10 * LR_QA_BLANK_INK, "a written page: %g", (double)ink);
    lr_qa_edge edge = LR_QA_EDGE_TOP;
    CHECK(lr_qa_edge_ink(bin, DPI, &edge) == 0.0f && edge == LR_QA_EDGE_NONE);

    /* Blank paper with dust: a dozen specks of 2 × 2 pixels. */
    PIX *blank = pixCreate(W, H, 1);
    for (int i = 0; i < 12; i++)
        pixRasterop(blank, 100 + i * 80, 200 + i * 97, 2, 2, PIX_SET, NULL, 0, 0);
    float blank_ink = lr_qa_ink(blank);
    CHECKF(blank_ink < LR_QA_BLANK_INK / 10, "blank paper: %g", (double)blank_ink);
    CHECK(lr_qa_edge_ink(blank, DPI, NULL) == 0.0f);

    /* The page shifted left by a third: its lines of writing run into the left edge. */
    PIX *cut = pixCreate(W, H, 1);
    pixRasterop(cut, 0, 0, W, H, PIX_SRC, bin, W / 3, 0);
    float f = lr_qa_edge_ink(cut, DPI, &edge);
    CHECKF(f > LR_QA_EDGE_INK && edge == LR_QA_EDGE_LEFT, "cut page: %g at edge %d", (double)f,
           (int)edge);
    /* A speck on the edge is no cut. */
    pixRasterop(blank, 0, 500, 3, 3, PIX_SET, NULL, 0, 0);
    f = lr_qa_edge_ink(blank, DPI, &edge);
    CHECKF(f > 0 && f < LR_QA_EDGE_INK / 10 && edge == LR_QA_EDGE_LEFT, "speck: %g", (double)f);
    CHECK(lr_qa_ink(page) < 0 && lr_qa_edge_ink(page, DPI, NULL) < 0); /* not 1 bpp */
    pixDestroy(&page), pixDestroy(&bin), pixDestroy(&blank), pixDestroy(&cut);
}

/* The pipeline's measures of an enhanced page: a page turned 15 degrees beyond the
 * pipeline's skew search keeps its skew, and it is measured. */
static void test_measure(void)
{
    PIX *page = make_page(4, false);
    PIX *turned =
        pixRotate(page, 15.0f * (float)M_PI / 180.0f, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, W, H);
    pixSetResolution(turned, DPI, DPI);
    lr_enhance_options eo;
    lr_enhance_options_default(&eo);
    lr_enhanced e = {0};
    lr_qa_measures m;
    CHECK(lr_enhance_page(page, 0, DPI, &eo, &e, NULL) == LR_OK);
    CHECK(lr_qa_measure(&e, DPI, &m, NULL) == LR_OK);
    CHECKF(fabsf(m.residual_skew_deg) < 0.2f, "upright page: %g", (double)m.residual_skew_deg);
    CHECK(m.ink > LR_QA_BLANK_INK && m.edge_ink < LR_QA_EDGE_INK && !m.orient_source);
    lr_enhanced_clear(&e);
    CHECK(lr_enhance_page(turned, 0, DPI, &eo, &e, NULL) == LR_OK);
    CHECK(lr_qa_measure(&e, DPI, &m, NULL) == LR_OK);
    CHECKF(fabsf(fabsf(m.residual_skew_deg) - 15.0f) < 1.0f, "turned page: %g",
           (double)m.residual_skew_deg);
    lr_enhanced_clear(&e);
    CHECK(lr_qa_measure(&e, DPI, &m, NULL) == LR_ERR_ARG);
    pixDestroy(&page), pixDestroy(&turned);
}

static void test_depth_rule(void)
{
    const char *rule = NULL;
    CHECK(!lr_qa_depth_ok("land_ledger", "bitonal", &rule) && strcmp(rule, "grey or colour") == 0);
    CHECK(lr_qa_depth_ok("land_ledger", "grey", NULL));
    CHECK(lr_qa_depth_ok("forest_ledger", "rgb", NULL));
    CHECK(!lr_qa_depth_ok(NULL, "bitonal", NULL)); /* unknown type: at least grey */
    CHECK(!lr_qa_depth_ok("cadastral_map", "grey", &rule) && strcmp(rule, "colour (maps)") == 0);
    CHECK(!lr_qa_depth_ok("survey_map", "bitonal", NULL));
    CHECK(lr_qa_depth_ok("forest_map", "rgb", NULL));
    CHECK(lr_qa_depth_ok("land_ledger", NULL, NULL)); /* not known: nothing to say */
}

static size_t count_check(const lr_qa_findings *l, const char *check)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += strcmp(l->v[i].check, check) == 0;
    return n;
}

static lr_qa_page good_page(const char *path)
{
    lr_qa_page p = {
        .path = path,
        .page = 1,
        .dpi_x = 300,
        .dpi_y = 300,
        .bits_per_sample = 8,
        .samples_per_pixel = 1,
        .colour = "grey",
        .doc_type = "land_ledger",
        .has_measures = true,
        .m = {.ink = 0.02f,
              .edge_ink = 0,
              .phash = {{0x0123456789abcdefULL, 0, 7, 99}},
              .residual_skew_deg = 0.1f,
              .orient_source = "osd",
              .orient_conf = 12},
    };
    return p;
}

static void test_rules(void)
{
    lr_qa_thresholds t;
    lr_qa_thresholds_default(&t);
    /* With the default, "unsure" means what the pipeline's own orientation rule means. */
    CHECK(t.min_orient_conf == LR_OCR_MIN_ORIENT_CONF);
    lr_qa_findings l = {0};
    lr_qa_page p = good_page("good.tif");
    lr_qa_check_page(&p, &t, &l);
    CHECKF(l.n == 0, "%zu findings of a good page", l.n);

    /* Each rule just over and just under its threshold. */
    p.dpi_x = p.dpi_y = 299;
    lr_qa_check_page(&p, &t, &l);
    CHECK(l.n == 1 && strcmp(l.v[0].check, "dpi") == 0 && strcmp(l.v[0].value, "299 dpi") == 0);
    lr_qa_findings_free(&l);
    p = good_page("x.tif");
    p.dpi_assumed = true;
    lr_qa_check_page(&p, &t, &l);
    CHECK(count_check(&l, "dpi") == 1 && strcmp(l.v[0].value, "none") == 0);
    lr_qa_findings_free(&l);

    p = good_page("x.tif");
    p.m.residual_skew_deg = -(t.max_skew_deg + 0.05f);
    p.m.edge_ink = t.edge_ink + 0.01f;
    p.m.edge = LR_QA_EDGE_BOTTOM;
    p.m.orient_source = "unsure";
    p.colour = "bitonal";
    lr_qa_check_page(&p, &t, &l);
    CHECK(count_check(&l, "skew") == 1 && count_check(&l, "edge-cut") == 1 &&
          count_check(&l, "orientation") == 1 && count_check(&l, "depth") == 1 && l.n == 4);
    lr_qa_findings_free(&l);
    p.m.residual_skew_deg = t.max_skew_deg - 0.05f;
    p.m.edge_ink = t.edge_ink - 0.01f;
    p.m.orient_source = "lines";
    p.m.orient_conf = t.min_orient_conf + 0.5f;
    p.colour = "rgb";
    lr_qa_check_page(&p, &t, &l);
    CHECKF(l.n == 0, "%zu findings under the thresholds", l.n);

    /* A blank page is only blank: no skew, cut or orientation to speak of. */
    p = good_page("blank.tif");
    p.m.ink = t.blank_ink / 2;
    p.m.orient_source = "unsure";
    p.m.orient_conf = 0;
    lr_qa_check_page(&p, &t, &l);
    CHECK(l.n == 1 && strcmp(l.v[0].check, "blank") == 0);
    lr_qa_findings_free(&l);

    /* Older pages: no source, OSD's confidence alone; unknown (NaN) is no finding. */
    p = good_page("old.tif");
    p.m.orient_source = NULL;
    p.m.orient_conf = NAN;
    lr_qa_check_page(&p, &t, &l);
    CHECK(l.n == 0);
    p.failed = true;
    p.error = "corrupt tiff";
    lr_qa_check_page(&p, &t, &l);
    CHECK(l.n == 1 && strcmp(l.v[0].check, "unreadable") == 0);
    lr_qa_findings_free(&l);
}

static void test_duplicates(void)
{
    lr_qa_thresholds t;
    lr_qa_thresholds_default(&t);
    lr_qa_findings l = {0};
    lr_qa_page pages[3] = {good_page("a.tif"), good_page("b.tif"), good_page("c.tif")};
    pages[1].m.phash.w[2] ^= 0x7; /* 3 bits from a */
    for (int i = 0; i < 4; i++)
        pages[2].m.phash.w[i] = ~pages[0].m.phash.w[i];
    lr_qa_check_near_duplicates(pages, 3, &t, &l);
    CHECK(l.n == 1 && strcmp(l.v[0].path, "b.tif") == 0 && strcmp(l.v[0].value, "3 bits") == 0 &&
          strstr(l.v[0].reason, "a.tif page 1"));
    lr_qa_findings_free(&l);
    t.phash_distance = 2; /* one under the pair's distance */
    lr_qa_check_near_duplicates(pages, 3, &t, &l);
    CHECK(l.n == 0);

    const char *s1 = "1111111111111111111111111111111111111111111111111111111111111111";
    const char *s2 = "2222222222222222222222222222222222222222222222222222222222222222";
    lr_qa_file files[4] = {{s1, "a.tif", NULL, 2},
                           {s1, "copy/a.tif", NULL, 2},
                           {s2, "b.tif", NULL, 1},
                           {s2, "b.tif", NULL, 1}};
    lr_qa_check_duplicates(files, 4, &l);
    CHECK(l.n == 2 && strcmp(l.v[0].path, "copy/a.tif") == 0 && l.v[0].page == 1 &&
          l.v[1].page == 2 && strstr(l.v[1].reason, "a.tif"));
    lr_qa_findings_free(&l);
}

static void test_reports(void)
{
    lr_qa_findings l = {0};
    lr_qa_add(&l, "z.tif", NULL, 2, "dpi", "150 dpi", "300 dpi", "low");
    lr_qa_add(&l, "a, \"b\".tif", NULL, 1, "blank", "0%", "0.1%", "line\nbreak <x>");
    lr_qa_findings_sort(&l);
    CHECK(strcmp(l.v[0].path, "a, \"b\".tif") == 0);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    CHECK(lr_qa_write_csv(&l, f, NULL) == LR_OK);
    fclose(f);
    CHECK(buf && strstr(buf, "page,path,check,value,threshold,reason\r\n") == buf);
    CHECK(buf && strstr(buf, "1,\"a, \"\"b\"\".tif\",blank,0%,0.1%,\"line\nbreak <x>\"\r\n"));
    free(buf);
    f = open_memstream(&buf, &size);
    CHECK(lr_qa_write_html(&l, "batch <B>", f, NULL) == LR_OK);
    fclose(f);
    CHECK(buf && strstr(buf, "<title>batch &lt;B&gt;</title>"));
    CHECK(buf && strstr(buf, "break &lt;x&gt;") && !strstr(buf, "<x>"));
    CHECK(buf && strstr(buf, "could not be read")); /* the files do not exist */
    free(buf);
    lr_qa_findings_free(&l);
}

int main(void)
{
    setLeptDebugOK(0);
    test_phash();
    test_phash_scans();
    test_blank_and_edges();
    test_measure();
    test_depth_rule();
    test_rules();
    test_duplicates();
    test_reports();
    return lr_test_finish("test_qa");
}
