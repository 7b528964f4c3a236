/* eval.c — runs the evaluation: items are handed to worker processes through a shared
 * counter; each worker writes its item's fixed-size result into shared memory, so a worker
 * that crashes costs one item and the rest are still reported. Then the results are summed
 * up against the targets (docs/evaluation.md).
 */
#include <errno.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eval_geom.h"
#include "eval_internal.h"
#include "landrec/clock.h"
#include "landrec/enhance.h"
#include "landrec/image.h"
#include "landrec/log.h"
#include "landrec/ocr.h"
#include "landrec/orient.h"
#include "landrec/page.h"
#include "landrec/pipeline.h"

/* ---- The worker -------------------------------------------------------------------------- */

typedef struct worker {
    unsigned stages;
    const char *dump_dir; /* --dump-text: where the recognised texts go, or NULL */
    lr_pipeline_options po;
    lr_ocr *ocr_default; /* kor+chi_tra with OSD, as "landrec run" */
    lr_ocr *ocr_eng;     /* eng with OSD, for the English test pages */
} worker;

static int get_ocr(worker *w, bool eng, lr_ocr **out, lr_error *err)
{
    *out = NULL;
    lr_ocr **slot = eng ? &w->ocr_eng : &w->ocr_default;
    if (!*slot) {
        lr_ocr_options oo = w->po.ocr;
        oo.orientation = true;
        if (eng)
            oo.lang = "eng";
        int rc = lr_ocr_new(&oo, slot, err);
        if (rc < 0)
            return rc;
    }
    *out = *slot;
    return LR_OK;
}

/* Decodes the item's page as the pipeline does into *pg (clear with lr_page_clear, also
 * after failure). */
static int decode(const item *it, lr_page *pg, lr_error *err)
{
    memset(pg, 0, sizeof *pg);
    lr_source *src = NULL;
    int rc = lr_image_open(it->path, NULL, &src, NULL, err);
    if (rc == LR_OK)
        rc = lr_page_decode(src, it->page, pg, err);
    lr_image_close(&src);
    return rc;
}

/* The orientation found (lr_orient_detect: the ruled table, else OSD at LR_OCR_OSD_DPI and
 * the text-line fallback when OSD is unsure) into r. */
static void note_orientation(const lr_orientation *o, result *r)
{
    r->orient = o->deg;
    r->orient_conf = o->osd_conf;
    r->orient_source = (int)o->source;
    r->orient_fallback = o->fallback_ran;
    r->orient_votes[0] = o->votes_first;
    r->orient_votes[1] = o->votes_second;
    r->orient_fallback_ms = o->fallback_ms;
    r->orient_ruling_ran = o->ruling_ran;
    r->orient_ruling_ms = o->ruling_ms;
    r->has_orient = true;
}

/* The decoded page pg through the stages up to last as the pipeline runs them (page.h), with
 * the default or the English engine; the decoded page is kept, for the scores. The
 * orientation found goes into r. */
static int run_stages(worker *w, bool eng, lr_page_stage last, lr_page *pg, result *r,
                      lr_error *err)
{
    lr_ocr *ocr = NULL;
    int rc = get_ocr(w, eng, &ocr, err);
    if (rc < 0)
        return rc;
    lr_page_options po;
    lr_page_options_default(&po);
    po.last = last;
    po.enhance = &w->po.enhance;
    po.whole_page = w->po.whole_page;
    po.keep_decoded = true;
    const lr_page_tools tools = {.ocr = ocr};
    if ((rc = lr_page_process_decoded(&tools, &po, pg, err)) < 0)
        return rc;
    note_orientation(&pg->orientation, r);
    return LR_OK;
}

