/* batch.c — the batch driver (see batch.h).
 *
 * Workers are forked processes, not threads: a decoder that crashes on a hostile file takes
 * down one worker, which the driver records as that page's failure and replaces. Driver and
 * workers talk over a socketpair in short text lines:
 *   driver → worker   "F <file index>"  process a file          "Q"  quit
 *   worker → driver   "R"  ready   "E <message>"  could not start
 *                     "P <page> <page count> <outcome> <message>"  one page finished
 *                                       (outcome: lr_page_outcome as a number)
 *                     "D"  file finished   "X <message>"  cannot go on (database lost)
 * Each worker's connection and the driver's reconnect with backoff for reconnect_timeout
 * seconds (lr_store_set_reconnect); a worker that gives up sends "X" and exits, and the driver
 * then hands out no more files and lets the other workers end as they can.
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

static void worker_page_cb(void *ctx, int page, int page_count, lr_page_outcome outcome,
                           const char *message)
{
    send_line(*(int *)ctx, "P %d %d %d %s", page, page_count, (int)outcome,
              message ? message : "");
}

static int worker_main(int fd, int index, const lr_batch_options *o, char **files, int nfiles,
                       const char *settings_hash, int64_t invocation_id)
{
    signal(SIGINT, SIG_IGN); /* the driver decides how to stop; it sends SIGTERM */
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "worker %d", index + 1);
    lr_log_set_prefix(prefix);

    lr_store *store = NULL;
    lr_worker w = {0};
    lr_error err;
    char msg[1024];
    int status = 1;
    FILE *in = NULL;
    if (lr_store_connect(o->conninfo, &store, &err) < 0 ||
        lr_worker_open(&o->pipeline, store, settings_hash, invocation_id, &w, &err) < 0) {
        send_line(fd, "E %s", lr_error_format(&err, msg, sizeof msg));
        goto done;
    }
    lr_store_set_reconnect(store, o->reconnect_timeout, NULL); /* SIGTERM ends the waiting */
    in = fdopen(dup(fd), "r");
    if (!in)
        goto done;
    send_line(fd, "R");
    char line[64];
    while (fgets(line, sizeof line, in)) {
        if (line[0] == 'Q')
            break;
        int i = -1;
        if (sscanf(line, "F %d", &i) != 1 || i < 0 || i >= nfiles)
            continue;
        /* Fault injection for the test suite: a worker that dies as a decoder would. */
        const char *crash = getenv("LANDREC_TEST_CRASH_ON");
        if (crash && *crash && strstr(files[i], crash))
            raise(SIGKILL);
        if (lr_pipeline_process_file(&w, files[i], worker_page_cb, &fd, &err) < 0) {
            send_line(fd, "X %s", lr_error_format(&err, msg, sizeof msg));
            goto done;
        }
        send_line(fd, "D");
    }
    status = 0;
done:
    if (in)
        fclose(in);
    lr_worker_close(&w);
    lr_store_close(&store);
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
    bool ready;
    int file;        /* index being processed, -1 idle */
    int last_page;   /* last page reported for that file */
    int page_count;  /* as reported */
    char buf[8192];
    size_t len;
} worker_slot;

typedef struct driver {
    const lr_batch_options *o;
    char **files;
    int nfiles;
    int next_file;
    int *file_pages;  /* expected pages per file, for progress */
    worker_slot *slots;
    int nslots;
    lr_store *store;
    lr_batch_summary *sum;
    char settings_hash[LR_SHA256_HEX_LEN + 1];
    int start_failures; /* workers that could not start, in a row */
    char start_error[1024];
    double t0, last_progress;
    bool progress_shown;
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
        int status = worker_main(sv[1], i, d->o, d->files, d->nfiles, d->settings_hash,
                                 invocation_id);
        exit(status);
    }
    close(sv[1]);
    memset(s, 0, sizeof *s);
    s->pid = pid;
    s->fd = sv[0];
    s->file = -1;
    return 0;
}

static void dispatch(driver *d, worker_slot *s)
{
    if (stop_requested || d->sum->database_lost || d->next_file >= d->nfiles) {
        send_line(s->fd, "Q");
        return;
    }
    s->file = d->next_file++;
    s->last_page = 0;
    s->page_count = 0;
    send_line(s->fd, "F %d", s->file);
}

/* A worker died with a file in hand: record its current page as failed, keyed like any
 * other failure, so the batch report and the database say what happened. */
