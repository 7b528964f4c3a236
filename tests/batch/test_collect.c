/* test_collect.c — which files lr_batch_collect takes from a tree: image extensions in any
 * case, hidden entries skipped, symbolic links to directories not followed unless asked,
 * loops ended, and each file once however many paths reach it (the path kept is the first in
 * byte order). No database. Every walk runs under alarm(): a walk that does not end fails the
 * test instead of eating the machine. */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "landrec/batch.h"
#include "lr_test.h"

static char root[1024];

static const char *at(const char *rel)
{
    static char buf[8][4096];
    static int i;
    i = (i + 1) % 8;
    snprintf(buf[i], sizeof buf[i], "%s/%s", root, rel);
    return buf[i];
}

static void touch(const char *rel)
{
    FILE *f = fopen(at(rel), "wb");
    if (!f) {
        perror(at(rel));
        exit(99);
    }
    fputs("x", f);
    fclose(f);
}

static void mk(const char *rel)
{
    if (mkdir(at(rel), 0755) != 0 && errno != EEXIST) {
        perror(at(rel));
        exit(99);
    }
}

static void ln(const char *target, const char *rel)
{
    if (symlink(target, at(rel)) != 0) {
        perror(at(rel));
        exit(99);
    }
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "test_collect: the walk did not end within 20 s\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(1);
}

/* Collects the paths (relative to root) with flags; returns how many files came back. */
static int collect(const char *const *rel, int nrel, unsigned flags, char ***out)
{
    char *paths[8];
    for (int i = 0; i < nrel; i++)
        paths[i] = strdup(at(rel[i]));
    int n = -1;
    lr_error err;
    alarm(20);
    int rc = lr_batch_collect(paths, nrel, flags, out, &n, &err);
    alarm(0);
    CHECKF(rc == 0, "collect: %s", err.message);
    for (int i = 0; i < nrel; i++)
        free(paths[i]);
    return n;
}

/* How many of files[0..n) are root/rel. */
static int count(char **files, int n, const char *rel)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(files[i], at(rel)) == 0)
            k++;
    return k;
}

