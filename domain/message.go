package domain

// MessageKey identifies one message so that it is sent once: the event that
// caused it (for example "booking.offered/<id>"), the recipient (a member
// ID) and the channel ("email", "sms").
type MessageKey struct {
	Event     string
	Recipient string
	Channel   string
}
