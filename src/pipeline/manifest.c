/* manifest.c — a delivery's manifest read and checked (manifest.h, docs/manifest.md). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "landrec/file.h"
#include "landrec/layout.h"
#include "landrec/manifest.h"
#include "landrec/normalize.h"
#include "landrec/strbuf.h"
#include "landrec/tsv.h"
#include "landrec/utf8.h"

const char *const lr_manifest_columns[LR_MANIFEST_NCOLS] = {
    "path", "doc_type", "district", "volume", "sheet", "contractor", "scan_date", "operator",
};
enum { C_PATH, C_DOC_TYPE, C_DISTRICT, C_VOLUME, C_SHEET, C_CONTRACTOR, C_SCAN_DATE, C_OPERATOR };

/* ---- CSV ------------------------------------------------------------------------------------ */

/* One record of the file: its fields (pointers into a buffer of its own), its first line. */
typedef struct csv_record {
    char *fields[LR_MANIFEST_NCOLS + 8];
    int nf;
    bool too_many; /* more fields than the buffer holds */
    int line;
    char *buf;
    const char *error; /* a record that cannot be split: why */
} csv_record;

/* Reads the record starting at *pos of text (RFC 4180: fields separated by commas, a field in
 * double quotes may hold commas, line breaks and "" for a quote; records end in LF or CRLF).
 * Advances *pos and *line; false at the end of the text. */
static bool csv_next(const char *text, size_t len, size_t *pos, int *line, csv_record *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
    if (*pos >= len)
        return false;
    r->line = *line;
    r->buf = malloc(len - *pos + 1);
    if (!r->buf) {
        r->error = "out of memory";
        *pos = len;
        return true;
    }
    char *o = r->buf;
    r->fields[r->nf++] = o;
    size_t i = *pos;
    bool quoted = false, was_quoted = false;
    for (; i < len; i++) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < len && text[i + 1] == '"') {
                *o++ = '"';
                i++;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n')
                    (*line)++;
                *o++ = c;
            }
            continue;
        }
        if (c == '"' && o == r->fields[r->nf - 1] && !was_quoted) {
            quoted = was_quoted = true;
        } else if (c == ',') {
            *o++ = '\0';
            if (r->nf < (int)(sizeof r->fields / sizeof r->fields[0]))
                r->fields[r->nf++] = o;
            else
                r->too_many = true;
            was_quoted = false;
        } else if (c == '\n' || (c == '\r' && i + 1 < len && text[i + 1] == '\n')) {
            i += c == '\r' ? 2 : 1;
            (*line)++;
            break;
        } else if (was_quoted) {
            r->error = "text after a quoted field's closing quote";
            *o++ = c;
        } else {
            *o++ = c;
        }
    }
    *o = '\0';
    if (quoted) {
        r->error = "a quoted field is not closed";
        (*line)++;
    }
    *pos = i;
    return true;
}

static bool csv_blank(const csv_record *r)
{
    return r->nf == 1 && r->fields[0][0] == '\0';
}

/* ---- checks --------------------------------------------------------------------------------- */

/* The districts known: the 10-digit codes of legal_dong.tsv, sorted. */
typedef struct codes {
    char (*code)[11];
    size_t n, cap;
} codes;

static int add_code(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    codes *c = ctx;
    const char *v = lr_tsv_cell(r, 0);
    if (strlen(v) != 10 || strspn(v, "0123456789") != 10)
        return lr_tsv_bad(r, "법정동코드", v, err);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 512;
        void *p = realloc(c->code, cap * sizeof *c->code);
        if (!p)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        c->code = p;
        c->cap = cap;
    }
    memcpy(c->code[c->n++], v, 11);
    return LR_OK;
}

static int cmp_code(const void *a, const void *b)
{
    return memcmp(a, b, 10);
}

static int load_codes(const char *dir, codes *out, lr_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/legal_dong.tsv",
             dir && *dir ? dir : lr_norm_default_data_dir());
    lr_tsv t;
    lr_tsv_options o = {.cp949 = true, .hint = LR_TSV_HINT_DATA_DIR};
    int rc = lr_tsv_load(path, &o, &t, err);
    if (rc != LR_OK)
        return rc;
    static const char *const cols[] = {"법정동코드"};
    rc = lr_tsv_each_row(&t, cols, 1, add_code, out, err);
    lr_tsv_free(&t);
    if (rc == LR_OK && out->n > 1)
        qsort(out->code, out->n, sizeof *out->code, cmp_code);
    return rc;
}

