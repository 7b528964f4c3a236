/* queue.h — the work queue in PostgreSQL (schemas/012_queue.sql, docs/queue.md): jobs (one
 * per page to process, or per file whose pages are not known yet: page 0), their states and
 * leases, and the workers that claim them. Only SQL: what a job means for the pipeline is
 * jobs.h's.
 *
 * Every call is a short statement or transaction of its own: a job is claimed, renewed and
 * finished by separate statements, so that no transaction stays open while a page is read.
 *
 * Owns: nothing beyond the calls (the jobs returned are the caller's, lr_queue_job_clear).
 * Borrows: the store's connection (store.h), which reconnects as lr_store_set_reconnect says.
 */
#ifndef LANDREC_QUEUE_H
#define LANDREC_QUEUE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "landrec/digest.h"
#include "landrec/error.h"
#include "landrec/store.h"

/* The channel "enqueue" (and a job put back) notifies, and idle workers listen on. */
#define LR_QUEUE_CHANNEL "landrec_jobs"

/* One job to enqueue. Borrowed pointers. */
typedef struct lr_queue_new_job {
    const char *batch;         /* NULL: none */
    const char *path;          /* the file's path, bytes */
    const char *sha256;        /* NULL: the file could not be read (keyed by its path) */
    int page;                  /* 1-based; 0: the whole file, pages not known yet */
    int page_count;            /* 0 unknown */
    const char *settings_hash; /* registered already (lr_store_register_settings) */
    const char *options_json;  /* the pipeline options (jobs.h) */
    int64_t invocation_id;     /* the "landrec run" that wants the job, whose workers claim
                                  only its jobs; 0: none */
} lr_queue_new_job;

typedef struct lr_queue_enqueued {
    int added;    /* new jobs */
    int requeued; /* failed or quarantined jobs put back in the queue */
    int present;  /* queued, leased or done already: left as they are */
} lr_queue_enqueued;

/* Adds the n jobs in one transaction and notifies LR_QUEUE_CHANNEL at its commit. A job
 * whose key (file, page, settings) is queued, leased or done is left as it is; one that
 * failed or was quarantined is queued again with its counts reset. A run's job
 * (invocation_id set) takes over a queued job of the key too, and queues a done one again, so
 * that its workers find the page done and say so; only a leased one is left. Adds to
 * *counts; out_ids (may be NULL): each job's id, in order. */
int lr_queue_enqueue(lr_store *st, const lr_queue_new_job *jobs, int n, int64_t *out_ids,
                     lr_queue_enqueued *counts, lr_error *err);

/* The jobs among ids[0..n) still queued become invocation_id's (a run's workers that found
 * nothing left to claim take back what another run took over); *out_taken: how many. */
int lr_queue_take_over(lr_store *st, int64_t invocation_id, const int64_t *ids, int n,
                       int *out_taken, lr_error *err);

/* Where a job stands, for a run that did not finish it itself. */
typedef struct lr_queue_job_state {
    int64_t id;
    char state[16];   /* queued leased done failed quarantined; "" when there is no such job */
    char outcome[64]; /* of a done job */
    char *last_error; /* NULL: none; the caller frees */
} lr_queue_job_state;

/* The states of the jobs ids[0..n), in the same order, in out[0..n). */
int lr_queue_job_states(lr_store *st, const int64_t *ids, int n, lr_queue_job_state *out,
                        lr_error *err);

/* A job claimed. Strings are the caller's (lr_queue_job_clear). */
typedef struct lr_queue_job {
    int64_t id;
    char *batch;                        /* NULL: none */
    char *path;                         /* bytes, to open */
    char *path_shown;                   /* display form */
    char sha256[LR_SHA256_HEX_LEN + 1]; /* "" when keyed by path */
    int page;
    int page_count;
    char settings_hash[LR_SHA256_HEX_LEN + 1];
    char *options_json;
    int attempts; /* claims, this one included */
    int expiries;
} lr_queue_job;

void lr_queue_job_clear(lr_queue_job *job);

/* A worker's row: registered (again, should the id be reused) when it starts, beaten while
 * it lives (every third of lease_s, which "landrec status" is told: a worker silent for a
 * lease is shown so), stopped when it ends. */