static void record_crash(driver *d, worker_slot *s, int wstatus, int64_t invocation_id)
{
    const char *path = d->files[s->file];
    int page = s->last_page + 1;
    char msg[512], shown[1024];
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
    lr_digest_file(path, sha, &size, &err);
    lr_page_record rec = {.invocation_id = invocation_id,
                          .source_path = path,
                          .sha256 = sha[0] ? sha : NULL,
                          .file_size = size,
                          .page = page,
                          .page_count = s->page_count,
                          .settings_hash = d->settings_hash,
                          .failed = true,
                          .error_code = lr_status_name(LR_ERR_CRASH),
                          .error = msg};
    lr_save_outcome saved = LR_SAVE_FAILED;
    if (lr_store_save_page(d->store, &rec, &saved, &err) < 0)
        lr_log_error("could not record the crash on \"%s\": %s", shown, err.message);
    if (saved == LR_SAVE_ALREADY_DONE || saved == LR_SAVE_ALREADY_OURS) {
        /* Another run loaded the page meanwhile: the page is done; the crash stays a log line. */
        d->sum->counts.pages_done_elsewhere++;
        lr_log_warning("%s: %s (another run has loaded the page)", shown, msg);
        return;
    }
    d->sum->counts.pages_failed++;
    add_failure(d->sum, path, page, msg);
    lr_log_error("%s: %s", shown, msg);
    /* The rest of a multi-page file is not retried here: the next run with the same settings
     * picks up its remaining pages. */
}

/* Handles one line from worker s. */
static void handle_line(driver *d, worker_slot *s, char *line, int64_t invocation_id)
{
    switch (line[0]) {
    case 'R':
        s->ready = true;
        d->start_failures = 0;
        dispatch(d, s);
        return;
    case 'E':
        snprintf(d->start_error, sizeof d->start_error, "%s", line + 2);
        d->start_failures++;
        return;
    case 'P': {
        int page = 0, count = 0, outcome = 0, consumed = 0;
        if (sscanf(line, "P %d %d %d %n", &page, &count, &outcome, &consumed) < 3)
            return;
        const char *message = consumed > 0 ? line + consumed : "";
        s->last_page = page;
        s->page_count = count;
        const char *path = s->file >= 0 ? d->files[s->file] : "?";
        if (outcome == LR_PAGE_DONE)
            d->sum->counts.pages_done++;
        else if (outcome == LR_PAGE_SKIPPED)
            d->sum->counts.pages_skipped++;
        else if (outcome == LR_PAGE_DONE_ELSEWHERE)
            d->sum->counts.pages_done_elsewhere++;
        else {
            d->sum->counts.pages_failed++;
            add_failure(d->sum, path, page, message);
            if (d->o->progress && d->progress_shown)
                fputs("\r\033[K", d->o->progress_out);
            char shown[1024];
            lr_log_warning("%s%s%.0d: %s", lr_utf8_path_show(path, shown, sizeof shown),
                           page > 0 ? " page " : "", page, message);
        }
        /* A file whose header promised fewer pages than it has: grow the total. */
        if (s->file >= 0 && count > d->file_pages[s->file]) {
            d->sum->pages_total += count - d->file_pages[s->file];
            d->file_pages[s->file] = count;
        }
        show_progress(d, false);
        return;
    }
    case 'D':
        if (s->file >= 0) {
            /* Pages the header promised but the file did not deliver no longer count. */
            int got = s->last_page > 0 ? s->last_page : 1;
            if (got < d->file_pages[s->file]) {
                d->sum->pages_total -= d->file_pages[s->file] - got;
                d->file_pages[s->file] = got;
            }
        }
        d->sum->counts.files++;
        s->file = -1;
        dispatch(d, s);
        return;
    case 'X': {
        /* The worker cannot store its page (it waited for the database as long as
         * reconnect_timeout allows) and exits next. Its page in hand is not stored; no more
         * files are handed out. */
        char shown[1024] = "";
        if (s->file >= 0)
            lr_utf8_path_show(d->files[s->file], shown, sizeof shown);
        if (!d->sum->database_lost) {
            d->sum->database_lost = true;
            snprintf(d->sum->database_error, sizeof d->sum->database_error, "%s", line + 2);
            if (d->o->progress && d->progress_shown)
                fputs("\r\033[K", d->o->progress_out);
            lr_log_error("a worker gave up on the database%s%s: %s; stopping the batch",
                         shown[0] ? " at " : "", shown, line + 2);
        }
        if (s->file >= 0) {
            add_unstored(d->sum, d->files[s->file], s->last_page + 1);
            s->file = -1;
        }
        return;
    }
    }
    (void)invocation_id;
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

static int pages_expected(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 1;
    return lr_image_count_pages(path);
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

/* Everything before the first worker: the files, the settings (*settings_json: caller frees)
 * and their hash, the driver's connection and the invocation. */
static int begin_batch(driver *d, char *const *paths, int npaths, char **settings_json,
                       lr_error *err)
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
    if ((rc = lr_pipeline_settings(&o->pipeline, settings_json, d->settings_hash, err)) < 0)
        return rc;
    memcpy(out->settings_hash, d->settings_hash, sizeof d->settings_hash);
    if ((rc = lr_store_connect(o->conninfo, &d->store, err)) < 0 ||
        (rc = lr_store_check_schema(d->store, o->schema_dir, err)) < 0 ||
        (rc = lr_store_register_settings(d->store, d->settings_hash, *settings_json, err)) < 0 ||
        (rc = lr_store_invocation_begin(d->store, o->batch_name, o->args_text, d->settings_hash,
                                        &out->invocation_id, err)) < 0)
        return rc;
    /* From here the driver's connection records crashes and the end: a server that goes away
     * meanwhile is waited for, unless the batch is being stopped. */
    lr_store_set_reconnect(d->store, o->reconnect_timeout, &stop_requested);
    return LR_OK;
}

/* The pages each file is expected to have (for the progress), and a slot for each worker:
 * o->jobs, else one per core, at most one per file. */
static int plan_workers(driver *d, lr_error *err)
{
    d->file_pages = calloc((size_t)d->nfiles, sizeof *d->file_pages);
    if (!d->file_pages)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < d->nfiles; i++) {
        d->file_pages[i] = pages_expected(d->files[i]);
        d->sum->pages_total += d->file_pages[i];
    }
    int jobs = d->o->jobs > 0 ? d->o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    if (jobs > d->nfiles)
        jobs = d->nfiles;
    d->nslots = jobs;
    d->slots = calloc((size_t)jobs, sizeof *d->slots);
    if (!d->slots)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < jobs; i++)
        d->slots[i].fd = -1;
    return LR_OK;
}

