package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type areaCoverageRow struct {
	AreaID         string `gorm:"primaryKey"`
	NamedOfficerID *string
	HoursPerWeek   *float64
	UpdatedAt      time.Time
}

func (areaCoverageRow) TableName() string { return "area_coverage" }

// AreaCoverages returns every area's named officer and target, by area ID.
func (s *Store) AreaCoverages(ctx context.Context) (map[string]domain.AreaCoverage, error) {
	var rows []areaCoverageRow
	if err := s.db(ctx).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[string]domain.AreaCoverage, len(rows))
	for _, r := range rows {
		c := domain.AreaCoverage{AreaID: r.AreaID, HoursPerWeek: r.HoursPerWeek, UpdatedAt: r.UpdatedAt}
		if r.NamedOfficerID != nil {
			c.NamedOfficerID = *r.NamedOfficerID
		}
		out[r.AreaID] = c
	}
	return out, nil
}

// AreaCoverage returns one area's named officer and target; the zero value
// (with AreaID) when neither was ever set.
func (s *Store) AreaCoverage(ctx context.Context, areaID string) (domain.AreaCoverage, error) {
	var rows []areaCoverageRow
	if err := s.db(ctx).Where("area_id = ?", areaID).Find(&rows).Error; err != nil {
		return domain.AreaCoverage{}, translate(err)
	}
	c := domain.AreaCoverage{AreaID: areaID}
	if len(rows) == 1 {
		c.HoursPerWeek, c.UpdatedAt = rows[0].HoursPerWeek, rows[0].UpdatedAt
		if rows[0].NamedOfficerID != nil {
			c.NamedOfficerID = *rows[0].NamedOfficerID
		}
	}
	return c, nil
}

// PutAreaCoverage stores an area's named officer and target.
func (s *Store) PutAreaCoverage(ctx context.Context, c domain.AreaCoverage) error {
	if err := s.db(ctx).Exec(`DELETE FROM area_coverage WHERE area_id = ?`, c.AreaID).Error; err != nil {
		return translate(err)
	}
	row := areaCoverageRow{AreaID: c.AreaID, NamedOfficerID: nullable(c.NamedOfficerID), HoursPerWeek: c.HoursPerWeek,
		UpdatedAt: c.UpdatedAt.UTC()}
	return translate(s.db(ctx).Create(&row).Error)
}

// StreamCoverageBookings hands fn every booking that gives time on the
// filter's shifts: active (offered, pending, confirmed) or attended, by
// shift start.
func (s *Store) StreamCoverageBookings(ctx context.Context, f ReportFilter, fn func(WorkedRow) error) error {
	where, args := f.where("b.starts_at")
	q := `SELECT ` + workedColumns + `, 0 FROM ` + bookingsJoined + `
		WHERE b.status IN ('offered', 'pending', 'confirmed', 'attended') AND ` + where + ` ORDER BY b.starts_at, b.id`
	return stream(ctx, s, q, args, scanWorked, fn)
}
