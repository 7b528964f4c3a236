/* eval_run.h — what the "landrec eval" tests share: running a shell command and keeping its
 * output, reading and writing small files. */
#ifndef LR_EVAL_RUN_H
#define LR_EVAL_RUN_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Runs cmd with sh, stdout captured (stderr passes through). Returns the exit status, -1 when
 * it could not run. *out_text: caller frees. */
static inline int run_capture(const char *cmd, char **out_text)
{
    *out_text = NULL;
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    if (!buf) {
        pclose(p);
        return -1;
    }
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 1024) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                pclose(p);
                return -1;
            }
            buf = nb;
        }
    }
    buf[len] = '\0';
    int st = pclose(p);
    *out_text = buf;
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A formatted command's exit status, output discarded. */
static inline int run_quiet(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int run_quiet(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        size_t got = fread(s, 1, (size_t)n, f);
        s[got] = '\0';
    }
    fclose(f);
    return s;
}

static inline int spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Occurrences of needle in hay. */
static inline int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The table row of the eval output whose text contains all of key1 and key2 (NULL: any):
 * a copy of the line, or NULL. Caller frees. */
static inline char *find_row(const char *out, const char *key1, const char *key2)
{
    for (const char *line = out; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char *copy = malloc(n + 1);
        if (!copy)
            return NULL;
        memcpy(copy, line, n);
        copy[n] = '\0';
        if (copy[0] == '|' && strstr(copy, key1) && (!key2 || strstr(copy, key2)))
            return copy;
        free(copy);
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

#endif
