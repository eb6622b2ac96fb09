-- +goose Up
-- Pay: who cancelled a booking decides whether a late cancellation is paid
-- (the force's is, the member's own is not).
ALTER TABLE bookings ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '' CHECK (cancelled_by IN ('', 'member', 'force'));
-- Reports read bookings by start, in order, without sorting them.
CREATE INDEX bookings_starts_at ON bookings (starts_at, id);

-- A band's rates: a new rate is a new row from a later date, so a shift
-- already worked keeps the rate of its local start date.
CREATE TABLE pay_rates (
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    rate_pence     BIGINT NOT NULL CHECK (rate_pence >= 0),
    effective_from TEXT NOT NULL, -- YYYY-MM-DD, local
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (code, effective_from)
);

-- One row. Multipliers are thousandths (1.3 is 1300) so pay is priced in integers.
CREATE TABLE pay_settings (
    id                                INTEGER PRIMARY KEY CHECK (id = 1),
    unsocial_multiplier               INTEGER NOT NULL CHECK (unsocial_multiplier >= 1000),
    weekend_multiplier                INTEGER NOT NULL CHECK (weekend_multiplier >= 1000),
    bank_holiday_multiplier           INTEGER NOT NULL CHECK (bank_holiday_multiplier >= 1000),
    late_cancel_hours                 INTEGER NOT NULL CHECK (late_cancel_hours >= 0),
    late_cancel_min_paid_hours        INTEGER NOT NULL CHECK (late_cancel_min_paid_hours >= 0),
    mileage_pence_per_mile            INTEGER NOT NULL CHECK (mileage_pence_per_mile >= 0),
    volunteer_notional_pence_per_hour INTEGER NOT NULL CHECK (volunteer_notional_pence_per_hour >= 0),
    updated_at                        TIMESTAMPTZ NOT NULL
);
INSERT INTO pay_settings VALUES (1, 1300, 1500, 2000, 24, 4, 45, 1500, now());

-- England and Wales bank holidays, substitute days included; admins add more.
CREATE TABLE bank_holidays (
    day  TEXT PRIMARY KEY, -- YYYY-MM-DD
    name TEXT NOT NULL
);
INSERT INTO bank_holidays (day, name) VALUES
    ('2026-01-01', 'New Year''s Day'),
    ('2026-04-03', 'Good Friday'),
    ('2026-04-06', 'Easter Monday'),
    ('2026-05-04', 'Early May bank holiday'),
    ('2026-05-25', 'Spring bank holiday'),
    ('2026-08-31', 'Summer bank holiday'),
    ('2026-12-25', 'Christmas Day'),
    ('2026-12-28', 'Boxing Day (substitute day)'),
    ('2027-01-01', 'New Year''s Day'),
    ('2027-03-26', 'Good Friday'),
    ('2027-03-29', 'Easter Monday'),
    ('2027-05-03', 'Early May bank holiday'),
    ('2027-05-31', 'Spring bank holiday'),
    ('2027-08-30', 'Summer bank holiday'),
    ('2027-12-27', 'Christmas Day (substitute day)'),
    ('2027-12-28', 'Boxing Day (substitute day)'),
    ('2028-01-03', 'New Year''s Day (substitute day)'),
    ('2028-04-14', 'Good Friday'),
    ('2028-04-17', 'Easter Monday'),
    ('2028-05-01', 'Early May bank holiday'),
    ('2028-05-29', 'Spring bank holiday'),
    ('2028-08-28', 'Summer bank holiday'),
    ('2028-12-25', 'Christmas Day'),
    ('2028-12-26', 'Boxing Day'),
    ('2029-01-01', 'New Year''s Day'),
    ('2029-03-30', 'Good Friday'),
    ('2029-04-02', 'Easter Monday'),
    ('2029-05-07', 'Early May bank holiday'),
    ('2029-05-28', 'Spring bank holiday'),
    ('2029-08-27', 'Summer bank holiday'),
    ('2029-12-25', 'Christmas Day'),
    ('2029-12-26', 'Boxing Day'),
    ('2030-01-01', 'New Year''s Day'),
    ('2030-04-19', 'Good Friday'),
    ('2030-04-22', 'Easter Monday'),
    ('2030-05-06', 'Early May bank holiday'),
    ('2030-05-27', 'Spring bank holiday'),
    ('2030-08-26', 'Summer bank holiday'),
    ('2030-12-25', 'Christmas Day'),
    ('2030-12-26', 'Boxing Day');

-- A member's claim against a booking they attended; approved ones are paid
-- with the pay report.
CREATE TABLE expenses (
    id           TEXT PRIMARY KEY,
    booking_id   TEXT NOT NULL REFERENCES bookings (id),
    member_id    TEXT NOT NULL REFERENCES members (id),
    kind         TEXT NOT NULL CHECK (kind IN ('mileage', 'other')),
    miles        DOUBLE PRECISION NULL,
    amount_pence BIGINT NOT NULL CHECK (amount_pence >= 0),
    note         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('claimed', 'approved', 'rejected')),
    decided_by   TEXT NULL REFERENCES users (id) ON DELETE SET NULL,
    decided_at   TIMESTAMPTZ NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX expenses_booking ON expenses (booking_id);
CREATE INDEX expenses_member ON expenses (member_id);

-- +goose Down
DROP TABLE expenses;
DROP TABLE bank_holidays;
DROP TABLE pay_settings;
DROP TABLE pay_rates;
DROP INDEX bookings_starts_at;
ALTER TABLE bookings DROP COLUMN cancelled_by;
