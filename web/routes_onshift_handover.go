package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// onShiftHandoverRoutes: handing a booking over to a colleague, and swapping
// bookings between two members, by the API and from the pages.
func (s *Server) onShiftHandoverRoutes() []route {
	conflict := []int{http.StatusConflict}
	return []route{
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/handover", handler: s.offerHandover, tag: "bookings",
			summary: "Offer your confirmed booking to colleagues", response: handoverCreatedJSON{}, status: http.StatusCreated, problems: conflict,
			about: "Colleagues who pass every booking rule for the place are told and see it in GET /api/v1/handovers. You keep the booking until one of them takes it; an offer not taken lapses at the shift's start. Someone else's booking is 404; one not confirmed, or already on offer, 409."},
		{method: fiber.MethodGet, path: "/api/v1/handovers", handler: s.listHandovers, tag: "bookings",
			summary: "Offers from colleagues that you could take now", response: page[handoverJSON]{}, query: pageParams,
			about: "Open offers on shifts yet to start, not your own, for which you pass every booking rule; none while your own bookings wait for approval after no-shows."},
		{method: fiber.MethodPost, path: "/api/v1/handovers/:id/accept", handler: s.acceptHandover, tag: "bookings",
			summary: "Take a colleague's offered place", response: bookingJSON{}, problems: conflict,
			about: "Answers 200 with your new, confirmed booking; the colleague's is cancelled with reason `handover` in the same transaction (not a late cancellation). The first to accept wins: later ones get 409 handover-taken. 409 booking-refused lists the rules you fail; 409 conflict for your own offer, one that lapsed, or while your own bookings wait for approval after no-shows (a taken-over place cannot wait); 404 for one withdrawn."},
		{method: fiber.MethodPost, path: "/api/v1/handovers/:id/withdraw", handler: s.withdrawHandover, tag: "bookings",
			summary: "Withdraw your own offer to colleagues", response: handoverWithdrawnJSON{}, problems: conflict,
			about: "The booking stays yours and colleagues can no longer take it. Someone else's offer is 404; one a colleague has taken, or that lapsed at the shift's start, 409."},
		{method: fiber.MethodPost, path: "/api/v1/bookings/:id/swap", handler: s.requestSwap, tag: "bookings",
			summary: "Ask a colleague to swap their booking for your confirmed one", request: swapRequest{},
			response: swapCreatedJSON{}, status: http.StatusCreated, problems: conflict,
			about: "The colleague holding `with_booking_id` is told and may accept with POST /api/v1/swaps/{id}/accept."},
		{method: fiber.MethodPost, path: "/api/v1/swaps/:id/accept", handler: s.acceptSwap, tag: "bookings",
			summary: "Accept a swap you were asked for", response: swapJSON{}, problems: conflict,
			about: "Every booking rule is checked again for both members as if each held the other's place. If any fails for either, 409 booking-refused lists them and nothing changes; otherwise both old bookings are cancelled (reason `swap`) and `bookings` holds the two new confirmed ones, the requester's first."},

		{method: fiber.MethodPost, path: "/my-shifts/:id/handover", handler: s.offerHandoverPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/my-shifts/:id/handover/withdraw", handler: s.withdrawHandoverPage, access: signedInPage},
		{method: fiber.MethodGet, path: "/handovers", handler: s.handoversPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/handovers/:id/accept", handler: s.acceptHandoverPage, access: signedInPage},
		{method: fiber.MethodPost, path: "/swaps/:id/accept", handler: s.acceptSwapPage, access: signedInPage},
	}
}
