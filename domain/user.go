package domain

import (
	"slices"
	"time"
)

// Role is what an account may do. A person may hold several.
type Role string

const (
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleMember      Role = "member"
)

// ParseRole accepts the three role names exactly.
func ParseRole(s string) (Role, bool) {
	switch r := Role(s); r {
	case RoleAdmin, RoleCoordinator, RoleMember:
		return r, true
	}
	return "", false
}

// User is an account that can sign in.
type User struct {
	ID           string
	Email        string
	Name         string
	PasswordHash string
	Roles        []Role
	// Areas scope a coordinator: each area and everything below it.
	Areas      []Area
	MemberID   string // the member record this account signs in as, if any
	DisabledAt *time.Time
	CreatedAt  time.Time
}

// Has reports whether the user holds role r.
func (u User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// Token is a bearer token's record; the secret itself is never stored.
type Token struct {
	ID        string
	UserID    string
	Hash      string
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
	// EnrolmentOnly marks a token given to someone who must enrol a second
	// factor and has not: until they confirm one it reaches only enrolment.
	EnrolmentOnly bool
}

// WebSession is a signed-in browser's record; Hash is the SHA-256 of the
// cookie's secret, which is never stored.
type WebSession struct {
	Hash       string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	// EnrolmentOnly is as for Token.
	EnrolmentOnly bool
}

// Principal is who is calling, resolved once per request by the auth middleware.
type Principal struct {
	User    User
	TokenID string
	// EnrolmentOnly: the caller signed in with a password, must use a second
	// factor and has not enrolled one; they may reach only enrolment.
	EnrolmentOnly bool
}

// IsAdmin reports whether the caller may do anything.
func (p *Principal) IsAdmin() bool { return p != nil && p.User.Has(RoleAdmin) }

// TOTP is a user's time-based one-time password factor (RFC 6238). Secret
// is the sealed secret as stored; LastStep is the last accepted time-step.
type TOTP struct {
	UserID      string
	Secret      string
	LastStep    int64
	CreatedAt   time.Time
	ConfirmedAt *time.Time
}

// Session is one way a user is signed in: a web session or an API token.
type Session struct {
	ID         string // "web-…" for a web session, the token's id for an API token
	Kind       string // "web" or "api"
	CreatedAt  time.Time
	LastSeenAt *time.Time // web sessions only
	ExpiresAt  time.Time
}
