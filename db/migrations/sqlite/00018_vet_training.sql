-- +goose Up
-- Training: courses that grant a skill, their sessions, enrolment with a
-- waitlist; and pathways of ordered milestones.
CREATE TABLE courses (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    skill_id        TEXT NOT NULL REFERENCES skills (id),
    -- how long the granted skill stays valid; NULL: never expires
    validity_months INTEGER NULL CHECK (validity_months > 0),
    created_by      TEXT NULL REFERENCES users (id),
    created_at      DATETIME NOT NULL
);

-- One row per occurrence. Its row is the lock every enrolment of the session
-- takes, and it carries the capacity the place count is checked against.
CREATE TABLE course_sessions (
    id                TEXT PRIMARY KEY,
    course_id         TEXT NOT NULL REFERENCES courses (id),
    -- sessions posted together (one series) share it
    series_id         TEXT NOT NULL,
    -- the occurrence's original local start
    occurrence        TEXT NOT NULL,
    area_id           TEXT NOT NULL REFERENCES areas (id),
    location          TEXT NOT NULL DEFAULT '',
    trainer_member_id TEXT NULL REFERENCES members (id),
    timezone          TEXT NOT NULL,
    starts_at         DATETIME NOT NULL,
    ends_at           DATETIME NOT NULL,
    capacity          INTEGER NOT NULL CHECK (capacity >= 1),
    status            TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    created_by        TEXT NULL REFERENCES users (id),
    created_at        DATETIME NOT NULL,
    CHECK (ends_at > starts_at),
    UNIQUE (series_id, occurrence)
);
CREATE INDEX course_sessions_course ON course_sessions (course_id, starts_at);
CREATE INDEX course_sessions_area ON course_sessions (area_id, starts_at);

CREATE TABLE enrolments (
    id            TEXT PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES course_sessions (id),
    member_id     TEXT NOT NULL REFERENCES members (id),
    status        TEXT NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled', 'completed')),
    created_by    TEXT NULL REFERENCES users (id),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    waitlisted_at DATETIME NULL, -- joining order for the waitlist
    cancelled_at  DATETIME NULL,
    completed_at  DATETIME NULL,
    completed_by  TEXT NULL REFERENCES users (id)
);
-- one enrolled or waitlisted enrolment per member and session
CREATE UNIQUE INDEX enrolments_already_enrolled ON enrolments (member_id, session_id)
    WHERE status IN ('enrolled', 'waitlisted');
CREATE INDEX enrolments_session ON enrolments (session_id, status);
CREATE INDEX enrolments_member ON enrolments (member_id);

-- Enrolled and completed enrolments never exceed the session's capacity.
-- Every write transaction on SQLite holds the database's one write lock from
-- its first statement (BEGIN IMMEDIATE), so these triggers see every committed
-- enrolment and no other writer can slip in between check and insert.
-- +goose StatementBegin
CREATE TRIGGER enrolments_has_place_insert AFTER INSERT ON enrolments
WHEN NEW.status = 'enrolled'
BEGIN
    SELECT RAISE(ABORT, 'rule:has_place')
     WHERE (SELECT count(*) FROM enrolments
             WHERE session_id = NEW.session_id AND status IN ('enrolled', 'completed'))
         > (SELECT capacity FROM course_sessions WHERE id = NEW.session_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER enrolments_has_place_update AFTER UPDATE OF status, session_id ON enrolments
WHEN NEW.status = 'enrolled' AND (OLD.status NOT IN ('enrolled', 'completed') OR OLD.session_id <> NEW.session_id)
BEGIN
    SELECT RAISE(ABORT, 'rule:has_place')
     WHERE (SELECT count(*) FROM enrolments
             WHERE session_id = NEW.session_id AND status IN ('enrolled', 'completed'))
         > (SELECT capacity FROM course_sessions WHERE id = NEW.session_id);
END;
-- +goose StatementEnd

CREATE TABLE pathways (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_by TEXT NULL REFERENCES users (id),
    created_at DATETIME NOT NULL
);

CREATE TABLE pathway_milestones (
    pathway_id   TEXT NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('skill', 'course', 'hours')),
    skill_id     TEXT NULL REFERENCES skills (id),
    course_id    TEXT NULL REFERENCES courses (id),
    hours        REAL NULL CHECK (hours > 0),
    problem_type TEXT NOT NULL DEFAULT '', -- '' = attended hours of any problem type
    PRIMARY KEY (pathway_id, ordinal),
    CHECK ((kind = 'skill') = (skill_id IS NOT NULL)),
    CHECK ((kind = 'course') = (course_id IS NOT NULL)),
    CHECK ((kind = 'hours') = (hours IS NOT NULL))
);

-- +goose Down
DROP TABLE pathway_milestones;
DROP TABLE pathways;
DROP TABLE enrolments;
DROP TABLE course_sessions;
DROP TABLE courses;
