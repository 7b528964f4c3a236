-- bench_web_data.sql — makes N generated ledger sheets (default 100,000) from the sheets that
-- "landrec run" loaded into this database, for the web benchmark (tests/web/bench_web.c).
--
--   grep -v '^#' data/gazetteer.tsv | psql -X -v n=100000 -v ntrig=500 -f tests/web/bench_web_data.sql
--
-- Standard input is the gazetteer without its comment line: the places come from it. Run it as
-- the loading role (it owns the tables). Each generated sheet is a clone of one loaded sheet
-- (sheets with fields three times as often as those without), with its own file (source_file,
-- its own path and SHA-256), a run with the template's settings and status 'done', the OCR
-- text with the sheet's number added, and its fields with another place (Hanja where the
-- template's is Hanja, else the Hangul names of the gazetteer), lot ('1'..'5000', a third with
-- a sub-lot), owners (Hanja or Hangul surnames and given names) and dates (1912–1975). Flagged
-- fields get their open review item with the template's reason and confidence; the 'view'
-- derivative points at the template's view image, so that the sheet's image and thumbnail
-- are drawn. One sheet in ten gets the template's OCR words (the sheet view draws them): all
-- of them would be some 25 million rows for no different cost of one view.
--
-- sheet_search. The first ntrig sheets (default 500) are indexed as landrec indexes a sheet it
-- loads: lr_search_refresh once a sheet. That costs over ten milliseconds a sheet (lr_fold's
-- translate() over thousands of Hanja runs per character folded; a sheet folds its OCR text
-- and every field), most of an hour for 100,000, so the other sheets' search rows are written
-- directly from folds computed once per template, place and name. lr_fold works character by
-- character (NFKC, lower case, white space dropped, one character for one: a digit its Hangul
-- numeral), so the fold of a concatenation is the concatenation of the folds, and an ASCII
-- text's fold is its lower case with the digits translated; what lr_search_refresh would have
-- written is checked on a sample at the end (a NOTICE counts the rows that differ).
-- All of it is one transaction.
--
-- \timing shows each statement's time.

\set ON_ERROR_STOP on
\if :{?n}
\else
\set n 100000
\endif
\if :{?ntrig}
\else
\set ntrig 500
\endif
\timing on

BEGIN;
SELECT coalesce(max(id), 0) AS base FROM page_run \gset

-- The gazetteer (every column as text: empty parents and years stay empty strings).
CREATE TEMP TABLE gaz (id text, parent text, level text, hanja text, hangul text, yfrom text,
    yto text, legal_dong text, state text, source text) ON COMMIT DROP;
\copy gaz FROM pstdin WITH (FORMAT text, HEADER true)

-- A place's full name: the names of the units it lies in, from the province down. Hanja only
-- where every unit of the chain has its Hanja name.
CREATE TEMP TABLE place ON COMMIT DROP AS
WITH RECURSIVE up AS (
    SELECT g.id AS leaf, g.parent, g.hanja, g.hangul, 0 AS depth FROM gaz g
    WHERE g.level IN ('ri', 'dong', 'jeong', 'ga', 'myeon')
    UNION ALL
    SELECT up.leaf, p.parent, p.hanja, p.hangul, up.depth + 1 FROM up JOIN gaz p ON p.id = up.parent
)
SELECT leaf,
       CASE WHEN bool_and(hanja <> '') THEN string_agg(hanja, '' ORDER BY depth DESC) END AS hanja,
       CASE WHEN bool_and(hangul <> '') THEN string_agg(hangul, ' ' ORDER BY depth DESC) END
           AS hangul
FROM up GROUP BY leaf;
CREATE TEMP TABLE place_hanja ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY leaf) - 1 AS i, hanja AS name, lr_fold(hanja) AS fold
    FROM place WHERE hanja IS NOT NULL;
CREATE TEMP TABLE place_hangul ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY leaf) - 1 AS i, hangul AS name, lr_fold(hangul) AS fold
    FROM place WHERE hangul IS NOT NULL;
SELECT (SELECT count(*) FROM place_hanja) AS nhanja, (SELECT count(*) FROM place_hangul) AS nhangul
\gset

