-- 016_review_claims.sql — a reviewer's own live claim found by an index (src/store/web_review.c,
-- the claim's "mine"), which GET /api/review/next looks for first: otherwise every request
-- reads every open review item. See docs/benchmarks.md ("landrec serve at 100,000 sheets").
CREATE INDEX review_item_claimed_idx ON review_item (claimed_by, conf, id)
    WHERE state = 'open' AND claimed_by IS NOT NULL;
