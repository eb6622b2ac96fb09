package app

import (
	"context"
	"regexp"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// NewSkill is the input for adding a skill to the catalogue.
type NewSkill struct {
	Code        string
	Name        string
	ValidMonths *int
}

// skillCodeRE allows codes such as first_aid, lang:pl and lived:addiction.
var skillCodeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.:-]{0,63}$`)

// CreateSkill adds a skill to the catalogue. Admins only (forbidden
// otherwise); a lived-experience skill (code "lived:…") never expires, so it
// takes no valid_months; a taken code is a conflict.
func (a *App) CreateSkill(ctx context.Context, p *domain.Principal, in NewSkill) (domain.Skill, error) {
	if !p.IsAdmin() {
		return domain.Skill{}, forbidden("only an admin may add skills")
	}
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	code := strings.TrimSpace(in.Code)
	if !skillCodeRE.MatchString(code) {
		bad("code", "must be 1–64 lower-case letters, digits or _ . : -, such as first_aid or lived:addiction")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 200 {
		bad("name", "is required, at most 200 characters")
	}
	if in.ValidMonths != nil {
		switch {
		case domain.IsLived(code):
			bad("valid_months", "lived experience never expires; leave valid_months out")
		case *in.ValidMonths < 1 || *in.ValidMonths > 600:
			bad("valid_months", "must be a whole number of months from 1 to 600")
		}
	}
	if len(fields) > 0 {
		return domain.Skill{}, domain.Invalid("the skill could not be added", fields...)
	}
	var out domain.Skill
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = tx.CreateSkill(ctx, domain.Skill{ID: NewID(), Code: code, Name: name, ValidMonths: in.ValidMonths, CreatedAt: a.Now()})
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "skill.create", entity: "skill", entityID: out.ID,
			after: map[string]any{"code": out.Code, "name": out.Name, "valid_months": out.ValidMonths}})
	})
	return out, err
}

// Skills lists the catalogue in code order for any signed-in caller.
func (a *App) Skills(ctx context.Context, p *domain.Principal, after string, limit int) ([]domain.Skill, error) {
	if p == nil {
		return nil, domain.Errorf(domain.EUnauthorized, "sign in first")
	}
	return a.store.Skills(ctx, after, limit)
}
