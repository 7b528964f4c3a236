/* queue.c — the work queue's SQL: jobs, leases, workers, LISTEN/NOTIFY (queue.h). */
#include "landrec/queue.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/clock.h"
#include "landrec/log.h"
#include "landrec/utf8.h"
#include "store_internal.h"

static char *dup_or_null(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : strdup(PQgetvalue(res, row, col));
}

void lr_queue_job_clear(lr_queue_job *job)
{
    if (!job)
        return;
    free(job->batch);
    free(job->path);
    free(job->path_shown);
    free(job->options_json);
    memset(job, 0, sizeof *job);
}

/* ---------------------------------------------------------------- enqueue */

/* A failed or quarantined job is queued again, counts reset, and so is a done one, or one
 * queued for no run or another, when a run asks for it ($9); the others are left as they are
 * (then no row is returned): the same run meeting the same bytes under a second name keeps
 * the first. */
static const char enqueue_sql[] =
    "INSERT INTO job AS j (batch, file_key, sha256, path, path_raw, page, page_count,"
    " settings_hash, options, invocation_id)"
    " VALUES ($1, COALESCE($2, 'path:' || $3), $2, $3, $4::bytea, $5, NULLIF($6::int, 0), $7,"
    " $8::jsonb, $9::bigint)"
    " ON CONFLICT ON CONSTRAINT job_key DO UPDATE SET"
    "  state = 'queued', batch = EXCLUDED.batch, path = EXCLUDED.path,"
    "  path_raw = EXCLUDED.path_raw, options = EXCLUDED.options, attempts = 0, expiries = 0,"
    "  not_before = now(), last_error = NULL, outcome = NULL, finished_at = NULL,"
    "  invocation_id = EXCLUDED.invocation_id, enqueued_at = now(), updated_at = now()"
    " WHERE j.state IN ('failed', 'quarantined')"
    "  OR (EXCLUDED.invocation_id IS NOT NULL AND (j.state = 'done' OR (j.state = 'queued'"
    "   AND j.invocation_id IS DISTINCT FROM EXCLUDED.invocation_id)))"
    " RETURNING j.id, (xmax = 0)";

/* The id of the job of a key that was left as it was. */
static int64_t job_id_of_key(lr_store *st, const char *sha256, const char *shown, int page,
                             const char *settings_hash, lr_error *err)
{
    store_params p = {0};
    p_str(&p, sha256);
    p_str(&p, shown);
    p_int(&p, page);
    p_str(&p, settings_hash);
    PGresult *res = store_exec(st,
                               "SELECT id FROM job WHERE file_key = COALESCE($1, 'path:' || $2)"
                               " AND page = $3 AND settings_hash = $4",
                               &p, PGRES_TUPLES_OK, "find a job", err);
    int64_t id = res && PQntuples(res) == 1 ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : -1;
    PQclear(res);
    return id;
}

int lr_queue_enqueue(lr_store *st, const lr_queue_new_job *jobs, int n, int64_t *out_ids,
                     lr_queue_enqueued *counts, lr_error *err)
{
    if (!st || (n > 0 && !jobs) || !counts)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no jobs");
    if (n <= 0)
        return LR_OK;
    int rc = store_begin(st, err);
    if (rc < 0)
        return rc;
    lr_queue_enqueued c = {0};
    for (int i = 0; i < n && rc == LR_OK; i++) {
        const lr_queue_new_job *jb = &jobs[i];
        char *shown = lr_utf8_path_display(jb->path);
        lr_strbuf raw = LR_STRBUF_INIT;
        store_bytea_hex(&raw, "\\x", jb->path);
        if (!shown || raw.failed) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        } else {
            store_params p = {0};
            p_str(&p, jb->batch && *jb->batch ? jb->batch : NULL);
            p_str(&p, jb->sha256 && *jb->sha256 ? jb->sha256 : NULL);
            p_str(&p, shown);
            p_str(&p, raw.data);
            p_int(&p, jb->page);
            p_int(&p, jb->page_count);
            p_str(&p, jb->settings_hash);
            p_str(&p, jb->options_json ? jb->options_json : "{}");
            if (jb->invocation_id > 0)
                p_int(&p, jb->invocation_id);
            else
                p_null(&p);
            PGresult *res = store_exec(st, enqueue_sql, &p, PGRES_TUPLES_OK, "enqueue a job", err);
            int64_t id = 0;
            if (!res) {
                rc = LR_ERR_DB;
            } else if (PQntuples(res) == 0) {
                c.present++;
                if (out_ids) {
                    const char *sha = jb->sha256 && *jb->sha256 ? jb->sha256 : NULL;
                    id = job_id_of_key(st, sha, shown, jb->page, jb->settings_hash, err);
                    if (id < 0)
                        rc = LR_ERR_DB;
                }
            } else {
                id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
                if (strcmp(PQgetvalue(res, 0, 1), "t") == 0)
                    c.added++;
                else
                    c.requeued++;
            }
            if (out_ids)
                out_ids[i] = id;
            PQclear(res);
        }
        free(shown);
        lr_strbuf_free(&raw);
    }
    if (rc == LR_OK && c.added + c.requeued > 0)
        rc = store_exec_cmd(st, "NOTIFY " LR_QUEUE_CHANNEL, NULL, "notify the workers", err);
    if (rc == LR_OK) {
        PGresult *res = store_exec(st, "COMMIT", NULL, PGRES_COMMAND_OK, "commit the jobs", err);
        rc = res ? LR_OK : LR_ERR_DB;
        PQclear(res);
    }
    if (rc != LR_OK) {
        store_rollback_quietly(st->conn);
        return rc;
    }
    counts->added += c.added;
    counts->requeued += c.requeued;
    counts->present += c.present;
    return LR_OK;
}

