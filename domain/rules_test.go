package domain_test

import (
	"slices"
	"testing"
	"time"

	"github.com/copbank/copbank/domain"
)

var london, _ = time.LoadLocation("Europe/London")

// eligible is a check that passes every rule: each test breaks one thing.
func eligible() domain.BookingCheck {
	start := time.Date(2027, 1, 8, 20, 0, 0, 0, london) // Friday evening
	d := func(y int, m time.Month, day int) domain.Date { return domain.Date{Year: y, Month: m, Day: day} }
	return domain.BookingCheck{
		Now: time.Date(2027, 1, 4, 9, 0, 0, 0, london),
		Member: domain.Member{ID: "m1", Kinds: []domain.Kind{domain.KindVolunteer}, Status: domain.MemberActive,
			MaxHoursPerWeek: 16, MinRestHours: 0},
		Skills:     []domain.MemberSkill{{Code: "first_aid", ObtainedOn: d(2026, 1, 1), ExpiresOn: ptr(d(2029, 1, 1))}},
		Clearances: []domain.Clearance{{Type: domain.NPPV2, GrantedOn: d(2025, 1, 1), ExpiresOn: d(2030, 1, 1), Status: domain.ClearanceActive}, {Type: domain.DBSEnhancedAdults, GrantedOn: d(2025, 1, 1), ExpiresOn: d(2030, 1, 1), Status: domain.ClearanceActive}},
		Demand:     domain.Demand{Status: domain.DemandActive, BookingMode: domain.ModeOpen},
		Position: domain.Position{ID: "p1", Kinds: []domain.Kind{domain.KindVolunteer}, Skills: []string{"first_aid"},
			MinVetting: domain.NPPV2, DBS: []domain.ClearanceType{domain.DBSEnhancedAdults}, Headcount: 3},
		Shift:       domain.Shift{ID: "s1", Start: start, End: start.Add(4 * time.Hour), Status: domain.ShiftScheduled},
		Place:       domain.Place{PositionID: "p1", Headcount: 3, Taken: 1},
		SelfBooking: true,
		Zone:        london,
	}
}

func ptr[T any](v T) *T { return &v }

func booking(start time.Time, hours float64) domain.Booking {
	return domain.Booking{ShiftID: "other", Status: domain.BookingConfirmed, Start: start, End: start.Add(time.Duration(hours * float64(time.Hour)))}
}

func TestEachBookingRuleFailsAlone(t *testing.T) {
	t.Parallel()
	fri := eligible().Shift.Start
	cases := []struct {
		rule   string
		break_ func(c *domain.BookingCheck)
	}{
		{domain.RuleShiftOpen, func(c *domain.BookingCheck) { c.Now = fri }},
		{domain.RuleShiftOpen, func(c *domain.BookingCheck) { c.Shift.Status = domain.ShiftCancelled }},
		{domain.RuleShiftOpen, func(c *domain.BookingCheck) { c.Demand.Status = domain.DemandCancelled }},
		{domain.RuleMemberActive, func(c *domain.BookingCheck) { c.Member.Status = domain.MemberSuspended }},
		{domain.RuleKindAllowed, func(c *domain.BookingCheck) { c.Position.Kinds = []domain.Kind{domain.KindBankOfficer} }},
		{domain.RuleSkillsValid, func(c *domain.BookingCheck) { c.Skills = nil }},
		{domain.RuleSkillsValid, func(c *domain.BookingCheck) {
			c.Skills[0].ExpiresOn = ptr(domain.Date{Year: 2027, Month: 1, Day: 8}) // expires the day of the shift
		}},
		{domain.RuleSkillsValid, func(c *domain.BookingCheck) { c.Skills[0].ObtainedOn = domain.Date{Year: 2027, Month: 1, Day: 9} }},
		{domain.RuleVettingValid, func(c *domain.BookingCheck) { c.Clearances[0].Type = domain.NPPV1 }},
		{domain.RuleVettingValid, func(c *domain.BookingCheck) { c.Clearances[0].Status = domain.ClearanceSuspended }},
		{domain.RuleVettingValid, func(c *domain.BookingCheck) { c.Clearances[0].ExpiresOn = domain.Date{Year: 2027, Month: 1, Day: 8} }},
		{domain.RuleDBSValid, func(c *domain.BookingCheck) { c.Clearances = c.Clearances[:1] }},
		{domain.RuleNoOverlap, func(c *domain.BookingCheck) { c.Others = []domain.Booking{booking(fri.Add(3*time.Hour), 2)} }},
		{domain.RuleMinRest, func(c *domain.BookingCheck) {
			c.Member.MinRestHours = 11
			c.Others = []domain.Booking{booking(fri.Add(12*time.Hour), 2)} // 8 h after the end
		}},
		{domain.RuleWeeklyCap, func(c *domain.BookingCheck) {
			c.Others = []domain.Booking{booking(fri.Add(-72*time.Hour), 13)} // Tuesday: 13 + 4 > 16
		}},
		{domain.RuleWeeklyCap, func(c *domain.BookingCheck) { c.Member.ContractedHoursPerWeek = 13 }},
		{domain.RuleNotOnLeave, func(c *domain.BookingCheck) {
			c.Leave = []domain.Leave{{From: domain.Date{Year: 2027, Month: 1, Day: 6}, To: domain.Date{Year: 2027, Month: 1, Day: 8}}} // inclusive to the shift day
		}},
		{domain.RuleSelfBookingClosed, func(c *domain.BookingCheck) { c.Demand.BookingMode = domain.ModeAssigned }},
		{domain.RuleAlreadyBooked, func(c *domain.BookingCheck) { c.AlreadyHolds = true }},
		{domain.RuleHasPlace, func(c *domain.BookingCheck) { c.Place.Taken = 3 }},
	}
	if got := domain.CheckBooking(eligible()); len(got) != 0 {
		t.Fatalf("the base case fails %v", got)
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			c := eligible()
			tc.break_(&c)
			if got := domain.CheckBooking(c); !slices.Equal(got, []string{tc.rule}) {
				t.Fatalf("failed rules %v, want exactly [%s]", got, tc.rule)
			}
		})
	}
}

