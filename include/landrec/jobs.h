/* jobs.h — the work queue above the store (docs/queue.md): files' pages enqueued as jobs
 * with the pipeline options they are to be run with (or stored pages queued again under other
 * settings: reprocessing), and the worker that claims them one at a time, takes each page
 * through the pipeline while a heartbeat renews its lease, and ends it done, failed (bad
 * input, recorded as "landrec run" records it), to be retried later, or quarantined.
 *
 * The worker is one process: the page is read in its main thread, the heartbeat is a thread
 * with its own database connection. A worker that crashes or is killed stops beating; its
 * lease runs out and another worker takes the job back (lr_queue_reap), and a job that has
 * taken down max_expiries workers is quarantined rather than handed out again.
 *
 * Owns: the worker's connections (main and heartbeat), its pipeline worker (pipeline.h, made
 * again when a job's options differ from the last job's) and its invocation rows, one per
 * batch and settings.
 * Borrows: the options, the JSON log stream.
 */
#ifndef LANDREC_JOBS_H
#define LANDREC_JOBS_H

#include <stdbool.h>
#include <stdio.h>

#include "landrec/error.h"
#include "landrec/pipeline.h"
#include "landrec/queue.h"
#include "landrec/reprocess.h"

typedef struct lr_enqueue_options {
    const char *conninfo;         /* NULL: PG* variables */
    const char *schema_dir;       /* migrations, to check the schema is current */
    const char *batch_name;       /* NULL: none; at most LR_BATCH_NAME_MAX bytes */
    lr_pipeline_options pipeline; /* out_dir is not used: it is each worker's */
} lr_enqueue_options;

typedef struct lr_enqueue_summary {
    int files;
    int pages;      /* jobs asked for: one per page, one per unreadable file */
    int unreadable; /* files that could not be opened: one job for page 0 each */
    lr_queue_enqueued jobs;
    char settings_hash[LR_SHA256_HEX_LEN + 1];
} lr_enqueue_summary;

/* path made absolute against the current directory (not resolved: a link stays a link, as
 * "run" takes it), so that a worker elsewhere, or a run's worker, finds it. Caller frees;
 * NULL when out of memory. */
char *lr_jobs_absolute_path(const char *path);

/* Enqueues every page of each of files (the caller collects them: lr_batch_collect, or a
 * list), keyed by the file's checksum, page and the settings of opts->pipeline, in one
 * transaction per file. A relative path is made absolute (against the current directory), so
 * that a worker elsewhere finds the file on the same mount; so is the form templates
 * directory. A file that cannot be opened gets one job for page 0, whose worker records why.
 * An error only when nothing could be enqueued further (database, settings). */
int lr_jobs_enqueue(const lr_enqueue_options *opts, char *const *files, int nfiles,
                    lr_enqueue_summary *out, lr_error *err);

typedef struct lr_reprocess_summary {
    int selected;      /* pages sel selected */
    int same_settings; /* of which the latest run has the new settings already: not queued */
    int failed_whole;  /* of those queued, whole files never read (page 0: their worker
                          opens the file again) */
    lr_queue_enqueued jobs;
    char settings_hash[LR_SHA256_HEX_LEN + 1];
} lr_reprocess_summary;

/* Queues the pages sel selects (reprocess.h) again under the settings of opts->pipeline, as
 * enqueue would (the settings registered, a page-level job per page with the file's path
 * bytes, checksum and the options), all in one transaction that notifies the workers. The
 * old runs stay: the new ones are runs of another key beside them. A page whose latest run
 * has these settings already is counted in same_settings and not queued. */
int lr_jobs_reprocess(const lr_enqueue_options *opts, const lr_reprocess_selection *sel,
                      lr_reprocess_summary *out, lr_error *err);

/* A file's pages as jobs of a "landrec run" (lr_jobs_enqueue_run). */
typedef struct lr_run_jobs {
    int n;
    int64_t *ids;     /* the job of each page */
    int *file;        /* its file's index in the files given */
    int *page;        /* its page (0: the file could not be opened) */
    int *page_count;  /* the file's pages (0: unknown) */
} lr_run_jobs;