/* ---------------------------------------------------------------- workers */

int lr_queue_worker_begin(lr_store *st, const char *worker_id, const char *host, int pid,
                          const char *args, double lease_s, lr_error *err)
{
    store_params p = {0};
    p_str(&p, worker_id);
    p_str(&p, host);
    p_int(&p, pid);
    p_str(&p, args);
    p_real(&p, lease_s);
    PGresult *res = store_exec_retry(
        st,
        "INSERT INTO worker (id, host, pid, args, lease_s) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid,"
        "  args = EXCLUDED.args, lease_s = EXCLUDED.lease_s, started_at = now(),"
        "  last_heartbeat = now(), stopped_at = NULL, current_job = NULL",
        &p, PGRES_COMMAND_OK, "register the worker", err);
    PQclear(res);
    return res ? LR_OK : LR_ERR_DB;
}

int lr_queue_worker_end(lr_store *st, const char *worker_id, lr_error *err)
{
    store_params p = {0};
    p_str(&p, worker_id);
    PGresult *res = store_exec_retry(st,
                                     "UPDATE worker SET stopped_at = now(), current_job = NULL,"
                                     " last_heartbeat = now() WHERE id = $1",
                                     &p, PGRES_COMMAND_OK, "record the worker's end", err);
    PQclear(res);
    return res ? LR_OK : LR_ERR_DB;
}

/* ---------------------------------------------------------------- leases */

int lr_queue_reap(lr_store *st, int max_expiries, int *out_requeued, int *out_quarantined,
                  lr_queue_reap_callback cb, void *cb_ctx, lr_error *err)
{
    if (out_requeued)
        *out_requeued = 0;
    if (out_quarantined)
        *out_quarantined = 0;
    store_params p = {0};
    p_int(&p, max_expiries > 0 ? max_expiries : 1);
    /* SKIP LOCKED: a lease another worker is renewing or finishing this instant is not waited
     * for; the state is checked again under the row lock. */
    PGresult *res = store_exec_prepared_retry(
        st, STORE_STMT_QUEUE_REAP,
        "UPDATE job j SET expiries = j.expiries + 1,"
        "  state = CASE WHEN j.expiries + 1 >= $1 THEN 'quarantined' ELSE 'queued' END,"
        "  last_error = format('the lease of worker %s ran out at %s (%s of %s)', j.lease_owner,"
        "   to_char(j.lease_until, 'YYYY-MM-DD HH24:MI:SS TZ'), j.expiries + 1, $1),"
        "  finished_at = CASE WHEN j.expiries + 1 >= $1 THEN now() END,"
        "  lease_owner = NULL, lease_until = NULL, not_before = now(), updated_at = now()"
        " WHERE j.id IN (SELECT id FROM job WHERE state = 'leased' AND lease_until < now()"
        "                FOR UPDATE SKIP LOCKED)"
        "  AND j.state = 'leased' AND j.lease_until < now()"
        " RETURNING j.state, j.id, j.path, j.page, j.last_error",
        &p, PGRES_TUPLES_OK, "take back the leases that ran out", err);
    if (!res)
        return LR_ERR_DB;
    for (int i = 0; i < PQntuples(res); i++) {
        bool q = strcmp(PQgetvalue(res, i, 0), "quarantined") == 0;
        if (q && out_quarantined)
            (*out_quarantined)++;
        if (!q && out_requeued)
            (*out_requeued)++;
        lr_log(q ? LR_LOG_WARNING : LR_LOG_INFO, "job %s (%s page %s): %s%s", PQgetvalue(res, i, 1),
               PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
               q ? "; quarantined" : "; queued again");
        if (cb)
            cb(cb_ctx, strtoll(PQgetvalue(res, i, 1), NULL, 10), PQgetvalue(res, i, 2),
               atoi(PQgetvalue(res, i, 3)), q, PQgetvalue(res, i, 4));
    }
    PQclear(res);
    return LR_OK;
}

