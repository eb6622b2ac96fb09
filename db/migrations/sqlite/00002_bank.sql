-- +goose Up
CREATE TABLE areas (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('force', 'local_authority', 'hub', 'neighbourhood')),
    parent_id  TEXT NULL REFERENCES areas (id),
    -- '/<root id>/…/<own id>/': "in area X" is a prefix match on X's path
    path       TEXT NOT NULL,
    lat        REAL NULL,
    lon        REAL NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX areas_path ON areas (path);

CREATE TABLE user_areas (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    area_id TEXT NOT NULL REFERENCES areas (id),
    PRIMARY KEY (user_id, area_id)
);

CREATE TABLE skills (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    valid_months INTEGER NULL CHECK (valid_months > 0),
    created_at   DATETIME NOT NULL
);

CREATE TABLE members (
    id                        TEXT PRIMARY KEY,
    name                      TEXT NOT NULL,
    email                     TEXT NOT NULL,
    phone                     TEXT NOT NULL DEFAULT '',
    kinds                     TEXT NOT NULL, -- comma-separated, non-empty
    home_area_id              TEXT NOT NULL REFERENCES areas (id),
    lat                       REAL NULL,
    lon                       REAL NULL,
    travel_km                 REAL NOT NULL,
    max_hours_per_week        REAL NOT NULL,
    contracted_hours_per_week REAL NOT NULL DEFAULT 0,
    min_rest_hours            REAL NOT NULL,
    status                    TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'archived')),
    max_shifts_per_week       INTEGER NULL,
    max_consecutive_days      INTEGER NULL,
    min_days_off_between_runs INTEGER NULL,
    max_weekends_per_4_weeks  INTEGER NULL,
    target_hours_per_4_weeks  REAL NULL,
    -- JSON: {"areas": [codes], "days_on": [...], "days_off": [...], ...}
    preferences               TEXT NOT NULL DEFAULT '{}',
    created_at                DATETIME NOT NULL,
    updated_at                DATETIME NOT NULL
);
CREATE UNIQUE INDEX members_email_key ON members (lower(email));
CREATE INDEX members_home_area ON members (home_area_id);

-- SQLite cannot add a foreign key to an existing table; users.member_id is checked by the app.

CREATE TABLE member_skills (
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    skill_id    TEXT NOT NULL REFERENCES skills (id),
    obtained_on TEXT NOT NULL, -- YYYY-MM-DD
    expires_on  TEXT NULL,     -- YYYY-MM-DD, first day no longer held
    PRIMARY KEY (member_id, skill_id)
);

