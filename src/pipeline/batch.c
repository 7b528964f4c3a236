/* batch.c — "landrec run": the files found, then the one-machine case of the work queue
 * (see batch.h, docs/queue.md "landrec run").
 *
 * The driver enqueues every page as a job of the run's invocation (lr_jobs_enqueue_run) and
 * forks its workers: each is a queue worker (lr_jobs_work) that claims only the run's jobs and
 * ends when none is left. Workers are processes, not threads: a decoder that crashes on a
 * hostile file takes down one worker, which the driver records as that page's failure (in
 * page_run and in the job, at once rather than when its lease runs out) and replaces. Each
 * worker tells the driver what it does over a socketpair, one line per event of its JSON log:
 *   "<event> <job id> <page> <message>"   (claimed, done, failed, released, database_lost,
 *                                          heartbeat_lost, ...; "error 0 0 <message>": it
 *                                          could not start)
 * The run's jobs that another worker took (a concurrent run, or "landrec worker") are counted
 * from the queue once the run's own workers find nothing left: those still queued are taken
 * back and worked here, those leased are waited for.
 * Each worker's connection and the driver's reconnect with backoff for reconnect_timeout
 * seconds (lr_store_set_reconnect); a worker that gives up says "database_lost" and exits, and
 * the driver then starts no more workers and lets the others end as they can.
 */
#include "landrec/batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "landrec/clock.h"
#include "landrec/jobs.h"
#include "landrec/log.h"
#include "landrec/utf8.h"

/* ---------------------------------------------------------------- collecting files */

/* A path found, with the identity of the file it names, so that a file reached by several
 * paths (two spellings, a hard link, a symbolic link) is processed once. */
typedef struct found_file {
    char *path;
    dev_t dev;
    ino_t ino;
    bool known; /* false: it could not be stat'ed; kept to be reported as a failed input */
} found_file;

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct dir_frame {
    dir_id id;
    const char *path; /* borrowed from the caller's frame */
} dir_frame;

typedef struct walker {
    found_file *v;
    int n, cap;
    bool follow;         /* LR_BATCH_FOLLOW_SYMLINKS */
    dir_frame *stack;    /* the directories on the current path, to recognise a loop */
    int depth, stack_cap;
    dir_id *seen;        /* open-addressing set of the directories entered under one argument */
    bool *seen_used;
    size_t seen_n, seen_cap;
    int links_skipped;   /* symbolic links to directories not followed */
    char *first_skipped; /* the first of them in byte order, for the warning */
} walker;

