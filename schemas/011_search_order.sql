-- 011_search_order.sql — search answers from sheet_search alone, in the order it lists
-- (src/store/web_search.c, docs/web.md "Search"). See docs/benchmarks.md ("landrec serve at
-- 100,000 sheets").
--
-- sheet_search holds a row for the latest run of each page only (the runs search lists),
-- with that page's file name and number, so that a match costs one row: no lookup of its run,
-- no test that the run is the latest. An index in the order of the results (file name in
-- byte order, page) lets a search that matches thousands of sheets walk them in order and
-- stop when its page is full, rather than ordering every match.
--
-- The latest run of a page is the one with the greatest (updated_at, id), as in the exports.
-- A run becomes the latest when it is inserted, or when a failed run is done again (its
-- updated_at changes): then the rows of the page's older runs leave sheet_search (a trigger on
-- page_run), and lr_search_refresh writes the row of a run only while it is the latest.

ALTER TABLE sheet_search ADD COLUMN source text, ADD COLUMN page integer;
UPDATE sheet_search s SET source = p.source_path, page = p.page
    FROM page_run p WHERE p.id = s.page_run_id;
DELETE FROM sheet_search s USING page_run p
    WHERE p.id = s.page_run_id AND EXISTS (SELECT 1 FROM page_run n
        WHERE n.file_key = p.file_key AND n.page = p.page
        AND (n.updated_at, n.id) > (p.updated_at, p.id));
ALTER TABLE sheet_search ALTER COLUMN source SET NOT NULL, ALTER COLUMN page SET NOT NULL;
CREATE INDEX sheet_search_order_idx ON sheet_search ((source COLLATE "C"), page, page_run_id);

CREATE OR REPLACE FUNCTION lr_search_refresh(ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
INSERT INTO search_text_fold
    SELECT r.page_run_id, lr_fold(concat_ws(' ', p.source_path, p.text))
    FROM record_sheet r JOIN page_run p ON p.id = r.page_run_id
    WHERE r.page_run_id = ANY (ids)
    AND NOT EXISTS (SELECT 1 FROM search_text_fold t WHERE t.page_run_id = r.page_run_id)
    ON CONFLICT (page_run_id) DO NOTHING;
INSERT INTO sheet_search AS s (page_run_id, source, page, location, lot, owners, min_date,
    max_date, nopen, loc_fold, owner_fold, doc_fold)
SELECT r.page_run_id, p.source_path, p.page, x.location, x.lot, x.owners, x.min_date, x.max_date,
       (SELECT count(*) FROM review_item ri WHERE ri.page_run_id = r.page_run_id
        AND ri.state = 'open'),
       coalesce(lr_fold(x.location), ''), coalesce(lr_fold(x.owners), ''),
       concat(lr_fold(concat_ws(' ', x.location, x.lot, r.current_lot, x.owners, x.everything)),
              t.fold)
FROM record_sheet r JOIN search_text_fold t ON t.page_run_id = r.page_run_id
JOIN page_run p ON p.id = r.page_run_id,
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
AND NOT EXISTS (SELECT 1 FROM page_run n WHERE n.file_key = p.file_key AND n.page = p.page
    AND (n.updated_at, n.id) > (p.updated_at, p.id))
ON CONFLICT (page_run_id) DO UPDATE SET source = excluded.source, page = excluded.page,
    location = excluded.location, lot = excluded.lot,
    owners = excluded.owners, min_date = excluded.min_date, max_date = excluded.max_date,
    nopen = excluded.nopen, loc_fold = excluded.loc_fold, owner_fold = excluded.owner_fold,
    doc_fold = excluded.doc_fold;
$$;

CREATE FUNCTION lr_search_supersede() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM sheet_search s USING page_run o
        WHERE o.file_key = NEW.file_key AND o.page = NEW.page AND o.id <> NEW.id
        AND (o.updated_at, o.id) < (NEW.updated_at, NEW.id) AND s.page_run_id = o.id;
    RETURN NULL;
END $$;

CREATE TRIGGER page_run_supersede AFTER INSERT OR UPDATE OF updated_at ON page_run
    FOR EACH ROW EXECUTE FUNCTION lr_search_supersede();
