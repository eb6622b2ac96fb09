package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The demo data set: a believable force area (County Durham and Darlington),
// its skill catalogue, ~300 made-up members and four weeks of demand from
// today, some of it already partly booked. Everything goes through the use
// cases, so every rule that guards the API guards the demo data too. Names,
// emails (example.org) and phones (Ofcom's drama range 07700 900xxx) are
// generated from a fixed seed: no real people.

// Password signs in every demo account.
const Password = "copbank-demo-2027"

// SignIn is one of the demo accounts.
type SignIn struct {
	Role  string // what the account shows off
	Email string
}

// Demo accounts, all with Password.
var SignIns = []SignIn{
	{"volunteer", "volunteer@demo.copbank.uk"},
	{"bank officer", "officer@demo.copbank.uk"},
	{"mentor", "mentor@demo.copbank.uk"},
	{"coordinator (County Durham and Darlington)", "coordinator@demo.copbank.uk"},
	{"admin", "admin@demo.copbank.uk"},
}

const (
	demoVolunteerEmail   = "volunteer@demo.copbank.uk"
	demoOfficerEmail     = "officer@demo.copbank.uk"
	demoMentorEmail      = "mentor@demo.copbank.uk"
	demoCoordinatorEmail = "coordinator@demo.copbank.uk"
	demoAdminEmail       = "admin@demo.copbank.uk"
	demoMembers          = 300
	demoSeed             = 2027
)

// Report counts what Seed made.
type Report struct {
	// Skipped: the database already held areas, so nothing was written.
	Skipped       bool
	Areas         int
	Neighbourhood int
	Skills        int
	Members       int
	SkillsHeld    int
	Clearances    int
	Availability  int
	Users         int
	Demands       int
	Shifts        int
	Bookings      int // active bookings made (confirmed, pending, offered)
	Waitlisted    int
	Took          time.Duration
}

// Present reports whether the demo accounts exist (serve lists them).
func Present(ctx context.Context, a *app.App) (bool, error) {
	_, err := a.UserByEmail(ctx, app.CommandLineOperator(), demoVolunteerEmail)
	if domain.ErrorCode(err) == domain.ENotFound {
		return false, nil
	}
	return err == nil, err
}

// Seed fills an empty database with the demo data. A database that
// already has areas is left alone (Skipped). progress, if not nil, is told
// each stage as it finishes with the number of things it made.
func Seed(ctx context.Context, a *app.App, progress func(stage string, n int)) (Report, error) {
	started := time.Now()
	if progress == nil {
		progress = func(string, int) {}
	}
	var rep Report
	existing, err := a.Areas(ctx, app.CommandLineOperator(), "", 1)
	if err != nil {
		return rep, err
	}
	if len(existing) > 0 {
		rep.Skipped = true
		return rep, nil
	}
	ctx = app.WithoutNotices(ctx)
	s := &seeder{a: a, rng: rand.New(rand.NewPCG(demoSeed, 1)), loc: a.Config.TimeZone, rep: &rep,
		areas: map[string]domain.Area{}, skills: map[string]domain.Skill{}}
	if s.loc == nil {
		s.loc = time.UTC
	}
	s.today = domain.DateOf(a.Now().In(s.loc))
	steps := []struct {
		name string
		fn   func(context.Context) (int, error)
	}{
		{"admin", s.seedAdmin},
		{"areas", s.seedAreas},
		{"skills", s.seedSkills},
		{"pay bands", s.seedPayBands},
		{"members", s.seedMembers},
		{"accounts", s.seedAccounts},
		{"demands", s.seedDemands},
		{"bookings", s.seedBookings},
		{"supervision", s.seedSupervision},
		{"coverage", s.seedCoverage},
		{"training", s.seedTraining},
		{"recruitment", s.seedRecruitment},
		{"lone working", s.seedLoneWorking},
		{"handover", s.seedHandover},
		{"notices", s.seedNoticesAsSent},
	}
	for _, st := range steps {
		n, err := st.fn(ctx)
		if err != nil {
			return rep, fmt.Errorf("seed %s: %w", st.name, err)
		}
		progress(st.name, n)
	}
	rep.Took = time.Since(started)
	return rep, nil
}

