package domain

import "time"

// EmergencyContact is the one person a member asks to be told if they do
// not come off duty from a lone-working shift. The contact has no account.
type EmergencyContact struct {
	Name  string
	Phone string
}

// DutyRecord is when the member of a booking on a lone-working shift came
// on and went off duty, where they said they were, and when they were
// reminded that off duty was late.
type DutyRecord struct {
	BookingID      string
	OnDutyAt       *time.Time
	OnLat, OnLon   *float64
	OffDutyAt      *time.Time
	OffLat, OffLon *float64
	RemindedAt     *time.Time
}

// WelfareAlert is the escalation raised when off duty is not recorded well
// after a lone-working shift's planned end. It stays open until someone
// closes it with a note.
type WelfareAlert struct {
	ID         string
	BookingID  string
	MemberID   string
	ShiftID    string
	AreaID     string
	PlannedEnd time.Time
	RaisedAt   time.Time
	// NotifiedAt is when everyone who had to hear of it had been told.
	NotifiedAt *time.Time
	// ContactStatus says what became of telling the emergency contact.
	ContactStatus string
	ClosedAt      *time.Time
	ClosedBy      string
	CloseNote     string
}

// Open reports an alert nobody has closed yet.
func (w WelfareAlert) Open() bool { return w.ClosedAt == nil }
