-- 010_search_refresh_once.sql — a loaded sheet's search row is written once, by the page's
-- transaction (src/store/records_save.c calls lr_search_refresh after its last COPY), not by
-- a trigger on each of the tables it fills: those three refreshed every sheet three times,
-- the first before it had any field. See docs/schema.md.
--
-- The triggers that stay: a reviewer's version (value_version) and an item's change of state
-- (review_item), which come after the load.

DROP TRIGGER record_sheet_search ON record_sheet;
DROP TRIGGER field_value_search ON field_value;
DROP TRIGGER review_item_search_ins ON review_item;
