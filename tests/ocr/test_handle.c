/* test_handle.c — the lr_ocr contract apart from quality: one handle reused for several
 * crops (and for OSD in between) carries no state from one to the next; words have boxes
 * inside the image, confidences 0–100 and nested block/par/line indices; hOCR is a complete,
 * well-formed document; errors name the missing language; bad arguments are refused and leave
 * the handle usable; models_describe hashes the model files it would load; a cell read alone
 * takes its whitelist for that read only, and a handle made for cells reads no page. */
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <tesseract/capi.h>
#include <unistd.h>

#include "cer.h"
#include "landrec/digest.h"
#include "landrec/ocr.h"
#include "landrec/normalize.h"
#include "lr_test.h"

/* Line boxes of testdata/ocr/ko-hanja-lines.png (1500×620, text x 50–780), with margins;
 * x starts after the black edge at the far left. */
static const int line_y[4][2] = {{20, 140}, {170, 290}, {320, 440}, {470, 590}};

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 65536);
    if (buf)
        buf[fread(buf, 1, 65535, f)] = '\0';
    fclose(f);
    return buf;
}

/* Minimal XML well-formedness: balanced, properly nested tags, quoted attributes, and
 * every '&' starting an entity. Enough to catch a truncated or unwrapped hOCR. */
static bool xml_well_formed(const char *s, char *why, size_t whysize)
{
    char stack[64][32];
    int depth = 0, roots = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '&') {
            const char *q = p + 1;
            while (*q && *q != ';' && (q - p) < 12 &&
                   ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '#' || *q == 'x'))
                q++;
            if (*q != ';' || q == p + 1) {
                snprintf(why, whysize, "bare '&' at %td", p - s);
                return false;
            }
            continue;
        }
        if (*p != '<')
            continue;
        if (p[1] == '?' || p[1] == '!') {
            const char *end = strstr(p, p[1] == '?' ? "?>" : ">");
            if (!end) {
                snprintf(why, whysize, "unterminated declaration at %td", p - s);
                return false;
            }
            p = end;
            continue;
        }
        bool closing = p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        size_t nlen = strcspn(name, " \t\r\n/>");
        const char *q = name + nlen;
        char quote = 0;
        for (; *q && (quote || *q != '>'); q++) {
            if (quote && *q == quote)
                quote = 0;
            else if (!quote && (*q == '"' || *q == '\''))
                quote = *q;
            else if (*q == '<') {
                snprintf(why, whysize, "'<' inside a tag at %td", q - s);
                return false;
            }
        }
        if (!*q || nlen == 0 || nlen >= sizeof stack[0]) {
            snprintf(why, whysize, "malformed tag at %td", p - s);
            return false;
        }
        if (closing) {
            if (depth == 0 || strlen(stack[depth - 1]) != nlen ||
                strncmp(stack[depth - 1], name, nlen) != 0) {
                snprintf(why, whysize, "</%.*s> does not close <%s> at %td", (int)nlen, name,
                         depth ? stack[depth - 1] : "", p - s);
                return false;
            }
            depth--;
        } else if (q[-1] != '/') {
            if (depth == 0)
                roots++;
            if (depth == 64) {
                snprintf(why, whysize, "nested too deep");
                return false;
            }
            memcpy(stack[depth], name, nlen);
            stack[depth++][nlen] = '\0';
        }
        p = q;
    }
    if (depth) {
        snprintf(why, whysize, "<%s> never closed", stack[depth - 1]);
        return false;
    }
    if (roots != 1) {
        snprintf(why, whysize, "%d root elements", roots);
        return false;
    }
    return true;
}

