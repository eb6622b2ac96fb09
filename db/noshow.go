package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type approvalHoldRow struct {
	MemberID string `gorm:"primaryKey"`
	Reason   string
	SetAt    time.Time
	EndsAt   time.Time
	LiftedAt *time.Time
	LiftedBy *string
}

func (approvalHoldRow) TableName() string { return "approval_holds" }

func (r approvalHoldRow) toDomain() domain.ApprovalHold {
	h := domain.ApprovalHold{MemberID: r.MemberID, Reason: r.Reason, SetAt: r.SetAt, Until: r.EndsAt, LiftedAt: r.LiftedAt}
	if r.LiftedBy != nil {
		h.LiftedBy = *r.LiftedBy
	}
	return h
}

// ApprovalHold finds a member's latest hold, lifted, ended or not;
// ENotFound when they never had one.
func (s *Store) ApprovalHold(ctx context.Context, memberID string) (domain.ApprovalHold, error) {
	var row approvalHoldRow
	if err := s.db(ctx).Where("member_id = ?", memberID).Take(&row).Error; err != nil {
		return domain.ApprovalHold{}, translate(err)
	}
	return row.toDomain(), nil
}

// PutApprovalHold stores a member's hold, replacing any earlier one.
func (s *Store) PutApprovalHold(ctx context.Context, h domain.ApprovalHold) error {
	if err := s.db(ctx).Exec(`DELETE FROM approval_holds WHERE member_id = ?`, h.MemberID).Error; err != nil {
		return translate(err)
	}
	row := approvalHoldRow{MemberID: h.MemberID, Reason: h.Reason, SetAt: h.SetAt.UTC(), EndsAt: h.Until.UTC(),
		LiftedBy: nullable(h.LiftedBy)}
	if h.LiftedAt != nil {
		t := h.LiftedAt.UTC()
		row.LiftedAt = &t
	}
	return translate(s.db(ctx).Create(&row).Error)
}

// NoShowStarts lists the starts of a member's no-show bookings on shifts
// starting in [from, to], oldest first.
func (s *Store) NoShowStarts(ctx context.Context, memberID string, from, to time.Time) ([]time.Time, error) {
	var starts []time.Time
	err := s.db(ctx).Model(&bookingRow{}).Where("member_id = ? AND status = 'no_show' AND starts_at >= ? AND starts_at <= ?",
		memberID, from.UTC(), to.UTC()).Order("starts_at").Pluck("starts_at", &starts).Error
	return starts, translate(err)
}
