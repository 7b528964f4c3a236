-- 005_parcel_ids.sql — the parcel's modern identifiers, where the sheet gives them: the
-- 법정동코드 its location resolves to in the gazetteer (data/gazetteer.tsv, docs/gazetteer.md)
-- and the PNU built from that code and the lot. See docs/schema.md and docs/records.md.
--
-- Both are NULL when the location does not resolve to a unit that has a code (a 京城府 町,
-- a 面 or 里 the code list lacks), and the PNU when the lot is not one lot. A sheet loaded
-- before this migration has NULL in both.

ALTER TABLE record_sheet
    ADD COLUMN legal_dong text CHECK (legal_dong ~ '^[0-9]{10}$'),
    ADD COLUMN pnu text CHECK (pnu ~ '^[0-9]{10}[12][0-9]{8}$');
CREATE INDEX record_sheet_pnu_idx ON record_sheet (pnu) WHERE pnu IS NOT NULL;
