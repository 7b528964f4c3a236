/* jobs.c — enqueuing pages as jobs, and the worker that drains the queue (jobs.h). */
#include "landrec/jobs.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "landrec/batch.h"
#include "landrec/clock.h"
#include "landrec/log.h"
#include "landrec/utf8.h"

/* ---------------------------------------------------------------- enqueue */

char *lr_jobs_absolute_path(const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", cwd, strcmp(path, ".") == 0 ? "" : path);
    return p;
}

/* Where one file's jobs go: a run's (run non-NULL: each job's id, page and file index are
 * added to it) or none. */
typedef struct file_jobs {
    int64_t invocation_id;
    lr_run_jobs *run;
    int file;
} file_jobs;

/* *p (n elements of elem bytes) grown to n + more; false when out of memory (*p kept). */
static bool grow(void *p, int n, int more, size_t elem)
{
    void *v = realloc(*(void **)p, (size_t)(n + more) * elem);
    if (v)
        *(void **)p = v;
    return v != NULL;
}

static int run_jobs_add(lr_run_jobs *r, const int64_t *ids, int file, int count, int n)
{
    if (!grow(&r->ids, r->n, count, sizeof *r->ids) ||
        !grow(&r->file, r->n, count, sizeof *r->file) ||
        !grow(&r->page, r->n, count, sizeof *r->page) ||
        !grow(&r->page_count, r->n, count, sizeof *r->page_count))
        return -1;
    for (int i = 0; i < count; i++) {
        r->ids[r->n] = ids[i];
        r->file[r->n] = file;
        r->page[r->n] = n > 0 ? i + 1 : 0;
        r->page_count[r->n] = n;
        r->n++;
    }
    return 0;
}

void lr_run_jobs_free(lr_run_jobs *j)
{
    if (!j)
        return;
    free(j->ids);
    free(j->file);
    free(j->page);
    free(j->page_count);
    memset(j, 0, sizeof *j);
}

/* What opening a file told, before its jobs are queued. */
typedef struct probe {
    char *path;                     /* owned */
    int index;                      /* in the files given */
    char sha[LR_SHA256_HEX_LEN + 1]; /* "" when the file could not be read */
    int pages;                      /* 0 when it could not be opened */
    int64_t pixels;                 /* lr_source_pixels */
} probe;

/* Opens the file of *p (its checksum, pages and pixels); one that cannot be opened is noted,
 * in the log at level. */
static void probe_file(const lr_enqueue_options *o, probe *p, lr_log_level level,
                       lr_enqueue_summary *out)
{
    lr_source *src = NULL;
    lr_error perr;
    if (lr_image_open(p->path, &o->pipeline.limits, &src, p->sha, &perr) == LR_OK) {
        p->pages = lr_source_page_count(src);
        p->pixels = lr_source_pixels(src);
        lr_image_close(&src);
        return;
    }
    /* A run reports the file's failure in its summary; enqueue has only this line. */
    char shown[1024];
    lr_log(level, "%s: %s; queued as a whole file, its worker records why",
           lr_utf8_path_show(p->path, shown, sizeof shown), perr.message);
    out->unreadable++;
}

/* The largest first, so that no large page is left to run alone at the end of a batch while
 * the other workers have nothing to do; in the order given among equals (the first of the
 * same bytes under two names stays the one read). */
static int cmp_probe(const void *a, const void *b)
{
    const probe *x = a, *y = b;
    if (x->pixels != y->pixels)
        return x->pixels > y->pixels ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* One file's jobs: a job per page, or one for page 0 when it could not be opened. */
static int enqueue_file(lr_store *st, const lr_enqueue_options *o, const probe *pr,
                        const char *options_json, const char *hash, const file_jobs *fj,
                        lr_enqueue_summary *out, lr_error *err)
{
    const char *path = pr->path, *sha = pr->sha;
    int n = pr->pages;
    int count = n > 0 ? n : 1;
    lr_queue_new_job *jobs = calloc((size_t)count, sizeof *jobs);
    if (!jobs)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < count; i++)
        jobs[i] = (lr_queue_new_job){.batch = o->batch_name,
                                     .path = path,
                                     .sha256 = sha[0] ? sha : NULL,
                                     .page = n > 0 ? i + 1 : 0,
                                     .page_count = n,
                                     .settings_hash = hash,
                                     .options_json = options_json,
                                     .invocation_id = fj ? fj->invocation_id : 0};
    int64_t *ids = fj && fj->run ? calloc((size_t)count, sizeof *ids) : NULL;
    int rc = fj && fj->run && !ids ? lr_error_set(err, LR_ERR_NOMEM, "out of memory")
                                   : lr_queue_enqueue(st, jobs, count, ids, &out->jobs, err);
    /* A run meets each file under each of its paths here, though the same bytes under two
     * names are one job: "landrec qa" sees both. */
    if (rc == LR_OK && fj && fj->run && sha[0])
        rc = lr_store_note_file(st, fj->invocation_id, path, sha, n, err);
    free(jobs);
    if (rc == LR_OK && ids && run_jobs_add(fj->run, ids, fj->file, count, n) < 0)
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    free(ids);
    if (rc == LR_OK) {
        out->files++;
        out->pages += count;
    }
    return rc;
}

