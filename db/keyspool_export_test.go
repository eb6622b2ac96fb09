package db

import "context"

// KeysSynchronousCommit reports synchronous_commit as the idempotency keys'
// pool sees it (PostgreSQL only).
func KeysSynchronousCommit(ctx context.Context, s *Store) (string, error) {
	var v string
	err := s.keysDB(ctx).Raw(`SHOW synchronous_commit`).Scan(&v).Error
	return v, err
}
