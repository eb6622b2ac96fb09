package loadtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// handMade is a tiny database: one shift with two places and two members,
// to which each test adds the bookings it needs.
type handMade struct {
	s       *db.Store
	shift   domain.Shift
	pos     domain.Position
	members [2]string
}

func newHandMade(t *testing.T) *handMade {
	t.Helper()
	ctx := context.Background()
	s := dbtest.New(t, db.Postgres)
	now := time.Now().UTC().Truncate(time.Second)
	area, err := s.CreateArea(ctx, domain.Area{ID: app.NewID(), Code: "HM", Name: "Hand-made", Kind: domain.AreaForce, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	h := &handMade{s: s}
	for i := range h.members {
		m := domain.Member{ID: app.NewID(), Name: fmt.Sprintf("Member %d", i), Email: fmt.Sprintf("m%d@example.org", i),
			Kinds: []domain.Kind{domain.KindVolunteer}, HomeAreaID: area.ID, TravelKm: 10, MaxHoursPerWeek: 40, MinRestHours: 11,
			Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		h.members[i] = m.ID
	}
	start := now.Add(72 * time.Hour)
	d := domain.Demand{ID: app.NewID(), Title: "Patrol", ProblemType: "asb", AreaID: area.ID, Priority: 3, BookingMode: domain.ModeOpen,
		TimeZone: "Europe/London", StartLocal: start.Format("2006-01-02T15:04"), EndLocal: start.Add(4 * time.Hour).Format("2006-01-02T15:04"),
		Status: domain.DemandActive, CreatedAt: now, UpdatedAt: now}
	h.pos = domain.Position{ID: app.NewID(), DemandID: d.ID, Name: "Patrol", Kinds: []domain.Kind{domain.KindVolunteer},
		MinVetting: domain.VettingNone, Headcount: 2}
	h.shift = domain.Shift{ID: app.NewID(), DemandID: d.ID, AreaID: area.ID, Occurrence: d.StartLocal, Start: start, End: start.Add(4 * time.Hour),
		Status: domain.ShiftScheduled}
	d.Positions, d.Shifts = []domain.Position{h.pos}, []domain.Shift{h.shift}
	if err := s.CreateDemand(ctx, d); err != nil {
		t.Fatal(err)
	}
	return h
}

// book writes a confirmed booking straight to the table, past the use
// cases, and returns its ID.
func (h *handMade) book(t *testing.T, member string) string {
	t.Helper()
	pg, err := h.s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	id := app.NewID()
	_, err = pg.Exec(`INSERT INTO bookings (id, shift_id, position_id, member_id, status, starts_at, ends_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'confirmed', $5, $6, now(), now())`, id, h.shift.ID, h.pos.ID, member, h.shift.Start, h.shift.End)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (h *handMade) check(t *testing.T, outs []outcome, mail []sentMail) findings {
	t.Helper()
	pg, err := h.s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	f, err := checkDatabase(context.Background(), pg, outs, []place{{shiftID: h.shift.ID, positionID: h.pos.ID}}, mail)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (h *handMade) told(member, id string) outcome {
	return outcome{key: app.NewID(), shiftID: h.shift.ID, positionID: h.pos.ID, memberID: member, code: 201, bookingID: id, status: "confirmed"}
}

func TestTheCheckPassesAHealthyDatabase(t *testing.T) {
	t.Parallel()
	h := newHandMade(t)
	id := h.book(t, h.members[0])
	refused := outcome{key: app.NewID(), shiftID: h.shift.ID, positionID: h.pos.ID, memberID: h.members[1], code: 409}
	var out strings.Builder
	f := h.check(t, []outcome{h.told(h.members[0], id), refused}, nil)
	f.print(&out)
	if f.broken() {
		t.Errorf("a place booked once, told as such, is reported broken:\n%s", out.String())
	}
}

func TestTheCheckReportsAnOverbookedPlaceAndABookingNoClientWasToldOf(t *testing.T) {
	t.Parallel()
	h := newHandMade(t)
	a := h.book(t, h.members[0])
	b := h.book(t, h.members[1])
	// The database's own triggers refuse a place over its headcount; with
	// them off (as a replica applies changes), the place shrinks under its
	// two bookings, which is the state a broken server would leave.
	pg, err := h.s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := pg.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SET LOCAL session_replication_role = replica`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE shift_positions SET headcount = 1 WHERE shift_id = $1`, h.shift.ID); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	refused := outcome{key: app.NewID(), shiftID: h.shift.ID, positionID: h.pos.ID, memberID: h.members[1], code: 409}
	f := h.check(t, []outcome{h.told(h.members[0], a), refused}, nil)
	if len(f.overHeadcount) != 1 || !strings.Contains(f.overHeadcount[0], "2 active bookings for 1 places") {
		t.Errorf("over headcount: %q, want the place with 2 bookings for 1", f.overHeadcount)
	}
	if len(f.phantoms) != 1 || !strings.Contains(f.phantoms[0], b) {
		t.Errorf("phantoms: %q, want booking %s", f.phantoms, b)
	}
	if f.refusedPresent != 1 {
		t.Errorf("refused but present: %d, want 1", f.refusedPresent)
	}
	if !f.broken() {
		t.Error("the findings do not count as broken")
	}
}

func TestTheCheckReportsALostBookingAndAMissingConfirmation(t *testing.T) {
	t.Parallel()
	h := newHandMade(t)
	a := h.book(t, h.members[0])
	lost := h.told(h.members[1], app.NewID()) // answered 201 but never written
	cancelled := h.told(h.members[0], a)
	cancelled.cancelled = true // the client was told it is cancelled; it is confirmed
	f := h.check(t, []outcome{lost, cancelled}, []sentMail{})
	if len(f.lost) != 2 {
		t.Errorf("lost: %q, want the missing booking and the one not cancelled", f.lost)
	}
	if len(f.unsentMail) != 2 || len(f.jobsLost) != 2 {
		t.Errorf("unsent mail %q and lost jobs %q: want both confirmations in each", f.unsentMail, f.jobsLost)
	}
}

func TestTheCheckAllowsRepeatsOnlyUnderOneMessageID(t *testing.T) {
	t.Parallel()
	h := newHandMade(t)
	a := h.book(t, h.members[0])
	o := h.told(h.members[0], a)
	repeat := []sentMail{{subject: "Place confirmed: Patrol", messageID: "x@copbank.test", bookingID: a},
		{subject: "Place confirmed: Patrol", messageID: "x@copbank.test", bookingID: a}}
	if f := h.check(t, []outcome{o}, repeat); f.duplicateMail != 1 || len(f.mixedMessageIDs) != 0 || len(f.unsentMail) != 0 {
		t.Errorf("a repeat under one Message-ID: %d repeats, mixed %q, unsent %q", f.duplicateMail, f.mixedMessageIDs, f.unsentMail)
	}
	repeat[1].messageID = "y@copbank.test"
	if f := h.check(t, []outcome{o}, repeat); len(f.mixedMessageIDs) != 1 || !f.broken() {
		t.Errorf("two Message-IDs for one confirmation: mixed %q", f.mixedMessageIDs)
	}
}
