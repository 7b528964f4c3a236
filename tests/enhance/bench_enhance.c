/* bench_enhance.c — milliseconds per step of lr_enhance_page (meson benchmark, not a test):
 * the committed sample pages, the same pages scaled to 300-dpi A4, Leptonica's feyn.tif when
 * ../shared/realdata is there, and the peak memory of one 400-dpi A3 colour page.
 *
 *   meson test -C build --benchmark --suite enhance -v
 *   build/tests/enhance/bench_enhance [runs]
 *
 * Each figure is the median of the runs (default 7); one thread, as a worker runs. */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "enh_test.h"
#include "landrec/clock.h"
#include "landrec/enhance.h"

static int runs = 7;

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static float median(float *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_float);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void bench(const char *label, PIX *pix, int orientation, int dpi)
{
    enum { NSTAGE = 7 };
    float *t = calloc((size_t)runs * NSTAGE, sizeof *t);
    float skew = 0;
    for (int r = 0; r < runs; r++) {
        lr_enhanced e;
        lr_error err;
        double t0 = lr_clock_ms();
        if (lr_enhance_page(pix, orientation, dpi, NULL, &e, &err) != 0) {
            fprintf(stderr, "%s: %s\n", label, err.message);
            free(t);
            return;
        }
        float total = (float)(lr_clock_ms() - t0);
        float row[NSTAGE] = {e.ms.orient_ms,     e.ms.skew_ms,     e.ms.deskew_ms, e.ms.border_ms,
                             e.ms.background_ms, e.ms.binarize_ms, total};
        for (int s = 0; s < NSTAGE; s++)
            t[s * runs + r] = row[s];
        skew = e.skew_deg;
        lr_enhanced_clear(&e);
    }
    float m[NSTAGE];
    for (int s = 0; s < NSTAGE; s++)
        m[s] = median(t + s * runs, runs);
    printf("%-34s %5dx%-5d %2d %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f %7.1f  %+6.2f\n", label,
           pixGetWidth(pix), pixGetHeight(pix), pixGetDepth(pix), m[0], m[1], m[2], m[3], m[4],
           m[5], m[6], skew);
    fflush(stdout);
    free(t);
}

/* pix scaled to exactly w x h (same depth), resolution set. */
static PIX *scaled_to(PIX *pix, int w, int h, int dpi)
{
    PIX *s = pixGetDepth(pix) == 1
                 ? pixScaleBinary(pix, (float)w / pixGetWidth(pix), (float)h / pixGetHeight(pix))
                 : pixScaleToSize(pix, w, h);
    if (s)
        pixSetResolution(s, dpi, dpi);
    return s;
}

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0)
            v = strtol(line + n, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

/* In a child process: a 400-dpi A3 colour page, enhanced once; prints the resident memory
 * before, the peak during lr_enhance_page (VmHWM reset just before) and the page's size. */
static void memory_case(int orientation)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return;
    if (pid > 0) {
        int status;
        waitpid(pid, &status, 0);
        return;
    }
    PIX *sample = enh_read_sample("ledger-a-colour-jpeg-rot90.tif", 0);
    PIX *up = sample ? lr_enhance_rotate_orth(sample, 270) : NULL;
    pixDestroy(&sample);
    /* A3 at 400 dpi: 4678 x 6622, given turned when orientation is not 0. */
    PIX *a3 = up ? scaled_to(up, 4678, 6622, 400) : NULL;
    pixDestroy(&up);
    if (a3 && orientation) {
        PIX *t = lr_enhance_rotate_orth(a3, 360 - orientation);
        pixDestroy(&a3);
        a3 = t;
    }
    if (!a3)
        _exit(1);
    long before = status_kb("VmRSS:");
    FILE *f = fopen("/proc/self/clear_refs", "w"); /* "5" resets the peak (VmHWM) */
    bool reset = f && fputs("5", f) >= 0;
    if (f)
        reset = fclose(f) == 0 && reset;
    lr_enhanced e;
    lr_error err;
    double t0 = lr_clock_ms();
    int rc = lr_enhance_page(a3, orientation, 400, NULL, &e, &err);
    double ms = lr_clock_ms() - t0;
    long peak = status_kb("VmHWM:");
    printf("A3 400 dpi colour %dx%d, orientation %3d: %s in %.0f ms; page %.0f MB; RSS before "
           "%.0f MB, peak %.0f MB%s (enhance adds %.0f MB)\n",
           pixGetWidth(a3), pixGetHeight(a3), orientation, rc ? err.message : "enhanced", ms,
           pixGetWidth(a3) * (double)pixGetHeight(a3) * 4 / 1048576.0, before / 1024.0,
           peak / 1024.0, reset ? "" : " (peak not reset: includes making the page)",
           (peak - before) / 1024.0);
    fflush(stdout);
    lr_enhanced_clear(&e);
    pixDestroy(&a3);
    _exit(0);
}

int main(int argc, char **argv)
{
    setMsgSeverity(L_SEVERITY_ERROR);
    if (argc > 1)
        runs = atoi(argv[1]) > 0 ? atoi(argv[1]) : runs;
    printf("median of %d runs, milliseconds\n", runs);
    printf("%-34s %11s %2s %6s %6s %6s %6s %6s %6s %7s  %6s\n", "page", "size", "d", "orient",
           "skew", "deskew", "border", "bg", "binar", "total", "skew°");

    enh_truth rows[16];
    int n = enh_read_truth(rows, 16);
    for (int i = 0; i < n; i++) {
        PIX *pix = enh_read_sample(rows[i].file, rows[i].page - 1);
        if (!pix)
            continue;
        char label[160];
        snprintf(label, sizeof label, "%.28s p%d", rows[i].file, rows[i].page);
        bench(label, pix, rows[i].orientation, 300);
        pixDestroy(&pix);
    }

    /* The A5 samples scaled to A4 at 300 dpi (2480 x 3508): what the budget is about. */
    const char *a4[] = {"ledger-a-bitonal-g4.tif", "ledger-b-grey-lzw.tif",
                        "ledger-a-colour-jpeg-rot90.tif"};
    for (int i = 0; i < 3; i++) {
        PIX *pix = enh_read_sample(a4[i], 0);
        PIX *up = pix ? lr_enhance_rotate_orth(pix, i == 2 ? 270 : 0) : NULL;
        PIX *big = up ? scaled_to(up, 2480, 3508, 300) : NULL;
        if (big) {
            char label[160];
            snprintf(label, sizeof label, "A4 300 dpi %s",
                     i == 0   ? "bitonal"
                     : i == 1 ? "grey"
                              : "colour");
            bench(label, big, 0, 300);
        }
        pixDestroy(&big);
        pixDestroy(&up);
        pixDestroy(&pix);
    }

    char path[1024];
    snprintf(path, sizeof path, "%s/leptonica/feyn.tif", enh_realdata_dir());
    PIX *feyn = enh_file_exists(path) ? pixRead(path) : NULL;
    if (feyn) {
        bench("feyn.tif (bitonal)", feyn, 0, 300);
        PIX *g = pixConvertTo8(feyn, FALSE);
        pixSetResolution(g, 300, 300);
        bench("feyn.tif as grey", g, 0, 300);
        pixDestroy(&g);
        pixDestroy(&feyn);
    } else {
        printf("feyn.tif: not found in %s/leptonica, skipped\n", enh_realdata_dir());
    }

    memory_case(0);
    memory_case(90);
    return 0;
}