-- Surnames and given-name syllables, each with its Hangul reading (the sheets of the 1950s
-- write names in Hangul), and the folds of both.
CREATE TEMP TABLE surname ON COMMIT DROP AS
SELECT row_number() OVER () - 1 AS i, hanja, hangul, lr_fold(hanja) AS fhanja,
    lr_fold(hangul) AS fhangul FROM (VALUES
    ('金', '김'), ('李', '이'), ('朴', '박'), ('崔', '최'), ('鄭', '정'), ('姜', '강'),
    ('趙', '조'), ('尹', '윤'), ('張', '장'), ('林', '임'), ('韓', '한'), ('吳', '오'),
    ('徐', '서'), ('申', '신'), ('權', '권'), ('黃', '황'), ('安', '안'), ('宋', '송'),
    ('柳', '유'), ('洪', '홍'), ('全', '전'), ('高', '고'), ('文', '문'), ('梁', '양')) v (hanja, hangul);
CREATE TEMP TABLE given ON COMMIT DROP AS
SELECT row_number() OVER () - 1 AS i, hanja, hangul, lr_fold(hanja) AS fhanja,
    lr_fold(hangul) AS fhangul FROM (VALUES
    ('永', '영'), ('壽', '수'), ('正', '정'), ('植', '식'), ('哲', '철'), ('秀', '수'),
    ('在', '재'), ('元', '원'), ('東', '동'), ('錫', '석'), ('鎭', '진'), ('俊', '준'),
    ('成', '성'), ('浩', '호'), ('德', '덕'), ('萬', '만'), ('福', '복'), ('順', '순'),
    ('玉', '옥'), ('春', '춘'), ('吉', '길'), ('昌', '창'), ('根', '근'), ('泰', '태'),
    ('相', '상'), ('基', '기'), ('容', '용'), ('炳', '병'), ('鍾', '종'), ('淑', '숙')) v (hanja, hangul);
ALTER TABLE place_hanja ADD PRIMARY KEY (i);
ALTER TABLE place_hangul ADD PRIMARY KEY (i);
ALTER TABLE surname ADD PRIMARY KEY (i);
ALTER TABLE given ADD PRIMARY KEY (i);
ANALYZE place_hanja, place_hangul, surname, given;
SELECT (SELECT count(*) FROM surname) AS nsur, (SELECT count(*) FROM given) AS ngiv,
    lr_fold('산') AS san, lr_fold('0123456789') AS digits \gset

-- The templates: every loaded sheet; one with fields three times.
CREATE TEMP TABLE slot ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY r.page_run_id, g) - 1 AS i, r.page_run_id AS tmpl
FROM record_sheet r,
     generate_series(1, CASE WHEN EXISTS (SELECT 1 FROM field_value f
                                          WHERE f.page_run_id = r.page_run_id) THEN 3 ELSE 1 END) g;
SELECT count(*) AS nslots FROM slot \gset
-- Each template's OCR text and fields, folded once.
CREATE TEMP TABLE tmpl_text ON COMMIT DROP AS
SELECT p.id, coalesce(p.text, '') AS text, coalesce(lr_fold(p.text), '') AS fold,
    (SELECT count(*) FROM review_item ri WHERE ri.page_run_id = p.id AND ri.state = 'open')
        AS nopen
FROM page_run p WHERE p.id IN (SELECT tmpl FROM slot);
CREATE TEMP TABLE tmpl_field ON COMMIT DROP AS
SELECT f.*, lr_fold(f.raw) AS raw_fold, lr_fold(f.value) AS value_fold,
    CASE WHEN f.value IS NULL THEN NULL
         WHEN f.field IN ('location', 'name') AND f.value ~ '[一-鿿]' THEN f.field || '-hanja'
         WHEN f.field IN ('location', 'name') THEN f.field || '-hangul'
         WHEN f.field = 'lot' AND f.value LIKE '산%' THEN 'lot-san'
         WHEN f.field = 'lot' THEN 'lot'
         WHEN f.field = 'date' AND f.value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN 'date'
    END AS vary -- what is varied, and how
FROM field_value f WHERE f.page_run_id IN (SELECT tmpl FROM slot);

