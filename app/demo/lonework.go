package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// seedLoneWorking shows lone working: an early-morning walk-round in Durham City
// worked alone, within the next few days, with the demo volunteer booked
// on it, so their shifts page offers "On and off duty". No emergency
// contact is recorded: the member is asked for one there. It draws nothing
// from the seeder's random source, so the rest of the data set is as it was.
func (s *seeder) seedLoneWorking(ctx context.Context) (int, error) {
	var volunteer *seedMember
	for _, sm := range s.members {
		if sm.m.Email == demoVolunteerEmail {
			volunteer = sm
		}
	}
	if volunteer == nil {
		return 0, fmt.Errorf("no demo volunteer")
	}
	lat, lon := 54.7761, -1.5733
	// The first day from tomorrow on which the volunteer is free at 07:00
	// (they may be on leave or booked already).
	for days := 1; days <= 7; days++ {
		day := s.today.AddDays(days)
		startLocal := time.Date(day.Year, day.Month, day.Day, 7, 0, 0, 0, time.UTC)
		d, err := s.a.PostDemand(ctx, s.coordinator, app.DemandInput{Title: "Early lone reassurance walk-round — Durham City",
			Description: "A walk-round of the riverside paths and car parks after reports of thefts from cars, worked alone: book on duty when you start and off duty when you finish.",
			Briefing:    "Keep your phone charged. If you have not booked off duty within 30 minutes of the end, your coordinator and emergency contact are alerted.",
			ProblemType: "neighbourhood_crime", Area: "DUR-CITY", Priority: 2, BookingMode: "open", LoneWorking: true, TimeZone: s.loc.String(),
			StartLocal: startLocal.Format("2006-01-02T15:04"), EndLocal: startLocal.Add(2 * time.Hour).Format("2006-01-02T15:04"),
			Location:  &domain.Location{Description: "Framwellgate Bridge, Durham", Lat: &lat, Lon: &lon},
			Positions: []app.PositionInput{{Name: "Lone walker", Kinds: []string{"volunteer"}, MinVetting: "NPPV1", Headcount: 1}}})
		if err != nil {
			return 0, fmt.Errorf("lone-working demand: %w", err)
		}
		s.demands = append(s.demands, d)
		s.rep.Demands++
		s.rep.Shifts += len(d.Shifts)
		_, err = s.a.Book(ctx, s.coordinator, app.BookInput{ShiftID: d.Shifts[0].ID, PositionID: d.Positions[0].ID, MemberID: volunteer.m.ID})
		if domain.ErrorCode(err) == domain.ERefused {
			// Left open for another volunteer; the next day is tried.
			continue
		}
		if err != nil {
			return 1, fmt.Errorf("lone-working booking: %w", err)
		}
		// Not in Report.Bookings: that counts the bookings step alone.
		return days + 1, nil
	}
	return 7, fmt.Errorf("the demo volunteer is busy every morning of the coming week")
}
