/* landrec-synth — renders synthetic land-record sheets with exact truth (docs/synthetic.md).
 *
 * Each sheet is made from streams of random numbers derived from (seed, sheet, page,
 * purpose), so the output does not depend on --jobs, and switching --orient on changes only
 * the orientation. Sheets are shared out among --jobs worker processes by index; the parent
 * writes manifest.jsonl from the truth files when all are done. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lr_config.h"
#include "synth.h"

#define MAX_SHEETS 1000000
#define MAX_PAGES 3

typedef struct opts {
    const char *out;
    int count;
    uint64_t seed;
    lr_synth_doc types[LR_SYNTH_NDOC];
    int n_types;
    lr_synth_preset preset;
    int dpi;    /* 0: per preset */
    int colour; /* -1: per preset */
    double skew_max;
    bool skew_set;
    bool orient, multipage;
    int jobs;
    lr_synth_degradations fixed;
    unsigned fixed_mask;
    int hand; /* -1 not given (handwritten, not recorded), 0 handwritten, 1 printed, 2 mixed */
} opts;

static const char *generator(void)
{
    return "landrec-synth " LR_VERSION;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: landrec-synth --out DIR [OPTIONS]\n"
            "Renders synthetic land-record sheets (TIFF) with their exact truth (JSON).\n"
            "\n"
            "  -o, --out DIR          output directory (created): sheet-NNNN.tif, sheet-NNNN.json,\n"
            "                         manifest.jsonl\n"
            "  -n, --count N          number of sheets (default 10)\n"
            "  -s, --seed S           seed (default 1); the same seed gives the same bytes\n"
            "  -t, --types LIST       comma-separated, taken in turn: land, forest, land1950,\n"
            "                         card1975, movement, map (default all)\n"
            "  -p, --preset NAME      clean | degraded | mixed (default mixed)\n"
            "      --dpi D            resolution (50 … 1200; default 300 for clean, else drawn\n"
            "                         from 200/300/400/600)\n"
            "      --colour C         bitonal | grey | rgb (default grey for clean, else drawn)\n"
            "      --skew-max DEG     skew drawn from ±DEG (0 … 10; default 0 clean, 5 degraded,\n"
            "                         3 mixed)\n"
            "      --orient           turn pages by 0/90/180/270 degrees at random\n"
            "      --multipage        2 or 3 pages per TIFF (consecutive parcels)\n"
            "      --hand H           entries handwritten | printed | mixed (half each, per\n"
            "                         page); recorded in the truth as \"hand\" (default\n"
            "                         handwritten, not recorded)\n"
            "  -j, --jobs N           worker processes (default: cores)\n"
            "      --degrade SPEC     fix degradation parameters, e.g. yellow=0.4,noise=8\n"
            "                         (yellow, uneven_light, stains, bleed, blur, noise,\n"
            "                         jpeg_quality, contrast; names as in the truth)\n"
            "  -h, --help             this text\n"
            "  -V, --version          the version\n"
            "\n"
            "Fonts come from fonts-noto-cjk, fonts-nanum, fonts-nanum-extra and\n"
            "fonts-arphic-ukai (LANDREC_SYNTH_FONT_DIR overrides where they are looked for).\n"
            "Exit status: 0 all written, 1 some sheets failed, 2 bad options or no fonts.\n");
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || !end || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int parse_types(const char *list, opts *o)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    o->n_types = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        lr_synth_doc d = lr_synth_doc_from_cli(t);
        if (d == LR_SYNTH_NDOC) {
            fprintf(stderr, "landrec-synth: unknown type \"%s\"\n", t);
            return -1;
        }
        if (o->n_types < LR_SYNTH_NDOC)
            o->types[o->n_types++] = d;
    }
    return o->n_types ? 0 : -1;
}

static int mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */

static int pick_dpi(const opts *o, lr_synth_rng *frng)
{
    static const int dpis[4] = {200, 300, 400, 600};
    static const double w[4] = {30, 45, 17, 8};
    int k = lr_synth_rng_weighted(frng, w, 4); /* drawn always: streams stay aligned */
    if (o->dpi)
        return o->dpi;
    return o->preset == LR_SYNTH_PRESET_CLEAN ? 300 : dpis[k];
}