int lr_queue_claim(lr_store *st, const char *worker_id, double lease_s, const char *batch,
                   int64_t invocation_id, lr_queue_job *out, bool *out_got, lr_error *err)
{
    memset(out, 0, sizeof *out);
    *out_got = false;
    int rc = store_ensure_connected(st, err);
    if (rc < 0)
        return rc;
    store_params p = {0};
    p_str(&p, worker_id);
    p_real(&p, lease_s);
    p_str(&p, batch);
    if (invocation_id > 0)
        p_int(&p, invocation_id);
    else
        p_null(&p);
    /* One statement is one short transaction. Not retried on a lost connection: its answer
     * may be what was lost, and the job is then leased to this worker until the lease runs
     * out, when it is taken back like any other. */
    PGresult *res = store_exec_prepared(
        st, STORE_STMT_QUEUE_CLAIM,
        "WITH next AS ("
        "  SELECT id FROM job WHERE state = 'queued' AND not_before <= now()"
        "   AND ($3::text IS NULL OR batch = $3)"
        "   AND ($4::bigint IS NULL OR invocation_id = $4)"
        "  ORDER BY not_before, id LIMIT 1 FOR UPDATE SKIP LOCKED),"
        " w AS (UPDATE worker SET current_job = (SELECT id FROM next), last_heartbeat = now()"
        "  WHERE id = $1)"
        " UPDATE job j SET state = 'leased', lease_owner = $1,"
        "  lease_until = now() + make_interval(secs => $2::float8), attempts = j.attempts + 1,"
        "  claimed_at = now(), updated_at = now()"
        " FROM next WHERE j.id = next.id"
        " RETURNING j.id, j.batch, j.path_raw, j.path, j.sha256, j.page, j.page_count,"
        "  j.settings_hash, j.options::text, j.attempts, j.expiries",
        &p, PGRES_TUPLES_OK, "claim a job", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) == 1) {
        out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        out->batch = dup_or_null(res, 0, 1);
        out->path = store_bytea_path(PQgetvalue(res, 0, 2));
        out->path_shown = strdup(PQgetvalue(res, 0, 3));
        snprintf(out->sha256, sizeof out->sha256, "%s", PQgetvalue(res, 0, 4));
        out->page = atoi(PQgetvalue(res, 0, 5));
        out->page_count = atoi(PQgetvalue(res, 0, 6));
        snprintf(out->settings_hash, sizeof out->settings_hash, "%s", PQgetvalue(res, 0, 7));
        out->options_json = strdup(PQgetvalue(res, 0, 8));
        out->attempts = atoi(PQgetvalue(res, 0, 9));
        out->expiries = atoi(PQgetvalue(res, 0, 10));
        *out_got = true;
        if (!out->path || !out->path_shown || !out->options_json) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            /* The lease runs out and the job is taken back. */
            lr_queue_job_clear(out);
            *out_got = false;
        }
    }
    PQclear(res);
    return rc;
}

int lr_queue_heartbeat(lr_store *st, const char *worker_id, int64_t job_id, double lease_s,
                       bool *out_held, lr_error *err)
{
    *out_held = false;
    store_params p = {0};
    p_str(&p, worker_id);
    if (job_id > 0)
        p_int(&p, job_id);
    else
        p_null(&p);
    p_real(&p, lease_s);
    PGresult *res = store_exec_retry(
        st,
        "WITH w AS (UPDATE worker SET last_heartbeat = now(), current_job = $2::bigint"
        "  WHERE id = $1)"
        " UPDATE job SET lease_until = now() + make_interval(secs => $3::float8),"
        "  updated_at = now()"
        " WHERE id = $2::bigint AND state = 'leased' AND lease_owner = $1 RETURNING id",
        &p, PGRES_TUPLES_OK, "renew the lease", err);
    if (!res)
        return LR_ERR_DB;
    *out_held = PQntuples(res) == 1;
    PQclear(res);
    return LR_OK;
}

