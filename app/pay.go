package app

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// payBandCodeRE allows codes such as B2 or PCSO-1.
var payBandCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$`)

// NewPayRate is a band's rate from a date.
type NewPayRate struct {
	Code          string
	Name          string
	RatePence     int64
	EffectiveFrom string
}

// CreatePayRate adds a band, or a new rate to a band from a later date.
// Admins only; the same code and date is a conflict.
func (a *App) CreatePayRate(ctx context.Context, p *domain.Principal, in NewPayRate) (domain.PayRate, error) {
	if !p.IsAdmin() {
		return domain.PayRate{}, forbidden("only an admin may set pay bands")
	}
	var fields []domain.FieldError
	bad := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	code := strings.TrimSpace(in.Code)
	if !payBandCodeRE.MatchString(code) {
		bad("code", "must be 1–32 letters, digits or _ . -, such as B2")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 200 {
		bad("name", "is required, at most 200 characters")
	}
	if in.RatePence < 0 || in.RatePence > 1_000_000 {
		bad("rate_pence", "must be a whole number of pence an hour from 0 to 1000000")
	}
	from, err := domain.ParseDate(in.EffectiveFrom)
	if err != nil {
		bad("effective_from", "must be a date YYYY-MM-DD")
	}
	if len(fields) > 0 {
		return domain.PayRate{}, domain.Invalid("the pay band could not be saved", fields...)
	}
	r := domain.PayRate{Code: code, Name: name, RatePence: in.RatePence, EffectiveFrom: from, CreatedAt: a.Now()}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreatePayRate(ctx, r); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "pay_band.create", entity: "pay_band", entityID: code + "@" + from.String(),
			after: map[string]any{"code": code, "name": name, "rate_pence": r.RatePence, "effective_from": from.String()}})
	})
	return r, err
}

// PayRates lists every band's rates; admins and coordinators (who post
// positions naming a band).
func (a *App) PayRates(ctx context.Context, p *domain.Principal) ([]domain.PayRate, error) {
	if !isCoordinating(p) {
		return nil, forbidden("only coordinators and admins may see pay bands")
	}
	return a.store.PayRates(ctx)
}

// PaySettings reads the pay rules; admins only.
func (a *App) PaySettings(ctx context.Context, p *domain.Principal) (domain.PaySettings, error) {
	if !p.IsAdmin() {
		return domain.PaySettings{}, forbidden("only an admin may see the pay settings")
	}
	return a.store.PaySettings(ctx)
}

// PaySettingsInput replaces every pay rule; multipliers are decimals.
type PaySettingsInput struct {
	Unsocial, Weekend, BankHoliday float64
	LateCancelHours                int
	LateCancelMinPaidHours         int
	MileagePencePerMile            int64
	VolunteerNotionalPencePerHour  int64
}

// SetPaySettings replaces the pay rules (admins only). Multipliers run from
// 1 to 10 to at most three decimal places.
func (a *App) SetPaySettings(ctx context.Context, p *domain.Principal, in PaySettingsInput) (domain.PaySettings, error) {
	if !p.IsAdmin() {
		return domain.PaySettings{}, forbidden("only an admin may change the pay settings")
	}
	var fields []domain.FieldError
	mult := func(field string, f float64) domain.Multiplier {
		m := domain.MultiplierOf(f)
		if math.IsNaN(f) || f < 1 || f > 10 || math.Abs(m.Float()-f) > 1e-9 {
			fields = append(fields, domain.FieldError{Field: field, Message: "must be from 1 to 10, to at most three decimal places"})
		}
		return m
	}
	whole := func(field string, n, max int64) {
		if n < 0 || n > max {
			fields = append(fields, domain.FieldError{Field: field, Message: fmt.Sprintf("must be a whole number from 0 to %d", max)})
		}
	}
	s := domain.PaySettings{Unsocial: mult("unsocial_multiplier", in.Unsocial), Weekend: mult("weekend_multiplier", in.Weekend),
		BankHoliday: mult("bank_holiday_multiplier", in.BankHoliday), LateCancelHours: in.LateCancelHours,
		LateCancelMinPaidHours: in.LateCancelMinPaidHours, MileagePencePerMile: in.MileagePencePerMile,
		VolunteerNotionalPencePerHour: in.VolunteerNotionalPencePerHour, UpdatedAt: a.Now()}
	whole("late_cancel_hours", int64(in.LateCancelHours), 168)
	whole("late_cancel_min_paid_hours", int64(in.LateCancelMinPaidHours), 24)
	whole("mileage_pence_per_mile", in.MileagePencePerMile, 1000)
	whole("volunteer_notional_pence_per_hour", in.VolunteerNotionalPencePerHour, 100_000)
	if len(fields) > 0 {
		return domain.PaySettings{}, domain.Invalid("the pay settings could not be saved", fields...)
	}
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		before, err := tx.PaySettings(ctx)
		if err != nil {
			return err
		}
		if err := tx.SetPaySettings(ctx, s); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "pay_settings.update", entity: "pay_settings", entityID: "1",
			before: paySettingsState(before), after: paySettingsState(s)})
	})
	return s, err
}

func paySettingsState(s domain.PaySettings) map[string]any {
	return map[string]any{"unsocial_multiplier": s.Unsocial.Float(), "weekend_multiplier": s.Weekend.Float(),
		"bank_holiday_multiplier": s.BankHoliday.Float(), "late_cancel_hours": s.LateCancelHours,
		"late_cancel_min_paid_hours": s.LateCancelMinPaidHours, "mileage_pence_per_mile": s.MileagePencePerMile,
		"volunteer_notional_pence_per_hour": s.VolunteerNotionalPencePerHour}
}

// BankHolidays lists the bank holidays held; anyone signed in.
func (a *App) BankHolidays(ctx context.Context, p *domain.Principal) ([]domain.BankHoliday, error) {
	if p == nil {
		return nil, domain.Errorf(domain.EUnauthorized, "sign in")
	}
	return a.store.BankHolidays(ctx, domain.Date{}, domain.Date{})
}

// CreateBankHoliday adds a date (admins only); a date already held is a conflict.
func (a *App) CreateBankHoliday(ctx context.Context, p *domain.Principal, date, name string) (domain.BankHoliday, error) {
	if !p.IsAdmin() {
		return domain.BankHoliday{}, forbidden("only an admin may add bank holidays")
	}
	var fields []domain.FieldError
	d, err := domain.ParseDate(date)
	if err != nil {
		fields = append(fields, domain.FieldError{Field: "date", Message: "must be a date YYYY-MM-DD"})
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		fields = append(fields, domain.FieldError{Field: "name", Message: "is required, at most 200 characters"})
	}
	if len(fields) > 0 {
		return domain.BankHoliday{}, domain.Invalid("the bank holiday could not be added", fields...)
	}
	h := domain.BankHoliday{Date: d, Name: name}
	err = a.store.InTx(ctx, func(tx *db.Store) error {
		if err := tx.CreateBankHoliday(ctx, h); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, auditEvent{action: "bank_holiday.create", entity: "bank_holiday", entityID: d.String(),
			after: map[string]any{"date": d.String(), "name": name}})
	})
	return h, err
}

// payCalendar is the force's zone and every bank holiday held.
func (a *App) payCalendar(ctx context.Context, tx *db.Store) (domain.PayCalendar, error) {
	hs, err := tx.BankHolidays(ctx, domain.Date{}, domain.Date{})
	if err != nil {
		return domain.PayCalendar{}, err
	}
	cal := domain.PayCalendar{Zone: a.Config.TimeZone, BankHolidays: make(map[domain.Date]bool, len(hs))}
	for _, h := range hs {
		cal.BankHolidays[h.Date] = true
	}
	return cal, nil
}

// IsLateCancel reports whether cancelling now a booking of a shift that
// starts at start would be late under the pay settings.
func (a *App) IsLateCancel(ctx context.Context, start time.Time) (bool, error) {
	s, err := a.store.PaySettings(ctx)
	if err != nil {
		return false, err
	}
	return start.Sub(a.Now()) < time.Duration(s.LateCancelHours)*time.Hour, nil
}
