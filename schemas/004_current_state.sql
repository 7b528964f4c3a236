-- 004_current_state.sql — the parcel as it stands, and the history rows struck out. See
-- docs/records.md ("The parcel's current state") and docs/schema.md.
--
-- Where the form has no box for the category, area or grade, the parcel's value is the one of
-- the last land-history row in force (not struck out) that holds it: the row is recorded, and
-- the export reads that row's field, so a reviewed correction of the row is the parcel's too.
-- A merge or conversion entry that names the lot the parcel went into gives the current lot.
-- Rows written before this migration have no struck rows and no current state (NULL).

ALTER TABLE land_history ADD COLUMN struck boolean NOT NULL DEFAULT false;
ALTER TABLE owner_history ADD COLUMN struck boolean NOT NULL DEFAULT false;
ALTER TABLE record_sheet
    ADD COLUMN current_category_row integer CHECK (current_category_row >= 0),
    ADD COLUMN current_area_row integer CHECK (current_area_row >= 0),
    ADD COLUMN current_grade_row integer CHECK (current_grade_row >= 0),
    ADD COLUMN current_lot text,
    ADD COLUMN current_lot_row integer CHECK (current_lot_row >= 0);
