package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

// The database itself refuses an enrolled row beyond a session's capacity,
// whatever the application checked: the last line of defence against
// overfilling a course.
func TestTheDatabaseRefusesAnEnrolmentBeyondTheCapacity(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		ctx := context.Background()
		now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		area := refArea(t, s, "a-root", "DUR", "")
		skill, err := s.CreateSkill(ctx, domain.Skill{ID: "sk1", Code: "first_aid", Name: "First aid", CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCourse(ctx, domain.Course{ID: "c1", Code: "FA-1", Title: "First aid", SkillID: skill.ID, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		session := domain.CourseSession{ID: "s1", CourseID: "c1", SeriesID: "x", Occurrence: "2027-02-06", AreaID: area.ID,
			TimeZone: "Europe/London", Start: now.AddDate(0, 1, 0), End: now.AddDate(0, 1, 0).Add(6 * time.Hour), Capacity: 2,
			Status: domain.SessionScheduled, CreatedAt: now}
		if err := s.CreateCourseSessions(ctx, []domain.CourseSession{session}); err != nil {
			t.Fatal(err)
		}
		enrol := func(i int, status domain.EnrolmentStatus) (domain.Enrolment, error) {
			m := refMember(fmt.Sprintf("m%d", i), fmt.Sprintf("m%d@example.org", i), area.ID)
			if err := s.CreateMember(ctx, m); err != nil {
				t.Fatal(err)
			}
			e := domain.Enrolment{ID: fmt.Sprintf("e%d", i), SessionID: "s1", MemberID: m.ID, Status: status, CreatedAt: now, UpdatedAt: now}
			return e, s.CreateEnrolment(ctx, e)
		}
		for i := range 2 {
			if _, err := enrol(i, domain.EnrolmentEnrolled); err != nil {
				t.Fatalf("enrolment %d: %v", i, err)
			}
		}
		_, err = enrol(2, domain.EnrolmentEnrolled)
		if de, ok := err.(*domain.Error); !ok || !slices.Contains(de.Rules, domain.RuleHasPlace) {
			t.Fatalf("a third enrolled row on two places: %v, want a refusal naming has_place", err)
		}
		waiting, err := enrol(3, domain.EnrolmentWaitlisted)
		if err != nil {
			t.Fatalf("a waitlisted row on a full session: %v", err)
		}
		waiting.Status = domain.EnrolmentEnrolled
		if err := s.UpdateEnrolment(ctx, waiting); err == nil {
			t.Fatal("promoting a waitlisted row onto a full session was allowed")
		}
		got, err := s.CourseSessionByID(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Taken != 2 || got.Waitlisted != 1 {
			t.Fatalf("session holds %d enrolled and %d waitlisted, want 2 and 1", got.Taken, got.Waitlisted)
		}
	})
}
