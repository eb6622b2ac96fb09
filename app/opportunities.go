package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// VET Agency opportunities: role profiles that admins, and coordinators in
// their areas, write and publish. Open ones are public; a draft or closed
// one is seen only by those who manage its area, and is not found for
// anyone else.

// NewOpportunity is the input for publishing a role profile.
type NewOpportunity struct {
	Title        string
	Description  string
	Kind         domain.Kind
	Area         string // area code
	MinVetting   domain.ClearanceType
	SkillsGained []string
	Commitment   string
	Status       domain.OpportunityStatus // "" = draft
}

// OpportunityUpdate is a partial change: nil fields stay.
type OpportunityUpdate struct {
	Title        *string
	Description  *string
	Kind         *domain.Kind
	Area         *string
	MinVetting   *domain.ClearanceType
	SkillsGained *[]string
	Commitment   *string
	Status       *domain.OpportunityStatus
}

// reachOpportunity loads an opportunity the caller may see: open ones for
// anyone, others for those who manage its area. manage says whether the
// caller may change it.
func (a *App) reachOpportunity(ctx context.Context, store *db.Store, p *domain.Principal, id string) (o domain.Opportunity, manage bool, err error) {
	o, err = store.OpportunityByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return o, false, notFound("opportunity")
	}
	if err != nil {
		return o, false, err
	}
	manage = coversArea(p, domain.Area{Path: o.AreaPath})
	if !manage && o.Status != domain.OpportunityOpen {
		return domain.Opportunity{}, false, notFound("opportunity")
	}
	return o, manage, nil
}

// opportunityArea resolves the area code of an opportunity the caller may
// place there.
func (a *App) opportunityArea(ctx context.Context, store *db.Store, p *domain.Principal, code string) (domain.Area, []domain.FieldError, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return domain.Area{}, []domain.FieldError{{Field: "area", Message: "is required: an area code such as DUR-CITY"}}, nil
	}
	area, err := store.AreaByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.Area{}, []domain.FieldError{{Field: "area", Message: fmt.Sprintf("no area has the code %q", code)}}, nil
	}
	if err != nil {
		return domain.Area{}, nil, err
	}
	if !coversArea(p, area) {
		return domain.Area{}, []domain.FieldError{{Field: "area", Message: "is outside the areas you coordinate"}}, nil
	}
	return area, nil, nil
}

// validateOpportunity names every field of o that breaks a rule (area apart).
func (a *App) validateOpportunity(ctx context.Context, store *db.Store, o domain.Opportunity) ([]domain.FieldError, error) {
	var fields []domain.FieldError
	if o.Title == "" {
		fields = append(fields, domain.FieldError{Field: "title", Message: "is required"})
	}
	if !domain.ValidKind(o.Kind) {
		fields = append(fields, domain.FieldError{Field: "kind", Message: "must be one of: volunteer, bank_officer, mentor"})
	}
	if o.MinVetting != "" && domain.VettingLevel(o.MinVetting) == 0 {
		fields = append(fields, domain.FieldError{Field: "min_vetting", Message: "must be one of: NPPV1, NPPV2, NPPV3, or left out"})
	}
	if !domain.ValidOpportunityStatus(o.Status) {
		fields = append(fields, domain.FieldError{Field: "status", Message: "must be one of: draft, open, closed"})
	}
	for i, code := range o.SkillsGained {
		_, err := store.SkillByCode(ctx, code)
		if domain.ErrorCode(err) == domain.ENotFound {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("skills_gained[%d]", i), Message: fmt.Sprintf("%q is not in the skill catalogue", code)})
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	return fields, nil
}

func opportunityState(o domain.Opportunity) map[string]any {
	return map[string]any{"opportunity_id": o.ID, "title": o.Title, "kind": o.Kind, "area": o.AreaCode,
		"min_vetting": o.MinVetting, "skills_gained": o.SkillsGained, "commitment": o.Commitment, "status": o.Status}
}

// CreateOpportunity publishes a role profile (status draft unless given).
// Admins, and coordinators for an area in their scope (a field error on
// "area" otherwise); forbidden for anyone else. Invalid input names every
// bad field.
func (a *App) CreateOpportunity(ctx context.Context, p *domain.Principal, in NewOpportunity) (domain.Opportunity, error) {
	if !isCoordinating(p) {
		return domain.Opportunity{}, forbidden("only an admin or a coordinator may publish opportunities")
	}
	now := a.Now()
	o := domain.Opportunity{ID: NewID(), Title: strings.TrimSpace(in.Title), Description: strings.TrimSpace(in.Description),
		Kind: in.Kind, MinVetting: in.MinVetting, SkillsGained: trimCodes(in.SkillsGained), Commitment: strings.TrimSpace(in.Commitment),
		Status: in.Status, CreatedAt: now, UpdatedAt: now}
	if o.Status == "" {
		o.Status = domain.OpportunityDraft
	}
	fields, err := a.validateOpportunity(ctx, a.store, o)
	if err != nil {
		return domain.Opportunity{}, err
	}
	area, areaFields, err := a.opportunityArea(ctx, a.store, p, in.Area)
	if err != nil {
		return domain.Opportunity{}, err
	}
	if fields = append(fields, areaFields...); len(fields) > 0 {
		return domain.Opportunity{}, domain.Invalid("the opportunity could not be published", fields...)
	}
	o.AreaID, o.AreaCode, o.AreaPath = area.ID, area.Code, area.Path
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateOpportunity(ctx, o); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "opportunity.create", entity: "opportunity", entityID: o.ID, after: opportunityState(o)})
	})
	return o, err
}

