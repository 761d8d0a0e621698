-- Accounts (issue 12): organizations, users who sign in with a password and TOTP, dashboard sessions, recovery
-- codes and the audit log. Same portable style as V1: application-made VARCHAR ids, BIGINT epoch milliseconds,
-- no booleans (a nullable *_at column says whether and since when), so one file serves SQLite and PostgreSQL.

-- slug follows the subdomain rules (a member's tunnel NAME is published as NAME-SLUG.DOMAIN).
CREATE TABLE orgs (
  id VARCHAR(32) NOT NULL PRIMARY KEY,
  slug VARCHAR(63) NOT NULL UNIQUE,
  name VARCHAR(128) NOT NULL,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT
);

-- users.name stays what tokens point at and what tunnels show: the email for accounts made by `user create`,
-- the bare name for users made by `token create --user U` (these migrate to accounts without a password, with
-- email = name, and cannot sign in until `user passwd` sets one). The bootstrap user `admin` is the super admin.
ALTER TABLE users ADD COLUMN email VARCHAR(254);
ALTER TABLE users ADD COLUMN display_name VARCHAR(128);
ALTER TABLE users ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'org_user';
ALTER TABLE users ADD COLUMN org_id VARCHAR(32) REFERENCES orgs (id);
-- PHC string ($argon2id$v=19$m=...,t=...,p=...$SALT$HASH); NULL: no password, no sign-in.
ALTER TABLE users ADD COLUMN password_hash VARCHAR(256);
-- Base32 TOTP secret; set by /api/2fa/setup, in force once totp_enabled_at is set by /api/2fa/verify.
ALTER TABLE users ADD COLUMN totp_secret VARCHAR(64);
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
-- The last 30-second step whose code was accepted: a code (and any older one) is usable once.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE users ADD COLUMN disabled_at BIGINT;

UPDATE users SET email = name;
UPDATE users SET role = 'super_admin' WHERE name = 'admin';
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_org_id ON users (org_id);

-- A dashboard session: id_hash is the SHA-256 (hex) of the cookie's value, which is never stored.
CREATE TABLE sessions (
  id_hash VARCHAR(64) NOT NULL PRIMARY KEY,
  user_id VARCHAR(32) NOT NULL REFERENCES users (id),
  csrf_token VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- One-time codes that stand in for a TOTP code; SHA-256 (hex) of the code, shown to the user once.
CREATE TABLE recovery_codes (
  user_id VARCHAR(32) NOT NULL REFERENCES users (id),
  code_hash VARCHAR(64) NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (user_id, code_hash)
);

-- Who did what, when and from where: sign-ins (also failed ones), user/org/token changes, tunnel stops.
CREATE TABLE audit_log (
  id VARCHAR(32) NOT NULL PRIMARY KEY,
  at BIGINT NOT NULL,
  actor VARCHAR(254),
  action VARCHAR(64) NOT NULL,
  target VARCHAR(254),
  org_id VARCHAR(32),
  address VARCHAR(64),
  detail VARCHAR(512)
);
CREATE INDEX audit_log_at ON audit_log (at);