/* Every file opened, then queued the largest first (cmp_probe), each in a transaction of its
 * own: the claim takes jobs in the order they were queued. A run's jobs (invocation_id > 0)
 * go into *run; the paths of others are made absolute. */
static int enqueue_files(lr_store *st, const lr_enqueue_options *o, char *const *files,
                         int nfiles, const char *options_json, const char *hash,
                         int64_t invocation_id, lr_run_jobs *run, lr_enqueue_summary *out,
                         lr_error *err)
{
    probe *pr = calloc((size_t)nfiles, sizeof *pr);
    if (!pr)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    int rc = LR_OK;
    for (int i = 0; i < nfiles && rc == LR_OK; i++) {
        pr[i].index = i;
        if (!(pr[i].path = run ? strdup(files[i]) : lr_jobs_absolute_path(files[i])))
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        else
            probe_file(o, &pr[i], run ? LR_LOG_DEBUG : LR_LOG_WARNING, out);
    }
    if (rc == LR_OK)
        qsort(pr, (size_t)nfiles, sizeof *pr, cmp_probe);
    for (int i = 0; i < nfiles && rc == LR_OK; i++) {
        file_jobs fj = {.invocation_id = invocation_id, .run = run, .file = pr[i].index};
        rc = enqueue_file(st, o, &pr[i], options_json, hash, run ? &fj : NULL, out, err);
    }
    for (int i = 0; i < nfiles; i++)
        free(pr[i].path);
    free(pr);
    return rc;
}

int lr_jobs_enqueue_run(lr_store *st, const lr_pipeline_options *po, const char *options_json,
                        const char *settings_hash, const char *batch, int64_t invocation_id,
                        char *const *files, int nfiles, lr_run_jobs *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    lr_enqueue_options o = {.batch_name = batch, .pipeline = *po};
    lr_enqueue_summary sum;
    memset(&sum, 0, sizeof sum);
    int rc = enqueue_files(st, &o, files, nfiles, options_json, settings_hash, invocation_id, out,
                           &sum, err);
    if (rc != LR_OK)
        lr_run_jobs_free(out);
    return rc;
}

/* What enqueuing and reprocessing both start from: the options with the form templates'
 * directory made absolute, their settings (JSON, and its hash in hash) and the options' JSON,
 * and a connection to a database whose schema is current. */
typedef struct jobs_setup {
    lr_pipeline_options po;
    char *forms, *settings_json, *options_json;
    lr_store *st;
} jobs_setup;

static void setup_end(jobs_setup *s)
{
    lr_store_close(&s->st);
    free(s->settings_json);
    free(s->options_json);
    free(s->forms);
}

/* The batch name checked, then *s filled; on failure *s is ended already. */
static int setup_begin(const lr_enqueue_options *o, jobs_setup *s,
                       char hash[LR_SHA256_HEX_LEN + 1], lr_error *err)
{
    memset(s, 0, sizeof *s);
    if (o->batch_name && strlen(o->batch_name) > LR_BATCH_NAME_MAX)
        return lr_error_set(err, LR_ERR_ARG, "batch name too long: %zu bytes, at most %d",
                            strlen(o->batch_name), LR_BATCH_NAME_MAX);
    if (o->batch_name && !lr_utf8_valid(o->batch_name, strlen(o->batch_name)))
        return lr_error_set(err, LR_ERR_ARG, "the batch name is not valid UTF-8");
    s->po = o->pipeline;
    s->forms = o->pipeline.forms_dir ? lr_jobs_absolute_path(o->pipeline.forms_dir) : NULL;
    s->po.forms_dir = s->forms;
    int rc = LR_OK;
    if (o->pipeline.forms_dir && !s->forms)
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    else if ((rc = lr_pipeline_settings(&s->po, &s->settings_json, hash, err)) == LR_OK &&
             (rc = lr_pipeline_options_to_json(&s->po, &s->options_json, err)) == LR_OK &&
             (rc = lr_store_connect(o->conninfo, &s->st, err)) == LR_OK)
        rc = lr_store_check_schema(s->st, o->schema_dir, err);
    if (rc != LR_OK)
        setup_end(s);
    return rc;
}

