-- +goose Up
-- Invitation and password-reset links: single use, expiring, and stored only
-- as the SHA-256 of their secret, so a leaked table yields no usable link.
-- An invitation names the member it makes an account for; a reset names the
-- account. used_at is set once, in the transaction that spends the link.
CREATE TABLE account_links (
    id         TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    token_hash TEXT NOT NULL UNIQUE,
    member_id  TEXT NULL REFERENCES members (id),
    user_id    TEXT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by TEXT NULL,                    -- the inviting user; NULL for a reset
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME NULL
);
CREATE INDEX account_links_member ON account_links (member_id);
CREATE INDEX account_links_user ON account_links (user_id);

-- Password-reset requests and spent-link failures are counted beside the
-- sign-in attempts, in the database, so every instance shares the limits.
ALTER TABLE login_attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'login';
CREATE INDEX login_attempts_kind_at ON login_attempts (kind, at);

-- +goose Down
DROP INDEX login_attempts_kind_at;
ALTER TABLE login_attempts DROP COLUMN kind;
DROP TABLE account_links;
