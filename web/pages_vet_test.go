package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTheApplicationFormWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		draft := e.opportunity(map[string]any{"status": "draft", "title": "Hidden draft"})
		pub := e.browser(t)
		wantPage(t, pub.get("/opportunities?area=DUR&kind=mentor"), http.StatusOK, "Peer mentor", `href="/opportunities/`+opp+`"`)
		if p := pub.get("/opportunities"); strings.Contains(p.body, "Hidden draft") {
			t.Fatal("the public list shows a draft")
		}
		wantPage(t, pub.get("/opportunities?area=NOWHERE"), http.StatusUnprocessableEntity, `<a href="#area">`)
		wantPage(t, pub.get("/opportunities/"+draft), http.StatusNotFound)
		wantPage(t, pub.get("/opportunities/"+opp), http.StatusOK, "4 hours a fortnight", `href="/opportunities/`+opp+`/apply"`)
		wantPage(t, pub.get("/opportunities/"+opp+"/apply"), http.StatusOK, `href="/opportunities/privacy"`, `name="website"`, "lived:addiction")

		apply := "/opportunities/" + opp + "/apply"
		missing := pub.post(apply, apply, url.Values{"name": {"Jo Bloggs"}, "email": {"jo@example.org"}, "lived_experience": {"lived:crime"}})
		wantPage(t, missing, http.StatusUnprocessableEntity, "There is a problem", `<a href="#phone">`, `<a href="#consent">`,
			`aria-describedby="phone-error"`, `value="Jo Bloggs"`, `value="lived:crime" checked`)

		bot := pub.post(apply, apply, url.Values{"name": {"Jo"}, "email": {"jo@example.org"}, "phone": {"07700 900123"}, "postcode": {"DH1 3LE"},
			"motivation": {"Help"}, "consent": {"yes"}, "website": {"http://spam.example"}})
		wantPage(t, bot, http.StatusUnprocessableEntity, "There is a problem")
		if strings.Contains(bot.body, "Leave this empty</a>") || e.applicationCount() != 0 {
			t.Fatal("the honeypot was named, or the bot's application stored")
		}

		ok := pub.post(apply, apply, url.Values{"name": {"Jo Bloggs"}, "email": {"jo@example.org"}, "phone": {"07700 900123"},
			"postcode": {"DH1 3LE"}, "motivation": {"I want to help"}, "consent": {"yes"}, "lived_experience": {"lived:crime"}})
		if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/opportunities/"+opp+"/applied" {
			t.Fatalf("apply: %d %s", ok.status, ok.body)
		}
		wantPage(t, pub.get(ok.header.Get("Location")), http.StatusOK, "Application sent")
		if e.applicationCount() != 1 {
			t.Fatal("the application was not stored")
		}

		link, _ := url.Parse(e.lastLink("jo@example.org"))
		wantPage(t, pub.get(link.Path), http.StatusOK, "Withdraw my application")
		wantPage(t, pub.post(link.Path, link.Path, nil), http.StatusOK, "Application withdrawn")
		wantPage(t, pub.post(link.Path, link.Path, nil), http.StatusGone)
	})
}

func TestThePipelineBoardMovesAnApplicationOn(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		// Ada applied first but reached screening last: Bo has waited longer there.
		ada := e.apply(application(opp, "Ada First", "ada@example.org", nil))
		e.advance(time.Hour)
		bo := e.apply(application(opp, "Bo Second", "bo@example.org", nil))
		e.moveStage(e.coordinator, bo, "screening", "")
		e.advance(time.Hour)
		e.moveStage(e.coordinator, ada, "screening", "")
		e.apply(application(opp, "Cy Third", "cy@example.org", nil))

		coord := e.browser(t)
		coord.signIn("coord@example.org")
		board := coord.get("/coord/applications")
		wantPage(t, board, http.StatusOK, "Recruitment pipeline", "Ada First", "Bo Second", "Cy Third",
			`action="/coord/applications/`+ada+`/stage"`, `value="references">Move on to references`,
			`Submitted <span class="tag">1</span>`, `Screening <span class="tag">2</span>`)
		if strings.Index(board.body, "Bo Second") > strings.Index(board.body, "Ada First") {
			t.Fatal("the application waiting longest at its stage is not first in its column")
		}
		moved := coord.post("/coord/applications", "/coord/applications/"+ada+"/stage", url.Values{"stage": {"references"}, "note": {"Called"}})
		if moved.status != http.StatusSeeOther {
			t.Fatalf("move: %d %.600s", moved.status, moved.body)
		}
		wantPage(t, coord.get("/coord/applications"), http.StatusOK, "Ada First moved to references")
		again := coord.post("/coord/applications", "/coord/applications/"+ada+"/stage", url.Values{"stage": {"references"}})
		wantPage(t, again, http.StatusConflict, "There is a problem", `<a href="#move-`+ada+`">`, "may move only to vetting")

		member := e.browser(t)
		e.memberLogin("sam", memberOpts{})
		member.signIn("sam@example.org")
		wantPage(t, member.get("/coord/applications"), http.StatusNotFound)
	})
}

func TestThePublicOpportunityPagesNameTheAreaAndAreCacheableSignedOutButTheFormIsNot(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		opp := e.vetWorld()
		for _, path := range []string{"/opportunities", "/opportunities?area=DUR", "/opportunities/" + opp, "/opportunities/privacy"} {
			p := e.browser(t).get(path)
			if p.status != http.StatusOK || len(p.cookies) != 0 || !strings.HasPrefix(p.header.Get("Cache-Control"), "public") {
				t.Errorf("%s signed out: %d, cookies %v, Cache-Control %q; want 200, none, public", path, p.status, p.cookies, p.header.Get("Cache-Control"))
			}
		}
		wantPage(t, e.browser(t).get("/opportunities"), http.StatusOK, "Lived-experience mentor · Durham City")
		wantPage(t, e.browser(t).get("/opportunities/"+opp), http.StatusOK, "<dd>Durham City</dd>")
		form := e.browser(t).get("/opportunities/" + opp + "/apply")
		if form.status != http.StatusOK || strings.HasPrefix(form.header.Get("Cache-Control"), "public") || !strings.Contains(form.body, `name="csrf_token"`) {
			t.Errorf("the application form: %d, Cache-Control %q: it carries a form token and must not be shared", form.status, form.header.Get("Cache-Control"))
		}
	})
}