int lr_jobs_enqueue(const lr_enqueue_options *o, char *const *files, int nfiles,
                    lr_enqueue_summary *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!o || nfiles <= 0)
        return lr_error_set(err, LR_ERR_ARG, "no input files");
    jobs_setup s;
    int rc = setup_begin(o, &s, out->settings_hash, err);
    if (rc != LR_OK)
        return rc;
    lr_enqueue_options abs = *o;
    abs.pipeline = s.po;
    rc = lr_store_register_settings(s.st, out->settings_hash, s.settings_json, err);
    if (rc == LR_OK)
        rc = enqueue_files(s.st, &abs, files, nfiles, s.options_json, out->settings_hash, 0, NULL,
                           out, err);
    setup_end(&s);
    return rc;
}

/* ---------------------------------------------------------------- reprocess */

int lr_jobs_reprocess(const lr_enqueue_options *o, const lr_reprocess_selection *sel,
                      lr_reprocess_summary *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!o || !sel)
        return lr_error_set(err, LR_ERR_ARG, "no options or selection");
    jobs_setup s;
    int rc = setup_begin(o, &s, out->settings_hash, err);
    if (rc != LR_OK)
        return rc;
    lr_reprocess_page *pages = NULL;
    lr_queue_new_job *jobs = NULL;
    size_t n = 0;
    if ((rc = lr_store_reprocess_select(s.st, sel, &pages, &n, err)) < 0)
        goto done;
    out->selected = (int)n;
    jobs = calloc(n ? n : 1, sizeof *jobs);
    if (!jobs) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        const lr_reprocess_page *pg = &pages[i];
        if (strcmp(pg->settings_hash, out->settings_hash) == 0) {
            out->same_settings++;
            continue;
        }
        /* A page of a file never read is the whole file again: its worker opens it. */
        bool whole = pg->page == 0 || !pg->sha256[0];
        out->failed_whole += whole;
        jobs[count++] = (lr_queue_new_job){.batch = o->batch_name,
                                           .path = pg->path,
                                           .sha256 = whole ? NULL : pg->sha256,
                                           .page = whole ? 0 : pg->page,
                                           .page_count = whole ? 0 : pg->page_count,
                                           .settings_hash = out->settings_hash,
                                           .options_json = s.options_json};
    }
    if (count > 0 &&
        (rc = lr_store_register_settings(s.st, out->settings_hash, s.settings_json, err)) == LR_OK)
        rc = lr_queue_enqueue(s.st, jobs, count, NULL, &out->jobs, err);
done:
    free(jobs);
    lr_reprocess_pages_free(pages, n);
    setup_end(&s);
    return rc;
}

/* ---------------------------------------------------------------- the worker */

void lr_jobs_worker_options_default(lr_jobs_worker_options *o)
{
    memset(o, 0, sizeof *o);
    o->lease_s = 60;
    o->poll_s = 10;
    o->reconnect_timeout = 300;
    o->retry_base_s = 10;
    o->max_attempts = 5;
    o->max_expiries = 3;
}

/* The longest wait before a retry. */
#define JOBS_RETRY_CAP_S 600.0

/* A busy worker looks for leases that ran out at most this often (an idle one before each
 * look at the queue): leases last seconds, and a look before every claim would be one more
 * statement for every job. */
#define JOBS_REAP_EVERY_MS 1000.0

static volatile sig_atomic_t stop_requested;

/* The first signal asks the worker to stop after the page in hand; the second ends it. */
static void on_stop_signal(int sig)
{
    if (stop_requested) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_requested = 1;
}

/* The invocation rows of this worker: one per batch and settings, made on the first job of
 * each, so that "export --batch" finds the pages a batch's jobs loaded. */
typedef struct invocation_slot {
    char *batch; /* NULL: none */
    char settings_hash[LR_SHA256_HEX_LEN + 1];
    int64_t id;
    lr_run_counts counts;
    bool failed_any;
} invocation_slot;

typedef struct heartbeat {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool started, stop;
    int64_t job; /* the job in hand, 0 none */
    bool lost;   /* the job's lease was found no longer ours */
    lr_store *store;
    volatile sig_atomic_t cancel; /* ends the heartbeat's waits for the server */
    struct worker_ctx *ctx;
} heartbeat;

typedef struct worker_ctx {
    const lr_jobs_worker_options *o;
    lr_jobs_worker_summary *sum;
    char id[300];
    lr_store *store;
    heartbeat hb;
    pthread_mutex_t log_mu;
    /* the pipeline worker for the last job's options */
    char *options_json;
    char *options_storage;
    lr_pipeline_options po;
    char settings_hash[LR_SHA256_HEX_LEN + 1];
    bool have_worker;
    lr_worker w;
    invocation_slot *inv;
    size_t ninv;
} worker_ctx;