static lr_synth_colour pick_colour(const opts *o, lr_synth_rng *frng)
{
    static const double w[3] = {35, 35, 30};
    int k = lr_synth_rng_weighted(frng, w, 3);
    if (o->colour >= 0)
        return (lr_synth_colour)o->colour;
    return o->preset == LR_SYNTH_PRESET_CLEAN ? LR_SYNTH_GREY : (lr_synth_colour)k;
}

static double skew_max(const opts *o)
{
    if (o->skew_set)
        return o->skew_max;
    return o->preset == LR_SYNTH_PRESET_CLEAN ? 0 : o->preset == LR_SYNTH_PRESET_DEGRADED ? 5 : 3;
}

static void truth_name(int index, int page, char *buf, size_t size)
{
    if (page == 1)
        snprintf(buf, size, "sheet-%04d.json", index);
    else
        snprintf(buf, size, "sheet-%04d-p%d.json", index, page);
}

static int pages_of(const opts *o, lr_synth_rng *frng)
{
    int extra = lr_synth_rng_int(frng, 0, 1);
    return o->multipage ? 2 + extra : 1;
}

/* Makes sheet index (1-based): its TIFF and one truth file per page. */
static int make_sheet(const opts *o, lr_synth_fonts *fonts, int index, lr_error *err)
{
    int rc = LR_OK;
    PIX *stored[MAX_PAGES] = {NULL};
    PIX *pix = NULL;
    int jq[MAX_PAGES] = {0};
    lr_synth_page *page = NULL;
    char image[64], path[4096], name[64];

    lr_synth_rng frng;
    lr_synth_rng_seed(&frng, o->seed, (uint64_t)index, 0, LR_SYNTH_STREAM_FILE);
    lr_synth_doc doc = o->types[(index - 1) % o->n_types];
    lr_synth_volume vol;
    lr_synth_volume_make(doc, &frng, &vol);
    int dpi = pick_dpi(o, &frng);
    lr_synth_colour colour = pick_colour(o, &frng);
    int pages = pages_of(o, &frng);
    snprintf(image, sizeof image, "sheet-%04d.tif", index);

    for (int p = 1; p <= pages; p++) {
        if (!(page = calloc(1, sizeof *page))) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            goto done;
        }
        lr_synth_rng crng, srng, drng, prng, krng, orng;
        lr_synth_rng_seed(&crng, o->seed, (uint64_t)index, (uint64_t)p, LR_SYNTH_STREAM_CONTENT);
        lr_synth_rng_seed(&srng, o->seed, (uint64_t)index, (uint64_t)p, LR_SYNTH_STREAM_STYLE);
        lr_synth_rng_seed(&drng, o->seed, (uint64_t)index, (uint64_t)p, LR_SYNTH_STREAM_DEGRADE);
        lr_synth_rng_seed(&prng, o->seed, (uint64_t)index, (uint64_t)p, LR_SYNTH_STREAM_PIXELS);
        lr_synth_rng_seed(&krng, o->seed, (uint64_t)index, (uint64_t)p, LR_SYNTH_STREAM_SKEW);
        lr_synth_rng_seed(&orng, o->seed, (uint64_t)index, (uint64_t)p, LR_SYNTH_STREAM_ORIENT);

        lr_synth_content_make(doc, &vol, p, &crng, &page->sheet);
        if (o->hand >= 0) {
            /* Its own stream: the other draws, and so the pixels of a handwritten page, are
             * those made without --hand. */
            lr_synth_rng hrng;
            lr_synth_rng_seed(&hrng, o->seed, (uint64_t)index, (uint64_t)p, LR_SYNTH_STREAM_HAND);
            bool printed = o->hand == 2 ? lr_synth_rng_chance(&hrng, 0.5) : o->hand == 1;
            page->hand = printed ? LR_SYNTH_HAND_PRINTED : LR_SYNTH_HAND_WRITTEN;
            page->hand_recorded = true;
        }
        page->dpi = dpi;
        page->colour = colour;
        if ((rc = lr_synth_layout_render(fonts, page, colour == LR_SYNTH_RGB, &srng, &pix, err)) <
            0)
            goto done;
        lr_synth_degrade_choose(o->preset, colour, dpi, &o->fixed, o->fixed_mask, &drng,
                                &page->deg);
        double smax = skew_max(o);
        double u = lr_synth_rng_uniform(&krng);
        page->skew = smax > 0 ? round((2 * u - 1) * smax * 100) / 100 : 0;
        int q = lr_synth_rng_int(&orng, 0, 3);
        page->orientation = o->orient ? 90 * q : 0;
        if ((rc = lr_synth_degrade_apply(pix, &page->deg, page->skew, &prng, err)) < 0)
            goto done;
        if ((rc = lr_synth_geometry_and_colour(pix, page->orientation, colour,
                                               page->deg.jpeg_quality, &stored[p - 1], err)) < 0)
            goto done;
        pixDestroy(&pix);
        page->width = (int)pixGetWidth(stored[p - 1]);
        page->height = (int)pixGetHeight(stored[p - 1]);
        jq[p - 1] = colour == LR_SYNTH_BITONAL ? 0 : page->deg.jpeg_quality;
        truth_name(index, p, name, sizeof name);
        snprintf(path, sizeof path, "%s/%s", o->out, name);
        if ((rc = lr_synth_truth_write(path, page, generator(), o->seed, image, p, pages, err)) <
            0)
            goto done;
        lr_synth_page_clear(page);
        free(page);
        page = NULL;
    }
    snprintf(path, sizeof path, "%s/%s", o->out, image);
    rc = lr_synth_tiff_write(path, stored, jq, pages, dpi, generator(), err);
