-- +goose Up
-- Conditional clearances and supervised places: a risk-assessed clearance
-- that counts only on positions allowing supervision. The clearance keeps at
-- most a reference to the vetting unit's own record, never the reason.
-- SQLite cannot alter a CHECK constraint: the table is rebuilt (nothing
-- references clearances, so dropping the old one cascades nowhere).
CREATE TABLE clearances_new (
    id         TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    type       TEXT NOT NULL CHECK (type IN ('NPPV1', 'NPPV2', 'NPPV3', 'dbs_enhanced_children', 'dbs_enhanced_adults', 'conditional')),
    granted_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    reference  TEXT NOT NULL DEFAULT ''
);
INSERT INTO clearances_new (id, member_id, type, granted_on, expires_on, status, created_at, updated_at)
    SELECT id, member_id, type, granted_on, expires_on, status, created_at, updated_at FROM clearances;
DROP TABLE clearances;
ALTER TABLE clearances_new RENAME TO clearances;
CREATE INDEX clearances_member ON clearances (member_id);
ALTER TABLE positions ADD COLUMN supervision TEXT NOT NULL DEFAULT 'none' CHECK (supervision IN ('none', 'allowed'));

-- +goose Down
ALTER TABLE positions DROP COLUMN supervision;
CREATE TABLE clearances_old (
    id         TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    type       TEXT NOT NULL CHECK (type IN ('NPPV1', 'NPPV2', 'NPPV3', 'dbs_enhanced_children', 'dbs_enhanced_adults')),
    granted_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
INSERT INTO clearances_old SELECT id, member_id, type, granted_on, expires_on, status, created_at, updated_at
    FROM clearances WHERE type <> 'conditional';
DROP TABLE clearances;
ALTER TABLE clearances_old RENAME TO clearances;
CREATE INDEX clearances_member ON clearances (member_id);
