package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The demo's recruitment: role profiles open in several areas (and one
// draft, one closed), and applications at every stage of the pipeline with
// the history of how they got there, over the last six weeks.

var demoOpportunities = []app.NewOpportunity{
	{Title: "Community Speedwatch volunteer", Kind: domain.KindVolunteer, Area: "DUR-CITY", MinVetting: domain.NPPV1,
		SkillsGained: []string{"speedwatch"}, Commitment: "Three hours a week, in daylight",
		Description: "Join a Speedwatch team on the streets residents worry about most, recording speeding drivers for a warning letter. Full training given.",
		Status:      domain.OpportunityOpen},
	{Title: "Town centre evening volunteer", Kind: domain.KindVolunteer, Area: "DARL-TC", MinVetting: domain.NPPV2,
		SkillsGained: []string{"first_aid"}, Commitment: "One Friday or Saturday evening a month",
		Description: "Help people on a night out get home safely, alongside the town centre team and street pastors.",
		Status:      domain.OpportunityOpen},
	{Title: "Lived-experience peer mentor", Kind: domain.KindMentor, Area: "DUR-EAST", MinVetting: domain.NPPV2,
		SkillsGained: []string{"trauma_informed"}, Commitment: "Two hours a week for at least six months",
		Description: "Use your own experience of addiction, abuse or offending to support someone starting out on the same road.",
		Status:      domain.OpportunityOpen},
	{Title: "Bank officer: neighbourhood patrol", Kind: domain.KindBankOfficer, Area: "DUR-SOUTH", MinVetting: domain.NPPV3,
		Commitment:  "Shifts you choose, paid at the bank rate",
		Description: "For serving and former officers: pick up patrol shifts in South Durham's neighbourhoods when you can.",
		Status:      domain.OpportunityOpen},
	{Title: "Schools and youth engagement volunteer", Kind: domain.KindVolunteer, Area: "DUR-NORTH", MinVetting: domain.NPPV2,
		SkillsGained: []string{"safeguarding_l2"}, Commitment: "Term-time afternoons, two a month",
		Description: "Run sessions with schools and youth clubs on staying safe online and on the streets.",
		Status:      domain.OpportunityOpen},
	{Title: "Rural watch volunteer", Kind: domain.KindVolunteer, Area: "DUR-BC", MinVetting: domain.NPPV1,
		Commitment:  "Flexible, about four hours a month",
		Description: "Keep an eye out for rural crime in Teesdale — farm machinery, livestock, fly-tipping — and pass on what you see.",
		Status:      domain.OpportunityOpen},
	{Title: "Restorative justice volunteer (from spring)", Kind: domain.KindVolunteer, Area: "DARL", MinVetting: domain.NPPV2,
		SkillsGained: []string{"restorative_justice"}, Commitment: "A few meetings a month",
		Description: "Help victims and those who harmed them meet and put things right.", Status: domain.OpportunityDraft},
	{Title: "Student area patrol volunteer (autumn intake)", Kind: domain.KindVolunteer, Area: "DUR-CITY", MinVetting: domain.NPPV1,
		Commitment: "Two evenings a month in term", Description: "Walk the student streets with the university's community team.",
		Status: domain.OpportunityClosed},
}

// demoApplications: who applied to which opportunity (by index), how many
// days ago, and where their application stands now.
var demoApplications = []struct {
	opportunity int
	daysAgo     int
	stage       domain.Stage
	lived       []string
}{
	{0, 2, domain.StageSubmitted, nil},
	{1, 1, domain.StageSubmitted, nil},
	{2, 4, domain.StageSubmitted, []string{"lived:addiction"}},
	{0, 6, domain.StageScreening, nil},
	{3, 9, domain.StageScreening, nil},
	{1, 12, domain.StageReferences, nil},
	{4, 15, domain.StageReferences, nil},
	{2, 20, domain.StageVetting, []string{"lived:crime"}},
	{5, 25, domain.StageVetting, nil},
	{0, 30, domain.StageTraining, nil},
	{2, 28, domain.StageTraining, []string{"lived:addiction"}},
	{1, 38, domain.StageActive, nil},
	{4, 35, domain.StageActive, nil},
	{3, 18, domain.StageRejected, nil},
	{0, 10, domain.StageRejected, nil},
	{5, 8, domain.StageWithdrawn, nil},
}

