-- bench_web_sheets.sql — the generated sheets' own rows (record_sheet, the history rows,
-- lineage, fields, review items) for the sheets of gen that :part selects; included twice by
-- bench_web_data.sql, once with the search triggers on and once with them off. One statement
-- a table, over all the sheets selected.

INSERT INTO record_sheet (page_run_id, doc_type, doc_type_forced, form, cells, cells_reread,
    nreview, current_category_row, current_area_row, current_grade_row, current_lot,
    current_lot_row, legal_dong, pnu)
SELECT g.id, r.doc_type, r.doc_type_forced, r.form, r.cells, r.cells_reread, r.nreview,
    r.current_category_row, r.current_area_row, r.current_grade_row, r.current_lot,
    r.current_lot_row, r.legal_dong, r.pnu
FROM gen g JOIN record_sheet r ON r.page_run_id = g.tmpl WHERE :part;

INSERT INTO land_history (page_run_id, row_no, struck)
SELECT g.id, h.row_no, h.struck FROM gen g JOIN land_history h ON h.page_run_id = g.tmpl
WHERE :part;
INSERT INTO owner_history (page_run_id, row_no, struck)
SELECT g.id, h.row_no, h.struck FROM gen g JOIN owner_history h ON h.page_run_id = g.tmpl
WHERE :part;
INSERT INTO parcel_lineage (page_run_id, n, kind, from_lot, to_lot, row_no)
SELECT g.id, l.n, l.kind, l.from_lot, l.to_lot, l.row_no
FROM gen g JOIN parcel_lineage l ON l.page_run_id = g.tmpl WHERE :part;

INSERT INTO field_value (page_run_id, section, row_no, field, raw, value, conf, review, reason,
    reread, alternatives, x0, y0, x1, y1)
SELECT g.id, f.section, f.row_no, f.field, f.raw, f.value, f.conf, f.review, f.reason, f.reread,
    f.alternatives, f.x0, f.y0, f.x1, f.y1
FROM gen g JOIN gen_field f ON f.k = g.k WHERE :part;

INSERT INTO review_item (page_run_id, section, row_no, field, reason, conf)
SELECT g.id, ri.section, ri.row_no, ri.field, ri.reason, ri.conf
FROM gen g JOIN review_item ri ON ri.page_run_id = g.tmpl AND ri.state = 'open' WHERE :part;
