package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// schemaTables lists every table of the database, read from its catalogue.
func schemaTables(t *testing.T, e *env) []string {
	t.Helper()
	sqlDB, err := e.store.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if e.store.Dialect() == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := sqlDB.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// columnsOf lists a table's columns, read from the database.
func columnsOf(t *testing.T, e *env, table string) []string {
	t.Helper()
	sqlDB, _ := e.store.SQLDB()
	rows, err := sqlDB.QueryContext(context.Background(), `SELECT * FROM "`+table+`" WHERE 1 = 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

func TestTheExportHoldsEveryTableThatNamesTheMember(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		memberID, token := e.memberLogin("sam", memberOpts{})
		_, other := e.memberLogin("kim", memberOpts{})
		sh := shiftsOf(e.demand(map[string]any{"start_local": local(friday), "end_local": local(friday.Add(4 * time.Hour))}))[0]
		if r := e.do(http.MethodPost, "/api/v1/shifts/"+sh[0]+"/bookings", token, map[string]any{"position_id": sh[1]}); r.status != http.StatusCreated {
			t.Fatalf("book: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/members/"+memberID+"/leave", token, map[string]any{"from": "2027-02-01", "to": "2027-02-03"}); r.status != http.StatusCreated {
			t.Fatalf("leave: %d %s", r.status, r.raw)
		}

		for _, c := range []struct {
			who    string
			token  string
			status int
		}{{"another member", other, 404}, {"a coordinator of their area", e.coordinator, 403}, {"the member", token, 200}, {"an admin", e.admin, 200}} {
			if r := e.do(http.MethodGet, "/api/v1/members/"+memberID+"/export", c.token, nil); r.status != c.status {
				t.Fatalf("%s exports: %d, want %d", c.who, r.status, c.status)
			}
		}
		x := e.do(http.MethodGet, "/api/v1/members/"+memberID+"/export", token, nil)
		tables := x.body["tables"].(map[string]any)
		var named []string
		for _, table := range schemaTables(t, e) {
			for _, col := range columnsOf(t, e, table) {
				if col == "member_id" {
					named = append(named, table)
				}
			}
		}
		if len(named) < 6 {
			t.Fatalf("only %v name a member: the schema was not read", named)
		}
		for _, table := range named {
			if _, ok := tables[table]; !ok {
				t.Errorf("the export leaves out %s, which has a member_id column", table)
			}
		}
		for _, table := range []string{"users", "bookings", "member_skills", "clearances", "leave", "audit_log"} {
			if rows, _ := tables[table].([]any); len(rows) == 0 {
				t.Errorf("the export holds no %s rows", table)
			}
		}
		if strings.Contains(string(x.raw), "password_hash") || strings.Contains(string(x.raw), "argon2") {
			t.Fatal("the export holds a password hash")
		}
		if x.body["member"].(map[string]any)["email"] != "sam@example.org" {
			t.Fatalf("member record: %v", x.body["member"])
		}
		exports := auditItems(t, e.do(http.MethodGet, "/api/v1/audit?action=member.export&entity_id="+memberID, e.admin, nil))
		if len(exports) != 3 {
			t.Fatalf("%d exports logged, want 3", len(exports))
		}
	})
}

func TestErasureLeavesTheNameAndEmailNowhere(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		const name, email = "Zebedee Quux", "zebedee.quux@example.org"
		created := e.do(http.MethodPost, "/api/v1/members", e.admin, map[string]any{"name": name, "email": email, "phone": "07700 900999",
			"kinds": []string{"volunteer"}, "home_area": "DUR-N1", "lat": 54.7, "lon": -1.5}, "Idempotency-Key", "create-zebedee")
		if created.status != http.StatusCreated {
			t.Fatalf("create: %d %s", created.status, created.raw)
		}
		id := created.body["id"].(string)
		ctx := context.Background()
		if err := e.store.CreateClearance(ctx, domain.Clearance{ID: "c-" + id, MemberID: id, Type: domain.NPPV2, GrantedOn: domain.Date{Year: 2025, Month: 1, Day: 1},
			ExpiresOn: domain.Date{Year: 2030, Month: 1, Day: 1}, Status: domain.ClearanceActive, CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		token := e.login(email, []domain.Role{domain.RoleMember}, id, nil)
		e.do(http.MethodPatch, "/api/v1/members/"+id, token, map[string]any{"phone": "07700 900000"})
		e.do(http.MethodPost, "/api/v1/members/"+id+"/leave", token, map[string]any{"from": "2027-03-01", "to": "2027-03-02", "reason": name + " on holiday"})
		e.do(http.MethodPost, "/api/v1/members/"+id+"/availability", token, map[string]any{"start_local": "2027-01-09T09:00", "duration_minutes": 120})

		// A shift already worked, a booking cancelled with the name in the
		// reason, and a future place with someone waiting for it.
		soon := t0.Add(26 * time.Hour)
		past := shiftsOf(e.demand(map[string]any{"start_local": local(soon), "end_local": local(soon.Add(2 * time.Hour))}))[0]
		pb := e.do(http.MethodPost, "/api/v1/shifts/"+past[0]+"/bookings", token, map[string]any{"position_id": past[1]})
		other := shiftsOf(e.demand(map[string]any{"start_local": local(friday.Add(time.Hour)), "end_local": local(friday.Add(2 * time.Hour))}))[0]
		ob := e.do(http.MethodPost, "/api/v1/shifts/"+other[0]+"/bookings", token, map[string]any{"position_id": other[1]})
		e.do(http.MethodPost, "/api/v1/bookings/"+ob.body["id"].(string)+"/cancel", token, map[string]any{"reason": name + " cannot come"})
		future := shiftsOf(e.demand(map[string]any{"start_local": local(friday.Add(48 * time.Hour)), "end_local": local(friday.Add(50 * time.Hour)),
			"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "min_vetting": "NPPV1", "headcount": 1}}}))[0]
		fb := e.do(http.MethodPost, "/api/v1/shifts/"+future[0]+"/bookings", token, map[string]any{"position_id": future[1]})
		waiting, waitingToken := e.memberLogin("kim", memberOpts{})
		wl := e.do(http.MethodPost, "/api/v1/shifts/"+future[0]+"/waitlist", waitingToken, map[string]any{"position_id": future[1]})
		if pb.status != 201 || fb.status != 201 || wl.status != 201 {
			t.Fatalf("setup: %d %d %d", pb.status, fb.status, wl.status)
		}
		e.advance(30 * time.Hour)
		if r := e.do(http.MethodPost, "/api/v1/bookings/"+pb.body["id"].(string)+"/attendance", e.coordinator, map[string]any{"status": "attended"}); r.status != 200 {
			t.Fatalf("attendance: %d %s", r.status, r.raw)
		}
		_ = waiting

		if r := e.do(http.MethodDelete, "/api/v1/members/"+id, e.coordinator, nil); r.status != http.StatusForbidden {
			t.Fatalf("a coordinator erases: %d", r.status)
		}
		r := e.do(http.MethodDelete, "/api/v1/members/"+id, e.admin, nil)
		if r.status != http.StatusOK {
			t.Fatalf("erase: %d %s", r.status, r.raw)
		}
		if n := r.body["cancelled_bookings"].(float64); n != 1 {
			t.Fatalf("cancelled %v bookings, want 1", n)
		}
		kept := fmt.Sprint(r.body["kept"])
		if !strings.Contains(kept, "six years") || !strings.Contains(kept, "audit") {
			t.Fatalf("the answer does not say what was kept and why: %s", kept)
		}
		promoted := e.do(http.MethodGet, "/api/v1/members/"+waiting+"/bookings", waitingToken, nil)
		if st := promoted.body["items"].([]any)[0].(map[string]any)["status"]; st != "confirmed" {
			t.Fatalf("the waiting member is %v, want confirmed", st)
		}
		if r := e.do(http.MethodGet, "/api/v1/me", token, nil); r.status != http.StatusUnauthorized {
			t.Fatalf("the erased member's token still works: %d", r.status)
		}
		// The past booking is kept, for hours and pay.
		hist := e.do(http.MethodGet, "/api/v1/members/"+id+"/bookings", e.admin, nil)
		attended := 0
		for _, b := range hist.body["items"].([]any) {
			if b.(map[string]any)["status"] == "attended" {
				attended++
			}
		}
		if attended != 1 {
			t.Fatalf("%d attended bookings kept, want 1: %s", attended, hist.raw)
		}

		for _, table := range schemaTables(t, e) {
			scanForPersonal(t, e, table, []string{name, strings.ToLower(name), email, "07700"})
		}
		// Last, as a failed attempt is itself recorded under the email tried.
		if _, err := e.app.Login(ctx, email, "a long test password", "127.0.0.1"); err == nil {
			t.Fatal("the erased member can still sign in")
		}
	})
}

// scanForPersonal fails when any text or bytes value of any row of table
// holds one of the needles.
func scanForPersonal(t *testing.T, e *env, table string, needles []string) {
	t.Helper()
	sqlDB, _ := e.store.SQLDB()
	rows, err := sqlDB.QueryContext(context.Background(), `SELECT * FROM "`+table+`"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			var s string
			switch x := v.(type) {
			case string:
				s = x
			case []byte:
				s = string(x)
			case sql.RawBytes:
				s = string(x)
			default:
				continue
			}
			for _, n := range needles {
				if strings.Contains(s, n) {
					t.Errorf("%s.%s still holds %q: %.200s", table, cols[i], n, s)
				}
			}
		}
	}
}

