package domain

import "time"

// EHandoverTaken is the error code of accepting a handover someone else
// took first (409).
const EHandoverTaken = "handover_taken"

// Cancel reasons of a booking given up by a handover or a swap: neither is a
// late cancellation, whatever the time, because the place stays held.
const (
	CancelReasonHandover = "handover"
	CancelReasonSwap     = "swap"
)

// HandoverStatus is the state of a handover offer.
type HandoverStatus string

const (
	HandoverOpen  HandoverStatus = "open"
	HandoverTaken HandoverStatus = "taken"
)

// Handover is a member's offer of a confirmed booking to colleagues; the
// first who passes every booking rule and accepts takes the place. An open
// offer lapses at the shift's start (Start).
type Handover struct {
	ID        string
	BookingID string
	GiverID   string // the member offering the place
	ShiftID   string
	// PositionID and Start are the booking's, copied so a list of offers
	// needs no join to say where and when.
	PositionID     string
	Start          time.Time
	Status         HandoverStatus
	TakerID        string // the member who took it, once taken
	TakenBookingID string // the taker's booking, once taken
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Open reports whether the offer may still be taken at now.
func (h Handover) Open(now time.Time) bool {
	return h.Status == HandoverOpen && now.Before(h.Start)
}

// SwapStatus is the state of a swap request.
type SwapStatus string

const (
	SwapRequested SwapStatus = "requested"
	SwapAccepted  SwapStatus = "accepted"
)

// Swap is one member's request to exchange their confirmed booking with a
// colleague's; it happens only when the colleague accepts and every booking
// rule passes for both as if each held the other's place.
type Swap struct {
	ID            string
	BookingID     string // the requester's booking
	WithBookingID string // the colleague's booking
	RequesterID   string
	PartnerID     string
	Status        SwapStatus
	// NewBookingID and NewWithBookingID are the bookings the accepted swap
	// made: the requester's on the colleague's place and the other way round.
	NewBookingID     string
	NewWithBookingID string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}
