-- 003_raw_paths.sql — file paths kept losslessly: the bytes of each stored path beside the
-- text that shows it. See docs/schema.md ("Paths").
--
-- A POSIX path is any bytes but NUL (names from Korean systems are often CP949/EUC-KR); a text
-- column of a UTF-8 database takes valid UTF-8 only. So the text columns (page_run.source_path,
-- source_file.first_path, page_failure.source_path, derivative.path) hold the path's display
-- form, valid UTF-8 and injective (include/landrec/utf8.h): a backslash becomes "\\", a
-- control byte or a byte that is not UTF-8 becomes "\xHH", everything else is itself. The
-- bytea columns added here hold the bytes. page_run.file_key is built from the display form,
-- so two different paths never share a run key.
--
-- Rows written before this migration held the path itself, necessarily valid UTF-8: their
-- bytes are that text, and the text becomes the display form (it changes only where the path
-- holds a backslash or a control character). A bytea column is NULL only in a row written
-- afterwards by a landrec that predates this migration; its path is then its text's bytes.

ALTER TABLE page_run ADD COLUMN source_path_raw bytea;
ALTER TABLE source_file ADD COLUMN first_path_raw bytea;
ALTER TABLE page_failure ADD COLUMN source_path_raw bytea;
ALTER TABLE derivative ADD COLUMN path_raw bytea;

COMMENT ON COLUMN page_run.source_path IS 'display form of the path (valid UTF-8; \ as \\, control and non-UTF-8 bytes as \xHH)';
COMMENT ON COLUMN page_run.source_path_raw IS 'the path''s bytes';
COMMENT ON COLUMN source_file.first_path IS 'display form of the path (valid UTF-8; \ as \\, control and non-UTF-8 bytes as \xHH)';
COMMENT ON COLUMN source_file.first_path_raw IS 'the path''s bytes';
COMMENT ON COLUMN page_failure.source_path IS 'display form of the path (valid UTF-8; \ as \\, control and non-UTF-8 bytes as \xHH)';
COMMENT ON COLUMN page_failure.source_path_raw IS 'the path''s bytes';
COMMENT ON COLUMN derivative.path IS 'display form of the path (valid UTF-8; \ as \\, control and non-UTF-8 bytes as \xHH)';
COMMENT ON COLUMN derivative.path_raw IS 'the path''s bytes';

-- The display form of a path that is valid UTF-8 (all that earlier rows can hold), and whether
-- it differs from the path. Backslashes are written chr(92), whatever standard_conforming_strings
-- says. These live in this session only.
CREATE FUNCTION pg_temp.lr_display(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(CASE WHEN c = chr(92) THEN chr(92) || chr(92)
                           WHEN ascii(c) < 32 OR ascii(c) = 127
                               THEN chr(92) || 'x' || lpad(to_hex(ascii(c)), 2, '0')
                           ELSE c END, '' ORDER BY n)
    FROM regexp_split_to_table(p, '') WITH ORDINALITY AS t(c, n)
$$;
CREATE FUNCTION pg_temp.lr_escaped(p text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT strpos(p, chr(92)) > 0 OR p ~ ('[' || chr(1) || '-' || chr(31) || chr(127) || ']')
$$;

UPDATE page_run SET source_path_raw = convert_to(source_path, 'UTF8'),
    source_path = CASE WHEN pg_temp.lr_escaped(source_path)
                       THEN pg_temp.lr_display(source_path) ELSE source_path END;
UPDATE source_file SET first_path_raw = convert_to(first_path, 'UTF8'),
    first_path = CASE WHEN pg_temp.lr_escaped(first_path)
                      THEN pg_temp.lr_display(first_path) ELSE first_path END;
UPDATE page_failure SET source_path_raw = convert_to(source_path, 'UTF8'),
    source_path = CASE WHEN pg_temp.lr_escaped(source_path)
                       THEN pg_temp.lr_display(source_path) ELSE source_path END;
UPDATE derivative SET path_raw = convert_to(path, 'UTF8'),
    path = CASE WHEN pg_temp.lr_escaped(path) THEN pg_temp.lr_display(path) ELSE path END;

DROP FUNCTION pg_temp.lr_display(text);
DROP FUNCTION pg_temp.lr_escaped(text);
