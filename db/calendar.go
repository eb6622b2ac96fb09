package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type calendarFeedRow struct {
	TokenHash string
	Kind      string
	MemberID  *string
	UserID    *string
	CreatedBy *string
	CreatedAt time.Time
}

func (calendarFeedRow) TableName() string { return "calendar_feeds" }

func (r calendarFeedRow) toDomain() domain.CalendarFeed {
	f := domain.CalendarFeed{TokenHash: r.TokenHash, Kind: domain.FeedKind(r.Kind), CreatedAt: r.CreatedAt}
	if r.MemberID != nil {
		f.MemberID = *r.MemberID
	}
	if r.UserID != nil {
		f.UserID = *r.UserID
	}
	if r.CreatedBy != nil {
		f.CreatedBy = *r.CreatedBy
	}
	return f
}

// ReplaceCalendarFeed stores a feed in place of its owner's feed of the same
// kind, if any, and reports whether one was replaced: the old token stops
// working when this commits.
func (s *Store) ReplaceCalendarFeed(ctx context.Context, f domain.CalendarFeed) (replaced bool, err error) {
	q := s.db(ctx).Where("kind = ?", string(f.Kind))
	if f.Kind == domain.FeedMember {
		q = q.Where("member_id = ?", f.MemberID)
	} else {
		q = q.Where("user_id = ?", f.UserID)
	}
	res := q.Delete(&calendarFeedRow{})
	if res.Error != nil {
		return false, translate(res.Error)
	}
	row := calendarFeedRow{TokenHash: f.TokenHash, Kind: string(f.Kind), MemberID: nullable(f.MemberID),
		UserID: nullable(f.UserID), CreatedBy: nullable(f.CreatedBy), CreatedAt: f.CreatedAt.UTC()}
	return res.RowsAffected > 0, translate(s.db(ctx).Create(&row).Error)
}

// CalendarFeedByHash finds a feed by its token's hash (not found otherwise).
func (s *Store) CalendarFeedByHash(ctx context.Context, hash string) (domain.CalendarFeed, error) {
	var row calendarFeedRow
	if err := s.db(ctx).Where("token_hash = ?", hash).Take(&row).Error; err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENotFound {
			return domain.CalendarFeed{}, domain.Errorf(domain.ENotFound, "no such calendar feed")
		}
		return domain.CalendarFeed{}, translate(err)
	}
	return row.toDomain(), nil
}

// DeleteCalendarFeeds removes a member's feed and the coordinator feeds of
// the given accounts (erasure): their addresses answer 404 from then on.
func (s *Store) DeleteCalendarFeeds(ctx context.Context, memberID string, userIDs []string) error {
	q := s.db(ctx).Where("member_id = ?", memberID)
	if len(userIDs) > 0 {
		q = q.Or("user_id IN ?", userIDs)
	}
	return translate(q.Delete(&calendarFeedRow{}).Error)
}

// FeedBookings returns what a member's calendar shows, in start order: their
// offered, pending, confirmed and recorded (attended, no-show) bookings of
// shifts ending after heldSince, and the bookings that ended otherwise
// (cancelled, declined, expired, rejected) at or after endedSince (by
// cancelled_at, else updated_at).
func (s *Store) FeedBookings(ctx context.Context, memberID string, heldSince, endedSince time.Time) ([]domain.Booking, error) {
	var rows []bookingRow
	err := s.db(ctx).Where(`member_id = ? AND (
			(status IN ('offered','pending','confirmed','attended','no_show') AND ends_at > ?)
			OR (status IN ('cancelled','declined','expired','rejected') AND COALESCE(cancelled_at, updated_at) >= ?))`,
		memberID, heldSince.UTC(), endedSince.UTC()).Order("starts_at, id").Find(&rows).Error
	return bookingsOf(rows), translate(err)
}
