package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// refArea stores an area for member tests.
func refArea(t *testing.T, s *db.Store, id, code, parent string) domain.Area {
	t.Helper()
	kind := domain.AreaForce
	if parent != "" {
		kind = domain.AreaNeighbourhood
	}
	a, err := s.CreateArea(context.Background(), domain.Area{ID: id, Code: code, Name: code, Kind: kind, ParentID: parent, CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func refMember(id, email, areaID string) domain.Member {
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	five := 5
	return domain.Member{ID: id, Name: "Sam " + id, Email: email, Phone: "0100", Kinds: []domain.Kind{domain.KindVolunteer, domain.KindMentor},
		HomeAreaID: areaID, TravelKm: 10, MaxHoursPerWeek: 16, MinRestHours: 0, Status: domain.MemberActive,
		Limits:      domain.MemberLimits{MaxShiftsPerWeek: &five},
		Preferences: domain.Preferences{DaysOn: []string{"fri", "sat"}}, CreatedAt: now, UpdatedAt: now}
}

func TestMembersRoundTripWithTheirHomeAreaAndAreUniqueByEmailWhateverTheCase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		root := refArea(t, s, "a-root", "DUR", "")
		n1 := refArea(t, s, "a-n1", "DUR-N1", root.ID)
		m := refMember("m1", "Sam@Example.org", n1.ID)
		lat, lon := 54.5, -1.5
		m.Lat, m.Lon = &lat, &lon
		if err := s.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		got, err := s.MemberByEmail(ctx, "sam@EXAMPLE.org")
		if err != nil {
			t.Fatal(err)
		}
		if got.HomeAreaCode != "DUR-N1" || len(got.Kinds) != 2 || got.Kinds[1] != domain.KindMentor ||
			got.Limits.MaxShiftsPerWeek == nil || *got.Limits.MaxShiftsPerWeek != 5 || got.Limits.MaxConsecutiveDays != nil ||
			len(got.Preferences.DaysOn) != 2 || got.Lat == nil || *got.Lat != 54.5 {
			t.Fatalf("read back %+v", got)
		}
		dup := refMember("m2", "SAM@example.ORG", n1.ID)
		err = s.CreateMember(ctx, dup)
		if de, ok := err.(*domain.Error); !ok || de.Code != domain.EConflict || len(de.Fields) != 1 || de.Fields[0].Field != "email" {
			t.Fatalf("same email in another case: got %v, want a conflict on email", err)
		}

		got.Status = domain.MemberSuspended
		got.Limits.MaxShiftsPerWeek = nil
		if err := s.UpdateMember(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, err := s.MemberByID(ctx, "m1")
		if err != nil || again.Status != domain.MemberSuspended || again.Limits.MaxShiftsPerWeek != nil {
			t.Fatalf("after update: %+v, %v", again, err)
		}
		if err := s.UpdateMember(ctx, refMember("nobody", "x@example.org", n1.ID)); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("update of a missing member: got %v, want not found", err)
		}
	})
}