CREATE TABLE clearances (
    id         TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    type       TEXT NOT NULL CHECK (type IN ('NPPV1', 'NPPV2', 'NPPV3', 'dbs_enhanced_children', 'dbs_enhanced_adults')),
    granted_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX clearances_member ON clearances (member_id);

CREATE TABLE availability (
    id               TEXT PRIMARY KEY,
    member_id        TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    start_local      TEXT NOT NULL, -- YYYY-MM-DDTHH:MM
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    timezone         TEXT NOT NULL,
    rrule            TEXT NOT NULL DEFAULT '',
    until            TEXT NULL,
    created_at       DATETIME NOT NULL
);
CREATE INDEX availability_member ON availability (member_id);

CREATE TABLE leave (
    id         TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    from_date  TEXT NOT NULL,
    to_date    TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    CHECK (to_date >= from_date)
);
CREATE INDEX leave_member ON leave (member_id);

CREATE TABLE demands (
    id                   TEXT PRIMARY KEY,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    problem_type         TEXT NOT NULL,
    area_id              TEXT NOT NULL REFERENCES areas (id),
    location_description TEXT NOT NULL DEFAULT '',
    location_lat         REAL NULL,
    location_lon         REAL NULL,
    briefing             TEXT NOT NULL DEFAULT '',
    priority             INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    booking_mode         TEXT NOT NULL CHECK (booking_mode IN ('open', 'approval', 'assigned')),
    mentee_ref           TEXT NOT NULL DEFAULT '',
    timezone             TEXT NOT NULL,
    start_local          TEXT NOT NULL,
    end_local            TEXT NOT NULL,
    rrule                TEXT NOT NULL DEFAULT '',
    exdates              TEXT NOT NULL DEFAULT '[]', -- JSON list of wall times
    status               TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
    created_by           TEXT NULL REFERENCES users (id),
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);
CREATE INDEX demands_area ON demands (area_id);

CREATE TABLE positions (
    id            TEXT PRIMARY KEY,
    demand_id     TEXT NOT NULL REFERENCES demands (id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    name          TEXT NOT NULL,
    kinds         TEXT NOT NULL,            -- comma-separated
    skills        TEXT NOT NULL DEFAULT '', -- comma-separated skill codes, all required
    min_vetting   TEXT NOT NULL CHECK (min_vetting IN ('none', 'NPPV1', 'NPPV2', 'NPPV3')),
    dbs           TEXT NOT NULL DEFAULT '', -- comma-separated DBS types, all required
    headcount     INTEGER NOT NULL CHECK (headcount >= 1),
    min_headcount INTEGER NULL,
    pay_band      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX positions_demand ON positions (demand_id);

CREATE TABLE shifts (
    id         TEXT PRIMARY KEY,
    demand_id  TEXT NOT NULL REFERENCES demands (id) ON DELETE CASCADE,
    area_id    TEXT NOT NULL REFERENCES areas (id),
    -- the occurrence's original local start: a series edit keeps its identity
    occurrence TEXT NOT NULL,
    starts_at  DATETIME NOT NULL,
    ends_at    DATETIME NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    CHECK (ends_at > starts_at),
    UNIQUE (demand_id, occurrence)
);
CREATE INDEX shifts_starts_at ON shifts (starts_at);
CREATE INDEX shifts_area_starts ON shifts (area_id, starts_at);

-- A position's places on one shift. Its row is the lock every booking of the
-- place takes, and it carries the headcount that invariant 1 is checked against.
CREATE TABLE shift_positions (
    shift_id    TEXT NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    position_id TEXT NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    headcount   INTEGER NOT NULL CHECK (headcount >= 1),
    PRIMARY KEY (shift_id, position_id)
);

CREATE TABLE bookings (
    id                 TEXT PRIMARY KEY,
    shift_id           TEXT NOT NULL,
    position_id        TEXT NOT NULL,
    member_id          TEXT NOT NULL REFERENCES members (id),
    status             TEXT NOT NULL CHECK (status IN ('offered', 'pending', 'confirmed', 'waitlisted', 'declined',
                                                       'expired', 'rejected', 'cancelled', 'attended', 'no_show')),
    -- copied from the shift (and moved with it) so the database can see overlap
    starts_at          DATETIME NOT NULL,
    ends_at            DATETIME NOT NULL,
    created_by         TEXT NULL REFERENCES users (id),
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    waitlisted_at      DATETIME NULL, -- joining order for the waitlist
    cancelled_at       DATETIME NULL,
    cancel_reason      TEXT NOT NULL DEFAULT '',
    late_cancel        BOOLEAN NOT NULL DEFAULT 0,
    attendance         TEXT NOT NULL DEFAULT '' CHECK (attendance IN ('', 'attended', 'no_show')),
    attendance_submitted BOOLEAN NOT NULL DEFAULT 0,
    actual_start       DATETIME NULL,
    actual_end         DATETIME NULL,
    FOREIGN KEY (shift_id, position_id) REFERENCES shift_positions (shift_id, position_id) ON DELETE CASCADE
);
-- invariant 3: one active or waitlisted booking per member and position
CREATE UNIQUE INDEX bookings_already_booked ON bookings (member_id, shift_id, position_id)
    WHERE status IN ('offered', 'pending', 'confirmed', 'waitlisted');
CREATE INDEX bookings_place ON bookings (shift_id, position_id, status);
CREATE INDEX bookings_member_time ON bookings (member_id, starts_at);

-- Every write transaction on SQLite holds the database's one write lock from
-- its first statement (BEGIN IMMEDIATE), so these triggers see every committed
-- booking and no other writer can slip in between check and insert.
-- invariant 1: active bookings never exceed the headcount
-- +goose StatementBegin
CREATE TRIGGER bookings_has_place_insert AFTER INSERT ON bookings
WHEN NEW.status IN ('offered', 'pending', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'rule:has_place')
     WHERE (SELECT count(*) FROM bookings
             WHERE shift_id = NEW.shift_id AND position_id = NEW.position_id
               AND status IN ('offered', 'pending', 'confirmed'))
         > (SELECT headcount FROM shift_positions
             WHERE shift_id = NEW.shift_id AND position_id = NEW.position_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER bookings_has_place_update AFTER UPDATE OF status ON bookings
WHEN NEW.status IN ('offered', 'pending', 'confirmed') AND OLD.status NOT IN ('offered', 'pending', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'rule:has_place')
     WHERE (SELECT count(*) FROM bookings
             WHERE shift_id = NEW.shift_id AND position_id = NEW.position_id
               AND status IN ('offered', 'pending', 'confirmed'))
         > (SELECT headcount FROM shift_positions
             WHERE shift_id = NEW.shift_id AND position_id = NEW.position_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER shift_positions_headcount BEFORE UPDATE OF headcount ON shift_positions
BEGIN
    SELECT RAISE(ABORT, 'rule:headcount_below_booked')
     WHERE NEW.headcount < (SELECT count(*) FROM bookings
                             WHERE shift_id = NEW.shift_id AND position_id = NEW.position_id
                               AND status IN ('offered', 'pending', 'confirmed'));
END;
-- +goose StatementEnd

-- invariant 2: a member's active bookings never overlap
-- +goose StatementBegin
CREATE TRIGGER bookings_no_overlap_insert AFTER INSERT ON bookings
WHEN NEW.status IN ('offered', 'pending', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'rule:no_overlap')
     WHERE EXISTS (SELECT 1 FROM bookings b
                    WHERE b.member_id = NEW.member_id AND b.id <> NEW.id
                      AND b.status IN ('offered', 'pending', 'confirmed')
                      AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER bookings_no_overlap_update AFTER UPDATE OF status, starts_at, ends_at ON bookings
WHEN NEW.status IN ('offered', 'pending', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'rule:no_overlap')
     WHERE EXISTS (SELECT 1 FROM bookings b
                    WHERE b.member_id = NEW.member_id AND b.id <> NEW.id
                      AND b.status IN ('offered', 'pending', 'confirmed')
                      AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at);
END;
-- +goose StatementEnd

CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL,
    key          TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code  INTEGER NULL, -- NULL while the first request is in flight
    content_type TEXT NOT NULL DEFAULT '',
    response     BLOB NULL,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE bookings;
DROP TABLE shift_positions;
DROP TABLE shifts;
DROP TABLE positions;
DROP TABLE demands;
DROP TABLE leave;
DROP TABLE availability;
DROP TABLE clearances;
DROP TABLE member_skills;
DROP TABLE members;
DROP TABLE skills;
DROP TABLE user_areas;
DROP TABLE areas;
