package app

import (
	"context"
	"fmt"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/domain"
)

// RosterItem is one booking's attendance in a roster.
type RosterItem struct {
	BookingID string
	AttendanceInput
}

// RecordRoster records attendance for several bookings of one shift at once,
// as the coordinator of its area (or an admin): all of it, or — when any item
// is refused — none of it, with the refusal naming the item.
func (a *App) RecordRoster(ctx context.Context, p *domain.Principal, shiftID string, items []RosterItem) ([]domain.Booking, error) {
	if len(items) == 0 {
		return nil, domain.FieldInvalid("items", "list at least one booking")
	}
	var fields []domain.FieldError
	seen := map[string]bool{}
	for i, it := range items {
		at := func(f string) string { return fmt.Sprintf("items[%d].%s", i, f) }
		if seen[it.BookingID] {
			fields = append(fields, domain.FieldError{Field: at("booking_id"), Message: "appears twice"})
		}
		seen[it.BookingID] = true
		if s := domain.BookingStatus(it.Status); s != domain.BookingAttended && s != domain.BookingNoShow {
			fields = append(fields, domain.FieldError{Field: at("status"), Message: "must be attended or no_show"})
		}
		if it.ActualStart != nil && it.ActualEnd != nil && !it.ActualEnd.After(*it.ActualStart) {
			fields = append(fields, domain.FieldError{Field: at("actual_end"), Message: "must be after actual_start"})
		}
	}
	if len(fields) > 0 {
		return nil, domain.Invalid("the attendance could not be recorded", fields...)
	}
	now := a.Now()
	var out []domain.Booking
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		sh, d, err := tx.ShiftByID(ctx, shiftID)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return notFound("shift")
			}
			return err
		}
		area, err := tx.AreaByID(ctx, d.AreaID)
		if err != nil {
			return err
		}
		if !coversArea(p, area) {
			if isCoordinating(p) {
				return notFound("shift")
			}
			return forbidden("only the shift's coordinator records its roster")
		}
		if now.Before(sh.Start) {
			return domain.Errorf(domain.EConflict, "the shift has not started yet")
		}
		out = make([]domain.Booking, 0, len(items))
		for i, it := range items {
			b, err := tx.BookingByID(ctx, it.BookingID)
			if err != nil && domain.ErrorCode(err) != domain.ENotFound {
				return err
			}
			if err != nil || b.ShiftID != shiftID {
				return domain.FieldInvalid(fmt.Sprintf("items[%d].booking_id", i), "is not a booking of this shift")
			}
			b, err = a.setAttendance(ctx, tx, p, b, true, domain.BookingStatus(it.Status), it.AttendanceInput, now)
			if err != nil {
				if de, ok := err.(*domain.Error); ok && de.Code == domain.EConflict {
					return &domain.Error{Code: domain.EConflict, Message: fmt.Sprintf("items[%d]: %s", i, de.Message),
						Fields: []domain.FieldError{{Field: fmt.Sprintf("items[%d].booking_id", i), Message: de.Message}}}
				}
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// ConfirmAttendance accepts what a member submitted as the record, as the
// coordinator of the shift's area; a booking with nothing submitted is a
// conflict.
func (a *App) ConfirmAttendance(ctx context.Context, p *domain.Principal, id string) (domain.Booking, error) {
	now := a.Now()
	var out domain.Booking
	err := a.store.InTx(ctx, func(tx *db.Store) error {
		b, _, _, coordinates, err := a.bookingInScope(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !coordinates {
			return forbidden("only the shift's coordinator confirms attendance")
		}
		if !b.AttendanceSubmitted || b.Status != domain.BookingConfirmed {
			return domain.Errorf(domain.EConflict, "there is no submitted attendance to confirm on this booking")
		}
		out, err = a.setAttendance(ctx, tx, p, b, true, b.Attendance,
			AttendanceInput{Status: string(b.Attendance), ActualStart: b.ActualStart, ActualEnd: b.ActualEnd}, now)
		return err
	})
	return out, err
}