int lr_queue_worker_begin(lr_store *st, const char *worker_id, const char *host, int pid,
                          const char *args, double lease_s, lr_error *err);
int lr_queue_worker_end(lr_store *st, const char *worker_id, lr_error *err);

/* Called by lr_queue_reap for each lease taken back: the job (id, path's display form, page),
 * whether it was quarantined, and the reason recorded. */
typedef void (*lr_queue_reap_callback)(void *ctx, int64_t job_id, const char *path, int page,
                                       bool quarantined, const char *reason);

/* Puts back the leases that ran out before now: each such job's expiries grow by one; a job
 * with max_expiries of them is quarantined (its worker died on it that often: it may be what
 * kills them), the others are queued again at once. *out_requeued and *out_quarantined (may
 * be NULL) say how many; cb (may be NULL) is told of each. */
int lr_queue_reap(lr_store *st, int max_expiries, int *out_requeued, int *out_quarantined,
                  lr_queue_reap_callback cb, void *cb_ctx, lr_error *err);

/* Claims the oldest queued job whose not_before has come (of batch only, when not NULL; of
 * the run invocation_id only, when not 0), for lease_s seconds: a short transaction, SELECT …
 * FOR UPDATE SKIP LOCKED, so that workers never wait for one another. *out_got false: none.
 * Fills *out (cleared first) when one was claimed. */
int lr_queue_claim(lr_store *st, const char *worker_id, double lease_s, const char *batch,
                   int64_t invocation_id, lr_queue_job *out, bool *out_got, lr_error *err);

/* Renews the lease of job_id (0: none; only the worker's heartbeat) for lease_s seconds
 * from now, and the worker's last_heartbeat and current job. *out_held false: the job is no
 * longer leased by worker_id (it ran out and was taken back). */
int lr_queue_heartbeat(lr_store *st, const char *worker_id, int64_t job_id, double lease_s,
                       bool *out_held, lr_error *err);

/* How a claimed job ends. */
typedef enum lr_queue_end {
    LR_QUEUE_DONE,        /* message: the outcome ("loaded", "skipped", ...) */
    LR_QUEUE_FAILED,      /* bad input, recorded in page_failure; message: why */
    LR_QUEUE_RETRY,       /* back in the queue after retry_after_s; message: why. Failed
                             instead once the job has had max_attempts claims */
    LR_QUEUE_QUARANTINED, /* message: why */
    LR_QUEUE_RELEASE,     /* back in the queue at once, this claim not counted (the worker
                             stops) */
} lr_queue_end;

/* Ends worker_id's lease of job_id as end says; a job done or failed is linked to the run
 * (page_run) of its key, when there is one. *out_end (may be NULL) is what the job became
 * (RETRY may become FAILED); *out_held false: the lease was no longer the worker's, and the
 * job is left as it is. */
int lr_queue_finish(lr_store *st, const char *worker_id, int64_t job_id, lr_queue_end end,
                    const char *message, double retry_after_s, int max_attempts,
                    lr_queue_end *out_end, bool *out_held, lr_error *err);

/* What is left to do (of batch only, when not NULL; of the run invocation_id only, when not
 * 0): jobs queued and ready now, queued for
 * later (backoff), leased; *out_next_s: seconds until the earliest later job may run or lease
 * runs out (-1: none). */
typedef struct lr_queue_pending {
    int ready, later, leased;
    double next_s;
} lr_queue_pending;

int lr_queue_pending_count(lr_store *st, const char *batch, int64_t invocation_id,
                           lr_queue_pending *out, lr_error *err);

/* Listens on LR_QUEUE_CHANNEL (again after a reconnection) and waits up to timeout_s seconds
 * for a notification; returns early (LR_OK) when one comes, when *cancel becomes non-zero or
 * a signal arrives. */
int lr_queue_wait(lr_store *st, double timeout_s, const volatile sig_atomic_t *cancel,
                  lr_error *err);

/* "landrec status": the jobs per batch and state (of batch only, when not NULL), the jobs
 * that failed or were quarantined with their reasons (at most max_errors), and the workers
 * with their last heartbeat, to out (borrowed). */
int lr_queue_print_status(lr_store *st, const char *batch, int max_errors, FILE *out,
                          lr_error *err);

#endif