var demoStageNotes = map[domain.Stage]string{
	domain.StageScreening:  "Phoned: keen, available evenings",
	domain.StageReferences: "Screening call went well; two referees asked",
	domain.StageVetting:    "Both references back and positive",
	domain.StageTraining:   "Vetting cleared",
	domain.StageActive:     "Induction done: welcome aboard",
	domain.StageRejected:   "Could not offer the hours the role needs; thanked and signposted elsewhere",
}

// keptMessages holds what the demo's past would have sent: its people are
// made up, so nothing reaches a mail server.
type keptMessages struct{ sent []app.Message }

func (k *keptMessages) Send(_ context.Context, m app.Message) error {
	k.sent = append(k.sent, m)
	return nil
}

// back returns the use cases with the clock at *at (moved by the caller)
// and messages kept, for history that happened before today.
func (s *seeder) back(at *time.Time, kept *keptMessages) *app.App {
	c := *s.a
	c.Now = func() time.Time { return *at }
	c.Notify = kept
	return &c
}

func (s *seeder) seedRecruitment(ctx context.Context) (int, error) {
	now := s.a.Now()
	clock := now.AddDate(0, 0, -45)
	kept := &keptMessages{}
	past := s.back(&clock, kept)
	var opps []domain.Opportunity
	for _, in := range demoOpportunities {
		o, err := past.CreateOpportunity(ctx, s.admin, in)
		if err != nil {
			return 0, fmt.Errorf("opportunity %q: %w", in.Title, err)
		}
		opps = append(opps, o)
	}
	made := len(opps)
	for i, da := range demoApplications {
		name := demoFirstNames[(i*7+3)%len(demoFirstNames)] + " " + demoSurnames[(i*11+5)%len(demoSurnames)]
		email := strings.ToLower(asciiOnly(strings.ReplaceAll(strings.ReplaceAll(name, " ", "."), "'", ""))) + fmt.Sprintf(".%d@example.org", 900+i)
		applied := now.AddDate(0, 0, -da.daysAgo).Add(-time.Duration(s.between(1, 8)) * time.Hour)
		clock = applied
		// Each application from an address of its own: the form's limit
		// per address is for people, not for the seed.
		actx := app.WithRequest(ctx, "", fmt.Sprintf("198.51.100.%d", i+1))
		application, err := past.Apply(actx, app.NewApplication{OpportunityID: opps[da.opportunity].ID, Name: name, Email: email,
			Phone: fmt.Sprintf("07700 900%03d", 500+i), Postcode: demoPostcode(opps[da.opportunity].AreaCode),
			Motivation:      "I want to give something back to the place I live.",
			LivedExperience: da.lived, Consent: true})
		if err != nil {
			return made, fmt.Errorf("application %d: %w", i, err)
		}
		made++
		var path []domain.Stage
		switch da.stage {
		case domain.StageRejected:
			path = []domain.Stage{domain.StageScreening, domain.StageRejected}
		case domain.StageWithdrawn:
			path = nil
		default:
			for _, st := range domain.Stages() {
				if st == domain.StageSubmitted {
					continue
				}
				path = append(path, st)
				if st == da.stage {
					break
				}
			}
			if da.stage == domain.StageSubmitted {
				path = nil
			}
		}
		// The moves spread over the days since the application.
		step := time.Duration(da.daysAgo) * 24 * time.Hour / time.Duration(len(path)+1)
		for _, st := range path {
			clock = clock.Add(step)
			moved, err := past.MoveStage(ctx, s.admin, application.ID, st, demoStageNotes[st])
			if err != nil {
				return made, fmt.Errorf("application %d to %s: %w", i, st, err)
			}
			if moved.MemberCreated {
				s.rep.Members++
			}
		}
		if da.stage == domain.StageWithdrawn {
			clock = clock.Add(48 * time.Hour)
			ack := kept.sent[len(kept.sent)-1]
			if ack.To != email {
				return made, fmt.Errorf("application %d: no acknowledgement kept", i)
			}
			if _, err := past.Withdraw(actx, ack.Link[strings.LastIndex(ack.Link, "/")+1:]); err != nil {
				return made, fmt.Errorf("application %d withdrawn: %w", i, err)
			}
		}
	}
	return made, nil
}

// demoPostcode is a made-up postcode in the area's postal district.
func demoPostcode(area string) string {
	switch {
	case strings.HasPrefix(area, "DARL"):
		return "DL1 1AA"
	case area == "DUR-BC":
		return "DL12 8AA"
	case area == "DUR-SOUTH":
		return "DL14 7AA"
	case area == "DUR-EAST":
		return "SR8 1AA"
	default:
		return "DH1 3AA"
	}
}
