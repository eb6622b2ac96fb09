package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type pathwayRow struct {
	ID        string
	Name      string
	CreatedBy *string
	CreatedAt time.Time
}

func (pathwayRow) TableName() string { return "pathways" }

type milestoneRow struct {
	PathwayID   string
	Ordinal     int
	Kind        string
	SkillID     *string
	CourseID    *string
	Hours       *float64
	ProblemType string
}

func (milestoneRow) TableName() string { return "pathway_milestones" }

// CreatePathway stores a pathway with its milestones. A taken name is a
// conflict on "name".
func (s *Store) CreatePathway(ctx context.Context, p domain.Pathway) error {
	return s.InTx(ctx, func(tx *Store) error {
		row := pathwayRow{ID: p.ID, Name: p.Name, CreatedBy: nullable(p.CreatedBy), CreatedAt: p.CreatedAt.UTC()}
		if err := translate(tx.db(ctx).Create(&row).Error); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return &domain.Error{Code: domain.EConflict, Message: "a pathway with this name already exists",
					Fields: []domain.FieldError{{Field: "name", Message: "already in use"}}}
			}
			return err
		}
		for i, m := range p.Milestones {
			mr := milestoneRow{PathwayID: p.ID, Ordinal: i, Kind: string(m.Kind), SkillID: nullable(m.SkillID),
				CourseID: nullable(m.CourseID), ProblemType: string(m.ProblemType)}
			if m.Kind == domain.MilestoneHours {
				h := m.Hours
				mr.Hours = &h
			}
			if err := tx.db(ctx).Create(&mr).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// Pathways lists every pathway with its milestones, by name.
func (s *Store) Pathways(ctx context.Context) ([]domain.Pathway, error) {
	var rows []pathwayRow
	if err := s.db(ctx).Order("name, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	var ms []struct {
		Row        milestoneRow `gorm:"embedded"`
		SkillCode  *string
		CourseCode *string
	}
	err := s.db(ctx).Raw(`SELECT pm.*, sk.code AS skill_code, c.code AS course_code FROM pathway_milestones pm
		LEFT JOIN skills sk ON sk.id = pm.skill_id LEFT JOIN courses c ON c.id = pm.course_id
		ORDER BY pm.pathway_id, pm.ordinal`).Scan(&ms).Error
	if err != nil {
		return nil, translate(err)
	}
	byID := make(map[string][]domain.Milestone, len(rows))
	for _, m := range ms {
		dm := domain.Milestone{Kind: domain.MilestoneKind(m.Row.Kind), ProblemType: domain.ProblemType(m.Row.ProblemType)}
		if m.Row.SkillID != nil && m.SkillCode != nil {
			dm.SkillID, dm.SkillCode = *m.Row.SkillID, *m.SkillCode
		}
		if m.Row.CourseID != nil && m.CourseCode != nil {
			dm.CourseID, dm.CourseCode = *m.Row.CourseID, *m.CourseCode
		}
		if m.Row.Hours != nil {
			dm.Hours = *m.Row.Hours
		}
		byID[m.Row.PathwayID] = append(byID[m.Row.PathwayID], dm)
	}
	out := make([]domain.Pathway, len(rows))
	for i, r := range rows {
		out[i] = domain.Pathway{ID: r.ID, Name: r.Name, Milestones: byID[r.ID], CreatedAt: r.CreatedAt}
		if r.CreatedBy != nil {
			out[i].CreatedBy = *r.CreatedBy
		}
	}
	return out, nil
}

// AttendedHours sums a member's attended hours by the problem type of the
// shift's demand: the actual start and end where recorded, else the shift's.
func (s *Store) AttendedHours(ctx context.Context, memberID string) (map[domain.ProblemType]float64, error) {
	var rows []struct {
		StartsAt    time.Time
		EndsAt      time.Time
		ActualStart *time.Time
		ActualEnd   *time.Time
		ProblemType string
	}
	err := s.db(ctx).Raw(`SELECT b.starts_at, b.ends_at, b.actual_start, b.actual_end, d.problem_type
		FROM bookings b JOIN shifts sh ON sh.id = b.shift_id JOIN demands d ON d.id = sh.demand_id
		WHERE b.member_id = ? AND b.status = 'attended'`, memberID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := map[domain.ProblemType]float64{}
	for _, r := range rows {
		start, end := r.StartsAt, r.EndsAt
		if r.ActualStart != nil {
			start = *r.ActualStart
		}
		if r.ActualEnd != nil {
			end = *r.ActualEnd
		}
		if end.After(start) {
			out[domain.ProblemType(r.ProblemType)] += end.Sub(start).Hours()
		}
	}
	return out, nil
}
