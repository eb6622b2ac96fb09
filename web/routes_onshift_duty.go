package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// onShiftDutyRoutes: lone working — on and off duty, and the welfare alerts
// raised when off duty is late.
func (s *Server) onShiftDutyRoutes() []route {
	conflict := []int{http.StatusConflict}
	return []route{
		{method: fiber.MethodGet, path: "/my-shifts/:id/duty", handler: s.dutyPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/duty/on", handler: s.postDuty(true), access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/duty/off", handler: s.postDuty(false), access: signedInPage},
		{method: fiber.MethodGet, path: "/emergency-contact", handler: s.emergencyContactPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/emergency-contact", handler: s.postEmergencyContact, access: signedInPage},
		{method: fiber.MethodGet, path: "/coord/welfare", handler: s.coordWelfarePage, access: signedInPage},
		{method: fiber.MethodPost, path: "/coord/welfare/:id/close", handler: s.postCloseWelfare, access: signedInPage},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/on-duty", handler: s.duty(true), tag: "bookings",
			summary: "Book on duty for a lone-working shift (the booked member, from 30 minutes before the start)",
			request: dutyRequest{}, optional: true, response: dutyJSON{}, problems: conflict,
			about: "Only on a shift whose demand is `lone_working`, by the member of a confirmed booking; anyone else's booking is 404. " +
				"Too early is 409 naming `on_duty_window`; a shift that is not lone working, `lone_working`. Booking on duty again changes nothing."},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/off-duty", handler: s.duty(false), tag: "bookings",
			summary: "Book off duty after a lone-working shift (the booked member, any time after on duty)",
			request: dutyRequest{}, optional: true, response: dutyJSON{}, problems: conflict,
			about: "Before on duty it is 409 naming `on_duty_first`. Off duty not booked within 15 minutes (configurable) of the planned end " +
				"reminds the member; at 30 minutes their coordinators and emergency contact are alerted and a welfare alert is raised."},
		{method: fiber.MethodGet, path: "/api/v1/welfare-alerts", handler: s.listWelfareAlerts, tag: "welfare",
			summary:  "Welfare alerts in the caller's areas, open ones first (coordinators and admins)",
			query:    append([]param{flagParam("open", "only the alerts still open")}, pageParams...),
			response: page[welfareAlertJSON]{},
			about:    "An open alert carries the member's phone and emergency contact; a closed one no longer shows the contact."},
		{method: fiber.MethodPost, path: "/api/v1/welfare-alerts/:id/close", handler: s.closeWelfareAlert, tag: "welfare",
			summary: "Close a welfare alert with a note saying how it ended (a coordinator of its area or an admin)",
			request: closeWelfareRequest{}, response: welfareAlertJSON{}, problems: conflict,
			about: "The note is required (422 naming `note`); an alert already closed is 409."},
	}
}
