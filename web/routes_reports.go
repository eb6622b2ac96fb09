package web

import (
	"github.com/gofiber/fiber/v2"
)

// The reports' rows, as documented; the handler writes each from the app's
// columns, and the OpenAPI check in the tests holds the two together.
type (
	payLineJSON struct {
		MemberID           string `json:"member_id"`
		MemberName         string `json:"member_name"`
		Band               string `json:"band"`
		Minutes            int64  `json:"minutes"`
		PlainMinutes       int64  `json:"plain_minutes"`
		UnsocialMinutes    int64  `json:"unsocial_minutes"`
		WeekendMinutes     int64  `json:"weekend_minutes"`
		BankHolidayMinutes int64  `json:"bank_holiday_minutes"`
		LateCancelMinutes  int64  `json:"late_cancel_minutes"`
		AmountPence        int64  `json:"amount_pence"`
		ExpensesPence      int64  `json:"expenses_pence"`
	}
	// hoursLineJSON is a booking's line, or with by a group's: the group's
	// key fields and the bookings counted.
	hoursLineJSON struct {
		BookingID     string `json:"booking_id,omitempty"`
		MemberID      string `json:"member_id,omitempty"`
		MemberName    string `json:"member_name,omitempty"`
		Kind          string `json:"kind,omitempty"`
		Area          string `json:"area,omitempty"`
		ProblemType   string `json:"problem_type,omitempty"`
		Start         string `json:"start,omitempty"`
		End           string `json:"end,omitempty"`
		Bookings      int64  `json:"bookings,omitempty"`
		Minutes       int64  `json:"minutes"`
		NotionalPence int64  `json:"notional_pence"`
	}
	fillLineJSON struct {
		Week                 string  `json:"week"`
		Area                 string  `json:"area"`
		Places               int64   `json:"places"`
		Filled               int64   `json:"filled"`
		FillRate             float64 `json:"fill_rate"`
		PriorityWeightedFill float64 `json:"priority_weighted_fill"`
	}
	fairnessJSON struct {
		Members           int64   `json:"members"`
		PaidHours         float64 `json:"paid_hours"`
		Gini              float64 `json:"gini"`
		Top10PercentShare float64 `json:"top_10_percent_share"`
	}
	reliabilityLineJSON struct {
		MemberID          string `json:"member_id"`
		MemberName        string `json:"member_name"`
		Bookings          int64  `json:"bookings"`
		LateCancellations int64  `json:"late_cancellations"`
		NoShows           int64  `json:"no_shows"`
	}
	expiringLineJSON struct {
		MemberID   string `json:"member_id"`
		MemberName string `json:"member_name"`
		Area       string `json:"area"`
		Item       string `json:"item"`
		Code       string `json:"code"`
		ExpiresOn  string `json:"expires_on"`
	}
)

// reportsRoutes: the reports, each JSON or CSV by Accept.
func (s *Server) reportsRoutes() []route {
	filters := []param{
		textParam("areas", "comma-separated area codes, each with everything below it (coordinators: default and limit their areas)"),
		fromParam, toParam,
		textParam("kind", "volunteer, bank_officer or mentor"),
		textParam("problem_type", "the demand's problem type"),
		textParam("by", "grouping: hours takes booking (default), member, kind, area or problem_type; fill takes week; the others member"),
	}
	const csvAbout = " Answers CSV (RFC 4180, header row; text cells beginning = + - @ are prefixed with ') when Accept asks for text/csv. The period is at most two years."
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/reports/pay", handler: s.payReport, tag: "reports",
			summary: "Payroll: one line per member and band (admins)", query: filters, response: page[payLineJSON]{}, mediaType: mimeCSV,
			about: "Bank officers' pay (minute-exact enhancements, late force cancellations) and anyone's approved expenses." + csvAbout},
		{method: fiber.MethodGet, path: "/api/v1/reports/hours", handler: s.hoursReport, tag: "reports",
			summary: "Hours given: one line per attended booking, or per member, kind, area or problem type (by)", query: filters,
			response: page[hoursLineJSON]{}, mediaType: mimeCSV,
			about: "Unpaid time is valued at the notional rate per hour." + csvAbout},
		{method: fiber.MethodGet, path: "/api/v1/reports/fill", handler: s.fillReport, tag: "reports",
			summary: "Fill rate, plain and priority-weighted, by week and area", query: filters,
			response: page[fillLineJSON]{}, mediaType: mimeCSV, about: csvAbout[1:]},
		{method: fiber.MethodGet, path: "/api/v1/reports/fairness", handler: s.fairnessReport, tag: "reports",
			summary: "How evenly paid hours were shared: Gini and the top 10%'s share", query: filters,
			response: page[fairnessJSON]{}, mediaType: mimeCSV, about: csvAbout[1:]},
		{method: fiber.MethodGet, path: "/api/v1/reports/reliability", handler: s.reliabilityReport, tag: "reports",
			summary: "Members' own late cancellations and no-shows", query: filters,
			response: page[reliabilityLineJSON]{}, mediaType: mimeCSV, about: csvAbout[1:]},
		{method: fiber.MethodGet, path: "/api/v1/reports/expiring", handler: s.expiringReport, tag: "reports",
			summary: "Skills and clearances expiring in the period (default the next 60 days)", query: filters,
			response: page[expiringLineJSON]{}, mediaType: mimeCSV, about: csvAbout[1:]},
	}
}

// reportsPageRoutes: the Reports page and its downloads, a member's own
// attendance, and the expense claim and decision pages.
func (s *Server) reportsPageRoutes() []route {
	return []route{
		{method: fiber.MethodGet, path: "/reports", handler: s.coordOnly(s.reportsPage), access: signedInPage},
		{method: fiber.MethodGet, path: "/reports/:name.csv", handler: s.coordOnly(s.reportCSV), access: signedInPage},
		{method: fiber.MethodGet, path: "/my-shifts/:id/attendance", handler: s.myAttendancePage, access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/attendance", handler: s.postMyAttendance, access: signedInPage},
		{method: fiber.MethodGet, path: "/my-shifts/:id/expenses", handler: s.myExpensesPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/expenses", handler: s.postMyExpense, access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/expenses", handler: s.coordOnly(s.coordExpensesPage), access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/expenses/:id/:action", handler: s.coordOnly(s.postCoordExpense), access: signedInPage},
	}
}
