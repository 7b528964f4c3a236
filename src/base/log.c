#include "landrec/log.h"

#include <leptonica/allheaders.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "landrec/utf8.h"

static lr_log_level current_level = LR_LOG_WARNING;
static char current_prefix[64];

void lr_log_set_level(lr_log_level level)
{
    current_level = level;
}

lr_log_level lr_log_get_level(void)
{
    return current_level;
}

void lr_log_set_prefix(const char *prefix)
{
    snprintf(current_prefix, sizeof current_prefix, "%s", prefix ? prefix : "");
}

void lr_log(lr_log_level level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warning", "info", "debug"};
    if (level > current_level)
        return;
    char text[2048], line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* A line may quote a file name or a decoder's message that is not UTF-8. */
    lr_utf8_scrub(text, line, sizeof line);
    /* One fprintf per line so lines from several workers do not interleave. */
    if (current_prefix[0])
        fprintf(stderr, "landrec: %s: %s: %s\n", current_prefix, names[level], line);
    else
        fprintf(stderr, "landrec: %s: %s\n", names[level], line);
}

static void leptonica_handler(const char *msg)
{
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        n--;
    lr_log(LR_LOG_DEBUG, "leptonica: %.*s", (int)n, msg);
}

void lr_log_route_leptonica(void)
{
    leptSetStderrHandler(leptonica_handler);
}
