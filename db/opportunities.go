package db

import (
	"context"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

type opportunityRow struct {
	ID           string
	Title        string
	Description  string
	Kind         string
	AreaID       string
	MinVetting   string
	SkillsGained string
	Commitment   string
	Status       string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (opportunityRow) TableName() string { return "opportunities" }

func toOpportunityRow(o domain.Opportunity) opportunityRow {
	return opportunityRow{ID: o.ID, Title: o.Title, Description: o.Description, Kind: string(o.Kind), AreaID: o.AreaID,
		MinVetting: string(o.MinVetting), SkillsGained: joinCodes(o.SkillsGained), Commitment: o.Commitment,
		Status: string(o.Status), CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC()}
}

// opportunityWithArea is an opportunity read with its area's code and path.
type opportunityWithArea struct {
	Row      opportunityRow `gorm:"embedded"`
	AreaCode string
	AreaPath string
}

func (r opportunityWithArea) toDomain() domain.Opportunity {
	o := r.Row
	return domain.Opportunity{ID: o.ID, Title: o.Title, Description: o.Description, Kind: domain.Kind(o.Kind),
		AreaID: o.AreaID, AreaCode: r.AreaCode, AreaPath: r.AreaPath, MinVetting: domain.ClearanceType(o.MinVetting),
		SkillsGained: splitCodes(o.SkillsGained), Commitment: o.Commitment, Status: domain.OpportunityStatus(o.Status),
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
}

// joinCodes and splitCodes store a list of codes as one comma-separated
// column; codes never hold a comma.
func joinCodes(codes []string) string { return strings.Join(codes, ",") }

func splitCodes(s string) []string {
	out := []string{}
	for _, c := range strings.Split(s, ",") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// CreateOpportunity stores an opportunity.
func (s *Store) CreateOpportunity(ctx context.Context, o domain.Opportunity) error {
	row := toOpportunityRow(o)
	return translate(s.db(ctx).Create(&row).Error)
}

// UpdateOpportunity replaces every stored field of the opportunity but its ID
// and creation time; not found when absent.
func (s *Store) UpdateOpportunity(ctx context.Context, o domain.Opportunity) error {
	row := toOpportunityRow(o)
	res := s.db(ctx).Model(&row).Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.ENotFound, "no such opportunity")
	}
	return nil
}

const opportunitySelect = `SELECT o.*, a.code AS area_code, a.path AS area_path FROM opportunities o JOIN areas a ON a.id = o.area_id`

// OpportunityByID finds an opportunity with its area's code and path.
func (s *Store) OpportunityByID(ctx context.Context, id string) (domain.Opportunity, error) {
	var rows []opportunityWithArea
	if err := s.db(ctx).Raw(opportunitySelect+` WHERE o.id = ?`, id).Scan(&rows).Error; err != nil {
		return domain.Opportunity{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Opportunity{}, domain.Errorf(domain.ENotFound, "no such opportunity")
	}
	return rows[0].toDomain(), nil
}

// Opportunities lists opportunities in ID (creation) order after f.After, at
// most f.Limit: the open ones, and every one in f.ScopePaths (or all with
// f.AllStatuses), narrowed to f.WithinPath and f.Kind.
func (s *Store) Opportunities(ctx context.Context, f domain.OpportunityFilter) ([]domain.Opportunity, error) {
	var (
		conds []string
		args  []any
	)
	if !f.AllStatuses {
		ors := []string{"o.status = 'open'"}
		for _, p := range f.ScopePaths {
			ors = append(ors, "a.path LIKE ? ESCAPE '\\'")
			args = append(args, likePrefix(p))
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	if f.WithinPath != "" {
		conds = append(conds, "a.path LIKE ? ESCAPE '\\'")
		args = append(args, likePrefix(f.WithinPath))
	}
	if f.Kind != "" {
		conds = append(conds, "o.kind = ?")
		args = append(args, string(f.Kind))
	}
	if f.After != "" {
		conds = append(conds, "o.id > ?")
		args = append(args, f.After)
	}
	q := opportunitySelect
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q += " ORDER BY o.id LIMIT ?"
	args = append(args, limit)
	var rows []opportunityWithArea
	if err := s.db(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Opportunity, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}
