package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type handoverRow struct {
	ID             string
	BookingID      string
	GiverID        string
	ShiftID        string
	PositionID     string
	StartsAt       time.Time
	Status         string
	TakerID        *string
	TakenBookingID *string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (handoverRow) TableName() string { return "handovers" }

func toHandoverRow(h domain.Handover) handoverRow {
	return handoverRow{ID: h.ID, BookingID: h.BookingID, GiverID: h.GiverID, ShiftID: h.ShiftID, PositionID: h.PositionID,
		StartsAt: h.Start.UTC(), Status: string(h.Status), TakerID: nullable(h.TakerID), TakenBookingID: nullable(h.TakenBookingID),
		CreatedAt: h.CreatedAt.UTC(), UpdatedAt: h.UpdatedAt.UTC()}
}

func (r handoverRow) toDomain() domain.Handover {
	h := domain.Handover{ID: r.ID, BookingID: r.BookingID, GiverID: r.GiverID, ShiftID: r.ShiftID, PositionID: r.PositionID,
		Start: r.StartsAt, Status: domain.HandoverStatus(r.Status), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.TakerID != nil {
		h.TakerID = *r.TakerID
	}
	if r.TakenBookingID != nil {
		h.TakenBookingID = *r.TakenBookingID
	}
	return h
}

// CreateHandover stores an offer; a second open offer of one booking is a
// conflict.
func (s *Store) CreateHandover(ctx context.Context, h domain.Handover) error {
	row := toHandoverRow(h)
	return translate(s.db(ctx).Create(&row).Error)
}

// UpdateHandover stores an offer's changed state.
func (s *Store) UpdateHandover(ctx context.Context, h domain.Handover) error {
	row := toHandoverRow(h)
	return translate(s.db(ctx).Model(&handoverRow{}).Where("id = ?", h.ID).Select("status", "taker_id", "taken_booking_id", "updated_at").
		Updates(&row).Error)
}

// HandoverByID finds an offer; inside a transaction on PostgreSQL it is
// locked, so that of many accepting at once one decides at a time.
func (s *Store) HandoverByID(ctx context.Context, id string) (domain.Handover, error) {
	var row handoverRow
	q := s.db(ctx).Where("id = ?", id)
	if s.inTx && s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Take(&row).Error; err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENotFound {
			return domain.Handover{}, domain.Errorf(domain.ENotFound, "no such handover")
		}
		return domain.Handover{}, translate(err)
	}
	return row.toDomain(), nil
}

// OpenHandoverOf returns the booking's open offer, if any.
func (s *Store) OpenHandoverOf(ctx context.Context, bookingID string) (domain.Handover, bool, error) {
	var rows []handoverRow
	if err := s.db(ctx).Where("booking_id = ? AND status = 'open'", bookingID).Limit(1).Find(&rows).Error; err != nil {
		return domain.Handover{}, false, translate(err)
	}
	if len(rows) == 0 {
		return domain.Handover{}, false, nil
	}
	return rows[0].toDomain(), true, nil
}

// OpenHandovers lists open offers of shifts starting after `after`, by id
// after the cursor.
func (s *Store) OpenHandovers(ctx context.Context, startsAfter time.Time, cursor string, limit int) ([]domain.Handover, error) {
	q := s.db(ctx).Where("status = 'open' AND starts_at > ?", startsAfter.UTC())
	if cursor != "" {
		q = q.Where("id > ?", cursor)
	}
	var rows []handoverRow
	if err := q.Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Handover, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

type swapRow struct {
	ID               string
	BookingID        string
	WithBookingID    string
	RequesterID      string
	PartnerID        string
	Status           string
	NewBookingID     *string
	NewWithBookingID *string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (swapRow) TableName() string { return "swaps" }

func toSwapRow(w domain.Swap) swapRow {
	return swapRow{ID: w.ID, BookingID: w.BookingID, WithBookingID: w.WithBookingID, RequesterID: w.RequesterID, PartnerID: w.PartnerID,
		Status: string(w.Status), NewBookingID: nullable(w.NewBookingID), NewWithBookingID: nullable(w.NewWithBookingID),
		CreatedAt: w.CreatedAt.UTC(), UpdatedAt: w.UpdatedAt.UTC()}
}

func (r swapRow) toDomain() domain.Swap {
	w := domain.Swap{ID: r.ID, BookingID: r.BookingID, WithBookingID: r.WithBookingID, RequesterID: r.RequesterID, PartnerID: r.PartnerID,
		Status: domain.SwapStatus(r.Status), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.NewBookingID != nil {
		w.NewBookingID = *r.NewBookingID
	}
	if r.NewWithBookingID != nil {
		w.NewWithBookingID = *r.NewWithBookingID
	}
	return w
}

// CreateSwap stores a swap request.
func (s *Store) CreateSwap(ctx context.Context, w domain.Swap) error {
	row := toSwapRow(w)
	return translate(s.db(ctx).Create(&row).Error)
}

// UpdateSwap stores a swap's changed state.
func (s *Store) UpdateSwap(ctx context.Context, w domain.Swap) error {
	row := toSwapRow(w)
	return translate(s.db(ctx).Model(&swapRow{}).Where("id = ?", w.ID).Select("status", "new_booking_id", "new_with_booking_id", "updated_at").
		Updates(&row).Error)
}

// SwapByID finds a swap; inside a transaction on PostgreSQL it is locked.
func (s *Store) SwapByID(ctx context.Context, id string) (domain.Swap, error) {
	var row swapRow
	q := s.db(ctx).Where("id = ?", id)
	if s.inTx && s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Take(&row).Error; err != nil {
		if domain.ErrorCode(translate(err)) == domain.ENotFound {
			return domain.Swap{}, domain.Errorf(domain.ENotFound, "no such swap")
		}
		return domain.Swap{}, translate(err)
	}
	return row.toDomain(), nil
}

// SwapsAsked lists the swaps a member is asked for and has not yet accepted,
// oldest first.
func (s *Store) SwapsAsked(ctx context.Context, partnerID string, limit int) ([]domain.Swap, error) {
	var rows []swapRow
	if err := s.db(ctx).Where("partner_id = ? AND status = 'requested'", partnerID).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Swap, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// DeleteHandover removes an open offer its giver withdrew; the audit log
// keeps what it was. An offer taken meanwhile is left alone (not found).
func (s *Store) DeleteHandover(ctx context.Context, id string) error {
	res := s.db(ctx).Where("id = ? AND status = 'open'", id).Delete(&handoverRow{})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.ENotFound, "no such handover")
	}
	return nil
}
