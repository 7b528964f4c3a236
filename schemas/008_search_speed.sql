-- 008_search_speed.sql — indexes that let search (src/store/web_search.c) answer from an index
-- at 100,000 sheets and beyond, where 007's left it scanning every sheet. See docs/web.md
-- ("Search") and docs/benchmarks.md ("landrec serve at 100,000 sheets").

-- A lot finds its sub-lots ("23" finds "23-1": lot LIKE '23-%'): a prefix match, which a btree
-- serves only in pattern order (the database's collation is not C). It serves equality too.
CREATE INDEX sheet_search_lot_prefix_idx ON sheet_search (lot text_pattern_ops);

-- A lot also finds the sheets whose parcel went into it (record_sheet.current_lot).
CREATE INDEX record_sheet_current_lot_idx ON record_sheet (current_lot)
    WHERE current_lot IS NOT NULL;

-- A date range finds the sheets with any date in it: their [min_date, max_date] overlaps it.
-- Two one-sided conditions on a btree select half the table each; a range overlap (&&) on a
-- GiST index selects the answer, and with the run's id beside it, without reading the wide
-- rows. A sheet without dates has both NULL and is never found.
CREATE INDEX sheet_search_dates_gist_idx ON sheet_search
    USING gist (daterange(min_date, max_date, '[]')) INCLUDE (page_run_id)
    WHERE max_date IS NOT NULL;

-- Every sheet a search matches needs its page's path (the order of the results) and whether
-- its run is the latest of its page (page_run_latest_idx): read from this index alone, not
-- from page_run's wide rows, once VACUUM has marked the pages all-visible.
CREATE INDEX page_run_search_idx ON page_run (id) INCLUDE (file_key, page, updated_at,
    source_path);
