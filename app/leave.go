package app

import (
	"context"

	"github.com/copbank/copbank/domain"
)

// MemberLeave lists a member's leave in date order, to the member themselves
// or one who manages them; anyone else is told the member does not exist.
func (a *App) MemberLeave(ctx context.Context, p *domain.Principal, memberID string) ([]domain.Leave, error) {
	m, _, err := a.reachMember(ctx, p, memberID)
	if err != nil {
		return nil, err
	}
	return a.Store.Leave(ctx, m.ID)
}
