-- +goose Up
-- The force's defaults for every match run: one row, its weights a JSON
-- object of term → factor (a term left out weighs 1).
CREATE TABLE match_settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    weights    TEXT NOT NULL DEFAULT '{}',
    updated_by TEXT NULL REFERENCES users (id),
    updated_at DATETIME NOT NULL
);
-- Earlier runs are listed newest first, all of them or one person's.
CREATE INDEX match_runs_created ON match_runs (created_at, id);
CREATE INDEX match_runs_created_by ON match_runs (created_by, created_at, id);

-- +goose Down
DROP INDEX match_runs_created_by;
DROP INDEX match_runs_created;
DROP TABLE match_settings;