done:
    if (page)
        lr_synth_page_clear(page);
    free(page);
    pixDestroy(&pix);
    for (int i = 0; i < MAX_PAGES; i++)
        pixDestroy(&stored[i]);
    return rc;
}

/* Makes the sheets k, k + step, …; returns the number that failed. */
static int run_share(const opts *o, lr_synth_fonts *fonts, int k, int step)
{
    int failed = 0;
    for (int i = 1 + k; i <= o->count; i += step) {
        lr_error e;
        lr_error_clear(&e);
        if (make_sheet(o, fonts, i, &e) < 0) {
            char buf[1024];
            fprintf(stderr, "landrec-synth: sheet %d: %s\n", i, lr_error_format(&e, buf, sizeof buf));
            failed++;
        }
    }
    return failed;
}

/* manifest.jsonl: one line per truth file, from the truth files themselves. */
static int write_manifest(const opts *o, int *out_pages)
{
    char path[4096], tmp[4200];
    *out_pages = 0;
    snprintf(path, sizeof path, "%s/manifest.jsonl", o->out);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int rc = 0;
    for (int i = 1; i <= o->count && rc == 0; i++) {
        for (int p = 1; p <= MAX_PAGES; p++) {
            char name[64], tpath[4096];
            truth_name(i, p, name, sizeof name);
            snprintf(tpath, sizeof tpath, "%s/%s", o->out, name);
            json_error_t jerr;
            json_t *t = json_load_file(tpath, 0, &jerr);
            if (!t) {
                if (p == 1)
                    rc = -1;
                break;
            }
            json_t *line = json_pack("{s:O, s:s, s:O, s:O, s:O, s:O, s:O, s:O}", "image",
                                     json_object_get(t, "image"), "truth", name, "page",
                                     json_object_get(t, "page"), "pages",
                                     json_object_get(t, "pages"), "doc_type",
                                     json_object_get(t, "doc_type"), "dpi",
                                     json_object_get(t, "dpi"), "colour",
                                     json_object_get(t, "colour"), "seed",
                                     json_object_get(t, "seed"));
            json_int_t pages = json_integer_value(json_object_get(t, "pages"));
            char *s = line ? json_dumps(line, JSON_COMPACT) : NULL;
            if (s)
                fprintf(f, "%s\n", s);
            else
                rc = -1;
            free(s);
            json_decref(line);
            json_decref(t);
            (*out_pages)++;
            if (p >= pages)
                break;
        }
    }
    if (fclose(f) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0)
        remove(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    o.count = 10;
    o.seed = 1;
    o.preset = LR_SYNTH_PRESET_MIXED;
    o.colour = -1;
    o.hand = -1;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = ncpu > 0 ? (int)ncpu : 1;
    for (int i = 0; i < LR_SYNTH_NDOC; i++)
        o.types[i] = (lr_synth_doc)i;
    o.n_types = LR_SYNTH_NDOC;

    enum { OPT_DPI = 1000, OPT_COLOUR, OPT_SKEW, OPT_ORIENT, OPT_MULTI, OPT_DEGRADE, OPT_HAND };
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},     {"count", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},    {"types", required_argument, NULL, 't'},
        {"preset", required_argument, NULL, 'p'},  {"dpi", required_argument, NULL, OPT_DPI},
        {"colour", required_argument, NULL, OPT_COLOUR},
        {"color", required_argument, NULL, OPT_COLOUR},
        {"skew-max", required_argument, NULL, OPT_SKEW},
        {"orient", no_argument, NULL, OPT_ORIENT}, {"multipage", no_argument, NULL, OPT_MULTI},
        {"jobs", required_argument, NULL, 'j'},    {"degrade", required_argument, NULL, OPT_DEGRADE},
        {"hand", required_argument, NULL, OPT_HAND},
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "o:n:s:t:p:j:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'n':
            if (!parse_int(optarg, 1, MAX_SHEETS, &v)) {
                fprintf(stderr, "landrec-synth: --count takes 1 … %d\n", MAX_SHEETS);
                return 2;
            }
            o.count = (int)v;
            break;
        case 's': {
            char *end = NULL;
            errno = 0;
            unsigned long long s = strtoull(optarg, &end, 10);
            if (errno || !end || end == optarg || *end || optarg[0] == '-' ||
                s > 9007199254740991ull) {
                fprintf(stderr, "landrec-synth: --seed takes a whole number 0 … 2^53-1\n");
                return 2;
            }
            o.seed = s;
            break;
        }
        case 't':
            if (parse_types(optarg, &o) < 0) {
                fprintf(stderr, "landrec-synth: --types takes land, forest, land1950, card1975, "
                                "movement, map (comma-separated)\n");
                return 2;
            }
            break;
        case 'p':
            if (strcmp(optarg, "clean") == 0)
                o.preset = LR_SYNTH_PRESET_CLEAN;
            else if (strcmp(optarg, "degraded") == 0)
                o.preset = LR_SYNTH_PRESET_DEGRADED;
            else if (strcmp(optarg, "mixed") == 0)
                o.preset = LR_SYNTH_PRESET_MIXED;
            else {
                fprintf(stderr, "landrec-synth: --preset takes clean, degraded or mixed\n");
                return 2;
            }
            break;
        case OPT_DPI:
            if (!parse_int(optarg, 50, 1200, &v)) {
                fprintf(stderr, "landrec-synth: --dpi takes 50 … 1200\n");
                return 2;
            }
            o.dpi = (int)v;
            break;
        case OPT_COLOUR:
            if (strcmp(optarg, "bitonal") == 0)
                o.colour = LR_SYNTH_BITONAL;
            else if (strcmp(optarg, "grey") == 0 || strcmp(optarg, "gray") == 0)
                o.colour = LR_SYNTH_GREY;
            else if (strcmp(optarg, "rgb") == 0)
                o.colour = LR_SYNTH_RGB;
            else {
                fprintf(stderr, "landrec-synth: --colour takes bitonal, grey or rgb\n");
                return 2;
            }
            break;
        case OPT_SKEW: {
            char *end = NULL;
            errno = 0;
            double d = strtod(optarg, &end);
            if (errno || !end || end == optarg || *end || !(d >= 0 && d <= 10)) {
                fprintf(stderr, "landrec-synth: --skew-max takes 0 … 10 degrees\n");
                return 2;
            }
            o.skew_max = d;
            o.skew_set = true;
            break;
        }
        case OPT_ORIENT: o.orient = true; break;
        case OPT_MULTI: o.multipage = true; break;
        case OPT_HAND:
            if (strcmp(optarg, "handwritten") == 0)
                o.hand = 0;
            else if (strcmp(optarg, "printed") == 0)
                o.hand = 1;
            else if (strcmp(optarg, "mixed") == 0)
                o.hand = 2;
            else {
                fprintf(stderr, "landrec-synth: --hand takes handwritten, printed or mixed\n");
                return 2;
            }
            break;
        case 'j':
            if (!parse_int(optarg, 1, 256, &v)) {
                fprintf(stderr, "landrec-synth: --jobs takes 1 … 256\n");
                return 2;
            }
            o.jobs = (int)v;
            break;
        case OPT_DEGRADE: {
            lr_error e;
            lr_error_clear(&e);
            unsigned mask = 0;
            if (lr_synth_degrade_parse(optarg, &o.fixed, &mask, &e) < 0) {
                fprintf(stderr, "landrec-synth: %s\n", e.message);
                if (e.hint[0])
                    fprintf(stderr, "hint: %s\n", e.hint);
                return 2;
            }
            o.fixed_mask |= mask;
            break;
        }
        case 'h': usage(stdout); return 0;
        case 'V': printf("%s\n", generator()); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "landrec-synth: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    if (!o.out) {
        fprintf(stderr, "landrec-synth: --out DIR is required (see --help)\n");
        return 2;
    }
    if (o.jobs > o.count)
        o.jobs = o.count;
    setMsgSeverity(L_SEVERITY_ERROR);

    /* Fonts first: without them nothing can be made, and the reason must be clear. */
    lr_synth_fonts *fonts = NULL;
    lr_error e;
    lr_error_clear(&e);
    char warning[512];
    if (lr_synth_fonts_open(&fonts, warning, sizeof warning, &e) < 0) {
        char buf[1024];
        fprintf(stderr, "landrec-synth: %s\n", lr_error_format(&e, buf, sizeof buf));
        if (e.hint[0])
            fprintf(stderr, "hint: %s\n", e.hint);
        return 2;
    }
    if (warning[0])
        fprintf(stderr, "landrec-synth: warning: %s; using fallbacks\n", warning);
    if (mkdirs(o.out) != 0) {
        fprintf(stderr, "landrec-synth: could not create %s: %s\n", o.out, strerror(errno));
        lr_synth_fonts_close(&fonts);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int failed = 0;
    if (o.jobs <= 1) {
        failed = run_share(&o, fonts, 0, 1);
    } else {
        /* Each worker opens its own FreeType library (not shared across processes). */
        lr_synth_fonts_close(&fonts);
        pid_t pids[256];
        int started = 0;
        fflush(NULL);
        for (int k = 0; k < o.jobs; k++) {
            pid_t pid = fork();
            if (pid < 0) {
                fprintf(stderr, "landrec-synth: fork: %s\n", strerror(errno));
                failed++;
                break;
            }
            if (pid == 0) {
                lr_synth_fonts *wf = NULL;
                lr_error we;
                lr_error_clear(&we);
                if (lr_synth_fonts_open(&wf, NULL, 0, &we) < 0)
                    _exit(1);
                int n = run_share(&o, wf, k, o.jobs);
                lr_synth_fonts_close(&wf);
                fflush(NULL);
                _exit(n ? 1 : 0);
            }
            pids[started++] = pid;
        }
        for (int k = 0; k < started; k++) {
            int status = 0;
            if (waitpid(pids[k], &status, 0) < 0 || !WIFEXITED(status) ||
                WEXITSTATUS(status) != 0)
                failed++;
        }
    }
    lr_synth_fonts_close(&fonts);
    int pages = 0;
    if (write_manifest(&o, &pages) != 0) {
        fprintf(stderr, "landrec-synth: could not write %s/manifest.jsonl (some sheets "
                        "missing)\n",
                o.out);
        failed++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "landrec-synth: %d sheets, %d pages in %s (%.1f s)%s\n", o.count, pages, o.out,
            secs, failed ? "; some failed" : "");
    return failed ? 1 : 0;
}