static int add_found(walker *w, const char *path, const struct stat *st)
{
    if (w->n == w->cap) {
        int cap = w->cap ? w->cap * 2 : 64;
        found_file *v = realloc(w->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        w->v = v;
        w->cap = cap;
    }
    found_file *f = &w->v[w->n];
    if (!(f->path = strdup(path)))
        return -1;
    f->known = st != NULL;
    f->dev = st ? st->st_dev : 0;
    f->ino = st ? st->st_ino : 0;
    w->n++;
    return 0;
}

static bool has_image_extension(const char *name)
{
    static const char *exts[] = {".tif", ".tiff", ".png", ".jpg", ".jpeg"};
    const char *dot = strrchr(name, '.');
    if (!dot)
        return false;
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return true;
    return false;
}

static size_t dir_hash(dir_id id, size_t cap)
{
    uint64_t h =
        ((uint64_t)id.dev * 0x9e3779b97f4a7c15u) ^ ((uint64_t)id.ino * 0xff51afd7ed558ccdu);
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Adds id to the set of directories entered; 1 when it was new, 0 when it was there, -1 when
 * out of memory. */
static int seen_add(walker *w, dir_id id)
{
    if (2 * (w->seen_n + 1) > w->seen_cap) {
        size_t cap = w->seen_cap ? 2 * w->seen_cap : 256;
        dir_id *v = calloc(cap, sizeof *v);
        bool *used = calloc(cap, sizeof *used);
        if (!v || !used) {
            free(v);
            free(used);
            return -1;
        }
        for (size_t i = 0; i < w->seen_cap; i++) {
            if (!w->seen_used[i])
                continue;
            size_t j = dir_hash(w->seen[i], cap);
            while (used[j])
                j = (j + 1) & (cap - 1);
            used[j] = true;
            v[j] = w->seen[i];
        }
        free(w->seen);
        free(w->seen_used);
        w->seen = v;
        w->seen_used = used;
        w->seen_cap = cap;
    }
    size_t j = dir_hash(id, w->seen_cap);
    while (w->seen_used[j]) {
        if (w->seen[j].dev == id.dev && w->seen[j].ino == id.ino)
            return 0;
        j = (j + 1) & (w->seen_cap - 1);
    }
    w->seen_used[j] = true;
    w->seen[j] = id;
    w->seen_n++;
    return 1;
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    size_t len = n + strlen(name) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return p;
}

/* strcmp of a + "/" with b + "/": walking a directory's subdirectories in this order visits
 * the paths below it in the byte order of whole paths, so the first path by which the walk
 * enters a directory is the first in sorted order. */
static int cmp_dir_key(const void *pa, const void *pb)
{
    const char *a = *(char *const *)pa, *b = *(char *const *)pb;
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    unsigned ca = a[i] ? (unsigned char)a[i] : '/', cb = b[i] ? (unsigned char)b[i] : '/';
    if (ca != cb)
        return ca < cb ? -1 : 1;
    /* one ended where the other has a '/': the shorter one first */
    return a[i] ? 1 : b[i] ? -1 : 0;
}

typedef struct subdir {
    char *path;
    bool nofollow; /* entered without following a link (a real directory) */
} subdir;

static int cmp_subdir(const void *pa, const void *pb)
{
    const subdir *a = pa, *b = pb;
    return cmp_dir_key(&a->path, &b->path);
}

/* Opens the directory at path (not through a symbolic link when nofollow) and puts it on the
 * current path: *out_d, or NULL when it is not to be entered. A directory that cannot be read
 * is kept as a failed input; a directory already on the current path (a loop) or already
 * entered is not entered again. Only running out of memory is an error. */
static int enter_dir(walker *w, const char *path, bool nofollow, DIR **out_d, lr_error *err)
{
    *out_d = NULL;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        /* An unreadable directory is an input that failed: keep it for the failure report. */
        return add_found(w, path, NULL) == 0 ? LR_OK
                                             : lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    }
    dir_id id = {st.st_dev, st.st_ino};
    for (int i = 0; i < w->depth; i++)
        if (w->stack[i].id.dev == id.dev && w->stack[i].id.ino == id.ino) {
            lr_log_warning("directory loop: \"%s\" is \"%s\" again; not entered", path,
                           w->stack[i].path);
            close(fd);
            return LR_OK;
        }
    int isnew = seen_add(w, id);
    if (isnew <= 0) {
        close(fd);
        if (isnew < 0)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        lr_log_debug("\"%s\": directory already taken by another path", path);
        return LR_OK;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return add_found(w, path, NULL) == 0 ? LR_OK
                                             : lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    }
    if (w->depth == w->stack_cap) {
        int cap = w->stack_cap ? 2 * w->stack_cap : 32;
        dir_frame *s = realloc(w->stack, (size_t)cap * sizeof *s);
        if (!s) {
            closedir(d);
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        }
        w->stack = s;
        w->stack_cap = cap;
    }
    w->stack[w->depth++] = (dir_frame){id, path};
    *out_d = d;
    return LR_OK;
}

/* One entry of a directory, sorted. */
typedef struct dir_entry {
    struct stat lst, tst;  /* the entry itself; what it names when it is a symbolic link */
    const struct stat *id; /* the identity of a file taken (NULL: it could not be stat'ed) */
    bool take;             /* an image file, taken */
    bool dir;              /* a directory, to enter */
    bool nofollow;         /* ... not through a symbolic link */
} dir_entry;

/* Sorts the entry name of d (its path p) into *e. A symbolic link to a directory is followed
 * only when the walker follows links; the others are counted for the warning. */
static void sort_entry(walker *w, DIR *d, const char *name, const char *p, dir_entry *e)
{
    bool image = has_image_extension(name);
    *e = (dir_entry){.nofollow = true};
    if (fstatat(dirfd(d), name, &e->lst, AT_SYMLINK_NOFOLLOW) != 0) {
        e->take = image; /* gone meanwhile: reported as a failed input */
    } else if (S_ISLNK(e->lst.st_mode)) {
        if (fstatat(dirfd(d), name, &e->tst, 0) != 0) {
            e->take = image; /* a dangling link: reported as a failed input */
        } else if (S_ISDIR(e->tst.st_mode)) {
            if (w->follow) {
                e->dir = true;
                e->nofollow = false;
            } else {
                w->links_skipped++;
                if (!w->first_skipped || strcmp(p, w->first_skipped) < 0) {
                    free(w->first_skipped);
                    w->first_skipped = strdup(p);
                }
            }
        } else {
            e->take = image; /* a link to a file is taken; duplicates go below */
            e->id = &e->tst;
        }
    } else if (S_ISDIR(e->lst.st_mode)) {
        e->dir = true;
    } else {
        e->take = image;
        e->id = &e->lst;
    }
}

typedef struct subdir_list {
    subdir *v;
    size_t n, cap;
} subdir_list;

/* Reads the directory d (at path): takes its image files, and lists its subdirectories in
 * *subs (the caller frees their paths and the list, also after failure). */
static int read_dir(walker *w, DIR *d, const char *path, subdir_list *subs, lr_error *err)
{
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (ent->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as editors' temporaries */
        char *p = join_path(path, ent->d_name);
        if (!p)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        dir_entry e;
        sort_entry(w, d, ent->d_name, p, &e);
        if (e.take && add_found(w, p, e.id) != 0) {
            free(p);
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        }
        if (e.dir && subs->n == subs->cap) {
            size_t cap = subs->cap ? 2 * subs->cap : 16;
            subdir *v = realloc(subs->v, cap * sizeof *v);
            if (!v) {
                free(p);
                return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            }
            subs->v = v;
            subs->cap = cap;
        }
        if (e.dir) {
            subs->v[subs->n++] = (subdir){p, e.nofollow};
            p = NULL;
        }
        free(p);
    }
    return LR_OK;
}

/* Enters the directory at path (not through a symbolic link when nofollow) and takes the image
 * files below it, subdirectories in the order of cmp_dir_key (enter_dir says which are not
 * entered). Only running out of memory is an error. */
static int walk_dir(walker *w, const char *path, bool nofollow, lr_error *err)
{
    DIR *d = NULL;
    int rc = enter_dir(w, path, nofollow, &d, err);
    if (rc < 0 || !d)
        return rc;
    /* Read the whole directory first and close it, so that the open descriptors do not grow
     * with the depth of the tree. */
    subdir_list subs = {0};
    rc = read_dir(w, d, path, &subs, err);
    closedir(d);
    if (subs.n > 1)
        qsort(subs.v, subs.n, sizeof *subs.v, cmp_subdir);
    for (size_t i = 0; i < subs.n; i++) {
        if (rc == LR_OK)
            rc = walk_dir(w, subs.v[i].path, subs.v[i].nofollow, err);
        free(subs.v[i].path);
    }
    free(subs.v);
    w->depth--;
    return rc;
}

static int cmp_found_path(const void *a, const void *b)
{
    return strcmp(((const found_file *)a)->path, ((const found_file *)b)->path);
}

/* By identity, then by position in the sorted list: the first of a group is the one kept. */
static int cmp_found_id(const void *pa, const void *pb, void *base)
{
    const found_file *v = base;
    const found_file *a = &v[*(const int *)pa], *b = &v[*(const int *)pb];
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    return *(const int *)pa - *(const int *)pb;
}

int lr_batch_collect(char *const *paths, int npaths, unsigned flags, char ***out_files,
                     int *out_n, lr_error *err)
{
    *out_files = NULL;
    *out_n = 0;
    walker w = {.follow = (flags & LR_BATCH_FOLLOW_SYMLINKS) != 0};
    int rc = LR_OK;
    int *order = NULL;
    char **files = NULL;
    for (int i = 0; i < npaths && rc == LR_OK; i++) {
        /* A path given on the command line is followed if it is a link (as find -H does). */
        struct stat st;
        bool known = stat(paths[i], &st) == 0;
        if (known && S_ISDIR(st.st_mode)) {
            /* Each argument is walked on its own, so that the path kept for a file two
             * arguments reach is the first in sorted order, not the first walked. */
            if (w.seen_used)
                memset(w.seen_used, 0, w.seen_cap * sizeof *w.seen_used);
            w.seen_n = 0;
            rc = walk_dir(&w, paths[i], false, err);
        } else if (add_found(&w, paths[i], known ? &st : NULL) != 0) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        }
    }
    if (rc != LR_OK)
        goto done;
    if (w.links_skipped)
        lr_log_warning("%d symbolic link(s) to directories not followed, the first \"%s\" "
                       "(--follow-symlinks follows them)",
                       w.links_skipped, w.first_skipped ? w.first_skipped : "");

    if (w.n > 1)
        qsort(w.v, (size_t)w.n, sizeof *w.v, cmp_found_path);
    /* A file reached by several paths is processed once, under the first in sorted order:
     * the same spelling twice (directly and through its directory), then the same file
     * (device and inode) under other spellings, hard links or symbolic links. */
    bool *drop = calloc((size_t)w.n + 1, sizeof *drop);
    order = malloc(((size_t)w.n + 1) * sizeof *order);
    if (!drop || !order) {
        free(drop);
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    int nknown = 0;
    for (int i = 0; i < w.n; i++) {
        if (i > 0 && strcmp(w.v[i - 1].path, w.v[i].path) == 0)
            drop[i] = true;
        else if (w.v[i].known)
            order[nknown++] = i;
    }
    if (nknown > 1)
        qsort_r(order, (size_t)nknown, sizeof *order, cmp_found_id, w.v);
    for (int k = 1; k < nknown; k++) {
        const found_file *a = &w.v[order[k - 1]], *b = &w.v[order[k]];
        if (a->dev == b->dev && a->ino == b->ino) {
            lr_log_info("\"%s\" is the same file as \"%s\": taken once", b->path,
                        w.v[order[k - 1]].path);
            drop[order[k]] = true;
            order[k] = order[k - 1]; /* the group's first stays the one named */
        }
    }
    files = malloc(((size_t)w.n + 1) * sizeof *files);
    if (!files) {
        free(drop);
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    int nout = 0;
    for (int i = 0; i < w.n; i++) {
        if (drop[i])
            free(w.v[i].path);
        else
            files[nout++] = w.v[i].path;
    }
    free(drop);
    w.n = 0; /* the paths now belong to files */
    *out_files = files;
    *out_n = nout;
done:
    for (int i = 0; i < w.n; i++)
        free(w.v[i].path);
    free(w.v);
    free(w.stack);
    free(w.seen);
    free(w.seen_used);
    free(w.first_skipped);
    free(order);
    return rc;
}

void lr_batch_files_free(char **files, int n)
{
    for (int i = 0; i < n; i++)
        free(files[i]);
    free(files);
}

/* ---------------------------------------------------------------- the worker process */

static int send_line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int send_line(int fd, const char *fmt, ...)
{
    char text[2048], buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    /* A message may quote a file name that is not UTF-8; the driver logs and prints it. */
    n = (int)lr_utf8_scrub(text, buf, sizeof buf - 1);
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    for (int i = 0; i < n; i++)
        if (buf[i] == '\n' || buf[i] == '\r')
            buf[i] = ' ';
    buf[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        off += (int)w;
    }
    return 0;
}

static void worker_event(void *ctx, const lr_jobs_event *ev)
{
    send_line(*(int *)ctx, "%s %lld %d %s", ev->name, (long long)ev->job_id, ev->page,
              ev->message ? ev->message : "");
}

/* A worker of the run: a queue worker on the run's jobs until none is left. */
static int worker_main(int fd, int index, const lr_batch_options *o, const char *options_json,
                       const char *settings_hash, int64_t invocation_id)
{
    signal(SIGPIPE, SIG_DFL);
    /* A group of its own: a terminal's SIGINT reaches the driver only, which passes on one
     * SIGTERM (a second signal would end the worker at once, its page unfinished). */
    setpgid(0, 0);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "worker %d", index + 1);
    lr_jobs_worker_options w;
    lr_jobs_worker_options_default(&w);
    w.conninfo = o->conninfo;
    w.schema_dir = o->schema_dir;
    w.out_dir = o->pipeline.out_dir;
    w.args_text = o->args_text;
    w.poll_s = 0.5; /* jobs another worker holds are waited for, not announced */
    w.reconnect_timeout = o->reconnect_timeout;
    w.max_attempts = 1; /* a run's page fails at once, as a bad file does: no backoff */
    w.drain = true;
    w.invocation_id = invocation_id;
    w.on_event = worker_event;
    w.event_ctx = &fd;
    w.log_prefix = prefix;
    w.preload_options_json = options_json;
    w.preload_settings_hash = settings_hash;
    lr_jobs_worker_summary sum;
    lr_error err;
    lr_error_clear(&err);
    int status;
    if (lr_jobs_work(&w, &sum, &err) < 0) {
        char msg[1024];
        send_line(fd, "error 0 0 %s", lr_error_format(&err, msg, sizeof msg));
        status = LR_EXIT_CANNOT_RUN;
    } else {
        status = lr_jobs_exit_status(&sum);
    }
    close(fd);
    return status;
}

/* ---------------------------------------------------------------- the driver */

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef struct worker_slot {
    pid_t pid;
    int fd;          /* -1 when the slot is empty */
    bool started;    /* it said so: its connection and models are good */
    int64_t job;     /* the job in hand, 0 none */
    int page;        /* its page */
    char buf[8192];
    size_t len;
} worker_slot;

typedef struct driver {
    const lr_batch_options *o;
    char **files;
    int nfiles;
    lr_run_jobs jobs;
    int *by_id;      /* job indices sorted by id, to find a job from a worker's line */
    bool *counted;   /* per job: its end is in the summary */
    worker_slot *slots;
    int nslots;
    lr_store *store;
    lr_batch_summary *sum;
    char *options_json;
    char *forms;     /* the form templates' directory, absolute */
    char settings_hash[LR_SHA256_HEX_LEN + 1];
    char host[256];
    int start_failures; /* workers that could not start, in a row */
    char start_error[1024];
    double t0, last_progress;
    bool progress_shown;
    bool signalled; /* the workers were sent SIGTERM */
} driver;

static int add_failure(lr_batch_summary *s, const char *path, int page, const char *message)
{
    lr_batch_failure *v = realloc(s->failures, (s->nfailures + 1) * sizeof *v);
    if (!v)
        return -1;
    s->failures = v;
    v[s->nfailures].path = strdup(path);
    v[s->nfailures].page = page;
    v[s->nfailures].message = strdup(message ? message : "");
    s->nfailures++;
    return 0;
}

static int add_unstored(lr_batch_summary *s, const char *path, int page)
{
    lr_batch_failure *v = realloc(s->unstored, (s->nunstored + 1) * sizeof *v);
    if (!v)
        return -1;
    s->unstored = v;
    v[s->nunstored].path = strdup(path);
    v[s->nunstored].page = page;
    v[s->nunstored].message = strdup("in hand, not stored");
    s->nunstored++;
    return 0;
}

static void show_progress(driver *d, bool final)
{
    if (!d->o->progress || !d->o->progress_out)
        return;
    double t = (lr_clock_ms() / 1e3);
    if (!final && t - d->last_progress < 0.25)
        return;
    d->last_progress = t;
    const lr_run_counts *c = &d->sum->counts;
    int finished = c->pages_done + c->pages_skipped + c->pages_failed + c->pages_done_elsewhere;
    int total = d->sum->pages_total > finished ? d->sum->pages_total : finished;
    double minutes = (t - d->t0) / 60.0;
    int worked = c->pages_done + c->pages_failed + c->pages_done_elsewhere;
    double rate = minutes > 0 ? worked / minutes : 0;
    char eta[32] = "--";
    if (rate > 0 && total > finished) {
        int s = (int)((total - finished) / rate * 60.0);
        snprintf(eta, sizeof eta, "%dm%02ds", s / 60, s % 60);
    }
    fprintf(d->o->progress_out,
            "\r\033[K%d/%d pages  %.1f pages/min  %s left  %d failed  %d skipped", finished, total,
            rate, eta, c->pages_failed, c->pages_skipped);
    if (final)
        fputc('\n', d->o->progress_out);
    fflush(d->o->progress_out);
    d->progress_shown = true;
}

/* By job id, then by index (qsort_r, ctx the run's jobs): the same bytes under two names are
 * one job, met first under the name that sorts first. */
static int cmp_job_id(const void *a, const void *b, void *ctx)
{
    const lr_run_jobs *jobs = ctx;
    int i = *(const int *)a, k = *(const int *)b;
    int64_t x = jobs->ids[i], y = jobs->ids[k];
    return x < y ? -1 : x > y ? 1 : (i > k) - (i < k);
}

/* The position in by_id of the first job of id (d->jobs.n when there is none). */
static int first_of_id(const driver *d, int64_t id)
{
    int lo = 0, hi = d->jobs.n - 1, at = d->jobs.n;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (d->jobs.ids[d->by_id[mid]] >= id) {
            at = mid;
            hi = mid - 1;
        } else {
            lo = mid + 1;
        }
    }
    return at;
}

