package db

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

// Subject access and erasure need "every table that names the member", read
// from the schema itself so that a table added later is covered without
// anyone remembering to list it here.

// secretColumns are never exported: they are hashes of secrets, of no use to
// the person and a risk if the export leaks.
var secretColumns = map[string]bool{"password_hash": true, "token_hash": true}

// MemberTables lists, in name order, every table with a member_id column.
func (s *Store) MemberTables(ctx context.Context) ([]string, error) {
	var names []string
	var err error
	if s.dialect == Postgres {
		err = s.db(ctx).Raw(`SELECT table_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name = 'member_id'`).Scan(&names).Error
	} else {
		err = s.db(ctx).Raw(`SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
			WHERE m.type = 'table' AND c.name = 'member_id'`).Scan(&names).Error
	}
	sort.Strings(names)
	return names, translate(err)
}

// RowsWhere returns every row of table whose column equals value, as column
// → value maps, secret columns left out and bytes as text. table and column
// must come from the schema (MemberTables), never from a caller.
func (s *Store) RowsWhere(ctx context.Context, table, column string, value any) ([]map[string]any, error) {
	var rows []map[string]any
	q := `SELECT * FROM "` + strings.ReplaceAll(table, `"`, ``) + `" WHERE "` + strings.ReplaceAll(column, `"`, ``) + `" = ?`
	if err := s.db(ctx).Raw(q, value).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		for k, v := range r {
			if secretColumns[k] {
				delete(r, k)
				continue
			}
			if b, ok := v.([]byte); ok {
				r[k] = string(b)
			}
		}
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	return rows, nil
}

// LoginAttempts returns the sign-in attempts made with an email, any case.
func (s *Store) LoginAttempts(ctx context.Context, email string) ([]map[string]any, error) {
	var rows []map[string]any
	err := s.db(ctx).Raw(`SELECT kind, email, address, succeeded, at FROM login_attempts WHERE lower(email) = lower(?) ORDER BY at`, email).Scan(&rows).Error
	if rows == nil {
		rows = []map[string]any{}
	}
	return rows, translate(err)
}

// UsersOfMember returns the accounts that sign in as a member.
func (s *Store) UsersOfMember(ctx context.Context, memberID string) ([]domain.User, error) {
	var rows []userRow
	if err := s.db(ctx).Where("member_id = ?", memberID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.User, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// AnonymiseUser replaces an account's email and name, removes its password
// and disables it.
func (s *Store) AnonymiseUser(ctx context.Context, id, email, name string, at time.Time) error {
	return translate(s.db(ctx).Exec(`UPDATE users SET email = ?, name = ?, password_hash = '', disabled_at = ?, updated_at = ? WHERE id = ?`,
		email, name, at.UTC(), at.UTC(), id).Error)
}

// ForgetLoginAttempts removes the sign-in attempts made with an email.
func (s *Store) ForgetLoginAttempts(ctx context.Context, email string) error {
	return translate(s.db(ctx).Exec(`DELETE FROM login_attempts WHERE lower(email) = lower(?)`, email).Error)
}

// DeleteMemberHoldings removes a member's skills, clearances, availability
// and leave, and reports how many rows of each went.
func (s *Store) DeleteMemberHoldings(ctx context.Context, memberID string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, table := range []string{"member_skills", "clearances", "availability", "leave", "emergency_contacts"} {
		res := s.db(ctx).Exec(`DELETE FROM "`+table+`" WHERE member_id = ?`, memberID)
		if res.Error != nil {
			return nil, translate(res.Error)
		}
		out[table] = res.RowsAffected
	}
	return out, nil
}

// ScrubText replaces a personal value wherever free text may have copied
// it: booking cancel reasons, match-run snapshots and expense notes. Stored answers of
// idempotent requests that hold it are forgotten (a retry is then answered
// afresh).
func (s *Store) ScrubText(ctx context.Context, old, replacement string) error {
	if len(strings.TrimSpace(old)) < 3 {
		return nil // too short to replace without mangling unrelated text
	}
	for _, stmt := range []string{
		`UPDATE bookings SET cancel_reason = replace(cancel_reason, ?, ?) WHERE cancel_reason LIKE '%' || ? || '%'`,
		`UPDATE match_runs SET proposals = replace(proposals, ?, ?) WHERE proposals LIKE '%' || ? || '%'`,
		`UPDATE expenses SET note = replace(note, ?, ?) WHERE note LIKE '%' || ? || '%'`,
	} {
		if err := s.db(ctx).Exec(stmt, old, replacement, old).Error; err != nil {
			return translate(err)
		}
	}
	var keys []struct {
		UserID   string
		Key      string
		Response []byte
	}
	if err := s.db(ctx).Raw(`SELECT user_id, key, response FROM idempotency_keys WHERE response IS NOT NULL`).Scan(&keys).Error; err != nil {
		return translate(err)
	}
	for _, k := range keys {
		if bytes.Contains(k.Response, []byte(old)) {
			if err := s.ReleaseIdempotencyKey(ctx, k.UserID, k.Key); err != nil {
				return err
			}
		}
	}
	return nil
}