-- One row per generated sheet: its number k, run id, template, and the numbers its fields
-- are drawn from (hashint8: the same database gets the same sheets every time).
CREATE TEMP TABLE gen ON COMMIT DROP AS
SELECT k, :base + k AS id, s.tmpl,
       format('/archive/bench/%s/sheet-%s.tif', lpad((k / 1000)::text, 3, '0'),
              lpad(k::text, 6, '0')) AS path,
       encode(sha256(convert_to('landrec-bench-' || k, 'UTF8')), 'hex') AS sha,
       (hashint8(k * 16 + 1) & 2147483647) AS h1,
       (hashint8(k * 16 + 2) & 2147483647) AS h2,
       (hashint8(k * 16 + 3) & 2147483647) AS h3,
       (hashint8(k * 16 + 4) & 2147483647) AS h4
FROM generate_series(1, :n) k JOIN slot s ON s.i = k % :nslots;
ALTER TABLE gen ADD PRIMARY KEY (k);
CREATE INDEX ON gen (tmpl);
ANALYZE gen;

-- Every field of every generated sheet, with the folds of its raw reading and value. The
-- varied fields are written the same as read (raw = value).
\echo fields of the generated sheets
CREATE TEMP TABLE gen_field ON COMMIT DROP AS
SELECT g.k, g.id, f.section, f.row_no, f.field,
    CASE WHEN v.value IS DISTINCT FROM f.value THEN v.value ELSE f.raw END AS raw,
    v.value, f.conf, f.review, f.reason, f.reread, f.alternatives, f.x0, f.y0, f.x1, f.y1,
    CASE WHEN v.value IS DISTINCT FROM f.value THEN v.fold ELSE f.raw_fold END AS raw_fold,
    v.fold AS value_fold
FROM gen g JOIN tmpl_field f ON f.page_run_id = g.tmpl,
LATERAL (SELECT CASE f.vary
    WHEN 'location-hanja' THEN (SELECT ARRAY[name, fold] FROM place_hanja WHERE i = g.h1 % :nhanja)
    WHEN 'location-hangul' THEN
        (SELECT ARRAY[name, fold] FROM place_hangul WHERE i = g.h1 % :nhangul)
    WHEN 'lot' THEN
        (SELECT ARRAY[l, translate(l, '0123456789', :'digits')] FROM (SELECT (1 + g.h2 % 5000)::text
        || CASE WHEN g.h3 % 3 = 0 THEN '-' || (1 + g.h3 / 3 % 20)::text ELSE '' END) x (l))
    WHEN 'lot-san' THEN
        (SELECT ARRAY['산' || l, :'san' || translate(l, '0123456789', :'digits')] FROM (SELECT (1 + g.h2 % 5000)::text
        || CASE WHEN g.h3 % 3 = 0 THEN '-' || (1 + g.h3 / 3 % 20)::text ELSE '' END) x (l))
    WHEN 'name-hanja' THEN
        (SELECT ARRAY[s.hanja || a.hanja || b.hanja, s.fhanja || a.fhanja || b.fhanja]
         FROM surname s, given a, given b
         WHERE s.i = (g.h4 + f.row_no * 7) % :nsur AND a.i = (g.h4 / 7 + f.row_no) % :ngiv
         AND b.i = (g.h4 / 11 + f.row_no * 3) % :ngiv)
    WHEN 'name-hangul' THEN
        (SELECT ARRAY[s.hangul || a.hangul || b.hangul, s.fhangul || a.fhangul || b.fhangul]
         FROM surname s, given a, given b
         WHERE s.i = (g.h4 + f.row_no * 7) % :nsur AND a.i = (g.h4 / 7 + f.row_no) % :ngiv
         AND b.i = (g.h4 / 11 + f.row_no * 3) % :ngiv)
    WHEN 'date' THEN
        (SELECT ARRAY[d, translate(d, '0123456789', :'digits')] FROM (SELECT to_char(least(date '1912-01-01'
            + (g.h1 / 5000 % 23000)::int + f.row_no * 120
            + CASE f.section WHEN 'land' THEN 30 ELSE 0 END, date '1975-12-31'), 'YYYY-MM-DD'))
            x (d))
    ELSE ARRAY[f.value, f.value_fold] END AS r) v0,
