/* cmd_enqueue.c — "landrec enqueue": scans' pages into the work queue (jobs.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/jobs.h"
#include "landrec/layout.h"
#include "landrec/log.h"
#include "landrec/manifest.h"
#include "landrec/utf8.h"

static const char usage[] =
    "usage: landrec enqueue [OPTIONS] PATH...\n"
    "       landrec enqueue [OPTIONS] --manifest MANIFEST.csv [--root DIR]\n"
    "\n"
    "Puts every page of the scans under PATH (files, or directories searched as \"run\"\n"
    "searches them) in the work queue, as one job each, with the pipeline options given\n"
    "here; \"landrec worker\" processes, on this machine or others that see the same files\n"
    "under the same paths, take them. Paths are recorded absolute. A page already queued,\n"
    "being worked on or done with the same settings is not queued twice; one that failed\n"
    "or was quarantined is queued again. Idle workers are notified.\n"
    "\n"
    "With --manifest, the files are those a contractor's delivery manifest names\n"
    "(docs/manifest.md): each line is checked as \"landrec manifest check\" checks it, a\n"
    "rejected line is reported and left out, and each accepted file is queued as the document\n"
    "type its line gives, its line recorded with it (exports show it; the dashboard and the\n"
    "report count per contractor).\n"
    "\n"
    "options:\n"
    "  -b, --batch NAME        name this batch (for status, worker --batch, export --batch;\n"
    "                          at most 200 bytes)\n"
    "      --follow-symlinks   follow symbolic links to directories inside PATH\n"
    "      --manifest FILE     the files of a delivery manifest, instead of PATHs\n"
    "      --root DIR          the delivery's root, against which the manifest's paths are\n"
    "                          read (default: the manifest's directory)\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* "
    "variables)\n" CLI_PIPELINE_HELP "  -v, --verbose           more log output (twice: debug)\n"
    "  -q, --quiet             only errors\n"
    "  -h, --help              this help\n"
    "\n"
    "Where derivatives go is each worker's (worker --out). See docs/queue.md.\n"
    "Exit status: 0 the pages are queued (an unreadable file too: its worker records why),\n"
    "1 some lines of the manifest were rejected (the others are queued), 2 nothing could be\n"
    "queued (bad options, no files, an unreadable manifest, database, schema).\n";

/* Adds b's counts to a's. */
static void add_summary(lr_enqueue_summary *a, const lr_enqueue_summary *b)
{
    a->files += b->files;
    a->pages += b->pages;
    a->unreadable += b->unreadable;
    a->jobs.added += b->jobs.added;
    a->jobs.requeued += b->jobs.requeued;
    a->jobs.present += b->jobs.present;
    memcpy(a->settings_hash, b->settings_hash, sizeof a->settings_hash);
}

/* The manifest's accepted files queued, one document type at a time (the type is part of
 * the settings), then their lines recorded. Rejected lines are reported on stderr.
 * *out_rejected: how many. */
static int enqueue_manifest(lr_enqueue_options *o, const char *manifest, const char *root,
                            lr_enqueue_summary *sum, size_t *out_rejected, int *out_types,
                            lr_error *err)
{
    lr_manifest m;
    lr_manifest_options mo = {.root = root};
    int rc = lr_manifest_read(manifest, &mo, &m, err);
    if (rc != LR_OK)
        return rc;
    char shown[1024];
    lr_utf8_path_show(manifest, shown, sizeof shown);
    for (size_t i = 0; i < m.nrejections; i++)
        fprintf(stderr, "landrec: enqueue: %s:%d: %s: %s\n", shown, m.rejections[i].line,
                m.rejections[i].path[0] ? m.rejections[i].path : "-", m.rejections[i].reason);
    *out_rejected = m.nrejections;
    *out_types = 0;
    if (m.nentries == 0) {
        lr_manifest_free(&m);
        return lr_error_set(err, LR_ERR_ARG, "no line of the manifest %s was accepted", shown);
    }
    char **files = calloc(m.nentries, sizeof *files);
    lr_delivery_row *rows = calloc(m.nentries, sizeof *rows);
    bool *queued = calloc(m.nentries, sizeof *queued);
    if (!files || !rows || !queued)
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (size_t first = 0; rc == LR_OK && first < m.nentries; first++) {
        if (queued[first])
            continue;
        int n = 0;
        for (size_t i = first; i < m.nentries; i++)
            if (!queued[i] && strcmp(m.entries[i].doc_type, m.entries[first].doc_type) == 0) {
                files[n++] = m.entries[i].full_path;
                queued[i] = true;
            }
        lr_doc_type_parse(m.entries[first].doc_type, &o->pipeline.doc_type);
        lr_enqueue_summary part;
        memset(&part, 0, sizeof part);
        rc = lr_jobs_enqueue(o, files, n, &part, err);
        if (rc == LR_OK) {
            add_summary(sum, &part);
            (*out_types)++;
        }
    }
    if (rc == LR_OK) {
        for (size_t i = 0; i < m.nentries; i++) {
            const lr_manifest_entry *e = &m.entries[i];
            rows[i] = (lr_delivery_row){e->line,      e->sha256,       e->full_path, e->doc_type,
                                        e->district,  e->volume,       e->sheet,     e->contractor,
                                        e->scan_date, e->operator_name};
        }
        lr_store *st = NULL;
        rc = lr_store_connect(o->conninfo, &st, err);
        if (rc == LR_OK)
            rc = lr_store_delivery_save(st, o->batch_name, shown, rows, m.nentries, err);
        lr_store_close(&st);
    }
    free(files);
    free(rows);
    free(queued);
    lr_manifest_free(&m);
    return rc;
}