/* The run's job of id (its first page of that id), or -1 (a job a page-0 job expanded into). */
static int job_index(const driver *d, int64_t id)
{
    int at = first_of_id(d, id);
    return at < d->jobs.n && d->jobs.ids[d->by_id[at]] == id ? d->by_id[at] : -1;
}

/* The path of a job's file, for messages. */
static const char *job_path(const driver *d, int j)
{
    return j >= 0 ? d->files[d->jobs.file[j]] : "?";
}

static void count_one(driver *d, int page, const char *path, lr_page_outcome outcome,
                      const char *message);

/* Counts a page's end once: outcome is how it ended ("loaded", "skipped", "done elsewhere", or
 * failed with message). A job that is not the run's (j < 0) is counted as it comes. The same
 * bytes met under other names are the same job, counted with it: a page already done, as a
 * second read would find it, or a file that cannot be read, failed under each name. */
static void count_end(driver *d, int j, int page, const char *path, lr_page_outcome outcome,
                      const char *message)
{
    /* A job's reason names its file (jobs.c, for the queue's readers, from a worker here or
     * elsewhere); the summary names it already. */
    char shown[1024], lead[1100];
    lr_utf8_path_show(path, shown, sizeof shown);
    snprintf(lead, sizeof lead, page > 0 ? "%s page %d: " : "%s: ", shown, page);
    if (message && strncmp(message, lead, strlen(lead)) == 0)
        message += strlen(lead);
    if (j < 0) {
        count_one(d, page, path, outcome, message);
        return;
    }
    int64_t id = d->jobs.ids[j];
    for (int k = first_of_id(d, id); k < d->jobs.n && d->jobs.ids[d->by_id[k]] == id; k++) {
        int i = d->by_id[k];
        if (d->counted[i])
            continue;
        d->counted[i] = true;
        if (i == j)
            count_one(d, page, path, outcome, message);
        else if (outcome == LR_PAGE_FAILED && d->jobs.page[i] == 0)
            count_one(d, 0, job_path(d, i), outcome, message);
        else
            count_one(d, d->jobs.page[i], job_path(d, i), LR_PAGE_SKIPPED, NULL);
    }
}