LATERAL (SELECT v0.r[1] AS value, v0.r[2] AS fold) v;
CREATE INDEX ON gen_field (k);

\echo source_file, page_run, invocation, derivative, words
INSERT INTO source_file (sha256, size, first_path, first_path_raw)
SELECT g.sha, f.size, g.path, convert_to(g.path, 'UTF8')
FROM gen g JOIN page_run t ON t.id = g.tmpl JOIN source_file f ON f.sha256 = t.sha256;

INSERT INTO page_run (id, sha256, source_path, source_path_raw, page, page_count, settings_hash,
    status, attempts, width, height, bits_per_sample, samples_per_pixel, depth, colour,
    compression, dpi_x, dpi_y, dpi_assumed, warnings, orientation, orientation_conf, skew_deg,
    skew_conf, skew_applied, mean_conf, text, decode_ms, orient_ms, enhance_ms, ocr_ms, write_ms,
    load_ms, extract_ms)
OVERRIDING SYSTEM VALUE
SELECT g.id, g.sha, g.path, convert_to(g.path, 'UTF8'), t.page, t.page_count, t.settings_hash,
    'done', 1, t.width, t.height, t.bits_per_sample, t.samples_per_pixel, t.depth, t.colour,
    t.compression, t.dpi_x, t.dpi_y, t.dpi_assumed, t.warnings, t.orientation,
    t.orientation_conf, t.skew_deg, t.skew_conf, t.skew_applied, t.mean_conf,
    x.text || ' No. ' || g.k, t.decode_ms, t.orient_ms, t.enhance_ms, t.ocr_ms, t.write_ms,
    t.load_ms, t.extract_ms
FROM gen g JOIN page_run t ON t.id = g.tmpl JOIN tmpl_text x ON x.id = g.tmpl;
SELECT setval(pg_get_serial_sequence('page_run', 'id'), (SELECT max(id) FROM page_run));

INSERT INTO invocation (batch, args, settings_hash, host, finished_at, exit_status)
SELECT 'bench-generated', 'bench_web_data.sql', t.settings_hash, 'bench', now(), 0
FROM page_run t WHERE t.id = (SELECT min(tmpl) FROM gen)
RETURNING id AS inv \gset
INSERT INTO invocation_page (invocation_id, page_run_id, outcome)
SELECT :inv, g.id, 'done' FROM gen g;

INSERT INTO derivative (page_run_id, kind, path, path_raw, sha256, bytes)
SELECT g.id, d.kind, d.path, d.path_raw, d.sha256, d.bytes
FROM gen g JOIN derivative d ON d.page_run_id = g.tmpl AND d.kind = 'view';

INSERT INTO word (page_run_id, n, text, conf, x0, y0, x1, y1, block, par, line)
SELECT g.id, w.n, w.text, w.conf, w.x0, w.y0, w.x1, w.y1, w.block, w.par, w.line
FROM gen g JOIN word w ON w.page_run_id = g.tmpl WHERE g.k % 10 = 0;

-- The sheets' own rows: first the ntrig sheets, indexed for search as landrec indexes a sheet
-- it loads (lr_search_refresh once a sheet, 010_search_refresh_once.sql), then the rest, whose
-- search rows are written below from the folds.
\set part 'g.k <= ' :ntrig
\echo sheets 1..:ntrig, each indexed by lr_search_refresh
\ir bench_web_sheets.sql
SELECT count(lr_search_refresh(ARRAY[g.id])) FROM gen g WHERE g.k <= :ntrig;
\set part 'g.k > ' :ntrig
\echo the other sheets
\ir bench_web_sheets.sql

-- Their search rows, as lr_search_refresh (007_web.sql) writes them, from the folds.
\echo sheet_search of the other sheets
INSERT INTO search_text_fold (page_run_id, fold)
SELECT g.id, translate(lower(g.path), '0123456789', :'digits') || t.fold || 'no.'
    || translate(g.k::text, '0123456789', :'digits')
FROM gen g JOIN tmpl_text t ON t.id = g.tmpl WHERE g.k > :ntrig;
INSERT INTO sheet_search (page_run_id, source, page, location, lot, owners, min_date,
    max_date, nopen, loc_fold, owner_fold, doc_fold)