static void check_result(const lr_ocr_result *r, PIX *pix, const char *what)
{
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    double sum = 0.0;
    for (size_t i = 0; i < r->nwords; i++) {
        const lr_word *wd = &r->words[i];
        CHECKF(wd->text && wd->text[0], "%s: word %zu empty", what, i);
        CHECKF(0 <= wd->x0 && wd->x0 < wd->x1 && wd->x1 <= w && 0 <= wd->y0 && wd->y0 < wd->y1 &&
                   wd->y1 <= h,
               "%s: word %zu box %d,%d-%d,%d outside %dx%d", what, i, wd->x0, wd->y0, wd->x1,
               wd->y1, w, h);
        CHECKF(wd->conf >= 0.0f && wd->conf <= 100.0f, "%s: conf %f", what, wd->conf);
        CHECK(wd->block >= 0 && wd->par >= 0 && wd->line >= 0);
        sum += wd->conf;
    }
    double mean = r->nwords ? sum / (double)r->nwords : 0.0;
    CHECKF(fabs(mean - r->mean_conf) < 0.01, "%s: mean_conf %f, words' mean %f", what, r->mean_conf,
           mean);
    char why[160] = "";
    CHECKF(r->hocr && xml_well_formed(r->hocr, why, sizeof why), "%s: hOCR: %s", what, why);
    CHECK(r->hocr && strncmp(r->hocr, "<?xml", 5) == 0);
    CHECK(r->hocr && strstr(r->hocr, "<html") && strstr(r->hocr, "</html>"));
    CHECK(r->hocr && strstr(r->hocr, "class='ocr_page'"));
    CHECK(r->hocr && strstr(r->hocr, "name='ocr-system' content='tesseract 5"));
    CHECK(r->hocr && strstr(r->hocr, "name='ocr-capabilities'"));
    if (r->nwords)
        CHECK(r->hocr && strstr(r->hocr, "class='ocrx_word'"));
}

static void reuse_across_crops(lr_ocr *ocr, PIX *lines, const char *truth)
{
    /* The four truth lines. */
    char tl[4][256];
    const char *p = truth;
    for (int i = 0; i < 4; i++) {
        size_t n = strcspn(p, "\n");
        snprintf(tl[i], sizeof tl[i], "%.*s", (int)n, p);
        p += n + (p[n] ? 1 : 0);
    }
    /* A line, another, OSD on a page in between, then the first line again. */
    static const int order[] = {0, 2, 1, 3, 0};
    char first[256] = "";
    char *texts[5] = {0};
    for (int k = 0; k < 5; k++) {
        int i = order[k];
        BOX *box = boxCreate(30, line_y[i][0], 870, line_y[i][1] - line_y[i][0]);
        PIX *crop = pixClipRectangle(lines, box, NULL);
        boxDestroy(&box);
        lr_ocr_result r;
        lr_error err;
        int rc = lr_ocr_recognize(ocr, crop, 300, &r, &err);
        CHECKF(rc == LR_OK, "line %d: %s", i, err.message);
        if (rc == LR_OK) {
            double c = cer(tl[i], r.text);
            printf("crop %d (line %d): CER %.3f %s", k, i, c, r.text);
            CHECKF(c <= 0.15, "line %d CER %.3f: \"%s\" vs \"%s\"", i, c, r.text, tl[i]);
            /* Different from every other line: nothing carried over. */
            for (int j = 0; j < 4; j++)
                if (j != i)
                    CHECKF(cer(tl[j], r.text) > 0.5, "line %d text resembles line %d", i, j);
            check_result(&r, crop, "crop");
            for (size_t w = 0; w < r.nwords; w++)
                CHECK(r.words[w].block == 0 && r.words[w].par == 0 && r.words[w].line == 0);
            texts[k] = strdup(r.text);
            if (k == 0)
                snprintf(first, sizeof first, "%s", r.text);
        }
        lr_ocr_result_clear(&r);
        pixDestroy(&crop);
        if (k == 1) {
            int deg;
            float conf;
            CHECK(lr_ocr_detect_orientation(ocr, lines, 300, &deg, &conf, NULL) == LR_OK);
        }
    }
    CHECKF(texts[4] && strcmp(texts[4], first) == 0, "line 0 read differently the second time");
    for (int k = 0; k < 5; k++)
        free(texts[k]);
}

