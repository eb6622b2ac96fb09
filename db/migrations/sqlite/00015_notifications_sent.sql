-- +goose Up
-- Every message the job queue sends, keyed by (event, recipient, channel) so
-- that a retried job sends it once. A row is written as 'sending' before the
-- channel is given the message and becomes 'sent' after; a retry that finds
-- 'sending' knows a crash fell between the two and logs the possible repeat.
CREATE TABLE notifications_sent (
    event      TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('sending', 'sent')),
    created_at DATETIME NOT NULL,
    sent_at    DATETIME NULL,
    PRIMARY KEY (event, recipient, channel)
);

-- +goose Down
DROP TABLE notifications_sent;
