package demo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

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
		err := s.a.InTx(ctx, func(ta *app.App) error {
			made = made[:0]
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
func (s *seeder) member(ctx context.Context, a *app.App, i int, p memberPlan) (*seedMember, error) {
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
	in := app.NewMember{Name: p.name, Email: p.email, Phone: fmt.Sprintf("07700 900%03d", i), Kinds: p.kinds, HomeArea: p.area,
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
		ms, err := a.PutMemberSkill(ctx, s.admin, m.ID, code, app.SkillHolding{ObtainedOn: obtained.String()})
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
		c, err := a.AddClearance(ctx, s.admin, m.ID, app.NewClearance{Type: t, GrantedOn: granted.String(), ExpiresOn: expires.String()})
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
		av, err := a.AddAvailability(ctx, s.admin, m.ID, app.NewAvailability{StartLocal: fmt.Sprintf("%sT%02d:00", domain.DateOf(start), pat.hour),
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
		l, err := a.AddLeave(ctx, s.admin, m.ID, app.NewLeave{From: from.String(), To: from.AddDays(s.between(2, 9)).String(), Reason: "annual leave"})
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
		if _, err := s.a.CreateUser(ctx, app.NewUser{Email: sm.m.Email, Name: sm.m.Name, Password: Password,
			Roles: []domain.Role{domain.RoleMember}, MemberID: sm.m.ID}); err != nil {
			return made, fmt.Errorf("account %s: %w", sm.m.Email, err)
		}
		made++
	}
	u, err := s.a.CreateUser(ctx, app.NewUser{Email: demoCoordinatorEmail, Name: "Chris Demo-Coordinator", Password: Password,
		Roles: []domain.Role{domain.RoleCoordinator}, Areas: []string{"DUR-CC", "DARL"}})
	if err != nil {
		return made, fmt.Errorf("account %s: %w", demoCoordinatorEmail, err)
	}
	made++
	s.coordinator = &domain.Principal{User: u}
	s.rep.Users += made
	return made, nil
}
