package app

import (
	"context"
	"slices"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Candidate is a member a coordinator might put on a place, with every
// booking rule they would fail there (none: they can take it now).
type Candidate struct {
	Member domain.Member
	Failed []string
}

// maxCandidates caps how many members a search checks against the rules.
const maxCandidates = 200

// ShiftCandidates finds members in the caller's areas whose name or email
// matches query, each checked against every booking rule for one position
// of a shift the caller coordinates: those who pass first, then those who
// fail fewest rules, by name. Not found for a shift outside the caller's
// areas.
func (a *App) ShiftCandidates(ctx context.Context, p *domain.Principal, shiftID, positionID, query string, limit int) ([]Candidate, error) {
	if !isCoordinating(p) {
		return nil, notFound("shift")
	}
	sh, d, err := a.store.ShiftByID(ctx, shiftID)
	if err != nil {
		return nil, err
	}
	area, err := a.store.AreaByID(ctx, d.AreaID)
	if err != nil {
		return nil, err
	}
	if !coversArea(p, area) {
		return nil, notFound("shift")
	}
	pos := positionOf(d, positionID)
	if pos.ID == "" {
		return nil, domain.FieldInvalid("position_id", "is not a position of this shift")
	}
	place := domain.Place{PositionID: pos.ID}
	for _, pl := range sh.Places {
		if pl.PositionID == pos.ID {
			place = pl
		}
	}
	f := domain.MemberFilter{Query: strings.TrimSpace(query), Limit: maxCandidates}
	if !p.IsAdmin() {
		f.AreaPaths = []string{}
		for _, ar := range p.User.Areas {
			f.AreaPaths = append(f.AreaPaths, ar.Path)
		}
	}
	members, err := a.store.Members(ctx, f)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	out := make([]Candidate, 0, len(members))
	for _, m := range members {
		mc, err := a.loadMemberContext(ctx, a.store, m.ID, sh.Start, sh.End)
		if err != nil {
			return nil, err
		}
		check := mc.check(d, pos, sh, place, now, a.zoneOf(d), "")
		if err := a.seeSupervision(ctx, a.store, &check); err != nil {
			return nil, err
		}
		check.AlreadyHolds = slices.ContainsFunc(mc.bookings, func(b domain.Booking) bool {
			return b.ShiftID == sh.ID && b.PositionID == pos.ID
		})
		out = append(out, Candidate{Member: m, Failed: orNone(domain.CheckBooking(check))})
	}
	slices.SortStableFunc(out, func(x, y Candidate) int {
		if n := len(x.Failed) - len(y.Failed); n != 0 {
			return n
		}
		return strings.Compare(strings.ToLower(x.Member.Name), strings.ToLower(y.Member.Name))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// rosterNames names the members of a shift's bookings, for its coordinators.
func (a *App) rosterNames(ctx context.Context, store *db.Store, bookings []domain.Booking) (map[string]string, error) {
	names := map[string]string{}
	for _, b := range bookings {
		if _, ok := names[b.MemberID]; ok {
			continue
		}
		m, err := store.MemberByID(ctx, b.MemberID)
		if domain.ErrorCode(err) == domain.ENotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		names[b.MemberID] = m.Name
	}
	return names, nil
}
