package db

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/copbank/copbank/domain"
)

type accountLinkRow struct {
	ID        string
	Purpose   string
	TokenHash string
	MemberID  *string
	UserID    *string
	CreatedBy *string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (accountLinkRow) TableName() string { return "account_links" }

func (r accountLinkRow) toDomain() domain.AccountLink {
	l := domain.AccountLink{ID: r.ID, Purpose: domain.LinkPurpose(r.Purpose), Hash: r.TokenHash,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), UsedAt: r.UsedAt}
	if r.MemberID != nil {
		l.MemberID = *r.MemberID
	}
	if r.UserID != nil {
		l.UserID = *r.UserID
	}
	if r.CreatedBy != nil {
		l.CreatedBy = *r.CreatedBy
	}
	return l
}

// CreateAccountLink stores an invitation or reset link (the hash, never the secret).
func (s *Store) CreateAccountLink(ctx context.Context, l domain.AccountLink) error {
	row := accountLinkRow{ID: l.ID, Purpose: string(l.Purpose), TokenHash: l.Hash, MemberID: nullable(l.MemberID),
		UserID: nullable(l.UserID), CreatedBy: nullable(l.CreatedBy), CreatedAt: l.CreatedAt.UTC(), ExpiresAt: l.ExpiresAt.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// AccountLinkByHash finds a link by the hash of its secret; on PostgreSQL the
// row is locked for the rest of the transaction.
func (s *Store) AccountLinkByHash(ctx context.Context, hash string) (domain.AccountLink, error) {
	q := s.db(ctx)
	if s.dialect == Postgres && s.inTx {
		q = q.Clauses(lockForUpdate)
	}
	var row accountLinkRow
	if err := q.Where("token_hash = ?", hash).Take(&row).Error; err != nil {
		return domain.AccountLink{}, translate(err)
	}
	return row.toDomain(), nil
}

// SpendAccountLink marks a link used. A link already spent (by a concurrent
// request) is a conflict: a link works once.
func (s *Store) SpendAccountLink(ctx context.Context, id string, at time.Time) error {
	res := s.db(ctx).Model(&accountLinkRow{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", at.UTC())
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.EConflict, "the link was used already")
	}
	return nil
}

// SpendLinksOf marks every unused link of a member or of accounts used, so
// that no older link outlives a password being set or an erasure.
func (s *Store) SpendLinksOf(ctx context.Context, memberID string, userIDs []string, at time.Time) error {
	q := s.db(ctx).Model(&accountLinkRow{}).Where("used_at IS NULL")
	switch {
	case memberID != "" && len(userIDs) > 0:
		q = q.Where("member_id = ? OR user_id IN ?", memberID, userIDs)
	case memberID != "":
		q = q.Where("member_id = ?", memberID)
	case len(userIDs) > 0:
		q = q.Where("user_id IN ?", userIDs)
	default:
		return nil
	}
	return translate(q.Update("used_at", at.UTC()).Error)
}

// SetUserPassword replaces an account's password hash.
func (s *Store) SetUserPassword(ctx context.Context, userID, hash string, at time.Time) error {
	return translate(s.db(ctx).Exec(`UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, at.UTC(), userID).Error)
}

// SetUserRoles replaces an account's roles.
func (s *Store) SetUserRoles(ctx context.Context, userID string, roles []domain.Role) error {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return translate(s.db(ctx).Exec(`UPDATE users SET roles = ? WHERE id = ?`, strings.Join(names, ","), userID).Error)
}

// Kinds of counted requests beside sign-ins (login_attempts.kind).
const (
	AttemptLogin = "login" // a sign-in
	AttemptReset = "reset" // a password-reset request
	AttemptLink  = "link"  // an invitation or reset link that did not work
)

// RecordAttempt notes a request of a kind that is rate limited; the counts
// are shared by every instance.
func (s *Store) RecordAttempt(ctx context.Context, kind, email, address string, at time.Time) error {
	return translate(s.db(ctx).Exec(`INSERT INTO login_attempts (email, address, succeeded, at, kind) VALUES (?, ?, ?, ?, ?)`,
		strings.ToLower(strings.TrimSpace(email)), address, false, at.UTC(), kind).Error)
}

// CountAttempts counts requests of a kind since `since`, for an email and for an address.
func (s *Store) CountAttempts(ctx context.Context, kind, email, address string, since time.Time) (byEmail, byAddress int64, err error) {
	q := s.db(ctx).Model(&loginAttemptRow{}).Where("kind = ? AND at >= ?", kind, since.UTC())
	if email != "" {
		if err = q.Session(&gorm.Session{}).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Count(&byEmail).Error; err != nil {
			return 0, 0, translate(err)
		}
	}
	err = q.Session(&gorm.Session{}).Where("address = ?", address).Count(&byAddress).Error
	return byEmail, byAddress, translate(err)
}
