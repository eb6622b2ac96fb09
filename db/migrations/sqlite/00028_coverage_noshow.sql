-- +goose Up
-- A member whose no-shows crossed the policy's line books themselves only
-- with a coordinator's approval until ends_at, unless lifted first. One row
-- per member: a later hold replaces an earlier one, and lifted_at stays so
-- that no-shows before the lift are not counted again.
CREATE TABLE approval_holds (
    member_id  TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    set_at     DATETIME NOT NULL,
    ends_at    DATETIME NOT NULL,
    lifted_at  DATETIME NULL,
    lifted_by  TEXT NULL
);

-- A neighbourhood's named local officer or PCSO and its weekly target of
-- bank and volunteer hours; either may be unset.
CREATE TABLE area_coverage (
    area_id          TEXT PRIMARY KEY REFERENCES areas (id) ON DELETE CASCADE,
    named_officer_id TEXT NULL REFERENCES members (id) ON DELETE SET NULL,
    hours_per_week   REAL NULL CHECK (hours_per_week >= 0),
    updated_at       DATETIME NOT NULL
);

-- +goose Down
DROP TABLE area_coverage;
DROP TABLE approval_holds;