int lr_queue_finish(lr_store *st, const char *worker_id, int64_t job_id, lr_queue_end end,
                    const char *message, double retry_after_s, int max_attempts,
                    lr_queue_end *out_end, bool *out_held, lr_error *err)
{
    static const char *const names[] = {"done", "failed", "retry", "quarantined", "release"};
    if (out_end)
        *out_end = end;
    if (out_held)
        *out_held = false;
    store_params p = {0};
    p_int(&p, job_id);
    p_str(&p, worker_id);
    p_str(&p, names[end]);
    p_str(&p, message);
    p_real(&p, retry_after_s > 0 ? retry_after_s : 0);
    p_int(&p, max_attempts > 0 ? max_attempts : 1);
    /* Safe to run twice: the second finds the lease no longer the worker's. A job put back
     * in the queue is notified, for the idle workers. */
    PGresult *res = store_exec_prepared_retry(
        st, STORE_STMT_QUEUE_FINISH,
        "WITH f AS ("
        " UPDATE job j SET"
        "  state = CASE $3"
        "   WHEN 'retry' THEN CASE WHEN j.attempts >= $6 THEN 'failed' ELSE 'queued' END"
        "   WHEN 'release' THEN 'queued' ELSE $3 END,"
        "  attempts = CASE WHEN $3 = 'release' THEN greatest(j.attempts - 1, 0)"
        "   ELSE j.attempts END,"
        "  not_before = CASE WHEN $3 = 'retry' THEN now() + make_interval(secs => $5::float8)"
        "   ELSE j.not_before END,"
        "  outcome = CASE WHEN $3 = 'done' THEN $4 END,"
        "  last_error = CASE WHEN $3 = 'done' THEN j.last_error"
        "   WHEN $3 = 'retry' AND j.attempts >= $6"
        "    THEN format('%s (gave up after %s attempts)', $4::text, j.attempts)"
        "   ELSE COALESCE($4, j.last_error) END,"
        "  page_run_id = CASE WHEN $3 IN ('done', 'failed') THEN (SELECT pr.id FROM page_run pr"
        "   WHERE pr.file_key = j.file_key AND pr.page = j.page"
        "    AND pr.settings_hash = j.settings_hash) ELSE j.page_run_id END,"
        "  finished_at = CASE WHEN $3 IN ('done', 'failed', 'quarantined')"
        "    OR ($3 = 'retry' AND j.attempts >= $6) THEN now() END,"
        "  lease_owner = NULL, lease_until = NULL, updated_at = now()"
        " WHERE j.id = $1 AND j.state = 'leased' AND j.lease_owner = $2"
        " RETURNING j.state),"
        " w AS (UPDATE worker SET current_job = NULL WHERE id = $2),"
        " n AS (SELECT pg_notify('" LR_QUEUE_CHANNEL "', '') FROM f WHERE f.state = 'queued')"
        " SELECT f.state, (SELECT count(*) FROM n) FROM f",
        &p, PGRES_TUPLES_OK, "finish the job", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) == 1) {
        if (out_held)
            *out_held = true;
        const char *state = PQgetvalue(res, 0, 0);
        if (out_end && end == LR_QUEUE_RETRY && strcmp(state, "failed") == 0)
            *out_end = LR_QUEUE_FAILED;
    }
    PQclear(res);
    return LR_OK;
}

int lr_queue_pending_count(lr_store *st, const char *batch, int64_t invocation_id,
                           lr_queue_pending *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->next_s = -1;
    store_params p = {0};
    p_str(&p, batch);
    if (invocation_id > 0)
        p_int(&p, invocation_id);
    else
        p_null(&p);
    PGresult *res = store_exec_retry(
        st,
        "SELECT count(*) FILTER (WHERE state = 'queued' AND not_before <= now()),"
        " count(*) FILTER (WHERE state = 'queued' AND not_before > now()),"
        " count(*) FILTER (WHERE state = 'leased'),"
        " extract(epoch FROM min(CASE WHEN state = 'queued' AND not_before > now()"
        "   THEN not_before WHEN state = 'leased' THEN lease_until END) - now())"
        " FROM job WHERE state IN ('queued', 'leased') AND ($1::text IS NULL OR batch = $1)"
        "  AND ($2::bigint IS NULL OR invocation_id = $2)",
        &p, PGRES_TUPLES_OK, "count the jobs left", err);
    if (!res)
        return LR_ERR_DB;
    out->ready = atoi(PQgetvalue(res, 0, 0));
    out->later = atoi(PQgetvalue(res, 0, 1));
    out->leased = atoi(PQgetvalue(res, 0, 2));
    if (!PQgetisnull(res, 0, 3)) {
        out->next_s = strtod(PQgetvalue(res, 0, 3), NULL);
        if (out->next_s < 0)
            out->next_s = 0;
    }
    PQclear(res);
    return LR_OK;
}

