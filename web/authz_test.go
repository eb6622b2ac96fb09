package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/domain"
	"github.com/copbank/copbank/web"
)

// The authorisation matrix: every route of the route table against six
// callers. The expected statuses are written out by hand from who may see
// and change what (a member: their own data and the open shifts; a
// coordinator: what lies in their areas; an admin: everything), never
// derived from the policy under test.
// Columns: anonymous, member A, member B, coordinator in scope (DUR, over
// A's and B's home DUR-N1), coordinator out of scope (CLE), admin. Paths and
// bodies name fixtures in braces; each cell gets fresh ones, so no cell
// depends on another.

type who int

const (
	anon who = iota
	memberA
	memberB
	coordIn
	coordOut
	admin
)

var whoNames = [...]string{"anonymous", "member A", "member B", "coordinator in scope", "coordinator out of scope", "admin"}

type authzRow struct {
	method, route string // the route table's key
	path          string // with fixtures in braces
	body          string // JSON with fixtures in braces; "" sends none
	want          [6]int
	fresh         bool // each cell signs in anew (the route ends the session)
	note          string
}

var authzRows = []authzRow{
	{method: "GET", route: "/healthz", path: "/healthz", want: [6]int{200, 200, 200, 200, 200, 200}},
	{method: "GET", route: "/readyz", path: "/readyz", want: [6]int{200, 200, 200, 200, 200, 200}},
	{method: "GET", route: "/api/openapi.json", path: "/api/openapi.json", want: [6]int{200, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/auth/login", path: "/api/v1/auth/login",
		body: `{"email":"ma@example.org","password":"a long test password"}`, want: [6]int{200, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/auth/logout", path: "/api/v1/auth/logout", fresh: true, want: [6]int{401, 204, 204, 204, 204, 204}},
	{method: "GET", route: "/api/v1/me", path: "/api/v1/me", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/auth/mfa", path: "/api/v1/auth/mfa", body: `{"mfa_token":"{mfaToken}","code":"{mfaRecovery}"}`,
		want: [6]int{200, 200, 200, 200, 200, 200}, note: "a fresh account's password step, finished with a recovery code"},
	{method: "POST", route: "/api/v1/auth/mfa", path: "/api/v1/auth/mfa", body: `{"mfa_token":"never-issued","code":"123456"}`,
		want: [6]int{401, 401, 401, 401, 401, 401}},
	{method: "POST", route: "/api/v1/me/totp", path: "/api/v1/me/totp", want: [6]int{401, 201, 201, 201, 201, 201},
		note: "an unconfirmed enrolment changes nothing at sign-in"},
	{method: "GET", route: "/api/v1/me/sessions", path: "/api/v1/me/sessions", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "DELETE", route: "/api/v1/me/sessions/:id", path: "/api/v1/me/sessions/{callerSession}", want: [6]int{401, 204, 204, 204, 204, 204}},
	{method: "DELETE", route: "/api/v1/me/sessions/:id", path: "/api/v1/me/sessions/{sessionA}", want: [6]int{401, 204, 404, 404, 404, 404},
		note: "member A's session: only A reaches it here"},
	{method: "GET", route: "/api/v1/users/:id/sessions", path: "/api/v1/users/{userA}/sessions", want: [6]int{401, 200, 403, 403, 403, 200},
		note: "member A's own, or an admin"},
	{method: "DELETE", route: "/api/v1/users/:id/sessions/:sid", path: "/api/v1/users/{userA}/sessions/{sessionA}",
		want: [6]int{401, 204, 403, 403, 403, 204}},
	{method: "DELETE", route: "/api/v1/users/:id/totp", path: "/api/v1/users/{totpUser}/totp", want: [6]int{401, 403, 403, 403, 403, 204}},

	{method: "GET", route: "/api/v1/audit", path: "/api/v1/audit", want: [6]int{401, 403, 403, 403, 403, 200}},

	{method: "GET", route: "/api/v1/public/pages/:slug", path: "/api/v1/public/pages/report", want: [6]int{200, 200, 200, 200, 200, 200}},
	{method: "PUT", route: "/api/v1/public/pages/:slug", path: "/api/v1/public/pages/report", body: `{"title":"Report","body":"Call 101."}`,
		want: [6]int{401, 403, 403, 403, 403, 200}},
	{method: "GET", route: "/api/v1/public/pages/:slug/versions", path: "/api/v1/public/pages/report/versions",
		want: [6]int{401, 403, 403, 403, 403, 200}},
	{method: "GET", route: "/api/v1/public/areas/:code/activity", path: "/api/v1/public/areas/DUR/activity", want: [6]int{200, 200, 200, 200, 200, 200}},

	{method: "GET", route: "/api/v1/areas", path: "/api/v1/areas", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/areas", path: "/api/v1/areas",
		body: `{"code":"X{uniq}","name":"New","kind":"neighbourhood","parent_code":"DUR"}`, want: [6]int{401, 403, 403, 403, 403, 201}},
	{method: "GET", route: "/api/v1/skills", path: "/api/v1/skills", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/skills", path: "/api/v1/skills",
		body: `{"code":"s{uniq}","name":"New"}`, want: [6]int{401, 403, 403, 403, 403, 201}},

	{method: "GET", route: "/api/v1/members", path: "/api/v1/members", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "POST", route: "/api/v1/members", path: "/api/v1/members",
		body: `{"name":"New","email":"n{uniq}@example.org","kinds":["volunteer"],"home_area":"DUR-N1"}`,
		want: [6]int{401, 403, 403, 201, 422, 201}, note: "out of scope: home_area is outside the areas they coordinate"},
	{method: "GET", route: "/api/v1/members/:id", path: "/api/v1/members/{A}", want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "PATCH", route: "/api/v1/members/:id", path: "/api/v1/members/{A}", body: `{"phone":"0191 000 0000"}`,
		want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "PATCH", route: "/api/v1/members/:id", path: "/api/v1/members/{A}", body: `{"Status":"active"}`,
		want: [6]int{401, 422, 404, 200, 404, 200}, note: "mass assignment, key in another case"},
	{method: "PATCH", route: "/api/v1/members/:id", path: "/api/v1/members/{A}", body: `{"MAX_HOURS_PER_WEEK":168,"kinds":["volunteer"]}`,
		want: [6]int{401, 422, 404, 200, 404, 200}, note: "mass assignment: caps and kinds"},
	{method: "PUT", route: "/api/v1/members/:id/skills/:code", path: "/api/v1/members/{A}/skills/first_aid", body: `{"obtained_on":"2026-01-01"}`,
		want: [6]int{401, 403, 404, 200, 404, 200}},
	{method: "DELETE", route: "/api/v1/members/:id/skills/:code", path: "/api/v1/members/{A}/skills/{heldSkill}",
		want: [6]int{401, 403, 404, 204, 404, 204}},
	{method: "POST", route: "/api/v1/members/:id/clearances", path: "/api/v1/members/{A}/clearances",
		body: `{"type":"NPPV3","granted_on":"2026-01-01","expires_on":"2031-01-01"}`, want: [6]int{401, 403, 404, 403, 404, 201}},
	{method: "PATCH", route: "/api/v1/members/:id/clearances/:cid", path: "/api/v1/members/{A}/clearances/{clearance}",
		body: `{"status":"suspended"}`, want: [6]int{401, 403, 404, 403, 404, 200}},
	{method: "GET", route: "/api/v1/members/:id/availability", path: "/api/v1/members/{A}/availability", want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "POST", route: "/api/v1/members/:id/availability", path: "/api/v1/members/{A}/availability",
		body: `{"start_local":"2027-02-01T09:00","duration_minutes":60}`, want: [6]int{401, 201, 404, 201, 404, 201}},
	{method: "GET", route: "/api/v1/members/:id/availability/expanded", path: "/api/v1/members/{A}/availability/expanded",
		want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "DELETE", route: "/api/v1/members/:id/availability/:aid", path: "/api/v1/members/{A}/availability/{availability}",
		want: [6]int{401, 204, 404, 204, 404, 204}},
	{method: "POST", route: "/api/v1/members/:id/leave", path: "/api/v1/members/{A}/leave", body: `{"from":"2020-01-01","to":"2020-01-02"}`,
		want: [6]int{401, 201, 404, 201, 404, 201}},
	{method: "GET", route: "/api/v1/members/:id/leave", path: "/api/v1/members/{A}/leave", want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "DELETE", route: "/api/v1/members/:id/leave/:lid", path: "/api/v1/members/{A}/leave/{leave}",
		want: [6]int{401, 204, 404, 204, 404, 204}},
	{method: "GET", route: "/api/v1/members/:id/bookings", path: "/api/v1/members/{A}/bookings", want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "GET", route: "/api/v1/members/:id/export", path: "/api/v1/members/{A}/export", want: [6]int{401, 200, 404, 403, 404, 200}},

	{method: "GET", route: "/api/v1/demands", path: "/api/v1/demands", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "POST", route: "/api/v1/demands", path: "/api/v1/demands",
		body: `{"title":"Patrol","problem_type":"asb","area":"DUR-N1","start_local":"{slotStart}","end_local":"{slotEnd}",
			"positions":[{"name":"Patrol","kinds":["volunteer"],"min_vetting":"NPPV1","headcount":1}]}`,
		want: [6]int{401, 403, 403, 201, 422, 201}, note: "out of scope: area is outside the areas they coordinate"},
	{method: "GET", route: "/api/v1/demands/:id", path: "/api/v1/demands/{demand}", want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "PATCH", route: "/api/v1/demands/:id", path: "/api/v1/demands/{demand}", body: `{"title":"Renamed"}`,
		want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "DELETE", route: "/api/v1/demands/:id", path: "/api/v1/demands/{demand}", want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "GET", route: "/api/v1/shifts", path: "/api/v1/shifts", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/demands/:id/cancel", path: "/api/v1/demands/{demand}/cancel", body: `{"reason":"rain"}`,
		want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "POST", route: "/api/v1/shifts/:id/cancel", path: "/api/v1/shifts/{shift}/cancel", body: `{"reason":"rain"}`,
		want: [6]int{401, 404, 404, 200, 404, 200}, note: "members may read a shift but only its coordinators cancel it"},
	{method: "GET", route: "/api/v1/shifts/:id/candidates", path: "/api/v1/shifts/{shift}/candidates?position_id={position}",
		want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "GET", route: "/api/v1/reports/capacity", path: "/api/v1/reports/capacity", want: [6]int{401, 403, 403, 200, 200, 200},
		note: "a coordinator's capacity covers their own areas"},
	{method: "GET", route: "/api/v1/shifts/:id", path: "/api/v1/shifts/{shift}", want: [6]int{401, 200, 200, 200, 200, 200},
		note: "the force's open shifts are visible to everyone signed in"},
	{method: "POST", route: "/api/v1/shifts/:id/bookings", path: "/api/v1/shifts/{shift}/bookings",
		body: `{"position_id":"{position}","member_id":"{A}"}`, want: [6]int{401, 201, 404, 201, 404, 201}},
	{method: "POST", route: "/api/v1/shifts/:id/waitlist", path: "/api/v1/shifts/{fullShift}/waitlist",
		body: `{"position_id":"{fullPosition}","member_id":"{A}"}`, want: [6]int{401, 201, 404, 201, 404, 201}},
	{method: "POST", route: "/api/v1/bookings/:id/cancel", path: "/api/v1/bookings/{booking}/cancel", body: `{}`,
		want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "POST", route: "/api/v1/bookings/:id/accept", path: "/api/v1/bookings/{offer}/accept",
		want: [6]int{401, 200, 404, 403, 404, 403}},
	{method: "POST", route: "/api/v1/bookings/:id/decline", path: "/api/v1/bookings/{offer}/decline",
		want: [6]int{401, 200, 404, 403, 404, 403}},
	{method: "POST", route: "/api/v1/bookings/:id/approve", path: "/api/v1/bookings/{pending}/approve",
		want: [6]int{401, 403, 404, 200, 404, 200}},
	{method: "POST", route: "/api/v1/bookings/:id/reject", path: "/api/v1/bookings/{pending}/reject",
		want: [6]int{401, 403, 404, 200, 404, 200}},
	{method: "POST", route: "/api/v1/bookings/:id/attendance", path: "/api/v1/bookings/{booking}/attendance", body: `{"status":"attended"}`,
		want: [6]int{401, 409, 404, 409, 404, 409}, note: "the shift has not started: reach shows as 409, not 404"},

	{method: "POST", route: "/api/v1/match-runs", path: "/api/v1/match-runs", body: `{"areas":["DUR-N1"],"from":"2027-01-08","to":"2027-01-09"}`,
		want: [6]int{401, 403, 403, 202, 422, 202}, note: "out of scope: the areas are outside theirs"},
	{method: "GET", route: "/api/v1/match-runs/:id", path: "/api/v1/match-runs/{run}", want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "GET", route: "/api/v1/match-runs", path: "/api/v1/match-runs", want: [6]int{401, 403, 403, 200, 200, 200},
		note: "a coordinator lists their own runs, an admin every run"},
	{method: "GET", route: "/api/v1/match-runs/:id/why-not", path: "/api/v1/match-runs/{run}/why-not?member_id={A}&position_id=p",
		want: [6]int{401, 404, 404, 409, 404, 409}, note: "the run is queued, not done"},
	{method: "GET", route: "/api/v1/match-settings", path: "/api/v1/match-settings", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "PUT", route: "/api/v1/match-settings", path: "/api/v1/match-settings", body: `{"weights":{"travel":2}}`,
		want: [6]int{401, 403, 403, 403, 403, 200}},
	{method: "POST", route: "/api/v1/match-runs/:id/apply", path: "/api/v1/match-runs/{run}/apply", body: `{}`,
		want: [6]int{401, 404, 404, 409, 404, 409}, note: "the run is queued, not done"},

	{method: "POST", route: "/api/v1/members/:id/calendar-token", path: "/api/v1/members/{A}/calendar-token",
		want: [6]int{401, 201, 404, 403, 404, 201}, note: "the member themself or an admin"},
	{method: "POST", route: "/api/v1/calendar-token", path: "/api/v1/calendar-token", want: [6]int{401, 403, 403, 201, 201, 201}},
	{method: "GET", route: "/calendar/:token.ics", path: "/calendar/{feed}.ics", want: [6]int{200, 200, 200, 200, 200, 200},
		note: "the token is the credential, whoever holds it"},
	{method: "GET", route: "/calendar/:token.ics", path: "/calendar/" + strings.Repeat("ab", 32) + ".ics",
		want: [6]int{404, 404, 404, 404, 404, 404}, note: "an unknown token"},

	{method: "POST", route: "/api/v1/members/:id/invite", path: "/api/v1/members/{invitee}/invite",
		want: [6]int{401, 404, 404, 201, 404, 201}, note: "a member without an account"},
	{method: "POST", route: "/api/v1/members/:id/invite", path: "/api/v1/members/{A}/invite",
		want: [6]int{401, 403, 404, 409, 404, 409}, note: "member A has an account with a password"},
	{method: "POST", route: "/api/v1/auth/accept-invite", path: "/api/v1/auth/accept-invite",
		body: `{"token":"{invitation}","password":"a long new password"}`, want: [6]int{200, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/auth/accept-invite", path: "/api/v1/auth/accept-invite",
		body: `{"token":"never-issued","password":"a long new password"}`, want: [6]int{410, 410, 410, 410, 410, 410}},
	{method: "POST", route: "/api/v1/auth/password-reset", path: "/api/v1/auth/password-reset",
		body: `{"email":"r{uniq}@example.org"}`, want: [6]int{202, 202, 202, 202, 202, 202}, note: "known or not, the same answer"},
	{method: "POST", route: "/api/v1/auth/password-reset/confirm", path: "/api/v1/auth/password-reset/confirm",
		body: `{"token":"{reset}","password":"a long new password"}`, want: [6]int{204, 204, 204, 204, 204, 204}},
	{method: "POST", route: "/api/v1/auth/password-reset/confirm", path: "/api/v1/auth/password-reset/confirm",
		body: `{"token":"never-issued","password":"a long new password"}`, want: [6]int{410, 410, 410, 410, 410, 410}},

	{method: "GET", route: "/api/v1/courses", path: "/api/v1/courses", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/courses", path: "/api/v1/courses", body: `{"code":"C{uniq}","title":"Radio use","grants_skill":"first_aid"}`,
		want: [6]int{401, 403, 403, 201, 201, 201}, note: "courses are force-wide: any coordinator"},
	{method: "GET", route: "/api/v1/courses/:code/sessions", path: "/api/v1/courses/{course}/sessions", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/courses/:code/sessions", path: "/api/v1/courses/{course}/sessions",
		body: `{"start_local":"2027-02-06T10:00","end_local":"2027-02-06T16:00","timezone":"Europe/London","capacity":12,"area":"DUR-N1"}`,
		want: [6]int{401, 403, 403, 201, 422, 201}, note: "out of scope: area is outside the areas they coordinate"},
	{method: "POST", route: "/api/v1/course-sessions/:id/enrolments", path: "/api/v1/course-sessions/{session}/enrolments",
		body: `{"member_id":"{A}"}`, want: [6]int{401, 201, 404, 201, 422, 201}, note: "enrolling member A"},
	{method: "POST", route: "/api/v1/course-sessions/:id/enrolments", path: "/api/v1/course-sessions/{session}/enrolments",
		want: [6]int{401, 201, 201, 422, 422, 422}, note: "enrolling oneself: staff without a member record must name one"},
	{method: "POST", route: "/api/v1/enrolments/:id/cancel", path: "/api/v1/enrolments/{enrolment}/cancel",
		want: [6]int{401, 200, 404, 200, 404, 200}, note: "member A's enrolment on a session in DUR-N1"},
	{method: "POST", route: "/api/v1/enrolments/:id/complete", path: "/api/v1/enrolments/{startedEnrolment}/complete",
		want: [6]int{401, 403, 404, 200, 404, 200}, note: "member A's, on a session that has started: A sees it but may not complete it"},
	{method: "GET", route: "/api/v1/members/:id/enrolments", path: "/api/v1/members/{A}/enrolments", want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "GET", route: "/api/v1/pathways", path: "/api/v1/pathways", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/pathways", path: "/api/v1/pathways",
		body: `{"name":"Pathway {uniq}","milestones":[{"kind":"skill","skill":"first_aid"},{"kind":"hours","hours":20}]}`,
		want: [6]int{401, 403, 403, 403, 403, 201}},
	{method: "GET", route: "/api/v1/members/:id/pathways", path: "/api/v1/members/{A}/pathways", want: [6]int{401, 200, 404, 200, 404, 200}},
	{method: "GET", route: "/api/v1/reports/pathways", path: "/api/v1/reports/pathways", want: [6]int{401, 403, 403, 200, 200, 200},
		note: "each coordinator sees the areas they coordinate"},
	{method: "GET", route: "/api/v1/pay-bands", path: "/api/v1/pay-bands", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "POST", route: "/api/v1/pay-bands", path: "/api/v1/pay-bands",
		body: `{"code":"B{uniq}","name":"Band","rate_pence":1850,"effective_from":"2027-01-01"}`, want: [6]int{401, 403, 403, 403, 403, 201}},
	{method: "GET", route: "/api/v1/pay-settings", path: "/api/v1/pay-settings", want: [6]int{401, 403, 403, 403, 403, 200}},
	{method: "PUT", route: "/api/v1/pay-settings", path: "/api/v1/pay-settings",
		body: `{"unsocial_multiplier":1.3,"weekend_multiplier":1.5,"bank_holiday_multiplier":2,"late_cancel_hours":24,
			"late_cancel_min_paid_hours":4,"mileage_pence_per_mile":45,"volunteer_notional_pence_per_hour":1500}`,
		want: [6]int{401, 403, 403, 403, 403, 200}},
	{method: "GET", route: "/api/v1/bank-holidays", path: "/api/v1/bank-holidays", want: [6]int{401, 200, 200, 200, 200, 200}},
	{method: "POST", route: "/api/v1/bank-holidays", path: "/api/v1/bank-holidays", body: `{"date":"2031-01-02","name":"One-off"}`,
		want: [6]int{401, 403, 403, 403, 403, 201}},

	{method: "POST", route: "/api/v1/shifts/:id/attendance", path: "/api/v1/shifts/{shift}/attendance",
		body: `{"items":[{"booking_id":"{booking}","status":"attended"}]}`,
		want: [6]int{401, 403, 403, 409, 404, 409}, note: "the shift has not started: reach shows as 409, not 404"},
	{method: "POST", route: "/api/v1/bookings/:id/attendance/confirm", path: "/api/v1/bookings/{booking}/attendance/confirm",
		want: [6]int{401, 403, 404, 409, 404, 409}, note: "nothing submitted to confirm"},

	{method: "POST", route: "/api/v1/bookings/:id/expenses", path: "/api/v1/bookings/{attended}/expenses",
		body: `{"kind":"mileage","miles":3}`, want: [6]int{401, 201, 404, 403, 404, 403}, note: "only the member claims"},
	{method: "POST", route: "/api/v1/expenses/:id/approve", path: "/api/v1/expenses/{expense}/approve",
		want: [6]int{401, 403, 404, 200, 404, 200}},
	{method: "POST", route: "/api/v1/expenses/:id/reject", path: "/api/v1/expenses/{expense}/reject",
		want: [6]int{401, 403, 404, 200, 404, 200}},

	{method: "GET", route: "/api/v1/reports/pay", path: "/api/v1/reports/pay", want: [6]int{401, 403, 403, 403, 403, 200}},
	{method: "GET", route: "/api/v1/reports/hours", path: "/api/v1/reports/hours", want: [6]int{401, 403, 403, 200, 200, 200},
		note: "coordinators see only their areas' rows"},
	{method: "GET", route: "/api/v1/reports/hours", path: "/api/v1/reports/hours?areas=DUR-N1", want: [6]int{401, 403, 403, 200, 422, 200},
		note: "out of scope: the area is outside theirs"},
	{method: "GET", route: "/api/v1/reports/fill", path: "/api/v1/reports/fill", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "GET", route: "/api/v1/reports/fairness", path: "/api/v1/reports/fairness", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "GET", route: "/api/v1/reports/reliability", path: "/api/v1/reports/reliability", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "GET", route: "/api/v1/reports/expiring", path: "/api/v1/reports/expiring", want: [6]int{401, 403, 403, 200, 200, 200}},
	{method: "DELETE", route: "/api/v1/members/:id/approval-hold", path: "/api/v1/members/{A}/approval-hold",
		want: [6]int{401, 403, 404, 204, 404, 204}, note: "the member may see their hold but not lift it"},
	{method: "PUT", route: "/api/v1/areas/:code/named-officer", path: "/api/v1/areas/DUR-N1/named-officer", body: `{"member_id":"{A}"}`,
		want: [6]int{401, 403, 403, 200, 404, 200}},
	{method: "PUT", route: "/api/v1/areas/:code/coverage-target", path: "/api/v1/areas/DUR-N1/coverage-target", body: `{"hours_per_week":6}`,
		want: [6]int{401, 403, 403, 200, 404, 200}},
	{method: "GET", route: "/api/v1/reports/coverage", path: "/api/v1/reports/coverage", want: [6]int{401, 403, 403, 200, 200, 200},
		note: "coordinators see only their neighbourhoods"},
	{method: "GET", route: "/api/v1/reports/coverage", path: "/api/v1/reports/coverage?areas=DUR-N1", want: [6]int{401, 403, 403, 200, 422, 200},
		note: "out of scope: the area is outside theirs"},
	{method: "POST", route: "/api/v1/bookings/:id/handover", path: "/api/v1/bookings/{booking}/handover",
		want: [6]int{401, 201, 404, 404, 404, 404}, note: "member A's confirmed booking: only A may give it away"},
	{method: "GET", route: "/api/v1/handovers", path: "/api/v1/handovers", want: [6]int{401, 200, 200, 200, 200, 200},
		note: "an account with no member record is offered nothing"},
	{method: "POST", route: "/api/v1/handovers/:id/accept", path: "/api/v1/handovers/{handover}/accept",
		want: [6]int{401, 200, 200, 403, 403, 403}, note: "a colleague's offer: any member who passes the rules takes it"},
	{method: "POST", route: "/api/v1/bookings/:id/swap", path: "/api/v1/bookings/{booking}/swap", body: `{"with_booking_id":"{otherBooking}"}`,
		want: [6]int{401, 201, 404, 404, 404, 404}, note: "member A's booking for a colleague's"},
	{method: "POST", route: "/api/v1/swaps/:id/accept", path: "/api/v1/swaps/{swapToA}/accept",
		want: [6]int{401, 200, 404, 404, 404, 404}, note: "a colleague asks member A: only A accepts"},
	{method: "POST", route: "/api/v1/handovers/:id/withdraw", path: "/api/v1/handovers/{myHandover}/withdraw",
		want: [6]int{401, 200, 404, 404, 404, 404}, note: "member A's own offer: only A withdraws it"},
	// Near the end: each caller confirms a factor, so their next password
	// sign-in asks for a code.
	{method: "POST", route: "/api/v1/me/totp/confirm", path: "/api/v1/me/totp/confirm", body: `{"code":"{callerCode}"}`,
		want: [6]int{401, 200, 200, 200, 200, 200}},

	// Lone working (before the erasure of member A).
	{method: "POST", route: "/api/v1/bookings/:id/on-duty", path: "/api/v1/bookings/{loneBooking}/on-duty",
		want: [6]int{401, 409, 404, 404, 404, 404}, note: "only the member, and not yet: on duty opens 30 minutes before the start"},
	{method: "POST", route: "/api/v1/bookings/:id/on-duty", path: "/api/v1/bookings/{onDutyBooking}/on-duty", body: `{"lat":54.7,"lon":-1.5}`,
		want: [6]int{401, 200, 404, 404, 404, 404}, note: "already on duty: again changes nothing"},
	{method: "POST", route: "/api/v1/bookings/:id/off-duty", path: "/api/v1/bookings/{onDutyBooking}/off-duty",
		want: [6]int{401, 200, 404, 404, 404, 404}},
	{method: "GET", route: "/api/v1/welfare-alerts", path: "/api/v1/welfare-alerts", want: [6]int{401, 403, 403, 200, 200, 200},
		note: "coordinators see only their areas' alerts"},
	{method: "POST", route: "/api/v1/welfare-alerts/:id/close", path: "/api/v1/welfare-alerts/{welfareAlert}/close", body: `{"note":"found safe"}`,
		want: [6]int{401, 404, 404, 200, 404, 200}},
	{method: "PATCH", route: "/api/v1/members/:id", path: "/api/v1/members/{A}", body: `{"emergency_contact":{"name":"Robin Kin","phone":"07700 900987"}}`,
		want: [6]int{401, 200, 404, 200, 404, 200}, note: "the member's own, or their coordinator's"},

	// Last: the admin's cell erases member A.
	{method: "DELETE", route: "/api/v1/members/:id", path: "/api/v1/members/{A}", want: [6]int{401, 403, 404, 403, 404, 200}},
}

// world holds the callers and makes fresh fixtures.
type world struct {
	e      *env
	tokens [6]string
	emails [6]string
	a, b   string
	slot   int
	uniq   int
	course bool // course FA-1 exists
	// The caller of the cell being filled, for fixtures of their own.
	caller      who
	callerToken string
}

func newWorld(t *testing.T, e *env) *world {
	t.Helper()
	w := &world{e: e}
	cle := e.mustArea(domain.Area{ID: app.NewID(), Code: "CLE", Name: "Cleveland", Kind: domain.AreaForce})
	w.a, w.tokens[memberA] = e.memberLogin("ma", memberOpts{maxHours: 168})
	w.b, w.tokens[memberB] = e.memberLogin("mb", memberOpts{maxHours: 168})
	w.tokens[coordIn], w.tokens[admin] = e.coordinator, e.admin
	w.tokens[coordOut] = e.login("cout@example.org", []domain.Role{domain.RoleCoordinator}, "", []string{cle.ID})
	w.emails = [6]string{"", "ma@example.org", "mb@example.org", "coord@example.org", "cout@example.org", "admin@example.org"}
	return w
}

func (w *world) token(t *testing.T, c who, fresh bool) string {
	t.Helper()
	if c == anon || !fresh {
		return w.tokens[c]
	}
	tok, err := w.e.app.Login(context.Background(), w.emails[c], "a long test password", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

// shift posts a fresh one-hour demand in DUR-N1 and returns (shift, position).
func (w *world) shift(t *testing.T, extra map[string]any) (string, string) {
	t.Helper()
	w.slot++
	start := friday.Add(time.Duration(w.slot) * 2 * time.Hour)
	body := map[string]any{"start_local": local(start), "end_local": local(start.Add(time.Hour))}
	for k, v := range extra {
		body[k] = v
	}
	sh := shiftsOf(w.e.demand(body))[0]
	return sh[0], sh[1]
}

func (w *world) book(t *testing.T, token, shift, position string, body map[string]any) string {
	t.Helper()
	body["position_id"] = position
	r := w.e.do(http.MethodPost, "/api/v1/shifts/"+shift+"/bookings", token, body)
	if r.status != http.StatusCreated {
		t.Fatalf("fixture booking: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string)
}

// fill replaces the fixtures named in s, making fresh ones.
func (w *world) fill(t *testing.T, s string) string {
	t.Helper()
	e, ctx := w.e, context.Background()
	set := func(key string, make func() string) {
		if strings.Contains(s, "{"+key+"}") {
			s = strings.ReplaceAll(s, "{"+key+"}", make())
		}
	}
	set("A", func() string { return w.a })
	set("uniq", func() string { w.uniq++; return fmt.Sprintf("%d", w.uniq) })
	if strings.Contains(s, "{slotStart}") {
		w.slot++
		start := friday.Add(time.Duration(w.slot) * 2 * time.Hour)
		s = strings.ReplaceAll(strings.ReplaceAll(s, "{slotStart}", local(start)), "{slotEnd}", local(start.Add(time.Hour)))
	}
	set("heldSkill", func() string {
		if err := e.store.PutMemberSkill(ctx, domain.MemberSkill{MemberID: w.a, SkillID: e.firstAid.ID, ObtainedOn: domain.Date{Year: 2026, Month: 1, Day: 1}}); err != nil {
			t.Fatal(err)
		}
		return "first_aid"
	})
	set("clearance", func() string {
		c := domain.Clearance{ID: app.NewID(), MemberID: w.a, Type: domain.NPPV1, GrantedOn: domain.Date{Year: 2025, Month: 1, Day: 1},
			ExpiresOn: domain.Date{Year: 2030, Month: 1, Day: 1}, Status: domain.ClearanceActive, CreatedAt: t0, UpdatedAt: t0}
		if err := e.store.CreateClearance(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	})
	set("availability", func() string {
		r := e.do(http.MethodPost, "/api/v1/members/"+w.a+"/availability", e.admin, map[string]any{"start_local": "2027-02-01T09:00", "duration_minutes": 60})
		return r.body["id"].(string)
	})
	set("leave", func() string {
		r := e.do(http.MethodPost, "/api/v1/members/"+w.a+"/leave", e.admin, map[string]any{"from": "2027-03-01", "to": "2027-03-02"})
		return r.body["id"].(string)
	})
	if strings.Contains(s, "{demand}") {
		d := e.demand(map[string]any{"start_local": local(friday.Add(time.Duration(w.slot+1) * 2 * time.Hour)),
			"end_local": local(friday.Add(time.Duration(w.slot+1)*2*time.Hour + time.Hour))})
		w.slot++
		s = strings.ReplaceAll(s, "{demand}", d["id"].(string))
	}
	if strings.Contains(s, "{shift}") {
		sh, pos := w.shift(t, nil)
		s = strings.ReplaceAll(strings.ReplaceAll(s, "{shift}", sh), "{position}", pos)
	}
	if strings.Contains(s, "{fullShift}") {
		sh, pos := w.shift(t, map[string]any{"positions": []map[string]any{{"name": "Patrol", "kinds": []string{"volunteer"}, "min_vetting": "NPPV1", "headcount": 1}}})
		w.book(t, e.coordinator, sh, pos, map[string]any{"member_id": w.b})
		s = strings.ReplaceAll(strings.ReplaceAll(s, "{fullShift}", sh), "{fullPosition}", pos)
	}
	set("booking", func() string {
		sh, pos := w.shift(t, nil)
		return w.book(t, w.tokens[memberA], sh, pos, map[string]any{})
	})
	set("offer", func() string {
		sh, pos := w.shift(t, nil)
		return w.book(t, e.coordinator, sh, pos, map[string]any{"member_id": w.a, "offer": true})
	})
	set("pending", func() string {
		sh, pos := w.shift(t, map[string]any{"booking_mode": "approval"})
		return w.book(t, w.tokens[memberA], sh, pos, map[string]any{})
	})
	// attended: member A's booking marked attended in the store, so the clock
	// the other rows share stays where it is.
	attended := func() string {
		sh, pos := w.shift(t, nil)
		id := w.book(t, w.tokens[memberA], sh, pos, map[string]any{})
		b, err := e.store.BookingByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		b.Status, b.Attendance = domain.BookingAttended, domain.BookingAttended
		if err := e.store.UpdateBooking(ctx, b); err != nil {
			t.Fatal(err)
		}
		return id
	}
	set("attended", attended)
	set("expense", func() string {
		x := domain.Expense{ID: app.NewID(), BookingID: attended(), MemberID: w.a, Kind: domain.ExpenseOther, AmountPence: 300,
			Note: "parking", Status: domain.ExpenseClaimed, CreatedAt: t0}
		if err := e.store.CreateExpense(ctx, x); err != nil {
			t.Fatal(err)
		}
		return x.ID
	})
	set("feed", func() string {
		r := e.do(http.MethodPost, "/api/v1/members/"+w.a+"/calendar-token", e.admin, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("fixture feed: %d %s", r.status, r.raw)
		}
		u := r.body["url"].(string)
		return strings.TrimSuffix(u[strings.LastIndex(u, "/")+1:], ".ics")
	})
	set("webhook", func() string {
		r := e.do(http.MethodPost, "/api/v1/webhooks", e.admin, map[string]any{"url": "https://partner.example.org/hook"})
		if r.status != http.StatusCreated {
			t.Fatalf("fixture webhook: %d %s", r.status, r.raw)
		}
		return r.body["id"].(string)
	})
	set("invitee", func() string { w.uniq++; return e.member(fmt.Sprintf("inv%d", w.uniq), memberOpts{}) })
	set("invitation", func() string {
		w.uniq++
		return e.invitation(e.member(fmt.Sprintf("inv%d", w.uniq), memberOpts{}))
	})
	set("reset", func() string {
		w.uniq++
		email := fmt.Sprintf("reset%d@example.org", w.uniq)
		e.login(email, []domain.Role{domain.RoleCoordinator}, "", nil)
		return e.resetLink(email)
	})
	if strings.Contains(s, "{mfaToken}") {
		w.uniq++
		email := fmt.Sprintf("mfa%d@example.org", w.uniq)
		_, codes := e.enrolled(email, []domain.Role{domain.RoleMember})
		s = strings.ReplaceAll(strings.ReplaceAll(s, "{mfaToken}", e.mfaToken(email)), "{mfaRecovery}", codes[0])
	}
	set("callerSession", func() string {
		if w.caller == anon {
			return "none"
		}
		return e.newSessionID(w.emails[w.caller])
	})
	set("sessionA", func() string { return e.newSessionID("ma@example.org") })
	set("userA", func() string { return e.userID("ma@example.org") })
	set("totpUser", func() string {
		w.uniq++
		id, _ := e.enrolled(fmt.Sprintf("reset%d@example.org", w.uniq), []domain.Role{domain.RoleCoordinator})
		return id
	})
	set("callerCode", func() string {
		if w.caller == anon {
			return "000000"
		}
		r := e.do(http.MethodPost, "/api/v1/me/totp", w.callerToken, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("fixture enrolment: %d %s", r.status, r.raw)
		}
		return e.code(r.body["secret"].(string), 0)
	})
	set("run", func() string {
		r := e.do(http.MethodPost, "/api/v1/match-runs", e.coordinator, map[string]any{"areas": []string{"DUR-N1"}, "from": "2027-01-08", "to": "2027-01-09"})
		if r.status != http.StatusAccepted {
			t.Fatalf("fixture run: %d %s", r.status, r.raw)
		}
		return r.body["id"].(string)
	})
	set("course", func() string { w.ensureCourse(t); return "FA-1" })
	set("session", func() string { w.ensureCourse(t); return e.session(12, nil) })
	set("enrolment", func() string {
		w.ensureCourse(t)
		r := e.enrol(e.session(12, nil), w.tokens[memberA], nil)
		if r.status != http.StatusCreated {
			t.Fatalf("fixture enrolment: %d %s", r.status, r.raw)
		}
		return r.body["id"].(string)
	})
	set("startedEnrolment", func() string { return w.startedEnrolment(t) })
	return w.fillLone(t, w.fillOnShift(t, w.fillVet(t, s)))
}

func (w *world) ensureCourse(t *testing.T) {
	t.Helper()
	if !w.course {
		w.e.course()
		w.course = true
	}
}

// startedEnrolment enrols member A on a session in DUR-N1 that started an
// hour ago. Sessions cannot be posted in the past, so it is written to the
// store directly.
func (w *world) startedEnrolment(t *testing.T) string {
	t.Helper()
	w.ensureCourse(t)
	ctx, e := context.Background(), w.e
	course, err := e.store.CourseByCode(ctx, "FA-1")
	if err != nil {
		t.Fatal(err)
	}
	now := e.app.Now()
	s := domain.CourseSession{ID: app.NewID(), CourseID: course.ID, AreaID: e.hood.ID, TimeZone: "Europe/London",
		Start: now.Add(-time.Hour), End: now.Add(5 * time.Hour), Capacity: 12, Status: domain.SessionScheduled, CreatedAt: now}
	s.SeriesID, s.Occurrence = s.ID, s.Start.Format(time.DateOnly)
	if err := e.store.CreateCourseSessions(ctx, []domain.CourseSession{s}); err != nil {
		t.Fatal(err)
	}
	en := domain.Enrolment{ID: app.NewID(), SessionID: s.ID, MemberID: w.a, Status: domain.EnrolmentEnrolled, CreatedAt: now, UpdatedAt: now}
	if err := e.store.CreateEnrolment(ctx, en); err != nil {
		t.Fatal(err)
	}
	return en.ID
}

func TestEveryRouteHasARowInTheAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	srv := web.New(app.New(nil, app.DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))), slog.New(slog.NewTextHandler(io.Discard, nil)))
	rows := map[string]bool{}
	for _, r := range authzRows {
		rows[r.method+" "+r.route] = true
	}
	table := map[string]bool{}
	for _, k := range web.RouteKeys(srv) {
		table[k] = true
		if !rows[k] {
			t.Errorf("%s has no row in the authorisation matrix (authzRows)", k)
		}
	}
	for k := range rows {
		if !table[k] {
			t.Errorf("the matrix has a row for %s, which is not in the route table", k)
		}
	}
}

func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		w := newWorld(t, e)
		for _, row := range authzRows {
			for c := anon; c <= admin; c++ {
				w.caller, w.callerToken = c, w.token(t, c, row.fresh)
				// Path and body are filled together: they name the same fixtures.
				path, filled, _ := strings.Cut(w.fill(t, row.path+"\x00"+row.body), "\x00")
				var body any
				if filled != "" {
					body = filled
				}
				r := e.do(row.method, path, w.callerToken, body)
				if r.status != row.want[c] {
					t.Errorf("%s %s %s as %s: %d, want %d: %.300s", row.method, row.route, row.note, whoNames[c], r.status, row.want[c], r.raw)
				}
			}
		}
	})
}
