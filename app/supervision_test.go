package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// supervisionWorld is a reference world with two supervisors, two members
// holding only a conditional clearance, one ordinary NPPV1 volunteer, and a
// demand of two daily shifts (from 2027-01-10, well beyond the grace) with a
// lead position (NPPV1, no supervision) and a support position (NPPV1,
// supervision allowed).
type supervisionWorld struct {
	*refWorld
	supervisors, supervised, others []domain.Member
	demand                          domain.Demand
	lead, support                   domain.Position
	coord                           *domain.Principal // a stored coordinator of Darlington
}

func newSupervisionWorld(t *testing.T, s *db.Store) *supervisionWorld {
	t.Helper()
	ctx := context.Background()
	w := &supervisionWorld{refWorld: newRefWorld(t, s)}
	a := w.app
	u, err := a.CreateUser(ctx, app.NewUser{Email: "coord@example.org", Name: "Coordinator", Password: "correct horse battery",
		Roles: []domain.Role{domain.RoleCoordinator}, Areas: []string{"DARL"}})
	if err != nil {
		t.Fatal(err)
	}
	w.coord = &domain.Principal{User: u}
	if _, err := a.CreateSkill(ctx, w.admin, app.NewSkill{Code: domain.SupervisorSkill, Name: "Supervisor"}); err != nil {
		t.Fatal(err)
	}
	clear := func(m domain.Member, typ domain.ClearanceType) {
		t.Helper()
		in := app.NewClearance{Type: typ, GrantedOn: "2026-01-01", ExpiresOn: "2030-01-01"}
		if typ == domain.Conditional {
			in.Reference = "VU-2026-0042"
		}
		if _, err := a.AddClearance(ctx, w.admin, m.ID, in); err != nil {
			t.Fatalf("clearance %s for %s: %v", typ, m.Email, err)
		}
	}
	for i := range 2 {
		m := w.member(t, fmt.Sprintf("supervisor%d@example.org", i), "DARL-N1", domain.KindVolunteer, domain.KindMentor)
		clear(m, domain.NPPV1)
		if _, err := a.PutMemberSkill(ctx, w.admin, m.ID, domain.SupervisorSkill, app.SkillHolding{ObtainedOn: "2026-01-01"}); err != nil {
			t.Fatal(err)
		}
		w.supervisors = append(w.supervisors, m)
	}
	for i := range 2 {
		m := w.member(t, fmt.Sprintf("mentor%d@example.org", i), "DARL-N1", domain.KindVolunteer, domain.KindMentor)
		clear(m, domain.Conditional)
		w.supervised = append(w.supervised, m)
	}
	other := w.member(t, "other@example.org", "DARL-N1", domain.KindVolunteer, domain.KindMentor)
	clear(other, domain.NPPV1)
	w.others = []domain.Member{other}
	d, err := a.PostDemand(ctx, w.coord, app.DemandInput{Title: "Mentoring drop-in", ProblemType: "community_event", Area: "DARL-N1",
		Priority: 3, BookingMode: "open", TimeZone: "Europe/London", StartLocal: "2027-01-10T18:00", EndLocal: "2027-01-10T21:00",
		RRule: "FREQ=DAILY;COUNT=2",
		Positions: []app.PositionInput{
			{Name: "Lead", Kinds: []string{"volunteer", "mentor"}, MinVetting: "NPPV1", Headcount: 1},
			{Name: "Support", Kinds: []string{"volunteer", "mentor"}, MinVetting: "NPPV1", Headcount: 2, Supervision: "allowed"}}})
	if err != nil {
		t.Fatal(err)
	}
	w.demand, w.lead, w.support = d, d.Positions[0], d.Positions[1]
	if w.support.Supervision != domain.SupervisionAllowed || w.lead.Supervision != domain.SupervisionNone {
		t.Fatalf("positions read back with supervision %q and %q", w.lead.Supervision, w.support.Supervision)
	}
	return w
}

func (w *supervisionWorld) book(ctx context.Context, shift int, pos domain.Position, m domain.Member) (domain.Booking, error) {
	res, err := w.app.Book(ctx, w.coord, app.BookInput{ShiftID: w.demand.Shifts[shift].ID, PositionID: pos.ID, MemberID: m.ID})
	return res.Booking, err
}

func refusedRules(err error) []string {
	var de *domain.Error
	if !asDomain(err, &de) || de.Code != domain.ERefused {
		return nil
	}
	return de.Rules
}

