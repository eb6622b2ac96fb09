package db

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/copbank/copbank/domain"
)

type userRow struct {
	ID           string
	Email        string
	Name         string
	PasswordHash string
	Roles        string
	MemberID     *string
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func toUserRow(u domain.User) userRow {
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	return userRow{
		ID: u.ID, Email: u.Email, Name: u.Name, PasswordHash: u.PasswordHash,
		Roles: strings.Join(roles, ","), MemberID: nullable(u.MemberID),
		DisabledAt: u.DisabledAt, CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.CreatedAt.UTC(),
	}
}

func (r userRow) toDomain() domain.User {
	u := domain.User{
		ID: r.ID, Email: r.Email, Name: r.Name, PasswordHash: r.PasswordHash,
		DisabledAt: r.DisabledAt, CreatedAt: r.CreatedAt,
	}
	if r.MemberID != nil {
		u.MemberID = *r.MemberID
	}
	for _, s := range strings.Split(r.Roles, ",") {
		if role, ok := domain.ParseRole(s); ok {
			u.Roles = append(u.Roles, role)
		}
	}
	return u
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// CreateUser stores a new account. A taken email is a conflict naming "email".
func (s *Store) CreateUser(ctx context.Context, u domain.User) error {
	row := toUserRow(u)
	err := translate(s.db(ctx).Create(&row).Error)
	if domain.ErrorCode(err) == domain.EConflict {
		return &domain.Error{Code: domain.EConflict, Message: "an account with this email already exists",
			Fields: []domain.FieldError{{Field: "email", Message: "already in use"}}}
	}
	return err
}

// UserByEmail finds an account by email, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (domain.User, error) {
	var row userRow
	err := s.db(ctx).Where("lower(email) = ?", strings.ToLower(strings.TrimSpace(email))).Take(&row).Error
	if err != nil {
		return domain.User{}, translate(err)
	}
	return s.withAreas(ctx, row.toDomain())
}

// UserByID finds an account.
func (s *Store) UserByID(ctx context.Context, id string) (domain.User, error) {
	var row userRow
	if err := s.db(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return domain.User{}, translate(err)
	}
	return s.withAreas(ctx, row.toDomain())
}

// withAreas fills a coordinator's area scopes.
func (s *Store) withAreas(ctx context.Context, u domain.User) (domain.User, error) {
	var rows []areaRow
	err := s.db(ctx).Table("areas").Joins("JOIN user_areas ua ON ua.area_id = areas.id").
		Where("ua.user_id = ?", u.ID).Order("areas.code").Find(&rows).Error
	if err != nil {
		return u, translate(err)
	}
	for _, r := range rows {
		u.Areas = append(u.Areas, r.toDomain())
	}
	return u, nil
}

// SetUserAreas replaces a coordinator's area scopes.
func (s *Store) SetUserAreas(ctx context.Context, userID string, areaIDs []string) error {
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.db(ctx).Exec(`DELETE FROM user_areas WHERE user_id = ?`, userID).Error; err != nil {
			return err
		}
		for _, id := range areaIDs {
			if err := tx.db(ctx).Exec(`INSERT INTO user_areas (user_id, area_id) VALUES (?, ?)`, userID, id).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// LinkUserMember ties an account to the member record it signs in as.
func (s *Store) LinkUserMember(ctx context.Context, userID, memberID string) error {
	return translate(s.db(ctx).Model(&userRow{}).Where("id = ?", userID).Update("member_id", memberID).Error)
}

type tokenRow struct {
	ID            string
	UserID        string
	TokenHash     string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	RevokedAt     *time.Time
	EnrolmentOnly bool
}

func (tokenRow) TableName() string { return "api_tokens" }

// CreateToken stores a token record (the hash, never the secret).
func (s *Store) CreateToken(ctx context.Context, t domain.Token) error {
	row := tokenRow{ID: t.ID, UserID: t.UserID, TokenHash: t.Hash, CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC(), EnrolmentOnly: t.EnrolmentOnly}
	return translate(s.db(ctx).Create(&row).Error)
}

// TokenByHash finds a token record by the hash of its secret.
func (s *Store) TokenByHash(ctx context.Context, hash string) (domain.Token, error) {
	var row tokenRow
	if err := s.db(ctx).Where("token_hash = ?", hash).Take(&row).Error; err != nil {
		return domain.Token{}, translate(err)
	}
	return domain.Token{ID: row.ID, UserID: row.UserID, Hash: row.TokenHash, CreatedAt: row.CreatedAt,
		ExpiresAt: row.ExpiresAt, RevokedAt: row.RevokedAt, EnrolmentOnly: row.EnrolmentOnly}, nil
}

// RevokeToken ends a token at once. Revoking twice is harmless.
func (s *Store) RevokeToken(ctx context.Context, id string, at time.Time) error {
	res := s.db(ctx).Model(&tokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at.UTC())
	return translate(res.Error)
}

// RevokeUserTokens ends every API token and every web session of a user (a
// disabled or erased account, a reset password).
func (s *Store) RevokeUserTokens(ctx context.Context, userID string, at time.Time) error {
	res := s.db(ctx).Model(&tokenRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at.UTC())
	if res.Error != nil {
		return translate(res.Error)
	}
	res = s.db(ctx).Model(&webSessionRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at.UTC())
	return translate(res.Error)
}

// CountUsers reports how many accounts exist (to create a first admin).
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db(ctx).Model(&userRow{}).Count(&n).Error
	return n, translate(err)
}

type loginAttemptRow struct {
	ID        int64 `gorm:"primaryKey"`
	Email     string
	Address   string
	Succeeded bool
	At        time.Time
}

func (loginAttemptRow) TableName() string { return "login_attempts" }

// RecordLogin notes a sign-in attempt; the counts are shared by every instance.
func (s *Store) RecordLogin(ctx context.Context, email, address string, ok bool, at time.Time) error {
	row := loginAttemptRow{Email: strings.ToLower(email), Address: address, Succeeded: ok, At: at.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// FailedLogins counts failures since `since` for an email and for an address.
func (s *Store) FailedLogins(ctx context.Context, email, address string, since time.Time) (byEmail, byAddress int64, err error) {
	q := s.db(ctx).Model(&loginAttemptRow{}).Where("succeeded = ? AND at >= ? AND kind = ?", false, since.UTC(), AttemptLogin)
	if err = q.Session(&gorm.Session{}).Where("lower(email) = ?", strings.ToLower(email)).Count(&byEmail).Error; err != nil {
		return 0, 0, translate(err)
	}
	err = q.Session(&gorm.Session{}).Where("address = ?", address).Count(&byAddress).Error
	return byEmail, byAddress, translate(err)
}

// Coordinators lists the enabled accounts holding the coordinator role, each
// with its area scopes.
func (s *Store) Coordinators(ctx context.Context) ([]domain.User, error) {
	var rows []userRow
	err := s.db(ctx).Where("disabled_at IS NULL AND (',' || roles || ',') LIKE ?", "%,coordinator,%").Order("id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]domain.User, 0, len(rows))
	for _, r := range rows {
		u, err := s.withAreas(ctx, r.toDomain())
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}
