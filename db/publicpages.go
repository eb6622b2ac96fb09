package db

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/copbank/copbank/domain"
)

type publicPageRow struct {
	Slug      string `gorm:"primaryKey"`
	Version   int    `gorm:"primaryKey"`
	Title     string
	Body      string
	CreatedBy *string
	CreatedAt time.Time
}

func (publicPageRow) TableName() string { return "public_page_versions" }

func (r publicPageRow) toDomain() domain.PublicPage {
	p := domain.PublicPage{Slug: r.Slug, Version: r.Version, Title: r.Title, Body: r.Body, CreatedAt: r.CreatedAt.UTC()}
	if r.CreatedBy != nil {
		p.CreatedBy = *r.CreatedBy
	}
	return p
}

func toPublicPageRow(p domain.PublicPage) publicPageRow {
	return publicPageRow{Slug: p.Slug, Version: p.Version, Title: p.Title, Body: p.Body, CreatedBy: nullable(p.CreatedBy),
		CreatedAt: p.CreatedAt.UTC()}
}

// LatestPublicPage returns the highest version of a page; not found when it
// has none yet.
func (s *Store) LatestPublicPage(ctx context.Context, slug string) (domain.PublicPage, error) {
	var rows []publicPageRow
	if err := s.db(ctx).Where("slug = ?", slug).Order("version DESC").Limit(1).Find(&rows).Error; err != nil {
		return domain.PublicPage{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.PublicPage{}, domain.Errorf(domain.ENotFound, "no such page")
	}
	return rows[0].toDomain(), nil
}

// PublicPageVersions lists a page's versions newest first, those below
// before when it is above 0, up to limit.
func (s *Store) PublicPageVersions(ctx context.Context, slug string, before, limit int) ([]domain.PublicPage, error) {
	q := s.db(ctx).Where("slug = ?", slug)
	if before > 0 {
		q = q.Where("version < ?", before)
	}
	var rows []publicPageRow
	if err := q.Order("version DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.PublicPage, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// AddPublicPageVersion stores a new version. A version number already taken
// (someone saved first) is a conflict.
func (s *Store) AddPublicPageVersion(ctx context.Context, p domain.PublicPage) error {
	row := toPublicPageRow(p)
	return translate(s.db(ctx).Create(&row).Error)
}

// SeedPublicPage stores p unless the page already has that version, and
// reports whether it did; two first readers at once store it once.
func (s *Store) SeedPublicPage(ctx context.Context, p domain.PublicPage) (bool, error) {
	row := toPublicPageRow(p)
	res := s.db(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	return res.RowsAffected == 1, translate(res.Error)
}