/* Counts one page's end in the summary. */
static void count_one(driver *d, int page, const char *path, lr_page_outcome outcome,
                      const char *message)
{
    lr_run_counts *c = &d->sum->counts;
    switch (outcome) {
    case LR_PAGE_DONE:
        c->pages_done++;
        break;
    case LR_PAGE_SKIPPED:
        c->pages_skipped++;
        break;
    case LR_PAGE_DONE_ELSEWHERE:
        c->pages_done_elsewhere++;
        break;
    case LR_PAGE_FAILED: {
        c->pages_failed++;
        add_failure(d->sum, path, page, message);
        if (d->o->progress && d->progress_shown)
            fputs("\r\033[K", d->o->progress_out);
        char shown[1024];
        lr_log_warning("%s%s%.0d: %s", lr_utf8_path_show(path, shown, sizeof shown),
                       page > 0 ? " page " : "", page, message);
        break;
    }
    }
    show_progress(d, false);
}

/* A done job's outcome as the pipeline's. */
static lr_page_outcome done_outcome(const char *outcome)
{
    if (strcmp(outcome, "loaded") == 0)
        return LR_PAGE_DONE;
    if (strcmp(outcome, "skipped") == 0)
        return LR_PAGE_SKIPPED;
    return LR_PAGE_DONE_ELSEWHERE;
}

