package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type skillRow struct {
	ID          string
	Code        string
	Name        string
	ValidMonths *int
	CreatedAt   time.Time
}

func (skillRow) TableName() string { return "skills" }

func (r skillRow) toDomain() domain.Skill {
	return domain.Skill{ID: r.ID, Code: r.Code, Name: r.Name, ValidMonths: r.ValidMonths, CreatedAt: r.CreatedAt}
}

// CreateSkill stores a catalogue entry. A taken code is a conflict on "code".
func (s *Store) CreateSkill(ctx context.Context, sk domain.Skill) (domain.Skill, error) {
	row := skillRow{ID: sk.ID, Code: sk.Code, Name: sk.Name, ValidMonths: sk.ValidMonths, CreatedAt: sk.CreatedAt.UTC()}
	if err := translate(s.db(ctx).Create(&row).Error); err != nil {
		if domain.ErrorCode(err) == domain.EConflict {
			return domain.Skill{}, &domain.Error{Code: domain.EConflict, Message: "a skill with this code already exists",
				Fields: []domain.FieldError{{Field: "code", Message: "already in use"}}}
		}
		return domain.Skill{}, err
	}
	return row.toDomain(), nil
}

// SkillByCode finds a skill by its code (exact); not found when absent.
func (s *Store) SkillByCode(ctx context.Context, code string) (domain.Skill, error) {
	var rows []skillRow
	if err := s.db(ctx).Where("code = ?", code).Limit(1).Find(&rows).Error; err != nil {
		return domain.Skill{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Skill{}, domain.Errorf(domain.ENotFound, "no such skill")
	}
	return rows[0].toDomain(), nil
}

// Skills lists the catalogue in code order after the cursor (a code), at most limit.
func (s *Store) Skills(ctx context.Context, after string, limit int) ([]domain.Skill, error) {
	var rows []skillRow
	if err := s.db(ctx).Where("code > ?", after).Order("code").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Skill, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}
