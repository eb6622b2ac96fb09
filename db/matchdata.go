package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

// The matcher looks at every member at once; these load a table in one query
// each, keyed by member, instead of one query per member.

// SkillsByMember returns every member's skills.
func (s *Store) SkillsByMember(ctx context.Context) (map[string][]domain.MemberSkill, error) {
	var rows []struct {
		Row  memberSkillRow `gorm:"embedded"`
		Code string
		Name string
	}
	err := s.db(ctx).Raw(`SELECT ms.*, sk.code, sk.name FROM member_skills ms JOIN skills sk ON sk.id = ms.skill_id`).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := map[string][]domain.MemberSkill{}
	for _, r := range rows {
		out[r.Row.MemberID] = append(out[r.Row.MemberID], domain.MemberSkill{MemberID: r.Row.MemberID, SkillID: r.Row.SkillID,
			Code: r.Code, Name: r.Name, ObtainedOn: parseStoredDate(r.Row.ObtainedOn), ExpiresOn: parseStoredDatePtr(r.Row.ExpiresOn)})
	}
	return out, nil
}

// ClearancesByMember returns every member's clearances.
func (s *Store) ClearancesByMember(ctx context.Context) (map[string][]domain.Clearance, error) {
	var rows []clearanceRow
	if err := s.db(ctx).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := map[string][]domain.Clearance{}
	for _, r := range rows {
		out[r.MemberID] = append(out[r.MemberID], r.toDomain())
	}
	return out, nil
}

// LeaveByMember returns every member's leave that ends on or after from.
func (s *Store) LeaveByMember(ctx context.Context, from domain.Date) (map[string][]domain.Leave, error) {
	var rows []leaveRow
	if err := s.db(ctx).Where("to_date >= ?", from.String()).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := map[string][]domain.Leave{}
	for _, r := range rows {
		out[r.MemberID] = append(out[r.MemberID], domain.Leave{ID: r.ID, MemberID: r.MemberID,
			From: parseStoredDate(r.FromDate), To: parseStoredDate(r.ToDate), Reason: r.Reason, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// AvailabilityByMember returns every member's availability windows.
func (s *Store) AvailabilityByMember(ctx context.Context) (map[string][]domain.Availability, error) {
	var rows []availabilityRow
	if err := s.db(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := map[string][]domain.Availability{}
	for _, r := range rows {
		out[r.MemberID] = append(out[r.MemberID], domain.Availability{ID: r.ID, MemberID: r.MemberID, StartLocal: r.StartLocal,
			DurationMinutes: r.DurationMinutes, TimeZone: r.Timezone, RRule: r.Rrule, Until: parseStoredDatePtr(r.Until), CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// BookingsBetween returns every booking in the given statuses that ends after
// from and starts before to.
func (s *Store) BookingsBetween(ctx context.Context, from, to time.Time, statuses ...domain.BookingStatus) ([]domain.Booking, error) {
	var rows []bookingRow
	err := s.db(ctx).Where("status IN ? AND ends_at > ? AND starts_at < ?", statuses, from.UTC(), to.UTC()).
		Order("starts_at, id").Find(&rows).Error
	return bookingsOf(rows), translate(err)
}
