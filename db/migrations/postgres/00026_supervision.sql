-- +goose Up
-- Conditional clearances and supervised places: a risk-assessed clearance
-- that counts only on positions allowing supervision. The clearance keeps at
-- most a reference to the vetting unit's own record, never the reason.
ALTER TABLE clearances DROP CONSTRAINT clearances_type_check;
ALTER TABLE clearances ADD CONSTRAINT clearances_type_check
    CHECK (type IN ('NPPV1', 'NPPV2', 'NPPV3', 'dbs_enhanced_children', 'dbs_enhanced_adults', 'conditional'));
ALTER TABLE clearances ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE positions ADD COLUMN supervision TEXT NOT NULL DEFAULT 'none' CHECK (supervision IN ('none', 'allowed'));

-- +goose Down
ALTER TABLE positions DROP COLUMN supervision;
ALTER TABLE clearances DROP COLUMN reference;
DELETE FROM clearances WHERE type = 'conditional';
ALTER TABLE clearances DROP CONSTRAINT clearances_type_check;
ALTER TABLE clearances ADD CONSTRAINT clearances_type_check
    CHECK (type IN ('NPPV1', 'NPPV2', 'NPPV3', 'dbs_enhanced_children', 'dbs_enhanced_adults'));
