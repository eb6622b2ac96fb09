package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// refWorld is a small force: DUR > DARL > DARL-N1, and DUR > DUR-CITY, with
// an admin and a coordinator scoped to DARL.
type refWorld struct {
	app         *app.App
	admin       *domain.Principal
	darlCoord   *domain.Principal
	cityCoord   *domain.Principal
	areas       map[string]domain.Area
	firstAidSID string
}

func newRefWorld(t *testing.T, s *db.Store) *refWorld {
	t.Helper()
	ctx := context.Background()
	a, _ := newApp(t, s)
	w := &refWorld{app: a, admin: &domain.Principal{User: domain.User{ID: "admin", Roles: []domain.Role{domain.RoleAdmin}}},
		areas: map[string]domain.Area{}}
	for _, in := range []app.NewArea{
		{Code: "DUR", Name: "Durham", Kind: domain.AreaForce},
		{Code: "DARL", Name: "Darlington", Kind: domain.AreaLocalAuthority, ParentCode: "DUR"},
		{Code: "DARL-N1", Name: "Darlington North", Kind: domain.AreaNeighbourhood, ParentCode: "DARL"},
		{Code: "DUR-CITY", Name: "Durham City", Kind: domain.AreaNeighbourhood, ParentCode: "DUR"},
	} {
		if _, err := a.CreateArea(ctx, w.admin, in); err != nil {
			t.Fatalf("area %s: %v", in.Code, err)
		}
		ar, err := s.AreaByCode(ctx, in.Code)
		if err != nil || ar.Path == "" || ar.ParentCode != in.ParentCode {
			t.Fatalf("area %s read back as %+v (%v)", in.Code, ar, err)
		}
		w.areas[in.Code] = ar
	}
	coord := func(code string) *domain.Principal {
		return &domain.Principal{User: domain.User{ID: "coord-" + code, Roles: []domain.Role{domain.RoleCoordinator}, Areas: []domain.Area{w.areas[code]}}}
	}
	w.darlCoord, w.cityCoord = coord("DARL"), coord("DUR-CITY")
	months := 36
	sk, err := a.CreateSkill(ctx, w.admin, app.NewSkill{Code: "first_aid", Name: "First aid at work", ValidMonths: &months})
	if err != nil {
		t.Fatal(err)
	}
	w.firstAidSID = sk.ID
	if _, err := a.CreateSkill(ctx, w.admin, app.NewSkill{Code: "lived:addiction", Name: "Lived experience of addiction"}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *refWorld) member(t *testing.T, email, area string, kinds ...domain.Kind) domain.Member {
	t.Helper()
	m, err := w.app.CreateMember(context.Background(), w.admin, app.NewMember{Name: "Sam " + email, Email: email, Kinds: kinds, HomeArea: area})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// self is the principal of a member signing in as themselves.
func self(m domain.Member) *domain.Principal {
	return &domain.Principal{User: domain.User{ID: "user-" + m.ID, Roles: []domain.Role{domain.RoleMember}, MemberID: m.ID}}
}

func fieldNames(err error) []string {
	var de *domain.Error
	if !asDomain(err, &de) {
		return nil
	}
	var out []string
	for _, f := range de.Fields {
		out = append(out, f.Field)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestNewMembersTakeTheDefaultsOfTheirMostDemandingKind(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		for i, tc := range []struct {
			name            string
			kinds           []domain.Kind
			maxHours        *float64
			wantHours, rest float64
		}{
			{"a volunteer gets 16 hours and no rest rule", []domain.Kind{domain.KindVolunteer}, nil, 16, 0},
			{"a mentor gets 8 hours", []domain.Kind{domain.KindMentor}, nil, 8, 0},
			{"a mentor who is also a bank officer gets the bank officer's 48 hours and 11 hours' rest", []domain.Kind{domain.KindMentor, domain.KindBankOfficer}, nil, 48, 11},
			{"a mentor and volunteer gets the volunteer's 16", []domain.Kind{domain.KindMentor, domain.KindVolunteer}, nil, 16, 0},
			{"an explicit cap wins over the default", []domain.Kind{domain.KindBankOfficer}, ptr(30.0), 30, 11},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m, err := w.app.CreateMember(ctx, w.admin, app.NewMember{Name: "Sam", Email: fmt.Sprintf("m%d@example.org", i), Kinds: tc.kinds, HomeArea: "DARL-N1", MaxHoursPerWeek: tc.maxHours})
				if err != nil {
					t.Fatal(err)
				}
				got, err := w.app.Member(ctx, w.admin, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.MaxHoursPerWeek != tc.wantHours || got.MinRestHours != tc.rest || got.TravelKm != 10 || got.Status != domain.MemberActive || got.HomeAreaCode != "DARL-N1" {
					t.Fatalf("got hours %v rest %v travel %v status %s area %s", got.MaxHoursPerWeek, got.MinRestHours, got.TravelKm, got.Status, got.HomeAreaCode)
				}
			})
		}
	})
}

func TestAMemberThatBreaksRulesIsRefusedNamingEveryBadField(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		_, err := w.app.CreateMember(context.Background(), w.admin, app.NewMember{Name: "Sam", Email: "not an email",
			Kinds: []domain.Kind{domain.KindVolunteer, "constable"}, HomeArea: "NOWHERE", Lat: ptr(54.5), TravelKm: ptr(-1.0)})
		got := fieldNames(err)
		for _, want := range []string{"email", "kinds[1]", "home_area", "lon", "travel_km"} {
			if !slices.Contains(got, want) {
				t.Fatalf("fields %v, want %s among them (err %v)", got, want, err)
			}
		}
	})
}

