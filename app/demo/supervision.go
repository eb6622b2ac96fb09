package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
)

// seedSupervision shows supervised places: the supervisor skill for the
// demo officer and mentor, a mentor holding only a conditional clearance,
// and a mentoring session next week whose supervised place that mentor
// holds beside a supervisor. It runs after the other bookings and draws
// nothing from the seeder's random source, so the rest of the data set is
// as it was.
func (s *seeder) seedSupervision(ctx context.Context) (int, error) {
	a := s.a
	sk, err := a.CreateSkill(ctx, s.admin, app.NewSkill{Code: domain.SupervisorSkill, Name: "Supervisor of conditionally cleared members"})
	if err != nil {
		return 0, fmt.Errorf("skill %s: %w", domain.SupervisorSkill, err)
	}
	s.skills[sk.Code] = sk
	s.rep.Skills++
	made := 1
	obtained := s.today.AddDays(-200).String()
	var supervisors []domain.Member
	for _, sm := range s.members {
		if sm.m.Email == demoOfficerEmail || sm.m.Email == demoMentorEmail {
			if _, err := a.PutMemberSkill(ctx, s.admin, sm.m.ID, domain.SupervisorSkill, app.SkillHolding{ObtainedOn: obtained}); err != nil {
				return made, err
			}
			s.rep.SkillsHeld++
			supervisors = append(supervisors, sm.m)
		}
	}

	lat, lon := 54.5253, -1.5530
	travel := 20.0
	m, err := a.CreateMember(ctx, s.admin, app.NewMember{Name: "Reece Conditional-Mentor", Email: "conditional.mentor@demo.copbank.uk",
		Phone: "07700 900999", Kinds: []domain.Kind{domain.KindMentor}, HomeArea: "DARL-TC", Lat: &lat, Lon: &lon, TravelKm: &travel,
		Preferences: domain.Preferences{Areas: []string{"DARL-TC"}}})
	if err != nil {
		return made, err
	}
	s.rep.Members++
	made++
	for _, code := range []string{"safeguarding_l2", "lived:crime"} {
		if _, err := a.PutMemberSkill(ctx, s.admin, m.ID, code, app.SkillHolding{ObtainedOn: obtained}); err != nil {
			return made, err
		}
		s.rep.SkillsHeld++
	}
	granted := s.today.AddDays(-30)
	if _, err := a.AddClearance(ctx, s.admin, m.ID, app.NewClearance{Type: domain.Conditional, GrantedOn: granted.String(),
		ExpiresOn: granted.AddMonths(12).String(), Reference: "VU-RA-2026-014"}); err != nil {
		return made, err
	}
	s.rep.Clearances++

	start := s.today.AddDays(8)
	startLocal := time.Date(start.Year, start.Month, start.Day, 13, 0, 0, 0, time.UTC)
	d, err := a.PostDemand(ctx, s.coordinator, app.DemandInput{Title: "Supervised mentoring session MEN-0120",
		Description: "Session with a young adult leaving custody, led by a mentor with lived experience under supervision.",
		ProblemType: "mentoring", Area: "DARL-TC", Priority: 3, BookingMode: "assigned", MenteeRef: "MEN-0120", TimeZone: s.loc.String(),
		StartLocal: startLocal.Format("2006-01-02T15:04"), EndLocal: startLocal.Add(2 * time.Hour).Format("2006-01-02T15:04"),
		Positions: []app.PositionInput{
			{Name: "Supervisor", Kinds: []string{"bank_officer", "mentor"}, Skills: []string{domain.SupervisorSkill}, MinVetting: "NPPV1", Headcount: 1},
			{Name: "Mentor (supervised)", Kinds: []string{"mentor"}, Skills: []string{"safeguarding_l2"}, MinVetting: "NPPV1", Headcount: 1,
				Supervision: string(domain.SupervisionAllowed)}}})
	if err != nil {
		return made, fmt.Errorf("supervised demand: %w", err)
	}
	s.demands = append(s.demands, d)
	s.rep.Demands++
	s.rep.Shifts += len(d.Shifts)
	made++
	sh := d.Shifts[0]
	for _, sup := range supervisors {
		_, err := a.Book(ctx, s.coordinator, app.BookInput{ShiftID: sh.ID, PositionID: d.Positions[0].ID, MemberID: sup.ID})
		if domain.ErrorCode(err) == domain.ERefused {
			continue // busy then: the next supervisor
		}
		if err != nil {
			return made, err
		}
		// Not in Report.Bookings: that counts the bookings step alone.
		if _, err := a.Book(ctx, s.coordinator, app.BookInput{ShiftID: sh.ID, PositionID: d.Positions[1].ID, MemberID: m.ID}); err != nil {
			return made, fmt.Errorf("supervised booking: %w", err)
		}
		made += 2
		break
	}
	return made, nil
}