/* Skew of pix turned upright by orientation. */
static int upright_skew(const worker *w, PIX *pix, int orientation, double *out_deg,
                        float *out_conf, lr_error *err)
{
    *out_deg = 0;
    *out_conf = 0;
    PIX *up = lr_enhance_rotate_orth(pix, orientation);
    if (!up)
        return lr_error_set(err, LR_ERR_NOMEM, "could not turn the page upright");
    pixCopyResolution(up, pix);
    float deg = 0;
    int rc = lr_enhance_find_skew(up, &w->po.enhance, &deg, out_conf, NULL, err);
    *out_deg = deg;
    pixDestroy(&up);
    return rc;
}

/* pix with its content turned counter-clockwise by deg (Leptonica turns clockwise for a
 * positive angle), on a canvas large enough to keep all of it, white brought in. */
static PIX *rotate_ccw(PIX *pix, double deg)
{
    int type = pixGetDepth(pix) == 1 ? L_ROTATE_SAMPLING : L_ROTATE_AREA_MAP;
    PIX *r = pixRotate(pix, (float)(-deg * M_PI / 180.0), type, L_BRING_IN_WHITE, pixGetWidth(pix),
                       pixGetHeight(pix));
    if (r)
        pixCopyResolution(r, pix);
    return r;
}

/* The item's recognised text into dir/NAME.txt, NAME its name with '/' made '_' (and -pK for
 * page K ≥ 2 of a file, which shares the name). A file that cannot be written is warned
 * about: the scores do not depend on it. */
static void dump_text(const char *dir, const item *it, const char *text)
{
    char *name = it->page > 1 ? eval_strf("%s-p%d", it->name, it->page) : strdup(it->name);
    char *path = name ? eval_strf("%s/%s.txt", dir, name) : NULL;
    if (path) {
        for (char *p = path + strlen(dir) + 1; *p; p++)
            if (*p == '/')
                *p = '_';
        FILE *f = fopen(path, "w");
        bool ok = f && fputs(text ? text : "", f) >= 0;
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok)
            lr_log_warning("cannot write %s: %s", path, strerror(errno));
    } else {
        lr_log_warning("%s: out of memory writing the recognised text", it->name);
    }
    free(path);
    free(name);
}

/* Scores res's words against the truth's lines by position (metrics.h) into r. The words'
 * boxes are in the enhanced page's pixels (turned by the orientation found, deskewed by the
 * skew applied); the truth's are on the upright page before skew: each word is carried over
 * (eval_geom.h). */
static int score_by_position(const item *it, const lr_ocr_result *res, PIX *pix,
                             const lr_enhanced *enh, result *r, lr_error *err)
{
    eval_frame f = {.stored_w = pixGetWidth(pix),
                    .stored_h = pixGetHeight(pix),
                    .found_orient = r->orient,
                    .deskew_deg = enh->skew_applied ? enh->skew_deg : 0.0,
                    .true_orient = it->orientation,
                    .true_skew = it->skew};
    lr_text_box *words = malloc((res->nwords + 1) * sizeof *words);
    if (!words)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory placing %zu words", res->nwords);
    for (size_t j = 0; j < res->nwords; j++) {
        const lr_word *w = &res->words[j];
        words[j] = (lr_text_box){w->text, w->x0, w->y0, w->x1, w->y1};
        eval_map_box(&f, &words[j]);
    }
    int rc = lr_metrics_cer_by_position(it->lines, it->nlines, words, res->nwords, &r->cer_pos,
                                        &r->unplaced, err);
    r->nwords = res->nwords;
    r->has_cer_pos = rc == LR_OK;
    free(words);
    return rc;
}

/* Orientation → enhance → OCR on the decoded page pg, timed, as the pipeline runs them.
 * Fills the result's orientation (the one the page was turned by), times and CERs (by
 * position too when the truth has line boxes); pg keeps the enhanced page. */
