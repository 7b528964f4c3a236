/* log.h — one levelled logger to stderr. Per-page results are data (rows, JSON lines),
 * not log lines; the log is for the operator.
 *
 * Owns: the level and the one stderr stream it writes.
 * Borrows: the UTF-8 checks of utf8.h, so that a line is valid UTF-8.
 */
#ifndef LANDREC_LOG_H
#define LANDREC_LOG_H

typedef enum lr_log_level {
    LR_LOG_ERROR = 0,
    LR_LOG_WARNING = 1,
    LR_LOG_INFO = 2,
    LR_LOG_DEBUG = 3,
} lr_log_level;

void lr_log_set_level(lr_log_level level);
lr_log_level lr_log_get_level(void);
/* Text put before every line, e.g. "worker 2" (copied; NULL for none). */
void lr_log_set_prefix(const char *prefix);
void lr_log(lr_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Routes Leptonica's stderr chatter into the logger at debug level. Call once per process. */
void lr_log_route_leptonica(void);

#define lr_log_error(...) lr_log(LR_LOG_ERROR, __VA_ARGS__)
#define lr_log_warning(...) lr_log(LR_LOG_WARNING, __VA_ARGS__)
#define lr_log_info(...) lr_log(LR_LOG_INFO, __VA_ARGS__)
#define lr_log_debug(...) lr_log(LR_LOG_DEBUG, __VA_ARGS__)

#endif