func TestSupervisedPlaceNeedsAConfirmedSupervisorAndIsReleasedAfterTheGrace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newSupervisionWorld(t, s)
		a := w.app

		// A conditional clearance does not count where supervision is not allowed.
		if _, err := w.book(ctx, 0, w.lead, w.supervised[0]); !slices.Equal(refusedRules(err), []string{domain.RuleVettingValid}) {
			t.Fatalf("a conditional clearance on a position without supervision: %v, want vetting_valid alone", err)
		}
		// Nor, with no supervisor booked, where it is.
		if _, err := w.book(ctx, 0, w.support, w.supervised[0]); !slices.Equal(refusedRules(err), []string{domain.RuleSupervised}) {
			t.Fatalf("a supervised member with no supervisor: %v, want supervised alone", err)
		}
		// A supervisor elsewhere (on the other shift) does not count.
		if _, err := w.book(ctx, 1, w.lead, w.supervisors[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := w.book(ctx, 0, w.support, w.supervised[0]); !slices.Equal(refusedRules(err), []string{domain.RuleSupervised}) {
			t.Fatalf("a supervisor on another shift: %v, want supervised", err)
		}
		sup, err := w.book(ctx, 0, w.lead, w.supervisors[1])
		if err != nil {
			t.Fatal(err)
		}
		mentee, err := w.book(ctx, 0, w.support, w.supervised[0])
		if err != nil || mentee.Status != domain.BookingConfirmed {
			t.Fatalf("a supervised member with a confirmed supervisor: %+v, %v", mentee, err)
		}

		// The supervisor cancels six days ahead: notice, and a release due when the grace runs out.
		if _, err := a.CancelBooking(ctx, self(w.supervisors[1]), sup.ID, ""); err != nil {
			t.Fatalf("a supervisor's cancellation must never be refused: %v", err)
		}
		if got, _ := s.BookingByID(ctx, mentee.ID); got.Status != domain.BookingConfirmed {
			t.Fatalf("within the grace the supervised place stands, got %s", got.Status)
		}
		for kind, want := range map[string]int{"supervision_release": 1, "supervision_notice": 1} {
			if n, err := a.PendingJobs(ctx, kind); err != nil || n != want {
				t.Fatalf("%s jobs: %d (%v), want %d", kind, n, err, want)
			}
		}
		// Another supervisor books in time: the release finds nothing to do.
		sup2, err := w.book(ctx, 0, w.lead, w.supervisors[0])
		if err != nil {
			t.Fatal(err)
		}
		if n, err := a.ReleaseUnsupervised(ctx, w.demand.Shifts[0].ID); err != nil || n != 0 {
			t.Fatalf("release with a supervisor back: %d, %v", n, err)
		}
		// That supervisor goes too, and the grace runs out: the place is released.
		if _, err := a.CancelBooking(ctx, w.coord, sup2.ID, ""); err != nil {
			t.Fatal(err)
		}
		if n, err := a.ReleaseUnsupervised(ctx, w.demand.Shifts[0].ID); err != nil || n != 1 {
			t.Fatalf("release without a supervisor: %d, %v", n, err)
		}
		got, _ := s.BookingByID(ctx, mentee.ID)
		if got.Status != domain.BookingCancelled || got.CancelReason != "unsupervised" || got.CancelledBy != domain.CancelledByForce {
			t.Fatalf("released place: %+v", got)
		}
	})
}

