package db

import (
	"context"

	"github.com/copbank/copbank/domain"
)

// ExpiringHolding is an active clearance or a skill held by a member that
// lapses on ExpiresOn (the first day it is no longer held).
type ExpiringHolding struct {
	MemberID  string
	Kind      string // "clearance" or "skill"
	ID        string // the clearance's id, or the skill's
	Name      string // the clearance type, or the skill's name
	ExpiresOn domain.Date
}

// ExpiringHoldings returns the active clearances and the held skills that
// lapse on a day from from to to, both included, by member then day.
func (s *Store) ExpiringHoldings(ctx context.Context, from, to domain.Date) ([]ExpiringHolding, error) {
	var cs []clearanceRow
	if err := s.db(ctx).Where("status = 'active' AND expires_on >= ? AND expires_on <= ?", from.String(), to.String()).
		Order("member_id, expires_on, id").Find(&cs).Error; err != nil {
		return nil, translate(err)
	}
	var out []ExpiringHolding
	for _, c := range cs {
		out = append(out, ExpiringHolding{MemberID: c.MemberID, Kind: "clearance", ID: c.ID, Name: c.Type,
			ExpiresOn: parseStoredDate(c.ExpiresOn)})
	}
	var ss []struct {
		MemberID  string
		SkillID   string
		Name      string
		ExpiresOn string
	}
	err := s.db(ctx).Table("member_skills ms").Select("ms.member_id, ms.skill_id, sk.name, ms.expires_on").
		Joins("JOIN skills sk ON sk.id = ms.skill_id").
		Where("ms.expires_on IS NOT NULL AND ms.expires_on >= ? AND ms.expires_on <= ?", from.String(), to.String()).
		Order("ms.member_id, ms.expires_on, ms.skill_id").Scan(&ss).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range ss {
		out = append(out, ExpiringHolding{MemberID: r.MemberID, Kind: "skill", ID: r.SkillID, Name: r.Name,
			ExpiresOn: parseStoredDate(r.ExpiresOn)})
	}
	return out, nil
}

// CoordinatorsCovering returns the enabled coordinator accounts whose
// scope holds the area or one of its ancestors.
func (s *Store) CoordinatorsCovering(ctx context.Context, areaID string) ([]domain.User, error) {
	var rows []userRow
	err := s.db(ctx).Table("users").Select("DISTINCT users.*").
		Joins("JOIN user_areas ua ON ua.user_id = users.id").
		Joins("JOIN areas scope ON scope.id = ua.area_id").
		Joins("JOIN areas home ON home.id = ?", areaID).
		Where("users.disabled_at IS NULL AND substr(home.path, 1, length(scope.path)) = scope.path").
		Order("users.id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	var out []domain.User
	for _, r := range rows {
		u := r.toDomain()
		if u.Has(domain.RoleCoordinator) {
			out = append(out, u)
		}
	}
	return out, nil
}