/* One line of the JSON log: {"at", "worker", "event", then the pairs given}. */
static void log_event(worker_ctx *c, const char *event, const lr_queue_job *job,
                      const char *message)
{
    if (c->o->on_event) {
        lr_jobs_event ev = {.name = event,
                            .job_id = job ? job->id : 0,
                            .page = job ? job->page : 0,
                            .message = message};
        pthread_mutex_lock(&c->log_mu);
        c->o->on_event(c->o->event_ctx, &ev);
        pthread_mutex_unlock(&c->log_mu);
    }
    if (!c->o->log_json)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char at[80];
    snprintf(at, sizeof at, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    json_t *o = json_pack("{s:s, s:s, s:s}", "at", at, "worker", c->id, "event", event);
    if (!o)
        return;
    if (job) {
        json_object_set_new(o, "job", json_integer(job->id));
        json_object_set_new(o, "path", json_string(job->path_shown ? job->path_shown : ""));
        json_object_set_new(o, "page", json_integer(job->page));
        json_object_set_new(o, "batch", job->batch ? json_string(job->batch) : json_null());
        json_object_set_new(o, "attempt", json_integer(job->attempts));
    }
    if (message) {
        char *m = lr_utf8_scrub_dup(message);
        json_object_set_new(o, "message", json_string(m ? m : ""));
        free(m);
    }
    char *line = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!line)
        return;
    pthread_mutex_lock(&c->log_mu);
    fprintf(c->o->log_json, "%s\n", line);
    fflush(c->o->log_json);
    pthread_mutex_unlock(&c->log_mu);
    free(line);
}

static void *heartbeat_main(void *arg)
{
    heartbeat *hb = arg;
    worker_ctx *c = hb->ctx;
    double interval_s = c->o->lease_s / 3.0;
    pthread_mutex_lock(&hb->mu);
    while (!hb->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        double t = (double)until.tv_sec + until.tv_nsec / 1e9 + interval_s;
        until.tv_sec = (time_t)t;
        until.tv_nsec = (long)((t - (double)until.tv_sec) * 1e9);
        int w = pthread_cond_timedwait(&hb->cv, &hb->mu, &until);
        if (hb->stop)
            break;
        if (w != ETIMEDOUT)
            continue; /* the job in hand changed: the interval starts again */
        int64_t job = hb->job;
        pthread_mutex_unlock(&hb->mu);
        bool held = false;
        lr_error e;
        lr_error_clear(&e);
        int rc = lr_queue_heartbeat(hb->store, c->id, job, c->o->lease_s, &held, &e);
        pthread_mutex_lock(&hb->mu);
        if (rc < 0) {
            char msg[1024];
            lr_log_warning("heartbeat: %s", lr_error_format(&e, msg, sizeof msg));
        } else if (job > 0 && !held && hb->job == job && !hb->lost) {
            hb->lost = true;
            lr_log_warning("job %lld: the lease is no longer this worker's (it ran out and was "
                           "taken back); the page is finished, the job left to its new owner",
                           (long long)job);
            lr_queue_job j = {.id = job};
            log_event(c, "heartbeat_lost", &j, "the lease ran out and was taken back");
        }
    }
    pthread_mutex_unlock(&hb->mu);
    return NULL;
}

/* Starts the heartbeat thread with its own connection; the stop signals stay the main
 * thread's. */