/* A district: 10 digits in the list, or 5 (a 시군구) that begin some code in it. */
static bool district_known(const codes *c, const char *d)
{
    size_t len = strlen(d);
    if ((len != 5 && len != 10) || strspn(d, "0123456789") != len)
        return false;
    size_t lo = 0, hi = c->n;
    while (lo < hi) { /* the first code not below d */
        size_t mid = (lo + hi) / 2;
        if (memcmp(c->code[mid], d, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && memcmp(c->code[lo], d, len) == 0;
}

/* YYYY-MM-DD, a day that exists, from 1900 up to today. */
static bool date_valid(const char *s, const char *today)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' ||
        s[7] != '-')
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap))
        return false;
    return strcmp(s, today) <= 0;
}

typedef struct reader {
    const lr_manifest_options *opts;
    char root[PATH_MAX]; /* resolved */
    char today[11];
    codes districts;
    lr_manifest *out;
    int col[LR_MANIFEST_NCOLS]; /* each column's field in a record */
} reader;

static int reject(reader *rd, int line, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int reject(reader *rd, int line, const char *path, const char *fmt, ...)
{
    lr_manifest *m = rd->out;
    void *p = realloc(m->rejections, (m->nrejections + 1) * sizeof *m->rejections);
    if (!p)
        return LR_ERR_NOMEM;
    m->rejections = p;
    lr_strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    lr_strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *copy = strdup(path ? path : "");
    if (b.failed || !b.data || !copy) {
        lr_strbuf_free(&b);
        free(copy);
        return LR_ERR_NOMEM;
    }
    m->rejections[m->nrejections++] =
        (lr_manifest_rejection){.line = line, .path = copy, .reason = b.data};
    return LR_OK;
}

/* path (as written) resolved under the root: *why says what is wrong when it is not a file
 * inside the root. */
static bool resolve(const reader *rd, const char *path, char full[PATH_MAX], const char **why)
{
    char joined[PATH_MAX * 2];
    if (path[0] == '/')
        snprintf(joined, sizeof joined, "%s", path);
    else
        snprintf(joined, sizeof joined, "%s/%s", rd->root, path);
    if (!realpath(joined, full)) {
        *why = errno == ENOENT || errno == ENOTDIR ? "missing file" : strerror(errno);
        return false;
    }
    size_t n = strlen(rd->root);
    if (strncmp(full, rd->root, n) != 0 || (full[n] != '/' && !(n == 1 && rd->root[0] == '/'))) {
        *why = "the path leaves the delivery's root";
        return false;
    }
    struct stat st;
    if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = "not a regular file";
        return false;
    }
    return true;
}

static char *dup_field(const csv_record *r, const reader *rd, int c)
{
    int k = rd->col[c];
    return strdup(k < r->nf ? r->fields[k] : "");
}

