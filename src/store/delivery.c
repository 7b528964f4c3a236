/* delivery.c — a delivery manifest's accepted lines stored with the files they describe
 * (store.h, 014_delivery.sql, docs/manifest.md). */
#include <string.h>

#include "landrec/store.h"
#include "store_internal.h"

static const char *const save_sql =
    "INSERT INTO delivery_file AS d (batch, manifest, line, sha256, path, doc_type, district,"
    " volume, sheet, contractor, scan_date, operator)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12)"
    " ON CONFLICT ((coalesce(batch, '')), sha256) DO UPDATE SET manifest = excluded.manifest,"
    " line = excluded.line, path = excluded.path, doc_type = excluded.doc_type,"
    " district = excluded.district, volume = excluded.volume, sheet = excluded.sheet,"
    " contractor = excluded.contractor, scan_date = excluded.scan_date,"
    " operator = excluded.operator, recorded_at = now()";

int lr_store_delivery_save(lr_store *st, const char *batch, const char *manifest,
                           const lr_delivery_row *rows, size_t n, lr_error *err)
{
    int rc = store_begin(st, err);
    for (size_t i = 0; rc == LR_OK && i < n; i++) {
        const lr_delivery_row *r = &rows[i];
        store_params p = {0};
        p_str(&p, batch && *batch ? batch : NULL);
        p_str(&p, manifest);
        p_int(&p, r->line);
        p_str(&p, r->sha256);
        p_str(&p, r->path);
        p_str(&p, r->doc_type);
        p_str(&p, r->district);
        p_str(&p, r->volume ? r->volume : "");
        p_str(&p, r->sheet ? r->sheet : "");
        p_str(&p, r->contractor);
        p_str(&p, r->scan_date);
        p_str(&p, r->operator_name ? r->operator_name : "");
        rc = store_exec_cmd(st, save_sql, &p, "record the manifest's line", err);
    }
    if (rc == LR_OK)
        rc = store_exec_cmd(st, "COMMIT", NULL, "commit the manifest's lines", err);
    if (rc != LR_OK)
        store_rollback_quietly(st->conn);
    return rc;
}
