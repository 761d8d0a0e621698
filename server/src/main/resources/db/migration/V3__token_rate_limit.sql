-- Per-token override of the edge's requests-per-second limit (grok-server token create NAME --rate-limit RPS).
-- NULL: the server's default (--rate-limit); 0: unlimited. Portable: plain ADD COLUMN, one per statement.
ALTER TABLE tokens ADD COLUMN rate_limit_rps INTEGER;
ALTER TABLE tokens ADD COLUMN rate_limit_burst INTEGER;