// TestSupervisedMemberIsNeverLeftAloneInAnyInterleaving books, waitlists
// and cancels at random (by coordinator and by member) on two shifts and,
// after every step, checks that no member relying on a conditional
// clearance holds an active place on a shift where no other member with the
// supervisor skill holds a confirmed one.
//
// The grace is set to zero, so a supervisor's cancellation releases the
// supervised places in its own transaction: "never left alone" then holds at
// every instant, which is the property stated. With a grace, the
// supervised member is deliberately left in place (told, with a release
// job due) until the grace runs out; the test above covers that the job is
// queued and that running it releases the place unless a supervisor came
// back, so the two together cover both settings.
func TestSupervisedMemberIsNeverLeftAloneInAnyInterleaving(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newSupervisionWorld(t, s)
		a := w.app
		a.Config.UnsupervisedHours = 0
		isSupervisor := map[string]bool{w.supervisors[0].ID: true, w.supervisors[1].ID: true}
		isSupervised := map[string]bool{w.supervised[0].ID: true, w.supervised[1].ID: true}
		everyone := slices.Concat(w.supervisors, w.supervised, w.others)
		positions := []domain.Position{w.lead, w.support}
		rng := rand.New(rand.NewPCG(7, uint64(len(s.Dialect()))))
		steps, refusedSupervised, released := 0, 0, 0
		for seq := range 16 {
			var ours []string // bookings made in this sequence, to cancel from
			for step := range 25 {
				shift := rng.IntN(2)
				// Mostly supervisors and supervised members, mostly where
				// each belongs, so that supervisors leave supervised
				// members often.
				group := [][]domain.Member{w.supervisors, w.supervised, w.supervised, w.others}[rng.IntN(4)]
				m := group[rng.IntN(len(group))]
				pos := positions[rng.IntN(2)]
				if isSupervised[m.ID] && rng.IntN(4) > 0 {
					pos = w.support
				}
				in := app.BookInput{ShiftID: w.demand.Shifts[shift].ID, PositionID: pos.ID, MemberID: m.ID}
				var err error
				switch op := rng.IntN(5); {
				case op < 2:
					var res app.BookingResult
					if res, err = a.Book(ctx, w.coord, in); err == nil {
						ours = append(ours, res.Booking.ID)
					}
				case op == 2:
					var res app.BookingResult
					if res, err = a.JoinWaitlist(ctx, w.coord, in); err == nil {
						ours = append(ours, res.Booking.ID)
					}
				default:
					if len(ours) == 0 {
						continue
					}
					id := ours[rng.IntN(len(ours))]
					b, _ := s.BookingByID(ctx, id)
					by := w.coord
					if rng.IntN(2) == 0 {
						by = self(everyone[slices.IndexFunc(everyone, func(x domain.Member) bool { return x.ID == b.MemberID })])
					}
					_, err = a.CancelBooking(ctx, by, id, "")
				}
				if slices.Contains(refusedRules(err), domain.RuleSupervised) {
					refusedSupervised++
				}
				if err != nil && domain.ErrorCode(err) != domain.ERefused && domain.ErrorCode(err) != domain.EConflict {
					t.Fatalf("sequence %d step %d: %v", seq, step, err)
				}
				steps++
				for _, sh := range w.demand.Shifts {
					active, err := s.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed)
					if err != nil {
						t.Fatal(err)
					}
					supervisors := 0
					for _, b := range active {
						if b.Status == domain.BookingConfirmed && isSupervisor[b.MemberID] {
							supervisors++
						}
					}
					for _, b := range active {
						if isSupervised[b.MemberID] && supervisors == 0 {
							t.Fatalf("sequence %d step %d: %s holds a place on shift %s with no confirmed supervisor", seq, step, b.MemberID, sh.ID)
						}
					}
				}
			}
			for _, id := range ours {
				if b, _ := s.BookingByID(ctx, id); b.CancelReason == "unsupervised" {
					released++
				}
			}
			// Clear the shifts for the next sequence.
			for _, sh := range w.demand.Shifts {
				left, err := s.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed, domain.BookingWaitlisted)
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range left {
					if _, err := a.CancelBooking(ctx, w.coord, b.ID, ""); err != nil && domain.ErrorCode(err) != domain.EConflict {
						t.Fatal(err)
					}
				}
			}
		}
		if refusedSupervised == 0 {
			t.Errorf("in %d steps no booking was refused as supervised: the sequences never tried the rule", steps)
		}
		if released == 0 {
			t.Errorf("in %d steps no supervised place was released: no supervisor left a supervised member", steps)
		}
		t.Logf("%d steps: %d bookings refused as supervised, %d supervised places released", steps, refusedSupervised, released)
	})
}

// checkNoneAlone fails the test if a supervised member holds an active place
// on a shift with no confirmed supervisor.
func (w *supervisionWorld) checkNoneAlone(t *testing.T, s *db.Store) {
	t.Helper()
	ctx := context.Background()
	for _, sh := range w.demand.Shifts {
		active, err := s.ShiftBookings(ctx, sh.ID, domain.BookingOffered, domain.BookingPending, domain.BookingConfirmed)
		if err != nil {
			t.Fatal(err)
		}
		supervised := 0
		covered := false
		for _, b := range active {
			for _, m := range w.supervisors {
				covered = covered || (b.MemberID == m.ID && b.Status == domain.BookingConfirmed)
			}
			for _, m := range w.supervised {
				if b.MemberID == m.ID {
					supervised++
				}
			}
		}
		if supervised > 0 && !covered {
			t.Fatalf("shift %s: %d supervised members with no confirmed supervisor", sh.ID, supervised)
		}
	}
}