func TestMembersAreListedWithinAreaScopesAndByQuery(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		root := refArea(t, s, "a-root", "DUR", "")
		n1 := refArea(t, s, "a-n1", "DUR-N1", root.ID)
		n2 := refArea(t, s, "a-n2", "DUR-N2", root.ID)
		for _, m := range []domain.Member{refMember("m1", "a@example.org", n1.ID), refMember("m2", "b_x@example.org", n2.ID), refMember("m3", "c@example.org", root.ID)} {
			if err := s.CreateMember(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(f domain.MemberFilter) []string {
			t.Helper()
			ms, err := s.Members(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range ms {
				out = append(out, m.ID)
			}
			return out
		}
		if got := ids(domain.MemberFilter{Limit: 10}); len(got) != 3 {
			t.Fatalf("everyone: %v", got)
		}
		if got := ids(domain.MemberFilter{AreaPaths: []string{n1.Path}, Limit: 10}); len(got) != 1 || got[0] != "m1" {
			t.Fatalf("scope DUR-N1: %v", got)
		}
		if got := ids(domain.MemberFilter{AreaPaths: []string{}, Limit: 10}); len(got) != 0 {
			t.Fatalf("no scope: %v", got)
		}
		if got := ids(domain.MemberFilter{Query: "B_X", Limit: 10}); len(got) != 1 || got[0] != "m2" {
			t.Fatalf("query: %v", got)
		}
		if got := ids(domain.MemberFilter{Query: "_", Limit: 10}); len(got) != 1 {
			t.Fatalf("an underscore matches itself, not any character: %v", got)
		}
		if got := ids(domain.MemberFilter{After: "m1", Limit: 1}); len(got) != 1 || got[0] != "m2" {
			t.Fatalf("page after m1: %v", got)
		}
	})
}

func TestSkillsClearancesAvailabilityAndLeaveBelongToTheirMember(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		root := refArea(t, s, "a-root", "DUR", "")
		for _, m := range []domain.Member{refMember("m1", "a@example.org", root.ID), refMember("m2", "b@example.org", root.ID)} {
			if err := s.CreateMember(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		months := 36
		fa, err := s.CreateSkill(ctx, domain.Skill{ID: "s1", Code: "first_aid", Name: "First aid", ValidMonths: &months, CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateSkill(ctx, domain.Skill{ID: "s2", Code: "first_aid", Name: "Again", CreatedAt: time.Now()}); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("duplicate skill code: %v", err)
		}
		if got, err := s.SkillByCode(ctx, "first_aid"); err != nil || got.ValidMonths == nil || *got.ValidMonths != 36 {
			t.Fatalf("skill by code: %+v %v", got, err)
		}
		exp := domain.Date{Year: 2029, Month: 1, Day: 10}
		hold := domain.MemberSkill{MemberID: "m1", SkillID: fa.ID, ObtainedOn: domain.Date{Year: 2026, Month: 1, Day: 10}, ExpiresOn: &exp}
		if err := s.PutMemberSkill(ctx, hold); err != nil {
			t.Fatal(err)
		}
		skills, err := s.MemberSkills(ctx, "m1")
		if err != nil || len(skills) != 1 || skills[0].MemberID != "m1" || skills[0].SkillID != fa.ID ||
			skills[0].ObtainedOn.String() != "2026-01-10" || skills[0].ExpiresOn == nil || *skills[0].ExpiresOn != exp {
			t.Fatalf("member skills: %+v %v", skills, err)
		}
		hold.ExpiresOn = nil
		if err := s.PutMemberSkill(ctx, hold); err != nil {
			t.Fatalf("putting a held skill again replaces it: %v", err)
		}
		skills, err = s.MemberSkills(ctx, "m1")
		if err != nil || len(skills) != 1 || skills[0].Code != "first_aid" || skills[0].Name != "First aid" || skills[0].ExpiresOn != nil {
			t.Fatalf("member skills: %+v %v", skills, err)
		}
		if err := s.DeleteMemberSkill(ctx, "m2", fa.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("removing a skill not held: %v", err)
		}
		if err := s.DeleteMemberSkill(ctx, "m1", fa.ID); err != nil {
			t.Fatal(err)
		}

		now := time.Now().UTC()
		c := domain.Clearance{ID: "c1", MemberID: "m1", Type: domain.NPPV2, GrantedOn: domain.Date{Year: 2025, Month: 6, Day: 1},
			ExpiresOn: domain.Date{Year: 2030, Month: 6, Day: 1}, Status: domain.ClearanceActive, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateClearance(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClearanceByID(ctx, "m2", "c1"); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("another member's clearance: %v", err)
		}
		if err := s.SetClearanceStatus(ctx, "c1", domain.ClearanceSuspended, now); err != nil {
			t.Fatal(err)
		}
		cs, err := s.Clearances(ctx, "m1")
		if err != nil || len(cs) != 1 || cs[0].Status != domain.ClearanceSuspended || cs[0].ExpiresOn.String() != "2030-06-01" {
			t.Fatalf("clearances: %+v %v", cs, err)
		}

		until := domain.Date{Year: 2027, Month: 12, Day: 31}
		av := domain.Availability{ID: "av1", MemberID: "m1", StartLocal: "2027-01-08T18:00", DurationMinutes: 360,
			TimeZone: "Europe/London", RRule: "FREQ=WEEKLY;BYDAY=FR,SA", Until: &until, CreatedAt: now}
		if err := s.CreateAvailability(ctx, av); err != nil {
			t.Fatal(err)
		}
		avs, err := s.Availability(ctx, "m1")
		if err != nil || len(avs) != 1 || avs[0].Until == nil || *avs[0].Until != until || avs[0].RRule != av.RRule {
			t.Fatalf("availability: %+v %v", avs, err)
		}
		if err := s.DeleteAvailability(ctx, "m2", "av1"); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("deleting another member's window: %v", err)
		}
		if err := s.DeleteAvailability(ctx, "m1", "av1"); err != nil {
			t.Fatal(err)
		}

		l := domain.Leave{ID: "l1", MemberID: "m1", From: domain.Date{Year: 2027, Month: 8, Day: 1}, To: domain.Date{Year: 2027, Month: 8, Day: 14}, Reason: "holiday", CreatedAt: now}
		if err := s.CreateLeave(ctx, l); err != nil {
			t.Fatal(err)
		}
		leave, err := s.Leave(ctx, "m1")
		if err != nil || len(leave) != 1 || leave[0].To != l.To || leave[0].Reason != "holiday" {
			t.Fatalf("leave: %+v %v", leave, err)
		}
	})
}