static int spawn_worker(driver *d, int i, int64_t invocation_id)
{
    worker_slot *s = &d->slots[i];
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    fflush(NULL); /* buffered output must not be written twice by the child */
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        /* Other workers' sockets are inherited too: close them so their EOF reaches the
         * driver when a worker dies. The driver's own database connection is left alone (a
         * child must never PQfinish it: that would end the driver's session). */
        for (int j = 0; j < d->nslots; j++)
            if (d->slots[j].fd >= 0)
                close(d->slots[j].fd);
        exit(worker_main(sv[1], i, d->o, d->options_json, d->settings_hash, invocation_id));
    }
    close(sv[1]);
    memset(s, 0, sizeof *s);
    s->pid = pid;
    s->fd = sv[0];
    return 0;
}

/* A worker died with a job in hand: its page is recorded as failed, keyed like any other
 * failure, and its job fails at once (not when the lease runs out), so the summary, the
 * database and the queue say what happened. */
static void record_crash(driver *d, worker_slot *s, int wstatus, int64_t invocation_id)
{
    int j = job_index(d, s->job);
    const char *path = job_path(d, j);
    int page = s->page;
    char msg[512], shown[1024], wid[300];
    lr_utf8_path_show(path, shown, sizeof shown);
    if (WIFSIGNALED(wstatus))
        snprintf(msg, sizeof msg, "worker crashed: signal %d (%s) while processing page %d",
                 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)), page);
    else
        snprintf(msg, sizeof msg, "worker exited with status %d while processing page %d",
                 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, page);
    char sha[LR_SHA256_HEX_LEN + 1] = "";
    int64_t size = -1;
    lr_error err;
    if (j >= 0)
        lr_digest_file(path, sha, &size, &err);
    lr_page_record rec = {.invocation_id = invocation_id,
                          .source_path = path,
                          .sha256 = sha[0] ? sha : NULL,
                          .file_size = size,
                          .page = page,
                          .page_count = j >= 0 ? d->jobs.page_count[j] : 0,
                          .settings_hash = d->settings_hash,
                          .failed = true,
                          .error_code = lr_status_name(LR_ERR_CRASH),
                          .error = msg};
    lr_save_outcome saved = LR_SAVE_FAILED;
    if (j >= 0 && lr_store_save_page(d->store, &rec, &saved, &err) < 0)
        lr_log_error("could not record the crash on \"%s\": %s", shown, err.message);
    snprintf(wid, sizeof wid, "%s:%d", d->host, (int)s->pid);
    if (lr_queue_finish(d->store, wid, s->job, LR_QUEUE_FAILED, msg, 0, 1, NULL, NULL, &err) < 0 ||
        lr_queue_worker_end(d->store, wid, &err) < 0)
        lr_log_error("could not record the crash of job %lld: %s", (long long)s->job,
                     err.message);
    if (saved == LR_SAVE_ALREADY_DONE || saved == LR_SAVE_ALREADY_OURS) {
        /* Another run loaded the page meanwhile: the page is done; the crash stays a log line. */
        lr_log_warning("%s: %s (another run has loaded the page)", shown, msg);
        count_end(d, j, page, path, LR_PAGE_DONE_ELSEWHERE, NULL);
        return;
    }
    lr_log_error("%s: %s", shown, msg);
    count_end(d, j, page, path, LR_PAGE_FAILED, msg);
}

