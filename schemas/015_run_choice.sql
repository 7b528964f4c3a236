-- 015_run_choice.sql — the run that stands for a page, chosen by a person ("landrec choose",
-- docs/queue.md "Reprocessing"): export, the records export, QA and review take a page's
-- latest choice instead of its latest run. Every choice is kept, with who made it and why;
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
