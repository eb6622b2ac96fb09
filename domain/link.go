package domain

import "time"

// LinkPurpose says what an account link is for.
type LinkPurpose string

const (
	// LinkInvite makes (or first sets the password of) a member's account.
	LinkInvite LinkPurpose = "invite"
	// LinkReset sets a new password on an existing account.
	LinkReset LinkPurpose = "reset"
)

// AccountLink is an invitation or password-reset link's record: single use,
// expiring, and holding only the hash of its secret.
type AccountLink struct {
	ID        string
	Purpose   LinkPurpose
	Hash      string
	MemberID  string // an invitation: the member the account is for
	UserID    string // a reset: the account
	CreatedBy string // the inviting user, if any
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}