/* Handles one line from worker s: "<event> <job id> <page> <message>". */
static void handle_line(driver *d, worker_slot *s, char *line)
{
    char event[32];
    long long id = 0;
    int page = 0, consumed = 0;
    if (sscanf(line, "%31s %lld %d %n", event, &id, &page, &consumed) < 3)
        return;
    const char *message = consumed > 0 ? line + consumed : "";
    int j = job_index(d, id);
    const char *path = job_path(d, j);
    if (strcmp(event, "started") == 0) {
        s->started = true;
        d->start_failures = 0;
    } else if (strcmp(event, "error") == 0) {
        snprintf(d->start_error, sizeof d->start_error, "%s", message);
    } else if (strcmp(event, "claimed") == 0) {
        s->job = id;
        s->page = page;
    } else if (strcmp(event, "done") == 0) {
        s->job = 0;
        /* A page-0 job whose file opened now: its pages are jobs of the run, counted as
         * they end; the whole file is no page. */
        if (strncmp(message, "expanded", 8) == 0) {
            if (j >= 0 && !d->counted[j]) {
                d->counted[j] = true;
                d->sum->pages_total--;
            }
            int n = 0;
            if (sscanf(message, "expanded into %d", &n) == 1)
                d->sum->pages_total += n;
            return;
        }
        count_end(d, j, page, path, done_outcome(message), NULL);
    } else if (strcmp(event, "failed") == 0) {
        s->job = 0;
        count_end(d, j, page, path, LR_PAGE_FAILED, message);
    } else if (strcmp(event, "released") == 0 || strcmp(event, "heartbeat_lost") == 0) {
        /* Back in the queue, or another worker's now: not this worker's to count. */
        if (d->sum->database_lost && s->job == id && j >= 0)
            add_unstored(d->sum, path, page);
        s->job = 0;
    } else if (strcmp(event, "database_lost") == 0) {
        /* The worker waited for the database as long as reconnect_timeout allows, and exits
         * next. No more workers are started. */
        if (!d->sum->database_lost) {
            d->sum->database_lost = true;
            snprintf(d->sum->database_error, sizeof d->sum->database_error, "%s", message);
            if (d->o->progress && d->progress_shown)
                fputs("\r\033[K", d->o->progress_out);
            lr_log_error("a worker gave up on the database: %s; stopping the batch", message);
        }
        if (s->job) {
            int k = job_index(d, s->job);
            if (k >= 0)
                add_unstored(d->sum, job_path(d, k), s->page);
            s->job = 0;
        }
    }
}

static void close_slot(worker_slot *s, int *out_status)
{
    int status = 0;
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    if (s->pid > 0)
        while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
            ;
    s->pid = 0;
    if (out_status)
        *out_status = status;
}

/* The signal dispositions the batch replaces while its workers run. */
typedef struct saved_signals {
    struct sigaction intr, term, pipe;
} saved_signals;

/* SIGINT and SIGTERM ask the batch to stop (stop_requested); SIGPIPE is ignored, a worker
 * that went away being seen as the end of its socket. */
static void catch_signals(saved_signals *old)
{
    struct sigaction sa;
    stop_requested = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old->intr);
    sigaction(SIGTERM, &sa, &old->term);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old->pipe);
}

static void restore_signals(const saved_signals *old)
{
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGTERM, &old->term, NULL);
    sigaction(SIGPIPE, &old->pipe, NULL);
}

/* Everything before the first worker: the files, the settings and their hash, the options
 * the workers take the jobs with, the driver's connection, the invocation, and the jobs. */
static int begin_batch(driver *d, char *const *paths, int npaths, lr_error *err)
{
    const lr_batch_options *o = d->o;
    lr_batch_summary *out = d->sum;
    int rc = lr_batch_collect(paths, npaths, o->follow_symlinks ? LR_BATCH_FOLLOW_SYMLINKS : 0u,
                              &d->files, &d->nfiles, err);
    if (rc < 0)
        return rc;
    if (d->nfiles == 0) {
        rc = lr_error_set(err, LR_ERR_ARG, "no image files found");
        lr_error_hint(err, "landrec reads .tif, .tiff, .png, .jpg and .jpeg files.");
        return rc;
    }
    /* The workers read the options from the jobs: the templates' directory is made absolute,
     * as enqueue makes it, so that the settings are the same as the driver's. */
    lr_pipeline_options po = o->pipeline;
    if (po.forms_dir) {
        if (!(d->forms = lr_jobs_absolute_path(po.forms_dir)))
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        po.forms_dir = d->forms;
    }
    char *settings_json = NULL;
    if ((rc = lr_pipeline_settings(&po, &settings_json, d->settings_hash, err)) < 0 ||
        (rc = lr_pipeline_options_to_json(&po, &d->options_json, err)) < 0) {
        free(settings_json);
        return rc;
    }
    memcpy(out->settings_hash, d->settings_hash, sizeof d->settings_hash);
    if ((rc = lr_store_connect(o->conninfo, &d->store, err)) < 0 ||
        (rc = lr_store_check_schema(d->store, o->schema_dir, err)) < 0 ||
        (rc = lr_store_register_settings(d->store, d->settings_hash, settings_json, err)) < 0 ||
        (rc = lr_store_invocation_begin(d->store, o->batch_name, o->args_text, d->settings_hash,
                                        &out->invocation_id, err)) < 0) {
        free(settings_json);
        return rc;
    }
    free(settings_json);
    /* From here the driver's connection records crashes and the end: a server that goes away
     * meanwhile is waited for, unless the batch is being stopped. */
    lr_store_set_reconnect(d->store, o->reconnect_timeout, &stop_requested);
    if (o->progress && o->progress_out) {
        fprintf(o->progress_out, "\r\033[Kqueueing %d file%s", d->nfiles, d->nfiles == 1 ? "" : "s");
        fflush(o->progress_out);
        d->progress_shown = true;
    }
    if ((rc = lr_jobs_enqueue_run(d->store, &po, d->options_json, d->settings_hash, o->batch_name,
                                  out->invocation_id, d->files, d->nfiles, &d->jobs, err)) < 0)
        return rc;
    out->pages_total = d->jobs.n;
    d->by_id = malloc((size_t)(d->jobs.n > 0 ? d->jobs.n : 1) * sizeof *d->by_id);
    d->counted = calloc((size_t)(d->jobs.n > 0 ? d->jobs.n : 1), sizeof *d->counted);
    if (!d->by_id || !d->counted)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < d->jobs.n; i++)
        d->by_id[i] = i;
    qsort_r(d->by_id, (size_t)d->jobs.n, sizeof *d->by_id, cmp_job_id, &d->jobs);
    if (gethostname(d->host, sizeof d->host - 1) != 0 || !d->host[0])
        snprintf(d->host, sizeof d->host, "localhost");
    return LR_OK;
}