/* One record checked: accepted into the entries or rejected with its reason. */
static int check_record(reader *rd, const csv_record *r)
{
    const char *path = rd->col[C_PATH] < r->nf ? r->fields[rd->col[C_PATH]] : "";
    if (r->error)
        return reject(rd, r->line, "", "%s", r->error);
    for (int k = 0; k < r->nf; k++)
        if (!lr_utf8_valid(r->fields[k], strlen(r->fields[k])))
            return reject(rd, r->line, "", "field %d is not UTF-8 (save the manifest as UTF-8)",
                          k + 1);
    int want = 0;
    for (int c = 0; c < LR_MANIFEST_NCOLS; c++)
        want = rd->col[c] + 1 > want ? rd->col[c] + 1 : want;
    if (r->too_many || r->nf != want)
        return reject(rd, r->line, path, "%d fields where the header has %d", r->nf, want);
    for (int k = 0; k < r->nf; k++)
        if (strlen(r->fields[k]) > LR_MANIFEST_FIELD_MAX)
            return reject(rd, r->line, path, "field %d is longer than %d bytes", k + 1,
                          LR_MANIFEST_FIELD_MAX);
    if (!path[0])
        return reject(rd, r->line, path, "no path");
    const char *doc = r->fields[rd->col[C_DOC_TYPE]];
    lr_doc_type dt;
    if (lr_doc_type_parse(doc, &dt) != LR_OK || dt == LR_DOC_AUTO || dt == LR_DOC_UNKNOWN)
        return reject(rd, r->line, path,
                      "unknown document type \"%s\" (land_ledger, forest_ledger, "
                      "movement_resolution, cadastral_map, forest_map or survey_map)",
                      doc);
    const char *district = r->fields[rd->col[C_DISTRICT]];
    if (!district_known(&rd->districts, district))
        return reject(rd, r->line, path,
                      "unknown district code \"%s\" (5 digits of a 시군구 or 10 of a 법정동 "
                      "in legal_dong.tsv)",
                      district);
    if (!r->fields[rd->col[C_CONTRACTOR]][0])
        return reject(rd, r->line, path, "no contractor");
    const char *date = r->fields[rd->col[C_SCAN_DATE]];
    if (!date_valid(date, rd->today))
        return reject(rd, r->line, path,
                      "bad scan date \"%s\" (YYYY-MM-DD, a day that exists, not after %s)", date,
                      rd->today);
    char full[PATH_MAX];
    const char *why = NULL;
    if (!resolve(rd, path, full, &why))
        return reject(rd, r->line, path, "%s", why);
    lr_manifest *m = rd->out;
    for (size_t i = 0; i < m->nentries; i++)
        if (strcmp(m->entries[i].full_path, full) == 0)
            return reject(rd, r->line, path, "duplicate path: the file of line %d",
                          m->entries[i].line);
    lr_manifest_entry e = {.line = r->line};
    lr_error derr;
    if (lr_digest_file(full, e.sha256, &e.size, &derr) != LR_OK)
        return reject(rd, r->line, path, "cannot be read: %s", derr.message);
    if (e.size == 0)
        return reject(rd, r->line, path, "empty file");
    for (size_t i = 0; i < m->nentries; i++)
        if (strcmp(m->entries[i].sha256, e.sha256) == 0)
            return reject(rd, r->line, path, "the same file (SHA-256) as line %d, %s",
                          m->entries[i].line, m->entries[i].path);
    e.path = strdup(path);
    e.full_path = strdup(full);
    e.doc_type = strdup(lr_doc_type_name(dt));
    e.district = dup_field(r, rd, C_DISTRICT);
    e.volume = dup_field(r, rd, C_VOLUME);
    e.sheet = dup_field(r, rd, C_SHEET);
    e.contractor = dup_field(r, rd, C_CONTRACTOR);
    e.scan_date = dup_field(r, rd, C_SCAN_DATE);
    e.operator_name = dup_field(r, rd, C_OPERATOR);
    void *p = realloc(m->entries, (m->nentries + 1) * sizeof *m->entries);
    if (!p || !e.path || !e.full_path || !e.doc_type || !e.district || !e.volume || !e.sheet ||
        !e.contractor || !e.scan_date || !e.operator_name) {
        if (p)
            m->entries = p;
        free(e.path), free(e.full_path), free(e.doc_type), free(e.district), free(e.volume);
        free(e.sheet), free(e.contractor), free(e.scan_date), free(e.operator_name);
        return LR_ERR_NOMEM;
    }
    m->entries = p;
    m->entries[m->nentries++] = e;
    return LR_OK;
}

