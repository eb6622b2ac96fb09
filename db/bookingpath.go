package db

import (
	"context"
	"reflect"
	"strings"
	"sync"

	"gorm.io/gorm/schema"

	"github.com/copbank/copbank/domain"
)

// The booking path reads what it needs in as few round trips as it can:
// each statement is a round trip, and round trips are most of what a
// booking costs.

// LockMemberRecord takes the member's lock (see LockMember) and returns the
// member in the same statement.
func (s *Store) LockMemberRecord(ctx context.Context, id string) (domain.Member, error) {
	if s.dialect != Postgres {
		return s.MemberByID(ctx, id)
	}
	return s.memberWhere(ctx, "m.id = ? FOR UPDATE OF m", id)
}

// ShiftToBook returns a shift (without its places: the caller locks and
// counts the one it books), its demand with positions, and the demand's
// area, in one statement: a row per position.
func (s *Store) ShiftToBook(ctx context.Context, id string) (domain.Shift, domain.Demand, domain.Area, error) {
	var rows []struct {
		S        shiftRow    `gorm:"embedded;embeddedPrefix:s_"`
		D        demandRow   `gorm:"embedded;embeddedPrefix:d_"`
		A        areaRow     `gorm:"embedded;embeddedPrefix:a_"`
		P        positionRow `gorm:"embedded;embeddedPrefix:p_"`
		AreaCode string
	}
	q := `SELECT ` + aliasedColumns(shiftRow{}, "s") + `, ` + aliasedColumns(demandRow{}, "d") + `, ` +
		aliasedColumns(areaRow{}, "a") + `, ` + aliasedColumns(positionRow{}, "p") + `, a.code AS area_code
		FROM shifts s JOIN demands d ON d.id = s.demand_id JOIN areas a ON a.id = d.area_id
		JOIN positions p ON p.demand_id = d.id WHERE s.id = ? ORDER BY p.ordinal`
	if err := s.db(ctx).Raw(q, id).Scan(&rows).Error; err != nil {
		return domain.Shift{}, domain.Demand{}, domain.Area{}, translate(err)
	}
	if len(rows) == 0 {
		// No such shift, or a demand without positions: ask again without them.
		return s.shiftToBookWithoutPositions(ctx, id)
	}
	r := rows[0]
	d := demandWithArea{Row: r.D, AreaCode: r.AreaCode}.toDomain()
	d.Positions = make([]domain.Position, len(rows))
	for i, row := range rows {
		d.Positions[i] = row.P.toDomain()
	}
	return r.S.toDomain(), d, r.A.toDomain(), nil
}

func (s *Store) shiftToBookWithoutPositions(ctx context.Context, id string) (domain.Shift, domain.Demand, domain.Area, error) {
	var rows []struct {
		S        shiftRow  `gorm:"embedded;embeddedPrefix:s_"`
		D        demandRow `gorm:"embedded;embeddedPrefix:d_"`
		A        areaRow   `gorm:"embedded;embeddedPrefix:a_"`
		AreaCode string
	}
	q := `SELECT ` + aliasedColumns(shiftRow{}, "s") + `, ` + aliasedColumns(demandRow{}, "d") + `, ` +
		aliasedColumns(areaRow{}, "a") + `, a.code AS area_code
		FROM shifts s JOIN demands d ON d.id = s.demand_id JOIN areas a ON a.id = d.area_id WHERE s.id = ?`
	if err := s.db(ctx).Raw(q, id).Scan(&rows).Error; err != nil {
		return domain.Shift{}, domain.Demand{}, domain.Area{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Shift{}, domain.Demand{}, domain.Area{}, domain.Errorf(domain.ENotFound, "no such shift")
	}
	r := rows[0]
	return r.S.toDomain(), demandWithArea{Row: r.D, AreaCode: r.AreaCode}.toDomain(), r.A.toDomain(), nil
}

var aliasCache sync.Map // table alias and Go type → select list

// aliasedColumns lists every column of model's table as alias.col AS
// alias_col, so that rows of several tables with the same column names can
// be read in one statement into prefixed embedded structs.
func aliasedColumns(model any, alias string) string {
	key := alias + "\x00" + reflect.TypeOf(model).String()
	if v, ok := aliasCache.Load(key); ok {
		return v.(string)
	}
	sch, err := schema.Parse(model, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		panic(err) // a programming error in a row type, found by the first test
	}
	cols := make([]string, 0, len(sch.DBNames))
	for _, c := range sch.DBNames {
		cols = append(cols, alias+"."+c+" AS "+alias+"_"+c)
	}
	out := strings.Join(cols, ", ")
	aliasCache.Store(key, out)
	return out
}