func TestMemberEmailsAreUniqueWhateverTheCase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		w.member(t, "Sam@Example.org", "DARL-N1", domain.KindVolunteer)
		_, err := w.app.CreateMember(context.Background(), w.admin, app.NewMember{Name: "Other", Email: "sam@example.ORG", Kinds: []domain.Kind{domain.KindMentor}, HomeArea: "DUR"})
		if domain.ErrorCode(err) != domain.EConflict || !slices.Contains(fieldNames(err), "email") {
			t.Fatalf("got %v, want a conflict naming email", err)
		}
	})
}

func TestACoordinatorReachesOnlyMembersInTheirAreas(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		darl := w.member(t, "darl@example.org", "DARL-N1", domain.KindVolunteer)
		city := w.member(t, "city@example.org", "DUR-CITY", domain.KindVolunteer)

		if _, err := w.app.Member(ctx, w.darlCoord, darl.ID); err != nil {
			t.Fatalf("a member below the coordinator's area: %v", err)
		}
		if _, err := w.app.Member(ctx, w.darlCoord, city.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("reading a member out of scope: got %v, want not found", err)
		}
		if _, err := w.app.UpdateMember(ctx, w.darlCoord, city.ID, app.MemberUpdate{Phone: ptr("0")}); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("changing a member out of scope: got %v, want not found", err)
		}
		if _, err := w.app.AddLeave(ctx, w.darlCoord, city.ID, app.NewLeave{From: "2027-08-01", To: "2027-08-02"}); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("leave for a member out of scope: got %v, want not found", err)
		}
		list, err := w.app.Members(ctx, w.darlCoord, "", "", 50)
		if err != nil || len(list) != 1 || list[0].ID != darl.ID {
			t.Fatalf("the coordinator's list: %v %v", list, err)
		}
		_, err = w.app.CreateMember(ctx, w.darlCoord, app.NewMember{Name: "X", Email: "x@example.org", Kinds: []domain.Kind{domain.KindVolunteer}, HomeArea: "DUR-CITY"})
		if !slices.Contains(fieldNames(err), "home_area") {
			t.Fatalf("adding a member outside the coordinator's areas: got %v, want home_area refused", err)
		}
		if _, err := w.app.Members(ctx, self(darl), "", "", 50); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a member listing members: %v", err)
		}
		if _, err := w.app.Member(ctx, self(darl), city.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("a member reading another: got %v, want not found", err)
		}
	})
}

