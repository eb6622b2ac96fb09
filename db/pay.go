package db

import (
	"context"
	"database/sql"
	"time"

	"github.com/copbank/copbank/domain"
)

type payRateRow struct {
	Code          string
	Name          string
	RatePence     int64
	EffectiveFrom string
	CreatedAt     time.Time
}

func (payRateRow) TableName() string { return "pay_rates" }

func (r payRateRow) toDomain() domain.PayRate {
	d, _ := domain.ParseDate(r.EffectiveFrom)
	return domain.PayRate{Code: r.Code, Name: r.Name, RatePence: r.RatePence, EffectiveFrom: d, CreatedAt: r.CreatedAt}
}

// CreatePayRate adds a rate to a band (the band is its code). A rate for the
// same code and date is a conflict on effective_from.
func (s *Store) CreatePayRate(ctx context.Context, r domain.PayRate) error {
	row := payRateRow{Code: r.Code, Name: r.Name, RatePence: r.RatePence, EffectiveFrom: r.EffectiveFrom.String(), CreatedAt: r.CreatedAt.UTC()}
	if err := translate(s.db(ctx).Create(&row).Error); err != nil {
		if domain.ErrorCode(err) == domain.EConflict {
			return &domain.Error{Code: domain.EConflict, Message: "this band already has a rate from this date",
				Fields: []domain.FieldError{{Field: "effective_from", Message: "already has a rate for this code"}}}
		}
		return err
	}
	return nil
}

// PayRates lists every band's rates by code, then date.
func (s *Store) PayRates(ctx context.Context) ([]domain.PayRate, error) {
	var rows []payRateRow
	if err := s.db(ctx).Order("code, effective_from").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.PayRate, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

type paySettingsRow struct {
	ID                            int
	UnsocialMultiplier            int64
	WeekendMultiplier             int64
	BankHolidayMultiplier         int64
	LateCancelHours               int
	LateCancelMinPaidHours        int
	MileagePencePerMile           int64
	VolunteerNotionalPencePerHour int64
	UpdatedAt                     time.Time
}

func (paySettingsRow) TableName() string { return "pay_settings" }

// PaySettings reads the force's pay rules (the migration stores the defaults).
func (s *Store) PaySettings(ctx context.Context) (domain.PaySettings, error) {
	var r paySettingsRow
	if err := s.db(ctx).Where("id = 1").Take(&r).Error; err != nil {
		return domain.PaySettings{}, translate(err)
	}
	return domain.PaySettings{Unsocial: domain.Multiplier(r.UnsocialMultiplier), Weekend: domain.Multiplier(r.WeekendMultiplier),
		BankHoliday: domain.Multiplier(r.BankHolidayMultiplier), LateCancelHours: r.LateCancelHours,
		LateCancelMinPaidHours: r.LateCancelMinPaidHours, MileagePencePerMile: r.MileagePencePerMile,
		VolunteerNotionalPencePerHour: r.VolunteerNotionalPencePerHour, UpdatedAt: r.UpdatedAt}, nil
}

// SetPaySettings replaces the pay rules.
func (s *Store) SetPaySettings(ctx context.Context, p domain.PaySettings) error {
	r := paySettingsRow{ID: 1, UnsocialMultiplier: int64(p.Unsocial), WeekendMultiplier: int64(p.Weekend),
		BankHolidayMultiplier: int64(p.BankHoliday), LateCancelHours: p.LateCancelHours, LateCancelMinPaidHours: p.LateCancelMinPaidHours,
		MileagePencePerMile: p.MileagePencePerMile, VolunteerNotionalPencePerHour: p.VolunteerNotionalPencePerHour, UpdatedAt: p.UpdatedAt.UTC()}
	return translate(s.db(ctx).Model(&paySettingsRow{}).Where("id = 1").Select("*").Omit("id").Updates(&r).Error)
}

type bankHolidayRow struct {
	Day  string
	Name string
}

func (bankHolidayRow) TableName() string { return "bank_holidays" }

// BankHolidays lists the bank holidays from one date to another (inclusive;
// zero dates leave that end open), in date order.
func (s *Store) BankHolidays(ctx context.Context, from, to domain.Date) ([]domain.BankHoliday, error) {
	q := s.db(ctx).Order("day")
	if !from.IsZero() {
		q = q.Where("day >= ?", from.String())
	}
	if !to.IsZero() {
		q = q.Where("day <= ?", to.String())
	}
	var rows []bankHolidayRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.BankHoliday, len(rows))
	for i, r := range rows {
		d, _ := domain.ParseDate(r.Day)
		out[i] = domain.BankHoliday{Date: d, Name: r.Name}
	}
	return out, nil
}

