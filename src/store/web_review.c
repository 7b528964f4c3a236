/* web_review.c — the review desk's queue and decisions (webstore.h): claims that expire, so
 * that two reviewers never hold the same field, and every decision an attributed value version
 * (the machine's reading stays in field_value). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/extract.h"
#include "landrec/webstore.h"
#include "store_internal.h"

/* The queue's length is counted up to this many: counting 700,000 open items costs a fifth of
 * a second on every item given out, and "1000+" says as much to a reviewer. */
#define OPEN_COUNT_CAP "1000"

/* How long a skipped item stays away from the reviewer who skipped it. */
#define SKIP_AWAY "interval '1 hour'"

/* Claims one item for $1 for $2 seconds: the user's own live claim if there is one, else the
 * least sure open item of a run that stands for its page that no one else holds and $1 has
 * not skipped lately. The runs that stand are those sheet_search holds (the latest of each
 * page, or the one an archivist chose: 011, 015): one probe of its key.
 * SKIP LOCKED: a row another claimer is taking is passed over, not waited for. */
static const char *const claim_sql =
    "WITH mine AS ("
    " SELECT ri.id FROM review_item ri WHERE ri.state = 'open' AND ri.claimed_by = $1"
    " AND ri.claimed_until > now() ORDER BY ri.conf NULLS LAST, ri.id LIMIT 1),"
    " free AS ("
    " SELECT ri.id FROM review_item ri"
    " WHERE ri.state = 'open' AND NOT EXISTS (SELECT 1 FROM mine)"
    " AND (ri.claimed_until IS NULL OR ri.claimed_until <= now())"
    " AND NOT EXISTS (SELECT 1 FROM review_skip k WHERE k.item_id = ri.id"
    "  AND k.user_name = $1 AND k.at > now() - " SKIP_AWAY ")"
    " AND EXISTS (SELECT 1 FROM sheet_search s WHERE s.page_run_id = ri.page_run_id)"
    " ORDER BY ri.conf NULLS LAST, ri.id LIMIT 1 FOR UPDATE OF ri SKIP LOCKED)"
    " UPDATE review_item ri SET claimed_by = $1,"
    "  claimed_until = now() + make_interval(secs => $2::int)"
    " WHERE ri.id IN (SELECT id FROM mine UNION ALL SELECT id FROM free)"
    " RETURNING ri.id";

static const char *const item_sql =
    "SELECT json_build_object('id', ri.id, 'run_id', ri.page_run_id, 'source', p.source_path,"
    " 'page', p.page, 'section', f.section, 'row', f.row_no, 'field', f.field, 'raw', f.raw,"
    " 'value', f.value, 'conf', f.conf, 'reason', ri.reason, 'alternatives', f.alternatives,"
    " 'box', CASE WHEN f.x0 IS NULL THEN NULL ELSE json_build_array(f.x0, f.y0, f.x1, f.y1) END,"
    " 'claimed_until', ri.claimed_until,"
    " 'open', (SELECT count(*) FROM (SELECT 1 FROM review_item o WHERE o.state = 'open'"
    "  LIMIT " OPEN_COUNT_CAP ") c))"
    " FROM review_item ri JOIN field_value f ON f.page_run_id = ri.page_run_id"
    " AND f.section = ri.section AND f.row_no = ri.row_no AND f.field = ri.field"
    " JOIN page_run p ON p.id = ri.page_run_id WHERE ri.id = $1";

int lr_web_review_next(lr_store *st, const char *user, int claim_s, json_t **out, lr_error *err)
{
    *out = NULL;
    store_params p = {0};
    p_str(&p, user);
    p_int(&p, claim_s > 0 ? claim_s : 600);
    PGresult *res = store_exec(st, claim_sql, &p, PGRES_TUPLES_OK, "claim a field to review", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return LR_OK;
    }
    store_params q = {0};
    p_str(&q, PQgetvalue(res, 0, 0));
    PGresult *item = store_exec(st, item_sql, &q, PGRES_TUPLES_OK, "read the field", err);
    PQclear(res);
    if (!item)
        return LR_ERR_DB;
    *out = store_json_value(item);
    PQclear(item);
    return LR_OK;
}

static const char *const decision_names[] = {"accepted", "corrected", "alternative", "illegible",
                                             "skipped"};

