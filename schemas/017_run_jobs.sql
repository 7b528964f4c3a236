-- 017_run_jobs.sql — "landrec run" on the work queue (docs/queue.md, "landrec run"): a run
-- enqueues its files' pages as jobs of its invocation, and its own workers claim only those.
-- Workers started with "landrec worker" take any job, a run's included.
ALTER TABLE job ADD COLUMN invocation_id bigint REFERENCES invocation (id) ON DELETE SET NULL;
-- A run's workers' claim and their "anything left?" count.
CREATE INDEX job_invocation_idx ON job (invocation_id, state) WHERE invocation_id IS NOT NULL;
-- A worker's lease, which it beats every third of: "landrec status" shows a worker silent for
-- a lease as such (killed, or cut off) rather than running.
ALTER TABLE worker ADD COLUMN lease_s real NOT NULL DEFAULT 60 CHECK (lease_s > 0);
