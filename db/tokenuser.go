package db

import (
	"context"

	"github.com/copbank/copbank/domain"
)

// TokenWithUser finds a token record by the hash of its secret together
// with its account (and a coordinator's areas): every API request asks, so
// it is one indexed statement for the token and its user, and one for the
// areas, rather than three.
func (s *Store) TokenWithUser(ctx context.Context, hash string) (domain.Token, domain.User, error) {
	var rows []struct {
		T tokenRow `gorm:"embedded;embeddedPrefix:t_"`
		U userRow  `gorm:"embedded;embeddedPrefix:u_"`
	}
	err := s.db(ctx).Raw(`SELECT `+aliasedColumns(tokenRow{}, "t")+`, `+aliasedColumns(userRow{}, "u")+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hash).Scan(&rows).Error
	if err != nil {
		return domain.Token{}, domain.User{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Token{}, domain.User{}, domain.Errorf(domain.ENotFound, "no such token")
	}
	r := rows[0].T
	t := domain.Token{ID: r.ID, UserID: r.UserID, Hash: r.TokenHash, CreatedAt: r.CreatedAt,
		ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, EnrolmentOnly: r.EnrolmentOnly}
	u, err := s.withAreas(ctx, rows[0].U.toDomain())
	return t, u, err
}
