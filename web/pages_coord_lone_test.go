package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestACoordinatorTurnsLoneWorkingOnAndOffFromTheEditPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	b := coordBrowser(t, e)
	d := e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))})
	id := d["id"].(string)
	edit := "/coord/demands/" + id + "/edit"
	form := func(lone bool) url.Values {
		f := url.Values{"title": {"Evening patrol"}, "start_time": {"20:00"}, "end_time": {"00:00"}, "positions-0-name": {"Patrol"},
			"positions-0-kinds": {"volunteer", "bank_officer"}, "positions-0-min_vetting": {"NPPV1"}, "positions-0-headcount": {"2"}}
		if lone {
			f.Set("lone_working", "yes")
		}
		return f
	}
	lone := func() any {
		return e.do(http.MethodGet, "/api/v1/demands/"+id, e.coordinator, nil).body["lone_working"]
	}
	wantPage(t, b.get(edit), http.StatusOK, `name="lone_working"`)
	wantPage(t, b.post(edit, edit, form(true)), http.StatusOK, "Changes saved")
	if lone() != true {
		t.Fatal("lone working not turned on")
	}
	wantPage(t, b.get(edit), http.StatusOK, `value="yes" checked`)
	wantPage(t, b.post(edit, edit, form(false)), http.StatusOK, "Changes saved")
	if lone() != false {
		t.Fatal("lone working not turned off")
	}
}
