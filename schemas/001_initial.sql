-- 001_initial.sql — runs, their page results and the log of failures.
--
-- Applied by lr_store_migrate in one transaction, under the migration advisory lock, after it
-- has created schema_version; do not put BEGIN/COMMIT here. Never edit a migration once it has
-- been applied anywhere: add the next NNN_name.sql instead. See docs/schema.md.

-- What produced a run: a hash of the settings, engine and model versions (64 hex digits) and
-- the description it was computed from, for people who want to know what a hash meant.
CREATE TABLE settings (
    hash        text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    description jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One "landrec run" (or any command that loads pages).
CREATE TABLE invocation (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch         text,
    args          text,
    settings_hash text REFERENCES settings (hash),
    host          text,
    pid           integer,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    counts        jsonb,
    exit_status   integer
);
CREATE INDEX invocation_batch_idx ON invocation (batch);

-- Each distinct file content, by its fixity checksum; first_path is where it was first seen.
CREATE TABLE source_file (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size       bigint CHECK (size >= 0),
    first_path text NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now()
);

-- One row per run key: (file, page, settings). The file is its checksum; only a file that
-- could not be read at all (no checksum) is keyed by its path. file_key folds the two into one
-- column so that one unique constraint, ON CONFLICT and DISTINCT ON can all use it.
CREATE TABLE page_run (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256            text REFERENCES source_file (sha256),
    source_path       text NOT NULL,
    file_key          text NOT NULL GENERATED ALWAYS AS (COALESCE(sha256, 'path:' || source_path)) STORED,
    page              integer NOT NULL CHECK (page >= 0),
    page_count        integer CHECK (page_count >= 0),
    settings_hash     text NOT NULL REFERENCES settings (hash),
    status            text NOT NULL CHECK (status IN ('done', 'failed')),
    error_code        text,
    error             text,
    attempts          integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    -- ingest (lr_page_info)
    width             integer,
    height            integer,
    bits_per_sample   integer,
    samples_per_pixel integer,
    depth             integer,
    colour            text,
    compression       text,
    dpi_x             integer,
    dpi_y             integer,
    dpi_assumed       boolean,
    warnings          text,
    -- enhance and OCR
    orientation       smallint CHECK (orientation IN (0, 90, 180, 270)),
    orientation_conf  real,
    skew_deg          real,
    skew_conf         real,
    skew_applied      boolean,
    mean_conf         real CHECK (mean_conf BETWEEN 0 AND 100),
    text              text,
    -- stage times, milliseconds
    decode_ms         real,
    orient_ms         real,
    enhance_ms        real,
    ocr_ms            real,
    write_ms          real,
    load_ms           real,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT page_run_key UNIQUE (file_key, page, settings_hash),
    -- A page can only be done when its file was read; page 0 means "the whole file".
    CONSTRAINT page_run_done_has_file CHECK (status = 'failed' OR (sha256 IS NOT NULL AND page >= 1)),
    CONSTRAINT page_run_failed_has_error CHECK ((status = 'failed') = (error IS NOT NULL))
);
-- The export: latest run per (file, page).
CREATE INDEX page_run_latest_idx ON page_run (file_key, page, updated_at DESC, id DESC);
CREATE INDEX page_run_sha256_idx ON page_run (sha256);
CREATE INDEX page_run_source_path_idx ON page_run (source_path);
CREATE INDEX page_run_failed_idx ON page_run (settings_hash) WHERE status = 'failed';

-- Recognised words of a done page, loaded by COPY. n is the reading-order index.
CREATE TABLE word (
    page_run_id bigint NOT NULL REFERENCES page_run (id) ON DELETE CASCADE,
    n           integer NOT NULL,
    text        text NOT NULL,
    conf        real,
    x0          integer,
    y0          integer,
    x1          integer,
    y1          integer,
    block       integer,
    par         integer,
    line        integer,
    PRIMARY KEY (page_run_id, n)
);

-- Files written for a done page (view image, binary image, hOCR, text), loaded by COPY.
CREATE TABLE derivative (
    page_run_id bigint NOT NULL REFERENCES page_run (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_-]*$'),
    path        text NOT NULL,
    sha256      text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes       bigint CHECK (bytes >= 0),
    PRIMARY KEY (page_run_id, kind, path)
);

-- Every failure event, also those a later retry made good; page_run only holds the last state.
CREATE TABLE page_failure (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_run_id   bigint NOT NULL REFERENCES page_run (id) ON DELETE CASCADE,
    invocation_id bigint REFERENCES invocation (id) ON DELETE SET NULL,
    source_path   text NOT NULL,
    error_code    text,
    error         text NOT NULL,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX page_failure_page_run_idx ON page_failure (page_run_id);
CREATE INDEX page_failure_invocation_idx ON page_failure (invocation_id);

-- Which runs an invocation processed ('done', 'failed') or found already done ('skipped').
CREATE TABLE invocation_page (
    invocation_id bigint NOT NULL REFERENCES invocation (id) ON DELETE CASCADE,
    page_run_id   bigint NOT NULL REFERENCES page_run (id) ON DELETE CASCADE,
    outcome       text NOT NULL CHECK (outcome IN ('done', 'skipped', 'failed')),
    PRIMARY KEY (invocation_id, page_run_id)
);
CREATE INDEX invocation_page_run_idx ON invocation_page (page_run_id);
