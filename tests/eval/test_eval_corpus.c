/* test_eval_corpus.c — "landrec eval --corpus" on a hand-made synthetic corpus in the
 * landrec-synth/1 truth format: two sheets rendered with ImageMagick (one clean and upright,
 * one turned upside down, skewed 2° and noisy), plus two truth files it must skip. Checks that
 * the sheets are read, split into clean and degraded, scored (orientation, skew, CER by
 * script, time per stage) and summed up. Skipped when ImageMagick or a Korean font is
 * missing. About 5 s. */
#include <math.h>

#include "eval_run.h"
#include "lr_test.h"

static const char *const lines[] = {
    "土地臺帳 京畿道 高陽郡",
    "경성부 종로구 관철동 123번지",
    "지목 대 면적 45평 소유자 김철수",
    "1925년 3월 15일 매매로 이전",
};
#define NLINES (sizeof lines / sizeof *lines)
#define FONT "Noto-Sans-CJK-KR"
/* The lines' ink on the upright page, as ImageMagick's -trim finds it: each starts at
 * x 92, y 102 + 120·i, and is 42–43 px high; these widths. */
static const int line_width[NLINES] = {457, 535, 575, 522};

/* Renders the lines into dir/name with ImageMagick, then applies ops. */
static int render(const char *dir, const char *name, const char *ops)
{
    char cmd[4096];
    int n = snprintf(cmd, sizeof cmd,
                     "convert -size 1700x700 xc:white -font " FONT " -pointsize 44 -fill black");
    for (size_t i = 0; i < NLINES; i++)
        n += snprintf(cmd + n, sizeof cmd - (size_t)n, " -annotate +90+%zu '%s'", 140 + 120 * i,
                      lines[i]);
    snprintf(cmd + n, sizeof cmd - (size_t)n,
             " -background white %s -density 300 -units PixelsPerInch -type Grayscale "
             "-compress lzw '%s/%s'",
             ops, dir, name);
    return run_quiet("%s", cmd);
}

static int write_truth(const char *dir, int k, int orientation, double skew,
                       const char *degradations)
{
    char path[1200], text[1024] = "", boxes[2048] = "";
    snprintf(path, sizeof path, "%s/sheet-%04d.json", dir, k);
    size_t n = 0;
    for (size_t i = 0; i < NLINES; i++) {
        strcat(text, lines[i]);
        if (i + 1 < NLINES)
            strcat(text, "\\n");
        n += (size_t)snprintf(boxes + n, sizeof boxes - n,
                              "%s{\"text\": \"%s\", \"box\": [92, %zu, %d, %zu]}", i ? ", " : "",
                              lines[i], 102 + 120 * i, 92 + line_width[i], 145 + 120 * i);
    }
    char json[8192];
    snprintf(json, sizeof json,
             "{\"format\": \"landrec-synth/1\", \"image\": \"sheet-%04d.tif\", \"page\": 1, "
             "\"pages\": 1, \"doc_type\": \"land_ledger\", \"width\": 1700, \"height\": 700, "
             "\"dpi\": 300, \"colour\": \"grey\", \"orientation\": %d, \"skew\": %.1f, "
             "\"degradations\": %s, \"text\": \"%s\", \"lines\": [%s], \"fields\": {}, "
             "\"marks\": []%s}\n",
             k, orientation, skew, degradations, text, boxes,
             k == 1 ? ", \"hand\": \"printed\"" : "");
    return spit(path, json);
}

static double number_after(const char *s, const char *key)
{
    const char *p = s ? strstr(s, key) : NULL;
    return p ? strtod(p + strlen(key), NULL) : NAN;
}

