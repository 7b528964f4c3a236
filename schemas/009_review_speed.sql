-- 009_review_speed.sql — a review decision refreshes one sheet's search row once, without
-- folding its OCR text again. See docs/web.md ("Search") and docs/benchmarks.md ("landrec serve
-- at 100,000 sheets").
--
-- Folding (lr_fold) costs some 20 µs a character; a page's file name and OCR text never change
-- once loaded, so their fold is kept (search_text_fold) and each refresh folds only the fields.
-- It is a table of its own: in sheet_search it would double the rows that a full-text search
-- reads. And a claim (an UPDATE of review_item that leaves its state) changes nothing search
-- shows: only a change of state refreshes, row by row (a decision resolves one item).

CREATE TABLE search_text_fold (
    page_run_id bigint PRIMARY KEY REFERENCES record_sheet (page_run_id) ON DELETE CASCADE,
    fold        text NOT NULL
);
INSERT INTO search_text_fold
    SELECT r.page_run_id, lr_fold(concat_ws(' ', p.source_path, p.text))
    FROM record_sheet r JOIN page_run p ON p.id = r.page_run_id;

CREATE OR REPLACE FUNCTION lr_search_refresh(ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
INSERT INTO search_text_fold
    SELECT r.page_run_id, lr_fold(concat_ws(' ', p.source_path, p.text))
    FROM record_sheet r JOIN page_run p ON p.id = r.page_run_id
    WHERE r.page_run_id = ANY (ids)
    AND NOT EXISTS (SELECT 1 FROM search_text_fold t WHERE t.page_run_id = r.page_run_id)
    ON CONFLICT (page_run_id) DO NOTHING;
INSERT INTO sheet_search AS s (page_run_id, location, lot, owners, min_date, max_date, nopen,
    loc_fold, owner_fold, doc_fold)
SELECT r.page_run_id, x.location, x.lot, x.owners, x.min_date, x.max_date,
       (SELECT count(*) FROM review_item ri WHERE ri.page_run_id = r.page_run_id
        AND ri.state = 'open'),
       coalesce(lr_fold(x.location), ''), coalesce(lr_fold(x.owners), ''),
       concat(lr_fold(concat_ws(' ', x.location, x.lot, r.current_lot, x.owners, x.everything)),
              t.fold)
FROM record_sheet r JOIN search_text_fold t ON t.page_run_id = r.page_run_id,
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

CREATE FUNCTION lr_search_on_state() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM lr_search_refresh(ARRAY[NEW.page_run_id]);
    RETURN NULL;
END $$;

DROP TRIGGER review_item_search_upd ON review_item;
CREATE TRIGGER review_item_search_state AFTER UPDATE OF state ON review_item FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION lr_search_on_state();