static int run_pipeline(worker *w, const item *it, bool eng, lr_page *pg, result *r, lr_error *err)
{
    int rc = run_stages(w, eng, LR_PAGE_STAGE_READ, pg, r, err);
    if (rc < 0)
        return rc;
    r->orient_ms = pg->times.orient_ms;
    r->enhance_ms = pg->times.enhance_ms;
    r->ocr_ms = pg->times.read_ms;
    r->timed = true;
    const lr_ocr_result *res = &pg->read;
    lr_log_debug("eval: recognised text of %s:\n%s", it->name, res->text);
    if (w->dump_dir)
        dump_text(w->dump_dir, it, res->text);
    if ((rc = lr_metrics_cer(it->text, res->text, &r->cer, err)) < 0)
        return rc;
    r->has_cer = true;
    if (it->nlines)
        rc = score_by_position(it, res, pg->decoded, &pg->enhanced, r, err);
    return rc;
}

/* Skew against rotations by known angles: the image's own skew, then each rotation's less
 * it and the angle. */
static int skew_sweep(const worker *w, PIX *pix, result *r, lr_error *err)
{
    float conf;
    int rc = upright_skew(w, pix, 0, &r->base_skew, &conf, err);
    for (int k = 0; rc == LR_OK && k < NTHETA; k++) {
        double est;
        PIX *rot = rotate_ccw(pix, lept_theta[k]);
        if (!rot)
            return lr_error_set(err, LR_ERR_NOMEM, "could not rotate the image");
        rc = upright_skew(w, rot, 0, &est, &conf, err);
        pixDestroy(&rot);
        r->theta_err[k] = est - r->base_skew - lept_theta[k];
    }
    if (rc < 0)
        return rc;
    r->ntheta = NTHETA;
    r->has_skew = true;
    return LR_OK;
}

/* The default binarization and Otsu's against the ground truth, without deskew: the ground
 * truth is pixel-aligned with the original. */
static int score_binarization(const worker *w, const item *it, PIX *pix, int dpi, result *r,
                              lr_error *err)
{
    lr_enhance_options eo = w->po.enhance;
    eo.deskew = false;
    lr_enhanced enh = {0};
    PIX *gt = pixRead(it->gt_path);
    if (!gt)
        return lr_error_set(err, LR_ERR_IO, "cannot read the ground truth \"%s\"", it->gt_path);
    int rc = lr_enhance_page(pix, 0, dpi, &eo, &enh, err);
    if (rc == LR_OK)
        rc = lr_metrics_binarization(enh.binary, gt, &r->bin, err);
    lr_enhanced_clear(&enh);
    eo.binarize = LR_BINARIZE_OTSU;
    if (rc == LR_OK)
        rc = lr_enhance_page(pix, 0, dpi, &eo, &enh, err);
    if (rc == LR_OK)
        rc = lr_metrics_binarization(enh.binary, gt, &r->bin_otsu, err);
    lr_enhanced_clear(&enh);
    pixDestroy(&gt);
    if (rc == LR_OK)
        r->has_bin = true;
    return rc;
}

/* A synthetic page: through the pipeline when the OCR or the throughput is evaluated, else
 * its orientation alone when asked; then its skew given the right orientation. */
static int synth_item(worker *w, const item *it, lr_page *pg, result *r, lr_error *err)
{
    bool pipeline = w->stages & (LR_EVAL_OCR | LR_EVAL_THROUGHPUT);
    int orientation = it->orientation;
    int rc = LR_OK;
    if (pipeline) {
        if ((rc = run_pipeline(w, it, false, pg, r, err)) < 0)
            return rc;
        orientation = r->orient;
    } else if ((w->stages & LR_EVAL_ORIENTATION) &&
               (rc = run_stages(w, false, LR_PAGE_STAGE_ORIENT, pg, r, err)) < 0) {
        return rc;
    }
    if (!(w->stages & LR_EVAL_SKEW))
        return LR_OK;
    /* The pipeline's own measure when it turned the page the right way, else measured again
     * on the page turned by the truth. */
    if (pipeline && orientation == it->orientation) {
        r->skew = pg->enhanced.skew_deg;
        r->skew_conf = pg->enhanced.skew_conf;
    } else {
        rc = upright_skew(w, pg->decoded, it->orientation, &r->skew, &r->skew_conf, err);
    }
    if (rc == LR_OK)
        r->has_skew = true;
    return rc;
}