func TestMatchNeverProposesASupervisedMemberAlone(t *testing.T) {
	t.Parallel()
	for _, confirm := range []bool{true, false} {
		t.Run(fmt.Sprintf("applied with confirm=%v", confirm), func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, s *db.Store) {
				ctx := context.Background()
				w := newSupervisionWorld(t, s)
				a := w.app
				// With the ordinary volunteer on leave, two supervisors
				// cannot fill the six places alone: filling them takes the
				// supervised members, and each needs a supervisor.
				if _, err := a.AddLeave(ctx, w.admin, w.others[0].ID, app.NewLeave{From: "2027-01-09", To: "2027-01-12"}); err != nil {
					t.Fatal(err)
				}
				run, err := a.RunMatchNow(ctx, w.coord, domain.MatchParams{From: "2027-01-10", To: "2027-01-11", Seed: 1, MaxMoves: 3000}, nil)
				if err != nil || run.Status != domain.MatchDone {
					t.Fatalf("run: %s %s %v", run.Status, run.Error, err)
				}
				isSupervisor, isSupervised := map[string]bool{}, map[string]bool{}
				for _, m := range w.supervisors {
					isSupervisor[m.ID] = true
				}
				for _, m := range w.supervised {
					isSupervised[m.ID] = true
				}
				covered := map[string]bool{}
				for _, pr := range run.Proposals {
					covered[pr.ShiftID] = covered[pr.ShiftID] || isSupervisor[pr.MemberID]
				}
				supervised := 0
				for _, pr := range run.Proposals {
					if isSupervised[pr.MemberID] {
						supervised++
						if !covered[pr.ShiftID] {
							t.Fatalf("%s proposed on shift %s with no supervisor proposed or booked", pr.MemberID, pr.ShiftID)
						}
						if pr.PositionID != w.support.ID {
							t.Fatalf("%s proposed on a position that does not allow supervision", pr.MemberID)
						}
					}
				}
				if supervised == 0 {
					t.Fatalf("the run proposed no supervised member (%d proposals): the test proves nothing", len(run.Proposals))
				}
				applied, err := a.ApplyMatchRun(ctx, w.coord, run.ID, confirm)
				if err != nil {
					t.Fatal(err)
				}
				w.checkNoneAlone(t, s)
				rep := applied.ApplyReport
				notApplied := 0
				for _, na := range rep.NotApplied {
					if !isSupervised[na.MemberID] || !slices.Equal(na.Rules, []string{domain.RuleSupervised}) {
						t.Errorf("not applied: %+v", na)
					}
					notApplied++
				}
				if confirm && notApplied > 0 {
					// Confirmed, the supervisors proposed with them cover them.
					t.Errorf("confirmed: %d supervised proposals not applied", notApplied)
				}
				if !confirm && notApplied != supervised {
					// Offered, no supervisor is confirmed yet: none may be booked.
					t.Errorf("offered: %d of %d supervised proposals not applied, want all", notApplied, supervised)
				}
			})
		})
	}
}

func TestCancellingAShiftCancelsItsSupervisedPlacesAsAShiftCancellation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newSupervisionWorld(t, s)
		w.app.Config.UnsupervisedHours = 0
		if _, err := w.book(ctx, 0, w.lead, w.supervisors[0]); err != nil {
			t.Fatal(err)
		}
		mentee, err := w.book(ctx, 0, w.support, w.supervised[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.CancelShift(ctx, w.coord, w.demand.Shifts[0].ID, "flooding"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.BookingByID(ctx, mentee.ID)
		if got.Status != domain.BookingCancelled || got.CancelReason != "the shift was cancelled: flooding" {
			t.Fatalf("supervised place on a cancelled shift: %s (%q)", got.Status, got.CancelReason)
		}
		if n, err := w.app.PendingJobs(ctx, "supervision_release", "supervision_notice"); err != nil || n != 0 {
			t.Fatalf("%d supervision jobs (%v) for a shift that was cancelled", n, err)
		}
	})
}

func TestASupervisorLeavingIsToldToTheSupervisedAndTheCoordinators(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newSupervisionWorld(t, s)
		box := &mailbox{}
		w.app.Notify = box
		sup, err := w.book(ctx, 0, w.lead, w.supervisors[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.book(ctx, 0, w.support, w.supervised[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.CancelBooking(ctx, self(w.supervisors[0]), sup.ID, ""); err != nil {
			t.Fatal(err)
		}
		runJobs(t, w.app)
		subjects := func(addr, prefix string) func() bool {
			return func() bool {
				n := 0
				for _, m := range box.to(addr) {
					if strings.HasPrefix(m.Subject, prefix) {
						n++
					}
				}
				return n == 1
			}
		}
		eventually(t, "the coordinator is told", subjects("coord@example.org", "Supervisor cancelled"))
		eventually(t, "the supervised member is told", subjects(w.supervised[0].Email, "Your supervisor cancelled"))
	})
}