/* ids[0..n) as a PostgreSQL array literal in *out (freed on failure). */
static int id_array(const int64_t *ids, int n, lr_strbuf *out, lr_error *err)
{
    lr_strbuf_putc(out, '{');
    for (int i = 0; i < n; i++)
        lr_strbuf_printf(out, "%s%lld", i ? "," : "", (long long)ids[i]);
    lr_strbuf_putc(out, '}');
    if (!out->failed)
        return LR_OK;
    lr_strbuf_free(out);
    return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
}

int lr_queue_take_over(lr_store *st, int64_t invocation_id, const int64_t *ids, int n,
                       int *out_taken, lr_error *err)
{
    *out_taken = 0;
    if (n <= 0)
        return LR_OK;
    lr_strbuf arr = LR_STRBUF_INIT;
    if (id_array(ids, n, &arr, err) < 0)
        return LR_ERR_NOMEM;
    store_params p = {0};
    p_int(&p, invocation_id);
    p_str(&p, arr.data);
    PGresult *res = store_exec_retry(
        st,
        "WITH t AS (UPDATE job SET invocation_id = $1, updated_at = now()"
        "  WHERE id = ANY($2::bigint[]) AND state = 'queued' RETURNING id),"
        " n AS (SELECT pg_notify('" LR_QUEUE_CHANNEL "', '') WHERE EXISTS (SELECT 1 FROM t))"
        " SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM n)",
        &p, PGRES_TUPLES_OK, "take over jobs", err);
    lr_strbuf_free(&arr);
    if (!res)
        return LR_ERR_DB;
    *out_taken = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return LR_OK;
}

int lr_queue_job_states(lr_store *st, const int64_t *ids, int n, lr_queue_job_state *out,
                        lr_error *err)
{
    memset(out, 0, (size_t)(n > 0 ? n : 0) * sizeof *out);
    if (n <= 0)
        return LR_OK;
    lr_strbuf arr = LR_STRBUF_INIT;
    if (id_array(ids, n, &arr, err) < 0)
        return LR_ERR_NOMEM;
    store_params p = {0};
    p_str(&p, arr.data);
    PGresult *res = store_exec_retry(
        st,
        "SELECT a.i, j.state, j.outcome, j.last_error"
        " FROM unnest($1::bigint[]) WITH ORDINALITY AS a (id, i) LEFT JOIN job j ON j.id = a.id",
        &p, PGRES_TUPLES_OK, "read the jobs' states", err);
    lr_strbuf_free(&arr);
    if (!res)
        return LR_ERR_DB;
    int rc = LR_OK;
    for (int r = 0; r < PQntuples(res); r++) {
        long i = strtol(PQgetvalue(res, r, 0), NULL, 10) - 1;
        if (i < 0 || i >= n)
            continue;
        out[i].id = ids[i];
        snprintf(out[i].state, sizeof out[i].state, "%s", PQgetvalue(res, r, 1));
        snprintf(out[i].outcome, sizeof out[i].outcome, "%s", PQgetvalue(res, r, 2));
        if (!PQgetisnull(res, r, 3) && !(out[i].last_error = strdup(PQgetvalue(res, r, 3))))
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    }
    PQclear(res);
    return rc;
}

/* ---------------------------------------------------------------- waiting */

/* Drops the notifications that came meanwhile; true when there was one. */
static bool drain_notifications(PGconn *conn)
{
    bool any = false;
    PGnotify *n;
    PQconsumeInput(conn);
    while ((n = PQnotifies(conn))) {
        any = true;
        PQfreemem(n);
    }
    return any;
}

