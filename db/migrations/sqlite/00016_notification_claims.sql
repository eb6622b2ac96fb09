-- +goose Up
-- When a 'sending' row was claimed. A claim younger than the lease belongs
-- to a worker sending now, and another worker leaves the message to it; an
-- older one was left by a crash, and the message is sent again (logged).
ALTER TABLE notifications_sent ADD COLUMN claimed_at DATETIME NULL;

-- +goose Down
ALTER TABLE notifications_sent DROP COLUMN claimed_at;