func TestAMemberChangesOnlyTheirOwnContactFields(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindVolunteer)
		me := self(m)

		_, err := w.app.UpdateMember(ctx, me, m.ID, app.MemberUpdate{Status: ptr(domain.MemberActive), Kinds: &[]domain.Kind{domain.KindBankOfficer},
			MaxHoursPerWeek: ptr(60.0), Phone: ptr("07700 900000")})
		got := fieldNames(err)
		if domain.ErrorCode(err) != domain.EInvalid || !slices.Contains(got, "status") || !slices.Contains(got, "kinds") || !slices.Contains(got, "max_hours_per_week") || slices.Contains(got, "phone") {
			t.Fatalf("a member changing their status, kinds and cap: got %v (%v)", err, got)
		}
		d, err := w.app.UpdateMember(ctx, me, m.ID, app.MemberUpdate{Phone: ptr("07700 900000"), TravelKm: ptr(5.0),
			Lat: app.Clearable[float64]{Set: true, Value: ptr(54.5)}, Lon: app.Clearable[float64]{Set: true, Value: ptr(-1.5)},
			Preferences: &domain.Preferences{DaysOn: []string{"fri"}}})
		if err != nil {
			t.Fatal(err)
		}
		if d.Phone != "07700 900000" || d.TravelKm != 5 || d.Lat == nil || d.Kinds[0] != domain.KindVolunteer || d.MaxHoursPerWeek != 16 {
			t.Fatalf("after a member's own change: %+v", d.Member)
		}
		// Clearing the location with nulls.
		d, err = w.app.UpdateMember(ctx, me, m.ID, app.MemberUpdate{Lat: app.Clearable[float64]{Set: true}, Lon: app.Clearable[float64]{Set: true}})
		if err != nil || d.Lat != nil || d.Lon != nil {
			t.Fatalf("clearing lat/lon: %+v %v", d.Member, err)
		}
	})
}

func TestACoordinatorChangingKindsMovesCapsStillAtTheirDefault(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindVolunteer)
		d, err := w.app.UpdateMember(context.Background(), w.darlCoord, m.ID, app.MemberUpdate{
			Kinds: &[]domain.Kind{domain.KindVolunteer, domain.KindBankOfficer}, Status: ptr(domain.MemberSuspended),
			MaxShiftsPerWeek: app.Clearable[int]{Set: true, Value: ptr(3)}})
		if err != nil {
			t.Fatal(err)
		}
		if d.MaxHoursPerWeek != 48 || d.MinRestHours != 11 || d.Status != domain.MemberSuspended || d.Limits.MaxShiftsPerWeek == nil || *d.Limits.MaxShiftsPerWeek != 3 {
			t.Fatalf("after the change: %+v", d.Member)
		}
	})
}

func TestSkillsExpireAfterTheirValidMonthsUnlessToldAndLivedExperienceNever(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindMentor)

		ms, err := w.app.PutMemberSkill(ctx, w.admin, m.ID, "first_aid", app.SkillHolding{ObtainedOn: "2026-01-10"})
		if err != nil || ms.ExpiresOn == nil || ms.ExpiresOn.String() != "2029-01-10" {
			t.Fatalf("first aid for 36 months: %+v %v", ms, err)
		}
		ms, err = w.app.PutMemberSkill(ctx, w.admin, m.ID, "first_aid", app.SkillHolding{ObtainedOn: "2026-01-10", ExpiresOn: ptr("2027-01-10")})
		if err != nil || ms.ExpiresOn.String() != "2027-01-10" {
			t.Fatalf("an explicit expiry: %+v %v", ms, err)
		}
		if _, err := w.app.PutMemberSkill(ctx, w.admin, m.ID, "first_aid", app.SkillHolding{ObtainedOn: "2026-01-10", ExpiresOn: ptr("2025-01-10")}); !slices.Contains(fieldNames(err), "expires_on") {
			t.Fatalf("expiry before obtained: %v", err)
		}
		if _, err := w.app.PutMemberSkill(ctx, self(m), m.ID, "first_aid", app.SkillHolding{ObtainedOn: "2026-01-10"}); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a member recording their own first aid: %v", err)
		}
		ms, err = w.app.PutMemberSkill(ctx, self(m), m.ID, "lived:addiction", app.SkillHolding{ObtainedOn: "2020-01-01"})
		if err != nil || ms.ExpiresOn != nil {
			t.Fatalf("a member declaring lived experience: %+v %v", ms, err)
		}
		if _, err := w.app.PutMemberSkill(ctx, w.admin, m.ID, "lived:addiction", app.SkillHolding{ObtainedOn: "2020-01-01", ExpiresOn: ptr("2030-01-01")}); !slices.Contains(fieldNames(err), "expires_on") {
			t.Fatalf("lived experience with an expiry: %v", err)
		}
		if _, err := w.app.PutMemberSkill(ctx, w.admin, m.ID, "juggling", app.SkillHolding{ObtainedOn: "2020-01-01"}); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("an unknown skill: %v", err)
		}
		d, err := w.app.Member(ctx, self(m), m.ID)
		if err != nil || len(d.Skills) != 2 {
			t.Fatalf("the member's skills: %+v %v", d.Skills, err)
		}
		if err := w.app.DeleteMemberSkill(ctx, w.admin, m.ID, "first_aid"); err != nil {
			t.Fatal(err)
		}
		if err := w.app.DeleteMemberSkill(ctx, w.admin, m.ID, "first_aid"); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("removing a skill twice: %v", err)
		}
	})
}

