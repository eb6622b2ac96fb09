package domain_test

import (
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

// bookingWorld is a tiny in-memory model of places and bookings that books
// only what CheckBooking allows, so random sequences of book, waitlist,
// cancel and approve show whether the rules alone keep the invariants.
type bookingWorld struct {
	now      time.Time
	members  []domain.Member
	shifts   []domain.Shift // one position each, its place is shifts[i].Places[0]
	demand   domain.Demand
	position domain.Position
	bookings []domain.Booking
}

func newBookingWorld() *bookingWorld {
	now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	at := func(day, hour, hours int) (time.Time, time.Time) {
		s := time.Date(2027, 3, day, hour, 0, 0, 0, time.UTC)
		return s, s.Add(time.Duration(hours) * time.Hour)
	}
	w := &bookingWorld{now: now,
		demand:   domain.Demand{ID: "d", Status: domain.DemandActive, BookingMode: domain.ModeApproval},
		position: domain.Position{ID: "p", Kinds: []domain.Kind{domain.KindVolunteer}, MinVetting: domain.VettingNone},
	}
	// Two shifts overlap, one follows them closely, one is a day later.
	for i, span := range [][3]int{{2, 9, 8}, {2, 12, 6}, {2, 18, 4}, {3, 9, 8}} {
		s, e := at(span[0], span[1], span[2])
		w.shifts = append(w.shifts, domain.Shift{ID: string(rune('a' + i)), Start: s, End: e, Status: domain.ShiftScheduled,
			Places: []domain.Place{{PositionID: "p", Headcount: 1 + i%2}}})
	}
	for i := range 3 {
		w.members = append(w.members, domain.Member{ID: string(rune('x' + i)), Kinds: []domain.Kind{domain.KindVolunteer},
			Status: domain.MemberActive, MaxHoursPerWeek: 48, MinRestHours: float64(i)})
	}
	return w
}

func (w *bookingWorld) check(m, s int, self string) domain.BookingCheck {
	c := domain.BookingCheck{Now: w.now, Member: w.members[m], Demand: w.demand, Position: w.position,
		Shift: w.shifts[s], Place: w.shifts[s].Places[0], SelfBooking: true, Zone: time.UTC}
	c.Place.Taken = 0
	for _, b := range w.bookings {
		if b.ShiftID == w.shifts[s].ID && b.Status.Active() {
			c.Place.Taken++
		}
		if b.MemberID != w.members[m].ID || b.ID == self {
			continue
		}
		if b.ShiftID == w.shifts[s].ID && (b.Status.Active() || b.Status == domain.BookingWaitlisted) {
			c.AlreadyHolds = true
		}
		if b.ShiftID != w.shifts[s].ID && b.Status.Active() {
			c.Others = append(c.Others, b)
		}
	}
	return c
}

func (w *bookingWorld) add(m, s int, st domain.BookingStatus) {
	w.bookings = append(w.bookings, domain.Booking{ID: string(rune('0' + len(w.bookings))), ShiftID: w.shifts[s].ID,
		PositionID: "p", MemberID: w.members[m].ID, Status: st, Start: w.shifts[s].Start, End: w.shifts[s].End})
}

func (w *bookingWorld) step(op, m, s int) {
	switch op {
	case 0: // book
		if len(domain.CheckBooking(w.check(m, s, ""))) == 0 {
			w.add(m, s, domain.BookingPending)
		}
	case 1: // join the waitlist: only a full place refuses
		if f := domain.CheckBooking(w.check(m, s, "")); len(f) == 1 && f[0] == domain.RuleHasPlace {
			w.add(m, s, domain.BookingWaitlisted)
		}
	case 2: // cancel the member's place, promoting the first waitlisted who still passes
		for i, b := range w.bookings {
			if b.MemberID == w.members[m].ID && b.ShiftID == w.shifts[s].ID && b.Status.Active() {
				w.bookings[i].Status = domain.BookingCancelled
				for j, wb := range w.bookings {
					if wb.ShiftID != b.ShiftID || wb.Status != domain.BookingWaitlisted {
						continue
					}
					wm := int(wb.MemberID[0] - 'x')
					if len(domain.CheckBooking(w.check(wm, s, wb.ID))) == 0 {
						w.bookings[j].Status = domain.BookingPending
						break
					}
				}
				break
			}
		}
	case 3: // approve the member's pending booking: it already holds its place
		for i, b := range w.bookings {
			if b.MemberID == w.members[m].ID && b.ShiftID == w.shifts[s].ID && b.Status == domain.BookingPending {
				w.bookings[i].Status = domain.BookingConfirmed
			}
		}
	}
}

func (w *bookingWorld) invariants(t *testing.T, steps []byte) {
	t.Helper()
	taken := map[string]int{}
	held := map[[2]string]int{}
	for i, a := range w.bookings {
		if a.Status.Active() || a.Status == domain.BookingWaitlisted {
			held[[2]string{a.MemberID, a.ShiftID}]++
		}
		if !a.Status.Active() {
			continue
		}
		taken[a.ShiftID]++
		for _, b := range w.bookings[i+1:] {
			if b.Status.Active() && a.MemberID == b.MemberID && a.Start.Before(b.End) && b.Start.Before(a.End) {
				t.Fatalf("after %v: %s holds overlapping bookings %s and %s", steps, a.MemberID, a.ShiftID, b.ShiftID)
			}
		}
	}
	for _, s := range w.shifts {
		if taken[s.ID] > s.Places[0].Headcount {
			t.Fatalf("after %v: shift %s has %d active bookings for %d places", steps, s.ID, taken[s.ID], s.Places[0].Headcount)
		}
	}
	for k, n := range held {
		if n > 1 {
			t.Fatalf("after %v: %s holds %d active or waitlisted bookings on %s", steps, k[0], n, k[1])
		}
	}
}

// FuzzBookingRules runs random sequences of book, waitlist, cancel and
// approve (one byte each: operation, member, shift) and checks after every
// step that active bookings never exceed a place's headcount, that a
// member's active bookings never overlap, and that a member holds at most
// one active or waitlisted booking per place.
func FuzzBookingRules(f *testing.F) {
	f.Add([]byte{0x00, 0x10, 0x20, 0x01, 0x11})
	f.Add([]byte{0x00, 0x04, 0x08, 0x05, 0x09, 0x02, 0x06, 0x0a, 0x01, 0x01})
	f.Add([]byte{0x01, 0x04, 0x08, 0x05, 0x09, 0x0d, 0x03, 0x07, 0x08, 0x0c})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 200 {
			ops = ops[:200]
		}
		w := newBookingWorld()
		for i, op := range ops {
			w.step(int(op&3), int(op>>2&3)%3, int(op>>4&3))
			w.invariants(t, ops[:i+1])
		}
	})
}
