/* synth_test.h — what the landrec-synth tests share: running the generator (its path is the
 * test's first argument) into a scratch directory, and reading its truth files. */
#ifndef SYNTH_TEST_H
#define SYNTH_TEST_H

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lr_test.h"

/* Runs exe with the NULL-terminated arguments; returns its exit status, -1 when it could not
 * run or died. Its stderr goes to the test's. */
static inline int synth_run(const char *exe, ...)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = exe;
    va_list ap;
    va_start(ap, exe);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 63)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* A fresh scratch directory $LR_TEST_TMP/name (emptied first). buf receives its path. */
static inline const char *synth_scratch(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", lr_test_tmp_dir(), name);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", buf);
    if (system(cmd) != 0)
        fprintf(stderr, "could not empty %s\n", buf);
    return buf;
}

/* The manifest lines of dir, as a JSON array (caller json_decref), or NULL. */
static inline json_t *synth_manifest(const char *dir)
{
    char path[4200], line[4096];
    snprintf(path, sizeof path, "%s/manifest.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    json_t *all = json_array();
    while (fgets(line, sizeof line, f)) {
        json_error_t e;
        json_t *j = json_loads(line, 0, &e);
        if (!j) {
            fprintf(stderr, "%s: bad line: %s\n", path, e.text);
            json_decref(all);
            fclose(f);
            return NULL;
        }
        json_array_append_new(all, j);
    }
    fclose(f);
    return all;
}

/* The truth file named in a manifest line (caller json_decref), or NULL. */
static inline json_t *synth_truth(const char *dir, json_t *manifest_line)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir,
             json_string_value(json_object_get(manifest_line, "truth")));
    json_error_t e;
    json_t *t = json_load_file(path, 0, &e);
    if (!t)
        fprintf(stderr, "%s: %s (line %d)\n", path, e.text, e.line);
    return t;
}

static inline const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

#endif
