-- +goose Up
-- Handover offers: a member offers a confirmed booking to colleagues and the
-- first who passes every booking rule takes it. At most one open offer per
-- booking; starts_at is the shift's, when an open offer lapses.
CREATE TABLE handovers (
    id               TEXT PRIMARY KEY,
    booking_id       TEXT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    giver_id         TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    shift_id         TEXT NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    position_id      TEXT NOT NULL,
    starts_at        TIMESTAMPTZ NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'taken')),
    taker_id         TEXT NULL REFERENCES members (id) ON DELETE SET NULL,
    taken_booking_id TEXT NULL REFERENCES bookings (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX handovers_open_booking ON handovers (booking_id) WHERE status = 'open';
CREATE INDEX handovers_open_start ON handovers (starts_at, id) WHERE status = 'open';

-- Swap requests: the requester's booking for the partner's, made only when
-- the partner accepts and every rule passes for both.
CREATE TABLE swaps (
    id                  TEXT PRIMARY KEY,
    booking_id          TEXT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    with_booking_id     TEXT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    requester_id        TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    partner_id          TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    status              TEXT NOT NULL CHECK (status IN ('requested', 'accepted')),
    new_booking_id      TEXT NULL REFERENCES bookings (id) ON DELETE SET NULL,
    new_with_booking_id TEXT NULL REFERENCES bookings (id) ON DELETE SET NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX swaps_partner ON swaps (partner_id, id);

-- +goose Down
DROP TABLE swaps;
DROP TABLE handovers;
