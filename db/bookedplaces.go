package db

import (
	"context"
	"time"
)

// BookedPlace names a position of a shift for a list of bookings: the
// demand's title, the shift's times, its area and the position's name.
type BookedPlace struct {
	ShiftID      string
	PositionID   string
	Title        string
	StartsAt     time.Time
	EndsAt       time.Time
	Timezone     string
	AreaCode     string
	AreaName     string
	PositionName string
}

// BookedPlaces names every position of the shifts given, in one query per
// 500 shifts, however many bookings a list holds.
func (s *Store) BookedPlaces(ctx context.Context, shiftIDs []string) ([]BookedPlace, error) {
	var out []BookedPlace
	for start := 0; start < len(shiftIDs); start += 500 {
		chunk := shiftIDs[start:min(start+500, len(shiftIDs))]
		var rows []BookedPlace
		err := s.db(ctx).Raw(`SELECT s.id AS shift_id, p.id AS position_id, d.title, s.starts_at, s.ends_at, d.timezone,
			       a.code AS area_code, a.name AS area_name, p.name AS position_name
			  FROM shifts s
			  JOIN demands d ON d.id = s.demand_id
			  JOIN areas a ON a.id = d.area_id
			  JOIN positions p ON p.demand_id = d.id
			 WHERE s.id IN ?`, chunk).Scan(&rows).Error
		if err != nil {
			return nil, translate(err)
		}
		out = append(out, rows...)
	}
	return out, nil
}
