package db

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

type totpRow struct {
	UserID      string `gorm:"primaryKey"`
	Secret      string
	LastStep    int64
	CreatedAt   time.Time
	ConfirmedAt *time.Time
}

func (totpRow) TableName() string { return "user_totp" }

// PutTOTP stores a new, unconfirmed factor for a user, replacing any
// unconfirmed one; a confirmed factor is a conflict (reset it first).
func (s *Store) PutTOTP(ctx context.Context, f domain.TOTP) error {
	return s.InTx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db(ctx).Model(&totpRow{}).Where("user_id = ? AND confirmed_at IS NOT NULL", f.UserID).Count(&n).Error; err != nil {
			return translate(err)
		}
		if n > 0 {
			return domain.Errorf(domain.EConflict, "a second factor is already enrolled; an admin can reset it")
		}
		if err := tx.db(ctx).Exec(`DELETE FROM user_totp WHERE user_id = ?`, f.UserID).Error; err != nil {
			return translate(err)
		}
		row := totpRow{UserID: f.UserID, Secret: f.Secret, CreatedAt: f.CreatedAt.UTC()}
		return translate(tx.db(ctx).Create(&row).Error)
	})
}

// TOTPByUser finds a user's factor, confirmed or not; ENotFound when none.
func (s *Store) TOTPByUser(ctx context.Context, userID string) (domain.TOTP, error) {
	var row totpRow
	if err := s.db(ctx).Where("user_id = ?", userID).Take(&row).Error; err != nil {
		return domain.TOTP{}, translate(err)
	}
	return domain.TOTP{UserID: row.UserID, Secret: row.Secret, LastStep: row.LastStep, CreatedAt: row.CreatedAt, ConfirmedAt: row.ConfirmedAt}, nil
}

// HasConfirmedTOTP reports whether a user has a confirmed factor.
func (s *Store) HasConfirmedTOTP(ctx context.Context, userID string) (bool, error) {
	var n int64
	err := s.db(ctx).Model(&totpRow{}).Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Count(&n).Error
	return n > 0, translate(err)
}

// UseTOTPStep records that the code of a time-step was accepted. It is false
// when that step or a later one was used already: the code is a replay. The
// check and the write are one statement, so two racing requests cannot both
// spend the same code.
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res := s.db(ctx).Exec(`UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?`, step, userID, step)
	return res.RowsAffected == 1, translate(res.Error)
}

