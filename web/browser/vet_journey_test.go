package browser_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/demo"
	"github.com/copbank/copbank/domain"
)

// kept holds what the app sends, so the journey can follow the invitation
// link as the applicant would from their inbox.
type kept struct {
	mu   sync.Mutex
	sent []app.Message
}

func (k *kept) Send(_ context.Context, m app.Message) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sent = append(k.sent, m)
	return nil
}

func (k *kept) lastTo(addr string) (app.Message, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for i := len(k.sent) - 1; i >= 0; i-- {
		if k.sent[i].To == addr {
			return k.sent[i], true
		}
	}
	return app.Message{}, false
}

// The VET journey in the browser: someone signed out finds an open
// opportunity and applies (meeting the error summary first); a coordinator
// moves the application along the pipeline board to active, which makes
// them a member and invites them; they follow the invitation link to set a
// password (at 320 px), sign in, enrol on a
// safeguarding session, and once it is completed their pathway shows the
// course met. Every page is checked by axe-core and at 320 px, as
// in TestJourneys.
func TestVetRecruitmentJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)
	inbox := &kept{}
	s.app.Notify = inbox // before any tab: the server reads it per request
	ctx := context.Background()
	tok, err := s.app.Login(ctx, admin, demo.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.app.Authenticate(ctx, tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	title := fmt.Sprintf("Student area patrol volunteer %d", time.Now().UnixNano()%100000)
	opp, err := s.app.CreateOpportunity(ctx, p, app.NewOpportunity{Title: title, Kind: domain.KindVolunteer, Area: "DUR-CITY",
		MinVetting: domain.NPPV1, Commitment: "4 hours a fortnight, evenings", Description: "Walk the student streets with the university's team.",
		Status: domain.OpportunityOpen})
	if err != nil {
		t.Fatal(err)
	}
	// A safeguarding session in three days, for the new member to enrol on.
	start := time.Now().In(s.app.Config.TimeZone).AddDate(0, 0, 3)
	sessions, err := s.app.PostCourseSessions(ctx, p, "SG-2", app.SessionInput{
		StartLocal: start.Format("2006-01-02") + "T10:00", EndLocal: start.Format("2006-01-02") + "T16:00",
		Capacity: 12, Area: "DUR-CITY", Location: "Journey test room"})
	if err != nil {
		t.Fatal(err)
	}
	session := sessions[0]
	atOpportunity := regexp.MustCompile(`^/opportunities/` + opp.ID + `$`)
	atApply := regexp.MustCompile(`^/opportunities/` + opp.ID + `/apply$`)

	t.Run("signed out, a person finds an opportunity and applies without JavaScript", func(t *testing.T) {
		b := s.newTab(t, 1024, 768)
		b.open("/opportunities?area=DUR-CC", regexp.MustCompile(`^/opportunities`))
		b.wantText("Volunteer with us", title)
		b.screenshotView("public-opportunities")
		b.navigates(atOpportunity, click(fmt.Sprintf(`a[href="/opportunities/%s"]`, opp.ID)))
		b.wantText(title, "4 hours a fortnight")
		b.navigates(atApply, click(fmt.Sprintf(`a[href="/opportunities/%s/apply"]`, opp.ID)))
		b.fill("name", "Robin Browser")
		b.fill("email", "robin.browser@example.org")
		b.fill("phone", "07700 900321")
		b.fill("postcode", "DH1 3LE")
		b.fill("motivation", "I live here and want the streets to feel safe.")
		b.navigates(atApply, click(`button[type="submit"].button`))
		b.wantText("There is a problem", "Tick the box to agree")
		if v := eval[string](b, `document.getElementById("name").value`); v != "Robin Browser" {
			t.Errorf("the name was not kept: %q", v)
		}
		b.do(click(`#consent`))
		b.navigates(regexp.MustCompile(`^/opportunities/`+opp.ID+`/applied$`), click(`button[type="submit"].button`))
		b.wantText("Application sent")
		b.screenshot("7-public-applies")
	})

	t.Run("a coordinator moves the application along the pipeline board to active", func(t *testing.T) {
		b := s.newTab(t, 1280, 900)
		b.signIn(coordinator)
		b.open("/coord/applications", regexp.MustCompile(`^/coord/applications$`))
		b.wantText("Recruitment pipeline", "Robin Browser")
		for _, stage := range []string{"screening", "references", "vetting", "training"} {
			b.navigates(regexp.MustCompile(`^/coord/applications$`), click(`//main//button[contains(., 'Robin Browser')]`))
			b.wantText("Robin Browser moved to " + stage)
			if stage == "screening" {
				b.screenshot("8-coordinator-pipeline")
			}
		}
		b.navigates(regexp.MustCompile(`^/coord/applications$`), click(`//main//button[contains(., 'Robin Browser')]`))
		b.wantText("Robin Browser moved to active. They are now a member and have been invited to set a password.")
	})

	const email, password = "robin.browser@example.org", "a long password of my own"
	t.Run("the new member sets a password from the invitation, signs in and enrols", func(t *testing.T) {
		invite, ok := inbox.lastTo(email)
		if !ok || !strings.Contains(invite.Link, "/invite/") {
			t.Fatalf("no invitation reached %s: %+v", email, invite)
		}
		b := s.newTab(t, 320, 640)
		link := invite.Link[strings.Index(invite.Link, "/invite/"):]
		b.open(link, regexp.MustCompile(`^/invite/`))
		b.wantText("Choose your password")
		b.fill("password", password)
		b.fill("confirm", password)
		b.navigates(atSignIn, click(`button[type="submit"].button`))
		b.wantText("Your password is set")
		b.fill("email", email)
		b.fill("password", password)
		b.navigates(atShifts, click(`button[type="submit"].button`))
		b.open("/training", regexp.MustCompile(`^/training$`))
		b.wantText("Courses open to you", "Journey test room")
		b.navigates(regexp.MustCompile(`^/training$`), click(fmt.Sprintf(`form[action="/training/sessions/%s/enrol"] button`, session.ID)))
		b.wantText("You are enrolled on Safeguarding level 2", "My training", "Enrolled")
		b.screenshot("9-member-enrols")
	})

	t.Run("once the session is held and completed, the pathway shows the course met", func(t *testing.T) {
		u, err := s.app.UserByEmail(ctx, app.CommandLineOperator(), email)
		if err != nil {
			t.Fatal(err)
		}
		mine, err := s.app.MemberEnrolments(ctx, p, u.MemberID)
		if err != nil || len(mine) != 1 {
			t.Fatalf("the new member's enrolments: %+v, %v", mine, err)
		}
		// The trainer records completion once the session has started: a
		// copy of the use cases with the clock at the session's end.
		held := *s.app
		held.Now = func() time.Time { return session.End }
		if _, err := held.CompleteEnrolment(ctx, p, mine[0].ID); err != nil {
			t.Fatalf("complete: %v", err)
		}
		b := s.newTab(t, 1024, 768)
		b.open("/sign-in", atSignIn)
		b.fill("email", email)
		b.fill("password", password)
		b.navigates(atShifts, click(`button[type="submit"].button`))
		b.open("/my-pathways", regexp.MustCompile(`^/my-pathways$`))
		b.wantText("Bank volunteer → patrol lead", "Complete the SG-2 course: met", "Hold the first_aid skill: next")
		b.screenshot("10-member-pathways")
	})
}
