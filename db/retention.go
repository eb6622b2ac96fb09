package db

import (
	"context"
	"time"
)

// readActions are audit entries that record a read, not a change: they do
// not keep a member active.
var readActions = []string{"member.read_vetting", "member.export"}

// InactiveMembers lists, oldest first, the members not yet erased with no
// booking, sign-in or change since `since`: created before it, not updated
// since, no booking starting, made or changed since, no token issued since to
// an account that signs in as them, and no audit entry about them since but
// reads.
func (s *Store) InactiveMembers(ctx context.Context, since time.Time) ([]string, error) {
	at := since.UTC()
	var ids []string
	err := s.db(ctx).Raw(`
SELECT m.id FROM members m
WHERE m.created_at < ? AND m.updated_at < ?
  AND m.email NOT LIKE '%@erased.invalid'
  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.member_id = m.id
                  AND (b.starts_at >= ? OR b.created_at >= ? OR b.updated_at >= ?))
  AND NOT EXISTS (SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id
                  WHERE u.member_id = m.id AND t.created_at >= ?)
  AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.member_id = m.id AND a.at >= ?
                  AND a.action NOT IN ?)
ORDER BY m.created_at, m.id`, at, at, at, at, at, at, at, readActions).Scan(&ids).Error
	return ids, translate(err)
}

// IsInactiveMember reports whether InactiveMembers(since) would list the
// member: the check repeated under the member's lock before erasing.
func (s *Store) IsInactiveMember(ctx context.Context, id string, since time.Time) (bool, error) {
	ids, err := s.InactiveMembers(ctx, since)
	if err != nil {
		return false, err
	}
	for _, x := range ids {
		if x == id {
			return true, nil
		}
	}
	return false, nil
}
