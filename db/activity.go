package db

import (
	"context"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

type activityRow struct {
	ShiftID     string
	ProblemType string
	StartsAt    time.Time
	EndsAt      time.Time
	ActualStart *time.Time
	ActualEnd   *time.Time
	Kinds       string
}

// AttendedActivity returns the attended bookings of shifts in the area whose
// path is areaPath or below it, that start in [from, to) and had ended by
// endedBy, and were not cancelled: what the public activity figures count.
// Nothing of a shift still running or yet to come is read.
func (s *Store) AttendedActivity(ctx context.Context, areaPath string, from, to, endedBy time.Time) ([]domain.ActivityRecord, error) {
	var rows []activityRow
	err := s.db(ctx).Table("bookings b").
		Select("s.id AS shift_id, d.problem_type, s.starts_at, s.ends_at, b.actual_start, b.actual_end, m.kinds").
		Joins("JOIN shifts s ON s.id = b.shift_id").
		Joins("JOIN demands d ON d.id = s.demand_id").
		Joins("JOIN areas a ON a.id = s.area_id").
		Joins("JOIN members m ON m.id = b.member_id").
		Where("b.status = ? AND s.status = ?", string(domain.BookingAttended), string(domain.ShiftScheduled)).
		Where("s.starts_at >= ? AND s.starts_at < ? AND s.ends_at <= ?", from.UTC(), to.UTC(), endedBy.UTC()).
		Where(`a.path LIKE ? ESCAPE '\'`, escapeLike(areaPath)+"%").
		Order("s.starts_at, s.id, b.id").
		Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]domain.ActivityRecord, len(rows))
	for i, r := range rows {
		rec := domain.ActivityRecord{ShiftID: r.ShiftID, ProblemType: domain.ProblemType(r.ProblemType),
			Start: r.StartsAt.UTC(), End: r.EndsAt.UTC(), ActualStart: r.ActualStart, ActualEnd: r.ActualEnd}
		for _, k := range strings.Split(r.Kinds, ",") {
			if k != "" {
				rec.MemberKinds = append(rec.MemberKinds, domain.Kind(k))
			}
		}
		out[i] = rec
	}
	return out, nil
}