static int run_item(worker *w, const item *it, result *r, lr_error *err)
{
    lr_page pg;
    double t = lr_clock_ms();
    int rc = decode(it, &pg, err);
    if (rc < 0)
        goto done;
    r->decode_ms = lr_clock_ms() - t;

    switch (it->ds) {
    case DS_TT_ORIENT:
    case DS_TURNED:
        rc = run_stages(w, it->ds == DS_TT_ORIENT, LR_PAGE_STAGE_ORIENT, &pg, r, err);
        break;
    case DS_SBRUNNER:
        if ((rc = upright_skew(w, pg.decoded, 0, &r->skew, &r->skew_conf, err)) == LR_OK)
            r->has_skew = true;
        break;
    case DS_LEPT:
        rc = skew_sweep(w, pg.decoded, r, err);
        break;
    case DS_DIBCO:
        rc = score_binarization(w, it, pg.decoded, pg.dpi, r, err);
        break;
    case DS_TT_OCR:
        rc = run_pipeline(w, it, true, &pg, r, err);
        break;
    case DS_SYNTH:
        rc = synth_item(w, it, &pg, r, err);
        break;
    case DS_COUNT:
        break;
    }
done:
    lr_page_clear(&pg);
    return rc;
}

static void worker_main(int k, unsigned stages, const lr_eval_options *o, const item_list *items,
                        shared *sh)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "eval worker %d", k + 1);
    lr_log_set_prefix(prefix);
    worker w = {.stages = stages, .dump_dir = o->dump_text};
    lr_pipeline_options_default(&w.po);
    w.po.whole_page = o->whole_page;
    if (o->lang)
        w.po.ocr.lang = o->lang;
    for (;;) {
        int i = atomic_fetch_add(&sh->next, 1);
        if (i < 0 || (size_t)i >= items->n)
            break;
        result *r = &sh->r[i];
        r->state = R_RUNNING;
        lr_error err;
        lr_error_clear(&err);
        double t = lr_clock_ms();
        if (run_item(&w, &items->v[i], r, &err) < 0) {
            lr_error_format(&err, r->error, sizeof r->error);
            r->state = R_FAILED;
            lr_log_warning("%s: %s", items->v[i].name, r->error);
        } else {
            r->state = R_DONE;
            lr_log_info("%s: %.0f ms", items->v[i].name, lr_clock_ms() - t);
        }
        atomic_fetch_add(&sh->done, 1);
    }
    lr_ocr_destroy(&w.ocr_default);
    lr_ocr_destroy(&w.ocr_eng);
}

/* Runs every item on jobs worker processes. *out_rss_kb: peak resident size of the largest
 * worker. Returns the shared results (unmap with munmap(…, *out_size)) or NULL. */
