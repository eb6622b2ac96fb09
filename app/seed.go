package app

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// The demo data set: a believable force area (County Durham and Darlington),
// its skill catalogue, ~300 made-up members and four weeks of demand from
// today, some of it already partly booked. Everything goes through the use
// cases, so every rule that guards the API guards the demo data too. Names,
// emails (example.org) and phones (Ofcom's drama range 07700 900xxx) are
// generated from a fixed seed: no real people.

// DemoPassword signs in every demo account.
const DemoPassword = "copbank-demo-2027"

// DemoSignIn is one of the demo accounts.
type DemoSignIn struct {
	Role  string // what the account shows off
	Email string
}

// Demo accounts, all with DemoPassword.
var DemoSignIns = []DemoSignIn{
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

// SeedReport counts what SeedDemo made.
type SeedReport struct {
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

// HasDemoData reports whether the demo accounts exist (serve lists them).
func (a *App) HasDemoData(ctx context.Context) (bool, error) {
	_, err := a.Store.UserByEmail(ctx, demoVolunteerEmail)
	if db.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// SeedDemo fills an empty database with the demo data. A database that
// already has areas is left alone (Skipped). progress, if not nil, is told
// each stage as it finishes with the number of things it made.
func (a *App) SeedDemo(ctx context.Context, progress func(stage string, n int)) (SeedReport, error) {
	started := time.Now()
	if progress == nil {
		progress = func(string, int) {}
	}
	var rep SeedReport
	existing, err := a.Store.Areas(ctx, "", 1)
	if err != nil {
		return rep, err
	}
	if len(existing) > 0 {
		rep.Skipped = true
		return rep, nil
	}
	ctx = withoutNotices(ctx)
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
		{"members", s.seedMembers},
		{"accounts", s.seedAccounts},
		{"demands", s.seedDemands},
		{"bookings", s.seedBookings},
		{"training", s.seedTraining},
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
// new data with ctx silenced (withoutNotices): what they would send now is
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
	a     *App
	rng   *rand.Rand
	loc   *time.Location
	today domain.Date
	rep   *SeedReport

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
	u, err := s.a.Store.UserByEmail(ctx, demoAdminEmail)
	made := 0
	if db.IsNotFound(err) {
		u, err = s.a.CreateUser(ctx, NewUser{Email: demoAdminEmail, Name: "Demo Admin (vetting unit)", Password: DemoPassword,
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
		ar, err := s.a.CreateArea(ctx, s.admin, NewArea{Code: sa.code, Name: sa.name, Kind: sa.kind, ParentCode: sa.parent, Lat: &lat, Lon: &lon})
		if err != nil {
			return 0, fmt.Errorf("area %s: %w", sa.code, err)
		}
		// CreateArea's answer may lack the path; read it back for scope checks.
		if ar, err = s.a.Store.AreaByCode(ctx, sa.code); err != nil {
			return 0, err
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

func (s *seeder) seedSkills(ctx context.Context) (int, error) {
	for _, sk := range demoSkills {
		in := NewSkill{Code: sk.code, Name: sk.name}
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

// ---- members ----

var (
	demoFirstNames = []string{"Amelia", "Oliver", "Isla", "George", "Ava", "Harry", "Mia", "Jack", "Grace", "Noah",
		"Sophie", "Leo", "Ella", "Alfie", "Lily", "Charlie", "Chloe", "Thomas", "Evie", "James", "Freya", "William",
		"Ruby", "Joshua", "Poppy", "Daniel", "Hannah", "Samuel", "Megan", "Ryan", "Lauren", "Adam", "Jessica",
		"Liam", "Rachel", "Connor", "Nadia", "Imran", "Priya", "Ravi", "Aisha", "Yusuf", "Kasia", "Tomasz",
		"Agnieszka", "Piotr", "Siobhan", "Callum", "Eilidh", "Dylan", "Bethan", "Kieran", "Jade", "Shaun",
		"Paula", "Graham", "Lesley", "Keith", "Denise", "Gary", "Janet", "Stuart", "Carol", "Neil"}
	demoSurnames = []string{"Robson", "Armstrong", "Charlton", "Milburn", "Elliott", "Dodds", "Thompson", "Walton",
		"Hodgson", "Bell", "Wilkinson", "Pattinson", "Heslop", "Raine", "Forster", "Lowes", "Tweddle", "Bainbridge",
		"Brown", "Smith", "Taylor", "Wilson", "Walker", "Wood", "Harrison", "Hall", "Scott", "Young", "Carr",
		"Atkinson", "Storey", "Nixon", "Coulson", "Teasdale", "Hutchinson", "Kirkup", "Surtees", "Gibson", "Ridley",
		"Patel", "Khan", "Hussain", "Begum", "Ahmed", "Nowak", "Kowalski", "Wiśniewska", "Lewandowski", "Murphy",
		"O'Neill", "Kelly", "Byrne", "Jones", "Davies", "Evans", "Hughes", "Morgan", "Reed", "Lamb", "Pearson"}
)

// availabilityPatterns are typical weekly offers of time.
var availabilityPatterns = []struct {
	rrule   string
	day     time.Weekday // the first BYDAY, where the window starts
	hour    int
	minutes int
}{
	{"FREQ=WEEKLY;BYDAY=FR,SA", time.Friday, 18, 360},
	{"FREQ=WEEKLY;BYDAY=SA,SU", time.Saturday, 9, 480},
	{"FREQ=WEEKLY;BYDAY=MO,WE", time.Monday, 17, 240},
	{"FREQ=WEEKLY;BYDAY=TU,TH", time.Tuesday, 9, 420},
	{"FREQ=WEEKLY;BYDAY=TH,FR,SA", time.Thursday, 19, 300},
	{"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time.Monday, 7, 180},
	{"FREQ=WEEKLY;BYDAY=WE", time.Wednesday, 10, 360},
	{"FREQ=WEEKLY;BYDAY=SU", time.Sunday, 9, 300},
}

// memberPlan is who member i is, before they are created.
type memberPlan struct {
	kinds []domain.Kind
	email string
	name  string
	area  string
	demo  string // "volunteer", "officer", "mentor" or ""
}

// plans lays out the 300 members: about 60 bank officers, 30 mentors and the
// rest volunteers, some of several kinds. The first three are the demo
// members.
func (s *seeder) plans() []memberPlan {
	var weighted []string
	for _, sa := range demoAreas {
		for range sa.weight {
			weighted = append(weighted, sa.code)
		}
	}
	used := map[string]int{}
	out := make([]memberPlan, 0, demoMembers)
	for i := range demoMembers {
		first := demoFirstNames[s.rng.IntN(len(demoFirstNames))]
		last := demoSurnames[s.rng.IntN(len(demoSurnames))]
		p := memberPlan{name: first + " " + last, area: weighted[s.rng.IntN(len(weighted))]}
		local := strings.ToLower(asciiOnly(first) + "." + asciiOnly(last))
		used[local]++
		p.email = fmt.Sprintf("%s.%d@example.org", local, used[local])
		switch {
		case i < 52: // bank officers
			p.kinds = []domain.Kind{domain.KindBankOfficer}
			if i%9 == 0 {
				p.kinds = append(p.kinds, domain.KindVolunteer)
			}
		case i < 60: // bank officers who also mentor
			p.kinds = []domain.Kind{domain.KindBankOfficer, domain.KindMentor}
		case i < 72: // mentors who also volunteer
			p.kinds = []domain.Kind{domain.KindMentor, domain.KindVolunteer}
		case i < 82:
			p.kinds = []domain.Kind{domain.KindMentor}
		default:
			p.kinds = []domain.Kind{domain.KindVolunteer}
		}
		out = append(out, p)
	}
	// The demo members: a volunteer in Durham City, a bank officer in
	// Darlington and a mentor in Peterlee.
	out[82] = memberPlan{name: "Jess Demo-Volunteer", email: demoVolunteerEmail, area: "DUR-CITY", kinds: []domain.Kind{domain.KindVolunteer}, demo: "volunteer"}
	out[0] = memberPlan{name: "Dave Demo-Officer", email: demoOfficerEmail, area: "DARL-TC", kinds: []domain.Kind{domain.KindBankOfficer}, demo: "officer"}
	out[72] = memberPlan{name: "Mo Demo-Mentor", email: demoMentorEmail, area: "DUR-PET", kinds: []domain.Kind{domain.KindMentor}, demo: "mentor"}
	return out
}

func asciiOnly(s string) string {
	r := strings.NewReplacer("ś", "s", "ł", "l", "ó", "o", "ą", "a", "ę", "e", "'", "")
	return r.Replace(s)
}

// seedMembers creates the members in batches, each batch one transaction.
func (s *seeder) seedMembers(ctx context.Context) (int, error) {
	plans := s.plans()
	const batch = 50
	for lo := 0; lo < len(plans); lo += batch {
		hi := min(lo+batch, len(plans))
		var made []*seedMember
		err := s.a.Store.InTx(ctx, func(tx *db.Store) error {
			made = made[:0]
			ta := s.a.withStore(tx)
			for i := lo; i < hi; i++ {
				sm, err := s.member(ctx, ta, i, plans[i])
				if err != nil {
					return fmt.Errorf("member %d (%s): %w", i, plans[i].email, err)
				}
				made = append(made, sm)
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		s.members = append(s.members, made...)
	}
	s.rep.Members = len(s.members)
	return s.rep.Members, nil
}

func (s *seeder) chance(p float64) bool { return s.rng.Float64() < p }

func (s *seeder) between(lo, hi int) int { return lo + s.rng.IntN(hi-lo+1) }

// member creates one member with skills, clearances, availability and
// perhaps leave.
func (s *seeder) member(ctx context.Context, a *App, i int, p memberPlan) (*seedMember, error) {
	area := demoAreaByCode(p.area)
	lat := round4(area.lat + (s.rng.Float64()-0.5)*0.04)
	lon := round4(area.lon + (s.rng.Float64()-0.5)*0.06)
	officer := slices.Contains(p.kinds, domain.KindBankOfficer)
	mentor := slices.Contains(p.kinds, domain.KindMentor)
	volunteer := slices.Contains(p.kinds, domain.KindVolunteer)
	travel := float64(s.between(5, 15))
	if officer {
		travel = float64(s.between(12, 35))
	} else if mentor {
		travel = float64(s.between(10, 25))
	}
	in := NewMember{Name: p.name, Email: p.email, Phone: fmt.Sprintf("07700 900%03d", i), Kinds: p.kinds, HomeArea: p.area,
		Lat: &lat, Lon: &lon, TravelKm: &travel, Preferences: domain.Preferences{Areas: []string{p.area}}}
	if officer && p.demo == "" {
		if s.chance(0.3) { // serving staff taking extra shifts
			c := float64([]int{16, 22, 30}[s.rng.IntN(3)])
			in.ContractedHoursPerWeek = &c
		}
		if s.chance(0.5) {
			n := s.between(3, 5)
			in.Limits.MaxShiftsPerWeek = &n
			t := float64(s.between(4, 10) * 8)
			in.Limits.TargetHoursPer4Weeks = &t
		}
		if s.chance(0.3) {
			w := 2
			in.Limits.MaxWeekendsPer4Weeks = &w
		}
	}
	if p.demo == "" && i%97 == 50 {
		in.Status = domain.MemberSuspended
	}
	m, err := a.CreateMember(ctx, s.admin, in)
	if err != nil {
		return nil, err
	}
	sm := &seedMember{m: m, demo: p.demo != ""}

	// Skills: what each kind tends to hold; a few expire within 60 days.
	want := map[string]bool{}
	pick := func(code string, prob float64) {
		if s.chance(prob) {
			want[code] = true
		}
	}
	switch {
	case officer:
		pick("first_aid", 0.85)
		pick("driving", 0.6)
		pick("mhfa", 0.3)
		pick("safeguarding_l2", 0.5)
		pick("trigger_chair", 0.2)
		pick("restorative_justice", 0.15)
	case volunteer:
		pick("first_aid", 0.55)
		pick("driving", 0.3)
		pick("mhfa", 0.15)
		pick("trauma_informed", 0.2)
		pick("safeguarding_l2", 0.25)
		pick("speedwatch", 0.3)
		pick("restorative_justice", 0.05)
	}
	if mentor {
		want["safeguarding_l2"] = true
		pick("trauma_informed", 0.6)
		pick("restorative_justice", 0.4)
		pick("mhfa", 0.4)
		lived := []string{"lived:addiction", "lived:abuse", "lived:crime"}
		want[lived[i%3]] = true
		pick(lived[(i+1)%3], 0.3)
	} else {
		pick("lived:crime", 0.03)
	}
	pick("lang:pl", 0.05)
	switch p.demo {
	case "volunteer":
		want = map[string]bool{"first_aid": true, "speedwatch": true, "safeguarding_l2": true}
	case "officer":
		want = map[string]bool{"first_aid": true, "driving": true, "trigger_chair": true, "safeguarding_l2": true}
	case "mentor":
		want = map[string]bool{"safeguarding_l2": true, "lived:addiction": true, "trauma_informed": true, "restorative_justice": true}
	}
	codes := make([]string, 0, len(want))
	for code := range want {
		codes = append(codes, code)
	}
	sort.Strings(codes) // map order is random; the data set must not be
	for _, code := range codes {
		months := s.skills[code].ValidMonths
		var obtained domain.Date
		switch {
		case months != nil && p.demo == "" && s.chance(0.1):
			// expires within the next 60 days
			obtained = s.today.AddDays(s.between(1, 60)).AddMonths(-*months)
		case months != nil:
			obtained = s.today.AddDays(-s.between(30, *months*30-90))
		default:
			obtained = s.today.AddDays(-s.between(60, 5*365))
		}
		ms, err := a.PutMemberSkill(ctx, s.admin, m.ID, code, SkillHolding{ObtainedOn: obtained.String()})
		if err != nil {
			return nil, fmt.Errorf("skill %s: %w", code, err)
		}
		sm.skills = append(sm.skills, ms)
		s.rep.SkillsHeld++
	}

	// Clearances: NPPV for everyone bar a few still in vetting; DBS for
	// mentors; some expiring soon, a few suspended.
	level := domain.NPPV1
	switch {
	case officer:
		level = []domain.ClearanceType{domain.NPPV2, domain.NPPV2, domain.NPPV3}[s.rng.IntN(3)]
	case volunteer && s.chance(0.35):
		level = domain.NPPV2
	}
	switch p.demo {
	case "volunteer":
		level = domain.NPPV2
	case "officer":
		level = domain.NPPV3
	}
	var want2 []domain.ClearanceType
	if p.demo != "" || !s.chance(0.05) {
		want2 = append(want2, level)
	}
	if mentor {
		want2 = append(want2, domain.DBSEnhancedAdults)
		if s.chance(0.4) || p.demo == "mentor" {
			want2 = append(want2, domain.DBSEnhancedChildren)
		}
	}
	for _, t := range want2 {
		granted := s.today.AddDays(-s.between(60, 4*365))
		expires := granted.AddMonths(60)
		if domain.IsDBS(t) {
			expires = granted.AddMonths(36)
		}
		if p.demo == "" && s.chance(0.07) {
			expires = s.today.AddDays(s.between(5, 60))
		}
		if !s.today.Before(expires) || p.demo != "" {
			// lapsed: renewed recently
			granted = s.today.AddDays(-s.between(10, 200))
			expires = granted.AddMonths(60)
		}
		c, err := a.AddClearance(ctx, s.admin, m.ID, NewClearance{Type: t, GrantedOn: granted.String(), ExpiresOn: expires.String()})
		if err != nil {
			return nil, fmt.Errorf("clearance %s: %w", t, err)
		}
		if p.demo == "" && !domain.IsDBS(t) && i%41 == 7 {
			if c, err = a.SetClearanceStatus(ctx, s.admin, m.ID, c.ID, domain.ClearanceSuspended); err != nil {
				return nil, err
			}
		}
		sm.clearances = append(sm.clearances, c)
		s.rep.Clearances++
	}

	// Weekly availability for most; mentors offer an afternoon.
	if p.demo != "" || s.chance(0.75) {
		pat := availabilityPatterns[s.rng.IntN(len(availabilityPatterns))]
		if mentor && !officer {
			pat = availabilityPatterns[[]int{3, 6, 2}[s.rng.IntN(3)]]
		}
		if p.demo == "volunteer" {
			pat = availabilityPatterns[0]
		}
		start := s.weekStart()
		for start.Weekday() != pat.day {
			start = start.AddDate(0, 0, 1)
		}
		av, err := a.AddAvailability(ctx, s.admin, m.ID, NewAvailability{StartLocal: fmt.Sprintf("%sT%02d:00", domain.DateOf(start), pat.hour),
			DurationMinutes: pat.minutes, TimeZone: s.loc.String(), RRule: pat.rrule})
		if err != nil {
			return nil, fmt.Errorf("availability: %w", err)
		}
		_ = av
		s.rep.Availability++
	}

	// A few on leave in the coming weeks.
	if p.demo == "" && s.chance(0.04) {
		from := s.today.AddDays(s.between(3, 20))
		l, err := a.AddLeave(ctx, s.admin, m.ID, NewLeave{From: from.String(), To: from.AddDays(s.between(2, 9)).String(), Reason: "annual leave"})
		if err != nil {
			return nil, fmt.Errorf("leave: %w", err)
		}
		sm.leave = append(sm.leave, l)
	}
	return sm, nil
}

// weekStart is midnight on Monday of this week, in the force's zone.
func (s *seeder) weekStart() time.Time {
	t := s.today.Start(s.loc)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

func demoAreaByCode(code string) seedArea {
	for _, sa := range demoAreas {
		if sa.code == code {
			return sa
		}
	}
	return seedArea{}
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// ---- accounts ----

// seedAccounts makes the demo sign-ins: the three demo members, and a
// coordinator scoped to both local authorities.
func (s *seeder) seedAccounts(ctx context.Context) (int, error) {
	made := 0
	for _, sm := range s.members {
		if !sm.demo {
			continue
		}
		if _, err := s.a.CreateUser(ctx, NewUser{Email: sm.m.Email, Name: sm.m.Name, Password: DemoPassword,
			Roles: []domain.Role{domain.RoleMember}, MemberID: sm.m.ID}); err != nil {
			return made, fmt.Errorf("account %s: %w", sm.m.Email, err)
		}
		made++
	}
	u, err := s.a.CreateUser(ctx, NewUser{Email: demoCoordinatorEmail, Name: "Chris Demo-Coordinator", Password: DemoPassword,
		Roles: []domain.Role{domain.RoleCoordinator}})
	if err != nil {
		return made, fmt.Errorf("account %s: %w", demoCoordinatorEmail, err)
	}
	made++
	if err := s.a.Store.SetUserAreas(ctx, u.ID, []string{s.areas["DUR-CC"].ID, s.areas["DARL"].ID}); err != nil {
		return made, err
	}
	if u, err = s.a.Store.UserByID(ctx, u.ID); err != nil {
		return made, err
	}
	s.coordinator = &domain.Principal{User: u}
	s.rep.Users += made
	return made, nil
}

// ---- demand ----

func volunteers(n int, vetting string, skills ...string) PositionInput {
	return PositionInput{Name: "Volunteer", Kinds: []string{"volunteer"}, Skills: orNoSkills(skills), MinVetting: vetting, Headcount: n}
}

func lead(band, vetting string, skills ...string) PositionInput {
	return PositionInput{Name: "Patrol lead", Kinds: []string{"bank_officer"}, Skills: orNoSkills(skills), MinVetting: vetting, Headcount: 1, PayBand: band}
}

func orNoSkills(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// demandTemplate is a kind of demand a coordinator posts, instantiated once
// per area it names.
type demandTemplate struct {
	problem   string
	title     string // %s: the area's name
	desc      string
	briefing  string
	areas     []string
	day       time.Weekday
	hour, min int
	minutes   int
	rrule     string // "" = one-off; the one-offs spread over the four weeks
	mode      string
	priority  int
	mentee    []string // mentoring: one demand per mentee ref, paired with areas
	meet      string   // where to meet, at the area centre
	positions []PositionInput
}

var demoDemands = []demandTemplate{
	{problem: "student_asb", title: "Student area evening patrol — %s", day: time.Friday, hour: 20, minutes: 240,
		desc:     "Evening patrol of the student streets of the Viaduct and Gilesgate with Durham University's community liaison team.",
		briefing: "Meet at the Millburngate entrance. Hi-vis and radios issued on the night. University liaison officer joins at 21:00.",
		areas:    []string{"DUR-CITY"}, rrule: "FREQ=WEEKLY;COUNT=4", mode: "open", priority: 4, meet: "Millburngate, Durham",
		positions: []PositionInput{lead("B2", "NPPV2", "first_aid"), volunteers(3, "NPPV1")}},
	{problem: "student_asb", title: "Freshers' night-time economy support — %s", day: time.Thursday, hour: 21, minutes: 300,
		desc:  "Welfare and reassurance in the city centre on a busy student night: help the vulnerable get home safely.",
		areas: []string{"DUR-CITY"}, rrule: "FREQ=WEEKLY;COUNT=4", mode: "approval", priority: 3, meet: "Market Place, Durham",
		positions: []PositionInput{lead("B2", "NPPV2", "first_aid"), volunteers(4, "NPPV1", "first_aid")}},
	{problem: "asb", title: "ASB hotspot patrol — %s", day: time.Saturday, hour: 18, minutes: 240,
		desc:     "High-visibility patrol of the ward's anti-social behaviour hotspots reported through the Community Safety Partnership.",
		briefing: "Hotspot map and recent incident summary issued at the briefing. Report all incidents through the usual channel.",
		areas:    []string{"DUR-PET", "DUR-SEA", "DARL-N1", "DUR-STAN"}, rrule: "FREQ=WEEKLY;COUNT=4", mode: "open", priority: 3,
		positions: []PositionInput{lead("B1", "NPPV2", "first_aid"), volunteers(2, "NPPV1")}},
	{problem: "asb", title: "Evening reassurance patrol — %s", day: time.Friday, hour: 19, minutes: 300,
		desc:  "Reassurance patrol around the bus station and parks following residents' complaints.",
		areas: []string{"DARL-TC", "DUR-BA", "DUR-SPEN", "DARL-E1"}, mode: "open", priority: 3,
		positions: []PositionInput{lead("B1", "NPPV2"), volunteers(2, "NPPV1")}},
	{problem: "neighbourhood_crime", title: "Burglary cocooning visits — %s", day: time.Tuesday, hour: 10, minutes: 240,
		desc:     "Door-to-door crime-prevention visits around recent burglaries: advice, timer switches and property marking kits.",
		briefing: "Visit addresses on the list in pairs. Leave a card where nobody answers.",
		areas:    []string{"DUR-CLS", "DARL-COCK", "DUR-NA", "DUR-CROOK"}, mode: "open", priority: 3,
		positions: []PositionInput{{Name: "Visit lead", Kinds: []string{"bank_officer"}, MinVetting: "NPPV2", Headcount: 1, PayBand: "B1", Skills: []string{}},
			volunteers(4, "NPPV1")}},
	{problem: "neighbourhood_crime", title: "Bike and shed marking event — %s", day: time.Saturday, hour: 10, minutes: 180,
		desc:  "Property marking for bikes, tools and garden equipment outside the community centre.",
		areas: []string{"DARL-HAU", "DUR-FRAM"}, mode: "open", priority: 2,
		positions: []PositionInput{volunteers(3, "NPPV1")}},
	{problem: "fly_tipping", title: "Fly-tipping clean-up — %s", day: time.Sunday, hour: 9, minutes: 240,
		desc:     "Clear dumped waste from the back lanes with the council's neighbourhood wardens; evidence is bagged for enforcement.",
		briefing: "Gloves, litter pickers and sharps boxes provided. Do not open bags that may hold evidence: photograph and tag them.",
		areas:    []string{"DUR-EAS", "DUR-CONS", "DARL-E1", "DUR-HOR"}, mode: "approval", priority: 2,
		positions: []PositionInput{{Name: "Van driver", Kinds: []string{"volunteer", "bank_officer"}, Skills: []string{"driving"}, MinVetting: "NPPV1", Headcount: 1},
			{Name: "Clean-up volunteer", Kinds: []string{"volunteer"}, Skills: []string{}, MinVetting: "none", Headcount: 6, MinHeadcount: ptrInt(3)}}},
	{problem: "vandalism", title: "Graffiti and vandalism clean-up — %s", day: time.Saturday, hour: 10, minutes: 180,
		desc:  "Remove graffiti and repair minor damage at the play park with the council's environment team.",
		areas: []string{"DUR-SHIL", "DARL-TC", "DUR-PET"}, mode: "approval", priority: 2,
		positions: []PositionInput{{Name: "Clean-up volunteer", Kinds: []string{"volunteer"}, Skills: []string{}, MinVetting: "none", Headcount: 5, MinHeadcount: ptrInt(2)}}},
	{problem: "speedwatch", title: "Community Speedwatch — %s", day: time.Monday, hour: 7, min: 30, minutes: 90,
		desc:     "Morning Speedwatch session at the agreed site; readings go to the roads policing unit.",
		briefing: "Collect the speed detection device from the parish hall. Stand at least 10 m from the kerb.",
		areas:    []string{"DARL-HEI", "DUR-BC", "DUR-SEDGE"}, rrule: "FREQ=DAILY;COUNT=5", mode: "open", priority: 2,
		positions: []PositionInput{volunteers(3, "NPPV1", "speedwatch")}},
	{problem: "victim_support", title: "Victim call-backs — %s", day: time.Wednesday, hour: 10, minutes: 360,
		desc:     "Call back victims of crime recorded in the last fortnight: check on their welfare and refer to support services.",
		briefing: "Work from the hub office. Scripts and referral pathways on the desk. Escalate any safeguarding concern at once.",
		areas:    []string{"DUR-SOUTH", "DARL"}, rrule: "FREQ=WEEKLY;COUNT=4", mode: "approval", priority: 3,
		positions: []PositionInput{{Name: "Call-back volunteer", Kinds: []string{"volunteer"}, Skills: []string{"trauma_informed"}, MinVetting: "NPPV2", Headcount: 2}}},
	{problem: "mentoring", title: "Mentoring session %s", day: time.Tuesday, hour: 14, minutes: 120,
		desc:     "One-to-one session with a person in recovery, working towards volunteering.",
		briefing: "Meet at the recovery hub. The mentee is known only by reference.",
		areas:    []string{"DUR-PET", "DUR-CITY", "DARL-TC", "DUR-BA"}, mentee: []string{"MEN-0042", "MEN-0057", "MEN-0063", "MEN-0071"},
		rrule: "FREQ=WEEKLY;COUNT=4", mode: "assigned", priority: 3,
		positions: []PositionInput{{Name: "Mentor", Kinds: []string{"mentor"}, Skills: []string{"safeguarding_l2", "lived:addiction"}, MinVetting: "none",
			DBS: []string{"dbs_enhanced_adults"}, Headcount: 1}}},
	{problem: "mentoring", title: "Mentoring session %s", day: time.Wednesday, hour: 10, minutes: 120,
		desc:  "Session with a survivor of domestic abuse, working towards a peer-support role.",
		areas: []string{"DARL-N1", "DUR-SEA"}, mentee: []string{"MEN-0088", "MEN-0094"},
		rrule: "FREQ=WEEKLY;COUNT=4", mode: "assigned", priority: 3,
		positions: []PositionInput{{Name: "Mentor", Kinds: []string{"mentor"}, Skills: []string{"safeguarding_l2", "lived:abuse"}, MinVetting: "none",
			DBS: []string{"dbs_enhanced_adults"}, Headcount: 1}}},
	{problem: "mentoring", title: "Mentoring session %s", day: time.Thursday, hour: 16, minutes: 90,
		desc:  "Session with a young person at risk of offending (youth justice referral).",
		areas: []string{"DUR-STAN"}, mentee: []string{"MEN-0107"},
		rrule: "FREQ=WEEKLY;COUNT=4", mode: "assigned", priority: 4,
		positions: []PositionInput{{Name: "Mentor", Kinds: []string{"mentor"}, Skills: []string{"safeguarding_l2", "lived:crime"}, MinVetting: "none",
			DBS: []string{"dbs_enhanced_children"}, Headcount: 1}}},
	{problem: "community_event", title: "Community safety day — %s", day: time.Saturday, hour: 10, minutes: 360,
		desc:  "Stall and walkabout: crime-prevention advice, bike marking and a chance to meet the neighbourhood team.",
		areas: []string{"DARL-TC", "DUR-SEA", "DUR-CITY"}, mode: "open", priority: 2,
		positions: []PositionInput{{Name: "Bank officer", Kinds: []string{"bank_officer"}, Skills: []string{"first_aid"}, MinVetting: "NPPV2", Headcount: 2, PayBand: "B1"},
			volunteers(6, "NPPV1")}},
	{problem: "trigger_meeting", title: "Community Trigger resolution meeting — %s", day: time.Thursday, hour: 18, minutes: 120,
		desc:  "Case review under the ASB Community Trigger with the council, housing provider and the applicant.",
		areas: []string{"DUR-PET", "DARL-N1"}, mode: "assigned", priority: 4,
		positions: []PositionInput{{Name: "Chair", Kinds: []string{"bank_officer"}, Skills: []string{"trigger_chair"}, MinVetting: "NPPV3", Headcount: 1, PayBand: "B3"},
			{Name: "Restorative practitioner", Kinds: []string{"volunteer", "mentor"}, Skills: []string{"restorative_justice"}, MinVetting: "NPPV1", Headcount: 1}}},
	{problem: "other", title: "Front counter support — %s", day: time.Monday, hour: 10, minutes: 240,
		desc:  "Help at the police station front counter: directions, lost property and crime-reporting kiosks.",
		areas: []string{"DARL-TC"}, rrule: "FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=%s", mode: "open", priority: 1,
		positions: []PositionInput{volunteers(1, "NPPV2")}},
	{problem: "other", title: "Missing person search support — %s", day: -1, hour: 8, minutes: 480,
		desc:  "Urgent: support the search team for a missing vulnerable adult last seen near the reservoir.",
		areas: []string{"DUR-CONS"}, mode: "assigned", priority: 5,
		positions: []PositionInput{{Name: "Search officer", Kinds: []string{"bank_officer"}, Skills: []string{"first_aid"}, MinVetting: "NPPV2", Headcount: 3, PayBand: "B2"},
			{Name: "Search volunteer", Kinds: []string{"volunteer"}, Skills: []string{"first_aid"}, MinVetting: "NPPV1", Headcount: 4}}},
}

func ptrInt(n int) *int { return &n }

// seedDemands posts the templates as the demo coordinator.
func (s *seeder) seedDemands(ctx context.Context) (int, error) {
	oneOff := 0
	for _, t := range demoDemands {
		for k, code := range t.areas {
			area := demoAreaByCode(code)
			// First matching day from tomorrow; one-offs spread over the weeks.
			start := s.today.AddDays(1).Start(s.loc)
			if t.day >= 0 {
				for start.Weekday() != t.day {
					start = start.AddDate(0, 0, 1)
				}
			}
			if t.rrule == "" && t.day >= 0 {
				start = start.AddDate(0, 0, 7*(oneOff%4))
				oneOff++
			}
			startLocal := time.Date(start.Year(), start.Month(), start.Day(), t.hour, t.min, 0, 0, time.UTC)
			endLocal := startLocal.Add(time.Duration(t.minutes) * time.Minute)
			in := DemandInput{Title: fmt.Sprintf(t.title, area.name), Description: t.desc, ProblemType: t.problem, Area: code,
				Briefing: t.briefing, Priority: t.priority, BookingMode: t.mode, TimeZone: s.loc.String(),
				StartLocal: startLocal.Format("2006-01-02T15:04"), EndLocal: endLocal.Format("2006-01-02T15:04"), RRule: t.rrule,
				Positions: t.positions}
			if strings.Contains(in.RRule, "%s") {
				// through the last day of the four weeks
				in.RRule = fmt.Sprintf(in.RRule, strings.ReplaceAll(s.today.AddDays(27).String(), "-", ""))
			}
			if t.mentee != nil {
				in.MenteeRef = t.mentee[k]
				in.Title = fmt.Sprintf(t.title, t.mentee[k])
			}
			desc := t.meet
			if desc == "" {
				desc = area.name + " — briefing point given on booking"
			}
			lat, lon := area.lat, area.lon
			in.Location = &domain.Location{Description: desc, Lat: &lat, Lon: &lon}
			if t.rrule == "FREQ=WEEKLY;COUNT=4" && k%2 == 1 {
				// a week off in the middle of some series (an EXDATE)
				in.ExDates = []string{startLocal.AddDate(0, 0, 14).Format("2006-01-02T15:04")}
			}
			d, err := s.a.PostDemand(ctx, s.coordinator, in)
			if err != nil {
				return 0, fmt.Errorf("demand %q: %w", in.Title, err)
			}
			s.demands = append(s.demands, d)
			s.rep.Demands++
			s.rep.Shifts += len(d.Shifts)
		}
	}
	return s.rep.Demands, nil
}

// ---- bookings ----

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
						if _, err := s.a.JoinWaitlist(ctx, s.coordinator, BookInput{ShiftID: sh.ID, PositionID: pos.ID, MemberID: sm.m.ID}); err == nil {
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
func (s *seeder) bookOne(ctx context.Context, d domain.Demand, sh domain.Shift, pos domain.Position, sm *seedMember) (BookingResult, error) {
	in := BookInput{ShiftID: sh.ID, PositionID: pos.ID, MemberID: sm.m.ID}
	switch {
	case d.BookingMode == domain.ModeAssigned && s.chance(0.4):
		in.Offer = true
	case d.BookingMode == domain.ModeApproval && s.chance(0.4):
		self := &domain.Principal{User: domain.User{Name: sm.m.Name, Email: sm.m.Email, Roles: []domain.Role{domain.RoleMember}, MemberID: sm.m.ID}}
		return s.a.Book(ctx, self, BookInput{ShiftID: sh.ID, PositionID: pos.ID})
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
					res, err := s.a.Book(ctx, s.coordinator, BookInput{ShiftID: sh.ID, PositionID: pos.ID, MemberID: sm.m.ID})
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
