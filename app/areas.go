package app

import (
	"context"
	"regexp"
	"strings"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// NewArea is the input for creating an area.
type NewArea struct {
	Code       string
	Name       string
	Kind       domain.AreaKind
	ParentCode string
	Lat, Lon   *float64
}

var areaCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,31}$`)

// CreateArea adds an area under its parent. Admins only (forbidden
// otherwise); invalid input names each bad field; a taken code is a conflict.
func (a *App) CreateArea(ctx context.Context, p *domain.Principal, in NewArea) (domain.Area, error) {
	if !p.IsAdmin() {
		return domain.Area{}, forbidden("only an admin may add areas")
	}
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	code := strings.TrimSpace(in.Code)
	if !areaCodeRE.MatchString(code) {
		bad("code", "must be 1–32 capital letters, digits or hyphens, such as DARL-N1")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 200 {
		bad("name", "is required, at most 200 characters")
	}
	if !domain.ValidAreaKind(in.Kind) {
		bad("kind", "must be one of: force, local_authority, hub, neighbourhood")
	}
	fields = append(fields, checkLatLon(in.Lat, in.Lon, "lat", "lon")...)
	var parent domain.Area
	if pc := strings.TrimSpace(in.ParentCode); pc != "" {
		var err error
		parent, err = a.store.AreaByCode(ctx, pc)
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
			bad("parent_code", "no area has this code")
		case err != nil:
			return domain.Area{}, err
		case domain.ValidAreaKind(in.Kind) && !domain.CanParent(parent.Kind, in.Kind):
			bad("parent_code", "a "+string(parent.Kind)+" cannot hold a "+string(in.Kind))
		}
	} else if domain.ValidAreaKind(in.Kind) && in.Kind != domain.AreaForce {
		bad("parent_code", "is required for every area but a force")
	}
	if len(fields) > 0 {
		return domain.Area{}, domain.Invalid("the area could not be added", fields...)
	}
	var out domain.Area
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		var err error
		out, err = tx.CreateArea(ctx, domain.Area{ID: NewID(), Code: code, Name: name, Kind: in.Kind,
			ParentID: parent.ID, Lat: in.Lat, Lon: in.Lon, CreatedAt: a.Now()})
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "area.create", entity: "area", entityID: out.ID,
			after: map[string]any{"code": out.Code, "name": out.Name, "kind": out.Kind, "parent_id": out.ParentID, "lat": out.Lat, "lon": out.Lon}})
	})
	return out, err
}

// Areas lists areas in code order for any signed-in caller.
func (a *App) Areas(ctx context.Context, p *domain.Principal, after string, limit int) ([]domain.Area, error) {
	if p == nil {
		return nil, domain.Errorf(domain.EUnauthorized, "sign in first")
	}
	return a.store.Areas(ctx, after, limit)
}

// checkLatLon requires both coordinates or neither, each in range.
func checkLatLon(lat, lon *float64, latField, lonField string) []domain.FieldError {
	var fields []domain.FieldError
	if lat != nil && (*lat < -90 || *lat > 90) {
		fields = append(fields, domain.FieldError{Field: latField, Message: "must be a latitude between -90 and 90"})
	}
	if lon != nil && (*lon < -180 || *lon > 180) {
		fields = append(fields, domain.FieldError{Field: lonField, Message: "must be a longitude between -180 and 180"})
	}
	if (lat == nil) != (lon == nil) {
		missing := latField
		if lon == nil {
			missing = lonField
		}
		fields = append(fields, domain.FieldError{Field: missing, Message: "give both lat and lon, or neither"})
	}
	return fields
}
