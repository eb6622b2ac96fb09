package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// Pathways: admins define them; everyone signed in reads them; a member sees
// their own progress, and coordinators the progress of members whose home
// area they cover.

// MilestoneInput is one posted milestone.
type MilestoneInput struct {
	Kind        string
	Skill       string
	Course      string
	Hours       float64
	ProblemType string
}

// NewPathway is the input for creating a pathway.
type NewPathway struct {
	Name       string
	Milestones []MilestoneInput
}

// CreatePathway adds a pathway of ordered milestones (admins only). Each
// milestone must name a skill in the catalogue, a known course, or a
// positive number of hours (with an optional known problem type); a taken
// name is a conflict on "name".
func (a *App) CreatePathway(ctx context.Context, p *domain.Principal, in NewPathway) (domain.Pathway, error) {
	if p == nil || !p.IsAdmin() {
		return domain.Pathway{}, forbidden("only admins define pathways")
	}
	pw := domain.Pathway{ID: NewID(), Name: strings.TrimSpace(in.Name), CreatedBy: p.User.ID, CreatedAt: a.Now()}
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if pw.Name == "" {
		bad("name", "is required")
	}
	if len(in.Milestones) == 0 {
		bad("milestones", "add at least one milestone")
	}
	for i, mi := range in.Milestones {
		f := fmt.Sprintf("milestones[%d]", i)
		m := domain.Milestone{Kind: domain.MilestoneKind(mi.Kind)}
		switch m.Kind {
		case domain.MilestoneSkill:
			sk, err := a.store.SkillByCode(ctx, mi.Skill)
			if domain.ErrorCode(err) == domain.ENotFound {
				bad(f+".skill", fmt.Sprintf("%q is not in the skill catalogue", mi.Skill))
			} else if err != nil {
				return domain.Pathway{}, err
			}
			m.SkillID, m.SkillCode = sk.ID, sk.Code
		case domain.MilestoneCourse:
			c, err := a.store.CourseByCode(ctx, mi.Course)
			if domain.ErrorCode(err) == domain.ENotFound {
				bad(f+".course", fmt.Sprintf("%q is not a course", mi.Course))
			} else if err != nil {
				return domain.Pathway{}, err
			}
			m.CourseID, m.CourseCode = c.ID, c.Code
		case domain.MilestoneHours:
			if mi.Hours <= 0 || mi.Hours > 100000 {
				bad(f+".hours", "must be more than 0 hours")
			}
			m.Hours, m.ProblemType = mi.Hours, domain.ProblemType(mi.ProblemType)
			if m.ProblemType != "" && !domain.ValidProblemType(m.ProblemType) {
				bad(f+".problem_type", "must be one of: "+joinProblemTypes())
			}
		default:
			bad(f+".kind", "must be skill, course or hours")
		}
		pw.Milestones = append(pw.Milestones, m)
	}
	if len(fields) > 0 {
		return domain.Pathway{}, domain.Invalid("the pathway could not be created", fields...)
	}
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreatePathway(ctx, pw); err != nil {
			return err
		}
		steps := make([]map[string]any, len(pw.Milestones))
		for i, m := range pw.Milestones {
			steps[i] = map[string]any{"kind": m.Kind, "skill": m.SkillCode, "course": m.CourseCode, "hours": m.Hours, "problem_type": m.ProblemType}
		}
		return a.audit(ctx, tx, p, auditEvent{action: "pathway.create", entity: "pathway", entityID: pw.ID,
			after: map[string]any{"name": pw.Name, "milestones": steps}})
	})
	return pw, err
}

// Pathways lists every pathway (any signed-in caller).
func (a *App) Pathways(ctx context.Context, p *domain.Principal) ([]domain.Pathway, error) {
	if p == nil {
		return nil, domain.Errorf(domain.EUnauthorized, "sign in first")
	}
	return a.store.Pathways(ctx)
}

// MemberPathways measures a member against every pathway, as of today in the
// force's time zone: the member themself, or whoever manages them (not found
// for anyone else).
func (a *App) MemberPathways(ctx context.Context, p *domain.Principal, memberID string) ([]domain.Progress, error) {
	if _, _, err := a.reachMember(ctx, a.store, p, memberID); err != nil {
		return nil, err
	}
	pathways, err := a.store.Pathways(ctx)
	if err != nil {
		return nil, err
	}
	r, err := a.memberRecord(ctx, memberID)
	if err != nil {
		return nil, err
	}
	today := domain.DateOf(a.Now().In(a.Config.TimeZone))
	out := make([]domain.Progress, len(pathways))
	for i, pw := range pathways {
		out[i] = domain.ProgressOn(pw, r, today)
	}
	return out, nil
}

func (a *App) memberRecord(ctx context.Context, memberID string) (domain.Record, error) {
	var r domain.Record
	var err error
	if r.Skills, err = a.store.MemberSkills(ctx, memberID); err != nil {
		return r, err
	}
	if r.CompletedCourses, err = a.store.CompletedCourses(ctx, memberID); err != nil {
		return r, err
	}
	r.Hours, err = a.store.AttendedHours(ctx, memberID)
	return r, err
}

// PathwayReport is how far the members in scope have come along one pathway.
type PathwayReport struct {
	Pathway domain.Pathway
	// AtMilestone[i] counts the members whose next unmet milestone is i.
	AtMilestone []int
	// Completed counts the members who have met every milestone.
	Completed int
	Members   int
}

// maxReportMembers bounds the members a progress report reads.
const maxReportMembers = 5000

// PathwayProgressReport counts, per pathway, the members whose home area is
// in the given areas (codes; none: every area the caller covers) at each
// milestone. Coordinators and admins; an area outside a coordinator's scope
// is invalid.
func (a *App) PathwayProgressReport(ctx context.Context, p *domain.Principal, areaCodes []string) ([]PathwayReport, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only admins and coordinators see progress across areas")
	}
	var paths []string
	for i, code := range areaCodes {
		ar, err := a.store.AreaByCode(ctx, code)
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !coversArea(p, ar)) {
			return nil, domain.FieldInvalid(fmt.Sprintf("areas[%d]", i), fmt.Sprintf("%q is not an area you coordinate", code))
		}
		if err != nil {
			return nil, err
		}
		paths = append(paths, ar.Path)
	}
	if len(areaCodes) == 0 && !p.IsAdmin() {
		paths = make([]string, 0, len(p.User.Areas))
		for _, ar := range p.User.Areas {
			paths = append(paths, ar.Path)
		}
	}
	members, err := a.store.Members(ctx, domain.MemberFilter{AreaPaths: paths, Limit: maxReportMembers})
	if err != nil {
		return nil, err
	}
	pathways, err := a.store.Pathways(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PathwayReport, len(pathways))
	for i, pw := range pathways {
		out[i] = PathwayReport{Pathway: pw, AtMilestone: make([]int, len(pw.Milestones))}
	}
	today := domain.DateOf(a.Now().In(a.Config.TimeZone))
	for _, m := range members {
		if m.Status != domain.MemberActive {
			continue
		}
		r, err := a.memberRecord(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		for i, pw := range pathways {
			pr := domain.ProgressOn(pw, r, today)
			out[i].Members++
			if pr.Next == nil {
				out[i].Completed++
			} else {
				out[i].AtMilestone[*pr.Next]++
			}
		}
	}
	return out, nil
}
