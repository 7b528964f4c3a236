-- 015_run_choice.sql — the run that stands for a page, chosen by a person ("landrec choose",
-- docs/queue.md "Reprocessing"): export, the records export, QA, review and search take a
-- page's latest choice instead of its latest run. Every choice is kept, with who made it and why;
-- the newest of a page is the one that counts.

CREATE TABLE run_choice (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_key    text NOT NULL,
    page        integer NOT NULL CHECK (page >= 1),
    page_run_id bigint NOT NULL REFERENCES page_run (id) ON DELETE CASCADE,
    chosen_by   text NOT NULL CHECK (chosen_by <> ''),
    why         text,
    chosen_at   timestamptz NOT NULL DEFAULT now()
);
-- The standing choice of a page, looked up once per run by the exports' ordering.
CREATE INDEX run_choice_page_idx ON run_choice (file_key, page, chosen_at DESC, id DESC);
CREATE INDEX run_choice_run_idx ON run_choice (page_run_id);

-- Search lists the run that stands too: a page's chosen run, else its latest. lr_standing_run is that rule in SQL, as
-- STORE_RUN_STANDS_ORDER (src/store/store_internal.h) is in the exports.
CREATE FUNCTION lr_standing_run(fk text, pg integer) RETURNS bigint
LANGUAGE sql STABLE AS $$
SELECT coalesce(
    (SELECT c.page_run_id FROM run_choice c WHERE c.file_key = fk AND c.page = pg
     ORDER BY c.chosen_at DESC, c.id DESC LIMIT 1),
    (SELECT n.id FROM page_run n WHERE n.file_key = fk AND n.page = pg
     ORDER BY n.updated_at DESC, n.id DESC LIMIT 1))
$$;

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
AND p.id = lr_standing_run(p.file_key, p.page)
ON CONFLICT (page_run_id) DO UPDATE SET source = excluded.source, page = excluded.page,
    location = excluded.location, lot = excluded.lot,
    owners = excluded.owners, min_date = excluded.min_date, max_date = excluded.max_date,
    nopen = excluded.nopen, loc_fold = excluded.loc_fold, owner_fold = excluded.owner_fold,
    doc_fold = excluded.doc_fold;
$$;


-- A run stored for a page leaves sheet_search with the page's runs that do not stand (all but
-- the new one, unless a choice keeps another).
CREATE OR REPLACE FUNCTION lr_search_supersede() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM sheet_search s USING page_run o
        WHERE o.file_key = NEW.file_key AND o.page = NEW.page AND s.page_run_id = o.id
        AND o.id <> lr_standing_run(NEW.file_key, NEW.page);
    RETURN NULL;
END $$;

-- A choice puts its run in sheet_search in place of the page's other runs.
CREATE FUNCTION lr_search_choice() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM sheet_search s USING page_run o
        WHERE o.file_key = NEW.file_key AND o.page = NEW.page AND s.page_run_id = o.id
        AND o.id <> NEW.page_run_id;
    PERFORM lr_search_refresh(ARRAY[NEW.page_run_id]);
    RETURN NULL;
END $$;

CREATE TRIGGER run_choice_search AFTER INSERT ON run_choice
    FOR EACH ROW EXECUTE FUNCTION lr_search_choice();