/* A worker slot for each of o->jobs, else one per core, at most one per page. */
static int plan_workers(driver *d, lr_error *err)
{
    int jobs = d->o->jobs > 0 ? d->o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    if (jobs > d->jobs.n)
        jobs = d->jobs.n > 0 ? d->jobs.n : 1;
    d->nslots = jobs;
    d->slots = calloc((size_t)jobs, sizeof *d->slots);
    if (!d->slots)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < jobs; i++)
        d->slots[i].fd = -1;
    return LR_OK;
}

/* Reads what the worker of slot i sent and handles its lines. At the end of its socket the
 * worker is gone: a job in hand is recorded as crashed, and the slot is filled again while
 * the run's jobs are not all ended. An error when workers cannot start. */
static int read_worker(driver *d, int i, lr_error *err)
{
    lr_batch_summary *out = d->sum;
    worker_slot *s = &d->slots[i];
    ssize_t n = read(s->fd, s->buf + s->len, sizeof s->buf - 1 - s->len);
    if (n > 0) {
        s->len += (size_t)n;
        s->buf[s->len] = '\0';
        char *start = s->buf, *nl;
        while ((nl = strchr(start, '\n'))) {
            *nl = '\0';
            handle_line(d, s, start);
            start = nl + 1;
        }
        s->len -= (size_t)(start - s->buf);
        memmove(s->buf, start, s->len);
        if (s->len == sizeof s->buf - 1)
            s->len = 0; /* an over-long line: drop it rather than stall */
        return LR_OK;
    }
    if (n < 0 && errno == EINTR)
        return LR_OK;
    /* EOF: the worker is gone. */
    bool was_started = s->started;
    pid_t pid = s->pid;
    int status = 0;
    close_slot(s, &status);
    bool crashed = !WIFEXITED(status) || WEXITSTATUS(status) == LR_EXIT_CANNOT_RUN;
    if (s->job && !out->interrupted && !out->database_lost) {
        s->pid = pid;
        record_crash(d, s, status, out->invocation_id);
        s->pid = 0;
        s->job = 0;
    }
    if (!was_started && crashed) {
        d->start_failures++;
        if (d->start_failures >= 3 || d->start_error[0]) {
            int rc = lr_error_set(err, LR_ERR_INTERNAL, "workers could not start");
            lr_error_detail(err, "%s", d->start_error[0] ? d->start_error : "unknown");
            stop_requested = 1;
            return rc;
        }
    }
    /* A worker that ended by itself found nothing left; one that crashed is replaced. */
    if (WIFSIGNALED(status) && !stop_requested && !out->database_lost &&
        spawn_worker(d, i, out->invocation_id) != 0)
        lr_log_error("could not restart worker %d: %s", i + 1, strerror(errno));
    return LR_OK;
}

/* Starts the workers and serves them until every one has ended; asked to stop, sends them
 * SIGTERM once. */
