package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestAdminPagesAreNotFoundForOthers(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		samID, _ := e.memberLogin("sam", memberOpts{})
		for _, who := range []string{"sam@example.org", "coord@example.org"} {
			t.Run(who, func(t *testing.T) {
				b := e.browser(t)
				b.signIn(who)
				for _, path := range []string{"/admin/members", "/admin/members/new", "/admin/members/" + samID, "/admin/skills", "/admin/areas"} {
					wantPage(t, b.get(path), http.StatusNotFound, "there is nothing at this address")
				}
				wantPage(t, b.post("/shifts", "/admin/skills", url.Values{"code": {"radio"}, "name": {"Radio"}}), http.StatusNotFound)
				wantPage(t, b.post("/shifts", "/admin/members/"+samID+"/clearances", url.Values{"clearance_type": {"NPPV3"}}), http.StatusNotFound)
				if strings.Contains(b.get("/shifts").body, `href="/admin/members"`) {
					t.Error("the nav links to the admin pages")
				}
			})
		}
		wantSignInRedirect(t, e.browser(t).get("/admin/members"))
	})
}

var memberPathRe = regexp.MustCompile(`^/admin/members/([^/]+)$`)

func TestAdminAddsAMemberASkillAndAClearance(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.memberLogin("sam", memberOpts{})
		admin := e.browser(t)
		admin.signIn("admin@example.org")
		wantPage(t, admin.get("/shifts"), http.StatusOK, `href="/admin/members"`, `href="/admin/skills"`, `href="/admin/areas"`, `href="/dashboard"`)

		t.Run("a skill is added to the catalogue", func(t *testing.T) {
			wantPage(t, admin.get("/admin/skills"), http.StatusOK, "First aid", `<label for="code">`, `<label for="name">`, `<label for="valid_months">`)
			p := admin.post("/admin/skills", "/admin/skills", url.Values{"code": {"Bad Code"}, "name": {""}, "valid_months": {"12"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#name">Enter a name for the skill</a>`, `aria-describedby="name-hint name-error"`, `value="Bad Code"`, `value="12"`)
			p = admin.post("/admin/skills", "/admin/skills", url.Values{"code": {"Bad Code"}, "name": {"Radio"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#code">The code must be 1–64 lower-case letters`, `aria-describedby="code-hint code-error"`, `value="Radio"`)
			p = admin.post("/admin/skills", "/admin/skills", url.Values{"code": {"radio"}, "name": {"Radio"}, "valid_months": {"24"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("add skill: %d %.600s", p.status, p.body)
			}
			wantPage(t, admin.get("/admin/skills"), http.StatusOK, "You added the skill Radio (radio).", "<code>radio</code>", "24 months")
			wantPage(t, admin.post("/admin/skills", "/admin/skills", url.Values{"code": {"radio"}, "name": {"Radio again"}}), http.StatusUnprocessableEntity,
				`<a href="#code">A skill with this code already exists</a>`)
		})

		var memberID string
		t.Run("a member is added", func(t *testing.T) {
			p := admin.get("/admin/members/new")
			wantPage(t, p, http.StatusOK, `<label for="name">`, `<label for="email">`, "<legend>Kind of member</legend>", `<label for="kinds">Volunteer</label>`,
				`<label for="home_area">`, `<option value="DUR-N1">Durham City (DUR-N1)</option>`, `<label for="lat">`, `<label for="travel_km">`)
			p = admin.post("/admin/members/new", "/admin/members/new", url.Values{"name": {"Nia Lowe"}, "email": {"nia@example.org"}, "lat": {"north"}, "home_area": {"DUR-N1"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#kinds">Choose at least one kind of member</a>`, `aria-describedby="kinds-hint kinds-error"`,
				`<a href="#lat">Enter the latitude as a number`, `aria-describedby="lat-hint lat-error"`, `value="Nia Lowe"`, `value="north"`, `<option value="DUR-N1" selected>`)
			p = admin.post("/admin/members/new", "/admin/members/new", url.Values{"name": {"Nia Lowe"}, "email": {"nia at example"}, "kinds": {"volunteer"},
				"home_area": {"DUR-N1"}, "lat": {"54.7"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#email">Email must be an email address`, `aria-describedby="email-error"`,
				`<a href="#lon">Longitude: give both lat and lon, or neither</a>`, `value="volunteer" checked`, `value="nia at example"`)
			p = admin.post("/admin/members/new", "/admin/members/new", url.Values{"name": {"Nia Lowe"}, "email": {"nia@example.org"}, "kinds": {"volunteer", "mentor"},
				"home_area": {"DUR-N1"}, "lat": {"54.7"}, "lon": {"-1.5"}, "travel_km": {"12"}})
			m := memberPathRe.FindStringSubmatch(p.header.Get("Location"))
			if p.status != http.StatusSeeOther || m == nil {
				t.Fatalf("add member: %d to %q: %.600s", p.status, p.header.Get("Location"), p.body)
			}
			memberID = m[1]
			wantPage(t, admin.get("/admin/members/"+memberID), http.StatusOK, "You added Nia Lowe.", "<h1>Nia Lowe</h1>", "Volunteer, Mentor", "DUR-N1", "12 km",
				"No skills recorded", "No clearances recorded")
			list := admin.get("/admin/members?q=nia")
			wantPage(t, list, http.StatusOK, `href="/admin/members/`+memberID+`">Nia Lowe</a>`)
			if strings.Contains(list.body, "sam@example.org") {
				t.Error("the search for nia lists sam")
			}
			wantPage(t, admin.get("/admin/members"), http.StatusOK, "Nia Lowe", "sam@example.org")
		})
		if memberID == "" {
			t.FailNow()
		}
		page := "/admin/members/" + memberID
		t.Run("a skill is recorded, with its expiry warned of", func(t *testing.T) {
			p := admin.post(page, page+"/skills", url.Values{"skill": {"first_aid"}, "obtained_on": {"2026-01-01"}, "skill_expires_on": {"2025-12-01"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#skill_expires_on">The expiry date must be after obtained_on</a>`,
				`aria-describedby="skill_expires_on-hint skill_expires_on-error"`, `<option value="first_aid" selected>`, `value="2025-12-01"`)
			p = admin.post(page, page+"/skills", url.Values{"skill": {"first_aid"}, "obtained_on": {"2026-01-01"}, "skill_expires_on": {"2027-02-01"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("add skill: %d %.600s", p.status, p.body)
			}
			wantPage(t, admin.get(page), http.StatusOK, "You recorded First aid.", "<td>First aid</td>", "Expires in 28 days")
		})
		t.Run("a clearance is recorded, warned of, suspended and reinstated", func(t *testing.T) {
			p := admin.post(page, page+"/clearances", url.Values{"clearance_type": {"NPPV2"}, "granted_on": {"2025-01-01"}, "clearance_expires_on": {"2024-01-01"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#clearance_expires_on">The expiry date must be after granted_on</a>`,
				`aria-describedby="clearance_expires_on-hint clearance_expires_on-error"`, `<option value="NPPV2" selected>`, `value="2024-01-01"`)
			p = admin.post(page, page+"/clearances", url.Values{"granted_on": {"2025-01-01"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#clearance_type">Choose the clearance type</a>`, `aria-describedby="clearance_type-error"`,
				`<a href="#clearance_expires_on">Enter the date the clearance expires</a>`)
			p = admin.post(page, page+"/clearances", url.Values{"clearance_type": {"NPPV2"}, "granted_on": {"2025-01-01"}, "clearance_expires_on": {"2027-02-15"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("add clearance: %d %.600s", p.status, p.body)
			}
			got := admin.get(page)
			wantPage(t, got, http.StatusOK, "You recorded NPPV2 until Mon 15 Feb 2027.", "<td>NPPV2</td>", "Expires in 42 days", ">Suspend<")
			m := regexp.MustCompile(`action="(/admin/members/[^"]+/clearances/[^"]+/status)"`).FindStringSubmatch(got.body)
			if m == nil {
				t.Fatal("no suspend form")
			}
			if p := admin.post(page, m[1], url.Values{"status": {"suspended"}}); p.status != http.StatusSeeOther {
				t.Fatalf("suspend: %d %.400s", p.status, p.body)
			}
			wantPage(t, admin.get(page), http.StatusOK, "You suspended the NPPV2 clearance.", "<td>Suspended</td>", ">Reinstate<")
			if p := admin.post(page, m[1], url.Values{"status": {"active"}}); p.status != http.StatusSeeOther {
				t.Fatalf("reinstate: %d %.400s", p.status, p.body)
			}
			wantPage(t, admin.get(page), http.StatusOK, "You reinstated the NPPV2 clearance.", "<td>Active</td>")
		})
		t.Run("the member is suspended and reinstated", func(t *testing.T) {
			if p := admin.post(page, page+"/status", url.Values{"status": {"suspended"}}); p.status != http.StatusSeeOther {
				t.Fatalf("suspend: %d %.400s", p.status, p.body)
			}
			wantPage(t, admin.get(page), http.StatusOK, "You suspended Nia Lowe.", "<dd>Suspended</dd>", "Reinstate member")
			admin.post(page, page+"/status", url.Values{"status": {"active"}})
			wantPage(t, admin.get(page), http.StatusOK, "<dd>Active</dd>", "Suspend member")
		})
		t.Run("an area is added to the tree", func(t *testing.T) {
			wantPage(t, admin.get("/admin/areas"), http.StatusOK, `class="tree"`, "<strong>Durham</strong> <code>DUR</code> · Force", "<strong>Durham City</strong>")
			p := admin.post("/admin/areas", "/admin/areas", url.Values{"code": {"dur-s1"}, "name": {"Durham South"}, "kind": {"neighbourhood"}})
			wantPage(t, p, http.StatusUnprocessableEntity, `<a href="#parent_code">The parent area is required for every area but a force</a>`,
				`aria-describedby="parent_code-hint parent_code-error"`, `value="DUR-S1"`, `<option value="neighbourhood" selected>`)
			p = admin.post("/admin/areas", "/admin/areas", url.Values{"code": {"DUR-S1"}, "name": {"Durham South"}, "kind": {"neighbourhood"}, "parent_code": {"DUR"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("add area: %d %.600s", p.status, p.body)
			}
			tree := admin.get("/admin/areas")
			wantPage(t, tree, http.StatusOK, "You added the area Durham South (DUR-S1).", "<strong>Durham South</strong> <code>DUR-S1</code> · Neighbourhood")
			if i, j := strings.Index(tree.body, "<code>DUR</code>"), strings.Index(tree.body, "<code>DUR-S1</code>"); i < 0 || j < i {
				t.Error("the new area is not listed under its force")
			}
		})
	})
}
