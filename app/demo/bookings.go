package demo

import (
	"context"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// seedBookings partly fills the demand, as coordinators and members would
// have by now: most shifts part-booked, some full with a waitlist, some
// untouched. Book decides; a refusal is simply skipped.
func (s *seeder) seedBookings(ctx context.Context) (int, error) {
	now := s.a.Now()
	// The demo members first, so their shifts are theirs whatever the dice say.
	if err := s.bookDemoMembers(ctx, now); err != nil {
		return 0, err
	}
	for _, d := range s.demands {
		area := s.areas[d.AreaCode]
		for _, sh := range d.Shifts {
			r := s.rng.Float64()
			var fill float64
			switch {
			case r < 0.3:
				continue // untouched
			case r < 0.85:
				fill = 0.3 + 0.4*s.rng.Float64()
			default:
				fill = 1 // full, and a waitlist where someone fits
			}
			for _, pos := range d.Positions {
				target := int(math.Round(float64(pos.Headcount) * fill))
				if fill < 1 && target >= pos.Headcount {
					target = pos.Headcount - 1
				}
				cands := s.candidates(d, pos, sh, area, now)
				booked, tries := 0, 0
				for _, sm := range cands {
					if booked >= target || tries >= 12 {
						break
					}
					tries++
					res, err := s.bookOne(ctx, d, sh, pos, sm)
					if err != nil {
						continue
					}
					sm.bookings = append(sm.bookings, res.Booking)
					booked++
					s.rep.Bookings++
				}
				if fill == 1 && booked == pos.Headcount && s.chance(0.6) {
					// queue the next one or two who fit
					queued := 0
					for _, sm := range cands[min(tries, len(cands)):] {
						if queued == 1 || tries >= 16 {
							break
						}
						tries++
						if _, err := s.a.JoinWaitlist(ctx, s.coordinator, app.BookInput{ShiftID: sh.ID, PositionID: pos.ID, MemberID: sm.m.ID}); err == nil {
							queued++
							s.rep.Waitlisted++
						}
					}
				}
			}
		}
	}
	return s.rep.Bookings, nil
}

// bookOne books a member as a coordinator would: an offer in assigned mode
// now and then; in approval mode some members booked themselves and wait.
func (s *seeder) bookOne(ctx context.Context, d domain.Demand, sh domain.Shift, pos domain.Position, sm *seedMember) (app.BookingResult, error) {
	in := app.BookInput{ShiftID: sh.ID, PositionID: pos.ID, MemberID: sm.m.ID}
	switch {
	case d.BookingMode == domain.ModeAssigned && s.chance(0.4):
		in.Offer = true
	case d.BookingMode == domain.ModeApproval && s.chance(0.4):
		self := &domain.Principal{User: domain.User{Name: sm.m.Name, Email: sm.m.Email, Roles: []domain.Role{domain.RoleMember}, MemberID: sm.m.ID}}
		return s.a.Book(ctx, self, app.BookInput{ShiftID: sh.ID, PositionID: pos.ID})
	}
	return s.a.Book(ctx, s.coordinator, in)
}

// candidates are the non-demo members who pass the member-level rules for
// the place, nearest first with some shuffling.
func (s *seeder) candidates(d domain.Demand, pos domain.Position, sh domain.Shift, area domain.Area, now time.Time) []*seedMember {
	type cand struct {
		sm   *seedMember
		dist float64
	}
	var cs []cand
	for _, sm := range s.members {
		if sm.demo {
			continue
		}
		check := domain.BookingCheck{Now: now, Member: sm.m, Skills: sm.skills, Clearances: sm.clearances, Leave: sm.leave,
			Demand: d, Position: pos, Shift: sh, Place: domain.Place{Headcount: 1}, Others: sm.bookings, Zone: s.loc}
		if len(domain.CheckEligibility(check)) > 0 {
			continue
		}
		dist := 50.0
		if area.Lat != nil && sm.m.Lat != nil {
			dist = domain.DistanceKm(*area.Lat, *area.Lon, *sm.m.Lat, *sm.m.Lon)
		}
		cs = append(cs, cand{sm, dist + s.rng.Float64()*8})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].dist < cs[j].dist })
	out := make([]*seedMember, len(cs))
	for i, c := range cs {
		out[i] = c.sm
	}
	return out
}

// bookDemoMembers gives each demo member a shift or two in "my shifts",
// leaving the volunteer plenty still to book.
func (s *seeder) bookDemoMembers(ctx context.Context, now time.Time) error {
	for _, sm := range s.members {
		if !sm.demo {
			continue
		}
		want := 1
		if sm.m.HasKind(domain.KindMentor) {
			want = 2 // the continuity of a mentoring series
		}
		// nearest demand first: their own neighbourhood's shifts
		near := slices.Clone(s.demands)
		sort.SliceStable(near, func(i, j int) bool {
			ai, aj := demoAreaByCode(near[i].AreaCode), demoAreaByCode(near[j].AreaCode)
			return domain.DistanceKm(ai.lat, ai.lon, *sm.m.Lat, *sm.m.Lon) < domain.DistanceKm(aj.lat, aj.lon, *sm.m.Lat, *sm.m.Lon)
		})
		for _, d := range near {
			if want == 0 {
				break
			}
			if d.ProblemType == "mentoring" && d.MenteeRef != "MEN-0042" {
				continue
			}
			for _, sh := range d.Shifts {
				if want == 0 {
					break
				}
				for _, pos := range d.Positions {
					check := domain.BookingCheck{Now: now, Member: sm.m, Skills: sm.skills, Clearances: sm.clearances,
						Demand: d, Position: pos, Shift: sh, Place: domain.Place{Headcount: 1}, Others: sm.bookings, Zone: s.loc}
					if len(domain.CheckEligibility(check)) > 0 {
						continue
					}
					res, err := s.a.Book(ctx, s.coordinator, app.BookInput{ShiftID: sh.ID, PositionID: pos.ID, MemberID: sm.m.ID})
					if err != nil {
						continue
					}
					sm.bookings = append(sm.bookings, res.Booking)
					s.rep.Bookings++
					want--
					break
				}
			}
		}
	}
	return nil
}