static shared *run_all(const item_list *items, unsigned stages, const lr_eval_options *o, int jobs,
                       long *out_rss_kb, double *out_wall_ms, size_t *out_size)
{
    *out_rss_kb = 0;
    *out_wall_ms = 0;
    size_t size = sizeof(shared) + items->n * sizeof(result);
    *out_size = size;
    shared *sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return NULL;
    memset(sh, 0, size);
    atomic_init(&sh->next, 0);
    atomic_init(&sh->done, 0);
    if ((size_t)jobs > items->n)
        jobs = (int)items->n;
    fflush(stdout);
    fflush(stderr);
    double t = lr_clock_ms();
    int started = 0;
    for (int k = 0; k < jobs; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            worker_main(k, stages, o, items, sh);
            _exit(0);
        }
        if (pid < 0) {
            lr_log_warning("could not start worker %d: %s", k + 1, strerror(errno));
            break;
        }
        started++;
    }
    if (!started) /* do the work here rather than not at all */
        worker_main(0, stages, o, items, sh);
    /* Wait for the workers; on a terminal, show how far they are. */
    bool tty = isatty(STDERR_FILENO);
    int status, alive = started;
    while (alive > 0) {
        pid_t pid = waitpid(-1, &status, tty ? WNOHANG : 0);
        if (pid < 0 && errno != EINTR)
            break;
        if (pid > 0) {
            alive--;
            if (WIFSIGNALED(status))
                lr_log_warning("a worker died of signal %d", WTERMSIG(status));
            continue;
        }
        if (pid == 0) {
            fprintf(stderr, "\reval: %d/%zu items", atomic_load(&sh->done), items->n);
            nanosleep(&(struct timespec){.tv_nsec = 250000000}, NULL);
        }
    }
    if (tty)
        fputs("\r\033[K", stderr);
    *out_wall_ms = lr_clock_ms() - t;
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        *out_rss_kb = ru.ru_maxrss;
    for (size_t i = 0; i < items->n; i++) {
        result *r = &sh->r[i];
        if (r->state == R_RUNNING || r->state == R_PENDING) {
            snprintf(r->error, sizeof r->error, "%s",
                     r->state == R_RUNNING ? "the worker died while processing it"
                                           : "not processed: every worker died");
            r->state = R_FAILED;
        }
    }
    return sh;
}

static void add_scores(lr_binary_scores *acc, const lr_binary_scores *s)
{
    acc->fmeasure += s->fmeasure;
    acc->pseudo_fmeasure += s->pseudo_fmeasure;
    acc->psnr += s->psnr;
    acc->drd += s->drd;
    acc->recall += s->recall;
    acc->precision += s->precision;
}

static void div_scores(lr_binary_scores *acc, size_t n)
{
    if (!n)
        return;
    acc->fmeasure /= (double)n;
    acc->pseudo_fmeasure /= (double)n;
    acc->psnr /= (double)n;
    acc->drd /= (double)n;
    acc->recall /= (double)n;
    acc->precision /= (double)n;
}

