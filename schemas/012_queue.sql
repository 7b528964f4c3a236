-- 012_queue.sql — the work queue: one job per page to process, claimed by "landrec worker"
-- processes on any number of machines, and the workers themselves. See docs/queue.md.
--
-- A job is a page of a file (file_key, page) to be processed with one set of settings: the run
-- key of page_run, so that a job and the run it makes are the same thing. Page 0 stands for a
-- whole file whose pages are not known yet (it could not be opened when it was enqueued): the
-- worker that takes it opens the file, enqueues its pages and finishes it, or records why the
-- file cannot be read, as "landrec run" does.
--
-- The tables are the loading role's, like the others; the reading role may SELECT them through
-- the default privileges "landrec db init" grants.

-- One "landrec worker" process: its id is the host's id and the pid ("host:pid").
CREATE TABLE worker (
    id             text PRIMARY KEY,
    host           text NOT NULL,
    pid            integer NOT NULL,
    args           text,
    started_at     timestamptz NOT NULL DEFAULT now(),
    last_heartbeat timestamptz NOT NULL DEFAULT now(),
    stopped_at     timestamptz,
    current_job    bigint
);

CREATE TABLE job (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch         text,
    -- the file: its checksum when it could be read, else 'path:' and the path's display form,
    -- as page_run.file_key
    file_key      text NOT NULL,
    sha256        text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    path          text NOT NULL,  -- display form (docs/schema.md, "Paths")
    path_raw      bytea NOT NULL, -- the bytes a worker opens
    page          integer NOT NULL CHECK (page >= 0),
    page_count    integer CHECK (page_count >= 0),
    settings_hash text NOT NULL REFERENCES settings (hash),
    -- the pipeline options as given to "landrec enqueue" (lr_pipeline_options_to_json): a
    -- worker runs the job with these, and refuses it when they give another settings_hash on
    -- its machine (other models or engine)
    options       jsonb NOT NULL,
    state         text NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'leased', 'done', 'failed', 'quarantined')),
    lease_owner   text,           -- worker.id while leased
    lease_until   timestamptz,
    attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0), -- claims
    expiries      integer NOT NULL DEFAULT 0 CHECK (expiries >= 0), -- leases that ran out
    not_before    timestamptz NOT NULL DEFAULT now(),               -- backoff
    last_error    text,
    outcome       text,           -- of a done job: loaded, skipped, done elsewhere, expanded
    page_run_id   bigint REFERENCES page_run (id) ON DELETE SET NULL,
    enqueued_at   timestamptz NOT NULL DEFAULT now(),
    claimed_at    timestamptz,
    finished_at   timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT job_key UNIQUE (file_key, page, settings_hash),
    CONSTRAINT job_leased_has_owner
        CHECK ((state = 'leased') = (lease_owner IS NOT NULL AND lease_until IS NOT NULL))
);
-- The claim: the oldest job that may run now.
CREATE INDEX job_claim_idx ON job (not_before, id) WHERE state = 'queued';
-- Leases that ran out.
CREATE INDEX job_lease_idx ON job (lease_until) WHERE state = 'leased';
-- "landrec status" and "worker --batch".
CREATE INDEX job_batch_state_idx ON job (batch, state);
