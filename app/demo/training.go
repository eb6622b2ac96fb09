package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// The demo data's training: courses that grant catalogue skills, sessions in
// the coming weeks (one a weekly series, one already full with a waiting
// list), enrolments, two sessions already held and completed, and the two
// pathways with members part-way along them (by the skills they hold and the
// courses they completed).

var demoCourses = []struct {
	code, title, skill string
	months             int
}{
	{"FA-1", "First aid at work", "first_aid", 36},
	{"MHFA-1", "Mental health first aid", "mhfa", 36},
	{"SG-2", "Safeguarding level 2", "safeguarding_l2", 36},
	{"TI-1", "Trauma-informed practice", "trauma_informed", 0},
}

var demoSessions = []struct {
	course, area, location string
	inDays, hour, hours    int
	rrule                  string
	capacity               int
	enrol                  int // members to enrol (beyond capacity: waitlisted)
}{
	{"FA-1", "DUR-CITY", "Durham City police station, training room 2", 9, 10, 6, "", 12, 15},
	{"FA-1", "DARL-TC", "Darlington Dolphin Centre", 16, 10, 6, "", 12, 5},
	{"MHFA-1", "DUR-PET", "Peterlee Leisure Centre", 12, 18, 3, "FREQ=WEEKLY;COUNT=4", 10, 6},
	{"SG-2", "DUR-BA", "Bishop Auckland Town Hall", 20, 9, 7, "", 16, 8},
	{"TI-1", "DUR-CITY", "Durham City police station, training room 1", 23, 13, 4, "", 8, 4},
}

var demoPathways = []app.NewPathway{
	{Name: "Bank volunteer → patrol lead", Milestones: []app.MilestoneInput{
		{Kind: "skill", Skill: "first_aid"}, {Kind: "course", Course: "SG-2"}, {Kind: "hours", Hours: 40, ProblemType: "asb"}}},
	{Name: "Lived-experience peer mentor", Milestones: []app.MilestoneInput{
		{Kind: "skill", Skill: "lived:addiction"}, {Kind: "course", Course: "TI-1"}, {Kind: "hours", Hours: 20, ProblemType: "mentoring"}}},
}

func (s *seeder) seedTraining(ctx context.Context) (int, error) {
	made := 0
	for _, c := range demoCourses {
		in := app.NewCourse{Code: c.code, Title: c.title, GrantsSkill: c.skill}
		if c.months > 0 {
			in.ValidityMonths = &c.months
		}
		if _, err := s.a.CreateCourse(ctx, s.admin, in); err != nil {
			return made, fmt.Errorf("course %s: %w", c.code, err)
		}
		made++
	}
	var active []*seedMember
	for _, m := range s.members {
		if m.m.Status == domain.MemberActive {
			active = append(active, m)
		}
	}
	for _, ds := range demoSessions {
		start := s.today.AddDays(ds.inDays)
		in := app.SessionInput{StartLocal: fmt.Sprintf("%sT%02d:00", start, ds.hour), EndLocal: fmt.Sprintf("%sT%02d:00", start, ds.hour+ds.hours),
			RRule: ds.rrule, Capacity: ds.capacity, Area: ds.area, Location: ds.location}
		sessions, err := s.a.PostCourseSessions(ctx, s.admin, ds.course, in)
		if err != nil {
			return made, fmt.Errorf("sessions of %s: %w", ds.course, err)
		}
		made += len(sessions)
		for i := 0; i < ds.enrol && len(active) > 0; i++ {
			m := active[s.rng.IntN(len(active))]
			_, err := s.a.Enrol(ctx, s.admin, sessions[0].ID, m.m.ID)
			if domain.ErrorCode(err) == domain.EConflict {
				continue // picked twice
			}
			if err != nil {
				return made, fmt.Errorf("enrol on %s: %w", ds.course, err)
			}
			made++
		}
	}
	for _, p := range demoPathways {
		if _, err := s.a.CreatePathway(ctx, s.admin, p); err != nil {
			return made, fmt.Errorf("pathway %s: %w", p.Name, err)
		}
		made++
	}
	n, err := s.seedCompletedTraining(ctx, active)
	return made + n, err
}

// demoPastSessions were held in the last weeks, each completed by members
// who hold the skill of their pathway's first milestone, so that some are
// two milestones along and need only hours.
var demoPastSessions = []struct {
	course, area, location string
	daysAgo, hour, hours   int
	holding                string // who enrols: members holding this skill
	enrol                  int
}{
	{"SG-2", "DUR-CITY", "Durham City police station, training room 2", 21, 9, 7, "first_aid", 10},
	{"TI-1", "DARL-TC", "Darlington Dolphin Centre", 14, 13, 4, "lived:addiction", 6},
}

func (s *seeder) seedCompletedTraining(ctx context.Context, active []*seedMember) (int, error) {
	made := 0
	for _, ps := range demoPastSessions {
		// Sessions are posted before they start: the clock goes back a week
		// before the session, then on to its end for completion.
		start := s.today.AddDays(-ps.daysAgo)
		clock := start.Start(s.loc).AddDate(0, 0, -7)
		past := s.back(&clock, &keptMessages{})
		sessions, err := past.PostCourseSessions(ctx, s.admin, ps.course, app.SessionInput{
			StartLocal: fmt.Sprintf("%sT%02d:00", start, ps.hour), EndLocal: fmt.Sprintf("%sT%02d:00", start, ps.hour+ps.hours),
			Capacity: ps.enrol + 2, Area: ps.area, Location: ps.location})
		if err != nil {
			return made, fmt.Errorf("past session of %s: %w", ps.course, err)
		}
		made++
		var enrolments []string
		for _, m := range active {
			if len(enrolments) == ps.enrol {
				break
			}
			if !slices.ContainsFunc(m.skills, func(h domain.MemberSkill) bool { return h.Code == ps.holding }) {
				continue
			}
			e, err := past.Enrol(ctx, s.admin, sessions[0].ID, m.m.ID)
			if err != nil {
				return made, fmt.Errorf("enrol on the past %s: %w", ps.course, err)
			}
			enrolments = append(enrolments, e.Enrolment.ID)
		}
		clock = sessions[0].End
		for _, id := range enrolments {
			if _, err := past.CompleteEnrolment(ctx, s.admin, id); err != nil {
				return made, fmt.Errorf("complete the past %s: %w", ps.course, err)
			}
			made++
		}
	}
	return made, nil
}
