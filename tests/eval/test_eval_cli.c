/* test_eval_cli.c — "landrec eval" as a command: bad options, no data, and (when the shared
 * real data is present) a small run of the skew and binarization stages, checking the table,
 * the per-item lines, the report section inserted newest first between its markers without
 * touching the bench.sh section, and the SVG plots. About 2 s. */
#include <math.h>
#include <unistd.h>

#include "eval_run.h"
#include "lr_test.h"

static const char *landrec;

static int eval_status(const char *args)
{
    return run_quiet("'%s' eval %s >/dev/null 2>&1", landrec, args);
}

/* The number after "key" in s (e.g. "mean " → 0.289), NAN when absent. */
static double number_after(const char *s, const char *key)
{
    const char *p = s ? strstr(s, key) : NULL;
    return p ? strtod(p + strlen(key), NULL) : NAN;
}

/* Checks a plot: an SVG document that says its data and command, well-formed XML. */
static void check_svg(const char *path)
{
    char *svg = slurp(path);
    CHECKF(svg != NULL, "%s missing", path);
    if (!svg)
        return;
    CHECKF(!strncmp(svg, "<svg ", 5), "%s does not start with <svg", path);
    size_t n = strlen(svg);
    CHECKF(n > 7 && !strcmp(svg + n - 7, "</svg>\n"), "%s does not end with </svg>", path);
    CHECKF(strstr(svg, "data: ") && strstr(svg, "command: landrec eval"),
           "%s does not state its data and command", path);
    CHECKF(n < 40000, "%s is %zu bytes: not commit-sized", path, n);
    free(svg);
    if (run_quiet("command -v python3 >/dev/null") == 0)
        CHECKF(run_quiet("python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' '%s'",
                         path) == 0,
               "%s is not well-formed XML", path);
}