static int heartbeat_start(worker_ctx *c, lr_error *err)
{
    heartbeat *hb = &c->hb;
    hb->ctx = c;
    int rc = lr_store_connect(c->o->conninfo, &hb->store, err);
    if (rc < 0)
        return rc;
    lr_store_set_reconnect(hb->store, c->o->reconnect_timeout, &hb->cancel);
    pthread_mutex_init(&hb->mu, NULL);
    pthread_cond_init(&hb->cv, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int prc = pthread_create(&hb->thread, NULL, heartbeat_main, hb);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (prc != 0)
        return lr_error_set(err, LR_ERR_INTERNAL, "could not start the heartbeat: %s",
                            strerror(prc));
    hb->started = true;
    return LR_OK;
}

static void heartbeat_stop(worker_ctx *c)
{
    heartbeat *hb = &c->hb;
    if (hb->started) {
        pthread_mutex_lock(&hb->mu);
        hb->stop = true;
        hb->cancel = 1;
        pthread_cond_signal(&hb->cv);
        pthread_mutex_unlock(&hb->mu);
        pthread_join(hb->thread, NULL);
        pthread_mutex_destroy(&hb->mu);
        pthread_cond_destroy(&hb->cv);
        hb->started = false;
    }
    lr_store_close(&hb->store);
}

/* Sets the job in hand (0: none); returns whether the lease of the one before was lost. */
static bool heartbeat_set_job(worker_ctx *c, int64_t job)
{
    heartbeat *hb = &c->hb;
    pthread_mutex_lock(&hb->mu);
    bool lost = hb->lost;
    hb->job = job;
    hb->lost = false;
    pthread_cond_signal(&hb->cv);
    pthread_mutex_unlock(&hb->mu);
    return lost;
}

/* The invocation of (batch, settings_hash), made on first use. */
static invocation_slot *invocation_for(worker_ctx *c, const char *batch, const char *hash,
                                       lr_error *err)
{
    for (size_t i = 0; i < c->ninv; i++) {
        invocation_slot *s = &c->inv[i];
        if (strcmp(s->settings_hash, hash) == 0 &&
            ((!s->batch && !batch) || (s->batch && batch && strcmp(s->batch, batch) == 0)))
            return s;
    }
    invocation_slot *v = realloc(c->inv, (c->ninv + 1) * sizeof *v);
    if (!v) {
        lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        return NULL;
    }
    c->inv = v;
    invocation_slot *s = &v[c->ninv];
    memset(s, 0, sizeof *s);
    snprintf(s->settings_hash, sizeof s->settings_hash, "%s", hash);
    if (batch && !(s->batch = strdup(batch))) {
        lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (lr_store_invocation_begin(c->store, batch, c->o->args_text, hash, &s->id, err) < 0) {
        free(s->batch);
        return NULL;
    }
    c->ninv++;
    return s;
}

/* Whether two options' JSON texts say the same: the queue gives them back as jsonb writes
 * them (its own key order and spacing), not as they were enqueued. */
static bool same_options(const char *a, const char *b)
{
    json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL);
    bool same = ja && jb && json_equal(ja, jb);
    json_decref(ja);
    json_decref(jb);
    return same;
}

/* The pipeline worker for the job's options: the last one when they are the same. A job
 * whose options give another settings hash on this machine (other models, another engine)
 * is refused: *out_mismatch says why. */
static int worker_for(worker_ctx *c, const lr_queue_job *job, char *mismatch, size_t size,
                      lr_error *err)
{
    mismatch[0] = '\0';
    if (c->have_worker && strcmp(c->options_json, job->options_json) != 0 &&
        same_options(c->options_json, job->options_json)) {
        /* the same options in the queue's spelling: kept, so the next job compares as text */
        char *text = strdup(job->options_json);
        if (!text)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        free(c->options_json);
        c->options_json = text;
    }
    if (c->have_worker && strcmp(c->options_json, job->options_json) == 0) {
        if (strcmp(c->settings_hash, job->settings_hash) != 0)
            snprintf(mismatch, size,
                     "its options give settings %.12s on this worker, not %.12s: other models "
                     "or engine versions",
                     c->settings_hash, job->settings_hash);
        return LR_OK;
    }
    if (c->have_worker) {
        lr_worker_close(&c->w);
        c->have_worker = false;
    }
    free(c->options_json);
    free(c->options_storage);
    c->options_json = NULL;
    c->options_storage = NULL;
    int rc = lr_pipeline_options_from_json(job->options_json, &c->po, &c->options_storage, err);
    if (rc < 0)
        return rc;
    c->po.out_dir = c->o->out_dir;
    char *settings_json = NULL;
    rc = lr_pipeline_settings(&c->po, &settings_json, c->settings_hash, err);
    free(settings_json);
    if (rc < 0)
        return rc;
    if (!(c->options_json = strdup(job->options_json)))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    if ((rc = lr_worker_open(&c->po, c->store, c->settings_hash, 0, &c->w, err)) < 0) {
        lr_worker_close(&c->w);
        return rc;
    }
    c->have_worker = true;
    return worker_for(c, job, mismatch, size, err);
}

/* What the pipeline said of the job's page. */
typedef struct page_report {
    bool reported;
    lr_page_outcome outcome;
    char message[1024];
} page_report;

static void on_page(void *ctx, int page, int page_count, lr_page_outcome outcome,
                    const char *message)
{
    (void)page;
    (void)page_count;
    page_report *r = ctx;
    r->reported = true;
    r->outcome = outcome;
    snprintf(r->message, sizeof r->message, "%s", message ? message : "");
}

static double retry_after(const worker_ctx *c, int attempts)
{
    double s = c->o->retry_base_s * pow(2.0, attempts > 1 ? attempts - 1 : 0);
    return s < JOBS_RETRY_CAP_S ? s : JOBS_RETRY_CAP_S;
}

/* A page-0 job whose file now opens: its pages become jobs of their own. *out_n: how many;
 * 0 when the file does not open (the pipeline then records why). */
static int expand_file(worker_ctx *c, const lr_queue_job *job, int *out_n, lr_error *err)
{
    *out_n = 0;
    lr_source *src = NULL;
    char sha[LR_SHA256_HEX_LEN + 1] = "";
    lr_error perr;
    if (lr_image_open(job->path, &c->po.limits, &src, sha, &perr) < 0)
        return LR_OK;
    int n = lr_source_page_count(src);
    lr_image_close(&src);
    lr_queue_new_job *jobs = calloc((size_t)(n > 0 ? n : 1), sizeof *jobs);
    if (!jobs)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++)
        jobs[i] = (lr_queue_new_job){.batch = job->batch,
                                     .path = job->path,
                                     .sha256 = sha,
                                     .page = i + 1,
                                     .page_count = n,
                                     .settings_hash = job->settings_hash,
                                     .options_json = job->options_json,
                                     .invocation_id = c->o->invocation_id};
    lr_queue_enqueued counts = {0};
    int rc = lr_queue_enqueue(c->store, jobs, n, NULL, &counts, err);
    free(jobs);
    if (rc == LR_OK)
        *out_n = n;
    return rc;
}

