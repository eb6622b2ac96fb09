package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

func volunteers(n int, vetting string, skills ...string) app.PositionInput {
	return app.PositionInput{Name: "Volunteer", Kinds: []string{"volunteer"}, Skills: orNoSkills(skills), MinVetting: vetting, Headcount: n}
}

func lead(band, vetting string, skills ...string) app.PositionInput {
	return app.PositionInput{Name: "Patrol lead", Kinds: []string{"bank_officer"}, Skills: orNoSkills(skills), MinVetting: vetting, Headcount: 1, PayBand: band}
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
	positions []app.PositionInput
}

var demoDemands = []demandTemplate{
	{problem: "student_asb", title: "Student area evening patrol — %s", day: time.Friday, hour: 20, minutes: 240,
		desc:     "Evening patrol of the student streets of the Viaduct and Gilesgate with Durham University's community liaison team.",
		briefing: "Meet at the Millburngate entrance. Hi-vis and radios issued on the night. University liaison officer joins at 21:00.",
		areas:    []string{"DUR-CITY"}, rrule: "FREQ=WEEKLY;COUNT=4", mode: "open", priority: 4, meet: "Millburngate, Durham",
		positions: []app.PositionInput{lead("B2", "NPPV2", "first_aid"), volunteers(3, "NPPV1")}},
	{problem: "student_asb", title: "Freshers' night-time economy support — %s", day: time.Thursday, hour: 21, minutes: 300,
		desc:  "Welfare and reassurance in the city centre on a busy student night: help the vulnerable get home safely.",
		areas: []string{"DUR-CITY"}, rrule: "FREQ=WEEKLY;COUNT=4", mode: "approval", priority: 3, meet: "Market Place, Durham",
		positions: []app.PositionInput{lead("B2", "NPPV2", "first_aid"), volunteers(4, "NPPV1", "first_aid")}},
	{problem: "asb", title: "ASB hotspot patrol — %s", day: time.Saturday, hour: 18, minutes: 240,
		desc:     "High-visibility patrol of the ward's anti-social behaviour hotspots reported through the Community Safety Partnership.",
		briefing: "Hotspot map and recent incident summary issued at the briefing. Report all incidents through the usual channel.",
		areas:    []string{"DUR-PET", "DUR-SEA", "DARL-N1", "DUR-STAN"}, rrule: "FREQ=WEEKLY;COUNT=4", mode: "open", priority: 3,
		positions: []app.PositionInput{lead("B1", "NPPV2", "first_aid"), volunteers(2, "NPPV1")}},
	{problem: "asb", title: "Evening reassurance patrol — %s", day: time.Friday, hour: 19, minutes: 300,
		desc:  "Reassurance patrol around the bus station and parks following residents' complaints.",
		areas: []string{"DARL-TC", "DUR-BA", "DUR-SPEN", "DARL-E1"}, mode: "open", priority: 3,
		positions: []app.PositionInput{lead("B1", "NPPV2"), volunteers(2, "NPPV1")}},
	{problem: "neighbourhood_crime", title: "Burglary cocooning visits — %s", day: time.Tuesday, hour: 10, minutes: 240,
		desc:     "Door-to-door crime-prevention visits around recent burglaries: advice, timer switches and property marking kits.",
		briefing: "Visit addresses on the list in pairs. Leave a card where nobody answers.",
		areas:    []string{"DUR-CLS", "DARL-COCK", "DUR-NA", "DUR-CROOK"}, mode: "open", priority: 3,
		positions: []app.PositionInput{{Name: "Visit lead", Kinds: []string{"bank_officer"}, MinVetting: "NPPV2", Headcount: 1, PayBand: "B1", Skills: []string{}},
			volunteers(4, "NPPV1")}},
	{problem: "neighbourhood_crime", title: "Bike and shed marking event — %s", day: time.Saturday, hour: 10, minutes: 180,
		desc:  "Property marking for bikes, tools and garden equipment outside the community centre.",
		areas: []string{"DARL-HAU", "DUR-FRAM"}, mode: "open", priority: 2,
		positions: []app.PositionInput{volunteers(3, "NPPV1")}},
	{problem: "fly_tipping", title: "Fly-tipping clean-up — %s", day: time.Sunday, hour: 9, minutes: 240,
		desc:     "Clear dumped waste from the back lanes with the council's neighbourhood wardens; evidence is bagged for enforcement.",
		briefing: "Gloves, litter pickers and sharps boxes provided. Do not open bags that may hold evidence: photograph and tag them.",
		areas:    []string{"DUR-EAS", "DUR-CONS", "DARL-E1", "DUR-HOR"}, mode: "approval", priority: 2,
		positions: []app.PositionInput{{Name: "Van driver", Kinds: []string{"volunteer", "bank_officer"}, Skills: []string{"driving"}, MinVetting: "NPPV1", Headcount: 1},
			{Name: "Clean-up volunteer", Kinds: []string{"volunteer"}, Skills: []string{}, MinVetting: "none", Headcount: 6, MinHeadcount: ptrInt(3)}}},
	{problem: "vandalism", title: "Graffiti and vandalism clean-up — %s", day: time.Saturday, hour: 10, minutes: 180,
		desc:  "Remove graffiti and repair minor damage at the play park with the council's environment team.",
		areas: []string{"DUR-SHIL", "DARL-TC", "DUR-PET"}, mode: "approval", priority: 2,
		positions: []app.PositionInput{{Name: "Clean-up volunteer", Kinds: []string{"volunteer"}, Skills: []string{}, MinVetting: "none", Headcount: 5, MinHeadcount: ptrInt(2)}}},
	{problem: "speedwatch", title: "Community Speedwatch — %s", day: time.Monday, hour: 7, min: 30, minutes: 90,
		desc:     "Morning Speedwatch session at the agreed site; readings go to the roads policing unit.",
		briefing: "Collect the speed detection device from the parish hall. Stand at least 10 m from the kerb.",
		areas:    []string{"DARL-HEI", "DUR-BC", "DUR-SEDGE"}, rrule: "FREQ=DAILY;COUNT=5", mode: "open", priority: 2,
		positions: []app.PositionInput{volunteers(3, "NPPV1", "speedwatch")}},
	{problem: "victim_support", title: "Victim call-backs — %s", day: time.Wednesday, hour: 10, minutes: 360,
		desc:     "Call back victims of crime recorded in the last fortnight: check on their welfare and refer to support services.",
		briefing: "Work from the hub office. Scripts and referral pathways on the desk. Escalate any safeguarding concern at once.",
		areas:    []string{"DUR-SOUTH", "DARL"}, rrule: "FREQ=WEEKLY;COUNT=4", mode: "approval", priority: 3,
		positions: []app.PositionInput{{Name: "Call-back volunteer", Kinds: []string{"volunteer"}, Skills: []string{"trauma_informed"}, MinVetting: "NPPV2", Headcount: 2}}},
	{problem: "mentoring", title: "Mentoring session %s", day: time.Tuesday, hour: 14, minutes: 120,
		desc:     "One-to-one session with a person in recovery, working towards volunteering.",
		briefing: "Meet at the recovery hub. The mentee is known only by reference.",
		areas:    []string{"DUR-PET", "DUR-CITY", "DARL-TC", "DUR-BA"}, mentee: []string{"MEN-0042", "MEN-0057", "MEN-0063", "MEN-0071"},
		rrule: "FREQ=WEEKLY;COUNT=4", mode: "assigned", priority: 3,
		positions: []app.PositionInput{{Name: "Mentor", Kinds: []string{"mentor"}, Skills: []string{"safeguarding_l2", "lived:addiction"}, MinVetting: "none",
			DBS: []string{"dbs_enhanced_adults"}, Headcount: 1}}},
	{problem: "mentoring", title: "Mentoring session %s", day: time.Wednesday, hour: 10, minutes: 120,
		desc:  "Session with a survivor of domestic abuse, working towards a peer-support role.",
		areas: []string{"DARL-N1", "DUR-SEA"}, mentee: []string{"MEN-0088", "MEN-0094"},
		rrule: "FREQ=WEEKLY;COUNT=4", mode: "assigned", priority: 3,
		positions: []app.PositionInput{{Name: "Mentor", Kinds: []string{"mentor"}, Skills: []string{"safeguarding_l2", "lived:abuse"}, MinVetting: "none",
			DBS: []string{"dbs_enhanced_adults"}, Headcount: 1}}},
	{problem: "mentoring", title: "Mentoring session %s", day: time.Thursday, hour: 16, minutes: 90,
		desc:  "Session with a young person at risk of offending (youth justice referral).",
		areas: []string{"DUR-STAN"}, mentee: []string{"MEN-0107"},
		rrule: "FREQ=WEEKLY;COUNT=4", mode: "assigned", priority: 4,
		positions: []app.PositionInput{{Name: "Mentor", Kinds: []string{"mentor"}, Skills: []string{"safeguarding_l2", "lived:crime"}, MinVetting: "none",
			DBS: []string{"dbs_enhanced_children"}, Headcount: 1}}},
	{problem: "community_event", title: "Community safety day — %s", day: time.Saturday, hour: 10, minutes: 360,
		desc:  "Stall and walkabout: crime-prevention advice, bike marking and a chance to meet the neighbourhood team.",
		areas: []string{"DARL-TC", "DUR-SEA", "DUR-CITY"}, mode: "open", priority: 2,
		positions: []app.PositionInput{{Name: "Bank officer", Kinds: []string{"bank_officer"}, Skills: []string{"first_aid"}, MinVetting: "NPPV2", Headcount: 2, PayBand: "B1"},
			volunteers(6, "NPPV1")}},
	{problem: "trigger_meeting", title: "Community Trigger resolution meeting — %s", day: time.Thursday, hour: 18, minutes: 120,
		desc:  "Case review under the ASB Community Trigger with the council, housing provider and the applicant.",
		areas: []string{"DUR-PET", "DARL-N1"}, mode: "assigned", priority: 4,
		positions: []app.PositionInput{{Name: "Chair", Kinds: []string{"bank_officer"}, Skills: []string{"trigger_chair"}, MinVetting: "NPPV3", Headcount: 1, PayBand: "B3"},
			{Name: "Restorative practitioner", Kinds: []string{"volunteer", "mentor"}, Skills: []string{"restorative_justice"}, MinVetting: "NPPV1", Headcount: 1}}},
	{problem: "other", title: "Front counter support — %s", day: time.Monday, hour: 10, minutes: 240,
		desc:  "Help at the police station front counter: directions, lost property and crime-reporting kiosks.",
		areas: []string{"DARL-TC"}, rrule: "FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=%s", mode: "open", priority: 1,
		positions: []app.PositionInput{volunteers(1, "NPPV2")}},
	{problem: "other", title: "Missing person search support — %s", day: -1, hour: 8, minutes: 480,
		desc:  "Urgent: support the search team for a missing vulnerable adult last seen near the reservoir.",
		areas: []string{"DUR-CONS"}, mode: "assigned", priority: 5,
		positions: []app.PositionInput{{Name: "Search officer", Kinds: []string{"bank_officer"}, Skills: []string{"first_aid"}, MinVetting: "NPPV2", Headcount: 3, PayBand: "B2"},
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
			in := app.DemandInput{Title: fmt.Sprintf(t.title, area.name), Description: t.desc, ProblemType: t.problem, Area: code,
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