static void whole_crop_words(lr_ocr *ocr, PIX *lines)
{
    lr_ocr_result r;
    lr_error err;
    int rc = lr_ocr_recognize(ocr, lines, 300, &r, &err);
    CHECKF(rc == LR_OK, "%s", err.message);
    check_result(&r, lines, "four lines");
    CHECKF(r.nwords >= 15, "%zu words", r.nwords);
    /* Four lines in reading order: the (block, par, line) key changes exactly 3 times going
     * down, never back, and words of one key share a baseline band. */
    int changes = 0;
    for (size_t i = 1; i < r.nwords; i++) {
        const lr_word *a = &r.words[i - 1], *b = &r.words[i];
        bool same = a->block == b->block && a->par == b->par && a->line == b->line;
        if (!same) {
            changes++;
            CHECKF(b->y0 > a->y1 - 10, "line break goes up at word %zu", i);
            CHECK(b->block > a->block || (b->block == a->block && b->par > a->par) ||
                  (b->block == a->block && b->par == a->par && b->line == a->line + 1));
        } else {
            CHECKF(abs((a->y0 + a->y1) / 2 - (b->y0 + b->y1) / 2) < 40,
                   "words %zu and %zu of one line far apart", i - 1, i);
            CHECK(b->x0 >= a->x0);
        }
    }
    CHECKF(changes == 3, "%d line changes, want 3", changes);
    CHECK(r.mean_conf > 50.0f && r.mean_conf <= 100.0f);
    printf("four lines: %zu words, mean conf %.1f, first word \"%s\" at %d,%d-%d,%d\n", r.nwords,
           r.mean_conf, r.nwords ? r.words[0].text : "", r.nwords ? r.words[0].x0 : 0,
           r.nwords ? r.words[0].y0 : 0, r.nwords ? r.words[0].x1 : 0,
           r.nwords ? r.words[0].y1 : 0);
    lr_ocr_result_clear(&r);
    CHECK(r.text == NULL && r.words == NULL && r.nwords == 0);
}

static void blank_and_bad_input(lr_ocr *ocr, PIX *lines)
{
    lr_ocr_result r;
    lr_error err;
    PIX *blank = pixCreate(400, 200, 1); /* 1 bpp zero = white */
    CHECK(lr_ocr_recognize(ocr, blank, 300, &r, &err) == LR_OK);
    CHECK(r.nwords == 0 && r.mean_conf == 0.0f);
    CHECK(r.text && cer("", r.text) == 0.0);
    check_result(&r, blank, "blank");
    lr_ocr_result_clear(&r);
    pixDestroy(&blank);

    /* Degenerate sizes: no words and no crash, whatever the depth. */
    static const int sizes[][2] = {{1, 1}, {3, 100}, {100, 3}, {40, 40}};
    for (int d = 0; d < 3; d++) {
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
            PIX *tiny = pixCreate(sizes[i][0], sizes[i][1], d == 0 ? 1 : d == 1 ? 8 : 32);
            pixSetPixel(tiny, 0, 0, d == 0 ? 1 : 0);
            int deg = -1;
            float conf = -1.0f;
            CHECK(lr_ocr_recognize(ocr, tiny, 300, &r, &err) == LR_OK && r.nwords == 0);
            CHECK(lr_ocr_detect_orientation(ocr, tiny, 300, &deg, &conf, &err) == LR_OK);
            CHECK(deg == 0 && conf == 0.0f);
            lr_ocr_result_clear(&r);
            pixDestroy(&tiny);
        }
    }

    memset(&r, 0x5a, sizeof r); /* must be zeroed even on failure */
    CHECK(lr_ocr_recognize(ocr, NULL, 300, &r, &err) == LR_ERR_ARG);
    CHECK(r.text == NULL && r.hocr == NULL && r.words == NULL && r.nwords == 0);
    CHECK(lr_ocr_recognize(ocr, lines, 0, &r, &err) == LR_ERR_ARG);
    PIX *deep = pixCreate(20, 20, 16);
    CHECK(lr_ocr_recognize(ocr, deep, 300, &r, &err) == LR_ERR_ARG);
    CHECK(strstr(err.message, "16") != NULL);
    pixDestroy(&deep);
    lr_ocr_result_clear(&r);
}