/* Ends the job and says so in the log. */
static int finish(worker_ctx *c, const lr_queue_job *job, lr_queue_end end, const char *message,
                  lr_error *err)
{
    lr_queue_end became = end;
    bool held = false;
    bool lost = heartbeat_set_job(c, 0);
    int rc = lr_queue_finish(c->store, c->id, job->id, end, message, retry_after(c, job->attempts),
                             c->o->max_attempts, &became, &held, err);
    if (rc < 0)
        return rc;
    if (!held) {
        c->sum->leases_lost++;
        if (!lost)
            log_event(c, "heartbeat_lost", job, "the lease ran out and was taken back");
        return LR_OK;
    }
    static const char *const events[] = {"done", "failed", "retry", "quarantined", "released"};
    log_event(c, events[became], job, message);
    char shown[1024];
    snprintf(shown, sizeof shown, "%s", job->path_shown ? job->path_shown : "?");
    switch (became) {
    case LR_QUEUE_DONE:
        lr_log_info("job %lld: %s page %d %s", (long long)job->id, shown, job->page, message);
        break;
    case LR_QUEUE_FAILED:
        c->sum->failed++;
        lr_log_warning("job %lld: %s page %d failed: %s", (long long)job->id, shown, job->page,
                       message);
        break;
    case LR_QUEUE_RETRY:
        c->sum->retried++;
        lr_log_warning("job %lld: %s page %d: %s; retried in %.0f s", (long long)job->id, shown,
                       job->page, message, retry_after(c, job->attempts));
        break;
    case LR_QUEUE_QUARANTINED:
    case LR_QUEUE_RELEASE:
        lr_log_info("job %lld: %s page %d: %s", (long long)job->id, shown, job->page, message);
        break;
    }
    return LR_OK;
}

/* Takes one claimed job through the pipeline and ends it. An error only when the worker
 * cannot go on (the database is lost). */
static int process_job(worker_ctx *c, lr_queue_job *job, lr_error *err)
{
    c->sum->claimed++;
    log_event(c, "claimed", job, NULL);
    heartbeat_set_job(c, job->id);
    if (c->o->bench_noop)
        return finish(c, job, LR_QUEUE_DONE, "no-op (benchmark)", err);
    char mismatch[256], msg[1024];
    lr_error e;
    lr_error_clear(&e);
    if (worker_for(c, job, mismatch, sizeof mismatch, &e) < 0) {
        /* Options that do not read fail; a model or template this machine lacks may be on
         * another's: retried. */
        lr_error_format(&e, msg, sizeof msg);
        return finish(c, job, e.code == LR_ERR_ARG ? LR_QUEUE_FAILED : LR_QUEUE_RETRY, msg, err);
    }
    if (mismatch[0])
        return finish(c, job, LR_QUEUE_RETRY, mismatch, err);
    /* A run's worker records its pages under the run's invocation, which counts them. */
    invocation_slot run_inv = {.id = c->o->invocation_id};
    invocation_slot *inv = c->o->invocation_id > 0
                               ? &run_inv
                               : invocation_for(c, job->batch, job->settings_hash, &e);
    if (!inv) {
        lr_error_format(&e, msg, sizeof msg);
        return lr_store_connected(c->store) ? finish(c, job, LR_QUEUE_RETRY, msg, err)
                                            : (*err = e, e.code);
    }
    c->w.invocation_id = inv->id;
    /* Fault injection for the test suite: a worker that dies on a page as a decoder would. */
    const char *crash = getenv("LANDREC_TEST_CRASH_ON");
    if (crash && *crash && strstr(job->path, crash))
        raise(SIGKILL);

    int rc = LR_OK;
    if (job->page == 0) {
        int n = 0;
        if ((rc = expand_file(c, job, &n, err)) < 0)
            return rc;
        if (n > 0) {
            c->sum->expanded++;
            snprintf(msg, sizeof msg, "expanded into %d page job%s", n, n == 1 ? "" : "s");
            return finish(c, job, LR_QUEUE_DONE, msg, err);
        }
    }
    page_report r = {0};
    rc = lr_pipeline_process_page(&c->w, job->path, job->sha256[0] ? job->sha256 : NULL, job->page,
                                  NULL, on_page, &r, &e);
    if (rc < 0) {
        /* The database went away and did not come back in time: the page is not stored.
         * Put it back, should the server be there again; else its lease runs out. */
        *err = e;
        lr_store_set_reconnect(c->store, 0, NULL);
        lr_error e2;
        finish(c, job, LR_QUEUE_RELEASE, "the worker lost the database", &e2);
        return rc;
    }
    if (!r.reported)
        return finish(c, job, LR_QUEUE_FAILED, "the pipeline reported nothing", err);
    switch (r.outcome) {
    case LR_PAGE_DONE:
        c->sum->loaded++;
        inv->counts.pages_done++;
        return finish(c, job, LR_QUEUE_DONE, "loaded", err);
    case LR_PAGE_SKIPPED:
        c->sum->skipped++;
        inv->counts.pages_skipped++;
        return finish(c, job, LR_QUEUE_DONE, "skipped", err);
    case LR_PAGE_DONE_ELSEWHERE:
        c->sum->done_elsewhere++;
        inv->counts.pages_done_elsewhere++;
        return finish(c, job, LR_QUEUE_DONE, "done elsewhere", err);
    case LR_PAGE_FAILED:
        inv->counts.pages_failed++;
        inv->failed_any = true;
        /* The job's reason names its file, as "run"'s summary does. */
        char *why = malloc(strlen(job->path_shown) + strlen(r.message) + 32);
        if (why && strstr(r.message, job->path_shown))
            sprintf(why, "%s", r.message);
        else if (why && job->page > 0)
            sprintf(why, "%s page %d: %s", job->path_shown, job->page, r.message);
        else if (why)
            sprintf(why, "%s: %s", job->path_shown, r.message);
        rc = finish(c, job, LR_QUEUE_FAILED, why ? why : r.message, err);
        free(why);
        return rc;
    }
    return LR_OK;
}