int main(void)
{
    landrec = getenv("LANDREC");
    if (!landrec) {
        fputs("LANDREC is not set\n", stderr);
        return 99;
    }
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s/eval-cli", lr_test_tmp_dir());
    if (run_quiet("rm -rf '%s' && mkdir -p '%s/img'", tmp, tmp) != 0)
        return 99;

    /* Options: exit status 2 for what cannot run. */
    CHECK(eval_status("--stages skew,nonsense") == 2);
    CHECK(eval_status("--jobs 0") == 2);
    CHECK(eval_status("--limit x") == 2);
    CHECK(eval_status("stray-argument") == 2);
    CHECK(eval_status("--realdata /nonexistent --stages skew,binarize") == 2);
    CHECK(eval_status("--help") == 0);

    const char *real = getenv("LR_REALDATA");
    char probe[1200];
    snprintf(probe, sizeof probe, "%s/dibco/2009/gt", real ? real : "");
    struct stat st;
    if (!real || stat(probe, &st) != 0) {
        printf("eval-cli: no real data at %s: the run on it is skipped\n", real ? real : "(unset)");
        return lr_test_finish("eval-cli");
    }

    /* A report with a bench.sh section and the eval markers. */
    char report[1200];
    snprintf(report, sizeof report, "%s/bench.md", tmp);
    const char *bench = "# Benchmarks\n\n<!-- bench.sh results: newest first -->\n\n"
                        "### 2026-01-01 — 12 pages, 2 cores, x86_64\n\n"
                        "| measure | landrec | OCRmyPDF 14 |\n|---|---|---|\n"
                        "| pages per minute | 120.0 | 30.0 |\n\n"
                        "## Evaluation\n\n<!-- eval results: newest first -->\n\n"
                        "### OLDER SECTION\n\n<!-- eval results end -->\n";
    if (spit(report, bench) != 0)
        return 99;

    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' eval --realdata '%s' --stages skew,binarize --limit 2 -j 2 -v "
             "--report '%s' --svg-dir '%s/img'",
             landrec, real, report, tmp);
    char *out = NULL;
    int rc = run_capture(cmd, &out);
    CHECKF(rc == 0 || rc == 1, "exit status %d", rc);
    if (!out)
        return 99;

    /* Per-item lines: two of each data set, none failed. */
    CHECK(count_of(out, "[skew] sbrunner-deskew/") == 2);
    CHECK(count_of(out, "[skew] leptonica/") == 2);
    CHECK(count_of(out, "[binarize] dibco/2009/") == 2);
    CHECK(count_of(out, "failed") == 0);

    /* The table: one row per data set with numbers and a verdict. */
    CHECK(strstr(out, "| stage | measure | data | measured | target | |") != NULL);
    char *sb = find_row(out, "| skew |", "sbrunner-deskew 1–7");
    char *lp = find_row(out, "| skew |", "leptonica: 2 images × 8 angles");
    char *db = find_row(out, "| binarization |", "dibco 2009, 2 images");
    CHECKF(sb && lp && db, "rows missing:\n%s", out);
    char *skew_rows[2] = {sb, lp};
    for (int i = 0; i < 2; i++) {
        double mean = number_after(skew_rows[i], "| mean "),
               max = number_after(skew_rows[i], "°, max ");
        CHECKF(isfinite(mean) && isfinite(max) && mean >= 0 && max >= mean, "row: %s",
               skew_rows[i] ? skew_rows[i] : "(none)");
        CHECK(skew_rows[i] &&
              (strstr(skew_rows[i], "| pass |") || strstr(skew_rows[i], "| **miss** |")));
    }
    /* Leptonica's own rotations: recovered to well under a degree. */
    CHECKF(number_after(lp, "°, max ") < 0.5, "%s", lp ? lp : "");
    double f = number_after(db, "F **"), psnr = number_after(db, "PSNR "),
           drd = number_after(db, "DRD ");
    CHECKF(f > 50 && f <= 100 && psnr > 5 && psnr < 60 && drd >= 0 && drd < 50, "%s", db ? db : "");
    char *otsu = find_row(out, "`--binarize otsu`", NULL);
    CHECK(otsu != NULL);
    free(otsu);
    CHECK(strstr(out, "Command: `landrec eval --realdata") != NULL);
    free(sb);
    free(lp);
    free(db);

    /* The report: the new section right after the marker, the older one kept below it, the
     * bench.sh section untouched. */
    char *rep = slurp(report);
    CHECK(rep && !strncmp(rep, bench, strstr(bench, "## Evaluation") - bench));
    const char *mark = rep ? strstr(rep, "<!-- eval results: newest first -->") : NULL;
    const char *mine = mark ? strstr(mark, "— landrec eval,") : NULL;
    const char *older = mark ? strstr(mark, "### OLDER SECTION") : NULL;
    CHECK(mine && older && mine < older);
    CHECK(rep && strstr(rep, "<!-- eval results end -->") > older);
    CHECK(rep && strstr(rep, "![skew error per measurement](img/eval-") != NULL);
    CHECK(rep && strstr(rep, "![F-measure per DIBCO image](img/eval-") != NULL);
    free(rep);

    /* The plots the section links. */
    char *ls = NULL;
    snprintf(cmd, sizeof cmd, "ls '%s/img'", tmp);
    run_capture(cmd, &ls);
    CHECK(ls && count_of(ls, "-skew.svg") == 1 && count_of(ls, "-dibco.svg") == 1 &&
          count_of(ls, "-cer.svg") == 0);
    if (ls)
        for (char *line = strtok(ls, "\n"); line; line = strtok(NULL, "\n")) {
            char path[1400];
            snprintf(path, sizeof path, "%s/img/%s", tmp, line);
            check_svg(path);
        }
    free(ls);
    free(out);

    /* A report without markers gets them, with the section between. */
    snprintf(report, sizeof report, "%s/plain.md", tmp);
    if (spit(report, "# Plain\n\nSome text.\n") != 0)
        return 99;
    snprintf(cmd, sizeof cmd,
             "--realdata '%s' --stages skew --limit 1 -j 1 --report '%s' "
             "--svg-dir '%s/img'",
             real, report, tmp);
    rc = eval_status(cmd);
    CHECK(rc == 0 || rc == 1);
    rep = slurp(report);
    const char *b = rep ? strstr(rep, "<!-- eval results: newest first -->") : NULL;
    const char *s = b ? strstr(b, "— landrec eval,") : NULL;
    const char *e = s ? strstr(s, "<!-- eval results end -->") : NULL;
    CHECK(rep && !strncmp(rep, "# Plain\n\nSome text.\n", 20) && b && s && e);
    free(rep);

    return lr_test_finish("eval-cli");
}
