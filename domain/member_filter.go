package domain

// MemberFilter narrows a member list.
type MemberFilter struct {
	// AreaPaths scopes the list to members whose home area is at or below any
	// of these area paths; nil means every member, an empty non-nil slice none.
	AreaPaths []string
	// Query matches name or email, ignoring case.
	Query string
	// After is the cursor: the ID of the last member seen (IDs sort by creation).
	After string
	// Limit caps the number returned.
	Limit int
}
