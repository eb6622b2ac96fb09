-- +goose Up
-- The audit log: every change, every read of vetting data and every
-- subject-access export, written in the same transaction as what it records.
-- It is append-only: the triggers below refuse UPDATE and DELETE, with one
-- exception — erasure may blank the address of a person's requests and
-- change nothing else. Personal values are never stored in before/after (a
-- member's fields are held by reference: member_id and the names of the
-- fields changed), so erasure needs no editing of history.
CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    at            DATETIME NOT NULL,
    actor_user_id TEXT NULL,                 -- NULL: the command line or the system
    actor_label   TEXT NOT NULL DEFAULT '',  -- the actor's roles, never their name
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL DEFAULT '',
    member_id     TEXT NULL,                 -- the member the entry is about, if any
    before        TEXT NULL,                 -- JSON
    after         TEXT NULL,                 -- JSON
    request_id    TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id);
CREATE INDEX audit_log_member ON audit_log (member_id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'rule:audit_append_only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_user_id IS NOT OLD.actor_user_id
  OR NEW.actor_label IS NOT OLD.actor_label OR NEW.action IS NOT OLD.action
  OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id
  OR NEW.member_id IS NOT OLD.member_id OR NEW.before IS NOT OLD.before
  OR NEW.after IS NOT OLD.after OR NEW.request_id IS NOT OLD.request_id
  OR NEW.address <> ''
BEGIN
    SELECT RAISE(ABORT, 'rule:audit_append_only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
