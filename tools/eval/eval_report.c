/* eval_report.c — the evaluation's output: one line per item (-v), the dated markdown section
 * with its plots, and the section's place in docs/benchmarks.md.
 */
#include <errno.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "eval_internal.h"
#include "landrec/enhance.h"
#include "landrec/log.h"
#include "landrec/ocr.h"
#include "landrec/orient.h"
#include "landrec/pageread.h"
#include "landrec/pipeline.h"

/* "1.23 %" or "n/a" (no reference character of the class). */
static const char *pct(double frac, char *buf, size_t size)
{
    if (isnan(frac))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.2f %%", 100.0 * frac);
    return buf;
}

/* Appends the formatted text to buf (size bytes, NUL-terminated), cut short when it is full. */
static void catf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void catf(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strnlen(buf, size);
    if (len + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/* Appends "all 1.23 % (order-free 0.50 %) · Hangul … · Hanja … · digits …" of c to buf. */
static void cer_figures(char *buf, size_t size, const lr_cer *c)
{
    char p1[16], p2[16], p3[16], p4[16], of[16];
    catf(buf, size, "all %s (order-free %s) · Hangul %s · Hanja %s · digits %s",
         pct(lr_metrics_rate(c->edits, c->ref_len), p1, sizeof p1),
         pct(lr_metrics_rate(c->order_free_edits, c->ref_len), of, sizeof of),
         pct(eval_class_rate(c, LR_CHAR_HANGUL), p2, sizeof p2),
         pct(eval_class_rate(c, LR_CHAR_HANJA), p3, sizeof p3),
         pct(eval_class_rate(c, LR_CHAR_DIGIT), p4, sizeof p4));
}

/* Verdicts: -1 no target, 0 missed, 1 met. */
static const char *verdict_text(int v)
{
    return v < 0 ? "" : v ? "pass" : "**miss**";
}

static void row(FILE *f, const char *stage, const char *measure, const char *data,
                const char *measured, const char *target, int verdict, int *missed)
{
    fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", stage, measure, data, measured, target,
            verdict_text(verdict));
    if (verdict == 0)
        (*missed)++;
}

/* The newest bench.sh figures in the report file: OCRmyPDF's pages per minute per core,
 * with the date and what was run. Returns false when there are none. */
static bool bench_reference(const char *report, char *out, size_t size)
{
    char *text = report ? eval_read_text(report) : NULL;
    if (!text)
        return false;
    bool ok = false;
    const char *p = strstr(text, "<!-- bench.sh results: newest first -->");
    const char *h = p ? strstr(p, "\n### ") : NULL;
    const char *ppm = h ? strstr(h, "| pages per minute |") : NULL;
    char date[16] = "";
    int pages = 0, cores = 0;
    double lr = 0, om = 0;
    if (ppm && sscanf(h, "\n### %15s — %d pages, %d cores", date, &pages, &cores) == 3 &&
        sscanf(ppm, "| pages per minute | %lf | %lf |", &lr, &om) == 2 && cores > 0) {
        snprintf(out, size,
                 "OCRmyPDF %.1f, landrec %.1f pages/min per core (scripts/bench.sh, %s: %d "
                 "testdata pages)",
                 om / cores, lr / cores, date, pages);
        ok = true;
    }
    free(text);
    return ok;
}
/* ---- Detail (-v) -------------------------------------------------------------------------- */

/* A class's CER for one page: "–" when the class is absent from both texts. */
static const char *class_pct(const lr_cer *e, lr_char_class k, char *buf, size_t size)
{
    if (!e->class_ref_len[k] && !e->class_edits[k])
        snprintf(buf, size, "–");
    else if (!e->class_ref_len[k])
        snprintf(buf, size, "+%zu inserted", e->class_edits[k]);
    else
        pct(eval_class_rate(e, k), buf, size);
    return buf;
}

/* " LABEL 1.23 % (edits/reference: S s D d I i; order-free n; Hangul …, Hanja …, digits …" —
 * the caller closes the parenthesis. */
static void write_cer(FILE *f, const char *label, const lr_cer *e)
{
    char a[32], b[32], c[32], d[32];
    fprintf(f,
            " %s %s (%zu/%zu: S %zu D %zu I %zu; order-free %zu; Hangul %s, Hanja %s, "
            "digits %s",
            label, pct(lr_metrics_rate(e->edits, e->ref_len), a, sizeof a), e->edits, e->ref_len,
            e->substitutions, e->deletions, e->insertions, e->order_free_edits,
            class_pct(e, LR_CHAR_HANGUL, b, sizeof b), class_pct(e, LR_CHAR_HANJA, c, sizeof c),
            class_pct(e, LR_CHAR_DIGIT, d, sizeof d));
}

void lr_eval_write_detail(const lr_eval *ev, FILE *f)
{
    const item_list *items = &ev->items;
    const shared *sh = ev->sh;
    for (size_t i = 0; i < items->n; i++) {
        const item *it = &items->v[i];
        const result *r = &sh->r[i];
        fprintf(f, "[%s] %s", ds_name[it->ds], it->name);
        if (it->page > 1)
            fprintf(f, " page %d", it->page);
        if (it->ds == DS_SYNTH)
            fprintf(f, " (%s)", group_name[ocr_group(it)]);
        if (r->state != R_DONE) {
            fprintf(f, ": failed: %s\n", r->error);
            continue;
        }
        fputc(':', f);
        if (r->has_orient && r->orient_fallback)
            fprintf(f,
                    " orientation truth %d, found %d (confidence %.1f; text lines %d:%d, %s, "
                    "%.0f ms) %s;",
                    it->orientation, r->orient, r->orient_conf, r->orient_votes[0],
                    r->orient_votes[1], lr_orient_source_name((lr_orient_source)r->orient_source),
                    r->orient_fallback_ms, r->orient == it->orientation ? "right" : "WRONG");
        else if (r->has_orient && r->orient_source == LR_ORIENT_RULING)
            fprintf(f, " orientation truth %d, found %d (ruled table, %.0f ms) %s;",
                    it->orientation, r->orient, r->orient_ruling_ms,
                    r->orient == it->orientation ? "right" : "WRONG");
        else if (r->has_orient)
            fprintf(f, " orientation truth %d, found %d (confidence %.1f) %s;", it->orientation,
                    r->orient, r->orient_conf, r->orient == it->orientation ? "right" : "WRONG");
        if (r->has_skew && it->ds == DS_LEPT) {
            fprintf(f, " own skew %+.2f°; error at θ", r->base_skew);
            for (int k = 0; k < r->ntheta; k++)
                fprintf(f, " %+.2f: %+.2f", lept_theta[k], r->theta_err[k]);
            fputc(';', f);
        } else if (r->has_skew) {
            lr_enhance_options eo;
            lr_enhance_options_default(&eo);
            fprintf(f, " skew truth %+.2f°, found %+.2f° (confidence %.1f), error %+.2f°%s%s;",
                    it->skew, r->skew, r->skew_conf, r->skew - it->skew,
                    fabs(it->skew) >= eo.max_skew_deg - 0.5 ? " (at or beyond the search range)"
                                                            : "",
                    it->scored ? "" : " (not scored: disputed in SOURCES.md)");
        }
        if (r->has_bin)
            fprintf(f,
                    " F %.2f, p-F %.2f, PSNR %.2f dB, DRD %.2f (otsu: F %.2f, p-F %.2f, "
                    "PSNR %.2f, DRD %.2f);",
                    r->bin.fmeasure, r->bin.pseudo_fmeasure, r->bin.psnr, r->bin.drd,
                    r->bin_otsu.fmeasure, r->bin_otsu.pseudo_fmeasure, r->bin_otsu.psnr,
                    r->bin_otsu.drd);
        if (r->has_cer_pos) {
            write_cer(f, "CER by position", &r->cer_pos);
            fprintf(f, "; %zu words, %zu on no line);", r->nwords, r->unplaced);
        }
        if (r->has_cer) {
            write_cer(f, r->has_cer_pos ? "in reading order" : "CER in reading order", &r->cer);
            fputs(it->ds == DS_SYNTH && !r->has_cer_pos ? "; no line boxes in the truth);" : ");",
                  f);
        }
        if (r->timed)
            fprintf(f, " ms: decode %.0f, orientation %.0f, enhance %.0f, OCR %.0f;", r->decode_ms,
                    r->orient_ms, r->enhance_ms, r->ocr_ms);
        fputc('\n', f);
    }
}

/* ---- The report section -------------------------------------------------------------------- */

typedef struct section_ctx {
    const lr_eval *ev;
    const char *stamp; /* "2026-11-26 10:42 UTC" */
    const char
        *svg_rel[PLOT_COUNT]; /* skew, dibco, cer: paths as linked from the report, or NULL */
} section_ctx;

/* Writes the markdown section; *out_missed counts targets missed. */
static void write_section(FILE *f, const section_ctx *x, int *out_missed)
{
    const lr_eval_options *o = &x->ev->o;
    const summary *s = &x->ev->s;
    char m[512], dl[256], t[256], p1[16], p2[16];
    int missed = 0;
    struct utsname un;
    if (uname(&un) != 0)
        snprintf(un.machine, sizeof un.machine, "unknown");
    fprintf(f, "### %s — landrec eval, %d worker%s, %s\n\n", x->stamp, o->jobs,
            o->jobs == 1 ? "" : "s", un.machine);
    fputs("| stage | measure | data | measured | target | |\n|---|---|---|---|---|---|\n", f);

    if (o->stages & LR_EVAL_ORIENTATION) {
        for (dataset d = DS_SYNTH; d <= DS_TT_ORIENT; d++) {
            if (!s->orient_n[d])
                continue;
            if (d == DS_SYNTH)
                snprintf(dl, sizeof dl, "synthetic sheets%s",
                         s->synth_turned ? "" : ", all upright: counts false turns only");
            else if (d == DS_TURNED)
                snprintf(dl, sizeof dl, "synthetic sheets turned by 0/90/180/270°, `%s`",
                         o->turned_corpus);
            else
                snprintf(dl, sizeof dl, "tesseract-test phototest: 4 turned copies + upright");
            snprintf(m, sizeof m, "%.1f %% (%zu/%zu)",
                     100.0 * (double)s->orient_ok[d] / (double)s->orient_n[d], s->orient_ok[d],
                     s->orient_n[d]);
            row(f, "orientation", "share correct", dl, m, "100 %",
                s->orient_ok[d] == s->orient_n[d], &missed);
            if (s->rule_n[d]) {
                /* The ruled table's share of the row above: what it decided spared OSD. */
                snprintf(m, sizeof m, "decided %zu of %zu (%zu right, %zu wrongly); %.0f ms each",
                         s->rule_ok[d] + s->rule_bad[d], s->rule_n[d], s->rule_ok[d],
                         s->rule_bad[d], s->rule_ms[d]);
                row(f, "orientation", "ruled table, before OSD", dl, m, "— (in the row above)", -1,
                    &missed);
            }
            if (!s->fb_n[d])
                continue;
            /* The fallback's share of the row above: its wrong turns are misses there. */
            snprintf(m, sizeof m,
                     "%zu: turned %zu right, %zu wrongly; left %zu upright, %zu not; "
                     "%.0f ms each",
                     s->fb_n[d], s->fb_turned_ok[d], s->fb_turned_bad[d], s->fb_kept_ok[d],
                     s->fb_kept_bad[d], s->fb_ms[d]);
            row(f, "orientation", "text-line fallback: OSD unsure or turning below 8", dl, m,
                "— (in the row above)", -1, &missed);
        }
    }
    if (o->stages & LR_EVAL_SKEW) {
        const dataset ds[] = {DS_SYNTH, DS_SBRUNNER, DS_LEPT};
        for (size_t j = 0; j < 3; j++) {
            dataset d = ds[j];
            const lr_error_stats *e = &s->skew[d];
            if (!e->n)
                continue;
            if (d == DS_SYNTH)
                snprintf(dl, sizeof dl, "synthetic sheets, truth %+.1f…%+.1f° (%zu)",
                         s->synth_skew_min, s->synth_skew_max, e->n);
            else if (d == DS_SBRUNNER)
                snprintf(dl, sizeof dl, "sbrunner-deskew 1–7, skew = −angles.csv (%zu)", e->n);
            else
                snprintf(dl, sizeof dl,
                         "leptonica: %zu images × %d angles in ±5°, error = est(rot) − est(orig) "
                         "− θ (%zu)",
                         e->n / NTHETA, NTHETA, e->n);
            snprintf(m, sizeof m, "mean %.3f°, max %.3f° (rms %.3f°, bias %+.3f°)", e->mean_abs,
                     e->max_abs, e->rms, e->bias);
            if (d == DS_SBRUNNER) {
                size_t len = strlen(m);
                snprintf(m + len, sizeof m - len, "; within ±%.1f°: %zu/%zu", SBRUNNER_ROUNDING,
                         s->sb_within, e->n);
                row(f, "skew", "mean, max \\|error\\|", dl, m,
                    "each within ±0.5° (angles.csv is in whole degrees)", s->sb_within == e->n,
                    &missed);
                continue;
            }
            row(f, "skew", "mean, max \\|error\\|", dl, m, "mean ≤ 0.1°, max ≤ 0.3°",
                e->mean_abs <= TARGET_SKEW_MEAN && e->max_abs <= TARGET_SKEW_MAX, &missed);
        }
    }
    if ((o->stages & LR_EVAL_BINARIZE) && s->bin_n) {
        snprintf(dl, sizeof dl, "dibco 2009, %zu images, mean of per-image scores", s->bin_n);
        snprintf(m, sizeof m, "F **%.2f**, p-F %.2f, PSNR %.2f dB, DRD %.2f", s->bin_mean.fmeasure,
                 s->bin_mean.pseudo_fmeasure, s->bin_mean.psnr, s->bin_mean.drd);
        row(f, "binarization", "F, pseudo-F (DIBCO 2010), PSNR, DRD", dl, m,
            "F ≥ 88 (published: Otsu ≈ 79, Sauvola ≈ 85, 2009 winner ≈ 91)",
            s->bin_mean.fmeasure >= TARGET_DIBCO_F, &missed);
        snprintf(m, sizeof m, "F %.2f, p-F %.2f, PSNR %.2f dB, DRD %.2f", s->otsu_mean.fmeasure,
                 s->otsu_mean.pseudo_fmeasure, s->otsu_mean.psnr, s->otsu_mean.drd);
        row(f, "binarization, `--binarize otsu`", "the same", dl, m, "— (for comparison)", -1,
            &missed);
    }
    if (o->stages & LR_EVAL_OCR) {
        for (int g = 0; g < G_COUNT; g++) {
            if (!s->n_synth[g])
                continue;
            const lr_cer *c = &s->cer_judged[g];
            double hg = eval_class_rate(c, LR_CHAR_HANGUL);
            double hj = eval_class_rate(c, LR_CHAR_HANJA);
            snprintf(dl, sizeof dl, "synthetic sheets, %s (%zu; %zu characters)", group_name[g],
                     s->n_synth[g], c->ref_len);
            if (s->n_order_only[g])
                catf(dl, sizeof dl, "; %zu without line boxes in the truth: in reading order",
                     s->n_order_only[g]);
            /* The judged figures, then the reading-order ones the older sections judged. */
            m[0] = '\0';
            cer_figures(m, sizeof m, c);
            catf(m, sizeof m, "; reading order: ");
            cer_figures(m, sizeof m, &s->cer_synth[g]);
            if (s->nwords[g])
                catf(m, sizeof m, "; %zu of %zu words on no line", s->unplaced[g], s->nwords[g]);
            int v = -1;
            if (g == G_PRINTED)
                v = (isnan(hg) || hg <= TARGET_CER_HANGUL) && (isnan(hj) || hj <= TARGET_CER_HANJA);
            row(f, "OCR", "CER by position: all · Hangul · Hanja · digits (reading order beside)",
                dl, m,
                g == G_PRINTED ? "Hangul ≤ 2 %, Hanja ≤ 5 %"
                : g == G_HAND  ? "— (reported: the target is for print)"
                               : "— (reported)",
                v, &missed);
        }
        if (s->n_tt) {
            snprintf(dl, sizeof dl,
                     "tesseract-test eurotext + phototest, `eng` (%zu; %zu "
                     "characters)",
                     s->n_tt, s->cer_tt.ref_len);
            snprintf(
                m, sizeof m, "%s (%zu edits; order-free %s)",
                pct(lr_metrics_rate(s->cer_tt.edits, s->cer_tt.ref_len), p1, sizeof p1),
                s->cer_tt.edits,
                pct(lr_metrics_rate(s->cer_tt.order_free_edits, s->cer_tt.ref_len), p2, sizeof p2));
            row(f, "OCR", "CER (English, checks the scorer)", dl, m, "—", -1, &missed);
        }
    }
    if ((o->stages & LR_EVAL_THROUGHPUT) && s->thru_n) {
        double page_ms = s->decode_ms + s->orient_ms + s->enhance_ms + s->ocr_ms;
        if (s->thru_ds == DS_SYNTH)
            snprintf(dl, sizeof dl, "synthetic sheets, %s (%zu pages)",
                     o->lang ? o->lang : LR_OCR_DEFAULT_LANG, s->thru_n);
        else
            snprintf(dl, sizeof dl, "tesseract-test eurotext + phototest, eng (%zu pages)",
                     s->thru_n);
        snprintf(m, sizeof m, "**%.1f** (%.0f ms a page)", page_ms > 0 ? 60000.0 / page_ms : 0,
                 page_ms);
        if (!bench_reference(o->report, t, sizeof t))
            snprintf(t, sizeof t, "beside OCRmyPDF: see `scripts/bench.sh`");
        row(f, "throughput", "pages/min per core", dl, m, t, -1, &missed);
        snprintf(m, sizeof m, "decode %.0f · orientation %.0f · enhance %.0f · OCR %.0f",
                 s->decode_ms, s->orient_ms, s->enhance_ms, s->ocr_ms);
        row(f, "throughput", "ms per page by stage (mean)", dl, m, "—", -1, &missed);
        snprintf(m, sizeof m, "%.0f MB", (double)x->ev->rss_kb / 1024.0);
        snprintf(dl, sizeof dl, "the whole run (largest of %d worker%s, getrusage)", o->jobs,
                 o->jobs == 1 ? "" : "s");
        row(f, "throughput", "peak memory of a worker", dl, m, "—", -1, &missed);
    }
    fputc('\n', f);

    static const char *const alt[PLOT_COUNT] = {
        "skew error per measurement", "F-measure per DIBCO image",
        "OCR CER by position and script, clean and degraded"};
    bool any = false;
    for (int j = 0; j < PLOT_COUNT; j++)
        if (x->svg_rel[j]) {
            fprintf(f, "![%s](%s)\n", alt[j], x->svg_rel[j]);
            any = true;
        }
    if (any)
        fputc('\n', f);

    /* Where the figures come from. */
    fprintf(f, "Data: ");
    bool real = false;
    for (int d = DS_TT_ORIENT; d < DS_COUNT; d++)
        real = real || s->n[d];
    if (real)
        fprintf(f, "real test sets in `%s` (see its SOURCES.md)", o->realdata);
    if (s->n[DS_SYNTH]) {
        fprintf(f, "%ssynthetic corpus `%s`: %zu sheets (%zu clean, %zu degraded)",
                real ? "; " : "", o->corpus, s->n[DS_SYNTH], s->synth_clean,
                s->n[DS_SYNTH] - s->synth_clean);
        if (s->synth_printed)
            fprintf(f, ", %zu of them with printed entries", s->synth_printed);
    }
    if (s->n[DS_TURNED])
        fprintf(f, "%sturned synthetic corpus `%s`: %zu sheets", real || s->n[DS_SYNTH] ? "; " : "",
                o->turned_corpus, s->n[DS_TURNED]);
    if (x->ev->corpus_bad)
        fputs(" (some truth files unreadable)", f);
    fputs(". Protocols: `docs/evaluation.md`.\n", f);
    char *lept = getLeptonicaVersion();
    char enh[256];
    lr_pipeline_options po;
    lr_pipeline_options_default(&po);
    lr_enhance_options_describe(&po.enhance, enh, sizeof enh);
    fprintf(f, "Engines: %s, %s; enhance `%s`", lr_ocr_engine_version(), lept ? lept : "leptonica",
            enh);
    if (o->stages & (LR_EVAL_ORIENTATION | LR_EVAL_OCR | LR_EVAL_THROUGHPUT))
        fprintf(f,
                "; OCR `%s` on synthetic sheets, `eng` on the English pages, %s, psm %d for "
                "pages read whole, "
                "orientation by the ruled table (`%s`), else OSD at %d dpi, below confidence "
                "%.0f the text-line fallback `%s`",
                o->lang ? o->lang : po.ocr.lang,
                o->whole_page ? "every page read whole (`--whole-page`)"
                              : "ruled tables read cell by cell (`" LR_PAGEREAD_VERSION "`)",
                po.ocr.psm, LR_ORIENT_RULING_RULE, LR_OCR_OSD_DPI, (double)LR_OCR_MIN_ORIENT_CONF,
                LR_ORIENT_FALLBACK);
    fputs(".\n", f);
    free(lept);
    if (o->note)
        fprintf(f, "%s\n", o->note);
    size_t failed = lr_eval_failed_count(x->ev);
    if (failed)
        fprintf(f, "**%zu item%s failed** (run with `-v` for the reasons).\n", failed,
                failed == 1 ? "" : "s");
    fprintf(f, "Command: `%s` (%.1f s wall", o->command, x->ev->wall_ms / 1000.0);
    if (x->ev->load >= 0)
        fprintf(f, "; load average %.1f on %ld cores at the start: times grow with other load",
                x->ev->load, sysconf(_SC_NPROCESSORS_ONLN));
    fputs(").\n", f);
    *out_missed = missed;
}

/* Inserts section after the eval marker of the report (adding the markers at the end when
 * they are missing); written to a temporary file and renamed. */
int lr_eval_report_insert(const char *path, const char *section, lr_error *err)
{
    int rc = LR_OK;
    char *text = eval_read_text(path);
    char *tmp = eval_strf("%s.tmp", path);
    FILE *f = NULL;
    if (!text)
        text = strdup("");
    if (!text || !tmp) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    const char *mark = strstr(text, EVAL_MARK_BEGIN);
    if (!(f = fopen(tmp, "w"))) {
        rc = lr_error_set(err, LR_ERR_IO, "cannot write \"%s\"", tmp);
        lr_error_detail(err, "%s", strerror(errno));
        goto done;
    }
    if (mark) {
        size_t head = (size_t)(mark - text) + strlen(EVAL_MARK_BEGIN);
        fwrite(text, 1, head, f);
        fprintf(f, "\n\n%s", section);
        fputs(text + head, f);
    } else {
        fputs(text, f);
        if (*text && text[strlen(text) - 1] != '\n')
            fputc('\n', f);
        fprintf(f,
                "\n## Evaluation (`landrec eval`)\n\nSee `docs/evaluation.md`.\n\n"
                "%s\n\n%s\n%s\n",
                EVAL_MARK_BEGIN, section, EVAL_MARK_END);
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        f = NULL;
        rc = lr_error_set(err, LR_ERR_IO, "cannot write \"%s\"", path);
        lr_error_detail(err, "%s", strerror(errno));
        remove(tmp);
        goto done;
    }
    f = NULL;
done:
    if (f) {
        fclose(f);
        remove(tmp);
    }
    free(tmp);
    free(text);
    return rc;
}

/* Writes the plots the run has figures for into svg_dir, named by fstamp; out_rel[j]: the
 * path of plot j as the report links it, or NULL (caller frees each). */
static int write_plots(const lr_eval *ev, const char *svg_dir, const char *report_dir,
                       const char *fstamp, char *out_rel[PLOT_COUNT], lr_error *err)
{
    const lr_eval_options *o = &ev->o;
    const summary *s = &ev->s;
    if (mkdir(svg_dir, 0777) != 0 && errno != EEXIST)
        lr_log_error("cannot create %s: %s", svg_dir, strerror(errno));
    char data[PLOT_COUNT][512];
    snprintf(data[PLOT_SKEW], sizeof data[0], "%s%s%s",
             s->skew_n[DS_SYNTH] ? "synthetic corpus; " : "",
             s->skew_n[DS_SBRUNNER] ? "realdata sbrunner-deskew 1–7; " : "",
             s->skew_n[DS_LEPT] ? "realdata leptonica rotated by 8 known angles" : "");
    snprintf(data[PLOT_DIBCO], sizeof data[0],
             "realdata dibco/2009 (%zu images); published means "
             "as quoted in issue 3",
             s->bin_n);
    snprintf(data[PLOT_CER], sizeof data[0], "synthetic corpus %s, %s", o->corpus ? o->corpus : "",
             o->lang ? o->lang : LR_OCR_DEFAULT_LANG);
    bool want[PLOT_COUNT] = {
        (o->stages & LR_EVAL_SKEW) &&
            (s->skew_n[DS_SYNTH] || s->skew_n[DS_SBRUNNER] || s->skew_n[DS_LEPT]),
        (o->stages & LR_EVAL_BINARIZE) && s->bin_n > 0,
        (o->stages & LR_EVAL_OCR) &&
            (s->n_synth[G_PRINTED] || s->n_synth[G_HAND] || s->n_synth[G_DEGRADED])};
    static const char *const kind[PLOT_COUNT] = {"skew", "dibco", "cer"};
    size_t rl = report_dir ? strlen(report_dir) : 0;
    for (int j = 0; j < PLOT_COUNT; j++) {
        if (!want[j])
            continue;
        char *name = eval_strf("eval-%s-%s.svg", fstamp, kind[j]);
        if (!name)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        if (eval_write_svg(ev, j, svg_dir, name, data[j])) {
            /* Linked relative to the report when the plots sit under its directory. */
            if (report_dir && !strncmp(svg_dir, report_dir, rl) && svg_dir[rl] == '/')
                out_rel[j] = eval_strf("%s/%s", svg_dir + rl + 1, name);
            else
                out_rel[j] = eval_strf("%s/%s", svg_dir, name);
        }
        free(name);
    }
    return LR_OK;
}

int lr_eval_make_section(const lr_eval *ev, char **out_section, int *out_missed, lr_error *err)
{
    *out_section = NULL;
    *out_missed = 0;
    if (!ev || !ev->sh)
        return lr_error_set(err, LR_ERR_ARG, "lr_eval_make_section: the evaluation has not run");
    const lr_eval_options *o = &ev->o;
    int rc = LR_OK;
    char *svg_dir = NULL, *report_dir = NULL, *section = NULL;
    char *svg_rel[PLOT_COUNT] = {NULL, NULL, NULL};
    size_t section_len = 0;
    FILE *mf = NULL;

    /* Plots, named by the run's time so earlier sections keep theirs. */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32], fstamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M UTC", &tm);
    strftime(fstamp, sizeof fstamp, "%Y%m%d-%H%M", &tm);
    if (o->report) {
        const char *slash = strrchr(o->report, '/');
        report_dir = slash ? eval_strf("%.*s", (int)(slash - o->report), o->report) : strdup(".");
        if (!report_dir)
            goto nomem;
    }
    if (o->svg_dir || report_dir) {
        svg_dir = o->svg_dir ? strdup(o->svg_dir) : eval_strf("%s/img", report_dir);
        if (!svg_dir)
            goto nomem;
        if ((rc = write_plots(ev, svg_dir, report_dir, fstamp, svg_rel, err)) < 0)
            goto done;
    }
    section_ctx x = {.ev = ev, .stamp = stamp};
    for (int j = 0; j < PLOT_COUNT; j++)
        x.svg_rel[j] = svg_rel[j];
    if (!(mf = open_memstream(&section, &section_len)))
        goto nomem;
    write_section(mf, &x, out_missed);
    if (fclose(mf) != 0) {
        mf = NULL;
        goto nomem;
    }
    mf = NULL;
    *out_section = section;
    section = NULL;
    goto done;
nomem:
    rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
done:
    if (mf)
        fclose(mf);
    free(section);
    for (int j = 0; j < PLOT_COUNT; j++)
        free(svg_rel[j]);
    free(svg_dir);
    free(report_dir);
    return rc;
}