static void missing_and_bad_languages(const char *tmp)
{
    lr_ocr_options opts;
    lr_ocr_options_default(&opts);
    lr_ocr *ocr = (lr_ocr *)&opts; /* must be reset to NULL on failure */
    lr_error err;

    opts.lang = "kor+xyzzy";
    int rc = lr_ocr_new(&opts, &ocr, &err);
    printf("missing language: %s; detail: %s; hint: %s\n", err.message, err.detail, err.hint);
    CHECK(rc == LR_ERR_OCR && err.code == LR_ERR_OCR && ocr == NULL);
    CHECK(strstr(err.message, "\"xyzzy\"") != NULL);
    CHECK(strstr(err.detail, "xyzzy.traineddata") != NULL);
    CHECK(strstr(err.hint, "tesseract-ocr-xyzzy") != NULL);

    /* Script models are named by their path under tessdata. */
    opts.lang = "script/Nonexistent";
    rc = lr_ocr_new(&opts, &ocr, &err);
    CHECK(rc == LR_ERR_OCR && strstr(err.message, "\"script/Nonexistent\"") != NULL);

    /* An empty tessdata directory: the first language is named, with the directory. */
    char empty[1024];
    snprintf(empty, sizeof empty, "%s/ocr-empty-tessdata", tmp);
    mkdir(empty, 0700);
    opts.lang = "chi_tra+kor";
    opts.datapath = empty;
    rc = lr_ocr_new(&opts, &ocr, &err);
    CHECK(rc == LR_ERR_OCR && ocr == NULL);
    CHECK(strstr(err.message, "\"chi_tra\"") != NULL);
    CHECK(strstr(err.detail, empty) != NULL);
    CHECK(strstr(err.hint, "tesseract-ocr-chi-tra") != NULL);
    /* osd missing while the text model is there: named too. */
    char fake[1100];
    snprintf(fake, sizeof fake, "%s/ocr-fake-tessdata", tmp);
    mkdir(fake, 0700);
    char kor[1200];
    snprintf(kor, sizeof kor, "%s/kor.traineddata", fake);
    FILE *f = fopen(kor, "wb");
    if (f) {
        fputs("abc", f);
        fclose(f);
    }
    opts.lang = "kor";
    opts.datapath = fake;
    rc = lr_ocr_new(&opts, &ocr, &err);
    CHECK(rc == LR_ERR_OCR && strstr(err.message, "\"osd\"") != NULL);
    /* A damaged model file: Tesseract refuses it, we report it, nothing crashes. */
    opts.orientation = false;
    rc = lr_ocr_new(&opts, &ocr, &err);
    printf("damaged model: %s; detail: %s\n", err.message, err.detail);
    CHECK(rc == LR_ERR_OCR && ocr == NULL && strstr(err.message, "kor") != NULL);

    /* models_describe hashes the files it would load, wherever they are found (no forms
     * table here: that part is checked in character_forms). */
    opts.forms = "";
    char *d = lr_ocr_models_describe(&opts, &err);
    CHECKF(d && strcmp(d, "kor:ba7816bf8f01cfea") == 0, "describe fake: %s", d ? d : "NULL");
    free(d);
    opts.datapath = NULL;
    setenv("TESSDATA_PREFIX", fake, 1);
    d = lr_ocr_models_describe(&opts, &err);
    CHECKF(d && strcmp(d, "kor:ba7816bf8f01cfea") == 0, "TESSDATA_PREFIX: %s", d ? d : "NULL");
    free(d);
    unsetenv("TESSDATA_PREFIX");
    opts.datapath = empty;
    d = lr_ocr_models_describe(&opts, &err);
    CHECK(d == NULL && err.code == LR_ERR_OCR && strstr(err.message, "\"kor\""));
    free(d);
    opts.datapath = NULL;
    opts.orientation = true;
    opts.forms = NULL;

    /* Arguments refused before anything is loaded. */
    static const char *bad[] = {"kor++chi_tra", "+kor",          "kor+",       "../kor",
                                "kor chi_tra",  "script/../kor", "script/a/b", "/tmp/kor"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        opts.lang = bad[i];
        CHECKF(lr_ocr_new(&opts, &ocr, &err) == LR_ERR_ARG && ocr == NULL, "lang \"%s\"", bad[i]);
    }
    opts.lang = "eng";
    opts.psm = 0;
    CHECK(lr_ocr_new(&opts, &ocr, &err) == LR_ERR_ARG);
    opts.psm = 14;
    CHECK(lr_ocr_new(&opts, &ocr, &err) == LR_ERR_ARG);
    CHECK(lr_ocr_new(&opts, NULL, &err) == LR_ERR_ARG);
}

