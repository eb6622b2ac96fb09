-- +goose Up
-- The audit log: every change, every read of vetting data and every
-- subject-access export, written in the same transaction as what it records.
-- It is append-only: the trigger below refuses UPDATE, DELETE and TRUNCATE,
-- with one exception — erasure may blank the address of a person's requests
-- and change nothing else. Personal values are never stored in before/after
-- (a member's fields are held by reference: member_id and the names of the
-- fields changed), so erasure needs no editing of history.
CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_user_id TEXT NULL,                 -- NULL: the command line or the system
    actor_label   TEXT NOT NULL DEFAULT '',  -- the actor's roles, never their name
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL DEFAULT '',
    member_id     TEXT NULL,                 -- the member the entry is about, if any
    before        JSON NULL,
    after         JSON NULL,
    request_id    TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id);
CREATE INDEX audit_log_member ON audit_log (member_id);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id = OLD.id AND NEW.at = OLD.at
           AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
           AND NEW.actor_label = OLD.actor_label AND NEW.action = OLD.action
           AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
           AND NEW.member_id IS NOT DISTINCT FROM OLD.member_id
           AND NEW.before::text IS NOT DISTINCT FROM OLD.before::text
           AND NEW.after::text IS NOT DISTINCT FROM OLD.after::text
           AND NEW.request_id = OLD.request_id
           AND NEW.address = '' THEN
            RETURN NEW; -- erasure's pseudonymisation: the address blanked, nothing else
        END IF;
    END IF;
    RAISE EXCEPTION 'rule:audit_append_only';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only;
