-- The request log (issue 12): one row per finished HTTP exchange at the public edge, written in batches by the
-- server's request-log writer (never by an event loop), kept per tunnel up to --request-log-retention rows and
-- --request-log-max-age. Same portable style as V1-V3 except for the id: paging goes by a growing number, so
-- here the database assigns it. SQLite: INTEGER PRIMARY KEY is the rowid, assigned on insert (max + 1);
-- PostgreSQL: V4_1 turns the column into a BIGINT identity (one SQL file cannot say both).
CREATE TABLE request_log (
  id INTEGER PRIMARY KEY,
  -- when the exchange ended, epoch milliseconds
  at BIGINT NOT NULL,
  -- the tunnel's name (its subdomain) and the user who owned it then (users.name): a tunnel that is offline now
  -- still has an owner for the scope checks, and a name taken later by someone else shows them only their rows
  tunnel VARCHAR(128) NOT NULL,
  owner_name VARCHAR(254) NOT NULL,
  method VARCHAR(32) NOT NULL,
  -- path and query as received, cut at 2048 characters
  path VARCHAR(2048) NOT NULL,
  -- the status the visitor got, 0 when none was sent
  status INTEGER NOT NULL,
  duration_us BIGINT NOT NULL,
  -- body bytes towards the local service (in) and towards the visitor (out)
  bytes_in BIGINT NOT NULL,
  bytes_out BIGINT NOT NULL,
  -- the visitor's IP address
  remote_addr VARCHAR(64),
  -- why the local service's answer did not reach the visitor (an error kind's label), NULL when it did
  error VARCHAR(32)
);
-- a tunnel's page (newest first, before an id) and the per-tunnel count retention
CREATE INDEX request_log_tunnel_id ON request_log (tunnel, id);
-- the age retention
CREATE INDEX request_log_at ON request_log (at);