/* Enqueues every page of each of files for the run invocation_id on st, as lr_jobs_enqueue
 * does (one transaction per file; a file that cannot be opened gets one job for page 0), with
 * options_json (the run's pipeline options, forms directory absolute) under settings_hash
 * (registered already). Jobs of the keys that are queued or done are taken over
 * (lr_queue_enqueue). Fills *out (lr_run_jobs_free). */
int lr_jobs_enqueue_run(lr_store *st, const lr_pipeline_options *po, const char *options_json,
                        const char *settings_hash, const char *batch, int64_t invocation_id,
                        char *const *files, int nfiles, lr_run_jobs *out, lr_error *err);
void lr_run_jobs_free(lr_run_jobs *j);

/* What a worker did, as its JSON log says it (lr_jobs_worker_options.on_event). */
typedef struct lr_jobs_event {
    const char *name;       /* the JSON log's "event": claimed, done, failed, retry, released,
                               heartbeat_lost, database_lost, ... */
    int64_t job_id;         /* 0: none */
    int page;
    const char *message;    /* NULL: none; of "done", the outcome (loaded, skipped, done
                               elsewhere, ...) */
} lr_jobs_event;

typedef struct lr_jobs_worker_options {
    const char *conninfo;
    const char *schema_dir;
    const char *host_id;      /* NULL: the host name; the worker's id is "<host_id>:<pid>" */
    const char *batch;        /* NULL: jobs of any batch */
    const char *out_dir;      /* derivatives root; NULL: none */
    const char *args_text;    /* the command line, recorded with the worker and invocations */
    double lease_s;           /* a claim's lease, renewed every third of it (default 60) */
    double poll_s;            /* an idle worker looks at the queue at least this often, should
                                 a notification be missed (default 10) */
    double reconnect_timeout; /* lr_store_set_reconnect (default 300) */
    double retry_base_s;      /* the first wait before a retry; doubles with each (default 10,
                                 at most 600) */
    int max_attempts;         /* claims before a job that keeps erring fails (default 5) */
    int max_expiries;         /* leases run out before a job is quarantined (default 3) */
    bool drain;               /* end once nothing is queued or leased (of batch) */
    bool bench_noop;          /* benchmark only (tests/queue/bench_queue.c): each job claimed
                                 is finished done, outcome "no-op (benchmark)", without its
                                 file being opened, so that the queue alone is measured */
    FILE *log_json;           /* one JSON object per event and line; NULL: none */
    /* "landrec run"'s own workers: */
    int64_t invocation_id;    /* claim only this run's jobs, and record their pages under this
                                 invocation instead of one of the worker's own; 0: none */
    void (*on_event)(void *ctx, const lr_jobs_event *ev); /* each event also here (from the
                                 heartbeat's thread too); NULL: none */
    void *event_ctx;
    const char *log_prefix;   /* the log lines' prefix; NULL: "worker ID" */
    const char *preload_options_json; /* open the pipeline for these options (and settings
                                 preload_settings_hash) before the first claim: what cannot
                                 open (models, form templates) stops the worker before it
                                 takes a job; NULL: opened for the first job */
    const char *preload_settings_hash;
} lr_jobs_worker_options;

void lr_jobs_worker_options_default(lr_jobs_worker_options *out_opts);

typedef struct lr_jobs_worker_summary {
    char worker_id[300];
    int claimed;
    int loaded, skipped, done_elsewhere, expanded; /* jobs done */
    int failed, retried, quarantined;              /* quarantined: by reaping */
    int leases_lost;
    bool interrupted;
    bool database_lost; /* the database did not come back within reconnect_timeout */
    char database_error[1024];
} lr_jobs_worker_summary;

/* Runs a worker until it is stopped (SIGINT, SIGTERM: the page in hand is finished first;
 * a second signal ends the process at once), or, with drain, until nothing is left to do.
 * LR_OK when it ran (the summary says how); an error when it could not start. */
int lr_jobs_work(const lr_jobs_worker_options *opts, lr_jobs_worker_summary *out, lr_error *err);

/* 0 every job finished here is done; 1 some failed (or stayed failing), or the database was
 * lost; 130 interrupted. */
int lr_jobs_exit_status(const lr_jobs_worker_summary *s);

#endif
