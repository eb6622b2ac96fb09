package web_test

import (
	"net/http"
	"slices"
	"testing"
)

// wantField checks a 4xx that names the field.
func wantField(t *testing.T, r resp, status int, field string) {
	t.Helper()
	if r.status != status || !slices.Contains(fieldsOf(r), field) {
		t.Fatalf("got %d naming %v, want %d naming %s: %s", r.status, fieldsOf(r), status, field, r.raw)
	}
}

func TestPayBandsAddRatesByDateAndRefuseBadOnes(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		band := func(rate any, from string) map[string]any {
			return map[string]any{"code": "B2", "name": "Bank officer band 2", "rate_pence": rate, "effective_from": from}
		}
		if r := e.do(http.MethodPost, "/api/v1/pay-bands", e.admin, band(1850, "2027-01-01")); r.status != http.StatusCreated {
			t.Fatalf("first rate: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodPost, "/api/v1/pay-bands", e.admin, band(1900, "2027-04-01")); r.status != http.StatusCreated {
			t.Fatalf("a later rate: %d %s", r.status, r.raw)
		}
		wantField(t, e.do(http.MethodPost, "/api/v1/pay-bands", e.admin, band(2000, "2027-01-01")), http.StatusConflict, "effective_from")
		wantField(t, e.do(http.MethodPost, "/api/v1/pay-bands", e.admin, band(-1, "2027-06-01")), http.StatusUnprocessableEntity, "rate_pence")
		wantField(t, e.do(http.MethodPost, "/api/v1/pay-bands", e.admin, band(1850.5, "2027-06-01")), http.StatusUnprocessableEntity, "rate_pence")
		wantField(t, e.do(http.MethodPost, "/api/v1/pay-bands", e.admin, band(1850, "1 June")), http.StatusUnprocessableEntity, "effective_from")
		if r := e.do(http.MethodPost, "/api/v1/pay-bands", e.coordinator, band(1850, "2027-06-01")); r.status != http.StatusForbidden {
			t.Fatalf("a coordinator set a band: %d %s", r.status, r.raw)
		}
		r := e.do(http.MethodGet, "/api/v1/pay-bands", e.admin, nil)
		items, _ := r.body["items"].([]any)
		if r.status != http.StatusOK || len(items) != 2 {
			t.Fatalf("want the two rates written and nothing else: %d %s", r.status, r.raw)
		}
	})
}

func TestPaySettingsStartAtTheDefaultsAndOnlyAnAdminChangesThem(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		r := e.do(http.MethodGet, "/api/v1/pay-settings", e.admin, nil)
		want := map[string]any{"unsocial_multiplier": 1.3, "weekend_multiplier": 1.5, "bank_holiday_multiplier": 2.0,
			"late_cancel_hours": 24.0, "late_cancel_min_paid_hours": 4.0, "mileage_pence_per_mile": 45.0,
			"volunteer_notional_pence_per_hour": 1500.0}
		for k, v := range want {
			if r.body[k] != v {
				t.Fatalf("default %s = %v, want %v: %s", k, r.body[k], v, r.raw)
			}
		}
		next := map[string]any{"unsocial_multiplier": 1.25, "weekend_multiplier": 1.5, "bank_holiday_multiplier": 2.0,
			"late_cancel_hours": 48, "late_cancel_min_paid_hours": 3, "mileage_pence_per_mile": 40,
			"volunteer_notional_pence_per_hour": 1600}
		if r := e.do(http.MethodPut, "/api/v1/pay-settings", e.coordinator, next); r.status != http.StatusForbidden {
			t.Fatalf("a coordinator changed pay settings: %d", r.status)
		}
		bad := map[string]any{}
		for k, v := range next {
			bad[k] = v
		}
		bad["weekend_multiplier"] = 0.5
		wantField(t, e.do(http.MethodPut, "/api/v1/pay-settings", e.admin, bad), http.StatusUnprocessableEntity, "weekend_multiplier")
		if r := e.do(http.MethodPut, "/api/v1/pay-settings", e.admin, next); r.status != http.StatusOK || r.body["unsocial_multiplier"] != 1.25 {
			t.Fatalf("put: %d %s", r.status, r.raw)
		}
		if r := e.do(http.MethodGet, "/api/v1/pay-settings", e.admin, nil); r.body["late_cancel_hours"] != 48.0 || r.body["weekend_multiplier"] != 1.5 {
			t.Fatalf("after put: %s", r.raw)
		}
	})
}

func TestBankHolidaysAreSeededWithSubstituteDays(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		r := e.do(http.MethodGet, "/api/v1/bank-holidays", e.coordinator, nil)
		var dates []string
		for _, it := range r.body["items"].([]any) {
			dates = append(dates, it.(map[string]any)["date"].(string))
		}
		// Eight a year, 2026 to 2030.
		if len(dates) != 40 {
			t.Fatalf("%d bank holidays, want 40: %v", len(dates), dates)
		}
		for _, d := range []string{"2026-04-03", "2026-12-28", "2027-03-26", "2027-05-03", "2027-12-27", "2027-12-28",
			"2028-01-03", "2028-05-01", "2029-03-30", "2030-08-26"} {
			if !slices.Contains(dates, d) {
				t.Errorf("%s is missing", d)
			}
		}
		for _, d := range []string{"2027-12-25", "2027-12-26", "2028-01-01", "2026-12-26"} {
			if slices.Contains(dates, d) {
				t.Errorf("%s falls at a weekend and is not itself a bank holiday", d)
			}
		}
		add := map[string]any{"date": "2030-05-08", "name": "A one-off holiday"}
		if r := e.do(http.MethodPost, "/api/v1/bank-holidays", e.coordinator, add); r.status != http.StatusForbidden {
			t.Fatalf("a coordinator added a bank holiday: %d", r.status)
		}
		if r := e.do(http.MethodPost, "/api/v1/bank-holidays", e.admin, add); r.status != http.StatusCreated {
			t.Fatalf("add: %d %s", r.status, r.raw)
		}
		wantField(t, e.do(http.MethodPost, "/api/v1/bank-holidays", e.admin, add), http.StatusConflict, "date")
	})
}