static void describe_real_models(void)
{
    lr_ocr_options opts;
    lr_ocr_options_default(&opts);
    lr_error err;
    char *d = lr_ocr_models_describe(&opts, &err);
    printf("models: %s\n", d ? d : err.message);
    CHECK(d != NULL);
    if (d) {
        const char *dir =
            getenv("TESSDATA_PREFIX") ? getenv("TESSDATA_PREFIX") : LR_OCR_DEFAULT_TESSDATA;
        char want[256] = "";
        const char *names[] = {"kor", "chi_tra", "osd", "forms"};
        for (int i = 0; i < 4; i++) {
            char path[1024], hex[LR_SHA256_HEX_LEN + 1];
            if (i < 3)
                snprintf(path, sizeof path, "%s/%s.traineddata", dir, names[i]);
            else
                snprintf(path, sizeof path, "%s/hanja_forms.tsv", lr_norm_default_data_dir());
            CHECK(lr_digest_file(path, hex, NULL, NULL) == LR_OK);
            size_t n = strlen(want);
            snprintf(want + n, sizeof want - n, "%s%s:%.16s", i ? "," : "", names[i], hex);
        }
        CHECKF(strcmp(d, want) == 0, "%s vs %s", d, want);
    }
    free(d);
    opts.orientation = false;
    opts.lang = "eng";
    opts.forms = "";
    d = lr_ocr_models_describe(&opts, &err);
    CHECK(d && strncmp(d, "eng:", 4) == 0 && strlen(d) == 4 + 16);
    free(d);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The character forms table rewrites what the models write, in the text, the hOCR and the
 * words alike; a bad table is refused with its line. */
static void character_forms(PIX *lines, const char *tmp)
{
    lr_ocr_options opts;
    lr_ocr_options_default(&opts);
    opts.psm = 6;
    opts.orientation = false;
    lr_error err;
    lr_ocr *ocr = NULL;
    lr_ocr_result r;
    /* Without a table: 城 and 路 are read (the first line is 住所 京城府 鍾路 三丁目). */
    opts.forms = "";
    CHECK(lr_ocr_new(&opts, &ocr, &err) == LR_OK);
    CHECK(ocr && lr_ocr_recognize(ocr, lines, 300, &r, &err) == LR_OK);
    bool seen = r.text && strstr(r.text, "城") && strstr(r.text, "路");
    CHECKF(seen, "no 城 or 路 in %s", r.text ? r.text : "NULL");
    lr_ocr_result_clear(&r);
    lr_ocr_destroy(&ocr);

    /* A table turning them into 成 and 露 (not real forms: a test that they are applied). */
    char path[1200];
    snprintf(path, sizeof path, "%s/ocr-forms.tsv", tmp);
    write_file(path, "seen\twritten\tnote\n# a comment\n\n城\t成\tx\n路\t露\n");
    opts.forms = path;
    CHECK(lr_ocr_new(&opts, &ocr, &err) == LR_OK);
    CHECK(ocr && lr_ocr_recognize(ocr, lines, 300, &r, &err) == LR_OK);
    CHECK(r.text && !strstr(r.text, "城") && !strstr(r.text, "路"));
    CHECK(r.text && strstr(r.text, "成") && strstr(r.text, "露"));
    CHECK(r.hocr && !strstr(r.hocr, "城") && strstr(r.hocr, "成"));
    bool in_words = false;
    for (size_t i = 0; i < r.nwords; i++) {
        CHECK(!strstr(r.words[i].text, "城") && !strstr(r.words[i].text, "路"));
        in_words = in_words || strstr(r.words[i].text, "露");
    }
    CHECK(in_words);
    lr_ocr_result_clear(&r);
    /* Regions too (the montages of pageread and the field re-reads go through them). */
    CHECK(ocr && lr_ocr_recognize_region(ocr, lines, 300, 6, 0, 0, 0, &r, &err) == LR_OK);
    in_words = false;
    for (size_t i = 0; i < r.nwords; i++)
        in_words = in_words || strstr(r.words[i].text, "成");
    CHECK(in_words);
    lr_ocr_result_clear(&r);
    lr_ocr_destroy(&ocr);
    char *d = lr_ocr_models_describe(&opts, &err);
    CHECKF(d && strstr(d, ",forms:") != NULL, "describe with forms: %s", d ? d : "NULL");
    free(d);

    /* Refused: a missing file, a field of two characters, a character of two bytes, a row
     * without its written character, a pair listed twice, a header without the columns. The
     * message names the file and, for a row, its line. */
    snprintf(path, sizeof path, "%s/ocr-forms-missing.tsv", tmp);
    CHECK(lr_ocr_new(&opts, &ocr, &err) == LR_ERR_IO && ocr == NULL);
    CHECK(strstr(err.message, "ocr-forms-missing.tsv") != NULL);
    d = lr_ocr_models_describe(&opts, &err);
    CHECK(d == NULL && err.code == LR_ERR_IO);
    static const char *bad[] = {"seen\twritten\n城城\t成\n", "seen\twritten\né\tе\n",
                                "seen\twritten\n城\n", "seen\twritten\n城\t成\n城\t成\n",
                                "h\n城\t成\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(path, sizeof path, "%s/ocr-forms-bad.tsv", tmp);
        write_file(path, bad[i]);
        CHECKF(lr_ocr_new(&opts, &ocr, &err) == LR_ERR_FORMAT && ocr == NULL, "bad table %zu", i);
        CHECKF(strstr(err.message, "ocr-forms-bad.tsv") != NULL, "%s", err.message);
        CHECKF(i >= 3 || strstr(err.message, "ocr-forms-bad.tsv:2:") != NULL, "%s", err.message);
    }
}

/* The text of a cell read of line i of lines with whitelist (NULL: any), into buf. */
static void read_line_cell(lr_ocr *ocr, PIX *lines, int i, const char *whitelist, char *buf,
                           size_t size)
{
    BOX *box = boxCreate(30, line_y[i][0], 870, line_y[i][1] - line_y[i][0]);
    PIX *crop = pixClipRectangle(lines, box, NULL);
    boxDestroy(&box);
    lr_ocr_cell_opts o = {NULL, LR_OCR_PSM_LINE, whitelist};
    char *text = NULL;
    float conf = -1;
    lr_error err;
    int rc = lr_ocr_read_cell(ocr, crop, 300, &o, &text, &conf, &err);
    CHECKF(rc == LR_OK, "cell read of line %d: %s", i, err.message);
    CHECK(conf >= 0.0f && conf <= 100.0f);
    snprintf(buf, size, "%s", text ? text : "");
    free(text);
    pixDestroy(&crop);
}

/* Cells read alone, with a handle that has no page models: the line is read; a whitelist
 * holds for its own read and not the next; page reads are refused. */
static void cell_reads(PIX *lines, const char *truth)
{
    lr_ocr_options opts;
    lr_ocr_options_default(&opts);
    opts.orientation = false;
    opts.forms = "";
    opts.pages = false;
    lr_ocr *ocr = NULL;
    lr_error err;
    CHECKF(lr_ocr_new(&opts, &ocr, &err) == LR_OK, "cells only: %s", err.message);
    if (!ocr)
        return;
    lr_ocr_result r;
    CHECK(lr_ocr_recognize(ocr, lines, 300, &r, &err) == LR_ERR_ARG);
    lr_ocr_result_clear(&r);
    CHECK(lr_ocr_recognize_region(ocr, lines, 300, 6, 0, 0, 0, &r, &err) == LR_ERR_ARG);
    lr_ocr_result_clear(&r);
    float conf;
    CHECK(lr_ocr_line_confidence(ocr, lines, 300, &conf, NULL, &err) == LR_ERR_ARG);

    char first[256], digits[256], again[256], want[256];
    snprintf(want, sizeof want, "%.*s", (int)strcspn(truth, "\n"), truth);
    read_line_cell(ocr, lines, 0, NULL, first, sizeof first);
    read_line_cell(ocr, lines, 0, "0123456789", digits, sizeof digits);
    read_line_cell(ocr, lines, 0, NULL, again, sizeof again);
    printf("cell: \"%s\", digits only: \"%s\"\n", first, digits);
    CHECKF(cer(want, first) <= 0.15, "cell read \"%s\" vs \"%s\"", first, want);
    CHECKF(digits[strspn(digits, "0123456789 \n")] == '\0', "whitelist not kept: \"%s\"", digits);
    CHECKF(strcmp(first, again) == 0, "the whitelist outlived its read: \"%s\" then \"%s\"", first,
           again);

    char *text = NULL;
    lr_ocr_cell_opts o = {"xyzzy", LR_OCR_PSM_LINE, NULL};
    CHECK(lr_ocr_read_cell(ocr, lines, 300, &o, &text, &conf, &err) == LR_ERR_OCR && !text);
    CHECK(lr_ocr_load_cell_models(ocr, "xyzzy", &err) == LR_ERR_OCR);
    CHECK(lr_ocr_load_cell_models(ocr, NULL, &err) == LR_OK);
    CHECK(lr_ocr_read_cell(ocr, NULL, 300, &o, &text, &conf, &err) == LR_ERR_ARG);
    lr_ocr_destroy(&ocr);
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_WARNING); /* Leptonica's "Info" lines about the test files */
    const char *dir = lr_test_data_dir();
    char path[1024];
    snprintf(path, sizeof path, "%s/ocr/ko-hanja-lines.png", dir);
    PIX *lines = pixRead(path);
    snprintf(path, sizeof path, "%s/ocr/ko-hanja-lines.txt", dir);
    char *truth = read_text(path);
    if (!lines || !truth) {
        fprintf(stderr, "cannot read testdata/ocr/ko-hanja-lines.png or .txt\n");
        return 99;
    }

    char version[64];
    snprintf(version, sizeof version, "tesseract %s", TessVersion());
    CHECK(strcmp(lr_ocr_engine_version(), version) == 0);
    CHECK(strncmp(lr_ocr_engine_version(), "tesseract 5.", 12) == 0);
    CHECK(lr_ocr_engine_version() == lr_ocr_engine_version());

    /* One handle, as a worker has: default languages and OSD, psm 6 as for cells. */
    lr_ocr_options opts;
    lr_ocr_options_default(&opts);
    CHECK(strcmp(opts.lang, "kor+chi_tra") == 0 && opts.psm == 4 && opts.orientation);
    opts.psm = 6;
    lr_ocr *ocr = NULL;
    lr_error err;
    int rc = lr_ocr_new(&opts, &ocr, &err);
    if (rc) {
        fprintf(stderr, "lr_ocr_new: %s: %s (%s)\n", err.message, err.detail, err.hint);
        return 99;
    }
    reuse_across_crops(ocr, lines, truth);
    whole_crop_words(ocr, lines);
    blank_and_bad_input(ocr, lines);
    /* Still usable after the refusals. */
    lr_ocr_result r;
    CHECK(lr_ocr_recognize(ocr, lines, 300, &r, &err) == LR_OK && r.nwords >= 15);
    lr_ocr_result_clear(&r);
    lr_ocr_destroy(&ocr);
    CHECK(ocr == NULL);
    lr_ocr_destroy(&ocr); /* idempotent */
    lr_ocr_destroy(NULL);
    lr_ocr_result_clear(NULL);

    missing_and_bad_languages(lr_test_tmp_dir());
    describe_real_models();
    character_forms(lines, lr_test_tmp_dir());
    cell_reads(lines, truth);

    pixDestroy(&lines);
    free(truth);
    return lr_test_finish("ocr-handle");
}