func TestClearancesAreRecordedAndSuspendedByAdminsOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindBankOfficer)
		if _, err := w.app.AddClearance(ctx, w.admin, m.ID, app.NewClearance{Type: "NPPV4", GrantedOn: "2025-06-01", ExpiresOn: "2020-01-01"}); !slices.Equal(fieldNames(err), []string{"type", "expires_on"}) {
			t.Fatalf("a bad clearance: %v", err)
		}
		c, err := w.app.AddClearance(ctx, w.admin, m.ID, app.NewClearance{Type: domain.NPPV2, GrantedOn: "2025-06-01", ExpiresOn: "2030-06-01"})
		if err != nil || c.Status != domain.ClearanceActive {
			t.Fatalf("%+v %v", c, err)
		}
		if _, err := w.app.AddClearance(ctx, w.darlCoord, m.ID, app.NewClearance{Type: domain.NPPV3, GrantedOn: "2025-06-01", ExpiresOn: "2030-06-01"}); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a coordinator recording vetting: %v", err)
		}
		if _, err := w.app.SetClearanceStatus(ctx, w.darlCoord, m.ID, c.ID, domain.ClearanceSuspended); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a coordinator suspending vetting: %v", err)
		}
		if _, err := w.app.SetClearanceStatus(ctx, w.admin, m.ID, c.ID, domain.ClearanceSuspended); err != nil {
			t.Fatal(err)
		}
		d, err := w.app.Member(ctx, w.darlCoord, m.ID)
		if err != nil || len(d.Clearances) != 1 || d.Clearances[0].Status != domain.ClearanceSuspended {
			t.Fatalf("after suspension: %+v %v", d.Clearances, err)
		}
		other := w.member(t, "other@example.org", "DARL-N1", domain.KindVolunteer)
		if _, err := w.app.SetClearanceStatus(ctx, w.admin, other.ID, c.ID, domain.ClearanceActive); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("another member's clearance through this member: %v", err)
		}
	})
}

