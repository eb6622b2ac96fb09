package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// calendarRoutes: calendar feed addresses and the feeds.
func (s *Server) calendarRoutes() []route {
	return []route{
		{method: fiber.MethodPost, path: "/api/v1/members/:id/calendar-token", handler: s.newMemberCalendarToken,
			summary: "A new calendar feed address for a member's bookings (the member or an admin); the old address stops working",
			tag:     "calendar", response: calendarTokenJSON{}, status: http.StatusCreated},
		{method: fiber.MethodPost, path: "/api/v1/calendar-token", handler: s.newCoordinatorCalendarToken,
			summary: "A new calendar feed address for the shifts of the caller's areas, 8 weeks ahead (coordinators, admins); the old address stops working",
			tag:     "calendar", response: calendarTokenJSON{}, status: http.StatusCreated},
		{method: fiber.MethodGet, path: "/calendar/:token.ics", handler: s.calendarFeed, access: public,
			summary: "A calendar feed (iCalendar, RFC 5545): a member's bookings, or a coordinator's shifts",
			tag:     "calendar", mediaType: "text/calendar",
			about: "The token is the only credential: unknown or replaced tokens answer 404. Cancelled bookings stay for 30 days with STATUS:CANCELLED."},
	}
}