/* Sums up the results into *s (cleared first; free with summary_clear, also on error). */
static int summarise(const item_list *items, const shared *sh, unsigned stages, summary *s,
                     lr_error *err)
{
    memset(s, 0, sizeof *s);
    s->synth_skew_min = INFINITY;
    s->synth_skew_max = -INFINITY;
    for (int d = 0; d < DS_COUNT; d++) {
        s->skew_err[d] = calloc(items->n * NTHETA + 1, sizeof(double));
        if (!s->skew_err[d])
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    }
    /* Throughput from the synthetic corpus when it went through the pipeline, else from the
     * English test pages. */
    s->thru_ds = DS_TT_OCR;
    for (size_t i = 0; i < items->n; i++)
        if (items->v[i].ds == DS_SYNTH && sh->r[i].timed)
            s->thru_ds = DS_SYNTH;
    for (size_t i = 0; i < items->n; i++) {
        const item *it = &items->v[i];
        const result *r = &sh->r[i];
        dataset d = it->ds;
        s->n[d]++;
        s->synth_clean += d == DS_SYNTH && it->clean;
        s->synth_printed += d == DS_SYNTH && it->printed;
        s->synth_turned += d == DS_SYNTH && it->orientation != 0;
        if (r->state != R_DONE) {
            s->failed[d]++;
            continue;
        }
        if (!it->scored)
            continue;
        if (r->has_orient && (stages & LR_EVAL_ORIENTATION) &&
            (d == DS_SYNTH || d == DS_TURNED || d == DS_TT_ORIENT)) {
            s->orient_n[d]++;
            s->orient_ok[d] += r->orient == it->orientation;
            if (r->orient_ruling_ran) {
                bool ruled = r->orient_source == LR_ORIENT_RULING;
                s->rule_n[d]++;
                s->rule_ms[d] += r->orient_ruling_ms;
                s->rule_ok[d] += ruled && r->orient == it->orientation;
                s->rule_bad[d] += ruled && r->orient != it->orientation;
            }
            if (r->orient_fallback) {
                bool right = r->orient == it->orientation;
                s->fb_n[d]++;
                s->fb_ms[d] += r->orient_fallback_ms;
                if (r->orient != 0) {
                    s->fb_turned_ok[d] += right;
                    s->fb_turned_bad[d] += !right;
                } else {
                    s->fb_kept_ok[d] += right;
                    s->fb_kept_bad[d] += !right;
                }
            }
        }
        if (r->has_skew && d == DS_LEPT) {
            for (int k = 0; k < r->ntheta; k++)
                s->skew_err[d][s->skew_n[d]++] = r->theta_err[k];
        } else if (r->has_skew) {
            s->skew_err[d][s->skew_n[d]++] = r->skew - it->skew;
            s->sb_within += d == DS_SBRUNNER && fabs(r->skew - it->skew) <= SBRUNNER_ROUNDING;
            if (d == DS_SYNTH) {
                s->synth_skew_min = fmin(s->synth_skew_min, it->skew);
                s->synth_skew_max = fmax(s->synth_skew_max, it->skew);
            }
        }
        if (r->has_bin) {
            s->bin_n++;
            add_scores(&s->bin_mean, &r->bin);
            add_scores(&s->otsu_mean, &r->bin_otsu);
        }
        if (r->has_cer && d == DS_SYNTH) {
            int g = ocr_group(it);
            lr_metrics_cer_add(&s->cer_synth[g], &r->cer);
            lr_metrics_cer_add(&s->cer_judged[g], r->has_cer_pos ? &r->cer_pos : &r->cer);
            s->n_order_only[g] += !r->has_cer_pos;
            s->nwords[g] += r->nwords;
            s->unplaced[g] += r->unplaced;
            s->n_synth[g]++;
        } else if (r->has_cer && d == DS_TT_OCR) {
            lr_metrics_cer_add(&s->cer_tt, &r->cer);
            s->n_tt++;
        }
        if (r->timed && d == s->thru_ds) {
            s->thru_n++;
            s->decode_ms += r->decode_ms;
            s->orient_ms += r->orient_ms;
            s->enhance_ms += r->enhance_ms;
            s->ocr_ms += r->ocr_ms;
        }
    }
    for (int d = 0; d < DS_COUNT; d++) {
        lr_metrics_error_stats(s->skew_err[d], s->skew_n[d], &s->skew[d]);
        if (s->fb_n[d])
            s->fb_ms[d] /= (double)s->fb_n[d];
        if (s->rule_n[d])
            s->rule_ms[d] /= (double)s->rule_n[d];
    }
    div_scores(&s->bin_mean, s->bin_n);
    div_scores(&s->otsu_mean, s->bin_n);
    if (s->thru_n) {
        s->decode_ms /= (double)s->thru_n;
        s->orient_ms /= (double)s->thru_n;
        s->enhance_ms /= (double)s->thru_n;
        s->ocr_ms /= (double)s->thru_n;
    }
    return LR_OK;
}

static void summary_clear(summary *s)
{
    for (int d = 0; d < DS_COUNT; d++)
        free(s->skew_err[d]);
}

double eval_class_rate(const lr_cer *c, lr_char_class k)
{
    return lr_metrics_rate(c->class_edits[k], c->class_ref_len[k]);
}

/* Makes the directory path and its missing parents (mkdir -p). -1 with errno when it cannot. */
static int make_dirs(const char *path)
{
    char *p = *path ? strdup(path) : NULL;
    if (!p) {
        errno = *path ? ENOMEM : ENOENT;
        return -1;
    }
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s && *s != '/')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = -1;
            break;
        }
        if (!c)
            break;
        *s = c;
    }
    free(p);
    if (rc == 0 && !eval_is_dir(path)) {
        errno = ENOTDIR;
        rc = -1;
    }
    return rc;
}