/* Reads what the worker of slot i sent and handles its lines. At the end of its socket the
 * worker is gone: a file in hand is recorded as crashed, and the slot is filled again while
 * there are files to hand out. An error when workers cannot start. */
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
            handle_line(d, s, start, out->invocation_id);
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
    bool had_file = s->file >= 0;
    bool was_ready = s->ready;
    int status = 0;
    close_slot(s, &status);
    if (had_file && !out->interrupted) {
        record_crash(d, s, status, out->invocation_id);
        d->sum->counts.files++;
        s->file = -1;
    }
    if (!was_ready) {
        d->start_failures++;
        if (d->start_failures >= 3 || d->start_error[0]) {
            int rc = lr_error_set(err, LR_ERR_INTERNAL, "workers could not start");
            lr_error_detail(err, "%s", d->start_error[0] ? d->start_error : "unknown");
            stop_requested = 1;
            return rc;
        }
    }
    if (!stop_requested && !out->database_lost && d->next_file < d->nfiles &&
        spawn_worker(d, i, out->invocation_id) != 0)
        lr_log_error("could not restart worker %d: %s", i + 1, strerror(errno));
    return LR_OK;
}

/* Starts the workers and serves them until every one has ended; asked to stop, sends them
 * SIGTERM once. */
static int run_workers(driver *d, lr_error *err)
{
    lr_batch_summary *out = d->sum;
    int jobs = d->nslots;
    d->t0 = (lr_clock_ms() / 1e3);
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
        if (stop_requested && !out->interrupted) {
            out->interrupted = true;
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
    return rc;
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
    char *settings_json = NULL;
    if (!o || npaths <= 0)
        return lr_error_set(err, LR_ERR_ARG, "no input files");
    if (o->batch_name && strlen(o->batch_name) > LR_BATCH_NAME_MAX)
        return lr_error_set(err, LR_ERR_ARG, "batch name too long: %zu bytes, at most %d",
                            strlen(o->batch_name), LR_BATCH_NAME_MAX);
    int rc = begin_batch(&d, paths, npaths, &settings_json, err);
    if (rc == LR_OK)
        rc = plan_workers(&d, err);
    if (rc == LR_OK) {
        saved_signals old;
        catch_signals(&old);
        rc = run_workers(&d, err);
        end_batch(&d, rc);
        restore_signals(&old);
    }
    free(d.slots);
    free(d.file_pages);
    free(settings_json);
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
