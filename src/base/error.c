#include "landrec/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lr_error_clear(lr_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int lr_error_set(lr_error *err, lr_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    memset(err, 0, sizeof *err);
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void lr_error_detail(lr_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}

void lr_error_hint(lr_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
}

const char *lr_status_name(lr_status code)
{
    switch (code) {
    case LR_OK: return "ok";
    case LR_ERR_ARG: return "bad-argument";
    case LR_ERR_IO: return "io";
    case LR_ERR_FORMAT: return "format";
    case LR_ERR_CORRUPT: return "corrupt";
    case LR_ERR_UNSUPPORTED: return "unsupported";
    case LR_ERR_TOO_LARGE: return "too-large";
    case LR_ERR_NOMEM: return "out-of-memory";
    case LR_ERR_OCR: return "ocr";
    case LR_ERR_DB: return "database";
    case LR_ERR_INTERNAL: return "internal";
    case LR_ERR_EMPTY: return "empty";
    case LR_ERR_CRASH: return "crash";
    }
    return "unknown";
}

char *lr_error_format(const lr_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!err || !err->message[0])
        snprintf(buf, size, "unknown error");
    else if (err->detail[0])
        snprintf(buf, size, "%s: %s", err->message, err->detail);
    else
        snprintf(buf, size, "%s", err->message);
    return buf;
}
