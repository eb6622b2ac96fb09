-- +goose Up
-- Calendar feeds: an unguessable address per member (their bookings) or per
-- coordinator account (their areas' shifts). Only the SHA-256 of the token is
-- kept; a new token replaces the old one, which then stops working.
CREATE TABLE calendar_feeds (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('member', 'coordinator')),
    member_id  TEXT NULL REFERENCES members (id) ON DELETE CASCADE,
    user_id    TEXT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by TEXT NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'member' AND member_id IS NOT NULL AND user_id IS NULL)
        OR (kind = 'coordinator' AND user_id IS NOT NULL AND member_id IS NULL))
);
CREATE UNIQUE INDEX calendar_feeds_member ON calendar_feeds (member_id) WHERE kind = 'member';
CREATE UNIQUE INDEX calendar_feeds_user ON calendar_feeds (user_id) WHERE kind = 'coordinator';

-- A booking's revision for iCalendar's SEQUENCE: every change adds one.
ALTER TABLE bookings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE bookings DROP COLUMN sequence;
DROP TABLE calendar_feeds;