/* The per-item line of a sheet, copied; NULL when absent. Caller frees. */
static char *item_line(const char *out, const char *sheet)
{
    const char *p = strstr(out, sheet);
    while (p && p > out && p[-1] != '\n')
        p--;
    if (!p)
        return NULL;
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

int main(void)
{
    const char *landrec = getenv("LANDREC");
    if (!landrec)
        return 99;
    if (run_quiet("command -v convert >/dev/null && convert -list font | grep -q 'Font: " FONT
                  "$'") != 0) {
        puts("eval-corpus: ImageMagick or the " FONT " font is missing: skipped");
        return 77;
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/eval-corpus", lr_test_tmp_dir());
    if (run_quiet("rm -rf '%s' && mkdir -p '%s'", dir, dir) != 0)
        return 99;

    /* Sheet 1: clean, upright, straight. Sheet 2: content turned 2° counter-clockwise about
     * the centre, size kept, as landrec-synth does (ImageMagick turns clockwise for positive
     * angles), then upside down, then noise. */
    if (render(dir, "sheet-0001.tif", "") != 0 ||
        render(dir, "sheet-0002.tif",
               "-virtual-pixel white -distort SRT -2 -rotate 180 -attenuate 0.3 +noise "
               "Gaussian") != 0 ||
        write_truth(dir, 1, 0, 0.0, "{}") != 0 ||
        write_truth(dir, 2, 180, 2.0, "{\"noise\": 0.3, \"blur\": 0}") != 0)
        return 99;
    /* Not truth files of the generator: skipped with a warning, not fatal. */
    char path[1200];
    snprintf(path, sizeof path, "%s/sheet-0003.json", dir);
    spit(path, "{\"format\": \"something-else/1\", \"image\": \"x.tif\", \"text\": \"\"}\n");
    snprintf(path, sizeof path, "%s/sheet-0004.json", dir);
    spit(path, "{ not json\n");

    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' eval --corpus '%s' --realdata /nonexistent "
             "--stages orientation,skew,ocr,throughput -j 2 -v --dump-text '%s/dump/texts'",
             landrec, dir, dir);
    char *out = NULL;
    int rc = run_capture(cmd, &out);
    CHECKF(rc == 0 || rc == 1, "exit status %d", rc);
    if (!out)
        return 99;

    char *clean = item_line(out, "sheet-0001.tif (clean printed)");
    char *degraded = item_line(out, "sheet-0002.tif (degraded)");
    CHECKF(clean && degraded, "per-sheet lines missing:\n%s", out);
    CHECK(count_of(out, "[synthetic]") == 2);
    CHECK(count_of(out, "failed") == 0);
    /* The clean sheet: upright found, straight, read well (a wrong truth text or a broken
     * scorer would put the CER near 100 %). */
    CHECKF(clean && strstr(clean, "orientation truth 0, found 0"), "%s", clean ? clean : "");
    CHECKF(fabs(number_after(clean, "error ")) < 0.3, "%s", clean ? clean : "");
    CHECKF(number_after(clean, "Hangul ") < 15.0, "%s", clean ? clean : "");
    CHECK(clean && strstr(clean, "ms: decode "));
    /* Scored by position first (the truth has line boxes), then in reading order; the words
     * found their lines. */
    CHECKF(clean && strstr(clean, "CER by position ") && strstr(clean, "; in reading order "), "%s",
           clean ? clean : "");
    CHECKF(number_after(clean, " words, ") <= 1, "%s", clean ? clean : "");
    /* The degraded sheet, upside down and 2° askew, is turned (rightly or not: OSD is unsure
     * on it) and deskewed before it is read: its words are carried back onto the truth's
     * page, where they find their lines too (a wrong carry would leave them on none). */
    CHECKF(number_after(degraded, " words, ") <= 2, "%s", degraded ? degraded : "");

    /* The summary rows. */
    char *ori = find_row(out, "| orientation |", "synthetic sheets");
    char *sk = find_row(out, "| skew |", "synthetic sheets, truth +0.0…+2.0° (2)");
    char *oc = find_row(out, "| OCR |", "synthetic sheets, clean printed (1;");
    char *od = find_row(out, "| OCR |", "synthetic sheets, degraded (1;");
    char *th = find_row(out, "| throughput | pages/min per core |", "synthetic sheets");
    char *ms = find_row(out, "| throughput | ms per page by stage", "synthetic sheets");
    CHECKF(ori && sk && oc && od && th && ms, "rows missing:\n%s", out);
    CHECK(ori && strstr(ori, "/2)"));
    CHECKF(number_after(oc, "Hangul ") < 15.0, "%s", oc ? oc : "");
    CHECK(oc && strstr(oc, "Hangul ≤ 2 %, Hanja ≤ 5 %"));
    CHECKF(oc && strstr(oc, "CER by position") && strstr(oc, "; reading order: all ") &&
               !strstr(oc, "without line boxes"),
           "%s", oc ? oc : "");
    /* --dump-text: each sheet's recognised text, the directory made with its parent. */
    char *dump1 = NULL, *dump2 = NULL;
    snprintf(path, sizeof path, "%s/dump/texts/sheet-0001.tif.txt", dir);
    dump1 = slurp(path);
    snprintf(path, sizeof path, "%s/dump/texts/sheet-0002.tif.txt", dir);
    dump2 = slurp(path);
    CHECKF(dump1 && dump2 && strlen(dump1) > 20 && strstr(dump1, "123"), "dumped: %s",
           dump1 ? dump1 : "(none)");
    free(dump1);
    free(dump2);
    /* A directory that cannot be made: nothing runs (exit 2). */
    snprintf(cmd, sizeof cmd,
             "'%s' eval --corpus '%s' --realdata /nonexistent --stages ocr --dump-text "
             "/dev/null/texts 2>/dev/null",
             landrec, dir);
    char *out3 = NULL;
    CHECK(run_capture(cmd, &out3) == 2);
    free(out3);
    CHECK(od && strstr(od, "— (reported)"));
    CHECKF(number_after(th, "**") > 0, "%s", th ? th : "");
    CHECK(strstr(out, "2 sheets (1 clean, 1 degraded), 1 of them with printed entries (some truth "
                      "files unreadable)") != NULL);
    free(ori);

    /* The same sheets as an orientation corpus: orientation only, its own row. */
    snprintf(cmd, sizeof cmd,
             "'%s' eval --orientation-corpus '%s' --realdata /nonexistent --stages orientation,ocr "
             "-j 1 -v 2>/dev/null",
             landrec, dir);
    char *out2 = NULL;
    rc = run_capture(cmd, &out2);
    CHECKF(rc == 0 || rc == 1, "exit status %d", rc);
    ori =
        out2 ? find_row(out2, "| orientation |", "synthetic sheets turned by 0/90/180/270°") : NULL;
    CHECKF(ori && strstr(ori, "/2)"), "%s", out2 ? out2 : "");
    CHECK(out2 && count_of(out2, "[turned] sheet-") == 2 && !strstr(out2, "| OCR |") &&
          !strstr(out2, "CER"));
    free(ori);
    free(out2);
    free(sk);
    free(oc);
    free(od);
    free(th);
    free(ms);
    free(clean);
    free(degraded);
    free(out);
    return lr_test_finish("eval-corpus");
}