/* The item locked, with what a decision needs; NULL and err when it cannot be decided. */
static PGresult *lock_item(lr_store *st, const char *user, int64_t item_id, lr_error *err)
{
    store_params p = {0};
    p_int(&p, item_id);
    PGresult *res = store_exec(
        st,
        "SELECT ri.state, ri.claimed_by, ri.claimed_until > now(), f.page_run_id, f.section,"
        " f.row_no, f.field, f.raw, f.value, f.alternatives::text, fc.value"
        " FROM review_item ri JOIN field_value f ON f.page_run_id = ri.page_run_id"
        " AND f.section = ri.section AND f.row_no = ri.row_no AND f.field = ri.field"
        " JOIN field_current fc ON fc.page_run_id = f.page_run_id AND fc.section = f.section"
        " AND fc.row_no = f.row_no AND fc.field = f.field"
        " WHERE ri.id = $1 FOR UPDATE OF ri",
        &p, PGRES_TUPLES_OK, "read the review item", err);
    if (!res)
        return NULL;
    if (PQntuples(res) != 1) {
        lr_error_set(err, LR_ERR_ARG, "no review item %lld", (long long)item_id);
        lr_error_detail(err, "unknown");
    } else if (strcmp(PQgetvalue(res, 0, 0), "open") != 0) {
        lr_error_set(err, LR_ERR_ARG, "review item %lld is already resolved", (long long)item_id);
        lr_error_detail(err, "resolved");
    } else if (!PQgetisnull(res, 0, 1) && PQgetvalue(res, 0, 2)[0] == 't' &&
               strcmp(PQgetvalue(res, 0, 1), user) != 0) {
        lr_error_set(err, LR_ERR_ARG, "review item %lld is claimed by %s", (long long)item_id,
                     PQgetvalue(res, 0, 1));
        lr_error_detail(err, "claimed");
    } else {
        return res;
    }
    PQclear(res);
    return NULL;
}

/* The text of alternative pick of the JSON list alts; NULL when there is none. */
static char *alternative(const char *alts, int pick)
{
    json_error_t jerr;
    json_t *list = json_loads(alts, 0, &jerr);
    const char *v = json_string_value(json_object_get(json_array_get(list, (size_t)pick), "value"));
    char *s = v && pick >= 0 ? strdup(v) : NULL;
    json_decref(list);
    return s;
}

static lr_section section_of(const char *s)
{
    return strcmp(s, "land") == 0 ? LR_SECTION_LAND
           : strcmp(s, "owner") == 0 ? LR_SECTION_OWNER
                                     : LR_SECTION_SHEET;
}

/* The version for a decision other than SKIP, in the open transaction. */
static int record_version(lr_store *st, const lr_norm_tables *tables, const char *user,
                          int64_t item_id, const PGresult *it, lr_web_decision decision,
                          const char *text, int pick, const char *why, json_t **out,
                          lr_error *err)
{
    char *owned = NULL, *value = NULL;
    const char *raw = NULL;
    if (decision == LR_WEB_ACCEPT) {
        raw = PQgetvalue(it, 0, 7);
        value = PQgetisnull(it, 0, 8) ? NULL : strdup(PQgetvalue(it, 0, 8));
    } else if (decision == LR_WEB_CORRECT || decision == LR_WEB_ALTERNATIVE) {
        if (decision == LR_WEB_ALTERNATIVE) {
            raw = owned = alternative(PQgetvalue(it, 0, 9), pick);
            if (!raw)
                return lr_error_set(err, LR_ERR_ARG, "the field has no alternative %d", pick + 1);
        } else {
            raw = text;
        }
        if (!raw || !*raw)
            return lr_error_set(err, LR_ERR_ARG, "a correction needs the text as written");
        lr_field_kind kind;
        float score = 0;
        if (lr_field_kind_parse(PQgetvalue(it, 0, 6), &kind) == 0)
            lr_extract_normalize(tables, kind, section_of(PQgetvalue(it, 0, 4)), raw,
                                 LR_DOC_UNKNOWN, NULL, &value, &score, NULL, NULL, NULL);
        if (!value)
            value = strdup(raw);
    }
    char whybuf[32];
    if (!why || !*why) {
        if (decision == LR_WEB_ALTERNATIVE)
            snprintf(whybuf, sizeof whybuf, "alternative %d", pick + 1);
        else
            snprintf(whybuf, sizeof whybuf, "%s", decision_names[decision]);
        why = whybuf;
    }
    store_params p = {0};
    p_str(&p, PQgetvalue(it, 0, 3));
    p_str(&p, PQgetvalue(it, 0, 4));
    p_str(&p, PQgetvalue(it, 0, 5));
    p_str(&p, PQgetvalue(it, 0, 6));
    p_str(&p, raw);
    p_str(&p, value);
    p_str(&p, user);
    p_str(&p, why);
    PGresult *res = store_exec(
        st,
        "INSERT INTO value_version (page_run_id, section, row_no, field, version, raw, value,"
        " reviewer, source, why)"
        " SELECT $1::bigint, $2, $3::int, $4, COALESCE(max(version), 1) + 1, $5, $6, $7, 'web', $8"
        " FROM value_version WHERE page_run_id = $1::bigint AND section = $2"
        " AND row_no = $3::int AND field = $4 RETURNING version",
        &p, PGRES_TUPLES_OK, "record the decision", err);
    int rc = res ? LR_OK : LR_ERR_DB;
    if (res) {
        const char *old = PQgetisnull(it, 0, 10) ? NULL : PQgetvalue(it, 0, 10);
        *out = json_pack("{s:I, s:i, s:s?, s:s?, s:s}", "item", (json_int_t)item_id, "version",
                         atoi(PQgetvalue(res, 0, 0)), "old", old, "new", value, "why", why);
    }
    PQclear(res);
    free(owned);
    free(value);
    if (rc != LR_OK)
        return rc;
    store_params q = {0};
    p_int(&q, item_id);
    return store_exec_cmd(st,
                          "UPDATE review_item SET state = 'resolved', resolved_at = now(),"
                          " claimed_by = NULL, claimed_until = NULL WHERE id = $1",
                          &q, "resolve the review item", err);
}