/* ---- The interface ------------------------------------------------------------------------ */

void lr_eval_options_default(lr_eval_options *out)
{
    memset(out, 0, sizeof *out);
    out->stages = LR_EVAL_ALL;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    out->jobs = cores > 0 ? (int)cores : 1;
}

int lr_eval_stage_parse(const char *name, unsigned *out_stage, lr_error *err)
{
    static const struct {
        const char *name;
        unsigned bit;
    } stages[] = {
        {"orientation", LR_EVAL_ORIENTATION}, {"skew", LR_EVAL_SKEW},
        {"binarize", LR_EVAL_BINARIZE},       {"ocr", LR_EVAL_OCR},
        {"throughput", LR_EVAL_THROUGHPUT},   {"all", LR_EVAL_ALL},
    };
    *out_stage = 0;
    for (size_t i = 0; name && i < sizeof stages / sizeof *stages; i++)
        if (!strcmp(name, stages[i].name)) {
            *out_stage = stages[i].bit;
            return LR_OK;
        }
    lr_error_set(err, LR_ERR_ARG, "unknown stage \"%s\"", name ? name : "");
    lr_error_hint(err, "the stages are orientation, skew, binarize, ocr and throughput.");
    return LR_ERR_ARG;
}

int lr_eval_new(const lr_eval_options *opts, lr_eval **out, lr_error *err)
{
    *out = NULL;
    if (!opts)
        return lr_error_set(err, LR_ERR_ARG, "no options");
    lr_eval *ev = calloc(1, sizeof *ev);
    if (!ev)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    ev->o = *opts;
    ev->load = -1;
    int rc = eval_load_items(ev, err);
    if (rc < 0)
        goto done;
    if (!ev->items.n) {
        rc = lr_error_set(err, LR_ERR_ARG, "nothing to evaluate");
        lr_error_hint(err, "name the real test sets with --realdata DIR and a synthetic corpus "
                           "with --corpus DIR.");
        goto done;
    }
    *out = ev;
    ev = NULL;
done:
    lr_eval_destroy(&ev);
    return rc;
}

int lr_eval_run(lr_eval *ev, lr_error *err)
{
    if (!ev || ev->sh)
        return lr_error_set(err, LR_ERR_ARG, "lr_eval_run: no evaluation, or run already");
    if ((size_t)ev->o.jobs > ev->items.n)
        ev->o.jobs = (int)ev->items.n;
    lr_log_info("%zu items on %d workers", ev->items.n, ev->o.jobs);
    if (getloadavg(&ev->load, 1) != 1)
        ev->load = -1;
    if (ev->o.dump_text && make_dirs(ev->o.dump_text) < 0) {
        lr_error_set(err, LR_ERR_IO, "cannot create the directory \"%s\"", ev->o.dump_text);
        lr_error_detail(err, "%s", strerror(errno));
        return LR_ERR_IO;
    }
    ev->sh = run_all(&ev->items, ev->o.stages, &ev->o, ev->o.jobs, &ev->rss_kb, &ev->wall_ms,
                     &ev->sh_size);
    if (!ev->sh)
        return lr_error_set(err, LR_ERR_NOMEM, "cannot map shared memory: %s", strerror(errno));
    return summarise(&ev->items, ev->sh, ev->o.stages, &ev->s, err);
}

size_t lr_eval_failed_count(const lr_eval *ev)
{
    size_t failed = 0;
    for (int d = 0; ev && d < DS_COUNT; d++)
        failed += ev->s.failed[d];
    return failed;
}

void lr_eval_destroy(lr_eval **p)
{
    if (!p || !*p)
        return;
    lr_eval *ev = *p;
    summary_clear(&ev->s);
    if (ev->sh)
        munmap(ev->sh, ev->sh_size);
    eval_list_free(&ev->items);
    free(ev);
    *p = NULL;
}