SELECT g.id, g.path, pr.page, x.location, x.lot, x.owners, x.min_date, x.max_date, t.nopen,
    coalesce(x.loc_fold, ''), coalesce(x.owner_fold, ''),
    coalesce(x.loc_fold, '') || coalesce(x.lot_fold, '') || coalesce(x.owner_fold, '')
    || coalesce(x.every_fold, '') || tf.fold
FROM gen g JOIN tmpl_text t ON t.id = g.tmpl JOIN page_run pr ON pr.id = g.id
JOIN search_text_fold tf ON tf.page_run_id = g.id
LEFT JOIN (SELECT f.k,
    max(f.value) FILTER (WHERE f.section = 'sheet' AND f.field = 'location') AS location,
    max(f.value_fold) FILTER (WHERE f.section = 'sheet' AND f.field = 'location') AS loc_fold,
    max(f.value) FILTER (WHERE f.section = 'sheet' AND f.field = 'lot') AS lot,
    max(f.value_fold) FILTER (WHERE f.section = 'sheet' AND f.field = 'lot') AS lot_fold,
    string_agg(f.value, ' / ' ORDER BY f.row_no)
        FILTER (WHERE f.section = 'owner' AND f.field = 'name') AS owners,
    string_agg(f.value_fold, '/' ORDER BY f.row_no)
        FILTER (WHERE f.section = 'owner' AND f.field = 'name' AND f.value IS NOT NULL)
        AS owner_fold,
    min(f.value::date) FILTER (WHERE f.field = 'date'
        AND f.value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') AS min_date,
    max(f.value::date) FILTER (WHERE f.field = 'date'
        AND f.value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') AS max_date,
    string_agg(f.raw_fold || coalesce(f.value_fold, ''), '') AS every_fold
    FROM gen_field f WHERE f.k > :ntrig GROUP BY f.k) x ON x.k = g.k
WHERE g.k > :ntrig;

-- The check: a sample of the directly written rows against what lr_search_refresh writes.
-- The order of the fields in doc_fold is the order the refresh happens to aggregate them in,
-- so doc_fold is compared as the sorted list of its characters.
\echo check against lr_search_refresh
CREATE TEMP TABLE direct ON COMMIT DROP AS
SELECT s.* FROM sheet_search s JOIN gen g ON g.id = s.page_run_id
WHERE g.k > :ntrig AND g.k % 500 = 7;
SELECT lr_search_refresh(ARRAY(SELECT page_run_id FROM direct));
CREATE FUNCTION pg_temp.sorted(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(c, '' ORDER BY c COLLATE "C") FROM regexp_split_to_table(t, '') c $$;
DO $$
DECLARE n bigint; bad bigint;
BEGIN
    SELECT count(*), count(*) FILTER (WHERE (d.source, d.page, d.location, d.lot, d.owners,
            d.min_date, d.max_date, d.nopen, d.loc_fold, d.owner_fold, pg_temp.sorted(d.doc_fold))
        IS DISTINCT FROM (s.source, s.page, s.location, s.lot, s.owners, s.min_date, s.max_date,
            s.nopen, s.loc_fold, s.owner_fold, pg_temp.sorted(s.doc_fold)))
    INTO n, bad FROM direct d JOIN sheet_search s USING (page_run_id);
    RAISE NOTICE 'search rows written directly that differ from lr_search_refresh''s: % of %',
        bad, n;
END $$;
COMMIT;

-- VACUUM as autovacuum would on a settled database: the visibility map lets search read
-- page_run's and sheet_search's indexes alone (008_search_speed.sql).
\echo vacuum analyze
VACUUM ANALYZE page_run, source_file, record_sheet, field_value, review_item, sheet_search, word,
    derivative, invocation, invocation_page, land_history, owner_history, parcel_lineage,
    value_version;
SELECT (SELECT count(*) FROM record_sheet) AS sheets, (SELECT count(*) FROM field_value) AS fields,
    (SELECT count(*) FROM review_item WHERE state = 'open') AS open_items,
    (SELECT count(*) FROM word) AS words, (SELECT count(*) FROM sheet_search) AS search_rows,
    pg_size_pretty(pg_database_size(current_database())) AS db_size;