// CreateBankHoliday adds a date; a date already held is a conflict on "date".
func (s *Store) CreateBankHoliday(ctx context.Context, h domain.BankHoliday) error {
	row := bankHolidayRow{Day: h.Date.String(), Name: h.Name}
	if err := translate(s.db(ctx).Create(&row).Error); err != nil {
		if domain.ErrorCode(err) == domain.EConflict {
			return &domain.Error{Code: domain.EConflict, Message: "this date is already a bank holiday",
				Fields: []domain.FieldError{{Field: "date", Message: "already a bank holiday"}}}
		}
		return err
	}
	return nil
}

type expenseRow struct {
	ID          string
	BookingID   string
	MemberID    string
	Kind        string
	Miles       *float64
	AmountPence int64
	Note        string
	Status      string
	DecidedBy   *string
	DecidedAt   *time.Time
	CreatedAt   time.Time
}

func (expenseRow) TableName() string { return "expenses" }

func toExpenseRow(e domain.Expense) expenseRow {
	return expenseRow{ID: e.ID, BookingID: e.BookingID, MemberID: e.MemberID, Kind: string(e.Kind), Miles: e.Miles,
		AmountPence: e.AmountPence, Note: e.Note, Status: string(e.Status), DecidedBy: nullable(e.DecidedBy),
		DecidedAt: utcPtr(e.DecidedAt), CreatedAt: e.CreatedAt.UTC()}
}

func (r expenseRow) toDomain() domain.Expense {
	e := domain.Expense{ID: r.ID, BookingID: r.BookingID, MemberID: r.MemberID, Kind: domain.ExpenseKind(r.Kind), Miles: r.Miles,
		AmountPence: r.AmountPence, Note: r.Note, Status: domain.ExpenseStatus(r.Status), DecidedAt: r.DecidedAt, CreatedAt: r.CreatedAt}
	if r.DecidedBy != nil {
		e.DecidedBy = *r.DecidedBy
	}
	return e
}

// CreateExpense stores a claim.
func (s *Store) CreateExpense(ctx context.Context, e domain.Expense) error {
	row := toExpenseRow(e)
	return translate(s.db(ctx).Create(&row).Error)
}

// ExpenseByID finds a claim; inside a transaction on PostgreSQL it is locked.
func (s *Store) ExpenseByID(ctx context.Context, id string) (domain.Expense, error) {
	var row expenseRow
	q := s.db(ctx).Where("id = ?", id)
	if s.inTx && s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Take(&row).Error; err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENotFound {
			return domain.Expense{}, domain.Errorf(domain.ENotFound, "no such expense")
		}
		return domain.Expense{}, translate(err)
	}
	return row.toDomain(), nil
}

// DecideExpense stores an approval or rejection.
func (s *Store) DecideExpense(ctx context.Context, e domain.Expense) error {
	return translate(s.db(ctx).Model(&expenseRow{}).Where("id = ?", e.ID).Updates(map[string]any{
		"status": string(e.Status), "decided_by": nullable(e.DecidedBy), "decided_at": utcPtr(e.DecidedAt)}).Error)
}

// BookingExpenses lists the claims against a booking, oldest first.
func (s *Store) BookingExpenses(ctx context.Context, bookingID string) ([]domain.Expense, error) {
	var rows []expenseRow
	if err := s.db(ctx).Where("booking_id = ?", bookingID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Expense, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// PendingExpense is a claim waiting for a decision, with what a coordinator
// needs to decide it.
type PendingExpense struct {
	domain.Expense
	MemberName string
	Title      string
	ShiftStart time.Time
}

// PendingExpenses lists claims waiting on shifts in any of the areas (all
// areas when none), oldest first, at most limit.
func (s *Store) PendingExpenses(ctx context.Context, areaPaths []string, limit int) ([]PendingExpense, error) {
	q := `SELECT e.id, e.booking_id, e.member_id, e.kind, e.miles, e.amount_pence, e.note, e.status, e.created_at,
			m.name, d.title, s.starts_at
		FROM expenses e JOIN bookings b ON b.id = e.booking_id JOIN shifts s ON s.id = b.shift_id
		JOIN demands d ON d.id = s.demand_id JOIN areas a ON a.id = s.area_id JOIN members m ON m.id = e.member_id
		WHERE e.status = 'claimed'`
	var args []any
	if c, a := pathsCond("a.path", areaPaths); c != "" {
		q += " AND " + c
		args = append(args, a...)
	}
	q += " ORDER BY e.created_at, e.id LIMIT ?"
	args = append(args, limit)
	var out []PendingExpense
	err := stream(ctx, s, q, args, func(rows *sql.Rows) (PendingExpense, error) {
		var p PendingExpense
		var miles sql.NullFloat64
		var kind, status string
		err := rows.Scan(&p.ID, &p.BookingID, &p.MemberID, &kind, &miles, &p.AmountPence, &p.Note, &status, &p.CreatedAt,
			&p.MemberName, &p.Title, &p.ShiftStart)
		p.Kind, p.Status = domain.ExpenseKind(kind), domain.ExpenseStatus(status)
		if miles.Valid {
			p.Miles = &miles.Float64
		}
		return p, err
	}, func(p PendingExpense) error { out = append(out, p); return nil })
	return out, err
}
