-- 018_qa_ruling.sql — a page's orientation may be decided by its ruled table before OSD runs
-- (docs/ocr.md, "The ruled table"): page_qa.orient_source takes 'ruling' too.
ALTER TABLE page_qa DROP CONSTRAINT page_qa_orient_source_check;
ALTER TABLE page_qa ADD CONSTRAINT page_qa_orient_source_check
    CHECK (orient_source IN ('osd', 'lines', 'ruling', 'unsure'));
