package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

// ClaimIdempotencyKey records that a request with this key is being
// answered. It reports false when the key was already claimed.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, r domain.IdempotencyRecord) (bool, error) {
	res := s.keysDB(ctx).Exec(`INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, r.UserID, r.Key, r.Method, r.Path, r.RequestHash, r.CreatedAt.UTC())
	if res.Error != nil {
		return false, translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// IdempotencyKey returns the record of a claimed key.
func (s *Store) IdempotencyKey(ctx context.Context, userID, key string) (domain.IdempotencyRecord, error) {
	var rows []struct {
		UserID      string
		Key         string
		Method      string
		Path        string
		RequestHash string
		StatusCode  *int
		ContentType string
		Response    []byte
		CreatedAt   time.Time
	}
	err := s.keysDB(ctx).Raw(`SELECT user_id, key, method, path, request_hash, status_code, content_type, response, created_at
		FROM idempotency_keys WHERE user_id = ? AND key = ?`, userID, key).Scan(&rows).Error
	if err != nil {
		return domain.IdempotencyRecord{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.IdempotencyRecord{}, domain.Errorf(domain.ENotFound, "no such idempotency key")
	}
	r := rows[0]
	rec := domain.IdempotencyRecord{UserID: r.UserID, Key: r.Key, Method: r.Method, Path: r.Path,
		RequestHash: r.RequestHash, ContentType: r.ContentType, Response: r.Response, CreatedAt: r.CreatedAt}
	if r.StatusCode != nil {
		rec.StatusCode = *r.StatusCode
	}
	return rec, nil
}

// CompleteIdempotencyKey stores the answer given to a claimed key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, userID, key string, status int, contentType string, body []byte) error {
	return translate(s.keysDB(ctx).Exec(`UPDATE idempotency_keys SET status_code = ?, content_type = ?, response = ?
		WHERE user_id = ? AND key = ?`, status, contentType, body, userID, key).Error)
}

// ReleaseIdempotencyKey forgets a key whose request failed on our side, so
// that a retry is answered afresh.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, userID, key string) error {
	return translate(s.keysDB(ctx).Exec(`DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?`, userID, key).Error)
}