int lr_queue_wait(lr_store *st, double timeout_s, const volatile sig_atomic_t *cancel,
                  lr_error *err)
{
    /* LISTEN again each time: cheap, and a reconnected session has forgotten it. */
    PGresult *res = store_exec_retry(st, "LISTEN " LR_QUEUE_CHANNEL, NULL, PGRES_COMMAND_OK,
                                     "listen for new jobs", err);
    if (!res)
        return LR_ERR_DB;
    PQclear(res);
    if (drain_notifications(st->conn))
        return LR_OK;
    double deadline = lr_clock_ms() + timeout_s * 1000.0;
    for (;;) {
        if (cancel && *cancel)
            return LR_OK;
        double left = deadline - lr_clock_ms();
        if (left <= 0)
            return LR_OK;
        struct pollfd pfd = {.fd = PQsocket(st->conn), .events = POLLIN};
        if (pfd.fd < 0)
            return LR_OK; /* the next statement finds the connection lost and reconnects */
        int pr = poll(&pfd, 1, (int)(left + 1));
        if (pr < 0)
            return errno == EINTR ? LR_OK
                                  : lr_error_set(err, LR_ERR_INTERNAL, "poll: %s", strerror(errno));
        if (pr > 0) {
            if (!PQconsumeInput(st->conn))
                return LR_OK; /* lost: as above */
            if (drain_notifications(st->conn))
                return LR_OK;
        }
    }
}

/* ---------------------------------------------------------------- status */

int lr_queue_print_status(lr_store *st, const char *batch, int max_errors, FILE *out, lr_error *err)
{
    int rc = store_ensure_connected(st, err);
    if (rc < 0)
        return rc;
    store_params p = {0};
    p_str(&p, batch);
    PGresult *res = store_exec(
        st,
        "SELECT COALESCE(batch, '(none)'), count(*) FILTER (WHERE state = 'queued'),"
        " count(*) FILTER (WHERE state = 'leased'), count(*) FILTER (WHERE state = 'done'),"
        " count(*) FILTER (WHERE state = 'failed'),"
        " count(*) FILTER (WHERE state = 'quarantined'), count(*)"
        " FROM job WHERE $1::text IS NULL OR batch = $1"
        " GROUP BY batch ORDER BY batch NULLS FIRST",
        &p, PGRES_TUPLES_OK, "count the jobs", err);
    if (!res)
        return LR_ERR_DB;
    fprintf(out, "%-30s %8s %8s %8s %8s %11s %8s\n", "batch", "queued", "leased", "done", "failed",
            "quarantined", "total");
    for (int i = 0; i < PQntuples(res); i++)
        fprintf(out, "%-30s %8s %8s %8s %8s %11s %8s\n", PQgetvalue(res, i, 0),
                PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
                PQgetvalue(res, i, 4), PQgetvalue(res, i, 5), PQgetvalue(res, i, 6));
    if (PQntuples(res) == 0)
        fprintf(out, "(no jobs)\n");
    PQclear(res);

    p_int(&p, max_errors > 0 ? max_errors : 0);
    res = store_exec(st,
                     "SELECT state, id, path, page, COALESCE(last_error, '') FROM job"
                     " WHERE state IN ('failed', 'quarantined')"
                     "  AND ($1::text IS NULL OR batch = $1)"
                     " ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT $2",
                     &p, PGRES_TUPLES_OK, "list the failed jobs", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) > 0)
        fprintf(out, "\nfailed and quarantined jobs (newest first):\n");
    for (int i = 0; i < PQntuples(res); i++)
        fprintf(out, "  %s job %s: %s page %s: %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
    PQclear(res);

    res = store_exec(st,
                     "SELECT id, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
                     " round(extract(epoch FROM now() - last_heartbeat)::numeric, 1),"
                     " COALESCE(current_job::text, '-'),"
                     " CASE WHEN stopped_at IS NOT NULL THEN 'stopped'"
                     "  WHEN last_heartbeat < now() - make_interval(secs => lease_s)"
                     "   THEN 'silent: no heartbeat for a lease (killed, or cut off)'"
                     "  ELSE 'running' END"
                     " FROM worker"
                     " WHERE COALESCE(stopped_at, last_heartbeat) > now() - interval '1 day'"
                     " ORDER BY stopped_at IS NOT NULL, id",
                     NULL, PGRES_TUPLES_OK, "list the workers", err);
    if (!res)
        return LR_ERR_DB;
    fprintf(out, "\n%-40s %-19s %14s %8s %s\n", "worker", "started", "heartbeat ago", "job",
            "state");
    for (int i = 0; i < PQntuples(res); i++)
        fprintf(out, "%-40s %-19s %12s s %8s %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
    if (PQntuples(res) == 0)
        fprintf(out, "(no workers in the last day)\n");
    PQclear(res);
    if (fflush(out) != 0 || ferror(out))
        return lr_error_set(err, LR_ERR_IO, "could not write the status");
    return LR_OK;
}
