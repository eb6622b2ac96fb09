-- +goose Up
-- The public signposting pages (where to report, who does what, the
-- Community Trigger): every save is a new version, never an edit, so the
-- history of what the public was told is kept. The page shows the highest
-- version of its slug.
CREATE TABLE public_page_versions (
    slug       TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,   -- plain paragraphs or the safe Markdown subset
    created_by TEXT NULL REFERENCES users (id) ON DELETE SET NULL, -- NULL: the built-in text
    created_at DATETIME NOT NULL,
    PRIMARY KEY (slug, version)
);

-- +goose Down
DROP TABLE public_page_versions;
