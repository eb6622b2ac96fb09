-- +goose Up
-- A match run is its own durable job: a queued row is claimed by one
-- instance under a lease, and a run whose lease lapses (its process died) is
-- claimed again.
CREATE TABLE match_runs (
    id           TEXT PRIMARY KEY,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'applied')),
    params       TEXT NOT NULL,              -- JSON: areas, from, to, time_limit_ms, seed
    progress     DOUBLE PRECISION NOT NULL DEFAULT 0,
    metrics      TEXT NOT NULL DEFAULT '{}', -- JSON
    proposals    TEXT NOT NULL DEFAULT '[]', -- JSON
    open_places  TEXT NOT NULL DEFAULT '[]', -- JSON
    apply_report TEXT NOT NULL DEFAULT '{}', -- JSON
    error        TEXT NOT NULL DEFAULT '',
    created_by   TEXT NULL REFERENCES users (id),
    lease_owner  TEXT NOT NULL DEFAULT '',
    lease_until  TIMESTAMPTZ NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX match_runs_status ON match_runs (status, created_at);

-- +goose Down
DROP TABLE match_runs;
