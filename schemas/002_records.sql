-- 002_records.sql — parcel records read from ledger sheets: the sheet, its land- and
-- owner-history rows, every field's value with its provenance, lineage between lot numbers,
-- review items and the reviewers' value versions. See docs/schema.md and docs/records.md.
--
-- Loaded by COPY inside the page's transaction (src/extract/records_store.c), so a page's
-- records appear with its words or not at all. Never edit once applied: add 003_….

ALTER TABLE page_run ADD COLUMN extract_ms real;

-- One ledger sheet read from one run of one page.
CREATE TABLE record_sheet (
    page_run_id  bigint PRIMARY KEY REFERENCES page_run (id) ON DELETE CASCADE,
    doc_type     text NOT NULL CHECK (doc_type IN ('land_ledger', 'forest_ledger',
                     'movement_resolution', 'cadastral_map', 'forest_map', 'survey_map',
                     'unknown')),
    doc_type_forced boolean NOT NULL DEFAULT false,
    form         text,              -- template name (schemas/forms), NULL: labels on the page
    cells        integer NOT NULL,  -- value cells read
    cells_reread integer NOT NULL,  -- of which OCR'd again
    nreview      integer NOT NULL   -- fields flagged for review
);

-- History rows (their values are in field_value with section 'land' / 'owner').
CREATE TABLE land_history (
    page_run_id bigint NOT NULL REFERENCES record_sheet (page_run_id) ON DELETE CASCADE,
    row_no      integer NOT NULL CHECK (row_no >= 0),
    PRIMARY KEY (page_run_id, row_no)
);
CREATE TABLE owner_history (
    page_run_id bigint NOT NULL REFERENCES record_sheet (page_run_id) ON DELETE CASCADE,
    row_no      integer NOT NULL CHECK (row_no >= 0),
    PRIMARY KEY (page_run_id, row_no)
);

-- Every field as the machine read it: raw text, normalised value (NULL: could not be),
-- confidence, review state, and where it came from (the run and the cell's box in the
-- binary page's pixels, the same geometry as the view derivative).
CREATE TABLE field_value (
    page_run_id  bigint NOT NULL REFERENCES record_sheet (page_run_id) ON DELETE CASCADE,
    section      text NOT NULL CHECK (section IN ('sheet', 'land', 'owner')),
    row_no       integer NOT NULL CHECK (row_no >= 0),
    field        text NOT NULL CHECK (field IN ('location', 'lot', 'category', 'area', 'grade',
                     'date', 'event', 'address', 'name')),
    raw          text NOT NULL,
    value        text,
    conf         real NOT NULL CHECK (conf BETWEEN 0 AND 100),
    review       boolean NOT NULL,
    reason       text,             -- why it is flagged
    reread       boolean NOT NULL, -- the cell was OCR'd again (else the page's words)
    alternatives jsonb NOT NULL DEFAULT '[]', -- [{"value", "score"}], best first
    x0 integer, y0 integer, x1 integer, y1 integer,
    PRIMARY KEY (page_run_id, section, row_no, field)
);
CREATE INDEX field_value_review_idx ON field_value (page_run_id) WHERE review;
CREATE INDEX field_value_lot_idx ON field_value (value) WHERE field = 'lot';

-- Split, merge and conversion edges between lot numbers, as named in a sheet's events.
CREATE TABLE parcel_lineage (
    page_run_id bigint NOT NULL REFERENCES record_sheet (page_run_id) ON DELETE CASCADE,
    n           integer NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('split', 'merge', 'conversion')),
    from_lot    text NOT NULL,
    to_lot      text NOT NULL,
    row_no      integer,           -- land-history row it was read from
    PRIMARY KEY (page_run_id, n)
);
CREATE INDEX parcel_lineage_from_idx ON parcel_lineage (from_lot);
CREATE INDEX parcel_lineage_to_idx ON parcel_lineage (to_lot);

-- Fields a person should look at: one per flagged field, opened when the sheet is loaded,
-- resolved when a review import gives its value.
CREATE TABLE review_item (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_run_id bigint NOT NULL,
    section     text NOT NULL,
    row_no      integer NOT NULL,
    field       text NOT NULL,
    reason      text NOT NULL,
    state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    FOREIGN KEY (page_run_id, section, row_no, field)
        REFERENCES field_value (page_run_id, section, row_no, field) ON DELETE CASCADE,
    UNIQUE (page_run_id, section, row_no, field)
);
CREATE INDEX review_item_open_idx ON review_item (page_run_id) WHERE state = 'open';

-- Values given by people: each import adds a version; the machine's reading stays in
-- field_value. The export shows the latest version.
CREATE TABLE value_version (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_run_id bigint NOT NULL,
    section     text NOT NULL,
    row_no      integer NOT NULL,
    field       text NOT NULL,
    version     integer NOT NULL CHECK (version >= 2), -- 1 is the machine's reading
    raw         text,
    value       text,
    reviewer    text,
    source      text,             -- the CSV file imported
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (page_run_id, section, row_no, field)
        REFERENCES field_value (page_run_id, section, row_no, field) ON DELETE CASCADE,
    UNIQUE (page_run_id, section, row_no, field, version)
);
