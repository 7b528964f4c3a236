-- 016_review_claims.sql — a reviewer's own live claim found by an index (src/store/web_review.c,
-- the claim's "mine"): without it every GET /api/review/next read the whole of review_item
-- (70-150 ms at 690,000 items), most of a review decision's round trip.
CREATE INDEX review_item_claimed_idx ON review_item (claimed_by, conf, id)
    WHERE state = 'open' AND claimed_by IS NOT NULL;
