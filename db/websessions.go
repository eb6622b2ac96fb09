package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type webSessionRow struct {
	ID         string // SHA-256 of the cookie's secret
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	// EnrolmentOnly is as for tokens.
	EnrolmentOnly bool
}

func (webSessionRow) TableName() string { return "web_sessions" }

func (r webSessionRow) toDomain() domain.WebSession {
	return domain.WebSession{Hash: r.ID, UserID: r.UserID, CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt,
		ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, EnrolmentOnly: r.EnrolmentOnly}
}

// CreateWebSession stores a web session by the hash of its secret.
func (s *Store) CreateWebSession(ctx context.Context, ws domain.WebSession) error {
	row := webSessionRow{ID: ws.Hash, UserID: ws.UserID, CreatedAt: ws.CreatedAt.UTC(),
		LastSeenAt: ws.LastSeenAt.UTC(), ExpiresAt: ws.ExpiresAt.UTC(), EnrolmentOnly: ws.EnrolmentOnly}
	return translate(s.db(ctx).Create(&row).Error)
}

// WebSessionByHash finds a web session; ENotFound when there is none.
func (s *Store) WebSessionByHash(ctx context.Context, hash string) (domain.WebSession, error) {
	var row webSessionRow
	if err := s.db(ctx).Where("id = ?", hash).Take(&row).Error; err != nil {
		return domain.WebSession{}, translate(err)
	}
	return row.toDomain(), nil
}

// TouchWebSession records that a session was used (its idle time-out restarts).
func (s *Store) TouchWebSession(ctx context.Context, hash string, at time.Time) error {
	return translate(s.db(ctx).Model(&webSessionRow{}).Where("id = ? AND revoked_at IS NULL", hash).
		Update("last_seen_at", at.UTC()).Error)
}

// RevokeWebSession ends one web session. Revoking twice is harmless.
func (s *Store) RevokeWebSession(ctx context.Context, hash string, at time.Time) error {
	return translate(s.db(ctx).Model(&webSessionRow{}).Where("id = ? AND revoked_at IS NULL", hash).
		Update("revoked_at", at.UTC()).Error)
}

// ServerKey returns the secret stored under name, storing candidate first
// when there is none yet; every instance ends up with the first one stored.
func (s *Store) ServerKey(ctx context.Context, name, candidate string, at time.Time) (string, error) {
	err := s.db(ctx).Exec(`INSERT INTO server_keys (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		name, candidate, at.UTC()).Error
	if err != nil {
		return "", translate(err)
	}
	var secret string
	err = s.db(ctx).Raw(`SELECT secret FROM server_keys WHERE name = ?`, name).Scan(&secret).Error
	return secret, translate(err)
}
