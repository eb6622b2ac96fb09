package db

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// ReportFilter narrows a report; empty fields do not narrow.
type ReportFilter struct {
	// AreaPaths: shifts (or, for reports about members, home areas) at or
	// below any of these areas.
	AreaPaths []string
	// From and To bound the shift's start: From ≤ start < To.
	From, To    time.Time
	Kind        string // a member kind the member has
	ProblemType string // the demand's problem type
}

// where renders the filter for a query over bookings b, shifts s, demands d,
// areas a (the shift's) and members m; startCol is the shift start to bound
// (a booking carries a copy, which its index orders).
func (f ReportFilter) where(startCol string) (string, []any) {
	var conds []string
	var args []any
	if !f.From.IsZero() {
		conds, args = append(conds, startCol+" >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		conds, args = append(conds, startCol+" < ?"), append(args, f.To.UTC())
	}
	if c, a := pathsCond("a.path", f.AreaPaths); c != "" {
		conds, args = append(conds, c), append(args, a...)
	}
	if f.Kind != "" {
		conds, args = append(conds, "(',' || m.kinds || ',') LIKE ?"), append(args, "%,"+f.Kind+",%")
	}
	if f.ProblemType != "" {
		conds, args = append(conds, "d.problem_type = ?"), append(args, f.ProblemType)
	}
	if len(conds) == 0 {
		return "TRUE", nil
	}
	return strings.Join(conds, " AND "), args
}

// pathsCond matches a path column at or below any of paths.
func pathsCond(col string, paths []string) (string, []any) {
	if len(paths) == 0 {
		return "", nil
	}
	ors := make([]string, len(paths))
	args := make([]any, len(paths))
	for i, p := range paths {
		ors[i] = col + ` LIKE ? ESCAPE '\'`
		args[i] = likePrefix(p)
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

const bookingsJoined = `bookings b
	JOIN shifts s ON s.id = b.shift_id
	JOIN demands d ON d.id = s.demand_id
	JOIN areas a ON a.id = s.area_id
	JOIN members m ON m.id = b.member_id
	JOIN positions p ON p.id = b.position_id`

// WorkedRow is one booking as the hours and pay reports read it.
type WorkedRow struct {
	BookingID     string
	MemberID      string
	MemberName    string
	MemberKinds   string // comma-separated
	PositionKinds string // comma-separated
	PayBand       string
	AreaCode      string
	ProblemType   string
	Status        string
	Start, End    time.Time
	ActualStart   *time.Time
	ActualEnd     *time.Time
	LateCancel    bool
	CancelledBy   string
	// ExpensesPence sums the booking's approved expenses (pay report only).
	ExpensesPence int64
}

const workedColumns = `b.id, m.id, m.name, m.kinds, p.kinds, p.pay_band, a.code, d.problem_type, b.status,
	b.starts_at, b.ends_at, b.actual_start, b.actual_end, b.late_cancel, b.cancelled_by`

const approvedExpenses = `COALESCE((SELECT SUM(e.amount_pence) FROM expenses e WHERE e.booking_id = b.id AND e.status = 'approved'), 0)`

func scanWorked(rows *sql.Rows) (WorkedRow, error) {
	var r WorkedRow
	var actualStart, actualEnd sql.NullTime
	err := rows.Scan(&r.BookingID, &r.MemberID, &r.MemberName, &r.MemberKinds, &r.PositionKinds, &r.PayBand, &r.AreaCode,
		&r.ProblemType, &r.Status, &r.Start, &r.End, &actualStart, &actualEnd, &r.LateCancel, &r.CancelledBy, &r.ExpensesPence)
	if actualStart.Valid {
		r.ActualStart = &actualStart.Time
	}
	if actualEnd.Valid {
		r.ActualEnd = &actualEnd.Time
	}
	return r, err
}

// stream runs a query and hands each row to fn as it arrives, never holding
// more than one: exports of any size run in constant memory.
func stream[T any](ctx context.Context, s *Store, query string, args []any, scan func(*sql.Rows) (T, error), fn func(T) error) error {
	rows, err := s.db(ctx).Raw(query, args...).Rows()
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// StreamAttended hands fn every attended booking the filter admits, by
// shift start.
func (s *Store) StreamAttended(ctx context.Context, f ReportFilter, fn func(WorkedRow) error) error {
	where, args := f.where("b.starts_at")
	// Expenses are the pay report's: leave them out here.
	q := `SELECT ` + workedColumns + `, 0 FROM ` + bookingsJoined + `
		WHERE b.status = 'attended' AND ` + where + ` ORDER BY b.starts_at, b.id`
	return stream(ctx, s, q, args, scanWorked, fn)
}

// StreamPayable hands fn, grouped by member and band, every booking that
// pays: attended on a position with a pay band, cancelled late by the
// force on one, or carrying approved expenses.
func (s *Store) StreamPayable(ctx context.Context, f ReportFilter, fn func(WorkedRow) error) error {
	where, args := f.where("b.starts_at")
	q := `SELECT ` + workedColumns + `, ` + approvedExpenses + ` FROM ` + bookingsJoined + `
		WHERE (p.pay_band <> '' AND (b.status = 'attended' OR (b.status = 'cancelled' AND b.late_cancel AND b.cancelled_by = 'force'))
		       OR EXISTS (SELECT 1 FROM expenses e WHERE e.booking_id = b.id AND e.status = 'approved'))
		  AND ` + where + ` ORDER BY m.name, m.id, p.pay_band, s.starts_at, b.id`
	return stream(ctx, s, q, args, scanWorked, fn)
}

// PlaceRow is one position's places on one shift, for the fill report.
type PlaceRow struct {
	ShiftStart time.Time
	AreaCode   string
	Priority   int
	Headcount  int
	Filled     int // active, attended or no-show bookings: places someone took
}

// StreamPlaces hands fn every position of every scheduled shift the filter
// admits (Kind is ignored: places are not of one member), by shift start.
func (s *Store) StreamPlaces(ctx context.Context, f ReportFilter, fn func(PlaceRow) error) error {
	f.Kind = ""
	where, args := f.where("s.starts_at")
	q := `SELECT s.starts_at, a.code, d.priority, sp.headcount,
			(SELECT count(*) FROM bookings b WHERE b.shift_id = sp.shift_id AND b.position_id = sp.position_id
			   AND b.status IN ('offered', 'pending', 'confirmed', 'attended', 'no_show'))
		FROM shift_positions sp
		JOIN shifts s ON s.id = sp.shift_id
		JOIN demands d ON d.id = s.demand_id
		JOIN areas a ON a.id = s.area_id
		WHERE s.status = 'scheduled' AND ` + where + ` ORDER BY s.starts_at, s.id, sp.position_id`
	return stream(ctx, s, q, args, func(rows *sql.Rows) (PlaceRow, error) {
		var r PlaceRow
		err := rows.Scan(&r.ShiftStart, &r.AreaCode, &r.Priority, &r.Headcount, &r.Filled)
		return r, err
	}, fn)
}

// ReliabilityRow counts one member's late cancellations of their own and
// their no-shows.
type ReliabilityRow struct {
	MemberID          string
	MemberName        string
	Bookings          int
	LateCancellations int
	NoShows           int
}

// StreamReliability hands fn, by name, each member with a booking the
// filter admits.
func (s *Store) StreamReliability(ctx context.Context, f ReportFilter, fn func(ReliabilityRow) error) error {
	where, args := f.where("b.starts_at")
	q := `SELECT m.id, m.name, count(*),
			SUM(CASE WHEN b.status = 'cancelled' AND b.late_cancel AND b.cancelled_by = 'member' THEN 1 ELSE 0 END),
			SUM(CASE WHEN b.status = 'no_show' THEN 1 ELSE 0 END)
		FROM ` + bookingsJoined + `
		WHERE b.status IN ('confirmed', 'attended', 'no_show', 'cancelled') AND ` + where + `
		GROUP BY m.id, m.name ORDER BY m.name, m.id`
	return stream(ctx, s, q, args, func(rows *sql.Rows) (ReliabilityRow, error) {
		var r ReliabilityRow
		err := rows.Scan(&r.MemberID, &r.MemberName, &r.Bookings, &r.LateCancellations, &r.NoShows)
		return r, err
	}, fn)
}

// MemberRow is a member the fairness report counts.
type MemberRow struct {
	MemberID   string
	MemberName string
}

// StreamMembersOfKind hands fn the active members of a kind whose home area
// is within the filter's areas, by id.
func (s *Store) StreamMembersOfKind(ctx context.Context, kind string, areaPaths []string, fn func(MemberRow) error) error {
	q := `SELECT m.id, m.name FROM members m JOIN areas a ON a.id = m.home_area_id
		WHERE m.status = 'active' AND (',' || m.kinds || ',') LIKE ?`
	args := []any{"%," + kind + ",%"}
	if c, a := pathsCond("a.path", areaPaths); c != "" {
		q += " AND " + c
		args = append(args, a...)
	}
	return stream(ctx, s, q+" ORDER BY m.id", args, func(rows *sql.Rows) (MemberRow, error) {
		var r MemberRow
		err := rows.Scan(&r.MemberID, &r.MemberName)
		return r, err
	}, fn)
}

// ExpiringRow is a skill or clearance that runs out.
type ExpiringRow struct {
	MemberID   string
	MemberName string
	AreaCode   string
	Item       string // skill or clearance
	Code       string // the skill's code or the clearance's type
	ExpiresOn  string
}

// StreamExpiring hands fn the skills and active clearances of active
// members (home area within the filter's areas) that expire from one date
// to another, inclusive, soonest first.
func (s *Store) StreamExpiring(ctx context.Context, from, to string, kind string, areaPaths []string, fn func(ExpiringRow) error) error {
	var conds []string
	var args []any
	if c, a := pathsCond("a.path", areaPaths); c != "" {
		conds, args = append(conds, c), append(args, a...)
	}
	if kind != "" {
		conds, args = append(conds, "(',' || m.kinds || ',') LIKE ?"), append(args, "%,"+kind+",%")
	}
	extra := ""
	if len(conds) > 0 {
		extra = " AND " + strings.Join(conds, " AND ")
	}
	q := `SELECT * FROM (
		SELECT m.id AS member_id, m.name AS member_name, a.code AS area_code, 'skill' AS item, k.code AS code, ms.expires_on AS expires_on
		  FROM member_skills ms JOIN skills k ON k.id = ms.skill_id JOIN members m ON m.id = ms.member_id JOIN areas a ON a.id = m.home_area_id
		 WHERE m.status = 'active' AND ms.expires_on IS NOT NULL AND ms.expires_on >= ? AND ms.expires_on <= ?` + extra + `
		UNION ALL
		SELECT m.id, m.name, a.code, 'clearance', c.type, c.expires_on
		  FROM clearances c JOIN members m ON m.id = c.member_id JOIN areas a ON a.id = m.home_area_id
		 WHERE m.status = 'active' AND c.status = 'active' AND c.expires_on >= ? AND c.expires_on <= ?` + extra + `
		) x ORDER BY expires_on, member_name, member_id, code`
	all := append(append(append([]any{from, to}, args...), from, to), args...)
	return stream(ctx, s, q, all, func(rows *sql.Rows) (ExpiringRow, error) {
		var r ExpiringRow
		err := rows.Scan(&r.MemberID, &r.MemberName, &r.AreaCode, &r.Item, &r.Code, &r.ExpiresOn)
		return r, err
	}, fn)
}
