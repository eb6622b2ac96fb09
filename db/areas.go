package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type areaRow struct {
	ID        string
	Code      string
	Name      string
	Kind      string
	ParentID  *string
	Path      string
	Lat, Lon  *float64
	CreatedAt time.Time
}

func (areaRow) TableName() string { return "areas" }

func (r areaRow) toDomain() domain.Area {
	a := domain.Area{ID: r.ID, Code: r.Code, Name: r.Name, Kind: domain.AreaKind(r.Kind), Path: r.Path,
		Lat: r.Lat, Lon: r.Lon, CreatedAt: r.CreatedAt}
	if r.ParentID != nil {
		a.ParentID = *r.ParentID
	}
	return a
}

// CreateArea stores an area under its parent (a.ParentID, or none for a
// root), computing its path. A taken code is a conflict on "code".
func (s *Store) CreateArea(ctx context.Context, a domain.Area) (domain.Area, error) {
	path := "/" + a.ID + "/"
	if a.ParentID != "" {
		parent, err := s.AreaByID(ctx, a.ParentID)
		if err != nil {
			return domain.Area{}, err
		}
		path = parent.Path + a.ID + "/"
		a.ParentCode = parent.Code
	}
	a.Path = path
	row := areaRow{ID: a.ID, Code: a.Code, Name: a.Name, Kind: string(a.Kind), ParentID: nullable(a.ParentID),
		Path: path, Lat: a.Lat, Lon: a.Lon, CreatedAt: a.CreatedAt.UTC()}
	if err := translate(s.db(ctx).Create(&row).Error); err != nil {
		if domain.ErrorCode(err) == domain.EConflict {
			return domain.Area{}, &domain.Error{Code: domain.EConflict, Message: "an area with this code already exists",
				Fields: []domain.FieldError{{Field: "code", Message: "already in use"}}}
		}
		return domain.Area{}, err
	}
	return a, nil
}

// AreaByID finds an area.
func (s *Store) AreaByID(ctx context.Context, id string) (domain.Area, error) {
	return s.areaWhere(ctx, "a.id = ?", id)
}

// AreaByCode finds an area by its code (exact).
func (s *Store) AreaByCode(ctx context.Context, code string) (domain.Area, error) {
	return s.areaWhere(ctx, "a.code = ?", code)
}

func (s *Store) areaWhere(ctx context.Context, cond string, arg any) (domain.Area, error) {
	var rows []areaWithParent
	err := s.db(ctx).Raw(`SELECT a.*, p.code AS parent_code FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE `+cond, arg).
		Scan(&rows).Error
	if err != nil {
		return domain.Area{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Area{}, domain.Errorf(domain.ENotFound, "no such area")
	}
	return rows[0].toDomain(), nil
}

// areaWithParent is an area read with its parent's code. The row is a named
// embedded field: GORM skips unexported anonymous ones.
type areaWithParent struct {
	Row        areaRow `gorm:"embedded"`
	ParentCode *string
}

func (r areaWithParent) toDomain() domain.Area {
	a := r.Row.toDomain()
	if r.ParentCode != nil {
		a.ParentCode = *r.ParentCode
	}
	return a
}

// Areas lists areas in code order after the cursor (a code), at most limit.
func (s *Store) Areas(ctx context.Context, after string, limit int) ([]domain.Area, error) {
	var rows []areaWithParent
	err := s.db(ctx).Raw(`SELECT a.*, p.code AS parent_code FROM areas a LEFT JOIN areas p ON p.id = a.parent_id
		WHERE a.code > ? ORDER BY a.code LIMIT ?`, after, limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Area, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}