static void show(const char *label, char **files, int n)
{
    fprintf(stderr, "%s: %d file(s)\n", label, n);
    for (int i = 0; i < n && i < 20; i++)
        fprintf(stderr, "  %s\n", files[i]);
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    snprintf(root, sizeof root, "%s/collect.%d", lr_test_tmp_dir(), (int)getpid());
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", root, root);
    if (system(cmd) != 0)
        return 99;

    /* tree/
     *   a.tif  B.PNG  c.jpeg  notes.txt  .hidden.tif  .cache/x.tif
     *   dot1 -> .   dot2 -> .                     (two links to the tree itself)
     *   sub/d.jpg   sub/up -> ..                  (a link to a parent)
     *   sub/side -> ../other                      (a link to a sibling)
     *   other/e.tif
     *   f-link.tif -> other/e.tif                 (a link to a file inside the tree)
     *   hard.tif (a hard link to a.tif)
     *   dangling.tif -> nowhere.tif
     */
    mk("tree");
    touch("tree/a.tif");
    touch("tree/B.PNG");
    touch("tree/c.jpeg");
    touch("tree/notes.txt");
    touch("tree/.hidden.tif");
    mk("tree/.cache");
    touch("tree/.cache/x.tif");
    ln(".", "tree/dot1");
    ln(".", "tree/dot2");
    mk("tree/sub");
    touch("tree/sub/d.jpg");
    ln("..", "tree/sub/up");
    mk("tree/other");
    touch("tree/other/e.tif");
    ln("../other", "tree/sub/side");
    ln("other/e.tif", "tree/f-link.tif");
    if (link(at("tree/a.tif"), at("tree/hard.tif")) != 0)
        return 99;
    ln("nowhere.tif", "tree/dangling.tif");

    char **files = NULL;
    const char *tree[] = {"tree"};

    /* Default: directory links are not followed; the walk ends; each file once. */
    int n = collect(tree, 1, 0, &files);
    show("default", files, n);
    CHECKF(n == 6, "%d files", n);
    CHECK(count(files, n, "tree/B.PNG") == 1);
    CHECK(count(files, n, "tree/c.jpeg") == 1);
    CHECK(count(files, n, "tree/sub/d.jpg") == 1);
    CHECK(count(files, n, "tree/dangling.tif") == 1); /* kept: reported as a failed input */
    /* a.tif and hard.tif are one file: the first in byte order is kept */
    CHECK(count(files, n, "tree/a.tif") == 1);
    CHECK(count(files, n, "tree/hard.tif") == 0);
    /* other/e.tif and the file link f-link.tif are one file: f-link.tif sorts first */
    CHECK(count(files, n, "tree/f-link.tif") == 1);
    CHECK(count(files, n, "tree/other/e.tif") == 0);
    for (int i = 0; i < n; i++) {
        CHECKF(strstr(files[i], "/dot1/") == NULL && strstr(files[i], "/up/") == NULL &&
                   strstr(files[i], "/side/") == NULL,
               "followed a directory link: %s", files[i]);
        CHECKF(strstr(files[i], "/.") == NULL, "hidden: %s", files[i]);
        if (i > 0)
            CHECKF(strcmp(files[i - 1], files[i]) < 0, "not sorted: %s", files[i]);
    }
    lr_batch_files_free(files, n);

    /* Following: the loops end, the sibling's file comes in once. */
    n = collect(tree, 1, LR_BATCH_FOLLOW_SYMLINKS, &files);
    show("follow", files, n);
    CHECKF(n == 6, "%d files", n);
    CHECK(count(files, n, "tree/a.tif") == 1);
    CHECK(count(files, n, "tree/sub/d.jpg") == 1);
    int e = 0;
    for (int i = 0; i < n; i++)
        e += strstr(files[i], "e.tif") != NULL || strstr(files[i], "f-link.tif") != NULL;
    CHECKF(e == 1, "the sibling's file %d times", e);
    lr_batch_files_free(files, n);

    /* A tree whose only link leads to a sibling: followed, its file is taken once, under the
     * first path in byte order (the link "a-side" sorts before the real "z"). */
    mk("sib");
    mk("sib/z");
    touch("sib/z/f.tif");
    ln("z", "sib/a-side");
    const char *sib[] = {"sib"};
    n = collect(sib, 1, 0, &files);
    CHECKF(n == 1 && count(files, n, "sib/z/f.tif") == 1, "default: %d files", n);
    lr_batch_files_free(files, n);
    n = collect(sib, 1, LR_BATCH_FOLLOW_SYMLINKS, &files);
    show("sibling, follow", files, n);
    CHECKF(n == 1 && count(files, n, "sib/a-side/f.tif") == 1, "follow: %d files", n);
    lr_batch_files_free(files, n);

    /* Command-line paths: a link given as an argument is followed (as find -H does); one file
     * named by two spellings and through its directory is taken once. */
    ln("tree/sub", "argl");
    const char *args[] = {"argl", "tree/./c.jpeg", "tree/c.jpeg", "tree"};
    n = collect(args, 4, 0, &files);
    show("arguments", files, n);
    CHECK(count(files, n, "argl/d.jpg") == 1);
    CHECK(count(files, n, "tree/sub/d.jpg") == 0);
    CHECK(count(files, n, "tree/./c.jpeg") == 1);
    CHECK(count(files, n, "tree/c.jpeg") == 0);
    CHECKF(n == 6, "%d files", n);
    lr_batch_files_free(files, n);

    /* A missing path is kept, to be reported as a failed input. */
    const char *missing[] = {"no-such-dir"};
    n = collect(missing, 1, 0, &files);
    CHECK(n == 1 && count(files, n, "no-such-dir") == 1);
    lr_batch_files_free(files, n);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    (void)!system(cmd);
    return lr_test_finish("batch-collect");
}