/* A lease this worker took back: the JSON log says so. */
static void on_reaped(void *ctx, int64_t job_id, const char *path, int page, bool quarantined,
                      const char *reason)
{
    worker_ctx *c = ctx;
    lr_queue_job j = {.id = job_id, .path_shown = (char *)path, .page = page};
    log_event(c, quarantined ? "quarantined" : "lease_expired", &j, reason);
}

/* After a store call failed: LR_OK when the connection had been lost and is good again (the
 * call may be made again); LR_ERR_DB when the server refused the statement, or did not come
 * back in time. */
static int recover(worker_ctx *c, lr_error *err)
{
    if (lr_store_connected(c->store))
        return LR_ERR_DB;
    if (!stop_requested && lr_store_reconnect(c->store, err) == LR_OK)
        return LR_OK;
    return LR_ERR_DB;
}

static void database_lost(worker_ctx *c, const lr_error *e)
{
    if (stop_requested) { /* the signal ended the wait for the server */
        c->sum->interrupted = true;
        return;
    }
    c->sum->database_lost = true;
    lr_error_format(e, c->sum->database_error, sizeof c->sum->database_error);
    lr_log_error("gave up on the database: %s", c->sum->database_error);
    log_event(c, "database_lost", NULL, c->sum->database_error);
}

/* The worker's loop: reap, claim, work; idle, wait for a notification or the next job's time. */
static int work_loop(worker_ctx *c, lr_error *err)
{
    const lr_jobs_worker_options *o = c->o;
    double next_reap_ms = 0;
    bool got = false;
    while (!stop_requested) {
        lr_error e;
        lr_error_clear(&e);
        int rc = LR_OK;
        if (!got || lr_clock_ms() >= next_reap_ms) {
            int quarantined = 0;
            rc = lr_queue_reap(c->store, o->max_expiries, NULL, &quarantined, on_reaped, c, &e);
            c->sum->quarantined += quarantined;
            next_reap_ms = lr_clock_ms() + JOBS_REAP_EVERY_MS;
        }
        lr_queue_job job;
        got = false;
        if (rc == LR_OK)
            rc = lr_queue_claim(c->store, c->id, o->lease_s, o->batch, o->invocation_id, &job, &got,
                                &e);
        if (rc == LR_OK && got) {
            rc = process_job(c, &job, &e);
            lr_queue_job_clear(&job);
            if (rc < 0 && !lr_store_connected(c->store)) {
                database_lost(c, &e);
                return LR_OK;
            }
        }
        lr_queue_pending pend = {0};
        if (rc == LR_OK && !got)
            rc = lr_queue_pending_count(c->store, o->batch, o->invocation_id, &pend, &e);
        if (rc < 0) {
            rc = recover(c, &e);
            if (rc == LR_OK)
                continue;
            if (!lr_store_connected(c->store)) {
                database_lost(c, &e);
                return LR_OK;
            }
            if (err)
                *err = e;
            return rc;
        }
        if (got)
            continue;
        if (o->drain && pend.ready + pend.later + pend.leased == 0)
            break;
        if (pend.ready > 0)
            continue; /* claimed by others meanwhile: look again */
        double wait = o->poll_s;
        if (pend.next_s >= 0 && pend.next_s + 0.05 < wait)
            wait = pend.next_s + 0.05;
        rc = lr_queue_wait(c->store, wait, &stop_requested, &e);
        if (rc < 0 && recover(c, &e) < 0 && !lr_store_connected(c->store)) {
            database_lost(c, &e);
            return LR_OK;
        }
    }
    c->sum->interrupted = stop_requested != 0;
    return LR_OK;
}

