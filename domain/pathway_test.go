package domain

import (
	"testing"
	"time"
)

func TestProgressOnMeasuresEachMilestoneAndNamesTheFirstUnmet(t *testing.T) {
	t.Parallel()
	d := func(s string) Date { v, _ := ParseDate(s); return v }
	expires := d("2027-03-01")
	record := Record{
		Skills:           []MemberSkill{{Code: "first_aid", ObtainedOn: d("2024-03-01"), ExpiresOn: &expires}},
		CompletedCourses: map[string]bool{"c1": true},
		Hours:            map[ProblemType]float64{"asb": 27.5, "vandalism": 4},
	}
	p := Pathway{Milestones: []Milestone{
		{Kind: MilestoneSkill, SkillCode: "first_aid"},
		{Kind: MilestoneCourse, CourseID: "c1", CourseCode: "FA-1"},
		{Kind: MilestoneHours, Hours: 40, ProblemType: "asb"},
		{Kind: MilestoneHours, Hours: 31.5},
		{Kind: MilestoneCourse, CourseID: "c2", CourseCode: "PL-2"},
	}}
	tests := []struct {
		name  string
		today string
		met   []bool
		next  int
		needs map[int]string
	}{
		{"the day before the skill expires it is met", "2027-02-28", []bool{true, true, false, true, false}, 2,
			map[int]string{2: "12.5 more hours of asb", 4: "completion of the PL-2 course"}},
		{"on its expiry date it is no longer held", "2027-03-01", []bool{false, true, false, true, false}, 0,
			map[int]string{0: "the first_aid skill, held and in date"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := ProgressOn(p, record, d(tc.today))
			for i, m := range got.Milestones {
				if m.Met != tc.met[i] {
					t.Errorf("milestone %d met = %v, want %v", i, m.Met, tc.met[i])
				}
				if want, ok := tc.needs[i]; ok && m.Needs != want {
					t.Errorf("milestone %d needs %q, want %q", i, m.Needs, want)
				}
				if m.Met && m.Needs != "" {
					t.Errorf("met milestone %d still needs %q", i, m.Needs)
				}
			}
			if got.Next == nil || *got.Next != tc.next {
				t.Errorf("next = %v, want %d", got.Next, tc.next)
			}
		})
	}
	t.Run("every milestone met leaves next empty", func(t *testing.T) {
		t.Parallel()
		all := Pathway{Milestones: []Milestone{{Kind: MilestoneHours, Hours: 31.5}}}
		if got := ProgressOn(all, record, d("2027-01-01")); got.Next != nil || !got.Milestones[0].Met {
			t.Fatalf("got %+v, want met and no next", got)
		}
	})
}

func TestCompletionRenewsASkillButNeverShortensIt(t *testing.T) {
	t.Parallel()
	months := 36
	c := Course{SkillID: "s", SkillCode: "first_aid", ValidityMonths: &months}
	london, _ := time.LoadLocation("Europe/London")
	// 00:30 on 1 July in London is still 30 June in UTC: the local date counts.
	s := CourseSession{Start: time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC)}
	granted := CompletionHolding(c, s, london)
	if granted.ObtainedOn.String() != "2027-07-01" || granted.ExpiresOn == nil || granted.ExpiresOn.String() != "2030-07-01" {
		t.Fatalf("granted %+v, want 2027-07-01 to 2030-07-01", granted)
	}
	later := Date{2031, 1, 1}
	longer := MemberSkill{Code: "first_aid", ObtainedOn: Date{2028, 1, 1}, ExpiresOn: &later}
	if got := Renewed(&longer, granted); got.ExpiresOn.String() != "2031-01-01" {
		t.Errorf("a longer holding became %+v", got)
	}
	sooner := Date{2027, 8, 1}
	shorter := MemberSkill{Code: "first_aid", ObtainedOn: Date{2024, 8, 1}, ExpiresOn: &sooner}
	if got := Renewed(&shorter, granted); got.ExpiresOn.String() != "2030-07-01" {
		t.Errorf("a shorter holding became %+v, want renewed to 2030-07-01", got)
	}
	if got := Renewed(nil, granted); got != granted {
		t.Errorf("no holding became %+v, want the granted one", got)
	}
}
