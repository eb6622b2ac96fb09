package db

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/copbank/copbank/domain"
)

type demandRow struct {
	ID                  string
	Title               string
	Description         string
	ProblemType         string
	AreaID              string
	LocationDescription string
	LocationLat         *float64
	LocationLon         *float64
	Briefing            string
	Priority            int
	BookingMode         string
	LoneWorking         bool
	MenteeRef           string
	Timezone            string
	StartLocal          string
	EndLocal            string
	Rrule               string
	Exdates             string
	Status              string
	CreatedBy           *string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (demandRow) TableName() string { return "demands" }

func toDemandRow(d domain.Demand) demandRow {
	ex, _ := json.Marshal(orEmpty(d.ExDates))
	r := demandRow{ID: d.ID, Title: d.Title, Description: d.Description, ProblemType: string(d.ProblemType),
		AreaID: d.AreaID, Briefing: d.Briefing, Priority: d.Priority, BookingMode: string(d.BookingMode), LoneWorking: d.LoneWorking,
		MenteeRef: d.MenteeRef, Timezone: d.TimeZone, StartLocal: d.StartLocal, EndLocal: d.EndLocal,
		Rrule: d.RRule, Exdates: string(ex), Status: string(d.Status), CreatedBy: nullable(d.CreatedBy),
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	if d.Location != nil {
		r.LocationDescription, r.LocationLat, r.LocationLon = d.Location.Description, d.Location.Lat, d.Location.Lon
	}
	return r
}

type demandWithArea struct {
	Row      demandRow `gorm:"embedded"`
	AreaCode string
}

func (w demandWithArea) toDomain() domain.Demand {
	r := w.Row
	d := domain.Demand{ID: r.ID, Title: r.Title, Description: r.Description, ProblemType: domain.ProblemType(r.ProblemType),
		AreaID: r.AreaID, AreaCode: w.AreaCode, Briefing: r.Briefing, Priority: r.Priority,
		BookingMode: domain.BookingMode(r.BookingMode), LoneWorking: r.LoneWorking, MenteeRef: r.MenteeRef, TimeZone: r.Timezone,
		StartLocal: r.StartLocal, EndLocal: r.EndLocal, RRule: r.Rrule, Status: domain.DemandStatus(r.Status),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.CreatedBy != nil {
		d.CreatedBy = *r.CreatedBy
	}
	_ = json.Unmarshal([]byte(r.Exdates), &d.ExDates)
	if r.LocationDescription != "" || r.LocationLat != nil {
		d.Location = &domain.Location{Description: r.LocationDescription, Lat: r.LocationLat, Lon: r.LocationLon}
	}
	return d
}

type positionRow struct {
	ID           string
	DemandID     string
	Ordinal      int
	Name         string
	Kinds        string
	Skills       string
	MinVetting   string
	Dbs          string
	Headcount    int
	MinHeadcount *int
	PayBand      string
	Supervision  string
}

func (positionRow) TableName() string { return "positions" }

func toPositionRow(p domain.Position) positionRow {
	kinds := make([]string, len(p.Kinds))
	for i, k := range p.Kinds {
		kinds[i] = string(k)
	}
	dbs := make([]string, len(p.DBS))
	for i, t := range p.DBS {
		dbs[i] = string(t)
	}
	row := positionRow{ID: p.ID, DemandID: p.DemandID, Ordinal: p.Ordinal, Name: p.Name, Kinds: strings.Join(kinds, ","),
		Skills: strings.Join(p.Skills, ","), MinVetting: string(p.MinVetting), Dbs: strings.Join(dbs, ","),
		Headcount: p.Headcount, MinHeadcount: p.MinHeadcount, PayBand: p.PayBand, Supervision: string(p.Supervision)}
	if row.Supervision == "" {
		row.Supervision = string(domain.SupervisionNone)
	}
	return row
}

func (r positionRow) toDomain() domain.Position {
	p := domain.Position{ID: r.ID, DemandID: r.DemandID, Ordinal: r.Ordinal, Name: r.Name, Skills: splitList(r.Skills),
		MinVetting: domain.ClearanceType(r.MinVetting), Headcount: r.Headcount, MinHeadcount: r.MinHeadcount, PayBand: r.PayBand,
		Supervision: domain.Supervision(r.Supervision)}
	for _, k := range splitList(r.Kinds) {
		p.Kinds = append(p.Kinds, domain.Kind(k))
	}
	for _, t := range splitList(r.Dbs) {
		p.DBS = append(p.DBS, domain.ClearanceType(t))
	}
	return p
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type shiftRow struct {
	ID         string
	DemandID   string
	AreaID     string
	Occurrence string
	StartsAt   time.Time
	EndsAt     time.Time
	Status     string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (shiftRow) TableName() string { return "shifts" }

func (r shiftRow) toDomain() domain.Shift {
	return domain.Shift{ID: r.ID, DemandID: r.DemandID, AreaID: r.AreaID, Occurrence: r.Occurrence,
		Start: r.StartsAt, End: r.EndsAt, Status: domain.ShiftStatus(r.Status)}
}

type shiftPositionRow struct {
	ShiftID    string
	PositionID string
	Headcount  int
}

func (shiftPositionRow) TableName() string { return "shift_positions" }

// CreateDemand stores a demand with its positions and its shifts, each shift
// holding every position's places.
func (s *Store) CreateDemand(ctx context.Context, d domain.Demand) error {
	return s.InTx(ctx, func(tx *Store) error {
		row := toDemandRow(d)
		if err := tx.db(ctx).Create(&row).Error; err != nil {
			return err
		}
		for _, p := range d.Positions {
			pr := toPositionRow(p)
			if err := tx.db(ctx).Create(&pr).Error; err != nil {
				return err
			}
		}
		return tx.insertShifts(ctx, d.Positions, d.Shifts)
	})
}

// InsertShifts adds shifts (and their places) to an existing demand.
func (s *Store) InsertShifts(ctx context.Context, positions []domain.Position, shifts []domain.Shift) error {
	return s.InTx(ctx, func(tx *Store) error { return tx.insertShifts(ctx, positions, shifts) })
}

func (s *Store) insertShifts(ctx context.Context, positions []domain.Position, shifts []domain.Shift) error {
	if len(shifts) == 0 {
		return nil
	}
	rows := make([]shiftRow, len(shifts))
	places := make([]shiftPositionRow, 0, len(shifts)*len(positions))
	for i, sh := range shifts {
		rows[i] = shiftRow{ID: sh.ID, DemandID: sh.DemandID, AreaID: sh.AreaID, Occurrence: sh.Occurrence,
			StartsAt: sh.Start.UTC(), EndsAt: sh.End.UTC(), Status: string(sh.Status),
			CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
		for _, p := range positions {
			places = append(places, shiftPositionRow{ShiftID: sh.ID, PositionID: p.ID, Headcount: p.Headcount})
		}
	}
	if err := s.db(ctx).CreateInBatches(rows, 200).Error; err != nil {
		return err
	}
	return s.db(ctx).CreateInBatches(places, 200).Error
}

// DemandByID returns a demand with its positions and shifts (with places).
func (s *Store) DemandByID(ctx context.Context, id string) (domain.Demand, error) {
	d, err := s.demandOnly(ctx, id)
	if err != nil {
		return d, err
	}
	var shifts []shiftRow
	if err := s.db(ctx).Where("demand_id = ?", id).Order("starts_at").Find(&shifts).Error; err != nil {
		return d, translate(err)
	}
	ids := make([]string, len(shifts))
	for i, r := range shifts {
		d.Shifts = append(d.Shifts, r.toDomain())
		ids[i] = r.ID
	}
	placesByShift, err := s.places(ctx, ids)
	if err != nil {
		return d, err
	}
	for i := range d.Shifts {
		d.Shifts[i].Places = placesByShift[d.Shifts[i].ID]
	}
	return d, nil
}

// Positions lists a demand's positions in order.
func (s *Store) Positions(ctx context.Context, demandID string) ([]domain.Position, error) {
	var rows []positionRow
	if err := s.db(ctx).Where("demand_id = ?", demandID).Order("ordinal").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Position, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

type placeCount struct {
	ShiftID    string
	PositionID string
	Headcount  int
	Taken      int
	Waitlisted int
}

// places returns each shift's places with their active and waitlisted counts,
// in position order.
func (s *Store) places(ctx context.Context, shiftIDs []string) (map[string][]domain.Place, error) {
	out := make(map[string][]domain.Place, len(shiftIDs))
	for start := 0; start < len(shiftIDs); start += 500 {
		chunk := shiftIDs[start:min(start+500, len(shiftIDs))]
		var rows []placeCount
		err := s.db(ctx).Raw(`SELECT sp.shift_id, sp.position_id, sp.headcount,
			       COALESCE(SUM(CASE WHEN b.status IN ('offered','pending','confirmed') THEN 1 ELSE 0 END), 0) AS taken,
			       COALESCE(SUM(CASE WHEN b.status = 'waitlisted' THEN 1 ELSE 0 END), 0) AS waitlisted
			  FROM shift_positions sp
			  JOIN positions p ON p.id = sp.position_id
			  LEFT JOIN bookings b ON b.shift_id = sp.shift_id AND b.position_id = sp.position_id
			 WHERE sp.shift_id IN ?
			 GROUP BY sp.shift_id, sp.position_id, sp.headcount, p.ordinal
			 ORDER BY sp.shift_id, p.ordinal`, chunk).Scan(&rows).Error
		if err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			out[r.ShiftID] = append(out[r.ShiftID], domain.Place{PositionID: r.PositionID, Headcount: r.Headcount, Taken: r.Taken, Waitlisted: r.Waitlisted})
		}
	}
	return out, nil
}

// ShiftByID returns a shift with its places, and its demand (with positions, without shifts).
func (s *Store) ShiftByID(ctx context.Context, id string) (domain.Shift, domain.Demand, error) {
	var row shiftRow
	if err := s.db(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENotFound {
			return domain.Shift{}, domain.Demand{}, domain.Errorf(domain.ENotFound, "no such shift")
		}
		return domain.Shift{}, domain.Demand{}, translate(err)
	}
	sh := row.toDomain()
	places, err := s.places(ctx, []string{id})
	if err != nil {
		return sh, domain.Demand{}, err
	}
	sh.Places = places[id]
	d, err := s.demandOnly(ctx, sh.DemandID)
	return sh, d, err
}

func (s *Store) demandOnly(ctx context.Context, id string) (domain.Demand, error) {
	var rows []demandWithArea
	err := s.db(ctx).Raw(`SELECT d.*, a.code AS area_code FROM demands d JOIN areas a ON a.id = d.area_id WHERE d.id = ?`, id).Scan(&rows).Error
	if err != nil {
		return domain.Demand{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Demand{}, domain.Errorf(domain.ENotFound, "no such demand")
	}
	d := rows[0].toDomain()
	d.Positions, err = s.Positions(ctx, id)
	return d, err
}

// ShiftListing is a shift with its demand, as a search returns it.
type ShiftListing struct {
	Shift  domain.Shift
	Demand domain.Demand
}

// FindShifts searches shifts by area subtree, time and openness, in start
// order after the cursor (start time and id).
func (s *Store) FindShifts(ctx context.Context, f domain.ShiftFilter) ([]ShiftListing, error) {
	q := s.db(ctx).Table("shifts s").Select("s.*").Joins("JOIN demands d ON d.id = s.demand_id").Joins("JOIN areas a ON a.id = s.area_id")
	if f.AreaPath != "" {
		q = q.Where("a.path LIKE ?", escapeLike(f.AreaPath)+"%")
	}
	if !f.From.IsZero() {
		q = q.Where("s.ends_at > ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("s.starts_at < ?", f.To.UTC())
	}
	if f.OpenOnly {
		q = q.Where("s.status = 'scheduled' AND d.status = 'active'").
			Where(`EXISTS (SELECT 1 FROM shift_positions sp WHERE sp.shift_id = s.id AND sp.headcount >
			        (SELECT count(*) FROM bookings b WHERE b.shift_id = sp.shift_id AND b.position_id = sp.position_id
			          AND b.status IN ('offered','pending','confirmed')))`)
	}
	if f.DemandID != "" {
		q = q.Where("s.demand_id = ?", f.DemandID)
	}
	if f.AfterStart != nil {
		q = q.Where("(s.starts_at > ? OR (s.starts_at = ? AND s.id > ?))", f.AfterStart.UTC(), f.AfterStart.UTC(), f.AfterID)
	}
	var rows []shiftRow
	if err := q.Order("s.starts_at, s.id").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return s.listings(ctx, rows)
}

// ShiftsByIDs returns those of the shifts named that exist, each with its
// places and its demand, in the order named: a list of bookings' shifts in
// four queries, not four per booking.
func (s *Store) ShiftsByIDs(ctx context.Context, ids []string) ([]ShiftListing, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []shiftRow
	if err := s.db(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	order := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, seen := order[id]; !seen {
			order[id] = i
		}
	}
	slices.SortFunc(rows, func(a, b shiftRow) int { return order[a.ID] - order[b.ID] })
	return s.listings(ctx, rows)
}

// listings completes shift rows with their places and demands (with
// positions).
func (s *Store) listings(ctx context.Context, rows []shiftRow) ([]ShiftListing, error) {
	ids := make([]string, len(rows))
	var demandIDs []string
	for i, r := range rows {
		ids[i] = r.ID
		if !slices.Contains(demandIDs, r.DemandID) {
			demandIDs = append(demandIDs, r.DemandID)
		}
	}
	places, err := s.places(ctx, ids)
	if err != nil {
		return nil, err
	}
	demands, err := s.demandsOnly(ctx, demandIDs)
	if err != nil {
		return nil, err
	}
	out := make([]ShiftListing, len(rows))
	for i, r := range rows {
		sh := r.toDomain()
		sh.Places = places[r.ID]
		out[i] = ShiftListing{Shift: sh, Demand: demands[r.DemandID]}
	}
	return out, nil
}

// demandsOnly returns the demands named, with their positions, without
// shifts, by id.
func (s *Store) demandsOnly(ctx context.Context, ids []string) (map[string]domain.Demand, error) {
	out := make(map[string]domain.Demand, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []demandWithArea
	err := s.db(ctx).Raw(`SELECT d.*, a.code AS area_code FROM demands d JOIN areas a ON a.id = d.area_id WHERE d.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	var positions []positionRow
	if err := s.db(ctx).Where("demand_id IN ?", ids).Order("demand_id, ordinal").Find(&positions).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.Row.ID] = r.toDomain()
	}
	for _, p := range positions {
		d := out[p.DemandID]
		d.Positions = append(d.Positions, p.toDomain())
		out[p.DemandID] = d
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Demands lists demands posted in any of the area paths (nil = all), newest first.
func (s *Store) Demands(ctx context.Context, areaPaths []string, after string, limit int) ([]domain.Demand, error) {
	return s.FindDemands(ctx, domain.DemandFilter{AreaPaths: areaPaths, After: after, Limit: limit})
}

// FindDemands lists the demands a filter selects, newest first, each with
// its positions (without shifts): two queries for the whole page.
func (s *Store) FindDemands(ctx context.Context, f domain.DemandFilter) ([]domain.Demand, error) {
	q := s.db(ctx).Table("demands d").Select("d.*, a.code AS area_code").Joins("JOIN areas a ON a.id = d.area_id")
	if f.AreaPaths != nil {
		if len(f.AreaPaths) == 0 {
			return nil, nil
		}
		cond := s.db(ctx)
		for i, p := range f.AreaPaths {
			if i == 0 {
				cond = cond.Where("a.path LIKE ?", escapeLike(p)+"%")
			} else {
				cond = cond.Or("a.path LIKE ?", escapeLike(p)+"%")
			}
		}
		q = q.Where(cond)
	}
	if f.AreaPath != "" {
		q = q.Where("a.path LIKE ?", escapeLike(f.AreaPath)+"%")
	}
	if f.After != "" {
		q = q.Where("d.id < ?", f.After)
	}
	var rows []demandWithArea
	if err := q.Order("d.id DESC").Limit(f.Limit).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Demand, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
		ids[i] = r.Row.ID
	}
	positions, err := s.positionsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Positions = positions[out[i].ID]
	}
	return out, nil
}

// positionsOf returns the positions of the demands named, in order, by
// demand id.
func (s *Store) positionsOf(ctx context.Context, demandIDs []string) (map[string][]domain.Position, error) {
	out := make(map[string][]domain.Position, len(demandIDs))
	for start := 0; start < len(demandIDs); start += 500 {
		chunk := demandIDs[start:min(start+500, len(demandIDs))]
		var rows []positionRow
		if err := s.db(ctx).Where("demand_id IN ?", chunk).Order("demand_id, ordinal").Find(&rows).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			out[r.DemandID] = append(out[r.DemandID], r.toDomain())
		}
	}
	return out, nil
}

// UpdateDemandFields stores the demand's own fields (not positions or shifts).
func (s *Store) UpdateDemandFields(ctx context.Context, d domain.Demand) error {
	row := toDemandRow(d)
	return translate(s.db(ctx).Model(&demandRow{}).Where("id = ?", d.ID).Select("*").Omit("id", "created_at", "created_by").Updates(&row).Error)
}

// UpdatePosition stores a position's fields.
func (s *Store) UpdatePosition(ctx context.Context, p domain.Position) error {
	row := toPositionRow(p)
	return translate(s.db(ctx).Model(&positionRow{}).Where("id = ?", p.ID).Select("*").Omit("id", "demand_id").Updates(&row).Error)
}

// AddPosition stores a position added to a demand and its places on the
// given shifts.
func (s *Store) AddPosition(ctx context.Context, p domain.Position, shiftIDs []string) error {
	row := toPositionRow(p)
	if err := s.db(ctx).Create(&row).Error; err != nil {
		return translate(err)
	}
	if len(shiftIDs) == 0 {
		return nil
	}
	places := make([]shiftPositionRow, len(shiftIDs))
	for i, id := range shiftIDs {
		places[i] = shiftPositionRow{ShiftID: id, PositionID: p.ID, Headcount: p.Headcount}
	}
	return translate(s.db(ctx).CreateInBatches(places, 200).Error)
}

// LockPlace takes the lock that serialises every booking of one place and
// returns its headcount and counts. On SQLite the transaction already holds
// the database's write lock (BEGIN IMMEDIATE).
func (s *Store) LockPlace(ctx context.Context, shiftID, positionID string) (domain.Place, error) {
	var row shiftPositionRow
	q := s.db(ctx).Where("shift_id = ? AND position_id = ?", shiftID, positionID)
	if s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Take(&row).Error; err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENotFound {
			return domain.Place{}, domain.Errorf(domain.ENotFound, "no such position on this shift")
		}
		return domain.Place{}, translate(err)
	}
	var counts placeCount
	err := s.db(ctx).Raw(`SELECT
		COALESCE(SUM(CASE WHEN status IN ('offered','pending','confirmed') THEN 1 ELSE 0 END), 0) AS taken,
		COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) AS waitlisted
		FROM bookings WHERE shift_id = ? AND position_id = ?`, shiftID, positionID).Scan(&counts).Error
	if err != nil {
		return domain.Place{}, translate(err)
	}
	return domain.Place{PositionID: positionID, Headcount: row.Headcount, Taken: counts.Taken, Waitlisted: counts.Waitlisted}, nil
}

// SetPlaceHeadcount changes one place's headcount. The database refuses a
// headcount below the active bookings (rule headcount_below_booked).
func (s *Store) SetPlaceHeadcount(ctx context.Context, shiftID, positionID string, headcount int) error {
	return translate(s.db(ctx).Model(&shiftPositionRow{}).Where("shift_id = ? AND position_id = ?", shiftID, positionID).
		Update("headcount", headcount).Error)
}

// RetimeShift moves a shift and the bookings on it.
func (s *Store) RetimeShift(ctx context.Context, id string, start, end time.Time) error {
	now := time.Now().UTC()
	if err := s.db(ctx).Model(&shiftRow{}).Where("id = ?", id).
		Updates(map[string]any{"starts_at": start.UTC(), "ends_at": end.UTC(), "updated_at": now}).Error; err != nil {
		return translate(err)
	}
	return translate(s.db(ctx).Model(&bookingRow{}).Where("shift_id = ?", id).
		Updates(map[string]any{"starts_at": start.UTC(), "ends_at": end.UTC(), "updated_at": now,
			"sequence": gorm.Expr("sequence + 1")}).Error)
}

// SetShiftStatus marks a shift scheduled or cancelled.
func (s *Store) SetShiftStatus(ctx context.Context, id string, status domain.ShiftStatus) error {
	return translate(s.db(ctx).Model(&shiftRow{}).Where("id = ?", id).
		Updates(map[string]any{"status": string(status), "updated_at": time.Now().UTC()}).Error)
}

// LockShiftPlaces locks every place of one shift (see LockPlace).
func (s *Store) LockShiftPlaces(ctx context.Context, shiftID string) error {
	if s.dialect != Postgres {
		return nil // BEGIN IMMEDIATE already serialises every writer
	}
	return translate(s.db(ctx).Exec(`SELECT 1 FROM shift_positions WHERE shift_id = ? ORDER BY position_id FOR UPDATE`, shiftID).Error)
}

// LockDemandPlaces locks the places of a demand's shifts that start at or after
// `from`, so that a headcount change and bookings cannot interleave.
func (s *Store) LockDemandPlaces(ctx context.Context, demandID string, from time.Time) error {
	if s.dialect != Postgres {
		return nil // BEGIN IMMEDIATE already serialises every writer
	}
	return translate(s.db(ctx).Exec(`SELECT 1 FROM shift_positions sp JOIN shifts s ON s.id = sp.shift_id
		WHERE s.demand_id = ? AND s.starts_at >= ? ORDER BY sp.shift_id, sp.position_id FOR UPDATE OF sp`, demandID, from.UTC()).Error)
}
