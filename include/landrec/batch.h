/* batch.h — "landrec run", the one-machine case of the work queue: finds the input files,
 * records the invocation, enqueues every page as a job of it (jobs.h), runs one queue worker
 * process per job slot on those jobs (each with its own Tesseract handle and database
 * connection), survives a worker that crashes, shows progress and sums up.
 *
 * Owns: the invocation row, the worker processes and the socket to each, the progress line.
 * Borrows: the store (its own connection; each worker opens its own), the queue worker
 * (jobs.h) each worker process runs.
 */
#ifndef LANDREC_BATCH_H
#define LANDREC_BATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "landrec/error.h"
#include "landrec/pipeline.h"
#include "landrec/store.h"

/* Exit statuses of "landrec run" (documented in docs/reference.md). */
#define LR_EXIT_OK 0          /* every page loaded (or was already loaded) */
#define LR_EXIT_SOME_FAILED 1 /* some inputs failed, or were not processed because the
                                 database did not come back in time; the rest loaded */
#define LR_EXIT_CANNOT_RUN 2  /* nothing could run: bad options, database, models */
#define LR_EXIT_INTERRUPTED 130

/* The longest batch name, in bytes: names are indexed (invocation.batch), and an index row
 * has a size limit; a name is a label, not a description. */
#define LR_BATCH_NAME_MAX 200

typedef struct lr_batch_options {
    const char *conninfo;   /* NULL: PG* variables */
    const char *schema_dir; /* migrations, to check the schema is current */
    const char *batch_name; /* NULL: none; at most LR_BATCH_NAME_MAX bytes */
    const char *args_text;  /* the command line, recorded with the invocation */
    int jobs;               /* worker processes; <= 0: one per core */
    bool follow_symlinks;   /* follow symbolic links to directories under the paths */
    double reconnect_timeout; /* seconds the driver and each worker keep trying to reconnect
                                 to a database that went away (lr_store_set_reconnect);
                                 0: one try */
    bool progress;          /* a progress line on progress_out */
    FILE *progress_out;
    lr_pipeline_options pipeline;
} lr_batch_options;

typedef struct lr_batch_failure {
    char *path;
    int page;
    char *message;
} lr_batch_failure;

typedef struct lr_batch_summary {
    lr_run_counts counts;
    int pages_total;       /* pages expected from the headers */
    int64_t invocation_id;
    char settings_hash[LR_SHA256_HEX_LEN + 1];
    double seconds;
    bool interrupted;
    lr_batch_failure *failures; /* in order of occurrence */
    size_t nfailures;
    /* The database went away and a worker gave up waiting for it (reconnect_timeout): no
     * more files were handed out, and the pages not processed are left for the next run. */
    bool database_lost;
    char database_error[1024];    /* the worker's reason */
    lr_batch_failure *unstored;   /* the pages workers had in hand then, not stored */
    size_t nunstored;
    int pages_unprocessed;        /* pages expected but neither done, skipped nor failed */
} lr_batch_summary;

/* lr_batch_collect's flags. */
#define LR_BATCH_FOLLOW_SYMLINKS 0x1u /* follow symbolic links to directories inside the tree */

/* Collects the image files under paths, sorted in byte order (rules in docs/ingest.md, "Which
 * files a run takes"). A path given is taken whatever its name, and followed if it is a link;
 * a directory is searched recursively for .tif .tiff .png .jpg .jpeg in any case, skipping
 * hidden entries, taking links to files, and following links to directories only with
 * LR_BATCH_FOLLOW_SYMLINKS; a directory already on the current path (a loop) or already
 * entered is not entered again, and a loop is logged as a warning. A file reached by several
 * paths (same device and inode) is kept once, under the path that sorts first. A path that
 * cannot be read (missing, a dangling link, an unreadable directory) is kept, to be reported
 * as a failed input. Fails only when out of memory. *out_files: caller frees with
 * lr_batch_files_free. */
int lr_batch_collect(char *const *paths, int npaths, unsigned flags, char ***out_files,
                     int *out_n, lr_error *err);
void lr_batch_files_free(char **files, int n);

/* Runs the batch. Returns LR_OK when the batch ran (failed inputs are in the summary), or an
 * error when nothing could run. Free the summary with lr_batch_summary_clear. */
int lr_batch_run(const lr_batch_options *opts, char *const *paths, int npaths,
                 lr_batch_summary *out, lr_error *err);

void lr_batch_summary_clear(lr_batch_summary *s);

/* Exit status for a summary: LR_EXIT_OK, LR_EXIT_SOME_FAILED (failures, or the database
 * lost) or LR_EXIT_INTERRUPTED. */
int lr_batch_exit_status(const lr_batch_summary *s);

#endif
