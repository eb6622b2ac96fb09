package web_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/copbank/copbank/app"
)

// The VET recruitment rows of the authorisation matrix go in before its
// last row, which erases member A.
func init() {
	authzRows = slices.Insert(authzRows, len(authzRows)-1, vetAuthzRows...)
}

var vetAuthzRows = []authzRow{
	{method: "GET", route: "/api/v1/opportunities", path: "/api/v1/opportunities", want: [6]int{200, 200, 200, 200, 200, 200},
		note: "open ones are public"},
	{method: "POST", route: "/api/v1/opportunities", path: "/api/v1/opportunities",
		body: `{"title":"Patrol volunteer","kind":"volunteer","area":"DUR-N1","status":"open"}`,
		want: [6]int{401, 403, 403, 201, 422, 201}, note: "out of scope: area is outside the areas they coordinate"},
	{method: "GET", route: "/api/v1/opportunities/:id", path: "/api/v1/opportunities/{openOpportunity}", want: [6]int{200, 200, 200, 200, 200, 200}},
	{method: "GET", route: "/api/v1/opportunities/:id", path: "/api/v1/opportunities/{draftOpportunity}", want: [6]int{404, 404, 404, 200, 404, 200},
		note: "a draft"},
	{method: "PATCH", route: "/api/v1/opportunities/:id", path: "/api/v1/opportunities/{openOpportunity}", body: `{"commitment":"Less"}`,
		want: [6]int{401, 403, 403, 200, 403, 200}},
	{method: "PATCH", route: "/api/v1/opportunities/:id", path: "/api/v1/opportunities/{draftOpportunity}", body: `{"commitment":"Less"}`,
		want: [6]int{401, 404, 404, 200, 404, 200}, note: "a draft"},
	{method: "POST", route: "/api/v1/applications", path: "/api/v1/applications",
		body: `{"opportunity_id":"{openOpportunity}","name":"Jo","email":"jo{uniq}@example.org","phone":"07700 900123","postcode":"DH1 3LE","motivation":"To help","consent":true}`,
		want: [6]int{201, 201, 201, 201, 201, 201}},
	{method: "POST", route: "/api/v1/applications/withdraw", path: "/api/v1/applications/withdraw", body: `{"token":"{withdrawToken}"}`,
		want: [6]int{200, 200, 200, 200, 200, 200}, note: "the link is the credential"},
	{method: "GET", route: "/api/v1/applications", path: "/api/v1/applications", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "GET", route: "/api/v1/applications/:id", path: "/api/v1/applications/{application}", want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "POST", route: "/api/v1/applications/:id/stage", path: "/api/v1/applications/{application}/stage", body: `{"stage":"screening"}`,
		want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "GET", route: "/api/v1/applications/:id/export", path: "/api/v1/applications/{application}/export",
		want: [6]int{401, 404, 404, 403, 404, 200}},
	{method: "DELETE", route: "/api/v1/applications/:id", path: "/api/v1/applications/{application}",
		want: [6]int{401, 404, 404, 403, 404, 200}},
}

// fillVet makes the VET fixtures named in s. Each application comes from an
// address of its own, so that fixtures never meet the per-address limit.
func (w *world) fillVet(t *testing.T, s string) string {
	t.Helper()
	e := w.e
	set := func(key string, make func() string) {
		if strings.Contains(s, "{"+key+"}") {
			s = strings.ReplaceAll(s, "{"+key+"}", make())
		}
	}
	set("openOpportunity", func() string { return e.opportunity(map[string]any{"status": "open"}) })
	set("draftOpportunity", func() string { return e.opportunity(map[string]any{"status": "draft"}) })
	applyFixture := func() (string, string) {
		w.uniq++
		email := fmt.Sprintf("applicant%d@example.org", w.uniq)
		ctx := app.WithRequest(context.Background(), "", fmt.Sprintf("192.0.2.%d", w.uniq%250))
		a, err := e.app.Apply(ctx, app.NewApplication{OpportunityID: e.opportunity(map[string]any{"status": "open"}), Name: "Jo",
			Email: email, Phone: "07700 900123", Postcode: "DH1 3LE", Motivation: "To help", Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID, email
	}
	set("application", func() string { id, _ := applyFixture(); return id })
	set("withdrawToken", func() string { _, email := applyFixture(); return secretOf(e.lastLink(email)) })
	return s
}
