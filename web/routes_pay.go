package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// payRoutes: pay bands, pay settings, bank holidays, attendance for a
// roster, and expenses.
func (s *Server) payRoutes() []route {
	conflict := []int{http.StatusConflict}
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/pay-bands", handler: s.listPayBands, tag: "pay",
			summary: "Every pay band's rates, by code and date (coordinators and admins)", response: page[payBandJSON]{}},
		{method: fiber.MethodPost, path: "/api/v1/pay-bands", handler: s.createPayBand, tag: "pay",
			summary: "Add a pay band, or a new rate for a band from a later date (admins)", request: payBandRequest{},
			response: payBandJSON{}, status: http.StatusCreated, problems: conflict,
			about: "A shift is paid at the rate in effect on its local start date. The same code and date again is 409."},
		{method: fiber.MethodGet, path: "/api/v1/pay-settings", handler: s.getPaySettings, tag: "pay",
			summary: "The pay rules (admins)", response: paySettingsJSON{}},
		{method: fiber.MethodPut, path: "/api/v1/pay-settings", handler: s.putPaySettings, tag: "pay",
			summary: "Replace the pay rules (admins)", request: paySettingsJSON{}, response: paySettingsJSON{}},
		{method: fiber.MethodGet, path: "/api/v1/bank-holidays", handler: s.listBankHolidays, tag: "pay",
			summary: "The bank holidays held (England and Wales, 2026–2030 to start with)", response: page[bankHolidayJSON]{}},
		{method: fiber.MethodPost, path: "/api/v1/bank-holidays", handler: s.createBankHoliday, tag: "pay",
			summary: "Add a bank holiday (admins)", request: bankHolidayJSON{}, response: bankHolidayJSON{},
			status: http.StatusCreated, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/shifts/:id/attendance", handler: s.recordRoster, tag: "shifts",
			summary: "Record attendance for a shift's roster at once (its coordinator)", request: rosterRequest{},
			response: page[bookingJSON]{}, problems: conflict,
			about: "All or nothing: an item that is refused names itself (items[i].field) and nothing is recorded. A correction keeps the earlier values in the audit log."},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/attendance/confirm", handler: s.confirmAttendance, tag: "bookings",
			summary: "Confirm the attendance a member submitted (the shift's coordinator)", response: bookingJSON{}, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/expenses", handler: s.claimExpense, tag: "expenses",
			summary: "Claim mileage or another cost against a booking you attended", request: expenseRequest{},
			response: expenseJSON{}, status: http.StatusCreated,
			about: "Mileage takes `miles` and is priced at the pay settings' rate per mile; other costs take `amount_pence` and a note."},
		{method: fiber.MethodPost, path: "/api/v1/expenses/:id/approve", handler: s.approveExpense, tag: "expenses",
			summary: "Approve a claim (the shift's coordinator); approved claims are paid with the pay report", response: expenseJSON{}, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/expenses/:id/reject", handler: s.rejectExpense, tag: "expenses",
			summary: "Reject a claim (the shift's coordinator)", response: expenseJSON{}, problems: conflict},
	}
}
