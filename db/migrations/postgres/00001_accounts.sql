-- +goose Up
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    -- comma-separated subset of admin, coordinator, member
    roles         TEXT NOT NULL DEFAULT '',
    member_id     TEXT NULL,
    disabled_at   TIMESTAMPTZ NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the bearer secret: a leaked table yields no usable token
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_attempts (
    id        BIGSERIAL PRIMARY KEY,
    email     TEXT NOT NULL,
    address   TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_email_at ON login_attempts (lower(email), at);
CREATE INDEX login_attempts_address_at ON login_attempts (address, at);

-- +goose Down
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE users;