int cmd_enqueue(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_FOLLOW_SYMLINKS, OPT_MANIFEST, OPT_ROOT };
    static const struct option longopts[] = {
        {"batch", required_argument, NULL, 'b'},
        {"manifest", required_argument, NULL, OPT_MANIFEST},
        {"root", required_argument, NULL, OPT_ROOT},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW_SYMLINKS},
        {"db", required_argument, NULL, OPT_DB},
        CLI_PIPELINE_LONGOPTS,
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_enqueue_options o;
    memset(&o, 0, sizeof o);
    lr_pipeline_options_default(&o.pipeline);
    o.schema_dir = cli_schema_dir();
    bool follow = false;
    const char *manifest = NULL, *root = NULL;
    int verbose = 0, quiet = 0, c, longindex;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "b:l:vqh", longopts, &longindex)) != -1) {
        switch (c) {
        case 'b':
            o.batch_name = optarg;
            break;
        case OPT_FOLLOW_SYMLINKS:
            follow = true;
            break;
        case OPT_DB:
            o.conninfo = optarg;
            break;
        case OPT_MANIFEST:
            manifest = optarg;
            break;
        case OPT_ROOT:
            root = optarg;
            break;
        case 'v':
            verbose++;
            break;
        case 'q':
            quiet++;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default: {
            int st = cli_pipeline_option_or_exit("enqueue", c, optarg, &o.pipeline, longopts,
                                                 longindex);
            if (st >= 0)
                return st;
            break;
        }
        }
    }
    cli_set_verbosity(verbose, quiet);
    if (o.batch_name && strlen(o.batch_name) > LR_BATCH_NAME_MAX) {
        fprintf(stderr, "landrec: enqueue: the --batch name is too long (%zu bytes; at most %d)\n",
                strlen(o.batch_name), LR_BATCH_NAME_MAX);
        return LR_EXIT_CANNOT_RUN;
    }
    if (manifest && (optind < argc || o.pipeline.doc_type != LR_DOC_AUTO)) {
        fprintf(stderr,
                "landrec: enqueue: --manifest names the files and their document "
                "types: give no %s with it\n",
                optind < argc ? "PATH" : "--doc-type");
        return LR_EXIT_CANNOT_RUN;
    }
    if (root && !manifest) {
        fputs("landrec: enqueue: --root is the root of a --manifest\n", stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    if (!manifest && optind >= argc) {
        fputs("landrec: enqueue: no input paths\n", stderr);
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    lr_error err;
    lr_error_clear(&err);
    lr_enqueue_summary sum;
    memset(&sum, 0, sizeof sum);
    size_t rejected = 0;
    int types = 0, rc = LR_OK;
    if (manifest) {
        rc = enqueue_manifest(&o, manifest, root, &sum, &rejected, &types, &err);
    } else {
        char **files = NULL;
        int nfiles = 0;
        rc = lr_batch_collect(argv + optind, argc - optind, follow ? LR_BATCH_FOLLOW_SYMLINKS : 0u,
                              &files, &nfiles, &err);
        if (rc == LR_OK && nfiles == 0) {
            rc = lr_error_set(&err, LR_ERR_ARG, "no image files found");
            lr_error_hint(&err, "landrec reads .tif, .tiff, .png, .jpg and .jpeg files.");
        }
        if (rc == LR_OK)
            rc = lr_jobs_enqueue(&o, files, nfiles, &sum, &err);
        lr_batch_files_free(files, nfiles);
    }
    if (rc < 0) {
        cli_report("enqueue", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    if (quiet < 2) {
        if (types > 1)
            printf("landrec enqueue: %s%s%s%d settings (one for each document type)\n",
                   o.batch_name ? "batch \"" : "", o.batch_name ? o.batch_name : "",
                   o.batch_name ? "\", " : "", types);
        else
            printf("landrec enqueue: %s%s%ssettings %.12s\n", o.batch_name ? "batch \"" : "",
                   o.batch_name ? o.batch_name : "", o.batch_name ? "\", " : "", sum.settings_hash);
        printf("  files:    %d (%d could not be opened: queued whole, for their worker to "
               "record why)\n",
               sum.files, sum.unreadable);
        printf("  jobs:     %d added, %d queued again, %d already queued or done\n", sum.jobs.added,
               sum.jobs.requeued, sum.jobs.present);
        if (manifest)
            printf("  manifest: %d files in %d document type%s; %zu line%s rejected\n", sum.files,
                   types, types == 1 ? "" : "s", rejected, rejected == 1 ? "" : "s");
    }
    return rejected ? LR_EXIT_SOME_FAILED : LR_EXIT_OK;
}