static int skip_item(lr_store *st, const char *user, int64_t item_id, json_t **out, lr_error *err)
{
    store_params p = {0};
    p_int(&p, item_id);
    int rc = store_exec_cmd(st,
                            "UPDATE review_item SET claimed_by = NULL, claimed_until = NULL"
                            " WHERE id = $1",
                            &p, "release the claim", err);
    p_str(&p, user);
    if (rc == LR_OK)
        rc = store_exec_cmd(st,
                            "INSERT INTO review_skip (item_id, user_name) VALUES ($1, $2)"
                            " ON CONFLICT (item_id, user_name) DO UPDATE SET at = now()",
                            &p, "note the skip", err);
    if (rc == LR_OK)
        *out = json_pack("{s:I, s:s}", "item", (json_int_t)item_id, "why", "skipped");
    return rc;
}

int lr_web_review_decide(lr_store *st, const lr_norm_tables *tables, const char *user,
                         int64_t item_id, lr_web_decision decision, const char *text, int pick,
                         const char *why, json_t **out, lr_error *err)
{
    *out = NULL;
    if (decision < LR_WEB_ACCEPT || decision > LR_WEB_SKIP)
        return lr_error_set(err, LR_ERR_ARG, "unknown decision");
    int rc = store_begin(st, err);
    if (rc != LR_OK)
        return rc;
    PGresult *it = lock_item(st, user, item_id, err);
    if (!it) {
        store_rollback_quietly(st->conn);
        return err && err->code ? (int)err->code : LR_ERR_DB;
    }
    if (decision == LR_WEB_SKIP)
        rc = skip_item(st, user, item_id, out, err);
    else
        rc = record_version(st, tables, user, item_id, it, decision, text, pick, why, out, err);
    PQclear(it);
    if (rc == LR_OK)
        rc = store_exec_cmd(st, "COMMIT", NULL, "commit the decision", err);
    if (rc != LR_OK) {
        store_rollback_quietly(st->conn);
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int lr_web_accept_sheet(lr_store *st, const char *user, int64_t run_id, long *out_count,
                        lr_error *err)
{
    *out_count = 0;
    store_params p = {0};
    p_int(&p, run_id);
    p_str(&p, user);
    PGresult *res = store_exec(
        st,
        "INSERT INTO value_version (page_run_id, section, row_no, field, version, raw, value,"
        " reviewer, source, why)"
        " SELECT f.page_run_id, f.section, f.row_no, f.field, 2, f.raw, f.value, $2, 'web',"
        " 'accepted with the sheet'"
        " FROM field_value f WHERE f.page_run_id = $1 AND NOT f.review"
        " AND NOT EXISTS (SELECT 1 FROM value_version v WHERE v.page_run_id = f.page_run_id"
        "  AND v.section = f.section AND v.row_no = f.row_no AND v.field = f.field)"
        " ON CONFLICT DO NOTHING",
        &p, PGRES_COMMAND_OK, "accept the sheet's fields", err);
    if (!res)
        return LR_ERR_DB;
    *out_count = atol(PQcmdTuples(res));
    PQclear(res);
    return LR_OK;
}
