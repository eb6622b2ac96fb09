package app

import (
	"context"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// SkillHolding is the input for recording a skill: dates as YYYY-MM-DD;
// ExpiresOn nil means obtained_on + the skill's valid_months, or never.
type SkillHolding struct {
	ObtainedOn string
	ExpiresOn  *string
}

// PutMemberSkill records that a member holds a skill (replacing an earlier
// record). Managers of the member may record any skill; a member may declare
// their own lived experience ("lived:…", which never expires). Not found for a
// member beyond reach or an unknown skill code.
func (a *App) PutMemberSkill(ctx context.Context, p *domain.Principal, memberID, code string, in SkillHolding) (domain.MemberSkill, error) {
	var out domain.MemberSkill
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = a.putMemberSkill(ctx, tx, p, memberID, code, in)
		return err
	})
	return out, err
}

func (a *App) putMemberSkill(ctx context.Context, tx *db.Store, p *domain.Principal, memberID, code string, in SkillHolding) (domain.MemberSkill, error) {
	m, reach, err := a.reachMember(ctx, tx, p, memberID)
	if err != nil {
		return domain.MemberSkill{}, err
	}
	if reach == reachSelf && !domain.IsLived(code) {
		return domain.MemberSkill{}, forbidden("you may declare only your own lived experience; other skills are recorded by a coordinator")
	}
	skill, err := tx.SkillByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.MemberSkill{}, notFound("skill")
	}
	if err != nil {
		return domain.MemberSkill{}, err
	}
	ms, err := skillHolding(skill, in)
	if err != nil {
		return domain.MemberSkill{}, err
	}
	ms.MemberID = m.ID
	if err := tx.PutMemberSkill(ctx, ms); err != nil {
		return domain.MemberSkill{}, err
	}
	return ms, a.audit(ctx, tx, p, auditEvent{action: "member.skill.put", entity: "member_skill", entityID: m.ID + "/" + skill.Code,
		memberID: m.ID, after: map[string]any{"member_id": m.ID, "skill": skill.Code, "obtained_on": ms.ObtainedOn, "expires_on": ms.ExpiresOn}})
}

// skillHolding validates a holding of skill and works out when it expires.
func skillHolding(skill domain.Skill, in SkillHolding) (domain.MemberSkill, error) {
	var fields []domain.FieldError
	obtained, err := domain.ParseDate(strings.TrimSpace(in.ObtainedOn))
	if err != nil {
		fields = append(fields, domain.FieldError{Field: "obtained_on", Message: "must be a date like 2026-01-10"})
	}
	var expires *domain.Date
	switch {
	case in.ExpiresOn != nil && domain.IsLived(skill.Code):
		fields = append(fields, domain.FieldError{Field: "expires_on", Message: "lived experience never expires; leave expires_on out"})
	case in.ExpiresOn != nil:
		d, err := domain.ParseDate(strings.TrimSpace(*in.ExpiresOn))
		if err != nil {
			fields = append(fields, domain.FieldError{Field: "expires_on", Message: "must be a date like 2029-01-10"})
		} else if len(fields) == 0 && !obtained.Before(d) {
			fields = append(fields, domain.FieldError{Field: "expires_on", Message: "must be after obtained_on"})
		}
		expires = &d
	case skill.ValidMonths != nil && !domain.IsLived(skill.Code) && len(fields) == 0:
		d := obtained.AddMonths(*skill.ValidMonths)
		expires = &d
	}
	if len(fields) > 0 {
		return domain.MemberSkill{}, domain.Invalid("the skill could not be recorded", fields...)
	}
	return domain.MemberSkill{SkillID: skill.ID, Code: skill.Code, Name: skill.Name, ObtainedOn: obtained, ExpiresOn: expires}, nil
}

// DeleteMemberSkill removes a skill from a member, under the same rules as
// PutMemberSkill; not found when the member does not hold it.
func (a *App) DeleteMemberSkill(ctx context.Context, p *domain.Principal, memberID, code string) error {
	return a.store.InTx(ctx, func(tx *db.Store) error {
		return a.deleteMemberSkill(ctx, tx, p, memberID, code)
	})
}

func (a *App) deleteMemberSkill(ctx context.Context, tx *db.Store, p *domain.Principal, memberID, code string) error {
	m, reach, err := a.reachMember(ctx, tx, p, memberID)
	if err != nil {
		return err
	}
	if reach == reachSelf && !domain.IsLived(code) {
		return forbidden("you may remove only your own lived experience; other skills are recorded by a coordinator")
	}
	skill, err := tx.SkillByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return notFound("skill")
	}
	if err != nil {
		return err
	}
	if err := tx.DeleteMemberSkill(ctx, m.ID, skill.ID); err != nil {
		return err
	}
	return a.audit(ctx, tx, p, auditEvent{action: "member.skill.delete", entity: "member_skill", entityID: m.ID + "/" + skill.Code,
		memberID: m.ID, before: map[string]any{"member_id": m.ID, "skill": skill.Code}})
}