// ConfirmTOTP marks a factor confirmed and stores its recovery codes' hashes.
func (s *Store) ConfirmTOTP(ctx context.Context, userID string, at time.Time, codeHashes map[string]string) error {
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.db(ctx).Exec(`UPDATE user_totp SET confirmed_at = ? WHERE user_id = ?`, at.UTC(), userID).Error; err != nil {
			return translate(err)
		}
		if err := tx.db(ctx).Exec(`DELETE FROM recovery_codes WHERE user_id = ?`, userID).Error; err != nil {
			return translate(err)
		}
		for id, h := range codeHashes {
			if err := tx.db(ctx).Exec(`INSERT INTO recovery_codes (id, user_id, code_hash) VALUES (?, ?, ?)`, id, userID, h).Error; err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// UseRecoveryCode spends an unused recovery code of a user; false when no
// unused code has that hash.
func (s *Store) UseRecoveryCode(ctx context.Context, userID, codeHash string, at time.Time) (bool, error) {
	res := s.db(ctx).Exec(`UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, at.UTC(), userID, codeHash)
	return res.RowsAffected >= 1, translate(res.Error)
}

// DeleteTOTP removes a user's factor and recovery codes; false when there was none.
func (s *Store) DeleteTOTP(ctx context.Context, userID string) (bool, error) {
	var n int64
	err := s.InTx(ctx, func(tx *Store) error {
		res := tx.db(ctx).Exec(`DELETE FROM user_totp WHERE user_id = ?`, userID)
		if res.Error != nil {
			return translate(res.Error)
		}
		n = res.RowsAffected
		return translate(tx.db(ctx).Exec(`DELETE FROM recovery_codes WHERE user_id = ?`, userID).Error)
	})
	return n > 0, err
}

// CreateMFAChallenge stores the step between a password and a code.
func (s *Store) CreateMFAChallenge(ctx context.Context, hash, userID string, at, expires time.Time) error {
	return translate(s.db(ctx).Exec(`INSERT INTO mfa_challenges (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hash, userID, at.UTC(), expires.UTC()).Error)
}

// MFAChallengeUser returns the user of a challenge that is unused and not
// expired at `at`; ENotFound otherwise.
func (s *Store) MFAChallengeUser(ctx context.Context, hash string, at time.Time) (string, error) {
	var ids []string
	err := s.db(ctx).Raw(`SELECT user_id FROM mfa_challenges WHERE id = ? AND used_at IS NULL AND expires_at > ?`, hash, at.UTC()).Scan(&ids).Error
	if err != nil {
		return "", translate(err)
	}
	if len(ids) == 0 {
		return "", domain.Errorf(domain.ENotFound, "no such challenge")
	}
	return ids[0], nil
}

// SpendMFAChallenge marks a challenge used; false when it was used already.
func (s *Store) SpendMFAChallenge(ctx context.Context, hash string, at time.Time) (bool, error) {
	res := s.db(ctx).Exec(`UPDATE mfa_challenges SET used_at = ? WHERE id = ? AND used_at IS NULL`, at.UTC(), hash)
	return res.RowsAffected == 1, translate(res.Error)
}

// webSessionIDLen is how much of a web session's hash names it in lists:
// enough to tell a user's sessions apart, never the whole lookup key.
const webSessionIDLen = 16

// UserSessions lists a user's web sessions and API tokens that are not
// revoked and not past their expiry at `at`, newest first. Idle web
// sessions are the caller's to filter.
func (s *Store) UserSessions(ctx context.Context, userID string, at time.Time) ([]domain.Session, error) {
	var webs []webSessionRow
	if err := s.db(ctx).Where("user_id = ? AND revoked_at IS NULL AND expires_at > ?", userID, at.UTC()).Find(&webs).Error; err != nil {
		return nil, translate(err)
	}
	var toks []tokenRow
	if err := s.db(ctx).Where("user_id = ? AND revoked_at IS NULL AND expires_at > ?", userID, at.UTC()).Find(&toks).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Session, 0, len(webs)+len(toks))
	for _, w := range webs {
		seen := w.LastSeenAt
		out = append(out, domain.Session{ID: "web-" + w.ID[:min(webSessionIDLen, len(w.ID))], Kind: "web", CreatedAt: w.CreatedAt, LastSeenAt: &seen, ExpiresAt: w.ExpiresAt})
	}
	for _, t := range toks {
		out = append(out, domain.Session{ID: t.ID, Kind: "api", CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt})
	}
	slices.SortFunc(out, func(x, y domain.Session) int {
		if c := y.CreatedAt.Compare(x.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out, nil
}

// RevokeUserSession ends one of a user's sessions or tokens by the id
// UserSessions gives it; ENotFound when the user has no live one by that id.
func (s *Store) RevokeUserSession(ctx context.Context, userID, id string, at time.Time) error {
	var res = s.db(ctx)
	if prefix, ok := strings.CutPrefix(id, "web-"); ok {
		if len(prefix) != webSessionIDLen || strings.Trim(prefix, "0123456789abcdef") != "" {
			return domain.Errorf(domain.ENotFound, "no such session")
		}
		res = res.Model(&webSessionRow{}).Where("user_id = ? AND id LIKE ? AND revoked_at IS NULL", userID, prefix+"%").Update("revoked_at", at.UTC())
	} else {
		res = res.Model(&tokenRow{}).Where("user_id = ? AND id = ? AND revoked_at IS NULL", userID, id).Update("revoked_at", at.UTC())
	}
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.ENotFound, "no such session")
	}
	return nil
}
