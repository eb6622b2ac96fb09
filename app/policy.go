package app

import (
	"slices"

	"github.com/copbank/copbank/domain"
)

// Who may see and change what. Every use case asks these; nothing else
// decides. An ID outside the caller's reach is reported as not found, so it
// cannot be probed.

// CommandLineOperator is the principal of whoever runs a copbank command at
// the server (import, match, user): they may do what an admin may, and the
// audit log records them as "command line".
func CommandLineOperator() *domain.Principal {
	return &domain.Principal{User: domain.User{ID: "", Name: "command line", Roles: []domain.Role{domain.RoleAdmin}}}
}

// notFound is the answer for anything the caller may not see.
func notFound(what string) error { return domain.Errorf(domain.ENotFound, "no such %s", what) }

// forbidden is for a visible thing the caller may not change.
func forbidden(msg string) error { return domain.Errorf(domain.EForbidden, "%s", msg) }

// coversArea reports an admin, or a coordinator whose scope holds the area.
func coversArea(p *domain.Principal, area domain.Area) bool {
	if p == nil {
		return false
	}
	if p.IsAdmin() {
		return true
	}
	if !p.User.Has(domain.RoleCoordinator) {
		return false
	}
	return slices.ContainsFunc(p.User.Areas, func(scope domain.Area) bool { return area.Within(scope.Path) })
}

// isCoordinating reports an admin or a coordinator (of any scope).
func isCoordinating(p *domain.Principal) bool {
	return p != nil && (p.IsAdmin() || p.User.Has(domain.RoleCoordinator))
}

// isSelf reports that the caller signs in as this member.
func isSelf(p *domain.Principal, memberID string) bool {
	return p != nil && p.User.MemberID != "" && p.User.MemberID == memberID
}
