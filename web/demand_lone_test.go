package web_test

import (
	"net/http"
	"testing"
	"time"
)

func TestPatchingADemandTurnsLoneWorkingOnAndOffAndLeavesItAloneWhenLeftOut(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		start := t0.Add(48 * time.Hour)
		d := e.demand(map[string]any{"start_local": local(start), "end_local": local(start.Add(time.Hour))})
		id := d["id"].(string)
		if d["lone_working"] != false {
			t.Fatalf("posted: lone_working %v", d["lone_working"])
		}
		r := e.do(http.MethodPatch, "/api/v1/demands/"+id, e.coordinator, map[string]any{"lone_working": true})
		if r.status != http.StatusOK || r.body["lone_working"] != true {
			t.Fatalf("turn on: %d %s", r.status, r.raw)
		}
		r = e.do(http.MethodPatch, "/api/v1/demands/"+id, e.coordinator, map[string]any{"title": "Renamed patrol"})
		if r.status != http.StatusOK || r.body["lone_working"] != true {
			t.Fatalf("a patch without it: %d %s", r.status, r.raw)
		}
		if g := e.do(http.MethodGet, "/api/v1/demands/"+id, e.coordinator, nil); g.body["lone_working"] != true {
			t.Fatalf("read back: %s", g.raw)
		}
		r = e.do(http.MethodPatch, "/api/v1/demands/"+id, e.coordinator, map[string]any{"lone_working": false})
		if r.status != http.StatusOK || r.body["lone_working"] != false {
			t.Fatalf("turn off: %d %s", r.status, r.raw)
		}
		if got := e.auditActions("demand.update"); len(got) == 0 {
			t.Fatalf("the change was not audited")
		}
	})
}
