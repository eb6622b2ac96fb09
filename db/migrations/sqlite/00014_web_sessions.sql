-- +goose Up
-- Web sessions of the server-rendered pages. The id is the SHA-256 of the
-- cookie's secret, never the secret itself. A session ends when revoked (sign
-- out, a disabled account, a reset password), 12 hours after it began, or 30
-- minutes after it was last used.
CREATE TABLE web_sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    revoked_at   DATETIME NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id) WHERE revoked_at IS NULL;

-- Keys the server makes for itself at first start, shared by every instance
-- (the pages' CSRF key).
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE server_keys;
DROP TABLE web_sessions;