static void end_invocations(worker_ctx *c, int exit_status)
{
    for (size_t i = 0; i < c->ninv; i++) {
        invocation_slot *s = &c->inv[i];
        lr_error e;
        int st = exit_status == LR_EXIT_OK && s->failed_any ? LR_EXIT_SOME_FAILED : exit_status;
        if (lr_store_invocation_end(c->store, s->id, &s->counts, st, &e) < 0)
            lr_log_warning("could not record the end of invocation %lld: %s", (long long)s->id,
                           e.message);
        free(s->batch);
    }
    free(c->inv);
    c->inv = NULL;
    c->ninv = 0;
}

int lr_jobs_work(const lr_jobs_worker_options *o, lr_jobs_worker_summary *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    worker_ctx c = {.o = o, .sum = out};
    pthread_mutex_init(&c.log_mu, NULL);
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        snprintf(host, sizeof host, "localhost");
    const char *host_id = o->host_id && *o->host_id ? o->host_id : host;
    snprintf(c.id, sizeof c.id, "%s:%d", host_id, (int)getpid());
    snprintf(out->worker_id, sizeof out->worker_id, "%s", c.id);
    char prefix[320];
    snprintf(prefix, sizeof prefix, "worker %s", c.id);
    lr_log_set_prefix(o->log_prefix ? o->log_prefix : prefix);

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    stop_requested = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    int rc = lr_store_connect(o->conninfo, &c.store, err);
    if (rc == LR_OK)
        rc = lr_store_check_schema(c.store, o->schema_dir, err);
    if (rc == LR_OK) {
        lr_store_set_reconnect(c.store, o->reconnect_timeout, &stop_requested);
        rc = lr_queue_worker_begin(c.store, c.id, host, (int)getpid(), o->args_text, o->lease_s,
                                   err);
    }
    if (rc == LR_OK && o->preload_options_json) {
        lr_queue_job first = {.options_json = (char *)o->preload_options_json};
        snprintf(first.settings_hash, sizeof first.settings_hash, "%s",
                 o->preload_settings_hash ? o->preload_settings_hash : "");
        char mismatch[256];
        rc = worker_for(&c, &first, mismatch, sizeof mismatch, err);
        if (rc == LR_OK && mismatch[0])
            rc = lr_error_set(err, LR_ERR_INTERNAL, "%s", mismatch);
    }
    if (rc == LR_OK)
        rc = heartbeat_start(&c, err);
    if (rc == LR_OK) {
        lr_log_info("worker %s: started (lease %.0f s)", c.id, o->lease_s);
        log_event(&c, "started", NULL, NULL);
        rc = work_loop(&c, err);
        heartbeat_stop(&c);
        int status = rc < 0 ? LR_EXIT_CANNOT_RUN : lr_jobs_exit_status(out);
        /* Gone for good, or being stopped: one more try each, no waiting. */
        if (out->database_lost || out->interrupted)
            lr_store_set_reconnect(c.store, 0, NULL);
        end_invocations(&c, status);
        lr_error e;
        if (lr_queue_worker_end(c.store, c.id, &e) < 0)
            lr_log_warning("could not record the worker's end: %s", e.message);
        log_event(&c, "stopped", NULL, out->interrupted ? "interrupted" : NULL);
    } else {
        heartbeat_stop(&c);
        end_invocations(&c, LR_EXIT_CANNOT_RUN);
    }
    if (c.have_worker)
        lr_worker_close(&c.w);
    free(c.options_json);
    free(c.options_storage);
    lr_store_close(&c.store);
    pthread_mutex_destroy(&c.log_mu);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return rc;
}

int lr_jobs_exit_status(const lr_jobs_worker_summary *s)
{
    if (s->interrupted)
        return LR_EXIT_INTERRUPTED;
    return s->failed > 0 || s->database_lost ? LR_EXIT_SOME_FAILED : LR_EXIT_OK;
}
