-- 013_qa.sql — what "landrec qa" reads of a batch without decoding its images again: the
-- measures the pipeline takes of each page it loads (page_qa), and every path under which a
-- run met each file (invocation_file), so that the same file delivered twice is seen. See
-- docs/qa.md and docs/schema.md.

-- Measured on the enhanced page when it is loaded (src/qa/measure.c); a page loaded before
-- has no row, and "landrec qa" measures it from its file.
CREATE TABLE page_qa (
    page_run_id        bigint PRIMARY KEY REFERENCES page_run (id) ON DELETE CASCADE,
    ink                real NOT NULL CHECK (ink BETWEEN 0 AND 1),      -- of the binary page
    edge_ink           real NOT NULL CHECK (edge_ink BETWEEN 0 AND 1), -- of its most touched edge
    edge               text CHECK (edge IN ('top', 'bottom', 'left', 'right')),
    phash              text NOT NULL CHECK (phash ~ '^[0-9a-f]{64}$'), -- 256-bit DCT hash
                                        -- of the binary page, in hex
    residual_skew      real NOT NULL,   -- degrees left in the enhanced page; 0: none measured
    residual_skew_conf real NOT NULL,
    orient_source      text CHECK (orient_source IN ('osd', 'lines', 'unsure')),
    orient_conf        real -- the confidence of what decided the orientation
);

-- Each path a run found a file under (the same content under two paths is one page_run).
CREATE TABLE invocation_file (
    invocation_id bigint NOT NULL REFERENCES invocation (id) ON DELETE CASCADE,
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    path          text NOT NULL,  -- display form
    path_raw      bytea NOT NULL, -- the path's bytes
    page_count    integer CHECK (page_count >= 0),
    PRIMARY KEY (invocation_id, path)
);
CREATE INDEX invocation_file_sha256_idx ON invocation_file (sha256);
