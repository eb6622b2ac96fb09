-- +goose Up
-- A demand may be marked lone working: those booked on its shifts book on
-- and off duty, and a missed off duty is followed up.
ALTER TABLE demands ADD COLUMN lone_working BOOLEAN NOT NULL DEFAULT FALSE;

-- A member's one emergency contact. It has no account; it is shown to the
-- coordinators of a shift only while a welfare alert for the member is open.
CREATE TABLE emergency_contacts (
    member_id  TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

-- On and off duty of one booking on a lone-working shift, and the welfare
-- reminder sent when off duty was late (reminded_at: the claim that makes
-- it go once).
CREATE TABLE duty_records (
    booking_id  TEXT PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
    on_duty_at  DATETIME NULL,
    on_lat      REAL NULL,
    on_lon      REAL NULL,
    off_duty_at DATETIME NULL,
    off_lat     REAL NULL,
    off_lon     REAL NULL,
    reminded_at DATETIME NULL
);

-- A welfare alert: off duty not recorded well after the planned end. One
-- per booking (the unique index is the claim that raises it once); open
-- until someone closes it with a note. notified_at: everyone who had to
-- hear of it has been told.
CREATE TABLE welfare_alerts (
    id             TEXT PRIMARY KEY,
    booking_id     TEXT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    member_id      TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    shift_id       TEXT NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    area_id        TEXT NOT NULL REFERENCES areas (id),
    planned_end    DATETIME NOT NULL,
    raised_at      DATETIME NOT NULL,
    notified_at    DATETIME NULL,
    contact_status TEXT NOT NULL DEFAULT '',
    closed_at      DATETIME NULL,
    closed_by      TEXT NULL,
    close_note     TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX welfare_alerts_booking ON welfare_alerts (booking_id);
CREATE INDEX welfare_alerts_member ON welfare_alerts (member_id);

-- +goose Down
DROP TABLE welfare_alerts;
DROP TABLE duty_records;
DROP TABLE emergency_contacts;
ALTER TABLE demands DROP COLUMN lone_working;
