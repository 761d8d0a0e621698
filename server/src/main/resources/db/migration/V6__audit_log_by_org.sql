-- An org admin pages through their org's audit entries (GET /api/audit: WHERE org_id = ? AND id < ? ORDER BY id
-- DESC): without this index every page scans the whole log from the newest entry.
CREATE INDEX audit_log_org_id ON audit_log (org_id, id);