/* The header: each column named once, none unknown. */
static int read_header(reader *rd, const csv_record *r, const char *path, lr_error *err)
{
    for (int c = 0; c < LR_MANIFEST_NCOLS; c++)
        rd->col[c] = -1;
    if (r->error)
        return lr_error_set(err, LR_ERR_FORMAT, "%s:%d: the header: %s", path, r->line, r->error);
    for (int k = 0; k < r->nf; k++) {
        char *name = r->fields[k];
        name += strspn(name, " ");
        size_t n = strlen(name);
        while (n > 0 && name[n - 1] == ' ')
            name[--n] = '\0';
        int c = 0;
        while (c < LR_MANIFEST_NCOLS && strcmp(name, lr_manifest_columns[c]) != 0)
            c++;
        if (c == LR_MANIFEST_NCOLS)
            return lr_error_set(err, LR_ERR_FORMAT,
                                "%s:%d: unknown column \"%s\" (the columns: path, doc_type, "
                                "district, volume, sheet, contractor, scan_date, operator)",
                                path, r->line, name);
        if (rd->col[c] >= 0)
            return lr_error_set(err, LR_ERR_FORMAT, "%s:%d: column \"%s\" named twice", path,
                                r->line, name);
        rd->col[c] = k;
    }
    for (int c = 0; c < LR_MANIFEST_NCOLS; c++)
        if (rd->col[c] < 0)
            return lr_error_set(err, LR_ERR_FORMAT, "%s:%d: the header has no column \"%s\"", path,
                                r->line, lr_manifest_columns[c]);
    return LR_OK;
}

int lr_manifest_read(const char *path, const lr_manifest_options *opts, lr_manifest *out,
                     lr_error *err)
{
    memset(out, 0, sizeof *out);
    lr_manifest_options none = {0};
    reader rd = {.opts = opts ? opts : &none, .out = out};
    char *text = NULL;
    size_t len = 0;
    bool opened = false;
    if (lr_file_read_all(path, &text, &len, &opened) != LR_OK)
        return lr_error_set(err, LR_ERR_IO, "%s: cannot %s: %s", path, opened ? "read" : "open",
                            strerror(errno));
    int rc = LR_OK;
    if (len > (size_t)LR_MANIFEST_MAX_BYTES)
        rc = lr_error_set(err, LR_ERR_IO, "%s: larger than %ld bytes", path, LR_MANIFEST_MAX_BYTES);
    if (rc == LR_OK) {
        char dir[PATH_MAX];
        const char *root = rd.opts->root;
        if (!root) {
            snprintf(dir, sizeof dir, "%s", path);
            char *slash = strrchr(dir, '/');
            if (slash)
                *(slash == dir ? slash + 1 : slash) = '\0';
            else
                snprintf(dir, sizeof dir, ".");
            root = dir;
        }
        if (!realpath(root, rd.root))
            rc = lr_error_set(err, LR_ERR_IO, "the delivery's root %s: %s", root, strerror(errno));
    }
    if (rc == LR_OK) {
        if (rd.opts->today) {
            snprintf(rd.today, sizeof rd.today, "%s", rd.opts->today);
        } else {
            time_t now = time(NULL);
            struct tm tm;
            gmtime_r(&now, &tm);
            strftime(rd.today, sizeof rd.today, "%Y-%m-%d", &tm);
        }
        rc = load_codes(rd.opts->data_dir, &rd.districts, err);
    }
    size_t pos = 0;
    if (rc == LR_OK && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* a spreadsheet's byte-order mark */
    int line = 1;
    csv_record r = {0};
    bool header = false;
    while (rc == LR_OK && csv_next(text, len, &pos, &line, &r)) {
        if (csv_blank(&r))
            continue;
        if (!header) {
            rc = read_header(&rd, &r, path, err);
            header = true;
            continue;
        }
        if (check_record(&rd, &r) != LR_OK)
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    }
    free(r.buf);
    if (rc == LR_OK && !header)
        rc = lr_error_set(err, LR_ERR_FORMAT, "%s: empty: no header", path);
    free(rd.districts.code);
    free(text);
    if (rc != LR_OK)
        lr_manifest_free(out);
    return rc;
}

void lr_manifest_free(lr_manifest *m)
{
    for (size_t i = 0; i < m->nentries; i++) {
        lr_manifest_entry *e = &m->entries[i];
        free(e->path), free(e->full_path), free(e->doc_type), free(e->district);
        free(e->volume), free(e->sheet), free(e->contractor), free(e->scan_date);
        free(e->operator_name);
    }
    for (size_t i = 0; i < m->nrejections; i++) {
        free(m->rejections[i].path);
        free(m->rejections[i].reason);
    }
    free(m->entries);
    free(m->rejections);
    memset(m, 0, sizeof *m);
}