func trimCodes(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

// UpdateOpportunity changes an opportunity. Only those who manage its area
// (and, when moving it, the new area) may: forbidden for others who can
// see it (an open one), not found for the rest.
func (a *App) UpdateOpportunity(ctx context.Context, p *domain.Principal, id string, u OpportunityUpdate) (domain.Opportunity, error) {
	var out domain.Opportunity
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		old, manage, err := a.reachOpportunity(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !manage {
			return forbidden("only an admin or a coordinator of the opportunity's area may change it")
		}
		o := old
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = strings.TrimSpace(*v)
			}
		}
		set(&o.Title, u.Title)
		set(&o.Description, u.Description)
		set(&o.Commitment, u.Commitment)
		if u.Kind != nil {
			o.Kind = *u.Kind
		}
		if u.MinVetting != nil {
			o.MinVetting = *u.MinVetting
		}
		if u.SkillsGained != nil {
			o.SkillsGained = trimCodes(*u.SkillsGained)
		}
		if u.Status != nil {
			o.Status = *u.Status
		}
		fields, err := a.validateOpportunity(ctx, tx, o)
		if err != nil {
			return err
		}
		if u.Area != nil {
			area, areaFields, err := a.opportunityArea(ctx, tx, p, *u.Area)
			if err != nil {
				return err
			}
			fields = append(fields, areaFields...)
			o.AreaID, o.AreaCode, o.AreaPath = area.ID, area.Code, area.Path
		}
		if len(fields) > 0 {
			return domain.Invalid("the opportunity could not be changed", fields...)
		}
		o.UpdatedAt = a.Now()
		if err := tx.UpdateOpportunity(ctx, o); err != nil {
			return err
		}
		out = o
		return a.audit(ctx, tx, p, auditEvent{action: "opportunity.update", entity: "opportunity", entityID: o.ID,
			before: opportunityState(old), after: opportunityState(o)})
	})
	return out, err
}

// Opportunity reads one opportunity: an open one for anyone (signed in or
// not), others for those who manage its area; not found otherwise.
func (a *App) Opportunity(ctx context.Context, p *domain.Principal, id string) (domain.Opportunity, error) {
	o, _, err := a.reachOpportunity(ctx, a.store, p, id)
	return o, err
}

// OpportunityQuery is what an opportunity list may be narrowed by.
type OpportunityQuery struct {
	Area  string // an area code: that area and everything below it
	Kind  domain.Kind
	After string
	Limit int
}

// Opportunities lists the open opportunities, and for admins and
// coordinators also the drafts and closed ones in their scope. An unknown
// area or kind is invalid.
func (a *App) Opportunities(ctx context.Context, p *domain.Principal, q OpportunityQuery) ([]domain.Opportunity, error) {
	f := domain.OpportunityFilter{Kind: q.Kind, After: q.After, Limit: q.Limit}
	var fields []domain.FieldError
	if q.Kind != "" && !domain.ValidKind(q.Kind) {
		fields = append(fields, domain.FieldError{Field: "kind", Message: "must be one of: volunteer, bank_officer, mentor"})
	}
	if code := strings.TrimSpace(q.Area); code != "" {
		area, err := a.store.AreaByCode(ctx, code)
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
			fields = append(fields, domain.FieldError{Field: "area", Message: fmt.Sprintf("no area has the code %q", code)})
		case err != nil:
			return nil, err
		default:
			f.WithinPath = area.Path
		}
	}
	if len(fields) > 0 {
		return nil, domain.Invalid("the opportunities could not be listed", fields...)
	}
	switch {
	case p.IsAdmin():
		f.AllStatuses = true
	case isCoordinating(p):
		for _, ar := range p.User.Areas {
			f.ScopePaths = append(f.ScopePaths, ar.Path)
		}
	}
	return a.store.Opportunities(ctx, f)
}

// LivedSkills lists the lived-experience codes of the skill catalogue, which
// an applicant may declare.
func (a *App) LivedSkills(ctx context.Context) ([]domain.Skill, error) {
	all, err := a.store.Skills(ctx, "", 1000)
	if err != nil {
		return nil, err
	}
	var out []domain.Skill
	for _, s := range all {
		if domain.IsLived(s.Code) {
			out = append(out, s)
		}
	}
	return out, nil
}