static int serve_workers(driver *d, lr_error *err)
{
    lr_batch_summary *out = d->sum;
    int jobs = d->nslots;
    for (int i = 0; i < jobs; i++)
        if (spawn_worker(d, i, out->invocation_id) != 0)
            return lr_error_set(err, LR_ERR_INTERNAL, "could not start a worker: %s",
                                strerror(errno));
    show_progress(d, false);

    struct pollfd *pfds = calloc((size_t)jobs, sizeof *pfds);
    if (!pfds)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    int rc = LR_OK;
    for (;;) {
        int live = 0;
        for (int i = 0; i < jobs; i++) {
            pfds[i].fd = d->slots[i].fd;
            pfds[i].events = POLLIN;
            pfds[i].revents = 0;
            live += d->slots[i].fd >= 0;
        }
        if (live == 0)
            break;
        if (stop_requested && !d->signalled) {
            d->signalled = true;
            out->interrupted = out->interrupted || rc == LR_OK;
            for (int i = 0; i < jobs; i++)
                if (d->slots[i].pid > 0)
                    kill(d->slots[i].pid, SIGTERM);
        }
        int pr = poll(pfds, (nfds_t)jobs, 1000);
        if (pr < 0 && errno != EINTR) {
            rc = lr_error_set(err, LR_ERR_INTERNAL, "poll failed: %s", strerror(errno));
            break;
        }
        show_progress(d, false);
        for (int i = 0; i < jobs && pr > 0; i++) {
            if (d->slots[i].fd < 0 || !(pfds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            int wrc = read_worker(d, i, err);
            if (wrc < 0)
                rc = wrc;
        }
    }
    free(pfds);
    if (rc < 0)
        out->interrupted = false;
    return rc;
}

/* The run's jobs its workers did not end: counted from the queue when another worker ended
 * them. *out_more: some are still queued (taken back now: the workers start again) or leased
 * by a worker elsewhere (waited for). */
static int settle_others(driver *d, bool *out_more, lr_error *err)
{
    *out_more = false;
    int n = 0; /* the jobs not counted, each once (the same bytes under two names are one) */
    for (int i = 0; i < d->jobs.n; i++)
        n += !d->counted[i] && job_index(d, d->jobs.ids[i]) == i;
    if (n == 0)
        return LR_OK;
    int64_t *ids = malloc((size_t)n * sizeof *ids);
    int *idx = malloc((size_t)n * sizeof *idx);
    lr_queue_job_state *st = calloc((size_t)n, sizeof *st);
    int rc = !ids || !idx || !st ? lr_error_set(err, LR_ERR_NOMEM, "out of memory") : LR_OK;
    for (int i = 0, k = 0; rc == LR_OK && i < d->jobs.n; i++)
        if (!d->counted[i] && job_index(d, d->jobs.ids[i]) == i) {
            idx[k] = i;
            ids[k++] = d->jobs.ids[i];
        }
    if (rc == LR_OK)
        rc = lr_queue_job_states(d->store, ids, n, st, err);
    int queued = 0, leased = 0;
    for (int k = 0; rc == LR_OK && k < n; k++) {
        int j = idx[k];
        const char *path = job_path(d, j);
        if (strcmp(st[k].state, "done") == 0 && strncmp(st[k].outcome, "expanded", 8) != 0)
            count_end(d, j, d->jobs.page[j], path,
                      strcmp(st[k].outcome, "skipped") == 0 ? LR_PAGE_SKIPPED
                                                            : LR_PAGE_DONE_ELSEWHERE,
                      NULL);
        else if (strcmp(st[k].state, "failed") == 0 || strcmp(st[k].state, "quarantined") == 0)
            count_end(d, j, d->jobs.page[j], path, LR_PAGE_FAILED,
                      st[k].last_error ? st[k].last_error : st[k].state);
        else if (strcmp(st[k].state, "queued") == 0)
            queued++;
        else if (strcmp(st[k].state, "leased") == 0)
            leased++;
        else
            d->counted[j] = true; /* gone from the queue, or a file expanded elsewhere */
    }
    for (int k = 0; st && k < n; k++)
        free(st[k].last_error);
    if (rc == LR_OK && (queued || leased)) {
        int taken = 0, requeued = 0, quarantined = 0;
        lr_jobs_worker_options w; /* leases taken back as the run's own workers would */
        lr_jobs_worker_options_default(&w);
        if (leased)
            rc = lr_queue_reap(d->store, w.max_expiries, &requeued, &quarantined, NULL, NULL,
                               err);
        if (rc == LR_OK)
            rc = lr_queue_take_over(d->store, d->sum->invocation_id, ids, n, &taken, err);
        if (rc == LR_OK && taken == 0) {
            struct timespec ts = {0, 500 * 1000 * 1000}; /* leased elsewhere: wait a little */
            nanosleep(&ts, NULL);
        }
        *out_more = rc == LR_OK;
    }
    free(ids);
    free(idx);
    free(st);
    return rc;
}

/* Runs the workers until the run's jobs are all ended (or the run is stopped). */
static int run_workers(driver *d, lr_error *err)
{
    d->t0 = (lr_clock_ms() / 1e3);
    for (;;) {
        int rc = serve_workers(d, err);
        if (rc < 0 || stop_requested || d->sum->database_lost)
            return rc;
        bool more = false;
        if ((rc = settle_others(d, &more, err)) < 0)
            return rc;
        if (!more || stop_requested)
            return LR_OK;
    }
}

/* Stops the workers still running (at once after an error, rc < 0), shows the last progress
 * line and records the end of the invocation. */
static void end_batch(driver *d, int rc)
{
    lr_batch_summary *out = d->sum;
    for (int i = 0; i < d->nslots; i++) {
        if (d->slots[i].pid > 0 && d->slots[i].fd >= 0) {
            if (rc < 0)
                kill(d->slots[i].pid, SIGTERM);
            close_slot(&d->slots[i], NULL);
        }
    }
    show_progress(d, true);
    out->seconds = (lr_clock_ms() / 1e3) - d->t0;
    out->counts.files = d->nfiles;
    const lr_run_counts *c = &out->counts;
    int finished = c->pages_done + c->pages_skipped + c->pages_failed + c->pages_done_elsewhere;
    out->pages_unprocessed = out->pages_total > finished ? out->pages_total - finished : 0;
    if (!d->store || out->invocation_id <= 0)
        return;
    lr_error e2;
    lr_error_clear(&e2);
    int exit_status = rc < 0 ? LR_EXIT_CANNOT_RUN : lr_batch_exit_status(out);
    /* The workers have waited for the database already, or the user wants out: one more try,
     * on a fresh connection should the server be back, and no waiting. */
    if (out->database_lost || out->interrupted)
        lr_store_set_reconnect(d->store, 0, NULL);
    if (lr_store_invocation_end(d->store, out->invocation_id, &out->counts, exit_status, &e2) < 0) {
        char why[1024];
        lr_log_error("could not record the end of invocation %lld (%s); the database keeps it "
                     "unfinished",
                     (long long)out->invocation_id, lr_error_format(&e2, why, sizeof why));
    }
}

int lr_batch_run(const lr_batch_options *o, char *const *paths, int npaths, lr_batch_summary *out,
                 lr_error *err)
{
    memset(out, 0, sizeof *out);
    driver d = {.o = o, .sum = out};
    if (!o || npaths <= 0)
        return lr_error_set(err, LR_ERR_ARG, "no input files");
    if (o->batch_name && strlen(o->batch_name) > LR_BATCH_NAME_MAX)
        return lr_error_set(err, LR_ERR_ARG, "batch name too long: %zu bytes, at most %d",
                            strlen(o->batch_name), LR_BATCH_NAME_MAX);
    saved_signals old;
    catch_signals(&old);
    int rc = begin_batch(&d, paths, npaths, err);
    if (rc == LR_OK)
        rc = plan_workers(&d, err);
    if (rc == LR_OK) {
        rc = run_workers(&d, err);
        end_batch(&d, rc);
    } else if (stop_requested && out->invocation_id > 0) {
        out->interrupted = true;
        end_batch(&d, LR_OK);
        rc = LR_OK;
    }
    restore_signals(&old);
    free(d.slots);
    free(d.by_id);
    free(d.counted);
    free(d.options_json);
    free(d.forms);
    lr_run_jobs_free(&d.jobs);
    lr_store_close(&d.store);
    lr_batch_files_free(d.files, d.nfiles);
    return rc;
}

void lr_batch_summary_clear(lr_batch_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfailures; i++) {
        free(s->failures[i].path);
        free(s->failures[i].message);
    }
    free(s->failures);
    for (size_t i = 0; i < s->nunstored; i++) {
        free(s->unstored[i].path);
        free(s->unstored[i].message);
    }
    free(s->unstored);
    memset(s, 0, sizeof *s);
}

int lr_batch_exit_status(const lr_batch_summary *s)
{
    if (s->interrupted)
        return LR_EXIT_INTERRUPTED;
    return s->counts.pages_failed > 0 || s->database_lost ? LR_EXIT_SOME_FAILED : LR_EXIT_OK;
}
