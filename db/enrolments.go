package db

import (
	"context"
	"time"

	"github.com/copbank/copbank/domain"
)

type enrolmentRow struct {
	ID           string
	SessionID    string
	MemberID     string
	Status       string
	CreatedBy    *string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	WaitlistedAt *time.Time
	CancelledAt  *time.Time
	CompletedAt  *time.Time
	CompletedBy  *string
}

func (enrolmentRow) TableName() string { return "enrolments" }

func toEnrolmentRow(e domain.Enrolment) enrolmentRow {
	return enrolmentRow{ID: e.ID, SessionID: e.SessionID, MemberID: e.MemberID, Status: string(e.Status),
		CreatedBy: nullable(e.CreatedBy), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
		WaitlistedAt: utcPtr(e.WaitlistedAt), CancelledAt: utcPtr(e.CancelledAt), CompletedAt: utcPtr(e.CompletedAt),
		CompletedBy: nullable(e.CompletedBy)}
}

func (r enrolmentRow) toDomain() domain.Enrolment {
	e := domain.Enrolment{ID: r.ID, SessionID: r.SessionID, MemberID: r.MemberID, Status: domain.EnrolmentStatus(r.Status),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, WaitlistedAt: r.WaitlistedAt, CancelledAt: r.CancelledAt,
		CompletedAt: r.CompletedAt}
	if r.CreatedBy != nil {
		e.CreatedBy = *r.CreatedBy
	}
	if r.CompletedBy != nil {
		e.CompletedBy = *r.CompletedBy
	}
	return e
}

func enrolmentsOf(rows []enrolmentRow) []domain.Enrolment {
	out := make([]domain.Enrolment, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out
}

// CreateEnrolment stores an enrolment. The database refuses an enrolled one
// that would overfill the session (rule has_place) and a second open
// enrolment of one member on one session.
func (s *Store) CreateEnrolment(ctx context.Context, e domain.Enrolment) error {
	row := toEnrolmentRow(e)
	return translate(s.db(ctx).Create(&row).Error)
}

// UpdateEnrolment stores an enrolment's changed state.
func (s *Store) UpdateEnrolment(ctx context.Context, e domain.Enrolment) error {
	row := toEnrolmentRow(e)
	return translate(s.db(ctx).Model(&enrolmentRow{}).Where("id = ?", e.ID).Select("*").
		Omit("id", "session_id", "member_id", "created_at", "created_by").Updates(&row).Error)
}

// EnrolmentByID finds an enrolment; inside a transaction on PostgreSQL it is
// locked.
func (s *Store) EnrolmentByID(ctx context.Context, id string) (domain.Enrolment, error) {
	var rows []enrolmentRow
	q := s.db(ctx).Where("id = ?", id)
	if s.inTx && s.dialect == Postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Limit(1).Find(&rows).Error; err != nil {
		return domain.Enrolment{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Enrolment{}, domain.Errorf(domain.ENotFound, "no such enrolment")
	}
	return rows[0].toDomain(), nil
}

// OpenEnrolment returns the member's enrolled or waitlisted enrolment on a
// session, and whether there is one.
func (s *Store) OpenEnrolment(ctx context.Context, memberID, sessionID string) (domain.Enrolment, bool, error) {
	var rows []enrolmentRow
	err := s.db(ctx).Where("member_id = ? AND session_id = ? AND status IN ?", memberID, sessionID,
		[]string{string(domain.EnrolmentEnrolled), string(domain.EnrolmentWaitlisted)}).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return domain.Enrolment{}, false, translate(err)
	}
	return rows[0].toDomain(), true, nil
}

// SessionWaitlist returns a session's waitlisted enrolments in joining order.
func (s *Store) SessionWaitlist(ctx context.Context, sessionID string) ([]domain.Enrolment, error) {
	var rows []enrolmentRow
	err := s.db(ctx).Where("session_id = ? AND status = 'waitlisted'", sessionID).Order("waitlisted_at, id").Find(&rows).Error
	return enrolmentsOf(rows), translate(err)
}

// SessionEnrolments lists a session's enrolments in joining order.
func (s *Store) SessionEnrolments(ctx context.Context, sessionID string) ([]domain.Enrolment, error) {
	var rows []enrolmentRow
	err := s.db(ctx).Where("session_id = ?", sessionID).Order("created_at, id").Find(&rows).Error
	return enrolmentsOf(rows), translate(err)
}

// MemberEnrolments lists a member's enrolments, newest first.
func (s *Store) MemberEnrolments(ctx context.Context, memberID string) ([]domain.Enrolment, error) {
	var rows []enrolmentRow
	err := s.db(ctx).Where("member_id = ?", memberID).Order("created_at DESC, id DESC").Find(&rows).Error
	return enrolmentsOf(rows), translate(err)
}

// CompletedCourses returns the IDs of the courses a member has a completed
// enrolment on.
func (s *Store) CompletedCourses(ctx context.Context, memberID string) (map[string]bool, error) {
	var ids []string
	err := s.db(ctx).Raw(`SELECT DISTINCT cs.course_id FROM enrolments e JOIN course_sessions cs ON cs.id = e.session_id
		WHERE e.member_id = ? AND e.status = 'completed'`, memberID).Scan(&ids).Error
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, translate(err)
}
