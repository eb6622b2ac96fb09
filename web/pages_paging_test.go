package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var nextPage = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

func TestShiftAndMemberListsComeInPagesWithAreaNames(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(2 * time.Hour)), "rrule": "FREQ=DAILY;COUNT=25"})
		for i := range 52 {
			e.member(fmt.Sprintf("member %02d", i), memberOpts{})
		}
		b := e.browser(t)
		b.signIn("admin@example.org")

		p := b.get("/shifts")
		if n := strings.Count(p.body, `<li class="card">`); n != 20 {
			t.Fatalf("the first page of shifts has %d cards, want 20", n)
		}
		wantPage(t, p, http.StatusOK, "Durham City")
		m := nextPage.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatal("no next page of shifts")
		}
		p = b.get(html.UnescapeString(m[1]))
		if n := strings.Count(p.body, `<li class="card">`); n != 5 || nextPage.MatchString(p.body) {
			t.Fatalf("the second page of shifts has %d cards (want 5) or a next page", n)
		}
		wantPage(t, p, http.StatusOK, "First page")

		p = b.get("/admin/members")
		if n := strings.Count(p.body, `<a href="/admin/members/0`); n != 50 {
			t.Fatalf("the first page of members has %d rows, want 50", n)
		}
		wantPage(t, p, http.StatusOK, "<td>Durham City</td>")
		m = nextPage.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatal("no next page of members")
		}
		p = b.get(html.UnescapeString(m[1]))
		if n := strings.Count(p.body, `<a href="/admin/members/0`); n != 2 {
			t.Fatalf("the second page of members has %d rows, want 2", n)
		}
	})
}
