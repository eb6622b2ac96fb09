package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// bankRoutes: demand, the shifts it makes, and bookings of their places.
func (s *Server) bankRoutes() []route {
	conflict := []int{http.StatusConflict}
	return []route{
		{method: fiber.MethodGet, path: "/api/v1/demands", handler: s.listDemands,
			summary: "List demands in the caller's areas, newest first, with their positions", response: page[demandJSON]{},
			query: append([]param{textParam("area", "area code; includes its sub-areas")}, pageParams...)},
		{method: fiber.MethodPost, path: "/api/v1/demands", handler: s.postDemand,
			summary: "Create a demand; returns it with its generated shifts", request: demandRequest{},
			response: demandJSON{}, status: http.StatusCreated},
		{method: fiber.MethodGet, path: "/api/v1/demands/:id", handler: s.getDemand,
			summary: "A demand", response: demandJSON{}},
		{method: fiber.MethodPatch, path: "/api/v1/demands/:id", handler: s.patchDemand,
			summary: "Edit a demand's future shifts", request: demandPatch{}, response: demandChangeJSON{}, problems: conflict,
			about: "Changes only future shifts; a position without `id` is added. Bookings on retimed shifts, and of positions whose requirements change, are re-checked: `bookings.kept` and `bookings.cancelled` (with the failed rules) say what happened to each. Lowering a headcount below the places taken is refused with 409."},
		{method: fiber.MethodDelete, path: "/api/v1/demands/:id", handler: s.deleteDemand,
			summary: "Cancel a demand and its future shifts", response: demandChangeJSON{}, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/demands/:id/cancel", handler: s.cancelDemand,
			summary: "Cancel a demand and its future shifts, with a reason told to the members booked",
			request: cancelWithReason{}, optional: true, response: demandChangeJSON{}, problems: conflict},
		{method: fiber.MethodGet, path: "/api/v1/shifts", handler: s.listShifts,
			summary: "Find shifts with positions and places left", response: page[shiftJSON]{},
			query: append([]param{
				textParam("area", "area code; includes its sub-areas"), fromParam, toParam,
				flagParam("open", "only shifts with places left"), flagParam("eligible", "only what the caller may book"),
				textParam("skill", "skill code: only shifts with a position that requires it; a code not in the catalogue is refused with 422"),
			}, pageParams...),
			about: "Each shift carries distance_km, from the calling member's home to where it meets, when both are known."},
		{method: fiber.MethodGet, path: "/api/v1/shifts/:id", handler: s.getShift,
			summary: "A shift", response: shiftJSON{}},
		{method: fiber.MethodGet, path: "/api/v1/shifts/:id/candidates", handler: s.shiftCandidates,
			summary: "Members who could take a place: for a shift's coordinators", response: candidatesJSON{},
			about: "Members in the caller's areas matching `q` (name or email), each with the booking rules they would fail on the position: those who pass first, at most 50.",
			query: []param{textParam("position_id", "the position to fill (required)"), textParam("q", "part of a name or email")}},
		{method: fiber.MethodPost, path: "/api/v1/shifts/:id/cancel", handler: s.cancelShift,
			summary: "Cancel one shift, with a reason told to the members booked", request: cancelWithReason{}, optional: true,
			response: shiftChangeJSON{}, problems: conflict,
			about: "Cancels the shift's active and waitlisted bookings; `bookings.cancelled` lists them."},
		{method: fiber.MethodPost, path: "/api/v1/shifts/:id/bookings", handler: s.postBooking,
			summary: "Book a place (for yourself, or for a member as a coordinator)", request: bookRequest{},
			response: bookingJSON{}, status: http.StatusCreated, problems: conflict,
			about: "Answers 201 with the booking (confirmed, pending or offered), or 409 booking-refused listing every failed rule in `rules`."},
		{method: fiber.MethodPost, path: "/api/v1/shifts/:id/waitlist", handler: s.postWaitlist,
			summary: "Join a position's waiting list", request: waitlistRequest{},
			response: bookingJSON{}, status: http.StatusCreated, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/cancel", handler: s.cancelBooking,
			summary: "Cancel a booking", request: cancelRequest{}, optional: true, response: bookingJSON{}, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/accept", handler: s.acceptBooking,
			summary: "Accept an offered booking", response: bookingJSON{}, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/decline", handler: s.declineBooking,
			summary: "Decline an offered booking", response: bookingJSON{}, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/approve", handler: s.approveBooking,
			summary: "Approve a pending booking", response: bookingJSON{}, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/reject", handler: s.rejectBooking,
			summary: "Reject a pending booking", response: bookingJSON{}, problems: conflict},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/attendance", handler: s.recordAttendance,
			summary: "Record attendance", request: attendanceRequest{}, response: bookingJSON{}, problems: conflict},
		{method: fiber.MethodGet, path: "/api/v1/reports/capacity", handler: s.capacityReport,
			summary: "Members free against places asked for, by area and hour of the week", response: capacityJSON{},
			about: "For each area (with everything below it), 168 cells Monday 00:00 first in the force's time zone: `demand` sums the headcount of open shifts touching the hour, `available` the active members living in the area whose availability (less leave) touches it, both over from–to (by default the next four weeks).",
			query: []param{textParam("areas", "area codes, comma-separated; by default the caller's areas"), fromParam, toParam}},
		{method: fiber.MethodGet, path: "/api/v1/members/:id/bookings", handler: s.memberBookings,
			summary: "A member's bookings", response: page[bookingJSON]{}, query: pageParams},
	}
}
