/* manifest.h — a contractor's delivery manifest: one CSV file per delivery naming each scanned
 * file with its document type, district, volume, sheet, contractor, scan date and operator
 * (docs/manifest.md). It is read and checked line by line: a line that fails a check is
 * rejected with its reason, the others stand.
 *
 * Owns: the format (RFC 4180 CSV, UTF-8, a header naming the columns) and its checks.
 * Borrows: the digest (each file's SHA-256, for the same content under two names), the UTF-8
 * validator, the document type names (layout.h), the 법정동코드 list (data/legal_dong.tsv).
 */
#ifndef LANDREC_MANIFEST_H
#define LANDREC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/digest.h"
#include "landrec/error.h"

/* The columns, in the order the header usually gives them (any order is read). */
#define LR_MANIFEST_NCOLS 8
extern const char *const lr_manifest_columns[LR_MANIFEST_NCOLS];

/* Largest manifest read, and longest field: a delivery of 100,000 files is some 15 MB. */
#define LR_MANIFEST_MAX_BYTES (256L * 1024 * 1024)
#define LR_MANIFEST_FIELD_MAX 1024

typedef struct lr_manifest_entry {
    int line;         /* in the manifest, from 1 (the header is line 1) */
    char *path;       /* as written */
    char *full_path;  /* the file: the root joined with path, resolved (no links, no ..) */
    char *doc_type;   /* a document type name (layout.h) */
    char *district;   /* 5 digits (a 시군구) or 10 (a 법정동), known to the code list */
    char *volume;     /* "" when not given */
    char *sheet;      /* "" when not given */
    char *contractor;
    char *scan_date;  /* YYYY-MM-DD */
    char *operator_name; /* "" when not given */
    char sha256[LR_SHA256_HEX_LEN + 1];
    int64_t size;
} lr_manifest_entry;

typedef struct lr_manifest_rejection {
    int line;
    char *path;   /* as written ("" when the line could not be split) */
    char *reason; /* for the contractor: what is wrong and, where it helps, with what */
} lr_manifest_rejection;

typedef struct lr_manifest {
    lr_manifest_entry *entries; /* the lines accepted, in order */
    size_t nentries;
    lr_manifest_rejection *rejections; /* in order of lines */
    size_t nrejections;
} lr_manifest;

typedef struct lr_manifest_options {
    const char *root;     /* the delivery's root; NULL: the manifest's directory */
    const char *data_dir; /* legal_dong.tsv's directory; NULL: lr_norm_default_data_dir() */
    const char *today;    /* YYYY-MM-DD, the latest scan date allowed; NULL: today (UTC) */
} lr_manifest_options;

/* Reads and checks the manifest at path. Returns LR_OK with every line either accepted or
 * rejected in *out (free with lr_manifest_free); an error only when the manifest as a whole
 * cannot be used: it cannot be read (LR_ERR_IO), it is not CSV with a header naming the
 * columns (LR_ERR_FORMAT: a column missing or unknown, named in the message), the root or the
 * code list cannot be read. */
int lr_manifest_read(const char *path, const lr_manifest_options *opts, lr_manifest *out,
                     lr_error *err);

void lr_manifest_free(lr_manifest *m);

#endif
