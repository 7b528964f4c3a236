-- 007_web.sql — what "landrec serve" needs: accounts and sessions, review claims and
-- decisions with their reasons, a search table kept by triggers, and the yearly targets.
-- See docs/web.md and docs/schema.md.
--
-- The server connects as the web role (docs/security.md): it reads everything, and writes only
-- what is granted on the tables marked "web writes" below ("landrec db init" grants it).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- People who sign in to the web application. pwhash is libsodium's crypto_pwhash_str
-- (Argon2id) encoding; the password itself is never stored.
CREATE TABLE app_user (
    name       text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
    role       text NOT NULL CHECK (role IN ('reader', 'reviewer', 'officer', 'admin')),
    pwhash     text NOT NULL,
    disabled   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Web writes. A signed-in browser: the cookie's token is kept as its SHA-256 only, so that
-- reading this table does not give a session away. csrf is sent back by the page in the
-- X-CSRF-Token header of every state-changing request.
CREATE TABLE web_session (
    token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    user_name    text NOT NULL REFERENCES app_user (name) ON DELETE CASCADE,
    csrf         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX web_session_expires_idx ON web_session (expires_at);

-- Web writes. Failed sign-ins (never the password), for the log and the rate limit.
CREATE TABLE login_failure (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name text NOT NULL,
    client    text,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failure_user_idx ON login_failure (user_name, at);

-- Web writes (claims, state). A claimed item is given to nobody else until the claim expires;
-- conf orders the queue (least sure first), copied from the field when the item is opened.
ALTER TABLE review_item
    ADD COLUMN conf real,
    ADD COLUMN claimed_by text,
    ADD COLUMN claimed_until timestamptz;
UPDATE review_item ri SET conf = f.conf FROM field_value f
    WHERE f.page_run_id = ri.page_run_id AND f.section = ri.section AND f.row_no = ri.row_no
    AND f.field = ri.field;
CREATE INDEX review_item_queue_idx ON review_item (conf, id) WHERE state = 'open';

-- Web writes. An item a reviewer skipped is not offered to that reviewer again for a while.
CREATE TABLE review_skip (
    item_id   bigint NOT NULL REFERENCES review_item (id) ON DELETE CASCADE,
    user_name text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, user_name)
);

-- Web writes (inserts). Why a version was made: 'corrected', 'accepted' (the machine's value
-- confirmed), 'illegible' (value and raw NULL: the cell cannot be read), 'alternative N', or a
-- reviewer's words. A version's old value is the one before it (or the machine's).
ALTER TABLE value_version ADD COLUMN why text;

-- Yearly targets of records loaded, for the dashboard and reports. cumulative: the number is
-- the total to have by the end of that year, not that year's own.
CREATE TABLE quota_target (
    year       integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2200),
    records    bigint NOT NULL CHECK (records > 0),
    cumulative boolean NOT NULL DEFAULT false
);
INSERT INTO quota_target VALUES (2025, 440000, false), (2026, 560000, false),
    (2030, 2000000, true);

-- One row per ledger sheet, what search looks in: the fields as they stand (a reviewed value
-- in place of the machine's), each in display form and folded (lr_fold, 006), and the page's
-- file name and OCR text. Kept by the triggers below; no one writes it by hand.
CREATE TABLE sheet_search (
    page_run_id bigint PRIMARY KEY REFERENCES record_sheet (page_run_id) ON DELETE CASCADE,
    location    text,
    lot         text,
    owners      text,
    min_date    date,
    max_date    date,
    nopen       integer NOT NULL DEFAULT 0, -- open review items
    loc_fold    text NOT NULL DEFAULT '',
    owner_fold  text NOT NULL DEFAULT '',
    doc_fold    text NOT NULL DEFAULT ''
);
CREATE INDEX sheet_search_loc_idx ON sheet_search USING gin (loc_fold gin_trgm_ops);
CREATE INDEX sheet_search_owner_idx ON sheet_search USING gin (owner_fold gin_trgm_ops);
CREATE INDEX sheet_search_doc_idx ON sheet_search USING gin (doc_fold gin_trgm_ops);
CREATE INDEX sheet_search_lot_idx ON sheet_search (lot);
CREATE INDEX sheet_search_dates_idx ON sheet_search (min_date, max_date);

-- A field as it stands: the newest reviewer's version, else the machine's reading.
CREATE VIEW field_current AS
SELECT f.page_run_id, f.section, f.row_no, f.field,
       CASE WHEN v.version IS NULL THEN f.raw ELSE v.raw END AS raw,
       CASE WHEN v.version IS NULL THEN f.value ELSE v.value END AS value,
       f.review AND v.version IS NULL AS review
FROM field_value f
LEFT JOIN LATERAL (SELECT vv.version, vv.raw, vv.value FROM value_version vv
    WHERE vv.page_run_id = f.page_run_id AND vv.section = f.section AND vv.row_no = f.row_no
    AND vv.field = f.field ORDER BY vv.version DESC LIMIT 1) v ON true;

-- Rebuilds the search rows of the given sheets. SECURITY DEFINER: the web role's review
-- decisions refresh rows it may not write itself.
CREATE FUNCTION lr_search_refresh(ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
INSERT INTO sheet_search AS s (page_run_id, location, lot, owners, min_date, max_date, nopen,
    loc_fold, owner_fold, doc_fold)
SELECT r.page_run_id, x.location, x.lot, x.owners, x.min_date, x.max_date,
       (SELECT count(*) FROM review_item ri WHERE ri.page_run_id = r.page_run_id
        AND ri.state = 'open'),
       coalesce(lr_fold(x.location), ''), coalesce(lr_fold(x.owners), ''),
       lr_fold(concat_ws(' ', p.source_path, x.location, x.lot, r.current_lot, x.owners,
                         x.everything, p.text))
FROM record_sheet r JOIN page_run p ON p.id = r.page_run_id,
LATERAL (SELECT
    max(fc.value) FILTER (WHERE fc.section = 'sheet' AND fc.field = 'location') AS location,
    max(fc.value) FILTER (WHERE fc.section = 'sheet' AND fc.field = 'lot') AS lot,
    string_agg(fc.value, ' / ' ORDER BY fc.row_no)
        FILTER (WHERE fc.section = 'owner' AND fc.field = 'name') AS owners,
    min(fc.value::date) FILTER (WHERE fc.field = 'date'
        AND fc.value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') AS min_date,
    max(fc.value::date) FILTER (WHERE fc.field = 'date'
        AND fc.value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') AS max_date,
    string_agg(concat_ws(' ', fc.raw, fc.value), ' ') AS everything
    FROM field_current fc WHERE fc.page_run_id = r.page_run_id) x
WHERE r.page_run_id = ANY (ids)
ON CONFLICT (page_run_id) DO UPDATE SET location = excluded.location, lot = excluded.lot,
    owners = excluded.owners, min_date = excluded.min_date, max_date = excluded.max_date,
    nopen = excluded.nopen, loc_fold = excluded.loc_fold, owner_fold = excluded.owner_fold,
    doc_fold = excluded.doc_fold;
$$;

CREATE FUNCTION lr_search_on_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM lr_search_refresh(ARRAY(SELECT DISTINCT page_run_id FROM changed));
    RETURN NULL;
END $$;

-- A sheet's rows arrive by COPY in its page's transaction: one refresh per statement.
CREATE TRIGGER record_sheet_search AFTER INSERT ON record_sheet
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lr_search_on_insert();
CREATE TRIGGER field_value_search AFTER INSERT ON field_value
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lr_search_on_insert();
CREATE TRIGGER value_version_search AFTER INSERT ON value_version
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lr_search_on_insert();
CREATE TRIGGER review_item_search_ins AFTER INSERT ON review_item
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lr_search_on_insert();
CREATE TRIGGER review_item_search_upd AFTER UPDATE ON review_item
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION lr_search_on_insert();

SELECT lr_search_refresh(ARRAY(SELECT page_run_id FROM record_sheet));
