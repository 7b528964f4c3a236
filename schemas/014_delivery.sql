-- 014_delivery.sql — what a contractor's manifest says of each file it delivered (docs/manifest.md):
-- stored when "landrec enqueue --manifest" queues the file, shown with its pages in the
-- exports (the page's file by its SHA-256) and counted per contractor by the dashboard and
-- the report.

CREATE TABLE delivery_file (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch       text,                 -- the enqueue's --batch, if any
    manifest    text NOT NULL,        -- the manifest's path, display form
    line        integer NOT NULL CHECK (line >= 2),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    path        text NOT NULL,        -- the file, resolved, display form
    doc_type    text NOT NULL,
    district    text NOT NULL CHECK (district ~ '^([0-9]{5}|[0-9]{10})$'),
    volume      text NOT NULL DEFAULT '',
    sheet       text NOT NULL DEFAULT '',
    contractor  text NOT NULL CHECK (contractor <> ''),
    scan_date   date NOT NULL,
    operator    text NOT NULL DEFAULT '',
    recorded_at timestamptz NOT NULL DEFAULT now()
);
-- A file once per batch: a corrected manifest enqueued again replaces its lines.
CREATE UNIQUE INDEX delivery_file_key ON delivery_file (coalesce(batch, ''), sha256);
CREATE INDEX delivery_file_sha256_idx ON delivery_file (sha256, recorded_at DESC);
CREATE INDEX delivery_file_contractor_idx ON delivery_file (contractor);
