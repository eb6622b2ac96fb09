-- +goose Up
-- A user's TOTP second factor (RFC 6238). The secret is sealed with AES-GCM
-- under a server key; last_step is the last time-step whose code was
-- accepted, so a code cannot be used twice. A factor counts once confirmed.
CREATE TABLE user_totp (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    last_step    BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ NULL
);

-- One-use recovery codes, stored as SHA-256 of the user's id and the code.
CREATE TABLE recovery_codes (
    id        TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- The step between a password and a code: the id is the SHA-256 of the
-- mfa_token handed out, which is spent by the first good code.
CREATE TABLE mfa_challenges (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ NULL
);

-- A token or session given to someone who must enrol a second factor and
-- has not: it reaches only enrolment until a factor is confirmed.
ALTER TABLE api_tokens ADD COLUMN enrolment_only BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE web_sessions ADD COLUMN enrolment_only BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE web_sessions DROP COLUMN enrolment_only;
ALTER TABLE api_tokens DROP COLUMN enrolment_only;
DROP TABLE mfa_challenges;
DROP TABLE recovery_codes;
DROP TABLE user_totp;