func TestTheExportHoldsTheMembersExpenseClaims(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		f := newPayFixture(t, e)
		f.workWednesday(t, e)
		claim := func(tok, booking string, body map[string]any) string {
			r := e.do(http.MethodPost, "/api/v1/bookings/"+booking+"/expenses", tok, body)
			if r.status != http.StatusCreated {
				t.Fatalf("claim: %d %s", r.status, r.raw)
			}
			return r.body["id"].(string)
		}
		mileage := claim(f.vTok, f.bvWed, map[string]any{"kind": "mileage", "miles": 12.5, "note": "home to Durham and back"})
		parking := claim(f.vTok, f.bvWed, map[string]any{"kind": "other", "amount_pence": 350, "note": "parking"})
		if r := e.do(http.MethodPost, "/api/v1/expenses/"+mileage+"/approve", e.coordinator, nil); r.status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.status, r.raw)
		}
		someoneElses := claim(f.o1Tok, f.b1Wed, map[string]any{"kind": "other", "amount_pence": 200, "note": "bus"})

		x := e.do(http.MethodGet, "/api/v1/members/"+f.v+"/export", f.vTok, nil)
		if x.status != http.StatusOK {
			t.Fatalf("export: %d %s", x.status, x.raw)
		}
		rows, _ := x.body["tables"].(map[string]any)["expenses"].([]any)
		got := map[string]map[string]any{}
		for _, r := range rows {
			row := r.(map[string]any)
			got[fmt.Sprint(row["id"])] = row
		}
		if len(got) != 2 || got[someoneElses] != nil {
			t.Fatalf("the export's expenses are %v, want the member's two claims only", rows)
		}
		if m := got[mileage]; m == nil || m["kind"] != "mileage" || fmt.Sprint(m["amount_pence"]) != "563" ||
			m["status"] != "approved" || m["note"] != "home to Durham and back" || m["booking_id"] != f.bvWed {
			t.Errorf("the mileage claim reads %v", got[mileage])
		}
		if p := got[parking]; p == nil || p["kind"] != "other" || fmt.Sprint(p["amount_pence"]) != "350" || p["status"] != "claimed" {
			t.Errorf("the parking claim reads %v", got[parking])
		}
	})
}
