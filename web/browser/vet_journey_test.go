package browser_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/app/demo"
	"github.com/copbank/copbank/domain"
)

// The VET recruitment journey: someone signed out finds an open
// opportunity, applies (meeting the error summary first) and a coordinator
// moves the application on from the pipeline board. Every page is checked
// by axe-core and at 320 px, as in TestJourneys.
func TestVetRecruitmentJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journeys are not short")
	}
	s := startSite(t)
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

	t.Run("a coordinator moves the application on from the pipeline board", func(t *testing.T) {
		b := s.newTab(t, 1280, 900)
		b.signIn(coordinator)
		b.open("/coord/applications", regexp.MustCompile(`^/coord/applications$`))
		b.wantText("Recruitment pipeline", "Robin Browser")
		b.navigates(regexp.MustCompile(`^/coord/applications$`), click(`//main//button[contains(., 'Robin Browser')]`))
		b.wantText("Robin Browser moved to screening")
		b.screenshot("8-coordinator-pipeline")
	})
}
