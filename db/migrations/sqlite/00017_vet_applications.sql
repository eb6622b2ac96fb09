-- +goose Up
-- The VET Agency's recruitment: opportunities (published role profiles),
-- the public's applications to them, and each application's stage moves.
-- skills_gained and lived_experience hold comma-separated skill codes.
CREATE TABLE opportunities (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL CHECK (kind IN ('volunteer', 'bank_officer', 'mentor')),
    area_id       TEXT NOT NULL REFERENCES areas (id),
    min_vetting   TEXT NOT NULL DEFAULT '',
    skills_gained TEXT NOT NULL DEFAULT '',
    commitment    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX opportunities_area ON opportunities (area_id);
CREATE INDEX opportunities_status ON opportunities (status);

-- An application's personal columns (name … lived_experience) are
-- anonymised on erasure and by retention; token_hash is the SHA-256 of the
-- withdraw link's secret, which is never stored.
CREATE TABLE applications (
    id                  TEXT PRIMARY KEY,
    opportunity_id      TEXT NOT NULL REFERENCES opportunities (id),
    name                TEXT NOT NULL,
    email               TEXT NOT NULL,
    phone               TEXT NOT NULL DEFAULT '',
    postcode            TEXT NOT NULL DEFAULT '',
    motivation          TEXT NOT NULL DEFAULT '',
    lived_experience    TEXT NOT NULL DEFAULT '',
    stage               TEXT NOT NULL CHECK (stage IN ('submitted', 'screening', 'references', 'vetting',
                                                       'training', 'active', 'rejected', 'withdrawn')),
    stage_at            DATETIME NOT NULL,
    member_id           TEXT NULL REFERENCES members (id),
    token_hash          TEXT NULL UNIQUE,
    withdraw_expires_at DATETIME NULL,
    withdraw_used_at    DATETIME NULL,
    erased_at           DATETIME NULL,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL
);
CREATE INDEX applications_opportunity_stage ON applications (opportunity_id, stage);
CREATE INDEX applications_member ON applications (member_id);
CREATE INDEX applications_stage_at ON applications (stage, stage_at);

-- Every stage move: who (by_user_id, NULL for the applicant; by_label the
-- mover's roles), when, and the note.
CREATE TABLE application_stages (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    from_stage     TEXT NOT NULL DEFAULT '',
    to_stage       TEXT NOT NULL,
    by_user_id     TEXT NULL,
    by_label       TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    at             DATETIME NOT NULL
);
CREATE INDEX application_stages_application ON application_stages (application_id, at);

-- +goose Down
DROP TABLE application_stages;
DROP TABLE applications;
DROP TABLE opportunities;