func TestEveryFailedRuleIsReportedTogether(t *testing.T) {
	t.Parallel()
	c := eligible()
	c.Skills, c.Place.Taken, c.Member.Status = nil, 3, domain.MemberArchived
	got := domain.CheckBooking(c)
	want := []string{domain.RuleMemberActive, domain.RuleSkillsValid, domain.RuleHasPlace}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestACoordinatorMayBookAnAssignedShift(t *testing.T) {
	t.Parallel()
	c := eligible()
	c.Demand.BookingMode, c.SelfBooking = domain.ModeAssigned, false
	if got := domain.CheckBooking(c); len(got) != 0 {
		t.Fatalf("got %v", got)
	}
}

func TestRulesAtTheirEdges(t *testing.T) {
	t.Parallel()
	fri := eligible().Shift.Start
	t.Run("a booking ending exactly when the shift starts does not overlap", func(t *testing.T) {
		c := eligible()
		c.Others = []domain.Booking{booking(fri.Add(-3*time.Hour), 3)}
		if got := domain.CheckBooking(c); len(got) != 0 {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("exactly the minimum rest is enough", func(t *testing.T) {
		c := eligible()
		c.Member.MinRestHours = 11
		c.Others = []domain.Booking{booking(fri.Add(15*time.Hour), 2)} // 11 h after the 00:00 end
		if got := domain.CheckBooking(c); len(got) != 0 {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("hours exactly at the cap pass", func(t *testing.T) {
		c := eligible()
		c.Others = []domain.Booking{booking(fri.Add(-72*time.Hour), 12)}
		if got := domain.CheckBooking(c); len(got) != 0 {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("hours in the previous ISO week do not count", func(t *testing.T) {
		c := eligible()
		c.Others = []domain.Booking{booking(time.Date(2027, 1, 3, 10, 0, 0, 0, london), 14)} // Sunday before
		if got := domain.CheckBooking(c); len(got) != 0 {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("an overnight shift counts in the week of its start", func(t *testing.T) {
		c := eligible()
		sun := time.Date(2027, 1, 10, 22, 0, 0, 0, london)
		c.Shift.Start, c.Shift.End = sun, sun.Add(8*time.Hour)
		c.Others = []domain.Booking{booking(time.Date(2027, 1, 5, 9, 0, 0, 0, london), 9)} // 9 + 8 > 16 in that week
		if got := domain.CheckBooking(c); !slices.Equal(got, []string{domain.RuleWeeklyCap}) {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("lived experience never expires", func(t *testing.T) {
		c := eligible()
		c.Position.Skills = []string{"lived:addiction"}
		c.Skills = append(c.Skills, domain.MemberSkill{Code: "lived:addiction", ObtainedOn: domain.Date{Year: 2020, Month: 1, Day: 1}})
		if got := domain.CheckBooking(c); len(got) != 0 {
			t.Fatalf("got %v", got)
		}
	})
}

func TestMemberOfSeveralKindsTakesTheMostDemandingDefaults(t *testing.T) {
	t.Parallel()
	d := domain.DefaultsFor([]domain.Kind{domain.KindMentor, domain.KindBankOfficer})
	if d.MaxHoursPerWeek != 48 || d.MinRestHours != 11 {
		t.Fatalf("got %+v, want the bank officer's", d)
	}
	if d := domain.DefaultsFor([]domain.Kind{domain.KindMentor, domain.KindVolunteer}); d.MaxHoursPerWeek != 16 {
		t.Fatalf("got %+v, want the volunteer's", d)
	}
}