// seedNoticesAsSent runs the reminder, expiry and digest sweeps over the
// new data with ctx silenced (app.WithoutNotices): what they would send now is
// recorded as sent, so the demo starts with nothing owed.
func (s *seeder) seedNoticesAsSent(ctx context.Context) (int, error) {
	total := 0
	for _, sweep := range []func(context.Context) (int, error){s.a.SendDueReminders, s.a.SendExpiryWarnings, s.a.SendDigests} {
		n, err := sweep(ctx)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

type seeder struct {
	a     *app.App
	rng   *rand.Rand
	loc   *time.Location
	today domain.Date
	rep   *Report

	admin       *domain.Principal
	coordinator *domain.Principal
	areas       map[string]domain.Area
	skills      map[string]domain.Skill
	members     []*seedMember
	demands     []domain.Demand
}

// seedMember is what the seeder remembers of a member, so that it books only
// people who could plausibly take a place (Book still checks every rule).
type seedMember struct {
	m          domain.Member
	skills     []domain.MemberSkill
	clearances []domain.Clearance
	leave      []domain.Leave
	bookings   []domain.Booking
	demo       bool
}

// seedAdmin finds or makes the demo admin and the principal the seeder acts as.
func (s *seeder) seedAdmin(ctx context.Context) (int, error) {
	u, err := s.a.UserByEmail(ctx, app.CommandLineOperator(), demoAdminEmail)
	made := 0
	if domain.ErrorCode(err) == domain.ENotFound {
		u, err = s.a.CreateUser(ctx, app.NewUser{Email: demoAdminEmail, Name: "Demo Admin (vetting unit)", Password: Password,
			Roles: []domain.Role{domain.RoleAdmin}})
		made = 1
	}
	if err != nil {
		return 0, err
	}
	s.rep.Users += made
	s.admin = &domain.Principal{User: domain.User{ID: u.ID, Email: u.Email, Name: u.Name, Roles: []domain.Role{domain.RoleAdmin}}}
	return made, nil
}

// ---- areas ----

type seedArea struct {
	code, name string
	kind       domain.AreaKind
	parent     string
	lat, lon   float64
	weight     int // how many members live there, relatively
}

// demoAreas: the force, its two local authorities, four multi-agency hubs and
// 22 neighbourhoods (Heighington sits straight under Darlington: a level may
// be skipped). Centres are approximate.
var demoAreas = []seedArea{
	{"DUR", "County Durham and Darlington", domain.AreaForce, "", 54.66, -1.68, 0},
	{"DUR-CC", "County Durham", domain.AreaLocalAuthority, "DUR", 54.72, -1.70, 0},
	{"DARL", "Darlington", domain.AreaLocalAuthority, "DUR", 54.5236, -1.5595, 0},
	{"DUR-NORTH", "North Durham hub", domain.AreaHub, "DUR-CC", 54.83, -1.66, 0},
	{"DUR-EAST", "East Durham hub", domain.AreaHub, "DUR-CC", 54.78, -1.36, 0},
	{"DUR-SOUTH", "South Durham hub", domain.AreaHub, "DUR-CC", 54.64, -1.68, 0},
	{"DARL-HUB", "Darlington hub", domain.AreaHub, "DARL", 54.5236, -1.5595, 0},

	{"DUR-CITY", "Durham City", domain.AreaNeighbourhood, "DUR-NORTH", 54.7761, -1.5733, 14},
	{"DUR-FRAM", "Framwellgate Moor", domain.AreaNeighbourhood, "DUR-NORTH", 54.7925, -1.5870, 4},
	{"DUR-CLS", "Chester-le-Street", domain.AreaNeighbourhood, "DUR-NORTH", 54.8586, -1.5740, 7},
	{"DUR-STAN", "Stanley", domain.AreaNeighbourhood, "DUR-NORTH", 54.8687, -1.6967, 6},
	{"DUR-CONS", "Consett", domain.AreaNeighbourhood, "DUR-NORTH", 54.8540, -1.8310, 6},

	{"DUR-SEA", "Seaham", domain.AreaNeighbourhood, "DUR-EAST", 54.8390, -1.3400, 6},
	{"DUR-PET", "Peterlee", domain.AreaNeighbourhood, "DUR-EAST", 54.7600, -1.3360, 7},
	{"DUR-EAS", "Easington", domain.AreaNeighbourhood, "DUR-EAST", 54.7850, -1.3560, 3},
	{"DUR-HOR", "Horden", domain.AreaNeighbourhood, "DUR-EAST", 54.7640, -1.3150, 3},

	{"DUR-BA", "Bishop Auckland", domain.AreaNeighbourhood, "DUR-SOUTH", 54.6640, -1.6760, 7},
	{"DUR-SPEN", "Spennymoor", domain.AreaNeighbourhood, "DUR-SOUTH", 54.6990, -1.6010, 5},
	{"DUR-NA", "Newton Aycliffe", domain.AreaNeighbourhood, "DUR-SOUTH", 54.6180, -1.5720, 6},
	{"DUR-SHIL", "Shildon", domain.AreaNeighbourhood, "DUR-SOUTH", 54.6310, -1.6410, 3},
	{"DUR-CROOK", "Crook", domain.AreaNeighbourhood, "DUR-SOUTH", 54.7150, -1.7460, 3},
	{"DUR-BC", "Barnard Castle", domain.AreaNeighbourhood, "DUR-SOUTH", 54.5430, -1.9230, 3},
	{"DUR-SEDGE", "Sedgefield", domain.AreaNeighbourhood, "DUR-SOUTH", 54.6530, -1.4490, 3},

	{"DARL-N1", "Darlington North", domain.AreaNeighbourhood, "DARL-HUB", 54.5420, -1.5560, 6},
	{"DARL-TC", "Darlington Town Centre", domain.AreaNeighbourhood, "DARL-HUB", 54.5236, -1.5534, 7},
	{"DARL-E1", "Darlington East", domain.AreaNeighbourhood, "DARL-HUB", 54.5250, -1.5280, 5},
	{"DARL-HAU", "Haughton", domain.AreaNeighbourhood, "DARL-HUB", 54.5380, -1.5240, 3},
	{"DARL-COCK", "Cockerton", domain.AreaNeighbourhood, "DARL-HUB", 54.5350, -1.5820, 4},
	{"DARL-HEI", "Heighington", domain.AreaNeighbourhood, "DARL", 54.5960, -1.6190, 2},
}

func (s *seeder) seedAreas(ctx context.Context) (int, error) {
	for _, sa := range demoAreas {
		lat, lon := sa.lat, sa.lon
		ar, err := s.a.CreateArea(ctx, s.admin, app.NewArea{Code: sa.code, Name: sa.name, Kind: sa.kind, ParentCode: sa.parent, Lat: &lat, Lon: &lon})
		if err != nil {
			return 0, fmt.Errorf("area %s: %w", sa.code, err)
		}
		s.areas[sa.code] = ar
		s.rep.Areas++
		if sa.kind == domain.AreaNeighbourhood {
			s.rep.Neighbourhood++
		}
	}
	return s.rep.Areas, nil
}

// ---- skills ----

var demoSkills = []struct {
	code, name string
	months     int
}{
	{"first_aid", "First aid at work", 36},
	{"driving", "Police driving authority (car)", 0},
	{"mhfa", "Mental health first aid", 36},
	{"trauma_informed", "Trauma-informed practice", 0},
	{"safeguarding_l2", "Safeguarding level 2", 36},
	{"restorative_justice", "Restorative justice facilitator", 0},
	{"trigger_chair", "Community Trigger meeting chair", 0},
	{"speedwatch", "Community Speedwatch operator", 24},
	{"lang:pl", "Polish speaker", 0},
	{"lived:addiction", "Lived experience: addiction and recovery", 0},
	{"lived:abuse", "Lived experience: domestic abuse", 0},
	{"lived:crime", "Lived experience: offending and desistance", 0},
}

// seedPayBands gives the bands the demo's positions name a rate, so the pay
// report has figures.
func (s *seeder) seedPayBands(ctx context.Context) (int, error) {
	bands := []app.NewPayRate{
		{Code: "B1", Name: "Bank officer band 1", RatePence: 1650, EffectiveFrom: "2026-01-01"},
		{Code: "B2", Name: "Bank officer band 2", RatePence: 1850, EffectiveFrom: "2026-01-01"},
		{Code: "B3", Name: "Bank officer band 3", RatePence: 2100, EffectiveFrom: "2026-01-01"},
	}
	for _, b := range bands {
		if _, err := s.a.CreatePayRate(ctx, s.admin, b); err != nil {
			return 0, fmt.Errorf("pay band %s: %w", b.Code, err)
		}
	}
	return len(bands), nil
}

func (s *seeder) seedSkills(ctx context.Context) (int, error) {
	for _, sk := range demoSkills {
		in := app.NewSkill{Code: sk.code, Name: sk.name}
		if sk.months > 0 {
			m := sk.months
			in.ValidMonths = &m
		}
		got, err := s.a.CreateSkill(ctx, s.admin, in)
		if err != nil {
			return 0, fmt.Errorf("skill %s: %w", sk.code, err)
		}
		s.skills[sk.code] = got
		s.rep.Skills++
	}
	return s.rep.Skills, nil
}