func TestWeeklyAvailabilityKeepsItsLocalTimeAcrossTheOctoberChange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindMentor)
		av, err := w.app.AddAvailability(ctx, self(m), m.ID, app.NewAvailability{StartLocal: "2027-10-22T18:00", DurationMinutes: 360, RRule: "FREQ=WEEKLY;BYDAY=FR"})
		if err != nil {
			t.Fatal(err)
		}
		if av.TimeZone != "Europe/London" {
			t.Fatalf("the default zone: %s", av.TimeZone)
		}
		ws, err := w.app.ExpandAvailability(ctx, w.darlCoord, m.ID, "2027-10-20", "2027-11-06")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2027-10-22T18:00:00+01:00", "2027-10-29T18:00:00+01:00", "2027-11-05T18:00:00Z"}
		if len(ws) != len(want) {
			t.Fatalf("got %d windows, want %d: %+v", len(ws), len(want), ws)
		}
		for i, win := range ws {
			if got := win.Start.Format(time.RFC3339); got != want[i] || win.AvailabilityID != av.ID || win.End.Sub(win.Start) != 6*time.Hour {
				t.Fatalf("window %d: %s – %s, want start %s", i, got, win.End.Format(time.RFC3339), want[i])
			}
		}
		for _, tc := range []struct {
			name  string
			in    app.NewAvailability
			field string
		}{
			{"an hourly rule", app.NewAvailability{StartLocal: "2027-10-22T18:00", DurationMinutes: 60, RRule: "FREQ=HOURLY"}, "rrule"},
			{"COUNT with UNTIL", app.NewAvailability{StartLocal: "2027-10-22T18:00", DurationMinutes: 60, RRule: "FREQ=DAILY;COUNT=3;UNTIL=20271230"}, "rrule"},
			{"a bad zone", app.NewAvailability{StartLocal: "2027-10-22T18:00", DurationMinutes: 60, TimeZone: "Mars/Olympus"}, "timezone"},
			{"no duration", app.NewAvailability{StartLocal: "2027-10-22T18:00"}, "duration_minutes"},
			{"until without a rule", app.NewAvailability{StartLocal: "2027-10-22T18:00", DurationMinutes: 60, Until: "2027-12-01"}, "until"},
		} {
			if _, err := w.app.AddAvailability(ctx, self(m), m.ID, tc.in); !slices.Contains(fieldNames(err), tc.field) {
				t.Fatalf("%s: got %v, want %s refused", tc.name, err, tc.field)
			}
		}
		if _, err := w.app.ExpandAvailability(ctx, self(m), m.ID, "2027-01-01", "2028-06-01"); !slices.Contains(fieldNames(err), "to") {
			t.Fatalf("a range over a year: %v", err)
		}
		if err := w.app.DeleteAvailability(ctx, self(m), m.ID, av.ID); err != nil {
			t.Fatal(err)
		}
		if ws, err := w.app.ExpandAvailability(ctx, self(m), m.ID, "2027-10-20T00:00:00Z", "2027-11-06T00:00:00Z"); err != nil || len(ws) != 0 {
			t.Fatalf("after deleting: %v %v", ws, err)
		}
	})
}

func TestLeaveIsRecordedForWholeDays(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		m := w.member(t, "sam@example.org", "DARL-N1", domain.KindVolunteer)
		if _, err := w.app.AddLeave(ctx, self(m), m.ID, app.NewLeave{From: "2027-08-14", To: "2027-08-01"}); !slices.Contains(fieldNames(err), "to") {
			t.Fatalf("to before from: %v", err)
		}
		l, err := w.app.AddLeave(ctx, self(m), m.ID, app.NewLeave{From: "2027-08-01", To: "2027-08-14", Reason: "holiday"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Leave(ctx, m.ID)
		if err != nil || len(got) != 1 || got[0].ID != l.ID || got[0].From.String() != "2027-08-01" {
			t.Fatalf("stored leave: %+v %v", got, err)
		}
	})
}

func TestAMemberIsFoundByEmailOnlyByThoseWhoMayReachThem(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		w := newRefWorld(t, s)
		sam := w.member(t, "sam@example.org", "DARL-N1", domain.KindVolunteer)
		for _, p := range []*domain.Principal{w.admin, w.darlCoord, app.CommandLineOperator()} {
			if m, err := w.app.MemberByEmail(ctx, p, " SAM@Example.org"); err != nil || m.ID != sam.ID {
				t.Errorf("%s looked sam up: %+v, %v", p.User.ID, m, err)
			}
		}
		for _, p := range []*domain.Principal{w.cityCoord, nil} {
			if _, err := w.app.MemberByEmail(ctx, p, "sam@example.org"); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("a caller who may not reach sam got %v, want not found", err)
			}
		}
		if _, err := w.app.MemberByEmail(ctx, w.admin, "nobody@example.org"); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("an unknown email: got %v, want not found", err)
		}
		if _, err := w.app.UserByEmail(ctx, w.darlCoord, "sam@example.org"); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("a coordinator looked an account up: got %v, want forbidden", err)
		}
	})
}
