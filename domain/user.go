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
}

// Principal is who is calling, resolved once per request by the auth middleware.
type Principal struct {
	User    User
	TokenID string
}

// IsAdmin reports whether the caller may do anything.
func (p *Principal) IsAdmin() bool { return p != nil && p.User.Has(RoleAdmin) }
